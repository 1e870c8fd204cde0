// A team's own channel type, taught through global CheckOptions.
// RUN: printf 'CheckOptions:\n  ChannelTypes: "team::Channel;team::JobQueue"\n  SendMethods: "send"\n  ReceiveMethods: "receive;try_receive"\n  CloseMethods: "shutdown"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-receiver-closes-channel' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-receiver-closes-channel' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// Without the options the type is nobody's channel.
// RUN: %tether --checks='-*,tether-receiver-closes-channel' %s -- %libstdcxx | FileCheck %s --check-prefix=NONE --allow-empty
// NONE-NOT: warning:
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-receiver-closes-channel' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-receiver-closes-channel.ChannelTypes: 'team::Channel;team::JobQueue'
// DUMP-DAG: tether-receiver-closes-channel.CloseMethods: shutdown
// DUMP-DAG: tether-receiver-closes-channel.ReceiveMethods: 'receive;try_receive'
// DUMP-DAG: tether-receiver-closes-channel.SendMethods: send

#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace team {
template <typename T> class Channel {
public:
  void send(T v) {
    std::lock_guard<std::mutex> l(mu_);
    items_.push_back(v);
  }
  bool receive(T &out);
  bool try_receive(T &out);
  void shutdown() {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
  }
  bool closed() const { return closed_; }

private:
  std::mutex mu_;
  std::deque<T> items_;
  bool closed_ = false;
};
// A type alias is a name too.
using Jobs = Channel<int>;
template <typename T> class Queue : public Channel<T> {};
using JobQueue = Queue<long>;
} // namespace team

void handle(int);

// --- Positives -------------------------------------------------------------

// Stops at a sentinel, while the senders may still send.
void consumer(team::Channel<int> &in) {
  int v;
  while (in.receive(v) && v != 0)
    handle(v);
  // CHECK: :[[@LINE+3]]:6: warning: 'in' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-3]]:13: note: 'in' is received from here
  // CHECK: :[[@LINE+1]]:6: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  in.shutdown();
}

void poller(team::Jobs *jobs) {
  int v;
  if (!jobs->try_receive(v))
    // CHECK: :[[@LINE+3]]:11: warning: 'jobs' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:14: note: 'jobs' is received from here
    // CHECK: :[[@LINE+1]]:11: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
    jobs->shutdown();
}

void derived(team::JobQueue &q) {
  long v;
  q.receive(v);
  // CHECK: :[[@LINE+3]]:5: warning: 'q' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:5: note: 'q' is received from here
  // CHECK: :[[@LINE+1]]:5: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  q.shutdown();
}

// --- Negatives -------------------------------------------------------------

void producer(team::Channel<int> &out) {
  out.send(1);
  out.shutdown();
}

void observer(team::Channel<int> &in) {
  int v;
  in.receive(v);
  if (in.closed())
    return;
}
