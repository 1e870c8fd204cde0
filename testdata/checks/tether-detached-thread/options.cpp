// A codebase teaches tether its own thread type and completion signal.
// RUN: printf 'CheckOptions:\n  tether-detached-thread.ThreadTypes: "acme::Worker;::acme::Fiber"\n  CompletionSignalTypes: acme::WaitGroup\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-detached-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// Without the options, acme's types are nobody's threads.
// RUN: %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | count 0
// The plugin reads the same options, and round-trips them in --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-detached-thread' %s -- %libstdcxx 2>/dev/null | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-detached-thread' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-detached-thread.ThreadTypes: 'acme::Worker;::acme::Fiber'

#include <exception>
#include <stop_token>
#include <utility>

namespace acme {
// Like std::thread, it ends the process when destroyed running; what
// "running" means is its runtime's, so tether knows it only when told.
class Worker {
public:
  template <typename Fn> explicit Worker(Fn &&fn) { (void)fn; }
  ~Worker() {
    if (running_)
      std::terminate();
  }
  void detach() { running_ = false; }
  void join() { running_ = false; }

private:
  bool running_ = true;
};
class Fiber {
public:
  void detach() {}
};
struct WaitGroup {
  void done() {}
};
} // namespace acme

void handle_request();

void fire() {
  acme::Worker w(handle_request);
  // CHECK: :[[@LINE+1]]:5: warning: thread 'w' is detached
  w.detach();
}

void fiber(acme::Fiber &f) {
  // CHECK: :[[@LINE+1]]:5: warning: thread 'f' is detached
  f.detach();
}

// Silent: the body gets a stop token and the team's own completion signal.
void owned(std::stop_token token, acme::WaitGroup &wg) {
  acme::Worker([token, &wg] { wg.done(); (void)token; }).detach();
}
