// co_spawn(ex, task(), use_future) returns a std::future holding the
// coroutine's result and exception: dropping it loses both. Standalone Asio
// (the RUN lines say it has C++20 coroutines, which it cannot detect with
// clang) and Boost.Asio, with libstdc++ and libc++.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:' -DNS=asio
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:' -DNS=asio
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:' -DNS=boost::asio
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:' -DNS=boost::asio

#include "../Inputs/asio-net.h"


awaitable<int> compute();
awaitable<void> flush();

void dropped(net::io_context &io) {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by '[[NS]]::co_spawn' is discarded: the task's result and exceptions are lost [tether-unjoined-task]
  co_spawn(io, compute(), net::use_future);
}

void dropped_void(net::thread_pool &pool) {
  // CHECK: :[[@LINE+1]]:9: warning: future returned by '[[NS]]::co_spawn' is discarded
  (void)co_spawn(pool, flush(), net::use_future);
}

// --- Negatives -------------------------------------------------------------

int kept(net::io_context &io) {
  auto result = co_spawn(io, compute(), net::use_future);
  io.run();
  return result.get();
}

void detached_is_detached_threads(net::io_context &io) {
  co_spawn(io, flush(), net::detached);
}

void with_handler(net::io_context &io) {
  co_spawn(io, compute(), [](std::exception_ptr, int) {});
}
