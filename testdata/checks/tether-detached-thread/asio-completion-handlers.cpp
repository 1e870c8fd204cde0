// Coroutines whose end goes to a completion handler written as a lambda. A
// handler that does nothing and never reads the std::exception_ptr
// (`[self](std::exception_ptr) {}`, `[](auto &&...) {}`) is `detached`
// written longhand: both halves of ownership are asked. A handler that acts
// on the end (`done.set()`) but never reads the exception tells its owner
// the coroutine ended, never that it failed: only the failure half is asked.
// A handler that reads the exception hands it on.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "../Inputs/asio-net.h"
#ifdef USE_BOOST_ASIO
#include <boost/asio/as_tuple.hpp>
using net::as_tuple;
#else
#include <asio/experimental/as_tuple.hpp>
using net::experimental::as_tuple;
#endif

using net::use_awaitable;
using net::ip::tcp;
using namespace std::chrono_literals;

void log_failure(std::exception_ptr failure);

// A subscription keeps itself alive through the handler's capture; the
// handler drops what ended the read loop.
class Subscription : public std::enable_shared_from_this<Subscription> {
public:
  explicit Subscription(tcp::socket socket) : socket_(std::move(socket)) {}

  void start() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached coroutine 'read_updates': its exceptions are lost [tether-detached-thread]
    co_spawn(socket_.get_executor(), read_updates(),
             [self = shared_from_this()](std::exception_ptr) {});
  }

private:
  awaitable<void> read_updates() {
    char data[512];
    for (;;) {
      std::size_t n = co_await socket_.async_read_some(net::buffer(data),
                                                       use_awaitable);
      std::fwrite(data, 1, n, stdout);
    }
  }

  tcp::socket socket_;
};

// A ticker on its own local timer: nothing ends it, and the generic empty
// handler hears nothing.
awaitable<void> ticker(std::atomic<int> &ticks) {
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    timer.expires_after(1s);
    co_await timer.async_wait(use_awaitable);
    ++ticks;
  }
}

void start_ticker(net::io_context &io, std::atomic<int> &ticks) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'ticker': nothing can stop it [tether-detached-thread]
  co_spawn(io, ticker(ticks), [](auto &&...) {});
}

// The handler is a named local: the same empty handler.
void start_ticker_named(net::io_context &io, std::atomic<int> &ticks) {
  auto ignore = [](std::exception_ptr) {};
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'ticker': nothing can stop it [tether-detached-thread]
  co_spawn(io, ticker(ticks), ignore);
}

// A client connects and sends a greeting; its owner waits on `connected`,
// which the handler sets, so the owner hears the end but not the failure
// of async_connect.
awaitable<void> greet(tcp::socket &socket, tcp::endpoint server) {
  co_await socket.async_connect(server, use_awaitable);
  co_await net::async_write(socket, net::buffer(std::string("hello\n")),
                            use_awaitable);
}

void start_greeting(tcp::socket &socket, tcp::endpoint server,
                    std::atomic<bool> &connected) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: coroutine 'greet' ends in a completion handler that ignores its exception: its exceptions are lost [tether-detached-thread]
  co_spawn(socket.get_executor(), greet(socket, server),
           [&connected](std::exception_ptr) { connected = true; });
}

// The same end signal over a coroutine that hands every error back as a
// value: there is no exception to lose.
awaitable<void> greet_quietly(tcp::socket &socket, tcp::endpoint server) {
  auto [ec] = co_await socket.async_connect(
      server, as_tuple(use_awaitable));
  if (ec)
    co_return;
  co_await net::async_write(socket, net::buffer(std::string("hello\n")),
                            as_tuple(use_awaitable));
}

void start_quiet_greeting(tcp::socket &socket, tcp::endpoint server,
                          std::atomic<bool> &connected) {
  co_spawn(socket.get_executor(), greet_quietly(socket, server),
           [&connected](std::exception_ptr) { connected = true; });
}

// Handlers that read the exception hand it on: logged, rethrown out of
// run(), or counted with the result.
void start_logged(tcp::socket &socket, tcp::endpoint server) {
  co_spawn(socket.get_executor(), greet(socket, server),
           [](std::exception_ptr failure) {
             if (failure)
               log_failure(failure);
           });
}

void start_rethrowing(tcp::socket &socket, tcp::endpoint server) {
  co_spawn(socket.get_executor(), greet(socket, server),
           [](std::exception_ptr failure) {
             if (failure)
               std::rethrow_exception(failure);
           });
}

awaitable<int> fetch_count(tcp::socket &socket) {
  char data[4];
  co_await net::async_read(socket, net::buffer(data), use_awaitable);
  co_return data[0];
}

void start_counting(tcp::socket &socket, std::atomic<int> &failures,
                    std::atomic<int> &total) {
  co_spawn(socket.get_executor(), fetch_count(socket),
           [&](std::exception_ptr failure, int count) {
             if (failure)
               ++failures;
             else
               total += count;
           });
}

// A generic handler that forwards everything it is handed.
void start_forwarding(tcp::socket &socket, tcp::endpoint server) {
  co_spawn(socket.get_executor(), greet(socket, server),
           [](auto &&...results) { log_failure(results...); });
}
