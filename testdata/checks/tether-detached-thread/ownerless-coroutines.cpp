// A coroutine whose return type owns nothing of its task (no data, a
// promise whose initial_suspend and final_suspend return suspend_never: a
// `fire_and_forget`) starts a task nobody can await, stop or destroy when
// it is called. It is reported as a detached coroutine unless it can be
// stopped or ends by itself, and its failure is not lost. A wrapper that
// only awaits what it is handed (`spawn(t)`) runs that coroutine. A task
// type that keeps its handle, or starts suspended, is owned by whoever
// holds it. libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <coroutine>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <utility>

// Eager, frees itself at the end, and drops what its body throws.
struct fire_and_forget {
  struct promise_type {
    fire_and_forget get_return_object() noexcept { return {}; }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept {
      std::fputs("task failed\n", stderr);
    }
  };
};

// Eager and ownerless too, but its failure ends the process.
struct spawn_t {
  struct promise_type {
    spawn_t get_return_object() const noexcept { return {}; }
    std::suspend_never initial_suspend() const noexcept { return {}; }
    std::suspend_never final_suspend() const noexcept { return {}; }
    void return_void() const noexcept {}
    void unhandled_exception() const noexcept { std::terminate(); }
  };
};

// A lazy task that keeps its handle: whoever holds it owns the coroutine.
struct task {
  struct promise_type {
    std::coroutine_handle<> continuation;
    task get_return_object() {
      return task{std::coroutine_handle<promise_type>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() noexcept { return {}; }
    struct final_awaiter {
      bool await_ready() noexcept { return false; }
      std::coroutine_handle<>
      await_suspend(std::coroutine_handle<promise_type> h) noexcept {
        auto c = h.promise().continuation;
        return c ? c : std::noop_coroutine();
      }
      void await_resume() noexcept {}
    };
    final_awaiter final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() { std::terminate(); }
  };
  explicit task(std::coroutine_handle<promise_type> h) : handle(h) {}
  task(task &&o) noexcept : handle(std::exchange(o.handle, {})) {}
  ~task() {
    if (handle)
      handle.destroy();
  }
  bool await_ready() const noexcept { return false; }
  std::coroutine_handle<> await_suspend(std::coroutine_handle<> c) noexcept {
    handle.promise().continuation = c;
    return handle;
  }
  void await_resume() const noexcept {}
  std::coroutine_handle<promise_type> handle;
};

// A timer the event loop resumes; wait() may throw when the loop shuts down.
struct sleep_awaiter {
  std::chrono::milliseconds delay;
  bool await_ready() const noexcept { return delay.count() <= 0; }
  void await_suspend(std::coroutine_handle<> h);
  void await_resume();
};
sleep_awaiter sleep_for(std::chrono::milliseconds d) { return {d}; }

void report_metrics();
int parse_config(const char *path) {
  if (!path || !*path)
    throw std::invalid_argument("no configuration file");
  return 0;
}

template <typename Awaitable> spawn_t spawn(Awaitable work) {
  co_await std::move(work);
}

task tick_forever() {
  for (;;) {
    co_await sleep_for(std::chrono::seconds(1));
    report_metrics();
  }
}

task tick_until(std::atomic<bool> &stop) {
  while (!stop.load()) {
    co_await sleep_for(std::chrono::seconds(1));
    report_metrics();
  }
}

fire_and_forget reload(const char *path) {
  co_await sleep_for(std::chrono::milliseconds(10));
  parse_config(path);
}

fire_and_forget reload_reporting(const char *path) {
  try {
    co_await sleep_for(std::chrono::milliseconds(10));
    parse_config(path);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "reload failed: %s\n", e.what());
  }
}

fire_and_forget heartbeat() {
  for (;;) {
    co_await sleep_for(std::chrono::seconds(5));
    std::puts("alive");
  }
}

task run_ticker(std::atomic<bool> &stop) { co_await tick_until(stop); }

void start_background_work(std::atomic<bool> &stop) {
  spawn(tick_forever());
  // CHECK: :[[@LINE-1]]:3: warning: detached coroutine 'tick_forever': nothing can stop it [tether-detached-thread]
  spawn(tick_until(stop));
  reload("/etc/app.conf");
  // CHECK: :[[@LINE-1]]:3: warning: detached coroutine 'reload': its exceptions are lost [tether-detached-thread]
  reload_reporting("/etc/app.conf");
  heartbeat();
  // CHECK: :[[@LINE-1]]:3: warning: detached coroutine 'heartbeat': nothing can stop it [tether-detached-thread]
  task owned = run_ticker(stop);
  (void)owned;
}
