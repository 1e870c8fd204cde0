#include <atomic>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

int compute();
void check(int);

void test_worker_sets_result() {
  int result = 0;
  std::thread worker([&] { result = compute(); });
  std::this_thread::sleep_for(100ms);
  check(result);
  worker.join();
}

void wait_flag(std::atomic<bool> &ready) {
  while (!ready)
    std::this_thread::sleep_for(1ms);
}
