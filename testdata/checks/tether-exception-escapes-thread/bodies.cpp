// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <cstddef>
#include <optional>
#include <mutex>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

void log_error(const char *what);
void upload(const std::string &blob); // may throw: not visible, not reported
bool more();

// --- Positives -------------------------------------------------------------

void throw_directly() {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+2]]:22: note: the body throws std::runtime_error, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([] { throw std::runtime_error("disk full"); });
  t.join();
}

void load_shard(int shard) {
  if (shard < 0)
    throw std::invalid_argument("negative shard");
  upload("shard");
}

void named_function() {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE-6]]:5: note: the body throws std::invalid_argument when 'shard < 0', and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t(load_shard, 3);
  t.join();
}

class Indexer {
public:
  // CHECK: :[[@LINE+3]]:40: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+6]]:16: note: 'Indexer::parse' throws std::runtime_error when '!more()', and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:40: note: catch everything at the top of the body (try { ... } catch (...)) and
  void start() { worker_ = std::thread(&Indexer::run, this); }
  void stop() { worker_.join(); }

private:
  void run() { parse(); }
  void parse() {
    if (!more())
      throw std::runtime_error("truncated index");
  }
  std::thread worker_;
};

struct PortReader {
  std::string text;
  void operator()() const {
    int port = std::stoi(text);
    (void)port;
  }
};

void function_object() {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE-7]]:16: note: 'std::stoi' throws std::invalid_argument or std::out_of_range when its text is not a number in range, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t{PortReader{"8080"}};
  t.join();
}

void jthread_at(std::vector<int> &slots) {
  // CHECK: :[[@LINE+3]]:18: warning: an exception escaping this std::jthread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+4]]:13: note: 'std::vector::at' throws std::out_of_range when the key or index is not there, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:18: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::jthread t([&slots](std::stop_token st) {
    while (!st.stop_requested())
      slots.at(7) += 1;
  });
}

void wrong_catch() {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+4]]:7: note: the body throws std::logic_error, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([] {
    try {
      throw std::logic_error("bad state");
    } catch (const std::runtime_error &e) {
      log_error(e.what());
    }
  });
  t.join();
}

void rethrows() {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+7]]:7: note: the body rethrows the exception it caught, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([] {
    try {
      load_shard(-1);
    } catch (...) {
      log_error("shard failed");
      throw;
    }
  });
  t.join();
}

void pool_of_workers(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    // CHECK: :[[@LINE+3]]:23: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
    // CHECK: :[[@LINE+4]]:9: note: the body throws std::out_of_range when 'i > 64', and nothing in the thread catches it
    // CHECK: :[[@LINE+1]]:23: note: catch everything at the top of the body (try { ... } catch (...)) and
    pool.emplace_back([i] {
      if (i > 64)
        throw std::out_of_range("worker index");
    });
  for (auto &t : pool)
    t.join();
}

template <typename Job> void run_detached_job(Job job) {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+4]]:7: note: the body throws std::runtime_error when '!job()', and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([job] {
    if (!job())
      throw std::runtime_error("job failed");
  });
  t.join();
}

void instantiate() {
  run_detached_job([] { return true; });
  run_detached_job([] { return false; });
}

void waits_for_result(std::future<int> &result) {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+3]]:20: note: 'std::future::get' throws the task's exception when the task failed, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([&result] {
    int v = result.get(); // rethrows the producer's exception
    (void)v;
  });
  t.join();
}

void lookup(const std::map<std::string, int> &limits) {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+2]]:42: note: 'std::map::at' throws std::out_of_range when the key or index is not there, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([&limits] { (void)limits.at("max"); });
  t.join();
}

// std::bind(f, args) runs f: judged like std::thread t(f, args).
void bound_callable() {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :33:5: note: the body throws std::invalid_argument when 'shard < 0', and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t(std::bind(load_shard, 1));
  t.join();
}

// --- Negatives -------------------------------------------------------------

void async_carries_it() {
  auto f = std::async(std::launch::async,
                      [] { throw std::runtime_error("carried by the future"); });
  try {
    f.get();
  } catch (const std::exception &) {
  }
}

void packaged_task_carries_it() {
  std::packaged_task<int()> task([]() -> int { throw std::runtime_error("x"); });
  auto f = task.get_future();
  std::thread t(std::move(task));
  t.join();
  (void)f;
}

void catch_all() {
  std::thread t([] {
    try {
      load_shard(-1);
    } catch (...) {
      log_error("shard failed");
    }
  });
  t.join();
}

void catch_std_and_all() {
  std::thread t([] {
    try {
      int port = std::stoi("80");
      (void)port;
      throw 42;
    } catch (const std::exception &e) {
      log_error(e.what());
    } catch (...) {
      log_error("unknown");
    }
  });
  t.join();
}

void unknown_callee() {
  std::thread t([] { upload("blob"); }); // not visible: not reported
  t.join();
}

void handled_inside() {
  std::thread t([] {
    for (int i = 0; i < 3; ++i) {
      try {
        load_shard(i - 1);
      } catch (const std::invalid_argument &) {
        continue;
      }
    }
  });
  t.join();
}

void noexcept_body() {
  std::thread t([]() noexcept { log_error("nothing to do"); });
  t.join();
}

void stoi_guarded(const std::string &s) {
  std::thread t([&s] {
    try {
      (void)std::stoi(s);
    } catch (const std::exception &) {
    }
  });
  t.join();
}

void nested_lambda_not_called() {
  std::thread t([] {
    auto fail = [] { throw std::runtime_error("never called here"); };
    (void)fail;
  });
  t.join();
}

void matching_catch() {
  std::thread t([] {
    try {
      throw std::runtime_error("retry");
    } catch (const std::runtime_error &) {
      log_error("retrying");
    }
  });
  t.join();
}

void function_object_safe() {
  struct Safe {
    void operator()() const noexcept {}
  };
  std::thread t{Safe{}};
  t.join();
}

// Regression (whisper.cpp): a library call that throws only when a check the
// callee makes first fails is not counted below the thread's own body.
int language_id(const std::map<std::string, int> &ids, const std::string &l) {
  if (!ids.count(l))
    return -1;
  return ids.at(l);
}

void guarded_at_in_callee(const std::map<std::string, int> &ids) {
  std::thread t([&ids] { (void)language_id(ids, "en"); });
  t.join();
}

// A pipeline stage hands its value over in an optional slot: the consumer's
// wait returns only once its predicate saw the slot filled, so value()
// cannot find it empty.
struct Slot {
  std::mutex lock;
  std::condition_variable filled;
  std::optional<int> value;
  bool closed = false;
};

void consume_slot(Slot &in, std::vector<int> &out) {
  std::thread t([&in, &out] {
    for (;;) {
      std::unique_lock<std::mutex> held(in.lock);
      in.filled.wait(held, [&] { return in.value.has_value(); });
      int v = in.value.value();
      in.value.reset();
      if (v < 0)
        return;
      out.push_back(v);
    }
  });
  t.join();
}

// A wait whose predicate tests something else leaves the slot unchecked.
void consume_until_closed(Slot &in, std::vector<int> &out) {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate
  std::thread t([&in, &out] {
    std::unique_lock<std::mutex> held(in.lock);
    in.filled.wait(held, [&] { return in.closed; });
    // CHECK: :[[@LINE+1]]:28: note: 'std::optional::value' throws std::bad_optional_access when it is empty
    out.push_back(in.value.value());
  });
  t.join();
}

// A handler runs only when its try block raises something: logging and
// rethrowing around code that cannot throw lets nothing out.
int checksum(const std::vector<int> &block) {
  int sum = 0;
  for (int v : block)
    sum += v;
  return sum;
}

void rethrow_around_nothing(const std::vector<int> &block) {
  std::thread t([&block] {
    try {
      (void)checksum(block);
    } catch (...) {
      log_error("checksum failed");
      throw;
    }
  });
  t.join();
}

// Running out of memory is not a thread's failure to handle: every
// allocation can raise it.
struct arena_exhausted : std::bad_alloc {};

void *arena_take(std::size_t n) {
  if (n > 4096)
    throw arena_exhausted();
  return nullptr;
}

void allocates(std::size_t n) {
  std::thread t([n] { (void)arena_take(n); });
  t.join();
}

// A throw inside a library's own code (std::vector's length check, Asio's
// throw_error) is the library's: only its documented throwing calls count.
void library_internals(std::vector<int> &v) {
  std::thread t([&v] { v.reserve(128); });
  t.join();
}

// The throw on the else branch of a test: it happens when the test fails,
// and the note says so (an accept loop that stops quietly only when it was
// cancelled).
int accept_error();
const int cancelled = 125;
void accept_until_cancelled() {
  // CHECK: :[[@LINE+1]]:15: warning: an exception escaping this std::thread body calls std::terminate
  std::thread([] {
    int ec = accept_error();
    if (ec == cancelled) {
      return;
    } else {
      throw std::runtime_error("accept failed");
      // CHECK: :[[@LINE-1]]:7: note: the body throws std::runtime_error when 'ec == cancelled' is false, and nothing in the thread catches it
    }
  }).detach();
}
