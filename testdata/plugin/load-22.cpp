// The plugin loads into the clang-tidy it was built for and reports what the
// driver reports.
// RUN: %clang-tidy --load %plugin --checks='-*,tether-*' --list-checks | FileCheck %s --check-prefix=LIST
// LIST: tether-detached-thread
// RUN: %clang-tidy --load %plugin --checks='-*,tether-*' %s -- -std=c++20 2>/dev/null | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- -std=c++20 | FileCheck %s --implicit-check-not='warning:'

#include <thread>

void tick();

void start() {
  std::thread t(tick);
  // CHECK: load-22.cpp:[[@LINE+1]]:5: warning: thread 't' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  t.detach();
}
