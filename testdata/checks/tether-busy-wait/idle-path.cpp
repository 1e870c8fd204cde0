// A loop guarded by a flag that does its work behind a test (`if (!paused)
// step();`, `if (!ready) continue;`) spins whenever the test says no: on that
// way around the loop the thread only re-reads flags (and keeps time), at
// full speed, whatever the work on the other way does. A way that waits,
// sleeps, does other work, or that a deadline bounds is not idle.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

class Simulation {
public:
  void pause(bool on) { paused_ = on; }
  void quit() { done_ = true; }

  // The game-of-life shape: paused, it re-reads two flags and a clock.
  void run(double budget) {
    auto t0 = std::chrono::steady_clock::now();
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'done_' without blocking, sleeping or backing off
    while (!done_) {
      // CHECK: :[[@LINE+1]]:11: note: when this test skips the work, the loop does nothing but re-read its flags
      if (!paused_) {
        step();
        spent_ += 1.0;
      }
      t0 = std::chrono::steady_clock::now();
      if (spent_ > budget) {
        std::printf("budget spent\n");
        break;
      }
    }
  }

  // The same with continue: while nothing is pending it comes straight back.
  void drain() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'running_.load' without blocking, sleeping or backing off
    while (running_.load(std::memory_order_acquire)) {
      // CHECK: :[[@LINE+1]]:11: note: when this test skips the work
      if (!pending_.load())
        continue;
      pending_.store(false);
      step();
    }
  }

  // Negative: the way without work sleeps.
  void run_throttled() {
    while (!done_) {
      if (!paused_)
        step();
      else
        std::this_thread::sleep_for(std::chrono::milliseconds(16));
    }
  }

  // Negative: the way without work waits on a condition variable.
  void run_parked() {
    std::unique_lock<std::mutex> lock(m_);
    while (!done_) {
      if (!paused_) {
        lock.unlock();
        step();
        lock.lock();
        continue;
      }
      cv_.wait(lock);
    }
  }

  // Negative: every way does work (rendering runs paused or not).
  void run_and_render() {
    while (!done_) {
      if (!paused_)
        step();
      render();
    }
  }

  // Negative: a deadline on the idle way bounds it.
  bool wait_unpaused(std::chrono::steady_clock::time_point deadline) {
    while (running_.load()) {
      if (!paused_)
        return true;
      if (std::chrono::steady_clock::now() > deadline)
        return false;
    }
    return false;
  }

  // Negative: the test itself does the work (pops an item).
  void serve() {
    while (running_.load()) {
      if (take())
        step();
      else
        std::this_thread::yield(); // reported elsewhere only if take() polls
    }
  }

private:
  void step();
  void render();
  bool take();
  volatile bool done_ = false;
  volatile bool paused_ = false;
  double spent_ = 0;
  std::atomic<bool> running_{true};
  std::atomic<bool> pending_{false};
  std::mutex m_;
  std::condition_variable cv_;
};

void nudge_sleepers();

// A deadline that only triggers a nudge does not end the loop: while it has
// not passed, and after, the loop re-reads the counter and yields.
void drain_wakeups(std::atomic<int> &woken, int n) {
  auto nudge_after = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'woken.load' and only yields between attempts
  while (woken.load(std::memory_order_acquire) < n) {
    if (std::chrono::steady_clock::now() > nudge_after)
      nudge_sleepers();
    std::this_thread::yield();
  }
}

// A deadline that leaves the loop bounds the spin.
bool wait_wakeups(std::atomic<int> &woken, int n) {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (woken.load(std::memory_order_acquire) < n) {
    if (std::chrono::steady_clock::now() > give_up)
      return false;
    std::this_thread::yield();
  }
  return true;
}

// Workers of a two-phase pipeline meet at a barrier after each phase. The
// chain of tests names every phase, so there is no way around the loop
// that skips the work: every way waits at the barrier.
class PhasedWorker {
public:
  enum Phase { preprocess, process };
  void run() {
    while (!stopped_) {
      if (phase_ == process) {
        while (process_next())
          ;
        arrive_and_wait();
      } else if (phase_ == preprocess) {
        while (preprocess_next())
          ;
        arrive_and_wait();
      }
    }
  }

private:
  bool process_next();
  bool preprocess_next();
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return arrived_; });
  }
  std::atomic<bool> stopped_{false};
  Phase phase_ = preprocess;
  bool arrived_ = false;
  std::mutex m_;
  std::condition_variable cv_;
};

// The same chain over a three-phase enum that tests only two: in the third
// phase the loop does nothing but re-read its flags.
class ThreePhaseWorker {
public:
  enum class Phase { preprocess, process, drain };
  void run() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop spins on 'stopped_.load' without blocking, sleeping or backing off
    while (!stopped_) {
      if (phase_ == Phase::process) {
        while (process_next())
          ;
        arrive_and_wait();
      } else if (phase_ == Phase::preprocess) {
        while (preprocess_next())
          ;
        arrive_and_wait();
      }
    }
  }

private:
  bool process_next();
  bool preprocess_next();
  void arrive_and_wait() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [this] { return arrived_; });
  }
  std::atomic<bool> stopped_{false};
  Phase phase_ = Phase::preprocess;
  bool arrived_ = false;
  std::mutex m_;
  std::condition_variable cv_;
};
