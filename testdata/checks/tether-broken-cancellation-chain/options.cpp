// Options: AllowWaitedChildren=false also reports children the parent waits
// for; TaskSpawners teaches the check a team's own pool.
// RUN: printf 'CheckOptions:\n  tether-broken-cancellation-chain.AllowWaitedChildren: false\n  tether-broken-cancellation-chain.TaskSpawners: "acme::Pool::run"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-broken-cancellation-chain' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-broken-cancellation-chain' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// By default both children are silent: one is joined, the other's pool is unknown.
// RUN: %tether --checks='-*,tether-broken-cancellation-chain' %s -- %libstdcxx | count 0
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-broken-cancellation-chain' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-broken-cancellation-chain.AllowWaitedChildren: 'false'
// DUMP-DAG: tether-broken-cancellation-chain.TaskSpawners: 'acme::Pool::run'

#include <future>
#include <stop_token>
#include <thread>

namespace acme {
struct Ticket {
  void wait();
};
struct Pool {
  template <typename F> Ticket run(F f) {
    f();
    return {};
  }
};
} // namespace acme

int compute(int shard);
void work();

// Joined before returning: silent by default, reported when waiting for a
// child does not count as linking it.
void joins_child(std::stop_token st) {
  // CHECK: :[[@LINE+1]]:15: warning: thread started in a stop-aware function is not handed stop token 'st'
  std::thread t(compute, 1);
  while (!st.stop_requested())
    work();
  t.join();
  // CHECK: :[[@LINE-6]]:34: note: the parent's stop token is received here
  // CHECK: :[[@LINE-5]]:15: note: pass the parent's token
}

// A team's pool: its ticket is waited for.
void pool_child(std::stop_token st, acme::Pool &pool) {
  // CHECK: :[[@LINE+1]]:25: warning: task started in a stop-aware function is not handed stop token 'st'
  acme::Ticket ticket = pool.run([] { work(); });
  if (!st.stop_requested())
    ticket.wait();
  // CHECK: :[[@LINE-5]]:33: note: the parent's stop token is received here
  // CHECK: :[[@LINE-4]]:25: note: pass the parent's token
}
