// co_spawn(ex, coro(ch), token) starts coro as a task of its own: two
// coroutines started that way that each close the same channel are two
// closers, not one caller that closes twice.
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-multiple-closers' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-multiple-closers' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'

#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/channel.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>

using Ticks = asio::experimental::channel<void(asio::error_code, int)>;

// Two producers that each close the channel when they finish: whichever
// ends first cuts the other off.
asio::awaitable<void> produce_evens(Ticks &ticks) {
  for (int i = 0; i < 10; i += 2)
    co_await ticks.async_send(asio::error_code{}, i, asio::use_awaitable);
  // CHECK-DAG: :[[@LINE+1]]:9: warning: 'ticks' is closed by 2 different functions or threads
  ticks.close();
}

asio::awaitable<void> produce_odds(Ticks &ticks) {
  for (int i = 1; i < 10; i += 2)
    co_await ticks.async_send(asio::error_code{}, i, asio::use_awaitable);
  // CHECK-DAG: :[[@LINE+1]]:9: note: 'ticks' is also closed here, in 'produce_odds'
  ticks.close();
}

void start_producers(asio::io_context &io, Ticks &ticks) {
  // CHECK-DAG: :[[@LINE+1]]:22: note: 'produce_evens' runs on its own thread, started here
  asio::co_spawn(io, produce_evens(ticks), asio::detached);
  // CHECK-DAG: :[[@LINE+1]]:22: note: 'produce_odds' runs on its own thread, started here
  asio::co_spawn(io, produce_odds(ticks), asio::detached);
}

// --- Negatives -------------------------------------------------------------

// One producer closes; the consumer only receives.
asio::awaitable<void> produce_all(Ticks &ticks) {
  for (int i = 0; i < 10; ++i)
    co_await ticks.async_send(asio::error_code{}, i, asio::use_awaitable);
  ticks.close();
}

asio::awaitable<void> consume(Ticks &ticks) {
  for (;;) {
    int v = co_await ticks.async_receive(asio::use_awaitable);
    (void)v;
  }
}

void start_pipeline(asio::io_context &io, Ticks &ticks) {
  asio::co_spawn(io, produce_all(ticks), asio::detached);
  asio::co_spawn(io, consume(ticks), asio::detached);
}
