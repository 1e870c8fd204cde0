// A codebase names its own stop methods.
// RUN: printf 'CheckOptions:\n  tether-thread-in-constructor.StopMethods: "retire"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-thread-in-constructor' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-thread-in-constructor' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// The option round-trips through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-thread-in-constructor' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-thread-in-constructor.StopMethods: retire

#include <thread>

void poll_devices();

// With StopMethods = retire, a method named stop() no longer counts: only
// retire() does.
class Legacy {
public:
  // CHECK: :[[@LINE+3]]:14: warning: constructor of 'Legacy' starts a thread kept in 'worker_' that nothing can ask to stop: 'Legacy' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:14: note: give 'Legacy' a stop path: a std::jthread whose body watches its
  Legacy() : worker_([] {
    while (true)
      poll_devices();
  }) {}
  void stop();

private:
  std::thread worker_;
};

class Modern {
public:
  Modern() : worker_([] {
    while (true)
      poll_devices();
  }) {}
  void retire();

private:
  std::thread worker_;
};
