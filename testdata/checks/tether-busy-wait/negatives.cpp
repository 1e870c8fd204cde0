// Loops that poll but do not spin: they block, sleep or back off when the
// poll comes back empty, end when it does, or are bounded.
// RUN: %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | count 0
// RUN: %tether --checks='-*,tether-busy-wait' %s -- %libcxx | count 0

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <latch>
#include <mutex>
#include <optional>
#include <queue>
#include <thread>
#include <vector>
#include <poll.h>
#include <unistd.h>

using namespace std::chrono_literals;

template <typename T> class BlockingQueue {
public:
  bool try_pop(T &out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (items_.empty())
      return false;
    out = items_.front();
    items_.pop_front();
    return true;
  }
  T pop() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !items_.empty(); });
    T v = items_.front();
    items_.pop_front();
    return v;
  }
  void wait_nonempty() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !items_.empty(); });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
};

void record(int v);
void step();
bool poll_network(); // defined elsewhere: may block for all we know

// 1. Spin a bounded number of times, then block (spin-then-park).
void spin_then_park(std::atomic<bool> &ready, std::mutex &m,
                    std::condition_variable &cv) {
  for (int i = 0; i < 64; ++i) {
    if (ready.load(std::memory_order_acquire))
      return;
    std::this_thread::yield();
  }
  std::unique_lock<std::mutex> lock(m);
  cv.wait(lock, [&] { return ready.load(); });
}

// 2. The same with the counter checked inside the loop.
void spin_count_in_body(std::atomic<bool> &ready) {
  int spins = 0;
  while (!ready.load()) {
    if (++spins > 1000)
      break;
  }
  ready.wait(false);
}

// 3. Spin, and block once spinning has not helped.
void spin_or_wait(std::atomic<int> &state) {
  int spins = 0;
  while (state.load() == 0) {
    if (spins++ < 100)
      continue;
    state.wait(0); // C++20 atomic wait
  }
}

// 4. atomic::wait: the thread sleeps until the value changes.
void atomic_wait(std::atomic<bool> &ready) {
  while (!ready.load())
    ready.wait(false);
}

// 5. Poll, and block when the queue is empty.
void poll_then_block(BlockingQueue<int> &q, std::atomic<bool> &stop) {
  int v = 0;
  while (!stop) {
    if (q.try_pop(v)) {
      record(v);
      continue;
    }
    q.wait_nonempty(); // visible body: it waits on a condition variable
  }
}

// 6. Drain until empty: the loop ends when the poll fails.
void drain(BlockingQueue<int> &q) {
  int v = 0;
  while (q.try_pop(v))
    record(v);
}

// 7. Drain with an early exit.
int drain_until_empty(BlockingQueue<int> &q) {
  int sum = 0;
  for (;;) {
    int v = 0;
    if (!q.try_pop(v))
      break;
    sum += v;
  }
  return sum;
}

// 8. Exponential backoff between attempts.
void backoff_lock(std::mutex &m) {
  auto delay = 1us;
  while (!m.try_lock()) {
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
  m.unlock();
}

// 9. Pause with a growing spin count, then yield: a hand-written backoff.
void growing_pause(std::atomic_flag &flag) {
  int limit = 1;
  while (flag.test_and_set(std::memory_order_acquire)) {
    for (int i = 0; i < limit; ++i)
      std::this_thread::yield();
    limit = limit * 2;
  }
}

// 10. Poll, then real blocking I/O with a timeout.
void event_loop(int fd, std::atomic<bool> &stop, BlockingQueue<int> &q) {
  pollfd p{fd, POLLIN, 0};
  int v = 0;
  while (!stop) {
    while (q.try_pop(v))
      record(v);
    ::poll(&p, 1, 100);
  }
}

// 11. A compare-exchange retry loop: not waiting for anyone.
void lock_free_max(std::atomic<int> &max, int value) {
  int seen = max.load();
  while (seen < value && !max.compare_exchange_weak(seen, value)) {
  }
}

void lock_free_increment(std::atomic<long> &counter) {
  long old = 0;
  do {
    old = counter.load(std::memory_order_relaxed);
  } while (!counter.compare_exchange_weak(old, old + 1));
}

// 12. A work loop guarded by a stop flag: the flag is not a poll.
void work_loop(std::atomic<bool> &running) {
  while (running.load())
    step();
}

// 13. future::wait_for with a real timeout.
int wait_with_timeout(std::future<int> &f) {
  while (f.wait_for(50ms) != std::future_status::ready)
    record(-1);
  return f.get();
}

// 14. A deadline bounds the spin.
bool spin_until_deadline(std::atomic<bool> &ready) {
  auto deadline = std::chrono::steady_clock::now() + 200us;
  while (!ready.load() && std::chrono::steady_clock::now() < deadline) {
  }
  return ready.load();
}

// 15. Polling with a callback whose body cannot be seen on the empty path.
void poll_with_opaque_idle(BlockingQueue<int> &q, std::atomic<bool> &stop,
                           const std::function<void()> &idle) {
  int v = 0;
  while (!stop) {
    if (q.try_pop(v))
      record(v);
    else
      idle();
  }
}

// 16. A local container drained in a loop is no one else's business.
int local_work(std::vector<int> items) {
  std::queue<int> pending;
  for (int i : items)
    pending.push(i);
  int sum = 0;
  while (!pending.empty()) {
    sum += pending.front();
    pending.pop();
  }
  return sum;
}

// 17. try_lock, and a blocking lock when it fails.
void try_then_lock(std::mutex &m, std::atomic<bool> &stop) {
  while (!stop) {
    if (!m.try_lock()) {
      m.lock();
    }
    step();
    m.unlock();
  }
}

// 18. A producer's counted retry: bounded.
bool push_with_retries(BlockingQueue<int> &q, std::atomic<int> &slots) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    int free = slots.load();
    if (free > 0)
      return true;
  }
  (void)q;
  return false;
}

// 19. A condition variable wait inside the loop.
void cv_loop(std::mutex &m, std::condition_variable &cv, std::deque<int> &q,
             std::atomic<bool> &stop) {
  while (!stop) {
    std::unique_lock<std::mutex> lock(m);
    cv.wait_for(lock, 10ms, [&] { return !q.empty(); });
    if (!q.empty()) {
      record(q.front());
      q.pop_front();
    }
  }
}

// 20. The loop polls a latch, then blocks on it.
void latch_poll(std::latch &done) {
  while (!done.try_wait())
    done.wait();
}

// 21. Blocking read after an empty poll.
void read_loop(int fd, BlockingQueue<int> &q) {
  char buf[64];
  int v = 0;
  for (;;) {
    if (q.try_pop(v)) {
      record(v);
      continue;
    }
    if (::read(fd, buf, sizeof buf) <= 0)
      return;
  }
}

// 22. A range-for over queues is bounded by the range.
void sweep(std::vector<BlockingQueue<int>> &queues) {
  int v = 0;
  for (auto &q : queues)
    if (q.try_pop(v))
      record(v);
}

// 23. A call to a function defined elsewhere on the empty path.
void poll_network_loop(BlockingQueue<int> &q, std::atomic<bool> &stop) {
  int v = 0;
  while (!stop) {
    if (q.try_pop(v))
      record(v);
    else if (!poll_network())
      return;
  }
}

// 24. Waiting in the loop via a helper that sleeps.
void nap() { std::this_thread::sleep_for(1ms); }
void helper_sleeps(std::atomic<bool> &ready) {
  while (!ready)
    nap();
}

// --- Regressions from real code ----------------------------------------------

struct Node {
  Node *next = nullptr;
  std::deque<int> *queue = nullptr;
  int undelivered = 0;
};

// 25. Walking a list: the loop advances what its condition tests.
void count_empty(Node *head) {
  Node *n = head;
  while (n) {
    if (n->queue->empty())
      ++n->undelivered;
    n = n->next;
  }
}

bool all_empty(Node *first) {
  for (Node *p = first; p; p = p->next)
    if (!p->queue->empty())
      return false;
  return true;
}

// 26. A member of a local object is the loop's own data.
struct Message {
  std::deque<int> data;
};
int parse_lines(const std::vector<int> &input) {
  Message msg;
  size_t pos = 0;
  int events = 0;
  while ((pos = static_cast<size_t>(input.at(pos))) != 0) {
    if (!msg.data.empty())
      ++events;
  }
  return events;
}

// 27. A retry on EINTR is not a wait for another thread.
#include <cerrno>
#include <semaphore.h>
bool try_wait(sem_t *sema) {
  int rc;
  do {
    rc = sem_trywait(sema);
  } while (rc == -1 && errno == EINTR);
  return rc == 0;
}

// 28. A semaphore reserved the item: the poll after it succeeds soon.
template <typename Sema, typename Queue> struct Blocking {
  Sema sema;
  Queue inner;
  template <typename U> bool try_dequeue(U &item) {
    if (sema.tryWait()) {
      while (!inner.try_dequeue(item)) {
        continue;
      }
      return true;
    }
    return false;
  }
  template <typename U> void wait_dequeue(U &item) {
    while (!sema.wait()) {
      continue;
    }
    while (!inner.try_dequeue(item)) {
      continue;
    }
  }
};

// 29. A worklist drained from a local object, testing a member string.
#include <stack>
#include <string>
struct Dumper {
  std::stack<int> stack;
};
class Graph {
public:
  int dump() const {
    Dumper d;
    d.stack.push(1);
    int lines = 0;
    while (!d.stack.empty()) {
      d.stack.pop();
      if (name_.empty())
        ++lines;
    }
    return lines;
  }

private:
  std::string name_;
};

// 26. A lock-free allocator's destructor frees its chain of storage blocks,
// reading each link with an atomic load: every round reads another node.
struct StorageNode {
  std::atomic<StorageNode *> next{nullptr};
};
class BlockChain {
public:
  ~BlockChain() {
    StorageNode *tail = tail_.load(std::memory_order_relaxed);
    StorageNode *next = tail->next.load(std::memory_order_relaxed);
    while (next != nullptr) {
      tail = next;
      next = next->next.load(std::memory_order_relaxed);
      delete tail;
    }
  }

private:
  std::atomic<StorageNode *> tail_{nullptr};
};
