#include <thread>
void start() {
  std::thread t(undeclared_function);
  t.detach();
}
