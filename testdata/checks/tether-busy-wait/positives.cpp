// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <barrier>
#include <chrono>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

// A small queue of this project: try_pop never waits.
template <typename T> class MpscQueue {
public:
  bool try_pop(T &out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.empty())
      return false;
    out = items_.front();
    items_.pop_front();
    return true;
  }
  std::optional<T> try_pop() {
    T out;
    if (!try_pop(out))
      return std::nullopt;
    return out;
  }
  void push(T v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v);
  }

private:
  std::mutex mu_;
  std::deque<T> items_;
};

struct Job {
  int id = 0;
};
void handle(const Job &job);
void record(int id);

// --- A worker that polls its queue -----------------------------------------

class Worker {
public:
  void run() {
    // CHECK: :[[@LINE+1]]:5: warning: loop polls 'jobs_.try_pop' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    while (running_.load()) {
      Job job;
      // CHECK: :[[@LINE+1]]:17: note: 'jobs_.try_pop' returns at once when there is nothing to take, and the loop retries immediately
      if (jobs_.try_pop(job))
        handle(job);
    }
    // CHECK: :[[@LINE-6]]:5: note: block when the poll comes back empty (a blocking pop or receive, a condition variable wait, a receive with a timeout), or spin a bounded number of times first
  }

  void run_continue() {
    // CHECK: :[[@LINE+1]]:5: warning: loop polls 'jobs_.try_pop' without blocking
    while (running_) {
      Job job;
      if (!jobs_.try_pop(job))
        continue;
      handle(job); // runs only when a job was taken
    }
  }

  void run_optional() {
    // CHECK: :[[@LINE+1]]:5: warning: loop polls 'jobs_.try_pop' without blocking
    for (;;) {
      if (auto job = jobs_.try_pop())
        handle(*job);
      if (!running_)
        return;
    }
  }

private:
  std::atomic<bool> running_{true};
  MpscQueue<Job> jobs_;
};

// --- Flags -----------------------------------------------------------------

void wait_ready(const std::atomic<bool> &ready) {
  // CHECK: :[[@LINE+2]]:3: warning: loop spins on 'ready.load' without blocking, sleeping or backing off: it burns a core while it waits
  // CHECK: :[[@LINE+1]]:17: note: 'ready.load' is re-read at full speed until another thread changes it
  while (!ready.load(std::memory_order_acquire)) {
  }
  // CHECK: :[[@LINE-2]]:3: note: let the waiting thread sleep until the value changes: atomic::wait (C++20), a condition variable, a std::latch or a future
}

void wait_ready_implicit(std::atomic<bool> &ready) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'ready.load' without blocking
  while (!ready)
    ;
}

void wait_flag_in_body(std::atomic<int> &state) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'state.load' without blocking
  for (;;) {
    if (state.load() == 2)
      break;
  }
}

void yield_spin(std::atomic<bool> &done) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'done.load' and only yields between attempts: it burns a core whenever another runnable thread does not take it
  while (!done.load())
    std::this_thread::yield();
}

struct SpinLock {
  void lock() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'flag_.test_and_set' without blocking
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

// --- Locks, futures, condition variables -----------------------------------

void try_lock_spin(std::mutex &m, int &counter) {
  // CHECK: :[[@LINE+2]]:3: warning: loop polls 'm.try_lock' without blocking
  // CHECK: :[[@LINE+1]]:13: note: 'm.try_lock' fails at once while another thread holds the lock, and the loop retries immediately
  while (!m.try_lock()) {
  }
  // CHECK: :[[@LINE-2]]:3: note: take the lock with a blocking lock(), or spin a bounded number of times and then block
  ++counter;
  m.unlock();
}

int future_poll(std::future<int> &result) {
  int polls = 0;
  // CHECK: :[[@LINE+2]]:3: warning: loop polls 'result.wait_for' without blocking
  // CHECK: :[[@LINE+1]]:17: note: 'result.wait_for' with a zero (or sub-millisecond) timeout returns at once, and the loop retries immediately
  while (result.wait_for(0s) != std::future_status::ready)
    polls = polls + 1;
  // CHECK: :[[@LINE-2]]:3: note: block in the wait (get(), wait(), or a real timeout) instead of polling it
  return result.get() + polls;
}

bool cv_zero_wait(std::condition_variable &cv, std::mutex &m, bool &ready) {
  std::unique_lock<std::mutex> lock(m);
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'cv.wait_for' without blocking
  do {
    if (ready)
      return true;
  } while (cv.wait_for(lock, std::chrono::milliseconds::zero()) ==
           std::cv_status::timeout);
  return false;
}

// --- A shared std::queue checked for emptiness -------------------------------

class Mailbox {
public:
  void drain_forever() {
    // CHECK: :[[@LINE+2]]:5: warning: loop spins on 'inbox_.empty' without blocking
    // CHECK: :[[@LINE+3]]:19: note: 'inbox_.empty' is re-checked at full speed until another thread adds work
    while (!stopped_) {
      std::lock_guard<std::mutex> lock(mu_);
      if (!inbox_.empty()) {
        record(inbox_.front());
        inbox_.pop();
      }
    }
    // CHECK: :[[@LINE-7]]:5: note: wait on a condition variable the producer notifies, or use a queue whose pop blocks
  }

private:
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::queue<int> inbox_;
};

// --- Inside lambdas and templates ------------------------------------------

void lambda_worker(MpscQueue<int> &q, std::atomic<bool> &stop) {
  std::thread t([&] {
    int v = 0;
    // CHECK: :[[@LINE+1]]:5: warning: loop polls 'q.try_pop' without blocking
    while (!stop) {
      if (q.try_pop(v))
        record(v);
    }
  });
  t.join();
}

template <typename Queue> void generic_drain(Queue &q) {
  typename Queue::value_type v{};
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.try_pop' without blocking
  while (!q.try_pop(v)) {
  }
  record(static_cast<int>(v.id));
}

template <typename Queue> struct Consumer {
  Queue q;
  using value_type = Job;
  void once() { generic_drain(*this); }
  bool try_pop(Job &j) { return q.try_pop(j); }
};
template struct Consumer<MpscQueue<Job>>;

// Nested: the inner drain ends when the queue is empty, the outer loop
// comes straight back.
void nested_drain(MpscQueue<int> &q, std::atomic<bool> &stop) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.try_pop' without blocking
  while (!stop.load()) {
    while (q.try_pop(v))
      record(v);
  }
}

// A microsecond timeout is below the timer slack: the wait returns at once.
int first_ready(std::future<int> &a, std::future<int> &b) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop polls 'a.wait_for' without blocking, sleeping or backing off
  for (;;) {
    if (a.wait_for(std::chrono::microseconds(1)) == std::future_status::ready)
      return a.get();
    if (b.wait_for(std::chrono::microseconds(1)) == std::future_status::ready)
      return b.get();
  }
}

// A stress test's consumer: every thread meets at a start barrier, then the
// consumer polls the queue. The barrier waits for a phase; it reserves no
// item, so the loop after it spins while the queue is empty.
void consume_after_start(std::barrier<> &start, MpscQueue<int> &queue,
                         std::atomic<int> &received) {
  start.arrive_and_wait();
  int value = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'queue.try_pop'
  while (received.load() < 1000) {
    if (queue.try_pop(value))
      received.fetch_add(1);
  }
}

// A queue's consumer waiting for a producer to link the next node: it reads
// the same node's link each round, not a walk along the chain.
struct LinkNode {
  std::atomic<LinkNode *> next{nullptr};
};
LinkNode *wait_for_link(LinkNode *tail) {
  LinkNode *next = nullptr;
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'next.load' and only yields
  while (next == nullptr) {
    next = tail->next.load(std::memory_order_acquire);
    std::this_thread::yield();
  }
  return next;
}
