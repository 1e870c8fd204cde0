#include <thread>
void tick();
void start() {
  std::thread t(tick);
  t.detach();
}
