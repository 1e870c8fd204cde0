// A class whose public join() (or detach()) forwards to a private
// std::thread is itself a thread handle for its users, like std::thread: its
// own member is its implementation, and its owners are the ones who must join
// it. One that joins in its destructor is a joining thread, like
// std::jthread.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace base {

// Move-only, like std::thread: whoever holds one joins or detaches it.
class Thread {
public:
  Thread() = default;
  explicit Thread(std::function<void()> body, std::string name = "")
      : name_(std::move(name)), impl_(std::move(body)) {}
  Thread(Thread &&) = default;
  Thread &operator=(Thread &&) = default;
  void join() { impl_.join(); }
  bool joinable() const { return impl_.joinable(); }
  void detach() { impl_.detach(); }
  const std::string &name() const { return name_; }

private:
  std::string name_;
  std::thread impl_;
};

// Joins in its destructor: a joining thread, like std::jthread.
class ScopedThread {
public:
  explicit ScopedThread(std::function<void()> body) : impl_(std::move(body)) {}
  ~ScopedThread() {
    if (impl_.joinable())
      impl_.join();
  }
  void join() { impl_.join(); }

private:
  std::thread impl_;
};

} // namespace base

void accept_loop();
void flush_logs();

class Acceptor {
public:
  void start() {
    worker_ = base::Thread([] { accept_loop(); }, "acceptor");
  }
  ~Acceptor() {}

private:
  // CHECK: :[[@LINE+1]]:16: warning: thread member 'worker_' is never joined by the destructor of 'Acceptor': destroying a running 'Acceptor' calls std::terminate [tether-unjoined-task]
  base::Thread worker_;
};

class Logger {
public:
  void start() { flusher_ = base::Thread([] { flush_logs(); }); }
  ~Logger() {
    if (flusher_.joinable())
      flusher_.join();
  }

private:
  base::Thread flusher_;
};

class Poller {
public:
  Poller() : poller_([] { accept_loop(); }) {}

private:
  base::ScopedThread poller_; // joins itself
};

void run_once() {
  // CHECK: :[[@LINE+1]]:16: warning: thread 'once' is still joinable when it goes out of scope on some path: its destructor calls std::terminate [tether-unjoined-task]
  base::Thread once([] { flush_logs(); });
}

void run_and_wait() {
  base::Thread t([] { flush_logs(); });
  t.join();
}

void run_scoped() { base::ScopedThread t([] { flush_logs(); }); }

void fire_and_forget() {
  base::Thread t([] { flush_logs(); });
  // CHECK: :[[@LINE+1]]:5: warning: thread 't' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  t.detach();
}

// A handle whose join() is defined in another file (thread.cpp): holding a
// thread and offering join() is enough to be one.
namespace engine {
class worker_thread {
public:
  worker_thread() noexcept = default;
  worker_thread(worker_thread &&) noexcept = default;
  template <class F> explicit worker_thread(F &&f) : thread_(std::forward<F>(f)) {}
  worker_thread &operator=(worker_thread &&) noexcept = default;
  bool joinable() const noexcept;
  void join();

private:
  std::thread thread_;
};
} // namespace engine

class Engine {
public:
  void start() {
    workers_.emplace_back([] { flush_logs(); });
  }
  ~Engine() {
    for (auto &w : workers_)
      w.join();
  }

private:
  std::vector<engine::worker_thread> workers_;
};
