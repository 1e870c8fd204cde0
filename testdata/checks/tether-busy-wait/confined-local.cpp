// A poll waits for another thread only if another thread can reach what it
// polls. A local that never leaves its function (no address taken, no
// reference bound, no lambda capture, not handed to a call by reference or
// pointer), of a type whose state only its holder changes (an atomic, a
// container, a concurrent queue), answers what this thread did: a loop on it
// waits for nobody. Once the local escapes, or when its type is a handle to
// shared state (a future) or a class of the user's, the loop is a wait again.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include <boost/lockfree/spsc_queue.hpp>
#include <oneapi/tbb/concurrent_queue.h>

struct Matrix {
  long v[2][2];
};
Matrix multiply(const Matrix &a, const Matrix &b);
void consume(int v);
void produce(tbb::concurrent_queue<int> &q);
void serve(std::atomic<bool> *ready);

// --- Negatives: locals this function alone reaches ---------------------------

// A serial algorithm that happens to use a concurrent queue: only this
// function pushes, so the try_pop succeeds as soon as it is asked.
long serial_queue_product(int n) {
  tbb::concurrent_queue<Matrix> q;
  for (int i = 1; i < n; i++)
    q.push(Matrix{{{1, 1}, {1, 0}}});
  Matrix a{}, b{};
  while (true) {
    while (!q.try_pop(a))
      std::this_thread::yield();
    if (q.empty())
      break;
    while (!q.try_pop(b))
      std::this_thread::yield();
    q.push(multiply(a, b));
  }
  return a.v[0][0];
}

// A local atomic used as a plain counter: nobody else can change it.
int count_down_local() {
  std::atomic<int> left{8};
  int rounds = 0;
  while (left.load() != 0) {
    left.fetch_sub(1);
    ++rounds;
  }
  return rounds;
}

// A single-producer queue this function fills and drains itself.
int drain_local_ring(const std::vector<int> &input) {
  boost::lockfree::spsc_queue<int, boost::lockfree::capacity<64>> ring;
  int sum = 0;
  for (int v : input) {
    ring.push(v);
    int out;
    while (!ring.pop(out))
      std::this_thread::yield();
    sum += out;
  }
  return sum;
}

// A plain struct of atomics, local and never handed anywhere.
struct Counters {
  std::atomic<int> started{0};
  std::atomic<int> finished{0};
};
int settle_local_counters(int n) {
  Counters c;
  for (int i = 0; i < n; ++i) {
    c.started.fetch_add(1);
    c.finished.fetch_add(1);
  }
  while (c.finished.load() != c.started.load()) {
  }
  return c.finished.load();
}

// --- Positives: the local escapes, or its state is shared by design ----------

// Captured by reference by the thread that fills it.
int wait_for_captured_queue() {
  tbb::concurrent_queue<int> q;
  std::thread producer([&] { q.push(42); });
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.try_pop' and only yields between attempts
  while (!q.try_pop(v))
    std::this_thread::yield();
  producer.join();
  return v;
}

// Handed to the thread with std::ref.
void wait_for_ref_flag() {
  std::atomic<bool> done{false};
  std::thread worker([](std::atomic<bool> &d) { d = true; }, std::ref(done));
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'done.load' without blocking, sleeping or backing off
  while (!done.load()) {
  }
  worker.join();
}

// Its address given to a thread.
void wait_for_address() {
  std::atomic<bool> ready{false};
  std::thread server(serve, &ready);
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'ready.load' without blocking, sleeping or backing off
  while (!ready.load(std::memory_order_acquire)) {
  }
  server.join();
}

// Passed by reference to a function that may keep it.
int wait_after_handing_on() {
  tbb::concurrent_queue<int> q;
  produce(q);
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.try_pop' without blocking, sleeping or backing off
  while (!q.try_pop(v)) {
  }
  return v;
}

// Bound to a reference that a lambda run on a thread captures.
void wait_through_alias() {
  std::atomic<int> stage{0};
  std::atomic<int> &alias = stage;
  std::thread t([&alias] { alias.store(1); });
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'stage.load' without blocking, sleeping or backing off
  while (stage.load() == 0) {
  }
  t.join();
}

// The loop runs in the lambda: the queue it polls is the enclosing
// function's, captured by reference and filled there.
void poll_inside_worker() {
  tbb::concurrent_queue<int> inbox;
  std::thread consumer([&inbox] {
    int v = 0;
    // CHECK: :[[@LINE+1]]:5: warning: loop polls 'inbox.try_pop' without blocking, sleeping or backing off
    while (!inbox.try_pop(v)) {
    }
    consume(v);
  });
  inbox.push(1);
  consumer.join();
}

// A future is a handle: the promise on the other thread shares its state.
int poll_local_future() {
  std::future<int> f = std::async(std::launch::async, [] { return 7; });
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'f.wait_for' without blocking, sleeping or backing off
  while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
  }
  return f.get();
}

// Every thread that could write the counter was joined before the loop:
// the loop reads a value nobody can change any more (a test's check that
// its writers finished). Joined after the loop, they are still running.
void writers_joined_first() {
  std::atomic<int> done(0);
  for (int i = 0; i != 4; ++i) {
    std::thread t([&] { done.fetch_add(1, std::memory_order_release); });
    t.join();
  }
  while (done.load(std::memory_order_acquire) != 4) {
  }
}

void writers_still_running() {
  std::atomic<int> done(0);
  std::thread t([&] { done.fetch_add(1, std::memory_order_release); });
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'done.load' without blocking
  while (done.load(std::memory_order_acquire) != 1) {
  }
  t.join();
}

void writer_joined_on_one_path(bool wait_first) {
  std::atomic<int> done(0);
  std::thread t([&] { done.fetch_add(1, std::memory_order_release); });
  if (wait_first)
    t.join();
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'done.load' without blocking
  while (done.load(std::memory_order_acquire) != 1) {
  }
  if (t.joinable())
    t.join();
}
