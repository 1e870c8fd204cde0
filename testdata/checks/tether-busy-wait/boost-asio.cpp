// Boost.Fiber channels, Boost.Lockfree queues and Asio channels.
// REQUIRES: boost, asio
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <asio/experimental/concurrent_channel.hpp>
#include <asio/io_context.hpp>
#include <atomic>
#include <boost/fiber/buffered_channel.hpp>
#include <boost/lockfree/spsc_queue.hpp>
#include <system_error>

using channel = boost::fibers::buffered_channel<int>;
using status = boost::fibers::channel_op_status;

void consume(int v);

// --- Positives -------------------------------------------------------------

void fiber_poll(channel &ch, std::atomic<bool> &stop) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'ch.try_pop' without blocking, sleeping or backing off
  while (!stop) {
    if (ch.try_pop(v) == status::success)
      consume(v);
  }
}

void fiber_wait_for_one(channel &ch) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'ch.try_pop' without blocking
  while (ch.try_pop(v) != status::success) {
  }
  consume(v);
}

void lockfree_spin(boost::lockfree::spsc_queue<int> &q) {
  int v = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'q.pop' without blocking
  for (;;) {
    if (q.pop(v))
      consume(v);
  }
}

void asio_try_receive(asio::experimental::concurrent_channel<void(std::error_code, int)> &ch,
                      std::atomic<bool> &stop) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'ch.try_receive' without blocking
  while (!stop.load()) {
    ch.try_receive([](std::error_code, int v) { consume(v); });
  }
}

// Waiting for a value by asking ready() until it says yes spins.
void asio_wait_ready(asio::experimental::concurrent_channel<void(std::error_code, int)> &input) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'input.ready'
  while (!input.ready()) {
  }
  input.try_receive([](std::error_code, int v) { consume(v); });
}

void asio_poll_loop(asio::io_context &io, std::atomic<bool> &stop) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'io.poll' without blocking
  while (!stop)
    io.poll();
}

// --- Negatives -------------------------------------------------------------

void fiber_blocking_pop(channel &ch) {
  int v = 0;
  while (ch.pop(v) == status::success) // blocks until a value or close
    consume(v);
}

void fiber_drain(channel &ch) {
  int v = 0;
  while (ch.try_pop(v) == status::success)
    consume(v);
}

// A session's input handler empties its Asio channel: ready() is true while
// a value waits, so the loop leaves once the channel is empty (the retry
// after a failed try_receive re-asks ready()).
void asio_drain_ready(asio::experimental::concurrent_channel<void(std::error_code, int)> &input) {
  while (input.ready()) {
    if (!input.try_receive([](std::error_code ec, int v) {
          if (!ec)
            consume(v);
        }))
      continue;
  }
}

void fiber_poll_then_wait(channel &ch) {
  int v = 0;
  for (;;) {
    if (ch.try_pop(v) == status::success) {
      consume(v);
      continue;
    }
    if (ch.pop_wait_for(v, std::chrono::milliseconds(20)) == status::closed)
      return;
  }
}

void asio_run(asio::io_context &io, std::atomic<bool> &stop) {
  while (!stop)
    io.run_one();
}

void lockfree_consume_until_empty(boost::lockfree::spsc_queue<int> &q) {
  int v = 0;
  while (q.pop(v))
    consume(v);
}
