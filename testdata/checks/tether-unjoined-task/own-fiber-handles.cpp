// A project writes its own fiber class: no std::thread inside, a public
// join() and detach(), a constructor taking what it runs. tether knows it by
// that interface. With no destructor, dropping a joinable handle leaves the
// fiber running with nobody to wait for it; a destructor that joins owns it;
// one that may end the process (std::thread's contract) is taught through
// FiberTypes, because what "joinable" means there is the runtime's.
// libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-unjoined-task,tether-detached-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unjoined-task,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace green {

// The scheduler the fibers of one thread share; run() switches between them.
struct FiberState {
  std::function<void()> body;
  bool finished = false;
  bool detached = false;
};

class Scheduler {
public:
  void add(std::shared_ptr<FiberState> s) { ready_.push_back(std::move(s)); }
  void run_one() {
    if (ready_.empty())
      return;
    auto s = ready_.front();
    ready_.pop_front();
    s->body();
    s->finished = true;
  }
  bool idle() const { return ready_.empty(); }

private:
  std::deque<std::shared_ptr<FiberState>> ready_;
};

Scheduler &scheduler();

// No destructor: a dropped handle leaves the fiber to the scheduler.
class Fiber {
public:
  template <typename Callable, typename... Args>
  explicit Fiber(const Callable &fn, const Args &...args)
      : state_(std::make_shared<FiberState>()) {
    state_->body = [=] { fn(args...); };
    scheduler().add(state_);
  }
  void join() {
    while (!state_->finished)
      scheduler().run_one();
  }
  void detach() { state_->detached = true; }
  bool joinable() const { return !state_->finished && !state_->detached; }

private:
  std::shared_ptr<FiberState> state_;
};

// Joins in its destructor: the handle owns its fiber.
class ScopedFiber {
public:
  explicit ScopedFiber(std::function<void()> fn)
      : state_(std::make_shared<FiberState>()) {
    state_->body = std::move(fn);
    scheduler().add(state_);
  }
  ~ScopedFiber() {
    if (joinable())
      join();
  }
  void join() {
    while (!state_->finished)
      scheduler().run_one();
  }
  void detach() { state_->detached = true; }
  bool joinable() const { return !state_->finished && !state_->detached; }

private:
  std::shared_ptr<FiberState> state_;
};

// Terminates when dropped joinable, as std::thread does, but "joinable"
// here means "not finished": not inferred.
class StrictFiber {
public:
  template <typename Fn> explicit StrictFiber(Fn &&fn) : fiber_(fn) {}
  ~StrictFiber() {
    if (joinable())
      std::terminate();
  }
  void join() { fiber_.join(); }
  void detach() { fiber_.detach(); }
  bool joinable() const { return fiber_.joinable(); }

private:
  Fiber fiber_;
};

// Owns its task's context alone, and that context's destructor is written:
// what dropping the handle does is the context's, not known here.
struct Context {
  explicit Context(std::function<void()> fn) : body(std::move(fn)) {}
  ~Context();
  std::function<void()> body;
};

class Uthread {
public:
  template <typename Fn>
  explicit Uthread(Fn &&fn) : ctx_(std::make_unique<Context>(fn)) {}
  void join() {}
  void detach() {}

private:
  std::unique_ptr<Context> ctx_;
};

// A queue of jobs with join() and detach() is not a task handle: its
// constructor takes no work.
class JobQueue {
public:
  explicit JobQueue(std::size_t capacity) : capacity_(capacity) {}
  void join() {}
  void detach() {}

private:
  std::size_t capacity_;
};

} // namespace green

using green::Fiber;

void serve(int fd);
int accept_client(int listener);

void accept_loop(int listener) {
  for (;;) {
    int fd = accept_client(listener);
    if (fd < 0)
      return;
    Fiber session(serve, fd);
    // CHECK: :[[@LINE-1]]:11: warning: fiber 'session' is still joinable when it goes out of scope on some path: its destructor leaves it running (no destructor joins it): nothing waits for it [tether-unjoined-task]
  }
}

void joined_session(int fd) {
  Fiber session(serve, fd);
  session.join();
}

void scoped_session(int fd) {
  green::ScopedFiber session([fd] { serve(fd); });
}

void strict_session(int fd) {
  green::StrictFiber session([fd] { serve(fd); });
  session.join();
}

void queue_only() { green::JobQueue jobs(16); }

void context_owner(int fd) {
  green::Uthread session([fd] { serve(fd); });
}

void heartbeat() {
  Fiber([] {
    for (;;)
      std::puts("alive");
  }).detach();
  // CHECK: :[[@LINE-1]]:6: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
}
