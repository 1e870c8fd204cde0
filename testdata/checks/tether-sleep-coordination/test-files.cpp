// Tests sleep to let threads run all the time; their files are exempt.
// RUN: %tether --checks='-*,tether-sleep-coordination' %S/Inputs/tests/flaky_test.cpp -- %libstdcxx | count 0
// With an empty TestFilePattern, nothing is exempt.
// RUN: printf 'CheckOptions:\n  tether-sleep-coordination.TestFilePattern: ""\n  tether-sleep-coordination.SleepFunctions: "acme::nap"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-sleep-coordination' %S/Inputs/tests/flaky_test.cpp -- %libstdcxx | FileCheck %s --check-prefix=ALL --implicit-check-not='warning:'
// ALL: flaky_test.cpp:13:3: warning: sleep used to wait for thread 'worker'
// ALL: flaky_test.cpp:19:3: warning: loop waits for another thread by sleeping
// A configured sleep function counts as a sleep.
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-sleep-coordination' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-sleep-coordination' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-sleep-coordination.TestFilePattern: ''
// DUMP-DAG: tether-sleep-coordination.SleepFunctions: 'acme::nap'

#include <atomic>

namespace acme {
void nap(int ms);
}

void wait_ready(std::atomic<bool> &ready) {
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'ready.load'
  while (!ready.load())
    acme::nap(5);
}
