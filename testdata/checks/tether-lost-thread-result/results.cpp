// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <functional>
#include <future>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

int checksum(const std::string &path);
std::error_code flush_journal();
bool migrate(int version);
void log_line(const std::string &);

// --- Positives -------------------------------------------------------------

void verify(const std::string &path) {
  // CHECK: :[[@LINE+1]]:15: warning: thread discards the 'int' that 'checksum' returns: nothing can read the result or learn that it failed [tether-lost-thread-result]
  std::thread t(checksum, path);
  t.join();
}

void flush_in_background() {
  // CHECK: :[[@LINE+2]]:3: warning: thread discards the 'std::error_code' that 'flush_journal' returns
  // CHECK: :13:17: note: 'flush_journal' returns 'std::error_code' here
  std::thread(flush_journal).join();
}

void migrate_async(int version) {
  // CHECK: :[[@LINE+1]]:15: warning: thread discards the 'bool' that the lambda returns
  std::thread t([version] { return migrate(version); });
  t.join();
}

class Indexer {
public:
  bool rebuild();
  void start() {
    // CHECK: :[[@LINE+1]]:15: warning: thread discards the 'bool' that 'Indexer::rebuild' returns
    worker_ = std::thread(&Indexer::rebuild, this);
  }
  ~Indexer() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::thread worker_;
};

struct Probe {
  int operator()() const { return checksum("/proc/self/status"); }
};
void run_probe() {
  // CHECK: :[[@LINE+1]]:16: warning: thread discards the 'int' that 'Probe::operator()' returns
  std::jthread probe{Probe{}};
}

void many(const std::vector<std::string> &paths) {
  std::vector<std::thread> pool;
  for (const auto &p : paths)
    // CHECK: :[[@LINE+1]]:20: warning: thread discards the 'int' that 'checksum' returns
    pool.push_back(std::thread(checksum, p));
  for (auto &t : pool)
    t.join();
}

template <typename T> void spawn_and_wait() {
  // CHECK: :[[@LINE+1]]:15: warning: thread discards the 'std::string'
  std::thread t([] { return std::string("done"); });
  t.join();
}
void use_spawn_and_wait() { spawn_and_wait<int>(); }

// --- Negatives -------------------------------------------------------------

// A worker whose every return is the same constant tells nobody anything.
void print_twice() {
  auto worker = [](int id) -> int {
    for (int i = 0; i < 2; ++i)
      log_line("worker " + std::to_string(id));
    return 0;
  };
  std::thread first(worker, 0);
  std::thread second(worker, 1);
  first.join();
  second.join();
}

// An input loop declared to return int that never returns: it ends the
// process instead.
[[noreturn]] void quit(int code);
int read_commands() {
  for (;;) {
    std::string line = "quit";
    if (line == "quit")
      quit(0);
    log_line(line);
  }
}
void start_input() {
  std::thread input(read_commands);
  input.detach();
}

// Two different constants do say how it ended.
int sync_once() { return migrate(3) ? 0 : 1; }
void sync_in_background() {
  // CHECK: :[[@LINE+1]]:15: warning: thread discards the 'int' that 'sync_once' returns
  std::thread t(sync_once);
  t.join();
}

void void_body() {
  std::thread t([] { log_line("tick"); });
  t.join();
}

void function_returning_void() {
  std::thread t(log_line, "hello");
  t.join();
}

int future_carries_it(const std::string &path) {
  auto f = std::async(std::launch::async, checksum, path);
  return f.get();
}

int packaged_task_carries_it(const std::string &path) {
  std::packaged_task<int(const std::string &)> task(checksum);
  std::future<int> result = task.get_future();
  std::thread t(std::move(task), path);
  t.join();
  return result.get();
}

void promise_carries_it(std::promise<int> p, const std::string &path) {
  std::thread t([p = std::move(p), path]() mutable { p.set_value(checksum(path)); });
  t.join();
}

void result_stored_by_the_body(int &out, const std::string &path) {
  std::thread t([&out, path] { out = checksum(path); });
  t.join();
}

void moved_thread(std::thread other) {
  std::thread t(std::move(other)); // not a new thread
  t.join();
}

struct Overloaded {
  int operator()(int x) const { return x; }
  void operator()() const {}
};
void overloaded_callable() {
  std::thread t(Overloaded{});
  t.join();
}

void bound_callable() {
  std::thread t(std::bind(log_line, "bound"));
  t.join();
}

void generic_lambda_in_template() {
  auto body = [](auto x) { log_line(x); };
  std::thread t(body, std::string("x"));
  t.join();
}
