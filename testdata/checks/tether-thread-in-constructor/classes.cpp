// RUN: not %tether --checks='-*,tether-thread-in-constructor' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-thread-in-constructor' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <pthread.h>
#include <stop_token>
#include <thread>
#include <vector>

void poll_devices();
void flush_metrics();
bool healthy();

// --- Positives -------------------------------------------------------------

class Poller {
public:
  // CHECK: :[[@LINE+3]]:14: warning: constructor of 'Poller' starts a thread kept in 'worker_' that nothing can ask to stop: 'Poller' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:14: note: give 'Poller' a stop path: a std::jthread whose body watches its
  Poller() : worker_([this] {
    while (true)
      poll_devices();
  }) {}

private:
  std::thread worker_;
};

class Ticker {
public:
  // CHECK: :[[@LINE+3]]:24: warning: constructor of 'Ticker' starts a thread kept in 'worker_' that nothing can ask to stop: 'Ticker' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+6]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:24: note: give 'Ticker' a stop path: a std::jthread whose body watches its
  Ticker() { worker_ = std::thread(&Ticker::run, this); }

private:
  void run() {
    for (;;)
      flush_metrics();
  }
  std::thread worker_;
};

// A jthread whose body never looks at its stop_token: the destructor's
// request_stop() goes unheard and the join waits forever.
class Heartbeat {
public:
  // CHECK: :[[@LINE+3]]:17: warning: constructor of 'Heartbeat' starts a thread kept in 'beat_' that nothing can ask to stop: 'Heartbeat' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+6]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:17: note: give 'Heartbeat' a stop path: a std::jthread whose body watches its
  Heartbeat() : beat_([this] { loop(); }) {}

private:
  void loop() {
    while (alive_)
      std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  std::atomic<bool> alive_{true};
  std::jthread beat_;
};

class Reaper {
public:
  // CHECK: :[[@LINE+3]]:14: warning: constructor of 'Reaper' starts a thread kept in 'tid_' that nothing can ask to stop: 'Reaper' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+6]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:14: note: give 'Reaper' a stop path: a std::jthread whose body watches its
  Reaper() { pthread_create(&tid_, nullptr, &Reaper::loop, this); }

private:
  static void *loop(void *) {
    do {
      poll_devices();
    } while (healthy());
    return nullptr;
  }
  pthread_t tid_;
};

class Fleet {
public:
  explicit Fleet(int n) {
    for (int i = 0; i < n; ++i)
      // CHECK: :[[@LINE+3]]:7: warning: constructor of 'Fleet' starts a thread kept in 'workers_' that nothing can ask to stop: 'Fleet' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
      // CHECK: :[[@LINE+3]]:9: note: the thread runs this loop for as long as the process lives
      // CHECK: :[[@LINE+1]]:7: note: give 'Fleet' a stop path: a std::jthread whose body watches its
      workers_.emplace_back([] {
        while (healthy())
          poll_devices();
      });
  }

private:
  std::vector<std::thread> workers_;
};

class Refresher {
public:
  Refresher()
      // CHECK: :[[@LINE+3]]:15: warning: constructor of 'Refresher' starts a task kept in 'task_' that nothing can ask to stop: 'Refresher' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
      // CHECK: :[[@LINE+3]]:11: note: the task runs this loop for as long as the process lives
      // CHECK: :[[@LINE+1]]:15: note: give 'Refresher' a stop path: a std::jthread whose body watches its
      : task_(std::async(std::launch::async, [] {
          while (true)
            flush_metrics();
        })) {}

private:
  std::future<void> task_;
};

template <typename Sink> class Exporter {
public:
  // CHECK: :[[@LINE+3]]:41: warning: constructor of 'Exporter' starts a thread kept in 'worker_' that nothing can ask to stop: 'Exporter' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:41: note: give 'Exporter' a stop path: a std::jthread whose body watches its
  explicit Exporter(Sink s) : sink_(s), worker_([this] {
    while (true)
      sink_();
  }) {}

private:
  Sink sink_;
  std::thread worker_;
};

void use_exporter() {
  Exporter<void (*)()> e(flush_metrics);
}

// A class template whose destructor is its stop path.
template <typename Sink> class StoppingExporter {
public:
  explicit StoppingExporter(Sink s) : sink_(s), worker_([this] {
    while (!done_)
      sink_();
  }) {}
  ~StoppingExporter() {
    done_ = true;
    worker_.join();
  }

private:
  Sink sink_;
  std::atomic<bool> done_{false};
  std::thread worker_;
};

void use_stopping_exporter() {
  StoppingExporter<void (*)()> e(flush_metrics);
}

// A defaulted destructor is no stop path.
class Watchdog {
public:
  // CHECK: :[[@LINE+3]]:16: warning: constructor of 'Watchdog' starts a thread kept in 'thread_' that nothing can ask to stop: 'Watchdog' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:16: note: give 'Watchdog' a stop path: a std::jthread whose body watches its
  Watchdog() : thread_([] {
    while (healthy())
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }) {}
  ~Watchdog() = default;

private:
  std::jthread thread_;
};

// An empty destructor neither.
class Sampler {
public:
  // CHECK: :[[@LINE+3]]:15: warning: constructor of 'Sampler' starts a thread kept in 'thread_' that nothing can ask to stop: 'Sampler' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:15: note: give 'Sampler' a stop path: a std::jthread whose body watches its
  Sampler() : thread_([] {
    for (;;)
      poll_devices();
  }) {}
  ~Sampler() {}

private:
  std::jthread thread_;
};

// The flag exists but nothing ever lowers it.
class Spooler {
public:
  // CHECK: :[[@LINE+3]]:15: warning: constructor of 'Spooler' starts a thread kept in 'thread_' that nothing can ask to stop: 'Spooler' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:15: note: give 'Spooler' a stop path: a std::jthread whose body watches its
  Spooler() : thread_([this] {
    while (running_)
      flush_metrics();
  }) {}
  bool running() const { return running_; }

private:
  std::atomic<bool> running_{true};
  std::jthread thread_;
};

class ServiceBase {
public:
  virtual ~ServiceBase() = default;
  virtual const char *name() const = 0;
};

class Gossip : public ServiceBase {
public:
  // CHECK: :[[@LINE+3]]:14: warning: constructor of 'Gossip' starts a thread kept in 'peer_thread_' that nothing can ask to stop: 'Gossip' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:14: note: give 'Gossip' a stop path: a std::jthread whose body watches its
  Gossip() : peer_thread_([] {
    while (true)
      poll_devices();
  }) {}
  const char *name() const override { return "gossip"; }

private:
  std::jthread peer_thread_;
};

// --- Negatives -------------------------------------------------------------

class JoinsInDestructor {
public:
  JoinsInDestructor() : worker_([this] {
    while (!done_)
      poll_devices();
  }) {}
  ~JoinsInDestructor() {
    done_ = true;
    worker_.join();
  }

private:
  std::atomic<bool> done_{false};
  std::thread worker_;
};

class HasStop {
public:
  HasStop() : worker_(&HasStop::run, this) {}
  void stop() {
    running_ = false;
    if (worker_.joinable())
      worker_.join();
  }

private:
  void run() {
    while (running_)
      flush_metrics();
  }
  std::atomic<bool> running_{true};
  std::thread worker_;
};

class WatchesToken {
public:
  WatchesToken() : worker_([](std::stop_token st) {
    while (!st.stop_requested())
      poll_devices();
  }) {}

private:
  std::jthread worker_;
};

class OneShot {
public:
  OneShot() : warmup_([] { flush_metrics(); }) {}
  ~OneShot() = default;
  void wait() { warmup_.join(); }

private:
  std::thread warmup_;
};

class Pool;
class PoolSlot {
  friend class Pool;

public:
  PoolSlot() : thread_([] {
    while (healthy())
      poll_devices();
  }) {}

private:
  std::thread thread_;
};

class Hooked : public ServiceBase {
public:
  Hooked() : worker_([this] {
    while (!quit_)
      poll_devices();
  }) {}
  const char *name() const override { return "hooked"; }
  virtual void onRemove() { quit_ = true; }

private:
  std::atomic<bool> quit_{false};
  std::jthread worker_;
};

// Defined in another file: the name says it ends the work.
class Remote {
public:
  Remote() : worker_([] {
    while (healthy())
      poll_devices();
  }) {}
  void Shutdown();

private:
  std::thread worker_;
};

class StartedLater {
public:
  StartedLater() = default;
  void start() {
    worker_ = std::thread([] {
      while (true)
        poll_devices();
    });
  }

private:
  std::thread worker_;
};

class PoisonPill {
public:
  PoisonPill() : consumer_([this] {
    for (;;) {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !queue_.empty(); });
      int job = queue_.front();
      queue_.pop_front();
      if (job < 0)
        return;
    }
  }) {}
  ~PoisonPill() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      queue_.push_back(-1);
    }
    cv_.notify_one();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<int> queue_;
  std::jthread consumer_;
};

class HandedToken {
public:
  HandedToken() : worker_(&HandedToken::run, source_.get_token()) {}

private:
  static void run(std::stop_token st) {
    while (!st.stop_requested())
      poll_devices();
  }
  std::stop_source source_;
  std::thread worker_;
};

class StopServiceBase {
public:
  virtual ~StopServiceBase() = default;
  virtual void Stop() = 0;
};

class FromFrameworkBase : public StopServiceBase {
public:
  FromFrameworkBase() : worker_([] {
    while (healthy())
      poll_devices();
  }) {}
  void Stop() override;

private:
  std::jthread worker_;
};

class LocalOnly {
public:
  LocalOnly() {
    std::thread probe([] {
      while (!healthy())
        std::this_thread::yield();
    });
    probe.join();
  }
};
