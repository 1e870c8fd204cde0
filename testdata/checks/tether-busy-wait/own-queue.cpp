// A project's own lock-free queue or ring: a method whose name moves an item
// (push, pop, steal, dequeue, ...), whose result says whether it worked (a
// bool, a pointer, an optional, a count) and whose body never waits returns
// at once when there is nothing to move. A loop that retries it without a
// pause is a poll, like one on try_pop. A method that blocks inside, a drain
// that ends on the first empty result, and a queue only this function
// reaches are not.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

// A single-producer single-consumer ring, the way lock-free libraries write
// it: push says false when full, pop hands back an empty optional (or a null
// pointer, for pointer elements) when empty.
template <typename T, std::size_t N> class SpscRing {
public:
  bool push(const T &v) noexcept {
    std::size_t t = tail_.load(std::memory_order_relaxed);
    if (t - head_.load(std::memory_order_acquire) == N)
      return false;
    slots_[t % N] = v;
    tail_.store(t + 1, std::memory_order_release);
    return true;
  }
  void drop_oldest() noexcept {
    head_.fetch_add(1, std::memory_order_acq_rel);
  }
  std::optional<T> pop() noexcept {
    std::size_t h = head_.load(std::memory_order_relaxed);
    if (h == tail_.load(std::memory_order_acquire))
      return std::nullopt;
    T v = slots_[h % N];
    head_.store(h + 1, std::memory_order_release);
    return v;
  }

private:
  std::array<T, N> slots_{};
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
};

// A work-stealing deque: the owner pops, thieves steal, both hand back a
// null pointer when there is nothing.
template <typename T> class StealingDeque {
public:
  T *pop() noexcept {
    std::size_t b = bottom_.load(std::memory_order_relaxed);
    if (b == top_.load(std::memory_order_acquire))
      return nullptr;
    bottom_.store(b - 1, std::memory_order_relaxed);
    return items_[(b - 1) % 256];
  }
  T *steal() noexcept {
    std::size_t t = top_.load(std::memory_order_acquire);
    if (t == bottom_.load(std::memory_order_acquire))
      return nullptr;
    T *item = items_[t % 256];
    if (!top_.compare_exchange_strong(t, t + 1))
      return nullptr;
    return item;
  }
  std::size_t try_bulk_push(T **first, std::size_t n) noexcept {
    std::size_t b = bottom_.load(std::memory_order_relaxed);
    std::size_t room = 256 - (b - top_.load(std::memory_order_acquire));
    std::size_t k = n < room ? n : room;
    for (std::size_t i = 0; i < k; ++i)
      items_[(b + i) % 256] = first[i];
    bottom_.store(b + k, std::memory_order_release);
    return k;
  }

private:
  std::array<T *, 256> items_{};
  std::atomic<std::size_t> top_{0}, bottom_{0};
};

// A queue whose pop waits on a condition variable: it blocks, it does not
// poll.
template <typename T> class BlockingQueue {
public:
  std::optional<T> pop() {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty())
      return std::nullopt;
    T v = items_.front();
    items_.pop_front();
    return v;
  }
  void push(T v) {
    {
      std::lock_guard<std::mutex> lock(m_);
      items_.push_back(v);
    }
    cv_.notify_one();
  }

private:
  std::mutex m_;
  std::condition_variable cv_;
  std::deque<T> items_;
  bool closed_ = false;
};

void record(int);
void run(int *);

// --- Positives -------------------------------------------------------------

void pipeline(SpscRing<int, 1024> &ring, int n) {
  std::thread producer([&] {
    for (int i = 0; i < n; ++i) {
      // CHECK-DAG: :[[@LINE+1]]:7: warning: loop polls 'ring.push' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
      while (!ring.push(i)) {
      }
    }
  });
  std::thread consumer([&] {
    int got = 0;
    // The count grows only when pop got something: progress, not a bound.
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop polls 'ring.pop' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    while (got < n) {
      if (auto v = ring.pop()) {
        record(*v);
        ++got;
      }
    }
  });
  producer.join();
  consumer.join();
}

void thieves(StealingDeque<int> &deque, std::atomic<std::size_t> &consumed,
             std::size_t total) {
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      // CHECK-DAG: :[[@LINE+1]]:7: warning: loop polls 'deque.steal' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
      while (consumed != total) {
        int *item = deque.steal();
        if (item != nullptr) {
          run(item);
          consumed.fetch_add(1, std::memory_order_relaxed);
        }
      }
    });
  for (std::thread &t : workers)
    t.join();
}

void fill(StealingDeque<int> &deque, int **items, std::size_t n) {
  std::size_t pushed = 0;
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop polls 'deque.try_bulk_push' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  while (pushed < n)
    pushed += deque.try_bulk_push(items + pushed, n - pushed);
}

// --- Negatives -------------------------------------------------------------

// pop() blocks on its condition variable.
void serve(BlockingQueue<int> &q) {
  for (;;) {
    std::optional<int> v = q.pop();
    if (!v)
      break;
    record(*v);
  }
}

void serve_all(BlockingQueue<int> &q, int n) {
  int got = 0;
  while (got < n)
    if (auto v = q.pop()) {
      record(*v);
      ++got;
    }
}

// A drain: the loop ends on the first empty result.
void drain(StealingDeque<int> &deque) {
  while (int *item = deque.pop())
    run(item);
}

void drain_ring(SpscRing<int, 1024> &ring) {
  for (;;) {
    auto v = ring.pop();
    if (v == std::nullopt)
      return;
    record(*v);
  }
}

// The same drain with the success way going round again: what follows the
// if runs only when the pop came back empty, and it leaves.
class FramePool {
public:
  ~FramePool() {
    while (true) {
      if (auto frame = free_.pop()) {
        ::operator delete(*frame);
        continue;
      }
      break;
    }
  }

private:
  SpscRing<void *, 256> free_;
};

// Without the break the empty way goes round again: it spins.
void wait_for_frame(SpscRing<int, 1024> &ring) {
  while (true) {
    // CHECK: :[[@LINE-1]]:3: warning: loop polls 'ring.pop' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    if (auto v = ring.pop()) {
      record(*v);
      continue;
    }
  }
}

// A ring only this function fills: a pop that fails means it is empty for
// good, and the loop ends on that.
int sum_local(int n) {
  SpscRing<int, 64> ring;
  for (int i = 0; i < n && ring.push(i); ++i) {
  }
  int sum = 0;
  while (auto v = ring.pop())
    sum += *v;
  return sum;
}

// A retry that backs off between attempts.
void polite_push(SpscRing<int, 1024> &ring, int v) {
  while (!ring.push(v))
    std::this_thread::sleep_for(std::chrono::microseconds(50));
}

// When the push fails the loop makes the room itself: it waits for nobody.
void log_latest(SpscRing<int, 1024> &ring, int v) {
  while (!ring.push(v))
    ring.drop_oldest();
}

// A range job split in halves until each part is small: split() shrinks the
// job the condition measures (renting the new half from a ring of spares on
// the way, a poll of its own), so the loop makes its own progress.
struct Range {
  std::size_t begin, end, batch;
};

class RangeJob {
public:
  std::size_t size() const { return range_.end - range_.begin; }
  std::size_t batch() const { return range_.batch; }
  RangeJob *split(std::size_t at) {
    Range right = range_;
    range_.end = range_.begin + at;
    right.begin = range_.begin + at;
    return create(right);
  }
  static RangeJob *create(Range r) {
    RangeJob *job = nullptr;
    if (auto spare = spares.pop())
      job = *spare;
    else
      job = new RangeJob;
    job->range_ = r;
    return job;
  }
  static SpscRing<RangeJob *, 64> spares;

private:
  Range range_{};
};

class RangeWorker {
public:
  void push(RangeJob *job) {
    if (local_.push(job))
      return;
    overflow_.push(job);
  }
  RangeJob *chunk(RangeJob *job) {
    while (job->size() > job->batch()) {
      RangeJob *right = job->split(job->size() / 2);
      push(right);
    }
    return job;
  }

private:
  SpscRing<RangeJob *, 256> local_, overflow_;
};
