// A std::stop_token nobody looks at, and waits a stop request cannot wake.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

void log_line(const std::string &what);
std::size_t mark_stale();
bool feed_connected();
void refresh();
[[noreturn]] void die(const char *why);

struct Queue {
  bool pop(int &out);
  bool wait_pop(int &out, std::stop_token st);
  void close();
};
struct Closed {};

// --- Positives -------------------------------------------------------------

// The planted bug of examples/: an unnamed token and a loop with no way out.
std::jthread start_stale_sweeper() {
  // CHECK: :[[@LINE+1]]:26: warning: unnamed stop token is never checked: the loop in this thread body cannot be cancelled and join() will wait forever [tether-missing-stop-check]
  return std::jthread([](std::stop_token) {
    // CHECK: :[[@LINE+1]]:5: note: this loop never observes a stop request
    while (true) {
      if (std::size_t n = mark_stale(); n > 0)
        log_line(std::to_string(n) + " stale");
      std::this_thread::sleep_for(250ms);
    }
  });
  // CHECK: :[[@LINE-8]]:10: note: thread started here
  // CHECK: :[[@LINE-9]]:26: note: name the token and test stop_requested() in the loop
}

// A named token, ignored by a loop that ends only when its feed drops.
void follow_feed(std::stop_token st) {
  // CHECK: :[[@LINE-1]]:34: warning: stop token 'st' is never checked: the loop in 'follow_feed' cannot be cancelled and join() waits until the loop ends by itself
  // CHECK: :[[@LINE+1]]:3: note: this loop never observes a stop request
  while (feed_connected())
    refresh();
  // CHECK: :[[@LINE-5]]:34: note: test stop_requested() in the loop, wait with condition_variable_any::wait(lock, token, pred), or drop the parameter if another signal ends the loop
}

// A queue drained until it closes: request_stop() does not close it.
// CHECK: :[[@LINE+1]]:35: warning: stop token 'tok' is never checked: the loop in 'drain'
void drain(const std::stop_token &tok, Queue &q) {
  int item;
  // CHECK: :[[@LINE+1]]:3: note: this loop never observes a stop request
  while (q.pop(item))
    log_line(std::to_string(item));
  // CHECK: :[[@LINE-5]]:35: note: test stop_requested()
}

// A template: reported once, in its pattern, however often instantiated.
template <typename Fn>
// CHECK: :[[@LINE+1]]:28: warning: stop token 'st' is never checked: the loop in 'every' cannot be cancelled and join() will wait forever
void every(std::stop_token st, Fn fn) {
  // CHECK: :[[@LINE+1]]:3: note: this loop never observes
  for (;;) {
    fn();
    std::this_thread::sleep_for(10ms);
  }
  // CHECK: :[[@LINE-6]]:28: note: test stop_requested()
}
void use_every() {
  std::jthread a(every<void (*)()>, refresh);
  std::jthread b(every<void (*)()>, [] {});
}

// Threads kept in a vector: a do/while(true) that the token never reaches.
void start_pollers(std::vector<std::jthread> &pollers) {
  // CHECK: :[[@LINE+2]]:27: warning: unnamed stop token is never checked
  // CHECK: :[[@LINE+2]]:5: note: this loop never observes a stop request
  pollers.emplace_back([](std::stop_token) {
    do {
      refresh();
    } while (true);
  });
  // CHECK: :[[@LINE-5]]:3: note: thread started here
  // CHECK: :[[@LINE-6]]:27: note: name the token
}

// for (int i = 0; ; ++i): counted, but with no condition it never ends.
// CHECK: :[[@LINE+1]]:37: warning: stop token 'st' is never checked
void numbered_ticks(std::stop_token st) {
  // CHECK: :[[@LINE+1]]:3: note: this loop never observes
  for (int tick = 0;; ++tick)
    log_line(std::to_string(tick));
  // CHECK: :[[@LINE-4]]:37: note: test stop_requested()
}

// A worker whose loop watches the token but sleeps on a
// std::condition_variable: request_stop() does not wake it.
class Mailbox {
public:
  void run(std::stop_token st) {
    std::unique_lock lock(mu_);
    while (!st.stop_requested()) {
      // CHECK: :[[@LINE+1]]:14: warning: std::condition_variable::wait cannot be woken by a stop request: 'run' sleeps through request_stop() and join() waits until someone notifies the condition
      ready_.wait(lock, [this] { return !mail_.empty(); });
      // CHECK: :[[@LINE-1]]:14: note: use std::condition_variable_any and wait(lock, token, pred)
      mail_.pop_front();
    }
  }
  // condition_variable_any without the token is just as deaf.
  void run_any(std::stop_token st) {
    std::unique_lock lock(mu_);
    while (!st.stop_requested()) {
      // CHECK: :[[@LINE+1]]:18: warning: std::condition_variable_any::wait cannot be woken by a stop request: 'run_any' sleeps
      ready_any_.wait(lock, [this] { return !mail_.empty(); });
      // CHECK: :[[@LINE-1]]:18: note: use std::condition_variable_any
      mail_.pop_front();
    }
  }

private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable_any ready_any_;
  std::deque<std::string> mail_;
};

void lambda_waits_on_plain_cv(std::mutex &m, std::condition_variable &cv) {
  std::jthread t([&](std::stop_token st) {
    while (!st.stop_requested()) {
      std::unique_lock lock(m);
      // CHECK: :[[@LINE+1]]:10: warning: std::condition_variable::wait cannot be woken by a stop request: this thread body sleeps
      cv.wait(lock);
      // CHECK: :[[@LINE-1]]:10: note: use std::condition_variable_any
    }
  });
}

// --- Negatives -------------------------------------------------------------

void checks_the_token(std::stop_token st) {
  while (!st.stop_requested())
    refresh();
}

bool step(std::stop_token st);
void passes_the_token_on(std::stop_token st) {
  while (step(st)) {
  }
}

void hands_the_token_to_the_queue(std::stop_token st, Queue &q) {
  int item;
  while (q.wait_pop(item, st))
    log_line(std::to_string(item));
}

void stop_aware_wait(std::stop_token st, std::mutex &m,
                     std::condition_variable_any &cv, std::deque<int> &q) {
  std::unique_lock lock(m);
  while (cv.wait(lock, st, [&] { return !q.empty(); }))
    q.pop_front();
}

// Poison pill: the owner sends a last message; the token is not needed.
void poison_pill(std::stop_token, Queue &q) {
  int item;
  while (true) {
    q.pop(item);
    if (item < 0)
      break;
  }
}

void returns_when_done(std::stop_token, Queue &q) {
  for (;;) {
    int item;
    if (!q.pop(item))
      return;
  }
}

// The queue throws when closed; the try around the loop catches it.
int next_or_throw();
void ends_by_exception(std::stop_token) {
  try {
    for (;;)
      log_line(std::to_string(next_or_throw()));
  } catch (const Closed &) {
  }
}

void bounded_by_range(std::stop_token, const std::vector<std::string> &lines) {
  for (const std::string &l : lines)
    log_line(l);
}

void bounded_by_count(std::stop_token, int n) {
  for (int i = 0; i < n; ++i)
    refresh();
}

// A body that runs once needs no stop check.
std::jthread runs_once() {
  return std::jthread([](std::stop_token) { refresh(); });
}

// The token is registered with a callback that closes the queue.
void closes_on_stop(std::stop_token st, Queue &q) {
  std::stop_callback close_on_stop(st, [&q] { q.close(); });
  int item;
  while (q.pop(item))
    log_line(std::to_string(item));
}

// A callback notifies the condition: the plain condition_variable wakes.
void notified_on_stop(std::stop_token st, std::mutex &m,
                      std::condition_variable &cv, std::deque<int> &q) {
  std::stop_callback wake(st, [&] { cv.notify_all(); });
  std::unique_lock lock(m);
  while (!st.stop_requested()) {
    cv.wait(lock, [&] { return st.stop_requested() || !q.empty(); });
    if (!q.empty())
      q.pop_front();
  }
}

// Timed waits poll the token at least once per period.
void timed_wait(std::stop_token st, std::mutex &m, std::condition_variable &cv) {
  std::unique_lock lock(m);
  while (!st.stop_requested())
    cv.wait_for(lock, 100ms);
}

// The token is ignored, but the loop watches the object's atomic flag.
class Pump {
public:
  void start() {
    worker_ = std::jthread([this](std::stop_token) {
      while (!stopping_.load())
        refresh();
    });
  }
  void stop() { stopping_ = true; }

private:
  std::atomic<bool> stopping_{false};
  std::jthread worker_;
};

// A loop whose only way out is a call that never returns.
void fatal_on_error(std::stop_token) {
  for (;;) {
    if (!feed_connected())
      die("feed lost");
    refresh();
  }
}

// A template that checks its token: silent in every instantiation.
template <typename Fn> void every_until_stopped(std::stop_token st, Fn fn) {
  while (!st.stop_requested())
    fn();
}
void use_every_until_stopped() {
  std::jthread a(every_until_stopped<void (*)()>, refresh);
}

// The fixed sweeper of the docs: checks the token, sleeps in a wait that a
// stop request ends.
void mark_stale_only();
std::jthread fixed_sweeper(std::mutex &m, std::condition_variable_any &cv) {
  return std::jthread([&](std::stop_token st) {
    std::unique_lock lock(m);
    while (!st.stop_requested()) {
      mark_stale_only();
      cv.wait_for(lock, st, 250ms, [] { return false; });
    }
  });
}
