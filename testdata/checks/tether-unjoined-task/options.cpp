// Options: a team's own thread, joining thread, spawner and future types,
// and exception paths.
// RUN: printf 'CheckOptions:\n  ThreadTypes: "acme::Worker"\n  JoiningThreadTypes: "acme::ScopedWorker"\n  tether-unjoined-task.TaskSpawners: "acme::Pool::submit"\n  tether-unjoined-task.FutureTypes: "acme::Ticket"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: printf 'CheckOptions:\n  tether-unjoined-task.ExceptionPaths: true\n' > %t.exc.yaml
// RUN: not %tether --config-file=%t.exc.yaml --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --check-prefix=EXC --implicit-check-not='warning:'
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.exc.yaml --checks='-*,tether-unjoined-task' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-unjoined-task.ExceptionPaths: 'true'

#include <thread>
#include <utility>

namespace acme {
class Worker {
public:
  template <typename F> explicit Worker(F) {}
  ~Worker() {}
  void join() {}
  bool joinable() const { return true; }
};
class ScopedWorker : public Worker {
public:
  using Worker::Worker;
};
struct Ticket {
  int wait() { return 0; }
};
struct Pool {
  template <typename F> Ticket submit(F) { return {}; }
};
} // namespace acme

void step();
void might_throw();

void custom_thread(bool stop) {
  // CHECK: :[[@LINE+1]]:16: warning: thread 'w' is still joinable when it goes out of scope on some path
  acme::Worker w(step);
  if (stop)
    return;
  w.join();
}

void custom_joining_thread(bool stop) {
  acme::ScopedWorker w(step);
  if (stop)
    return;
}

void custom_spawner(acme::Pool &pool) {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'acme::Pool::submit' is discarded: the task's result and exceptions are lost
  pool.submit(step);
  // CHECK: :[[@LINE+1]]:16: warning: future 'ticket' is never waited for
  acme::Ticket ticket = pool.submit(step);
  acme::Ticket waited = pool.submit(step);
  waited.wait();
}

// With ExceptionPaths, a throwing call between start and join is a path to
// std::terminate; without it, this is fine.
void throws_between() {
  // EXC: :[[@LINE+1]]:15: warning: thread 't' is destroyed while joinable if an exception propagates: its destructor calls std::terminate
  std::thread t(step);
  // EXC: :[[@LINE+1]]:3: note: if this call throws, 't' is destroyed without join()
  might_throw();
  t.join();
}

void handles_its_own_throws() {
  std::thread t(step);
  try {
    might_throw();
  } catch (...) {
  }
  t.join();
}
