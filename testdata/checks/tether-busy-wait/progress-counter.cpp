// A counter or flag that changes only when a poll succeeds counts the work
// done; it does not bound how long the loop spins while the queue is empty.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

template <typename T> class WorkQueue {
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

private:
  std::mutex mu_;
  std::deque<T> items_;
};

struct Result {
  int value = 0;
  bool last = false;
};

void consume(int v);

// Waits for n results: 'received' grows only when one arrives.
void gather(WorkQueue<int> &results, int n) {
  int received = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'results.try_pop' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  while (received < n) {
    int v = 0;
    if (results.try_pop(v)) {
      consume(v);
      ++received;
    }
  }
}

// The same with a for loop and an optional.
void gather_for(WorkQueue<int> &results, int n) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'results.try_pop' without blocking
  for (int got = 0; got < n;) {
    if (auto v = results.try_pop()) {
      consume(*v);
      got += 1;
    }
  }
}

// A flag set only by the item that says it is the last.
void until_last(WorkQueue<Result> &results) {
  bool done = false;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'results.try_pop' without blocking
  while (!done) {
    Result r;
    if (!results.try_pop(r))
      continue;
    consume(r.value);
    if (r.last)
      done = true;
  }
}

// The count grows by what the poll got, written on every round: nothing is
// added while the queue is empty.
void gather_counted(WorkQueue<int> &results, int n) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'results.try_pop' without blocking
  for (int i = 0; i != n;)
    i += results.try_pop(v) ? 1 : 0;
}

// A bulk dequeue returns how many items it moved: 0 when empty.
struct BulkQueue {
  std::size_t try_dequeue_bulk(int *items, std::size_t max);
};
void drain_bulk(BulkQueue &q, std::size_t expected) {
  int items[16];
  std::size_t total = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.try_dequeue_bulk' without blocking
  while (total < expected)
    total += q.try_dequeue_bulk(items, 16);
}

// The same, with the count kept in a local first (a benchmark's consumer).
void drain_bulk_counted(BulkQueue &q, std::size_t expected, std::size_t &ops) {
  int items[16];
  std::size_t total = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.try_dequeue_bulk' without blocking
  while (total < expected) {
    auto got = q.try_dequeue_bulk(items, 16);
    total += got;
    ops += got + (got == 16 ? 0 : 1);
  }
}

// --- What stays silent -----------------------------------------------------

// Counts every round, whatever the poll got: a bounded spin.
void counts_rounds(WorkQueue<int> &q, int n) {
  int v = 0;
  for (int i = 0; i != n;)
    i += q.try_pop(v) ? 1 : 1;
}


// Counts attempts, not results: a bounded spin.
bool bounded_attempts(WorkQueue<int> &q, int &out) {
  int attempts = 0;
  while (attempts < 100) {
    if (q.try_pop(out))
      return true;
    ++attempts;
  }
  return false;
}

// Counts the misses and gives up after enough of them.
void gives_up(WorkQueue<int> &q) {
  int received = 0, misses = 0;
  while (received < 10) {
    int v = 0;
    if (q.try_pop(v)) {
      consume(v);
      ++received;
    } else if (++misses > 1000) {
      break;
    }
  }
}

// A count-down that ticks every round.
bool count_down(WorkQueue<int> &q, int &out, int n) {
  while (--n > 0)
    if (q.try_pop(out))
      return true;
  return false;
}

// Progress counted, and the empty path sleeps.
void gather_sleeping(WorkQueue<int> &results, int n) {
  int received = 0;
  while (received < n) {
    int v = 0;
    if (results.try_pop(v)) {
      consume(v);
      ++received;
      continue;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}
