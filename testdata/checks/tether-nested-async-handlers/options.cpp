// A codebase sets its own limit and teaches tether its event loop.
// RUN: printf 'CheckOptions:\n  tether-nested-async-handlers.MaxDepth: 2\n  tether-nested-async-handlers.AsyncFunctions: "ev::Loop::run_after;queue_work"\n  tether-nested-async-handlers.ContinuationMethods: "and_then"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-nested-async-handlers' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// Without the options, none of these calls is an asynchronous operation.
// RUN: %tether --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx | count 0
// The plugin reads the same options, and round-trips them in --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx 2>/dev/null | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-nested-async-handlers' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-nested-async-handlers.MaxDepth: '2'
// DUMP-DAG: tether-nested-async-handlers.AsyncFunctions: 'ev::Loop::run_after;queue_work'
// DUMP-DAG: tether-nested-async-handlers.ContinuationMethods: and_then

#include <chrono>
#include <functional>
#include <utility>

namespace ev {
class Loop {
public:
  void run_after(std::chrono::milliseconds, std::function<void()> fn) { fn(); }
  void run_in_loop(std::function<void()> fn) { fn(); }
};
} // namespace ev

void queue_work(int id, std::function<void(int)> done);

template <typename T> struct Result {
  template <typename Fn> Result<T> and_then(Fn fn) { return fn(std::move(value)); }
  T value;
};

void poll(ev::Loop &loop);

void retries(ev::Loop &loop) {
  loop.run_after(std::chrono::milliseconds(10), [&loop] {
    loop.run_after(std::chrono::milliseconds(20), [&loop] {
      // CHECK: :[[@LINE+4]]:53: warning: completion handler of 'run_after' is nested 3 deep in other completion handlers (limit 2)
      // CHECK: :[[@LINE-3]]:49: note: level 1: completion handler of 'run_after'
      // CHECK: :[[@LINE-3]]:51: note: level 2: completion handler of 'run_after'
      // CHECK: :[[@LINE+1]]:53: note: flatten the sequence
      loop.run_after(std::chrono::milliseconds(40), [&loop] { poll(loop); });
    });
  });
}

void jobs() {
  queue_work(1, [](int a) {
    queue_work(a, [](int b) {
      // CHECK: :[[@LINE+2]]:21: warning: completion handler of 'queue_work' is nested 3 deep
      // CHECK: :[[@LINE+1]]:21: note: flatten the sequence
      queue_work(b, [](int) {});
    });
  });
}

Result<int> chain(Result<int> r) {
  return r.and_then([](int a) {
    return Result<int>{a + 1}.and_then([](int b) {
      // CHECK: :[[@LINE+2]]:42: warning: completion handler of 'and_then' is nested 3 deep
      // CHECK: :[[@LINE+1]]:42: note: flatten the sequence
      return Result<int>{b * 2}.and_then([](int c) { return Result<int>{c}; });
    });
  });
}

// Negatives: two deep is within the limit; run_in_loop is not configured.
void within(ev::Loop &loop) {
  loop.run_after(std::chrono::milliseconds(10), [&loop] {
    loop.run_after(std::chrono::milliseconds(20), [&loop] {
      loop.run_in_loop([&loop] { poll(loop); });
    });
  });
}
