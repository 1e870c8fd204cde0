// What a thread body can really raise. A throw in a callee that guards the
// callee's own object (`if (!state_) throw`, a promise satisfied twice) fires
// only when the caller breaks the object's contract: it is not evidence that
// the body throws. A throw whose condition depends on the callee's input or
// on the environment (a file that does not open, a port out of range) is.
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <cstdio>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

// An executor library's promise, in the style of the libraries that write
// their own: every throw guards the promise's own state.
class IntPromise {
public:
  IntPromise() : state_(std::make_shared<State>()) {}
  void set_value(int v) {
    if (!state_)
      throw std::logic_error("promise moved from");
    std::lock_guard<std::mutex> lock(state_->m);
    if (state_->ready)
      throw std::logic_error("promise already satisfied");
    state_->value = v;
    state_->ready = true;
  }

private:
  struct State {
    std::mutex m;
    bool ready = false;
    int value = 0;
  };
  std::shared_ptr<State> state_;
};

// A task object that checks it still holds work before running it.
class Task {
public:
  explicit Task(std::function<void()> fn) : fn_(std::move(fn)) {}
  void operator()() {
    if (!fn_)
      throw std::bad_function_call();
    fn_();
  }
  void run() {
    if (done_)
      throw std::logic_error("task already ran");
    done_ = true;
    fn_();
  }

private:
  std::function<void()> fn_;
  bool done_ = false;
};

int compute() noexcept;
void flush() noexcept;

void start_producer() {
  IntPromise p;
  std::thread t([p = std::move(p)]() mutable { p.set_value(compute()); });
  t.join();
}

void run_task(Task task) {
  std::thread t([task = std::move(task)]() mutable {
    task();
    task.run();
  });
  t.join();
}

// --- What the body can really raise ---------------------------------------

int parse_port(const std::string &text) {
  int port = 0;
  for (char c : text)
    port = port * 10 + (c - '0');
  if (port <= 0 || port > 65535)
    throw std::out_of_range("port out of range");
  return port;
}

void load_config(const char *path) {
  std::FILE *f = std::fopen(path, "r");
  if (!f)
    throw std::runtime_error("cannot open config");
  std::fclose(f);
}

void listen_on(const std::string &text) {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([text] { parse_port(text); });
  // CHECK: :[[@LINE-1]]:26: note: 'parse_port' throws std::out_of_range when 'port <= 0 || port > 65535', and nothing in the thread catches it
  t.join();
}

void reload(const char *path) {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([path] {
    flush();
    load_config(path);
    // CHECK: :[[@LINE-1]]:5: note: 'load_config' throws std::runtime_error when '!f', and nothing in the thread catches it
  });
  t.join();
}

// The body's own throw is the body's decision, whatever guards it.
class Worker {
public:
  void start() {
    // CHECK: :[[@LINE+1]]:27: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
    thread_ = std::thread([this] {
      if (!ready_)
        throw std::logic_error("worker started before it was ready");
      // CHECK: :[[@LINE-1]]:9: note: the body throws std::logic_error when '!ready_', and nothing in the thread catches it
      flush();
    });
  }
  ~Worker() { thread_.join(); }

private:
  bool ready_ = false;
  std::thread thread_;
};

// --- Contract checks, the way libraries spell them -------------------------

#define UNLIKELY(x) __builtin_expect(!!(x), 0)

// A promise in the style of Boost.Fiber's: the guard is on its own state,
// wrapped in a branch-prediction hint.
class HintedPromise {
public:
  void set_value(int v) {
    if (UNLIKELY(!state_))
      throw std::logic_error("promise uninitialized");
    *state_ = v;
  }

private:
  std::shared_ptr<int> state_ = std::make_shared<int>();
};

// A promise that refuses a missing exception: the caller breaks the
// contract by passing nothing, which current_exception() never does.
class ExPromise {
public:
  void set_exception(std::exception_ptr error) {
    if (!static_cast<bool>(error))
      throw std::invalid_argument("set_exception: null exception_ptr");
    error_ = error;
  }

private:
  std::exception_ptr error_;
};

void report_back(std::function<void()> work) {
  HintedPromise done;
  ExPromise failed;
  // The completion callback the thread calls is the user's lambda; what it
  // calls throws only on broken contracts.
  auto callback = [&done](int v) mutable { done.set_value(v); };
  std::thread t([&failed, work, callback]() mutable {
    try {
      work();
    } catch (...) {
      failed.set_exception(std::current_exception());
    }
  });
  std::thread u([callback]() mutable { callback(1); });
  t.join();
  u.join();
}

// A callable object whose own throw depends on what the thread hands it.
struct Validator {
  void operator()(int n) const {
    if (n < 0)
      throw std::domain_error("negative input");
  }
};

void validate_async(int n) {
  Validator check;
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([check, n] { check(n); });
  // CHECK: :[[@LINE-1]]:30: note: 'check' throws std::domain_error when 'n < 0', and nothing in the thread catches it
  t.join();
}
