#include "heartbeat.h"
void pulse_a() { Heartbeat h; h.stop(); }
