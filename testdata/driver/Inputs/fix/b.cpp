#include "heartbeat.h"
void pulse_b() { Heartbeat h; h.stop(); }
