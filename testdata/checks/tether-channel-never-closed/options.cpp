// A team's own channel type, taught through global CheckOptions.
// RUN: printf 'CheckOptions:\n  ChannelTypes: "team::Channel"\n  SendMethods: "send"\n  ReceiveMethods: "receive;try_receive;receive_for"\n  CloseMethods: "shutdown"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-channel-never-closed' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-channel-never-closed' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// The clang-tidy plugin reports the same.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-channel-never-closed' %s -- %libstdcxx 2>/dev/null | FileCheck %s --implicit-check-not='warning:'
// Without the options the type is nobody's channel.
// RUN: %tether --checks='-*,tether-channel-never-closed' %s -- %libstdcxx | FileCheck %s --check-prefix=NONE --allow-empty
// NONE-NOT: warning:
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-channel-never-closed' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-channel-never-closed.ChannelTypes: 'team::Channel'
// DUMP-DAG: tether-channel-never-closed.CloseMethods: shutdown
// DUMP-DAG: tether-channel-never-closed.ReceiveMethods: 'receive;try_receive;receive_for'
// DUMP-DAG: tether-channel-never-closed.SendMethods: send

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace team {
template <typename T> class Channel {
public:
  void send(T v) {
    std::lock_guard<std::mutex> l(mu_);
    items_.push_back(std::move(v));
    cv_.notify_one();
  }
  // Blocks; false once shut down and drained.
  bool receive(T &out) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [this] { return !items_.empty() || closed_; });
    if (items_.empty())
      return false;
    out = std::move(items_.front());
    items_.pop_front();
    return true;
  }
  // Blocks; empty once shut down and drained.
  std::optional<T> receive() {
    T v;
    if (receive(v))
      return v;
    return std::nullopt;
  }
  bool try_receive(T &out);
  bool receive_for(T &out, std::chrono::milliseconds timeout);
  void shutdown() {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
    cv_.notify_all();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
  bool closed_ = false;
};
} // namespace team

void handle(int);
void handle(const std::string &);

// --- Positives -------------------------------------------------------------

void consume_all() {
  team::Channel<int> ch;
  std::thread producer([&] {
    for (int i = 0; i < 8; ++i)
      ch.send(i);
  });
  int v;
  // CHECK: :[[@LINE+4]]:3: warning: 'ch' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-7]]:22: note: 'ch' is declared here
  // CHECK: :[[@LINE-5]]:10: note: values are sent here, but nothing closes 'ch'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  while (ch.receive(v))
    handle(v);
  producer.join();
}

void optional_drain() {
  team::Channel<std::string> jobs;
  std::vector<std::thread> workers;
  for (int i = 0; i < 2; ++i)
    workers.emplace_back([&jobs] {
      // CHECK: :[[@LINE+4]]:7: warning: 'jobs' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
      // CHECK: :[[@LINE-5]]:30: note: 'jobs' is declared here
      // CHECK: :[[@LINE+5]]:8: note: values are sent here, but nothing closes 'jobs'
      // CHECK: :[[@LINE+1]]:7: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
      while (auto job = jobs.receive())
        handle(*job);
    });
  jobs.send("a");
  jobs.send("b");
  for (auto &w : workers)
    w.join();
}

// The receive in an if's init-statement, the else the only way out.
void if_init() {
  team::Channel<int> rx;
  std::jthread t([&rx] {
    // CHECK: :[[@LINE+4]]:5: warning: 'rx' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
    // CHECK: :[[@LINE-3]]:22: note: 'rx' is declared here
    // CHECK: :[[@LINE+9]]:8: note: values are sent here, but nothing closes 'rx'
    // CHECK: :[[@LINE+1]]:5: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
    while (true)
      if (auto i = rx.receive(); i) {
        handle(*i);
      } else
        break;
  });
  for (int i = 0; i < 100; ++i)
    rx.send(i);
}

// --- Negatives -------------------------------------------------------------

// The same with the sender shutting the channel down.
void if_init_shutdown() {
  team::Channel<int> rx;
  std::jthread t([&rx] {
    while (true)
      if (auto i = rx.receive(); i) {
        handle(*i);
      } else
        break;
  });
  for (int i = 0; i < 100; ++i)
    rx.send(i);
  rx.shutdown();
}

// A polling loop and a timed receive return on their own.
void polling() {
  team::Channel<int> ch;
  std::thread producer([&] { ch.send(1); });
  int v;
  while (ch.try_receive(v))
    handle(v);
  while (ch.receive_for(v, std::chrono::milliseconds(50)))
    handle(v);
  producer.join();
}

// A stop request is a second way out.
void stoppable(std::stop_token st) {
  team::Channel<int> ch;
  std::thread producer([&] { ch.send(1); });
  int v;
  while (!st.stop_requested() && ch.receive(v))
    handle(v);
  producer.join();
}

// Nothing is ever sent: not this check's business.
void never_fed() {
  team::Channel<int> ch;
  int v;
  while (ch.receive(v))
    handle(v);
}
