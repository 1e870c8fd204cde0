// REQUIRES: plugin19
// A plugin only loads into the clang-tidy major it was built for; this one
// was built with -DTETHER_LLVM_VERSION=19 (scripts/test.sh, build-19/).
// RUN: %clang-tidy-19 --load %plugin19 --checks='-*,tether-*' --list-checks | FileCheck %s --check-prefix=LIST
// LIST: tether-detached-thread
// RUN: %clang-tidy-19 --load %plugin19 --checks='-*,tether-*' %s -- -std=c++20 2>/dev/null | FileCheck %s --implicit-check-not='warning:'

#include <thread>

void tick();

void start() {
  std::thread t(tick);
  // CHECK: load-19.cpp:[[@LINE+1]]:5: warning: thread 't' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  t.detach();
}
