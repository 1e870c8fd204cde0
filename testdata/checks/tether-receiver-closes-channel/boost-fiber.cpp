// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-receiver-closes-channel' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-receiver-closes-channel' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;
using namespace std::chrono_literals;

struct Job {
  int id = 0;
  bool last = false;
};
void handle(int);
void handle(const Job &);
void notify_producer(buffered_channel<int> &);

// --- Positives -------------------------------------------------------------

// A consumer that decides the stream is over (a sentinel), while the
// producer may still be pushing.
void consume(buffered_channel<int> &jobs) {
  int v;
  while (jobs.pop(v) == channel_op_status::success) {
    if (v < 0)
      break;
    handle(v);
  }
  // CHECK: :[[@LINE+3]]:8: warning: 'jobs' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-6]]:15: note: 'jobs' is received from here
  // CHECK: :[[@LINE+1]]:8: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  jobs.close();
}

// Through a pointer.
void drain(buffered_channel<int> *jobs) {
  int v;
  while (jobs->try_pop(v) == channel_op_status::success)
    handle(v);
  // CHECK: :[[@LINE+3]]:9: warning: 'jobs' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-3]]:16: note: 'jobs' is received from here
  // CHECK: :[[@LINE+1]]:9: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  jobs->close();
}

// Through a shared_ptr.
void worker(std::shared_ptr<buffered_channel<int>> queue) {
  int v;
  while (queue->pop(v) == channel_op_status::success)
    if (v < 0)
      break;
  // CHECK: :[[@LINE+3]]:10: warning: 'queue' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-4]]:17: note: 'queue' is received from here
  // CHECK: :[[@LINE+1]]:10: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  queue->close();
}

// Range-for receives; leaving it early and closing cuts the sender off.
void first_negative(unbuffered_channel<int> &in) {
  for (int v : in)
    if (v < 0)
      break;
  // CHECK: :[[@LINE+3]]:6: warning: 'in' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-4]]:3: note: 'in' is received from here
  // CHECK: :[[@LINE+1]]:6: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  in.close();
}

// value_pop throws once the channel is closed.
void value_pop_loop(buffered_channel<int> &in) {
  try {
    for (;;)
      handle(in.value_pop());
  } catch (const boost::fibers::fiber_error &) {
  }
  // CHECK: :[[@LINE+3]]:6: warning: 'in' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
      // CHECK: :[[@LINE-4]]:17: note: 'in' is received from here
  // CHECK: :[[@LINE+1]]:6: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  in.close();
}

// A receiver that gives up after a timeout.
void impatient(buffered_channel<int> &replies) {
  int v;
  if (replies.pop_wait_for(v, 100ms) == channel_op_status::timeout)
    // CHECK: :[[@LINE+3]]:13: warning: 'replies' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:15: note: 'replies' is received from here
    // CHECK: :[[@LINE+1]]:13: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
    replies.close();
}

// A member reached through this.
class Consumer {
public:
  explicit Consumer(buffered_channel<int> &in) : in_(in) {}
  void run() {
    int v;
    while (in_.pop(v) == channel_op_status::success)
      if (v == 0)
        // CHECK: :[[@LINE+3]]:13: warning: 'in_' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
    // CHECK: :[[@LINE-3]]:16: note: 'in_' is received from here
        // CHECK: :[[@LINE+1]]:13: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
        in_.close();
  }

private:
  buffered_channel<int> &in_;
};

// A class that sends in one method and closes from its receiving worker.
class Stage {
public:
  void submit(Job j) { jobs_.push(j); }
  void work() {
    Job j;
    while (jobs_.pop(j) == channel_op_status::success) {
      handle(j);
      if (j.last)
        // CHECK: :[[@LINE+3]]:15: warning: 'jobs_' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
    // CHECK: :[[@LINE-4]]:18: note: 'jobs_' is received from here
        // CHECK: :[[@LINE+1]]:15: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
        jobs_.close();
    }
  }
  void work_in_thread() {
    std::thread([this] {
      Job j;
      jobs_.pop(j);
      // CHECK: :[[@LINE+3]]:13: warning: 'jobs_' is closed by a lambda that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
      // CHECK: :[[@LINE-2]]:13: note: 'jobs_' is received from here
      // CHECK: :[[@LINE+1]]:13: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
      jobs_.close();
    }).detach();
  }

private:
  buffered_channel<Job> jobs_{64};
};

// The spawning function sends; the thread body it starts receives and closes.
void produce_and_consume(buffered_channel<int> &jobs) {
  std::thread t([&jobs] {
    int v;
    while (jobs.pop(v) == channel_op_status::success && v >= 0)
      handle(v);
    // CHECK: :[[@LINE+3]]:10: warning: 'jobs' is closed by a lambda that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
    // CHECK: :[[@LINE-3]]:17: note: 'jobs' is received from here
    // CHECK: :[[@LINE+1]]:10: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
    jobs.close();
  });
  for (int i = 0; i < 10; ++i)
    jobs.push(i);
  t.join();
}

// A local reference to a channel someone else owns.
struct Hub {
  buffered_channel<int> &inbox();
};
void read_one(Hub &hub) {
  auto &in = hub.inbox();
  int v;
  in.pop(v);
  // CHECK: :[[@LINE+3]]:6: warning: 'in' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:6: note: 'in' is received from here
  // CHECK: :[[@LINE+1]]:6: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  in.close();
}

// An alias of a member is the member.
class Mailbox {
public:
  void take_one() {
    auto &box = box_;
    int v;
    box.try_pop(v);
    // CHECK: :[[@LINE+3]]:9: warning: 'box_' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
    // CHECK: :[[@LINE-2]]:9: note: 'box_' is received from here
    // CHECK: :[[@LINE+1]]:9: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
    box.close();
  }
  void put(int v) { box_.push(v); }

private:
  buffered_channel<int> box_{8};
};

// A lambda parameter.
auto consume_once = [](buffered_channel<int> &c) {
  int v;
  c.pop(v);
  // CHECK: :[[@LINE+3]]:5: warning: 'c' is closed by a lambda that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:5: note: 'c' is received from here
  // CHECK: :[[@LINE+1]]:5: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  c.close();
};

// In a template, seen in its pattern.
template <typename T> void drain_all(buffered_channel<T> &c) {
  T v;
  while (c.pop(v) == channel_op_status::success)
    handle(v);
  // CHECK: :[[@LINE+3]]:5: warning: 'c' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-3]]:12: note: 'c' is received from here
  // CHECK: :[[@LINE+1]]:5: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  c.close();
}
template void drain_all<int>(buffered_channel<int> &);

// A channel the function made, once another receiver shares it.
void shared_receive_side() {
  buffered_channel<int> ch(8);
  std::thread other([&ch] {
    int v;
    ch.pop(v);
  });
  int v;
  ch.pop(v);
  // CHECK: :[[@LINE+3]]:6: warning: 'ch' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:6: note: 'ch' is received from here
  // CHECK: :[[@LINE+1]]:6: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  ch.close();
  other.join();
}

// --- Negatives -------------------------------------------------------------

// The producer closes.
void produce(buffered_channel<int> &out) {
  for (int i = 0; i < 10; ++i)
    out.push(i);
  out.close();
}

// Sends and receives: it is a party to both sides.
void relay(buffered_channel<int> &ch) {
  int v;
  ch.pop(v);
  ch.push(v + 1);
  ch.close();
}

// A pipeline stage closes its output, not its input.
void stage(buffered_channel<int> &in, buffered_channel<int> &out) {
  int v;
  while (in.pop(v) == channel_op_status::success)
    out.push(v * 2);
  out.close();
}

// Close, then drain what is left: a shutdown, not a consumer's close.
void shutdown(buffered_channel<int> &ch) {
  ch.close();
  int v;
  while (ch.try_pop(v) == channel_op_status::success)
    handle(v);
}

// The function made the channel and holds its only receive side; the
// producer it started sees the close and stops.
int owner_closes() {
  buffered_channel<int> ch(8);
  std::thread producer([&ch] {
    for (int i = 0;; ++i)
      if (ch.push(i) == channel_op_status::closed)
        return;
  });
  int v = 0;
  ch.pop(v);
  ch.close();
  producer.join();
  return v;
}

// The same, with nobody else in sight.
void only_receiver() {
  buffered_channel<int> ch(2);
  int v;
  ch.try_pop(v);
  ch.close();
}

// Handed to a function we cannot see: it may be the sender.
void hands_it_on(buffered_channel<int> &ch) {
  int v;
  ch.pop(v);
  notify_producer(ch);
  ch.close();
}

// Handed to a helper that sends.
static void refill(buffered_channel<int> &ch) { ch.push(0); }
void consume_and_refill(buffered_channel<int> &ch) {
  int v;
  ch.pop(v);
  refill(ch);
  ch.close();
}

// A lambda in the body sends.
void retry_on_failure(buffered_channel<int> &ch) {
  int v;
  ch.pop(v);
  auto retry = [&] { ch.push(v); };
  retry();
  ch.close();
}

// Receiving in run(), closing in stop(): the owner's stop path.
class Service {
public:
  void run() {
    int v;
    while (requests_.pop(v) == channel_op_status::success)
      handle(v);
  }
  void stop() { requests_.close(); }
  ~Service() { requests_.close(); }

private:
  buffered_channel<int> requests_{16};
};

// Receives from one channel, closes another.
void two_channels(buffered_channel<int> &a, buffered_channel<int> &b) {
  int v;
  a.pop(v);
  b.close();
}

// Receives only.
void just_reads(unbuffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}

// Asks before closing, never receives.
void close_if_open(buffered_channel<int> &ch) {
  if (!ch.is_closed())
    ch.close();
}

// A different object's member.
struct Pair {
  buffered_channel<int> q{4};
};
void cross(Pair &a, Pair &b) {
  int v;
  a.q.pop(v);
  b.q.close();
}

// A consumer that closes again after draining: the loop ends only once the
// producer has closed the channel, so this close finds it closed and cuts
// off no sender (a redundant, harmless close).
void print_word(const std::string &w);
void print_all(buffered_channel<std::string> &words) {
  for (std::string &w : words)
    print_word(w);
  words.close();
}
void count_all(buffered_channel<int> &jobs) {
  int v;
  while (jobs.pop(v) == channel_op_status::success)
    handle(v);
  jobs.close();
}

// Closing before draining is still the receiver's close.
void stop_then_drain(buffered_channel<std::string> &words) {
  // CHECK: :[[@LINE+3]]:9: warning: 'words' is closed by a function that only receives from it
  std::string w;
  words.pop(w);
  words.close();
  for (std::string &rest : words)
    (void)rest;
}

// Suppressed.
void acknowledged(buffered_channel<int> &ch) {
  int v;
  ch.pop(v);
  ch.close(); // NOLINT(tether-receiver-closes-channel)
}
