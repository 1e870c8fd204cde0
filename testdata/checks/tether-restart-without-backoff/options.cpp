// SleepFunctions teaches the check a project's own delay helper.
// RUN: printf 'CheckOptions:\n  tether-restart-without-backoff.SleepFunctions: "acme::nap"\n' > %t.yaml
// RUN: %tether --config-file=%t.yaml --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx | count 0
// RUN: %tether --config-file=%t.yaml --checks='-*,tether-restart-without-backoff' %s -- %libcxx | count 0
// Without it, acme::nap is an unknown function and the loop spins.
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-restart-without-backoff' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-restart-without-backoff.SleepFunctions: 'acme::nap'

#include <exception>

namespace acme {
void nap(int ms); // defined elsewhere: sleeps with jitter
}
void serve();

void supervise() {
  while (true) {
    try {
      serve();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'serve' as soon as it fails
    } catch (...) {
      acme::nap(250);
    }
  }
}
