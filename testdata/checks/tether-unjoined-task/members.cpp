// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

void drain_queue();

// --- Positives -------------------------------------------------------------

class Poller {
public:
  Poller() : thread_(drain_queue) {}

private:
  // CHECK: :[[@LINE+2]]:15: warning: thread member 'thread_' is never joined by the destructor of 'Poller': destroying a running 'Poller' calls std::terminate [tether-unjoined-task]
  // CHECK: :[[@LINE-6]]:7: note: 'Poller' has an implicit destructor; join the thread in a destructor (or make it a std::jthread)
  std::thread thread_;
};

class Flusher {
public:
  Flusher() : worker_([this] { run(); }) {}
  ~Flusher() { running_ = false; }

private:
  void run() {
    while (running_)
      drain_queue();
  }
  std::atomic<bool> running_{true};
  // CHECK: :[[@LINE+2]]:15: warning: thread member 'worker_' is never joined by the destructor of 'Flusher'
  // CHECK: :[[@LINE-9]]:3: note: destructor of 'Flusher' defined here
  std::thread worker_;
};

class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back(drain_queue);
  }
  ~Pool() { stopping_ = true; }

private:
  std::atomic<bool> stopping_{false};
  // CHECK: :[[@LINE+1]]:28: warning: threads in member 'workers_' are never joined by the destructor of 'Pool'
  std::vector<std::thread> workers_;
};

class FixedPool {
public:
  void start() {
    for (auto &t : threads_)
      t = std::thread(drain_queue);
  }

private:
  // CHECK: :[[@LINE+1]]:15: warning: threads in member 'threads_' are never joined
  std::thread threads_[4];
};

class LazyWorker {
public:
  void start() { worker_ = std::make_unique<std::thread>(drain_queue); }

private:
  // CHECK: :[[@LINE+1]]:32: warning: thread member 'worker_' is never joined
  std::unique_ptr<std::thread> worker_;
};

// A stop() that joins exists, but the destructor does not call it: a caller
// who forgets stop() gets std::terminate. The fix-it makes the member a
// std::jthread, whose destructor joins.
class Heartbeat {
public:
  Heartbeat() : beat_(drain_queue) {}
  void stop() {
    if (beat_.joinable())
      beat_.join();
  }

private:
  // CHECK: :[[@LINE+1]]:15: warning: thread member 'beat_' is never joined
  std::thread beat_;
};

template <typename Task> class Executor {
public:
  explicit Executor(Task t) : thread_(std::move(t)) {}

private:
  // CHECK: :[[@LINE+1]]:15: warning: thread member 'thread_' is never joined by the destructor of 'Executor'
  std::thread thread_;
};
Executor<void (*)()> executor_instance(drain_queue);

// --- Negatives -------------------------------------------------------------

// A class template whose destructor joins: the destructor is found in the
// template itself, not only in its instantiations.
template <typename Job, int Workers> class JoiningPool {
public:
  explicit JoiningPool(Job job) {
    for (int i = 0; i < Workers; ++i)
      threads_.emplace_back([job] { job(); });
  }
  ~JoiningPool() {
    for (auto &t : threads_)
      if (t.joinable())
        t.join();
  }

private:
  std::vector<std::thread> threads_;
};
JoiningPool<void (*)(), 2> joining_pool_instance(drain_queue);

// A class template whose destructor calls its own close(), which joins: in
// the template, that call is not resolved to a member call until the class
// is instantiated.
template <typename R = void, typename... Args> class ClosingPool {
public:
  explicit ClosingPool(std::size_t workers) {
    for (std::size_t i = 0; i < workers; ++i)
      threads_.emplace_back([this] { serve(); });
  }
  ~ClosingPool() { close(); }

  void close() {
    for (auto &t : threads_)
      if (t.joinable())
        t.join();
    threads_.clear();
  }

private:
  void serve() {}
  std::vector<std::thread> threads_;
};
ClosingPool<> closing_pool_instance(2);

template <typename Job> struct JoiningWorker {
  explicit JoiningWorker(Job job) : thread_(job) {}
  ~JoiningWorker();
  std::thread thread_;
};
template <typename Job> JoiningWorker<Job>::~JoiningWorker() { thread_.join(); }

class Joins {
public:
  Joins() : t_(drain_queue) {}
  ~Joins() { t_.join(); }

private:
  std::thread t_;
};

class JoinsIfJoinable {
public:
  ~JoinsIfJoinable() {
    if (t_.joinable())
      t_.join();
  }

private:
  std::thread t_;
};

class StopsThroughStop {
public:
  ~StopsThroughStop() { stop(); }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(m_);
      done_ = true;
    }
    cv_.notify_all();
    shutdown();
  }

private:
  void shutdown() {
    if (worker_.joinable())
      worker_.join();
  }
  std::mutex m_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread worker_;
};

class JoinsAllWorkers {
public:
  ~JoinsAllWorkers() {
    for (auto &w : workers_)
      if (w.joinable())
        w.join();
  }

private:
  std::vector<std::thread> workers_;
};

class JoinsWithAlgorithm {
public:
  ~JoinsWithAlgorithm() {
    std::for_each(workers_.begin(), workers_.end(),
                  [](std::thread &t) { t.join(); });
  }

private:
  std::vector<std::thread> workers_;
};

class StopDefinedElsewhere {
public:
  ~StopDefinedElsewhere() { stop(); } // stop() lives in another file
  void stop();

private:
  std::thread t_;
};

class JthreadMember {
  std::jthread t_{drain_queue};
};

// A plain aggregate: whoever holds it owns (and joins) the thread.
struct WorkerSlot {
  std::thread thread;
  std::atomic<bool> busy{false};
};

class ReleasesToCaller {
public:
  ~ReleasesToCaller() { hand_off(std::move(t_)); }

private:
  static void hand_off(std::thread t) { t.join(); }
  std::thread t_;
};

class UniquePtrJoined {
public:
  ~UniquePtrJoined() {
    if (t_)
      t_->join();
  }

private:
  std::unique_ptr<std::thread> t_;
};

class ArrayJoined {
public:
  ~ArrayJoined() {
    for (std::thread &t : ts_)
      t.join();
  }

private:
  std::array<std::thread, 2> ts_;
};

// Capturing a thread in a lambda makes the closure own it; not a class here.
void closure_owns(std::thread t) {
  auto joiner = [t = std::move(t)]() mutable { t.join(); };
  joiner();
}

// A framework hook that always runs before destruction joins the thread:
// a test fixture's TearDown, an execution context's shutdown().
namespace testing {
class Test {
public:
  virtual ~Test() = default;
  void Run() {
    SetUp();
    TestBody();
    TearDown();
  }

protected:
  virtual void SetUp() {}
  virtual void TearDown() {}
  virtual void TestBody() = 0;
};
} // namespace testing

class ServerFixture : public testing::Test {
protected:
  void SetUp() override { server_ = std::thread(drain_queue); }
  void TearDown() override { server_.join(); }
  std::thread server_;
};

struct ExecutionContext {
  struct Service {
    virtual ~Service() = default;
    virtual void shutdown() = 0;
  };
};
class ThreadBag : public ExecutionContext::Service {
  void shutdown() override {
    for (auto &t : threads_)
      t.join();
  }
  std::vector<std::thread> threads_;
};

// A slot whose friend (the pool) starts and joins the thread.
class WorkerSlotOfPool {
  friend class SlotPool;
  std::thread thread_;
};
class SlotPool {
public:
  explicit SlotPool(int n) : slots_(n) {
    for (auto &s : slots_)
      s.thread_ = std::thread(drain_queue);
  }
  ~SlotPool() {
    for (auto &s : slots_)
      if (s.thread_.joinable())
        s.thread_.join();
  }

private:
  std::vector<WorkerSlotOfPool> slots_;
};

// A nested worker the class befriends is part of the class: the class owns
// the threads, and its defaulted destructor never joins them.
class NestedWorkerPool {
public:
  explicit NestedWorkerPool(int n) {
    for (int i = 0; i < n; ++i)
      threads_.emplace_back(Worker{*this});
  }
  ~NestedWorkerPool() = default;
  void shutdown() {
    for (auto &t : threads_)
      t.join();
  }

private:
  struct Worker {
    NestedWorkerPool &pool;
    void operator()() { drain_queue(); }
  };
  friend struct Worker;
  // CHECK: :[[@LINE+1]]:28: warning: threads in member 'threads_' are never joined by the destructor of 'NestedWorkerPool'
  std::vector<std::thread> threads_;
};

// A pool made a singleton by befriending its CRTP base, so that the base can
// call the private constructor: the base builds the pool, it joins nothing.
// Only stop() joins the threads, and the empty destructor does not call it.
template <typename T> class Singleton {
public:
  static T &instance() {
    static T only;
    return only;
  }
};
class ContextPool : public Singleton<ContextPool> {
  friend class Singleton<ContextPool>;

public:
  ~ContextPool() {}
  void stop() {
    for (auto &t : threads_)
      t.join();
  }

private:
  ContextPool() {
    for (int i = 0; i < 4; ++i)
      threads_.emplace_back(drain_queue);
  }
  // CHECK: :[[@LINE+1]]:28: warning: threads in member 'threads_' are never joined by the destructor of 'ContextPool'
  std::vector<std::thread> threads_;
};

// An event loop that runs in its caller's thread: the thread member was
// declared for a background mode nobody wrote, and nothing gives it a
// thread, so it is never joinable when the loop is destroyed. Silent.
class CallerThreadLoop {
public:
  int exec() {
    while (!quit_)
      quit_ = true;
    return 0;
  }
  bool background() const { return loop_thread_.joinable(); }

private:
  bool quit_ = false;
  std::thread loop_thread_;
};

// The same member given a thread by start(): reported.
class BackgroundLoop {
public:
  void start() {
    loop_thread_ = std::thread([this] { exec(); });
  }
  int exec() { return 0; }

private:
  // CHECK: :[[@LINE+1]]:15: warning: thread member 'loop_thread_' is never joined by the destructor of 'BackgroundLoop'
  std::thread loop_thread_;
};

// A protected member a derived class may start: reported.
class LoopBase {
public:
  virtual ~LoopBase() = default;

protected:
  // CHECK: :[[@LINE+1]]:15: warning: thread member 'worker_' is never joined by the destructor of 'LoopBase'
  std::thread worker_;
};

// Given its thread by a member function template: reported.
template <typename Context> class ContextThread {
public:
  template <typename F> void start(F f) {
    impl_ = std::thread([this, f] { f(ctx_); });
  }
  void stop() {
    if (impl_.joinable())
      impl_.join();
  }

private:
  Context ctx_;
  // CHECK: :[[@LINE+1]]:15: warning: thread member 'impl_' is never joined by the destructor of 'ContextThread'
  std::thread impl_;
};
void run_context_thread() {
  ContextThread<int> t;
  t.start([](int &) {});
  t.stop();
}
