// An idle loop (an empty body, or one that only yields) whose condition asks
// a shared object's state: peek(), front(), size(), empty(), a try_...
// method, any const method. Only another thread can change the answer, so
// the loop spins until it does.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

// A ring buffer defined in another file: peek and size are declared only.
template <typename T> class Ring {
public:
  bool peek(T &out);
  std::size_t size();
  bool push(const T &v);
};

class Job {
public:
  bool finished() const { return state_.load() == 2; }
  void run();

private:
  std::atomic<int> state_{0};
};

// A queue whose readiness test blocks until the answer is known.
class Gate {
public:
  bool settled() const {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return open_; });
    return open_;
  }

private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool open_ = false;
};

void use(int);

void spin_on_peek(Ring<int> *ring) {
  int v = 0;
  // CHECK: :[[@LINE+2]]:3: warning: loop spins on 'ring.peek' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  // CHECK: :[[@LINE+1]]:{{[0-9]+}}: note: 'ring.peek' is asked again at full speed, and only another thread can change its answer
  while (!ring->peek(v)) {
  }
  use(v);
}

void spin_on_size(Ring<int> &ring) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'ring.size' and only yields between attempts
  while (ring.size() == 0)
    std::this_thread::yield();
}

void spin_on_const_method(const Job &job) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'job.finished' without blocking
  while (!job.finished()) {
  }
}

class Mailbox {
public:
  int take() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'items_.size' without blocking
    while (items_.size() == 0) {
    }
    std::lock_guard<std::mutex> lock(mu_);
    int v = items_.front();
    items_.pop_front();
    return v;
  }
  void wait_started() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'started' without blocking
    while (!started()) {
    }
  }

private:
  bool started() const { return started_.load(); }
  std::atomic<bool> started_{false};
  std::mutex mu_;
  std::deque<int> items_;
};

// --- What stays silent -----------------------------------------------------

// The body does the work the condition waits for.
void fill(std::vector<int> &v) {
  while (v.size() < 10)
    v.push_back(0);
}

// A scan: the increment moves on.
std::size_t skip_word(const std::string &s, std::size_t i) {
  for (; i < s.size() && s[i] != ' '; ++i) {
  }
  return i;
}

// The condition changes what it asks (a non-const, non-query call).
struct Lexer {
  bool skip_space();
};
void skip_all(Lexer &lex) {
  while (lex.skip_space()) {
  }
}

// A local container: no other thread can fill it.
void local_only() {
  std::deque<int> mine;
  mine.push_back(1);
  while (mine.size() == 0) {
  }
}

// The query blocks until the answer is known.
void wait_gate(const Gate &gate) {
  while (!gate.settled()) {
  }
}

// A map or a string is data, not a queue another thread fills.
void lookup(const std::map<int, int> &m) {
  while (m.count(1) == 0) {
  }
}

// The condition writes: it advances something.
void advance(Ring<int> &ring, int &n) {
  while (ring.size() > static_cast<std::size_t>(n++)) {
  }
}

// A pool local to the test, but its workers run on their own threads and a
// task captures it: its answer changes while the loop asks.
class WorkerPool {
public:
  explicit WorkerPool(std::size_t n);
  ~WorkerPool();
  std::size_t num_idle() const;
  void submit(std::function<void()> task);
};

void wait_until_all_idle(std::size_t n) {
  WorkerPool pool(n);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'pool.num_idle' and only yields between attempts: it burns a core whenever another runnable thread does not take it [tether-busy-wait]
  while (pool.num_idle() != n)
    std::this_thread::yield();
  pool.submit([&pool, n] {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop spins on 'pool.num_idle' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    while (pool.num_idle() != n - 1) {
    }
  });
}

// A scheduler's attempt to run one queued task, asked until it says no: a
// drain that ends when the queue is empty. Asked until it says yes, it is a
// spin.
class FifoScheduler {
public:
  bool try_run_one_task();
  void run_all_tasks() {
    while (try_run_one_task()) {
    }
  }
  void run_next_task() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop spins on 'try_run_one_task' without blocking, sleeping or backing off
    while (!try_run_one_task()) {
    }
  }
};

// The question may be asked in the body rather than the condition: a loop
// that only yields, besides leaving when a predicate of a shared object
// (is_..., has_...) says so, spins as `while (!rt.is_cancelled())
// yield();` does. The flag it sets on the way out does not move the loop.
class Runtime {
public:
  bool is_cancelled();
  bool has_pending() { return pending_.load() != 0; }

private:
  std::atomic<int> pending_{0};
};

void wait_for_cancel(Runtime &rt, std::atomic<bool> &cancelled) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'cancelled.load' and only yields between attempts
  while (!cancelled) {
    std::this_thread::yield();
    if (rt.is_cancelled()) {
      cancelled = true;
      break;
    }
  }
}

void wait_for_pending(Runtime &rt) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'rt.has_pending' without blocking, sleeping or backing off
  for (;;) {
    if (rt.has_pending())
      return;
  }
}

void wait_for_pending_quietly(Runtime &rt) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'rt.has_pending' without blocking, sleeping or backing off
  while (!rt.has_pending()) {
  }
}

// Not a spin: the loop works between its questions, or the question waits.
void run_until_cancelled(Runtime &rt, Job &job) {
  for (;;) {
    if (rt.is_cancelled())
      return;
    job.run();
  }
}

class Latch {
public:
  bool is_open() {
    std::unique_lock<std::mutex> lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
    return open_;
  }

private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

void pass(Latch &latch) {
  for (;;) {
    if (latch.is_open())
      break;
  }
}
