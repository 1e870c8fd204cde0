// A coroutine's parameters are copied into its frame, which clang counts as
// a reference; only the body as written says whether the channel is used.
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-unused-channel-parameter' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unused-channel-parameter' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>

using Ticks = asio::experimental::channel<void(asio::error_code, int)>;

// The ticker was meant to feed 'out' and never does: whoever receives from
// it waits forever.
// CHECK: :[[@LINE+1]]:37: warning: channel parameter 'out' is never sent to, received from, closed or handed on
asio::awaitable<void> ticker(Ticks &out, std::chrono::milliseconds period) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int i = 0; i < 10; ++i) {
    timer.expires_after(period);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

// --- Negatives -------------------------------------------------------------

asio::awaitable<void> feeder(Ticks &out) {
  for (int i = 0; i < 10; ++i)
    co_await out.async_send(asio::error_code{}, i, asio::use_awaitable);
  out.close();
}

// Used only inside a lambda the coroutine starts.
asio::awaitable<void> relay(Ticks &in, Ticks &out) {
  auto forward = [&](int v) { out.try_send(asio::error_code{}, v); };
  for (;;)
    forward(co_await in.async_receive(asio::use_awaitable));
}

// Handed on to another coroutine it awaits.
asio::awaitable<void> supervise(Ticks &out) { co_await feeder(out); }
