// A codebase teaches tether its own fiber type (FiberTypes) and its own
// coroutine spawner (CoroutineSpawners); both round-trip through the plugin's
// --dump-config.
// RUN: printf 'CheckOptions:\n  tether-detached-thread.FiberTypes: "acme::Strand"\n  CoroutineSpawners: "::acme::spawn"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-detached-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// Without the options, acme's types are nobody's tasks.
// RUN: %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | count 0
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-detached-thread' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-detached-thread.FiberTypes: 'acme::Strand'
// DUMP-DAG: tether-detached-thread.CoroutineSpawners: '::acme::spawn'

#include <coroutine>
#include <exception>

namespace acme {
// Ends the process when destroyed running, as std::thread does; what
// "running" means is its runtime's, so tether knows it only when told.
class Strand {
public:
  template <typename Fn> explicit Strand(Fn &&fn) { (void)fn; }
  ~Strand() {
    if (running_)
      std::terminate();
  }
  void detach() { running_ = false; }
  void join() { running_ = false; }

private:
  bool running_ = true;
};

struct task {
  struct promise_type {
    task get_return_object() { return {}; }
    std::suspend_always initial_suspend() noexcept { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct detached_t {};
inline constexpr detached_t detached;
struct executor {};
template <typename Token> void spawn(executor, task, Token) {}
} // namespace acme

void poll();

void strand() {
  acme::Strand s(poll);
  // CHECK: :[[@LINE+1]]:5: warning: fiber 's' is detached
  s.detach();
}

acme::task forever() {
  for (;;) {
    co_await std::suspend_always{};
    poll();
  }
}

void start(acme::executor ex) {
  // CHECK: :[[@LINE+1]]:3: warning: detached coroutine 'forever': nothing can stop it [tether-detached-thread]
  acme::spawn(ex, forever(), acme::detached);
}
