// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-unused-channel-parameter' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unused-channel-parameter' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>
#include <functional>
#include <memory>
#include <thread>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

void handle(int);
void forward_to(buffered_channel<int> &);

// --- Positives -------------------------------------------------------------

// Takes the job channel, never looks at it.
// CHECK: :[[@LINE+2]]:39: warning: channel parameter 'jobs' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:39: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void log_stats(buffered_channel<int> &jobs, int n) { handle(n); }

// CHECK: :[[@LINE+2]]:40: warning: channel parameter 'out' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:40: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void by_pointer(buffered_channel<int> *out) { handle(0); }

// CHECK: :[[@LINE+2]]:59: warning: channel parameter 'results' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:59: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void by_shared_ptr(std::shared_ptr<buffered_channel<int>> results) {
  handle(1);
}

// CHECK: :[[@LINE+2]]:42: warning: channel parameter 'handoff' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:42: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void rendezvous(unbuffered_channel<int> &handoff) {}

// CHECK: :[[@LINE+2]]:73: warning: channel parameter 'ch' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:73: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void by_reference_wrapper(std::reference_wrapper<buffered_channel<int>> ch) {
  handle(2);
}

// One of two channels used.
// CHECK: :[[@LINE+2]]:66: warning: channel parameter 'out' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:66: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void half_used(buffered_channel<int> &in, buffered_channel<int> &out) {
  int v;
  while (in.pop(v) == channel_op_status::success)
    handle(v);
}

class Worker {
public:
  // Not stored, not used.
  // CHECK: :[[@LINE+2]]:33: warning: channel parameter 'in' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
  // CHECK: :[[@LINE+1]]:33: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
  Worker(buffered_channel<int> &in, int id) : id_(id) {}
  // CHECK: :[[@LINE+2]]:37: warning: channel parameter 'from' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
  // CHECK: :[[@LINE+1]]:37: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
  void drain(buffered_channel<int> &from) { handle(id_); }
  // CHECK: :[[@LINE+2]]:44: warning: channel parameter 'queue' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
  // CHECK: :[[@LINE+1]]:44: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
  static void spawn(buffered_channel<int> &queue) { handle(3); }

private:
  int id_;
};

// CHECK: :[[@LINE+2]]:55: warning: channel parameter 'c' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:55: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
template <typename T> void typed(buffered_channel<T> &c) { handle(4); }
template void typed<int>(buffered_channel<int> &);

// A const reference cannot send, receive or close either.
// CHECK: :[[@LINE+2]]:43: warning: channel parameter 'ch' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:43: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void inspect(const buffered_channel<int> &ch) { handle(5); }

// Declared first, defined later with the name.
void later(buffered_channel<int> &);
// CHECK: :[[@LINE+2]]:35: warning: channel parameter 'late' is never sent to, received from, closed or handed on: the caller's senders or receivers wait on a party that never comes [tether-unused-channel-parameter]
// CHECK: :[[@LINE+1]]:35: note: use the channel, drop the parameter, or leave it unnamed if the signature is imposed
void later(buffered_channel<int> &late) { handle(6); }

// --- Negatives -------------------------------------------------------------

void unnamed(buffered_channel<int> &) { handle(7); }

void deliberately(buffered_channel<int> &ch [[maybe_unused]]) {}

void voided(buffered_channel<int> &ch) { (void)ch; }

struct Stage {
  virtual ~Stage() = default;
  virtual void run(buffered_channel<int> &in) {}
};
struct Printer : Stage {
  void run(buffered_channel<int> &in) override { handle(8); }
};

// No body here.
void declared_only(buffered_channel<int> &ch);

void passes_on(buffered_channel<int> &ch) { forward_to(ch); }

void captures(buffered_channel<int> &ch) {
  std::thread t([&ch] { ch.close(); });
  t.join();
}

class Holder {
public:
  explicit Holder(buffered_channel<int> &ch) : ch_(ch) {}

private:
  buffered_channel<int> &ch_;
};

bool observes(buffered_channel<int> &ch) { return ch.is_closed(); }

auto callback = [](buffered_channel<int> &ch, int v) { handle(v); };

void deleted(buffered_channel<int> &ch) = delete;

void ranges(unbuffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}

void named_in_declaration_only(buffered_channel<int> &ch);
void named_in_declaration_only(buffered_channel<int> &) {}

void uses_all(buffered_channel<int> &a, buffered_channel<int> &b) {
  a.push(1);
  b.close();
}

// Suppressed.
void acknowledged(buffered_channel<int> &ch) {} // NOLINT(tether-unused-channel-parameter)
