// A dropped future<void> loses only what the task could end with: an
// exception. When the task's body cannot throw (a completion relay that
// fulfils a promise its caller's reader holds, a coroutine that catches what
// its awaits fail with) nothing is lost. A task that can fail, or a future
// that carries a value, still is. Boost.Fiber futures and eager coroutines
// returning std::future, with libstdc++ and libc++.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -Wno-unused-result | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx -Wno-unused-result | FileCheck %s --implicit-check-not='warning:'

#include <coroutine>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

#include <boost/fiber/all.hpp>

// --- A fiber scheduler whose Schedule hands back the task's future -------

class FiberScheduler {
public:
  template <typename Fn>
  auto schedule(Fn &&fn) -> boost::fibers::future<std::invoke_result_t<Fn>> {
    using Result = std::invoke_result_t<Fn>;
    auto promise = std::make_shared<boost::fibers::promise<Result>>();
    auto future = promise->get_future();
    enqueue([func = std::forward<Fn>(fn), promise]() mutable {
      try {
        if constexpr (std::is_void_v<Result>) {
          func();
          promise->set_value();
        } else {
          promise->set_value(func());
        }
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    });
    return future;
  }

private:
  void enqueue(std::function<void()> task);
};

struct IoResult {
  int error = 0;
  std::size_t bytes = 0;
};

// A callback-style socket: the completion handler runs on the I/O thread.
class Socket {
public:
  void async_read_some(char *buffer, std::size_t size,
                       std::function<void(int, std::size_t)> handler);
};

void handle(int request);

class FiberIoBridge {
public:
  explicit FiberIoBridge(FiberScheduler &scheduler) : scheduler_(scheduler) {}

  // The read's result goes back to the reading fiber through the promise
  // whose future read() returns; the relay task only fulfils it.
  boost::fibers::future<IoResult> read(Socket &socket, char *buffer,
                                       std::size_t size) {
    auto promise = std::make_shared<boost::fibers::promise<IoResult>>();
    auto future = promise->get_future();
    socket.async_read_some(buffer, size,
                           [this, promise](int error, std::size_t bytes) {
                             scheduler_.schedule([promise, error, bytes] {
                               promise->set_value(IoResult{error, bytes});
                             });
                           });
    return future;
  }

  // Expiry erases the timer's state under the lock and wakes the sleeper
  // through its promise.
  void expire(int id) {
    scheduler_.schedule([this, id] {
      std::shared_ptr<boost::fibers::promise<void>> sleeper;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = sleepers_.find(id);
        if (it == sleepers_.end())
          return;
        sleeper = it->second;
        sleepers_.erase(it);
      }
      sleeper->set_value();
    });
  }

  // Boost.Fiber's own async: the future is kept but never read.
  void wake_all() {
    auto woken = boost::fibers::async([this] {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto &[id, sleeper] : sleepers_)
        sleeper->set_value();
      sleepers_.clear();
    });
  }

  void reload(std::string config) {
    // CHECK: :[[@LINE+1]]:10: warning: future 'reloaded' is never waited for, read or handed on: exceptions thrown by the task are lost [tether-unjoined-task]
    auto reloaded = boost::fibers::async([config] { handle(std::stoi(config)); });
  }

  // Parsing the request can fail (std::stoi throws on a line that is no
  // number): that exception goes to the dropped future.
  void dispatch(std::string line) {
    // CHECK: :[[@LINE+1]]:5: warning: future returned by 'FiberScheduler::schedule' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
    scheduler_.schedule([line] { handle(std::stoi(line)); });
  }

  // The count is the task's result: dropping its future drops it.
  void count_sleepers() {
    // CHECK: :[[@LINE+1]]:5: warning: future returned by 'FiberScheduler::schedule' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
    scheduler_.schedule([this] {
      std::lock_guard<std::mutex> lock(mutex_);
      return sleepers_.size();
    });
  }

private:
  FiberScheduler &scheduler_;
  std::mutex mutex_;
  std::map<int, std::shared_ptr<boost::fibers::promise<void>>> sleepers_;
};

// An actor's loop calls the hooks its subclasses override: what they throw
// cannot be read here, and it would end up in the dropped future.
class Actor {
public:
  virtual ~Actor() = default;
  void start(FiberScheduler &scheduler) {
    // CHECK: :[[@LINE+1]]:5: warning: future returned by 'FiberScheduler::schedule' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
    scheduler.schedule([this] { run(); });
  }

protected:
  virtual void on_message(const std::string &message) {}

private:
  void run() {
    while (auto message = next())
      on_message(*message);
  }
  std::optional<std::string> next() {
    boost::fibers::channel_op_status status = inbox_.pop(buffer_);
    if (status != boost::fibers::channel_op_status::success)
      return std::nullopt;
    return buffer_;
  }
  boost::fibers::buffered_channel<std::string> inbox_{64};
  std::string buffer_;
};

// --- Eager coroutines that return std::future ------------------------------

template <typename... Args> struct std::coroutine_traits<std::future<void>, Args...> {
  struct promise_type : std::promise<void> {
    std::future<void> get_return_object() { return this->get_future(); }
    std::suspend_never initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() { this->set_value(); }
    void unhandled_exception() { this->set_exception(std::current_exception()); }
  };
};

// A one-threaded loop: post queues a handler, run drains the queue.
class EventLoop {
public:
  void post(std::function<void()> handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_.push_back(std::move(handler));
  }
  void run() {
    for (;;) {
      std::function<void()> next;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (handlers_.empty())
          return;
        next = std::move(handlers_.front());
        handlers_.pop_front();
      }
      next();
    }
  }

private:
  std::mutex mutex_;
  std::deque<std::function<void()>> handlers_;
};

// Resumes the coroutine from the loop; nothing in it can fail.
struct Repost {
  EventLoop &loop;
  bool await_ready() const noexcept { return false; }
  void await_suspend(std::coroutine_handle<> h) {
    loop.post([h] { h.resume(); });
  }
  void await_resume() const noexcept {}
};

std::future<void> countdown(EventLoop &loop, int n) {
  while (n-- > 0) {
    co_await Repost{loop};
    std::cout << "tick " << n << '\n';
  }
}

std::future<void> checked_countdown(EventLoop &loop, int n) {
  if (n < 0)
    throw std::invalid_argument("negative countdown");
  while (n-- > 0)
    co_await Repost{loop};
}

int parse_header(const std::string &line) { return std::stoi(line); }

// Every failure of the body is caught and logged.
std::future<void> session(EventLoop &loop, std::string header) {
  try {
    co_await Repost{loop};
    std::cout << parse_header(header) << '\n';
  } catch (std::exception &e) {
    std::cerr << "session: " << e.what() << '\n';
  }
}

int parse_body(const std::string &body); // defined in another file

// The body's parser is compiled elsewhere: what it throws cannot be read,
// so the future may hold its failure.
std::future<void> opaque_session(EventLoop &loop, std::string body) {
  co_await Repost{loop};
  std::cout << parse_body(body) << '\n';
}

std::future<void> unguarded_session(EventLoop &loop, std::string header) {
  co_await Repost{loop};
  std::cout << std::stoi(header) << '\n';
}

int main() {
  EventLoop loop;
  countdown(loop, 1000);
  session(loop, "42");
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'checked_countdown' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
  checked_countdown(loop, 10);
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'unguarded_session' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
  unguarded_session(loop, "x");
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'opaque_session' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
  opaque_session(loop, "{}");
  loop.run();
}
