// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <future>
#include <mutex>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

void serve();
bool connect_upstream();
void run_session();
void log_error(const char *what);
std::string next_message();
void handle(const std::string &m);

struct Fatal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --- Positives -------------------------------------------------------------

void supervise_forever() {
  while (true) {
    try {
      serve();
    // CHECK: :[[@LINE+3]]:7: warning: the loop retries 'serve' as soon as it fails, with no delay: a failure that persists turns it into a hot spin [tether-restart-without-backoff]
    // CHECK: :[[@LINE-4]]:3: note: the next attempt starts here with no sleep, wait or backoff in between
    // CHECK: :[[@LINE+1]]:7: note: wait before the next attempt and grow the delay (exponential backoff with a cap and jitter), or give up after a bounded number of attempts
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  }
}

void supervise_until_stopped(std::atomic<bool> &running) {
  while (running) {
    try {
      serve();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'serve' as soon as it fails
    } catch (...) {
      log_error("serve failed, restarting");
    }
  }
}

void for_ever() {
  for (;;) {
    try {
      run_session();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'run_session'
    } catch (...) {
    }
  }
}

void retry_until_success() {
  while (true) {
    try {
      serve();
      return;
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'serve'
    } catch (const std::runtime_error &) {
      log_error("retrying");
    }
  }
}

void respawn_thread(std::stop_token st) {
  while (!st.stop_requested()) {
    try {
      std::thread worker(serve);
      worker.join();
      // CHECK: :[[@LINE+1]]:7: warning: the loop restarts the failed thread or task at once, with no delay: a failure that persists turns it into a hot restart loop
    } catch (const std::system_error &) {
      log_error("respawn");
    }
  }
}

void respawn_task(std::atomic<bool> &stop) {
  do {
    try {
      auto f = std::async(std::launch::async, serve);
      f.get();
      // CHECK: :[[@LINE+1]]:7: warning: the loop restarts the failed thread or task at once
    } catch (...) {
      log_error("task died");
    }
  } while (!stop.load());
}

void fatal_rethrown_others_spin() {
  while (true) {
    try {
      serve();
    } catch (const Fatal &) {
      throw;
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'serve'
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  }
}

class Supervisor {
public:
  void run() {
    while (!stopping_) {
      try {
        task_();
        // CHECK: :[[@LINE+1]]:9: warning: the loop retries 'task_'
      } catch (...) {
        ++restarts_;
      }
    }
  }

private:
  std::function<void()> task_;
  std::atomic<bool> stopping_{false};
  int restarts_ = 0;
};

void sleep_skipped_on_failure() {
  while (true) {
    try {
      serve();
      std::this_thread::sleep_for(std::chrono::seconds(1)); // skipped on failure
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'serve'
    } catch (...) {
      log_error("failed");
    }
  }
}

void connect_loop(std::atomic<bool> &up) {
  while (!up) {
    try {
      up = connect_upstream();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'connect_upstream'
    } catch (const std::exception &e) {
      std::fprintf(stderr, "%s\n", e.what());
      continue;
    }
  }
}

// --- Negatives -------------------------------------------------------------

void with_sleep() {
  while (true) {
    try {
      serve();
    } catch (...) {
      log_error("serve failed");
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

void exponential_backoff() {
  auto delay = std::chrono::milliseconds(100);
  while (true) {
    try {
      serve();
      delay = std::chrono::milliseconds(100);
    } catch (...) {
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(30000));
    }
  }
}

void sleep_after_try() {
  while (true) {
    try {
      serve();
    } catch (...) {
      log_error("failed");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

void conditional_wait(std::mutex &m, std::condition_variable &cv,
                      bool &stop) {
  while (true) {
    try {
      serve();
    } catch (...) {
      std::unique_lock lock(m);
      if (cv.wait_for(lock, std::chrono::seconds(2), [&] { return stop; }))
        return;
    }
  }
}

void gives_up_after_attempts() {
  int attempts = 0;
  while (true) {
    try {
      serve();
      return;
    } catch (...) {
      if (++attempts >= 3)
        throw;
    }
  }
}

void bounded_for() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    try {
      serve();
      return;
    } catch (...) {
      log_error("retry");
    }
  }
}

void rethrows() {
  while (true) {
    try {
      serve();
    } catch (...) {
      log_error("fatal");
      throw;
    }
  }
}

void breaks_out() {
  while (true) {
    try {
      serve();
    } catch (...) {
      break;
    }
  }
}

void per_item_loop(const std::vector<std::string> &messages) {
  for (const auto &m : messages) {
    try {
      handle(m);
    } catch (...) {
      log_error("bad message");
    }
  }
}

void message_loop(std::atomic<bool> &running, std::mutex &m,
                  std::condition_variable &cv, std::vector<std::string> &q) {
  while (running) {
    std::string msg;
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return !q.empty() || !running; });
      msg = q.back();
      q.pop_back();
    }
    try {
      handle(msg);
    } catch (...) {
      log_error("handler failed");
    }
  }
}

void input_loop() {
  std::string line;
  while (!(line = next_message()).empty()) {
    try {
      handle(line);
    } catch (...) {
      log_error("bad line");
    }
  }
}

void try_in_thread_body_in_loop(std::vector<std::thread> &threads, int n) {
  while (n-- > 0) {
    threads.emplace_back([] {
      try {
        serve();
      } catch (...) {
        log_error("worker failed");
      }
    });
  }
}

void backoff_helper();
void wait_before_retry() { std::this_thread::sleep_for(std::chrono::seconds(1)); }

void backoff_in_helper() {
  while (true) {
    try {
      serve();
    } catch (...) {
      wait_before_retry();
    }
  }
}

// Regression from moodycamel's tests: a drain loop whose try block polls;
// tether-busy-wait owns polling loops.
struct Queue {
  bool try_pop(int &out);
};
void drain(Queue &q) {
  int item;
  while (true) {
    try {
      if (!q.try_pop(item))
        break;
    } catch (...) {
    }
  }
}

// A test framework's assertion macro: `do { try ... catch ... } while (0)`
// runs once; it is not a loop.
void record_failure();
#define EXPECT_NO_THROW_LIKE(expr)                                             \
  do {                                                                         \
    try {                                                                      \
      expr;                                                                    \
    } catch (...) {                                                            \
      record_failure();                                                        \
    }                                                                          \
  } while (0)
void test_body() {
  EXPECT_NO_THROW_LIKE(serve());
  do {
    try {
      serve();
    } catch (...) {
    }
  } while (false);
}

// The loop runs on a local it clears itself after a failure (doctest's
// test runner re-enters for subcases): it decides when to stop.
bool should_reenter();
void run_subcases() {
  bool run_test = true;
  do {
    try {
      run_session();
    } catch (...) {
      record_failure();
    }
    if (!should_reenter())
      run_test = false;
  } while (run_test);
}

// The handler clears the flag the loop runs on: stop after a failure.
class Worker {
  std::atomic<bool> running_{true};

public:
  void loop() {
    while (running_) {
      try {
        serve();
      } catch (...) {
        running_ = false;
      }
    }
  }
  void loop_store() {
    while (running_.load()) {
      try {
        serve();
      } catch (...) {
        running_.store(false);
      }
    }
  }
};

// Retry until it works: the flag is set only on success, so a persistent
// failure spins.
void retry_until_connected() {
  bool connected = false;
  while (!connected) {
    try {
      run_session();
      connected = true;
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'run_session' as soon as it fails, with no delay
    } catch (...) {
      record_failure();
    }
  }
}

// The handler writes the flag, but with the value that keeps the loop going.
std::string parse_config();
void load_until_parsed() {
  bool loaded = false;
  std::string cfg;
  while (!loaded) {
    try {
      cfg = parse_config();
      loaded = true;
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'parse_config' as soon as it fails, with no delay
    } catch (...) {
      loaded = false;
    }
  }
}

// A do { } while (0) inside the loop does not hide its try.
void supervise_through_macro_block() {
  while (true) {
    do {
      try {
        serve();
        // CHECK: :[[@LINE+1]]:9: warning: the loop retries 'serve' as soon as it fails, with no delay
      } catch (...) {
      }
    } while (0);
  }
}
