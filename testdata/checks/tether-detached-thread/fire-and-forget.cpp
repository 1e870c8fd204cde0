// A codebase that names its pool's fire-and-forget submissions
// (FireAndForgetSubmitters, none built in) has each one owned: a task handed
// to one returns nothing to wait on, so it is reported unless the same pool
// is waited for later in the function. Without the option nothing is.
// RUN: printf 'CheckOptions:\n  FireAndForgetSubmitters: "BS::thread_pool::detach_task;::acme::post"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-detached-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | count 0
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-detached-thread' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-detached-thread.FireAndForgetSubmitters: 'BS::thread_pool::detach_task;::acme::post'

#include <functional>
#include <future>
#include <string>
#include <utility>
#include <vector>

// The shape of BS::thread_pool's API (the header is not a Debian package).
namespace BS {
class thread_pool {
public:
  template <typename F> void detach_task(F &&task) {
    enqueue(std::function<void()>(std::forward<F>(task)));
  }
  template <typename F> std::future<void> submit_task(F &&task) {
    return enqueue_for_result(std::function<void()>(std::forward<F>(task)));
  }
  void wait();

private:
  void enqueue(std::function<void()> task);
  std::future<void> enqueue_for_result(std::function<void()> task);
};
} // namespace BS

namespace acme {
class Executor {};
void post(Executor &ex, std::function<void()> job);
} // namespace acme

void save(const std::string &path);
void log_line(const std::string &line);

// --- Positives -------------------------------------------------------------

void autosave(BS::thread_pool &pool, const std::string &path) {
  // CHECK-DAG: :[[@LINE+2]]:3: warning: task handed to 'detach_task' has no owner: nothing waits for it here and an exception it throws is lost [tether-detached-thread]
  // CHECK-DAG: :[[@LINE+1]]:3: note: 'BS::thread_pool::detach_task' is configured as a fire-and-forget submission
  pool.detach_task([path] { save(path); });
}

class Logger {
public:
  void write(const std::string &line) {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: task handed to 'post' has no owner
    acme::post(io_, [line] { log_line(line); });
  }

private:
  acme::Executor io_;
};

// Waiting for a different pool does not wait for this one.
void two_pools(BS::thread_pool &io, BS::thread_pool &cpu) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: task handed to 'detach_task' has no owner
  io.detach_task([] { save("a"); });
  cpu.wait();
}

// --- Negatives -------------------------------------------------------------

// The owner waits for every task it handed on.
void save_all(BS::thread_pool &pool, const std::vector<std::string> &paths) {
  for (const std::string &p : paths)
    pool.detach_task([p] { save(p); });
  pool.wait();
}

// A submission that returns a future is not configured as fire-and-forget.
void save_one(BS::thread_pool &pool) {
  auto done = pool.submit_task([] { save("b"); });
  (void)done;
}
