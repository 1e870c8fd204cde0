// A team's own channel type, taught through CheckOptions.
// RUN: printf 'CheckOptions:\n  ChannelTypes: "team::Mailbox"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-unused-channel-parameter' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-unused-channel-parameter' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: %tether --checks='-*,tether-unused-channel-parameter' %s -- %libstdcxx | FileCheck %s --check-prefix=NONE --allow-empty
// NONE-NOT: warning:
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-unused-channel-parameter' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-unused-channel-parameter.ChannelTypes: 'team::Mailbox'

#include <memory>

namespace team {
template <typename T> class Mailbox {
public:
  void post(T);
  bool take(T &);
};
} // namespace team

void log(int);

// CHECK: :[[@LINE+2]]:32: warning: channel parameter 'box' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:32: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void route(team::Mailbox<int> &box, int n) { log(n); }

// CHECK: :[[@LINE+2]]:55: warning: channel parameter 'box' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:55: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void route_shared(std::shared_ptr<team::Mailbox<int>> box) {}

// --- Negatives -------------------------------------------------------------

void deliver(team::Mailbox<int> &box) { box.post(1); }
