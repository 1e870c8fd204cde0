// Options: a codebase teaches tether its own polling and blocking calls.
// RUN: printf 'CheckOptions:\n  tether-busy-wait.PollingFunctions: "acme::Inbox::peek"\n  BlockingFunctions: "acme::Inbox::park;settle"\n  tether-busy-wait.BackoffFunctions: "::acme_relax"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// Without the options, peek is an ordinary call and park a visible one.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-busy-wait' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-busy-wait.PollingFunctions: 'acme::Inbox::peek'
// DUMP-DAG: tether-busy-wait.BlockingFunctions: 'acme::Inbox::park;settle'
// DUMP-DAG: tether-busy-wait.BackoffFunctions: '::acme_relax'

#include <atomic>

namespace acme {
class Inbox {
public:
  bool peek(int &out) { return slot_.exchange(0) != 0 && (out = 1); }
  void park() {}
  std::atomic<int> slot_{0};
};
} // namespace acme

void acme_relax() {}
void settle(int) {}
void consume(int);

void peek_loop(acme::Inbox &in, std::atomic<bool> &stop) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'in.peek' without blocking
  while (!stop) {
    if (in.peek(v))
      consume(v);
  }
}

// A configured blocking call makes the loop wait.
void park_loop(acme::Inbox &in, std::atomic<bool> &stop) {
  int v = 0;
  while (!stop.load()) {
    if (in.peek(v))
      consume(v);
    else
      in.park();
  }
}

// A configured backoff helper.
void relax_loop(std::atomic<bool> &ready) {
  // DEFAULT: :[[@LINE+1]]:3: warning: loop spins on 'ready.load' without blocking
  while (!ready.load())
    acme_relax();
}

// An unqualified name matches any function of that name.
void settle_loop(std::atomic<bool> &ready) {
  // DEFAULT: :[[@LINE+1]]:3: warning: loop spins on 'ready.load' without blocking
  while (!ready)
    settle(1);
}
