// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-channel-never-closed' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-channel-never-closed' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// (This asio predates clang's C++20 coroutine macros: say that it has them.)

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>
#include <string>

using Events = asio::experimental::channel<void(asio::error_code, int)>;
using Shared =
    asio::experimental::concurrent_channel<void(asio::error_code, std::string)>;
constexpr auto as_tuple_awaitable =
    asio::experimental::as_tuple(asio::use_awaitable);

void handle(int);
void handle(const std::string &);
asio::awaitable<void> forward(Events &);

// --- Positives -------------------------------------------------------------

// The receive loop leaves only on an error: the closed channel's.
asio::awaitable<void> relay() {
  auto ex = co_await asio::this_coro::executor;
  Events events(ex, 16);
  asio::co_spawn(
      ex,
      [&events]() -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i)
          co_await events.async_send(asio::error_code{}, i, asio::use_awaitable);
      },
      asio::detached);
  // CHECK: :[[@LINE+4]]:3: warning: 'events' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-9]]:10: note: 'events' is declared here
  // CHECK: :[[@LINE-5]]:27: note: values are sent here, but nothing closes 'events'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  for (;;) {
    auto [ec, v] = co_await events.async_receive(as_tuple_awaitable);
    if (ec)
      break;
    handle(v);
  }
}

// use_awaitable throws once the channel is closed: the throw is the only
// way out.
asio::awaitable<void> printer() {
  auto ex = co_await asio::this_coro::executor;
  Events numbers(ex, 4);
  asio::co_spawn(
      ex,
      [&]() -> asio::awaitable<void> {
        co_await numbers.async_send(asio::error_code{}, 42, asio::use_awaitable);
      },
      asio::detached);
  // CHECK: :[[@LINE+4]]:3: warning: 'numbers' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-8]]:10: note: 'numbers' is declared here
  // CHECK: :[[@LINE-5]]:26: note: values are sent here, but nothing closes 'numbers'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  while (true) {
    int v = co_await numbers.async_receive(asio::use_awaitable);
    handle(v);
  }
}

// A session's outbox: write() sends, the writer coroutine drains until an
// error; nothing closes it.
class Session {
public:
  explicit Session(asio::io_context &io) : outbox_(io, 32) {}
  void write(std::string msg) {
    outbox_.try_send(asio::error_code{}, std::move(msg));
  }
  asio::awaitable<void> writer() {
    // CHECK: :[[@LINE+4]]:5: warning: 'outbox_' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
    // CHECK: :[[@LINE+12]]:10: note: 'outbox_' is declared here
    // CHECK: :[[@LINE-5]]:13: note: values are sent here, but nothing closes 'outbox_'
    // CHECK: :[[@LINE+1]]:5: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
    for (;;) {
      auto [ec, msg] = co_await outbox_.async_receive(as_tuple_awaitable);
      if (ec == asio::experimental::error::channel_closed)
        co_return;
      handle(msg);
    }
  }

private:
  Shared outbox_;
};

// The consumer is a coroutine the channel is handed to.
// CHECK: :[[@LINE+3]]:3: warning: 'ticks' is received from until it is closed, but nothing closes it
// CHECK: :[[@LINE+12]]:22: note: 'ticks' is handed to 'print_ticks' here, which receives from it until it is closed
asio::awaitable<void> print_ticks(Events &in) {
  for (;;) {
    auto [ec, v] = co_await in.async_receive(as_tuple_awaitable);
    if (ec)
      break;
    handle(v);
  }
}
asio::awaitable<void> ticker() {
  auto ex = co_await asio::this_coro::executor;
  Events ticks(ex, 4);
  asio::co_spawn(ex, print_ticks(ticks), asio::detached);
  for (int i = 0; i < 3; ++i)
    co_await ticks.async_send(asio::error_code{}, i, asio::use_awaitable);
}

// The same consumer, with an owner that closes after the last send.
asio::awaitable<void> closing_ticker() {
  auto ex = co_await asio::this_coro::executor;
  Events ticks(ex, 4);
  asio::co_spawn(ex, print_ticks(ticks), asio::detached);
  co_await ticks.async_send(asio::error_code{}, 1, asio::use_awaitable);
  ticks.close();
}

// --- Negatives -------------------------------------------------------------

// The sender closes when it is done.
asio::awaitable<void> closed_by_sender() {
  auto ex = co_await asio::this_coro::executor;
  Events events(ex, 16);
  asio::co_spawn(
      ex,
      [&events]() -> asio::awaitable<void> {
        co_await events.async_send(asio::error_code{}, 1, asio::use_awaitable);
        events.close();
      },
      asio::detached);
  for (;;) {
    auto [ec, v] = co_await events.async_receive(as_tuple_awaitable);
    if (ec)
      break;
    handle(v);
  }
}

// A second way out: a zero value ends the stream.
asio::awaitable<void> zero_terminated() {
  auto ex = co_await asio::this_coro::executor;
  Events events(ex, 16);
  asio::co_spawn(
      ex,
      [&events]() -> asio::awaitable<void> {
        co_await events.async_send(asio::error_code{}, 0, asio::use_awaitable);
      },
      asio::detached);
  for (;;) {
    auto [ec, v] = co_await events.async_receive(as_tuple_awaitable);
    if (ec || v == 0)
      break;
    handle(v);
  }
}

// A session stopped with cancel(): the pending receive fails, the loop ends.
class Client {
public:
  explicit Client(asio::io_context &io) : inbox_(io, 8) {}
  void deliver(std::string s) { inbox_.try_send(asio::error_code{}, std::move(s)); }
  void stop() { inbox_.cancel(); }
  asio::awaitable<void> reader() {
    for (;;) {
      auto [ec, s] = co_await inbox_.async_receive(as_tuple_awaitable);
      if (ec)
        break;
      handle(s);
    }
  }

private:
  Shared inbox_;
};

// A callback chain that re-arms the receive until it fails is a drain
// loop too (asio-handlers.cpp has more of this shape).
class Listener {
public:
  explicit Listener(asio::io_context &io) : events_(io, 8) {}
  void post(int v) { events_.try_send(asio::error_code{}, v); }
  void start() {
    // CHECK: :[[@LINE+1]]:5: warning: 'events_' is received from until it is closed, but nothing closes it: once the senders are done, the handler that re-arms this receive waits forever [tether-channel-never-closed]
    events_.async_receive([this](asio::error_code ec, int v) {
      if (ec)
        return;
      handle(v);
      start();
    });
  }

private:
  Events events_;
};

// A parameter: the caller owns it.
asio::awaitable<void> consume(Events &in) {
  for (;;) {
    auto [ec, v] = co_await in.async_receive(as_tuple_awaitable);
    if (ec)
      break;
    handle(v);
  }
}

// Handed to a coroutine this file cannot see.
asio::awaitable<void> handed_off() {
  auto ex = co_await asio::this_coro::executor;
  Events events(ex, 4);
  asio::co_spawn(ex, forward(events), asio::detached);
  co_await events.async_send(asio::error_code{}, 1, asio::use_awaitable);
  for (;;) {
    auto [ec, v] = co_await events.async_receive(as_tuple_awaitable);
    if (ec)
      break;
    handle(v);
  }
}

// A bounded receive: exactly n values.
asio::awaitable<void> take(int n) {
  auto ex = co_await asio::this_coro::executor;
  Events events(ex, 4);
  asio::co_spawn(
      ex,
      [&]() -> asio::awaitable<void> {
        co_await events.async_send(asio::error_code{}, 1, asio::use_awaitable);
      },
      asio::detached);
  for (int i = 0; i < n; ++i)
    handle(co_await events.async_receive(asio::use_awaitable));
}
