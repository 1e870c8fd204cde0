// A retry loop whose only pause is a yield (std::this_thread::yield,
// boost::this_fiber::yield, sched_yield) when the attempt would block: a
// try_ call that failed, a status that says full or empty, errno EAGAIN from
// a non-blocking read or send.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/context.hpp>
#include <boost/fiber/operations.hpp>
#include <atomic>
#include <cerrno>
#include <cstddef>
#include <chrono>
#include <functional>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <thread>
#include <unistd.h>

template <typename T> class Outbox {
public:
  bool try_push(const T &v);
};

void handle(int v);

void push_or_yield(Outbox<int> &out, int v) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'out.try_push' and only yields between attempts: it burns a core whenever another runnable thread does not take it [tether-busy-wait]
  while (!out.try_push(v))
    std::this_thread::yield();
}

// A fiber that yields while its channel is full: with no other ready fiber
// it comes straight back.
void fiber_send(boost::fibers::buffered_channel<int> &ch, int v) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'ch.try_push' and only yields between attempts
  for (;;) {
    auto st = ch.try_push(v);
    // CHECK: :[[@LINE-1]]:{{[0-9]+}}: note: 'ch.try_push' returns at once when there is nothing to take
    if (st == boost::fibers::channel_op_status::full) {
      boost::this_fiber::yield();
      continue;
    }
    break;
  }
}

// A non-blocking socket: recv returns EAGAIN when there is nothing, and the
// loop yields and asks again.
ssize_t read_some(int fd, char *buf, size_t len) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'recv' and only yields between attempts
  for (;;) {
    ssize_t n = ::recv(fd, buf, len, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      sched_yield();
      continue;
    }
    if (n < 0)
      return -1; // a real error
    return n;
  }
}

// The same written as a do-while.
ssize_t send_all(int fd, const char *buf, size_t len) {
  ssize_t n;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'send' and only yields between attempts
  do {
    n = ::send(fd, buf, len, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN)
      std::this_thread::yield();
  } while (n < 0 && errno == EAGAIN);
  return n;
}

// --- What stays silent -----------------------------------------------------

// A fiber library's accept on a non-blocking socket: on EAGAIN it submits a
// readiness poll to its proactor and parks the fiber (context::suspend())
// until the completion schedules it again, then retries. The fiber sleeps.
using Completion = std::function<void(int)>;
void submit_poll_add(int fd, Completion on_ready);

class FiberCall {
public:
  explicit FiberCall(int fd) : me_(boost::fibers::context::active()) {
    submit_poll_add(fd, [this](int res) {
      res_ = res;
      boost::fibers::context::active()->schedule(me_);
    });
  }
  int Get() {
    me_->suspend();
    return res_;
  }

private:
  boost::fibers::context *me_;
  int res_ = 0;
};

int accept_parked(int listener) {
  while (true) {
    int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK);
    if (fd >= 0)
      return fd;
    if (errno == EAGAIN) {
      FiberCall call(listener);
      if (call.Get() < 0)
        return -1;
      continue;
    }
    return -1;
  }
}


// EINTR: a signal interrupted the call, retry it (it blocks again).
ssize_t read_retry(int fd, char *buf, size_t len) {
  ssize_t n;
  do {
    n = ::read(fd, buf, len);
  } while (n < 0 && errno == EINTR);
  return n;
}

// EAGAIN, then wait for the descriptor to become readable.
ssize_t read_polled(int fd, char *buf, size_t len) {
  for (;;) {
    ssize_t n = ::recv(fd, buf, len, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, 100);
      continue;
    }
    return n;
  }
}

// EAGAIN hands the wait back to the caller's event loop.
ssize_t read_once(int fd, char *buf, size_t len) {
  for (;;) {
    ssize_t n = ::recv(fd, buf, len, MSG_DONTWAIT);
    if (n < 0 && errno == EAGAIN)
      return 0;
    if (n < 0 && errno == EINTR)
      continue;
    return n;
  }
}

// A bounded number of yields, then a sleep.
void push_bounded(Outbox<int> &out, int v) {
  for (int i = 0; !out.try_push(v); ++i) {
    if (i < 16)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// An eventcount's two-phase wait: prepare_wait() only announces the waiter
// (it does not wait), so the spin after it is still a spin. A semaphore's
// wait() before a poll is another matter (negatives.cpp, 28).
class EventCount {
public:
  void prepare_wait(std::size_t id);
  void commit_wait(std::size_t id);
  std::size_t num_waiters() const;
};

void announce_then_spin(EventCount &ec, std::atomic<bool> &go, std::size_t id) {
  ec.prepare_wait(id);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'go.load' and only yields between attempts: it burns a core whenever another runnable thread does not take it [tether-busy-wait]
  while (!go.load(std::memory_order_acquire))
    std::this_thread::yield();
  ec.commit_wait(id);
}

void until_all_waiting(EventCount &ec, std::size_t n) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop spins on 'ec.num_waiters' and only yields between attempts: it burns a core whenever another runnable thread does not take it [tether-busy-wait]
  while (ec.num_waiters() != n)
    std::this_thread::yield();
}
