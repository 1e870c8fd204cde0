// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <future>
#include <pthread.h>
#include <stop_token>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

int compute();
void use(int v);
void *produce(void *arg);

// --- Positives -------------------------------------------------------------

int start_and_guess() {
  int result = 0;
  std::thread worker([&] { result = compute(); });
  // Give it time to finish.
  // CHECK: :[[@LINE+1]]:3: warning: sleep used to wait for thread 'worker': nothing guarantees it got there when the sleep ends, so what is read next races with it [tether-sleep-coordination]
  std::this_thread::sleep_for(100ms);
  // CHECK: :[[@LINE-4]]:3: note: thread 'worker' starts here
  // CHECK: :[[@LINE+2]]:7: note: 'result' is used here, after the sleep
  // CHECK: :[[@LINE-3]]:3: note: wait for the result with a future, a std::latch or a condition variable, or join the thread, instead of sleeping
  use(result);
  worker.join();
  return result;
}

void async_then_sleep() {
  // CHECK: :[[@LINE+2]]:3: warning: sleep used to wait for task 'f'
  auto f = std::async(std::launch::async, compute);
  std::this_thread::sleep_for(50ms);
  if (f.wait_for(0s) == std::future_status::ready)
    use(f.get());
}

struct Service {
  std::atomic<bool> started{false};
  std::thread loop;
  void start() {
    // CHECK: :[[@LINE+2]]:5: warning: sleep used to wait for thread 'loop'
    loop = std::thread([this] { started = true; });
    std::this_thread::sleep_for(10ms);
    if (!started)
      use(-1);
  }
  ~Service() { loop.join(); }
};

void pthread_then_usleep() {
  pthread_t tid;
  int shared = 0;
  // CHECK: :[[@LINE+2]]:3: warning: sleep used to wait for thread 'tid'
  pthread_create(&tid, nullptr, produce, &shared);
  usleep(1000);
  use(shared);
  pthread_join(tid, nullptr);
}

void sleep_then_join() {
  // CHECK: :[[@LINE+2]]:3: warning: sleep used to wait for thread 't': nothing guarantees it got there when the sleep ends; join() alone waits exactly as long as needed
  std::thread t([] { use(compute()); });
  std::this_thread::sleep_for(1s);
  t.join();
}

void fan_out_then_sleep(std::vector<int> &out) {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    out.push_back(0);
  // CHECK: :[[@LINE+2]]:3: warning: sleep used to wait for thread 'workers'
  workers.emplace_back([&out] { out[0] = compute(); });
  std::this_thread::sleep_for(20ms);
  use(out[0]);
  for (auto &w : workers)
    w.join();
}

// --- Negatives -------------------------------------------------------------

// A timed run: the sleep says how long the thread runs, then it is stopped.
void timed_run() {
  std::atomic<bool> stop{false};
  std::thread t([&] {
    while (!stop)
      use(compute());
  });
  std::this_thread::sleep_for(1s);
  stop = true;
  t.join();
}

void timed_run_jthread() {
  std::jthread t([](std::stop_token st) {
    while (!st.stop_requested())
      use(compute());
  });
  std::this_thread::sleep_for(1s);
  t.request_stop();
}

// The sleep is followed by work that does not touch what the thread shares.
void unrelated_pause() {
  int mine = 0;
  std::thread t([] { use(compute()); });
  std::this_thread::sleep_for(1ms);
  use(mine);
  t.join();
}

// Waiting properly: a future.
void proper_future() {
  auto f = std::async(std::launch::async, compute);
  use(f.get());
}

// A sleep with no thread started before it.
void plain_delay(int &x) {
  std::this_thread::sleep_for(1ms);
  use(x);
}

// The thread is started after the sleep.
void sleep_before_start() {
  int r = 0;
  std::this_thread::sleep_for(1ms);
  std::thread t([&] { r = compute(); });
  t.join();
  use(r);
}

// Spacing out submissions: the statement after the sleep starts more work.
void staggered_start() {
  int config = 1;
  std::thread first([&config] { use(config); });
  std::this_thread::sleep_for(10ms);
  std::thread second([&config] { use(config); });
  first.join();
  second.join();
}
