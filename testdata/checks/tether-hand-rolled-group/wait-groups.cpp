// RUN: not %tether --checks='-*,tether-hand-rolled-group' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-hand-rolled-group' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// Off by default: a run with the default check set does not report it.
// (Exit 0 or 1: other checks may report; 2 would be an error.) The JSON
// report says the file was analysed, without errors.
// RUN: %tether --format=json %s -- %libstdcxx > %t.json; test $? -le 1
// RUN: FileCheck %s --check-prefix=DEFAULT --input-file=%t.json --implicit-check-not='"check": "tether-hand-rolled-group"'
// DEFAULT: "errors": [],
// DEFAULT: "files": 1,
// DEFAULT: "findings": [

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

void work(int i);

// --- Positives -------------------------------------------------------------

class WaitGroup {
  std::mutex m_;
  std::condition_variable cv_;
  // CHECK: :[[@LINE+4]]:7: warning: 'count_' with a mutex and a condition variable is a hand-rolled wait group: a missed decrement or notify leaves the waiter blocked forever [tether-hand-rolled-group]
  // CHECK: :[[@LINE+12]]:9: note: counted down here
  // CHECK: :[[@LINE+16]]:9: note: waited for here until it reaches zero
  // CHECK: :[[@LINE+1]]:7: note: use std::latch when the count is known up front, std::barrier for repeated phases, or a task group that joins what it starts
  int count_ = 0;

public:
  void add(int n) {
    std::lock_guard lock(m_);
    count_ += n;
  }
  void done() {
    std::lock_guard lock(m_);
    if (--count_ == 0)
      cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(m_);
    cv_.wait(lock, [this] { return count_ == 0; });
  }
};

void fan_out_local(int n) {
  std::mutex m;
  std::condition_variable cv;
  // CHECK: :[[@LINE+1]]:7: warning: 'pending' with a mutex and a condition variable is a hand-rolled wait group
  int pending = n;
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      work(i);
      std::lock_guard g(m);
      --pending;
      cv.notify_one();
    });
  std::unique_lock lock(m);
  cv.wait(lock, [&] { return pending == 0; });
  lock.unlock();
  for (auto &t : threads)
    t.join();
}

class Tracker {
  std::mutex mu_;
  std::condition_variable idle_;
  // CHECK: :[[@LINE+1]]:15: warning: 'inflight_' with a mutex and a condition variable is a hand-rolled wait group
  std::size_t inflight_ = 0;

public:
  void begin() {
    std::lock_guard g(mu_);
    ++inflight_;
  }
  void end() {
    std::lock_guard g(mu_);
    inflight_ -= 1;
    idle_.notify_all();
  }
  void drain() {
    std::unique_lock l(mu_);
    while (inflight_ != 0)
      idle_.wait(l);
  }
};

class Countdown {
  std::mutex m_;
  std::condition_variable cv_;
  // CHECK: :[[@LINE+1]]:7: warning: 'left_' with a mutex and a condition variable is a hand-rolled wait group
  int left_;

public:
  explicit Countdown(int n) : left_(n) {}
  void arrive() {
    std::lock_guard g(m_);
    left_--;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [&] { return !left_; });
  }
};

class AtomicCounted {
  std::mutex m_;
  std::condition_variable cv_;
  // CHECK: :[[@LINE+1]]:20: warning: 'outstanding_' with a mutex and a condition variable is a hand-rolled wait group
  std::atomic<int> outstanding_{0};

public:
  void finished() {
    if (outstanding_.fetch_sub(1) == 1) {
      std::lock_guard g(m_);
      cv_.notify_all();
    }
  }
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return outstanding_.load() == 0; });
  }
};

class TimedGroup {
  std::mutex m_;
  std::condition_variable cv_;
  // CHECK: :[[@LINE+1]]:8: warning: 'jobs_' with a mutex and a condition variable is a hand-rolled wait group
  long jobs_ = 0;

public:
  void done() {
    std::lock_guard g(m_);
    --jobs_;
    cv_.notify_one();
  }
  bool wait_for(std::chrono::milliseconds d) {
    std::unique_lock l(m_);
    return cv_.wait_for(l, d, [this] { return jobs_ <= 0; });
  }
};

class AnyGroup {
  std::mutex m_;
  std::condition_variable_any cv_;
  // CHECK: :[[@LINE+1]]:7: warning: 'workers_' with a mutex and a condition variable is a hand-rolled wait group
  int workers_ = 0;

public:
  void exited() {
    std::lock_guard g(m_);
    --workers_;
    cv_.notify_all();
  }
  void join_all() {
    std::unique_lock l(m_);
    while (workers_ > 0) {
      cv_.wait(l);
    }
  }
};

struct Shared {
  std::mutex m;
  std::condition_variable cv;
  // CHECK: :[[@LINE+1]]:12: warning: 'remaining' with a mutex and a condition variable is a hand-rolled wait group
  unsigned remaining = 0;
};

void worker_done(Shared &s) {
  std::lock_guard g(s.m);
  s.remaining -= 1;
  s.cv.notify_all();
}

void wait_all(Shared &s) {
  std::unique_lock l(s.m);
  s.cv.wait(l, [&s] { return 0 == s.remaining; });
}

void parallel_for(int n, const std::function<void(int)> &body) {
  std::mutex m;
  std::condition_variable cv;
  // CHECK: :[[@LINE+1]]:7: warning: 'left' with a mutex and a condition variable is a hand-rolled wait group
  int left = n;
  for (int i = 0; i < n; ++i)
    std::thread([&, i] {
      body(i);
      std::lock_guard g(m);
      if (--left == 0)
        cv.notify_one();
    }).detach();
  std::unique_lock l(m);
  while (left)
    cv.wait(l);
}

template <typename T> class TypedGroup {
  std::mutex m_;
  std::condition_variable cv_;
  // CHECK: :[[@LINE+1]]:5: warning: 'n_' with a mutex and a condition variable is a hand-rolled wait group
  T n_{};

public:
  void done() {
    std::lock_guard g(m_);
    --n_;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return n_ == 0; });
  }
};
template class TypedGroup<int>;

// --- Negatives -------------------------------------------------------------

// A queue: the condition is "there is an item", not a count reaching zero.
class Queue {
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<int> items_;

public:
  void push(int v) {
    std::lock_guard g(m_);
    items_.push_back(v);
    cv_.notify_one();
  }
  int pop() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return !items_.empty(); });
    int v = items_.front();
    items_.pop_front();
    return v;
  }
};

// A hand-rolled semaphore: waits for the count to be positive.
class Semaphore {
  std::mutex m_;
  std::condition_variable cv_;
  int permits_;

public:
  explicit Semaphore(int n) : permits_(n) {}
  void acquire() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return permits_ > 0; });
    --permits_;
  }
  void release() {
    std::lock_guard g(m_);
    ++permits_;
    cv_.notify_one();
  }
};

// A monitor flag: bool, not a count.
class Gate {
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;

public:
  void open() {
    std::lock_guard g(m_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return open_; });
  }
};

// Counts up to a target: a generation counter, never decremented.
class Generations {
  std::mutex m_;
  std::condition_variable cv_;
  int gen_ = 0;

public:
  void bump() {
    std::lock_guard g(m_);
    ++gen_;
    cv_.notify_all();
  }
  void wait_past(int seen) {
    std::unique_lock l(m_);
    cv_.wait(l, [&] { return gen_ != seen; });
  }
};

// Zero test with a stop flag: a worker waiting for work or shutdown.
class Worker {
  std::mutex m_;
  std::condition_variable cv_;
  int backlog_ = 0;
  bool stop_ = false;

public:
  void take() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return backlog_ > 0 || stop_; });
    --backlog_;
  }
};

// A wait for zero with no decrement anywhere: not a group.
class NeverCounted {
  std::mutex m_;
  std::condition_variable cv_;
  int zero_ = 0;

public:
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return zero_ == 0; });
  }
};

// A capacity check in a bounded buffer: waits for room, not for zero.
class Bounded {
  std::mutex m_;
  std::condition_variable cv_;
  std::size_t size_ = 0, cap_ = 8;

public:
  void put() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return size_ < cap_; });
    ++size_;
  }
  void get() {
    std::lock_guard g(m_);
    --size_;
    cv_.notify_one();
  }
};

// A multi-statement predicate: not recognised (precision first).
class Complicated {
  std::mutex m_;
  std::condition_variable cv_;
  int n_ = 0;

public:
  void done() {
    std::lock_guard g(m_);
    --n_;
  }
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] {
      bool idle = n_ == 0;
      return idle;
    });
  }
};

// Decremented, but the wait is for a different counter.
class TwoCounters {
  std::mutex m_;
  std::condition_variable cv_;
  int a_ = 0, b_ = 0;

public:
  void dec() {
    std::lock_guard g(m_);
    --a_;
  }
  void wait() {
    std::unique_lock l(m_);
    cv_.wait(l, [this] { return b_ == 0; });
  }
};

// A lightswitch: each side counts itself in and out of the room in one
// function, and the other side waits for zero to enter. The count is who
// is inside, not a set of tasks someone waits to finish.
class SharedRoom {
  std::mutex m_;
  std::condition_variable changed_;
  int readers_ = 0;
  int writers_ = 0;

public:
  void read(const std::function<void()> &look) {
    std::unique_lock l(m_);
    while (writers_ > 0)
      changed_.wait(l);
    ++readers_;
    l.unlock();
    look();
    l.lock();
    --readers_;
    changed_.notify_all();
  }
  void write(const std::function<void()> &change) {
    std::unique_lock l(m_);
    changed_.wait(l, [&] { return readers_ == 0; });
    writers_ += 1;
    l.unlock();
    change();
    l.lock();
    writers_ -= 1;
    changed_.notify_all();
  }
};

// std::latch: the fix.
#if __has_include(<latch>)
#include <latch>
void with_latch(int n) {
  std::latch done(n);
  std::vector<std::jthread> threads;
  for (int i = 0; i < n; ++i)
    threads.emplace_back([&, i] {
      work(i);
      done.count_down();
    });
  done.wait();
}
#endif

// A spin on an atomic counter (tether-busy-wait's business), no cv.
void spin_wait(std::atomic<int> &left) {
  while (left.load() != 0)
    std::this_thread::yield();
  left.fetch_sub(0);
}
