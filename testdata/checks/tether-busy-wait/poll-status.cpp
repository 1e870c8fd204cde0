// A poll whose result is kept in a status variable (an enum, a bool) and
// tested later. "closed" (or cancelled, an error) is the end of the queue,
// not an empty queue: a loop that leaves only on it still spins while the
// queue is open and empty.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <boost/fiber/buffered_channel.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>

enum class PollStatus { ok, empty, closed };

// A queue of this project: try_pop says whether it took, found nothing, or
// found the queue closed.
template <typename T> class Inbox {
public:
  PollStatus try_pop(T &out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_)
      return PollStatus::closed;
    if (items_.empty())
      return PollStatus::empty;
    out = items_.front();
    items_.pop_front();
    return PollStatus::ok;
  }
  void wait_nonempty() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return closed_ || !items_.empty(); });
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
  bool closed_ = false;
};

void handle(int v);

// The status is kept, "closed" ends the loop, "ok" does work: on "empty" it
// goes round again at once.
void status_enum(Inbox<int> &inbox) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'inbox.try_pop' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  for (;;) {
    int v = 0;
    PollStatus st = inbox.try_pop(v);
    // CHECK: :[[@LINE-1]]:27: note: 'inbox.try_pop' returns at once when there is nothing to take
    if (st == PollStatus::closed)
      return;
    if (st == PollStatus::ok)
      handle(v);
  }
}

// Boost.Fiber's channel: try_pop returns channel_op_status.
void fiber_channel(boost::fibers::buffered_channel<int> &ch) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'ch.try_pop' without blocking
  while (true) {
    auto st = ch.try_pop(v);
    if (st == boost::fibers::channel_op_status::closed)
      break;
    if (st != boost::fibers::channel_op_status::success)
      continue;
    handle(v);
  }
}

// A bool assigned from a test of the poll, and tested afterwards.
void bool_status(Inbox<int> &inbox, const std::atomic<bool> &stop) {
  int v = 0;
  bool got = false;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'inbox.try_pop' without blocking
  while (!stop.load()) {
    got = inbox.try_pop(v) == PollStatus::ok;
    if (got)
      handle(v);
  }
}

// The status tested in the loop's own condition.
void do_until_closed(Inbox<int> &inbox) {
  PollStatus st;
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'inbox.try_pop' without blocking
  do {
    st = inbox.try_pop(v);
    if (st == PollStatus::ok)
      handle(v);
  } while (st != PollStatus::closed);
}

// --- What stays silent -----------------------------------------------------

// Leaves when the queue is empty: a drain.
void drain_on_empty(Inbox<int> &inbox) {
  for (;;) {
    int v = 0;
    PollStatus st = inbox.try_pop(v);
    if (st == PollStatus::closed || st == PollStatus::empty)
      return;
    handle(v);
  }
}

// Anything but "ok" leaves.
void drain_unless_ok(Inbox<int> &inbox) {
  int v = 0;
  for (;;) {
    auto st = inbox.try_pop(v);
    if (st != PollStatus::ok)
      break;
    handle(v);
  }
}

// "closed" ends it, "empty" blocks until there is something.
void block_on_empty(Inbox<int> &inbox) {
  for (;;) {
    int v = 0;
    PollStatus st = inbox.try_pop(v);
    if (st == PollStatus::closed)
      return;
    if (st == PollStatus::empty) {
      inbox.wait_nonempty();
      continue;
    }
    handle(v);
  }
}

// A bool that is true when the poll found nothing, and leaves.
void bool_empty_leaves(Inbox<int> &inbox) {
  int v = 0;
  while (true) {
    bool nothing = inbox.try_pop(v) != PollStatus::ok;
    if (nothing)
      break;
    handle(v);
  }
}

// Boost.Fiber: a blocking pop, the loop ends when the channel closes.
void fiber_blocking(boost::fibers::buffered_channel<int> &ch) {
  int v = 0;
  while (ch.pop(v) != boost::fibers::channel_op_status::closed)
    handle(v);
}
