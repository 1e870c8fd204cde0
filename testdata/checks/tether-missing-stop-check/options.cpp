// Options: a team's own stop token type, and its own "are we stopping?"
// function.
// RUN: printf 'CheckOptions:\n  tether-missing-stop-check.StopTokenTypes: "acme::CancelToken"\n  tether-missing-stop-check.StopCheckFunctions: "acme::shutting_down"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-missing-stop-check' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-missing-stop-check.StopCheckFunctions: 'acme::shutting_down'
// DUMP-DAG: tether-missing-stop-check.StopTokenTypes: 'acme::CancelToken'

#include <stop_token>
#include <thread>

namespace acme {
class CancelToken {
public:
  bool cancelled() const;
};
bool shutting_down();
} // namespace acme

void work();

// A team's own token: ignored just like a std::stop_token would be.
// CHECK: :[[@LINE+1]]:37: warning: stop token 'tok' is never checked: the loop in 'serve' cannot be cancelled and join() will wait forever
void serve(const acme::CancelToken &tok) {
  // CHECK: :[[@LINE+1]]:3: note: this loop never observes
  for (;;)
    work();
  // CHECK: :[[@LINE-4]]:37: note: test stop_requested()
}

// The loop asks the process-wide shutdown function instead of the token:
// with StopCheckFunctions that counts as observing a stop.
// DEFAULT: :[[@LINE+1]]:28: warning: stop token 'st' is never checked: the loop in 'drain' cannot be cancelled and join() waits until the loop ends by itself
void drain(std::stop_token st) {
  while (!acme::shutting_down())
    work();
}
