// REQUIRES: boost
// Shapes from popular projects: how thread pools, loggers and event loops
// hand a failure on. Only the pool that drops a job's exception is reported.
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/log/trivial.hpp>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

// A stream logger behind a macro (trantor's LOG_ERROR, glog's LOG(ERROR)).
namespace netlib {
class Logger {
public:
  Logger(const char *file, int line);
  ~Logger();
  std::ostream &stream();
};
} // namespace netlib
#define LOG_ERROR netlib::Logger(__FILE__, __LINE__).stream()

// A printf-style logger behind a macro (libhv's hloge).
extern "C" void vlog_printf(int level, const char *fmt, ...);
#define hloge(...) vlog_printf(3, __VA_ARGS__)

namespace pool {

// A pool that runs type-erased jobs and drops whatever they throw.
class DropPool {
public:
  explicit DropPool(unsigned n) {
    for (unsigned i = 0; i < n; ++i)
      workers_.emplace_back([this] { worker(); });
  }
  ~DropPool() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    for (auto &w : workers_)
      w.join();
  }
  void detach_task(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

private:
  void worker() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
        if (stop_ && jobs_.empty())
          return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      try {
        job();
        // CHECK: :[[@LINE+2]]:9: warning: exception caught by 'catch (...)' in a thread body is swallowed
        // CHECK: :[[@LINE-34]]:7: note: the thread is started here
      } catch (...) {
      }
    }
  }
  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> jobs_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

// spdlog's async logger: the worker hands errors to an error handler.
class AsyncSink {
public:
  AsyncSink() : worker_([this] { loop(); }) {}
  ~AsyncSink() { worker_.join(); }

private:
  void loop() {
    try {
      flush();
    } catch (const std::exception &ex) {
      err_handler_(ex.what());
    } catch (...) {
      err_handler_("unknown exception in async sink");
    }
  }
  void flush();
  std::function<void(const std::string &)> err_handler_;
  std::thread worker_;
};

// Event-loop threads that log through macros.
void run_loop_thread(std::function<void()> loop_body) {
  std::thread a([loop_body] {
    try {
      loop_body();
    } catch (const std::exception &) {
      LOG_ERROR << "event loop failed";
    }
  });
  std::thread b([loop_body] {
    try {
      loop_body();
    } catch (...) {
      hloge("event loop thread exited with an exception");
    }
  });
  std::thread c([loop_body] {
    try {
      loop_body();
    } catch (...) {
      BOOST_LOG_TRIVIAL(error) << "loop failed";
    }
  });
  a.join();
  b.join();
  c.join();
}

// taskflow-style: the worker stores the exception in the node it ran.
struct Node {
  std::exception_ptr exception;
  std::function<void()> work;
};

void invoke_all(std::vector<Node> &nodes) {
  std::thread t([&nodes] {
    for (Node &n : nodes) {
      try {
        n.work();
      } catch (...) {
        n.exception = std::current_exception();
      }
    }
  });
  t.join();
}

// A packaged task (progschj's ThreadPool): the future carries the exception.
template <typename F> auto enqueue(F f) {
  auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
  std::thread([task] { (*task)(); }).detach();
  return task->get_future();
}

} // namespace pool
