// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// The plugin reports the same findings from clang-tidy.
// RUN: %clang-tidy --load %plugin --checks='-*,tether-swallowed-exception' %s -- %libstdcxx 2>/dev/null | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <iostream>
#include <mutex>
#include <pthread.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

void work();
bool next_job();
void log_error(const std::exception &e);
void report_failure(const char *what);

// --- Positives -------------------------------------------------------------

void empty_catch_all() {
  // CHECK: :[[@LINE+5]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed: nothing rethrows, logs, stores or reports it, so the owner never learns the work failed [tether-swallowed-exception]
  // CHECK: :[[@LINE+1]]:15: note: the thread is started here
  std::thread t([] {
    try {
      work();
    } catch (...) {
    }
  });
  // CHECK: :[[@LINE-3]]:7: note: store it with std::current_exception() and rethrow it where the thread is joined, pass it to set_exception on a promise, or at least log it
  t.join();
}

void catch_std_exception_by_reference() {
  // CHECK: :[[@LINE+5]]:7: warning: exception caught by 'catch (const std::exception &)' in a thread body is swallowed
  // CHECK: :[[@LINE+1]]:16: note: the thread is started here
  std::jthread t([] {
    try {
      work();
    } catch (const std::exception &) {
      // ignore
    }
  });
}

std::future<void> catch_by_value_in_async() {
  // CHECK: :[[@LINE+5]]:7: warning: exception caught by 'catch (std::exception)' in a task body is swallowed
  // CHECK: :[[@LINE+1]]:10: note: the task is started here
  return std::async(std::launch::async, [] {
    try {
      work();
    } catch (std::exception e) {
      return;
    }
  });
  // CHECK: :[[@LINE-4]]:7: note: rethrow it (the future carries it to get()), store it with std::current_exception() or set_exception on a promise, or at least log it
}

void continue_in_worker_loop(std::atomic<bool> &running) {
  // CHECK: :[[@LINE+6]]:9: warning: exception caught by 'catch (...)' in a thread body is swallowed
  // CHECK: :[[@LINE+1]]:15: note: the thread is started here
  std::thread t([&running] {
    while (running) {
      try {
        work();
      } catch (...) {
        continue;
      }
    }
  });
  t.join();
}

void consumer() {
  while (next_job()) {
    try {
      work();
    } catch (...) {
      // CHECK: :[[@LINE-1]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
      break;
    }
  }
}

void named_function_entry() {
  // CHECK: :[[@LINE+1]]:15: note: the thread is started here
  std::thread t(consumer);
  t.join();
}

class Server {
public:
  void start() {
    worker_ = std::thread(&Server::run, this);
    poller_ = std::thread([this] { poll_loop(); });
  }
  ~Server() {
    worker_.join();
    poller_.join();
  }

private:
  void run() {
    try {
      work();
    } catch (const std::exception &e) {
      // CHECK: :[[@LINE-1]]:7: warning: exception caught by 'catch (const std::exception &)' in a thread body is swallowed
      // CHECK: :[[@LINE-14]]:15: note: the thread is started here
      (void)e;
    }
  }
  // Called directly by the body: part of the thread.
  void poll_loop() {
    for (int i = 0; i < 3; ++i) {
      try {
        work();
      } catch (...) {
        // CHECK: :[[@LINE-1]]:9: warning: exception caught by 'catch (...)' in a thread body is swallowed
        // CHECK: :[[@LINE-24]]:15: note: the thread is started here
      }
    }
  }
  std::thread worker_, poller_;
};

void local_cleanup_only(std::vector<std::thread> &threads) {
  threads.emplace_back([] {
    std::vector<int> buffer;
    std::mutex m;
    std::unique_lock<std::mutex> lock(m);
    try {
      work();
      // CHECK: :[[@LINE+2]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
      // CHECK: :[[@LINE-7]]:3: note: the thread is started here
    } catch (...) {
      buffer.clear();
      lock.unlock();
      std::ostringstream message;
      message << "job failed";
    }
  });
}

// A narrow handler logs; the catch-all after it drops everything else.
void catch_all_after_narrow() {
  std::thread t([] {
    try {
      work();
    } catch (const std::system_error &e) {
      std::cerr << "system error: " << e.what() << '\n';
      // CHECK: :[[@LINE+2]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
      // CHECK: :[[@LINE-6]]:15: note: the thread is started here
    } catch (...) {
    }
  });
  t.join();
}

void *c_entry(void *) {
  try {
    work();
    // CHECK: :[[@LINE+1]]:5: warning: exception caught by 'catch (...)' in a thread body is swallowed
  } catch (...) {
  }
  return nullptr;
}

void c_thread() {
  pthread_t tid;
  // CHECK: :[[@LINE+1]]:3: note: the thread is started here
  pthread_create(&tid, nullptr, c_entry, nullptr);
  pthread_join(tid, nullptr);
}

struct Job {
  void operator()() const {
    try {
      work();
      // CHECK: :[[@LINE+1]]:7: warning: exception caught by 'catch (...)' in a task body is swallowed
    } catch (...) {
      return;
    }
  }
};

void function_object_task() {
  // CHECK: :[[@LINE+1]]:12: note: the task is started here
  auto f = std::async(std::launch::async, Job{});
  f.get();
}

// Checked in the instantiation, reported once.
template <typename Fn> void run_in_background(Fn fn) {
  std::thread t([fn] {
    try {
      fn();
      // CHECK: :[[@LINE+2]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
      // CHECK: :[[@LINE-4]]:15: note: the thread is started here
    } catch (...) {
    }
  });
  t.join();
}

void instantiate() {
  run_in_background([] { work(); });
  run_in_background(&work);
}

// --- Negatives -------------------------------------------------------------

void stores_for_the_owner() {
  std::exception_ptr failure;
  std::thread t([&failure] {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
  });
  t.join();
  if (failure)
    std::rethrow_exception(failure);
}

std::future<void> sets_the_promise() {
  auto done = std::make_shared<std::promise<void>>();
  std::thread([done] {
    try {
      work();
      done->set_value();
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  }).join();
  return done->get_future();
}

void rethrows() {
  auto f = std::async([] {
    try {
      work();
    } catch (const std::exception &) {
      throw;
    }
  });
  f.get();
}

void logs_to_stderr() {
  std::thread a([] {
    try {
      work();
    } catch (const std::exception &e) {
      std::cerr << "worker failed: " << e.what() << '\n';
    }
  });
  std::thread b([] {
    try {
      work();
    } catch (...) {
      std::fprintf(stderr, "worker failed\n");
    }
  });
  std::thread c([] {
    try {
      work();
    } catch (...) {
      std::clog << "worker failed\n";
    }
  });
  a.join();
  b.join();
  c.join();
}

class Pool {
public:
  void start() {
    for (int i = 0; i < 4; ++i)
      workers_.emplace_back([this] { loop(); });
  }
  ~Pool() {
    for (auto &w : workers_)
      w.join();
  }

private:
  void loop() {
    while (next_job()) {
      try {
        work();
      } catch (...) {
        ++failures_; // the owner reads the counter
      }
    }
    try {
      work();
    } catch (...) {
      failed_ = true;
    }
    try {
      work();
    } catch (...) {
      on_error_(); // a callback the owner installed
    }
  }
  std::vector<std::thread> workers_;
  std::atomic<int> failures_{0};
  std::atomic<bool> failed_{false};
  std::function<void()> on_error_;
};

void reports_through_captures() {
  int errors = 0;
  std::thread t([&errors] {
    try {
      work();
    } catch (...) {
      errors += 1;
    }
  });
  t.join();
}

void user_logging() {
  std::thread a([] {
    try {
      work();
    } catch (const std::exception &e) {
      log_error(e); // handed the exception
    }
  });
  std::thread b([] {
    try {
      work();
    } catch (...) {
      report_failure("import"); // named like reporting
    }
  });
  a.join();
  b.join();
}

std::future<bool> returns_status() {
  return std::async(std::launch::async, []() -> bool {
    try {
      work();
      return true;
    } catch (...) {
      return false; // the future carries the failure as a value
    }
  });
}

void flag_read_after_try() {
  std::thread t([] {
    bool ok = true;
    try {
      work();
    } catch (...) {
      ok = false;
    }
    if (!ok)
      report_failure("work");
  });
  t.join();
}

void terminates() {
  std::thread t([] {
    try {
      work();
    } catch (...) {
      std::terminate();
    }
  });
  t.join();
}

// Narrow types are deliberate.
void narrow_handlers() {
  std::thread t([] {
    try {
      work();
    } catch (const std::system_error &) {
    } catch (const std::out_of_range &) {
    }
  });
  t.join();
}

// Best-effort teardown: no work whose failure the owner needs to learn of.
struct Connection {
  void close();
  void shutdown();
};

void teardown(Connection &conn) {
  std::thread t([&conn] {
    try {
      conn.shutdown();
      conn.close();
    } catch (...) {
    }
  });
  t.join();
}

// Not a thread body: whether to swallow here is a general style question.
void not_a_thread_body() {
  try {
    work();
  } catch (...) {
  }
}

// A catch-all written by a header's macro (a test framework's assertion in
// a thread): how it reports is the framework's business.
#include "Inputs/third_party/minicheck/check_macros.h"
void threaded_test() {
  std::thread t([] { CHECK_NOTHROW_LIKE(work()); });
  t.join();
}

// The same handler written out by hand drops the exception.
void threaded_by_hand() {
  std::thread t([] {
    ResultBuilder rb;
    try {
      work();
      // CHECK: :[[@LINE+1]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
    } catch (...) {
      (void)rb;
    }
  });
  t.join();
}
