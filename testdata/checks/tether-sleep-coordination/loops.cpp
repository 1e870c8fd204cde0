// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// The check is off by default: tether-* alone does not run it.
// RUN: %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | count 0

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;

template <typename T> class Queue {
public:
  bool try_pop(T &out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.empty())
      return false;
    out = items_.front();
    items_.pop_front();
    return true;
  }

private:
  std::mutex mu_;
  std::deque<T> items_;
};

void handle(int v);
void publish_metrics();
bool try_connect();

// --- Positives -------------------------------------------------------------

void wait_until_ready(const std::atomic<bool> &ready) {
  // CHECK: :[[@LINE+3]]:3: warning: loop waits for another thread by sleeping between checks of 'ready.load': the sleep is a guess that adds latency or wakes for nothing [tether-sleep-coordination]
  // CHECK: :[[@LINE+2]]:17: note: 'ready.load' is checked here, once per sleep
  // CHECK: :[[@LINE+2]]:5: note: block until it is ready instead of sleeping: a condition variable, atomic::wait (C++20), a std::latch, a future or a blocking pop
  while (!ready.load())
    std::this_thread::sleep_for(10ms);
}

void poll_queue_with_nap(Queue<int> &q, std::atomic<bool> &stop) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'q.try_pop'
  while (!stop) {
    if (q.try_pop(v))
      handle(v);
    else
      std::this_thread::sleep_for(5ms);
  }
}

void usleep_poll(std::atomic<int> &state) {
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'state.load'
  while (state.load() != 2)
    ::usleep(1000);
}

void wait_for_one(Queue<int> &q) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'q.try_pop'
  while (!q.try_pop(v))
    std::this_thread::sleep_for(1ms);
  handle(v);
}

void lock_by_napping(std::mutex &m) {
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'm.try_lock'
  do {
    std::this_thread::sleep_for(100us);
  } while (!m.try_lock());
  m.unlock();
}

// --- Negatives -------------------------------------------------------------

// A periodic timer in a stop-aware loop: the sleep paces real work.
void metrics_loop(std::atomic<bool> &stop) {
  while (!stop.load()) {
    publish_metrics();
    std::this_thread::sleep_for(1s);
  }
}

// A retry loop with a counter.
bool connect_with_retries() {
  for (int attempt = 0; attempt < 5; ++attempt) {
    if (try_connect())
      return true;
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

// Exponential backoff: the delay grows.
void backoff(std::atomic<bool> &ready) {
  auto delay = 1ms;
  while (!ready) {
    std::this_thread::sleep_for(delay);
    delay = delay * 2;
  }
}

// A rate limiter: sleep to keep a pace, with work each round.
void rate_limited(Queue<int> &q, std::atomic<bool> &stop) {
  int v = 0;
  while (!stop) {
    if (!q.try_pop(v))
      return;
    handle(v);
    std::this_thread::sleep_for(10ms);
  }
}

// A sleep with a deadline: bounded.
bool wait_with_deadline(std::atomic<bool> &ready) {
  auto deadline = std::chrono::steady_clock::now() + 1s;
  while (!ready && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(1ms);
  return ready;
}

// A periodic sampler whose work is a visible function with no calls in it.
class Sampler {
public:
  void run() {
    while (sampling_) {
      sample();
      std::this_thread::sleep_for(50ms);
    }
  }

private:
  void sample() {
    std::lock_guard<std::mutex> lock(mu_);
    level_ = level_ > 4 ? 0 : level_ + 1;
  }
  std::atomic<bool> sampling_{true};
  std::mutex mu_;
  int level_ = 0;
};
