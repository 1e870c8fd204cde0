// What ends a detached coroutine by an exception is not always a failure
// someone should have seen: a wait on a timer, signal set or channel ends
// early only when an owner cancels or closes it, and the operation_aborted
// or channel_closed that `detached` then drops is how the owner stopped it.
// And an operation of the project defined in another file that returns an
// error code hands its failure back as a value.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <chrono>
#include <cstdio>
#include <csignal>
#include <future>
#include <initializer_list>
#include <memory>
#include <string>
#include <system_error>
#include <tuple>

#include "../Inputs/asio-net.h"
#ifdef USE_BOOST_ASIO
#include <boost/asio/experimental/channel.hpp>
using error_code = boost::system::error_code;
using system_error = boost::system::system_error;
#else
#include <asio/experimental/channel.hpp>
using error_code = asio::error_code;
using system_error = std::system_error;
#endif

using net::detached;
using net::use_awaitable;
using net::ip::tcp;
using namespace std::chrono_literals;

struct Tick {
  double price;
};
struct Order {
  int qty;
};
using TickChannel = net::experimental::channel<void(error_code, Tick)>;
using OrderChannel = net::experimental::channel<void(error_code, Order)>;

// A trading pipeline: each stage receives from a channel the bus owns and
// sends to the next. Whoever holds the bus closes its channels to stop the
// stages; the channel_closed a receive then throws is the stop.
struct Bus {
  explicit Bus(net::io_context &io) : ticks(io, 64), orders(io, 64) {}
  TickChannel ticks;
  OrderChannel orders;
};

awaitable<void> run_strategy(TickChannel &in, OrderChannel &out) {
  double last = 0;
  for (;;) {
    Tick t = co_await in.async_receive(use_awaitable);
    if (t.price > last)
      co_await out.async_send(error_code{}, Order{1}, use_awaitable);
    last = t.price;
  }
}

void start_pipeline(net::io_context &io, Bus &bus) {
  co_spawn(io, run_strategy(bus.ticks, bus.orders), detached);
}

// A test's one-shot coroutine on the test's own channels, reporting through a
// promise: it ends by itself, and its sends fail only if someone closes them.
Order first_order(net::io_context &io, Bus &bus) {
  std::promise<Order> seen;
  co_spawn(
      io,
      [&]() -> awaitable<void> {
        co_await bus.ticks.async_send(error_code{}, Tick{101.5}, use_awaitable);
        Order o = co_await bus.orders.async_receive(use_awaitable);
        seen.set_value(o);
        io.stop();
      },
      detached);
  io.run();
  return seen.get_future().get();
}

// A heartbeat on a timer its connection owns and cancels on close.
class Connection : public std::enable_shared_from_this<Connection> {
public:
  explicit Connection(net::io_context &io) : heartbeat_(io) {}
  void start() {
    co_spawn(heartbeat_.get_executor(),
             [self = shared_from_this()] { return self->beat(); }, detached);
  }
  void close() { heartbeat_.cancel(); }

private:
  awaitable<void> beat() {
    for (;;) {
      heartbeat_.expires_after(5s);
      co_await heartbeat_.async_wait(use_awaitable);
      std::puts("ping");
    }
  }
  net::steady_timer heartbeat_;
};

// The project's session, its operations defined in session.cpp.
class Session {
public:
  explicit Session(net::any_io_executor ex);
  awaitable<error_code> open_passive(tcp::socket socket);
  awaitable<std::tuple<error_code, std::size_t>> pump();
  awaitable<void> serve();

private:
  tcp::socket socket_;
};

// Its open hands failure back as an error code: the coroutine reads it.
void accept_session(std::shared_ptr<Session> session, tcp::socket socket) {
  co_spawn(
      socket.get_executor(),
      [session, s = std::move(socket)]() mutable -> awaitable<void> {
        error_code ec = co_await session->open_passive(std::move(s));
        if (ec) {
          std::printf("select failed: %s\n", ec.message().c_str());
          co_return;
        }
        auto [pec, n] = co_await session->pump();
        std::printf("%zu bytes, %s\n", n, pec.message().c_str());
      },
      detached);
}

// serve() does the socket's I/O in session.cpp, which fails when the peer
// does: whether it catches that there, this file does not show, and on the
// corpus such operations mostly do not.
void serve_session(std::shared_ptr<Session> session, net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: its exceptions are lost [tether-detached-thread]
  co_spawn(
      io, [session]() -> awaitable<void> { co_await session->serve(); },
      detached);
}

// But a loop around an operation that only returns its error never ends: no
// exception leaves it, and nothing breaks out.
void keep_pumping(std::shared_ptr<Session> session, net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: nothing can stop it [tether-detached-thread]
  co_spawn(
      io,
      [session]() -> awaitable<void> {
        for (;;) {
          auto [ec, n] = co_await session->pump();
          if (ec)
            std::printf("pump: %s\n", ec.message().c_str());
        }
      },
      detached);
}

// A reader of the client's socket: a reset connection throws, and detached
// drops it.
awaitable<void> read_quotes(tcp::socket socket) {
  char buf[512];
  for (;;) {
    std::size_t n =
        co_await socket.async_read_some(net::buffer(buf), use_awaitable);
    std::fwrite(buf, 1, n, stdout);
  }
}

void start_quotes(tcp::socket socket) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'read_quotes': its exceptions are lost [tether-detached-thread]
  co_spawn(socket.get_executor(), read_quotes(std::move(socket)), detached);
}

// A stage on a channel of its own that nobody else can reach: nothing closes
// it, so nothing can stop the loop.
void start_local_stage(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: nothing can stop it [tether-detached-thread]
  co_spawn(
      io,
      [&io]() -> awaitable<void> {
        TickChannel own(io, 1);
        for (;;) {
          Tick t = co_await own.async_receive(use_awaitable);
          std::printf("%f\n", t.price);
        }
      },
      detached);
}

// The program's shutdown watcher: it waits on a signal set of its own and
// hands each signal to a callback that stops the io_context it runs on. It
// is how the program ends, and its frame goes with the context's; adding a
// signal number fails only when the number is not one. Silent.
template <typename OnSignal>
awaitable<void> handle_signals(std::initializer_list<int> numbers,
                               OnSignal on_signal) {
  net::signal_set signals(co_await net::this_coro::executor);
  for (int number : numbers)
    signals.add(number);
  for (;;) {
    int number = co_await signals.async_wait(use_awaitable);
    on_signal(number);
  }
}

int run_until_signalled() {
  net::io_context io;
  co_spawn(io,
           handle_signals({SIGINT, SIGTERM, SIGHUP},
                          [&io](int number) {
                            if (number != SIGHUP)
                              io.stop();
                          }),
           detached);
  io.run();
  return 0;
}

// The same watcher written inline, stopping a pool it was handed.
void stop_pool_on_signal(net::thread_pool &pool) {
  co_spawn(
      pool,
      [&pool]() -> awaitable<void> {
        net::signal_set signals(pool, SIGINT);
        signals.add(SIGTERM);
        co_await signals.async_wait(use_awaitable);
        pool.stop();
      },
      detached);
}

// A watcher whose callback only logs: the loop never ends, and nothing else
// can reach its signal set.
void log_signals(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'handle_signals': nothing can stop it [tether-detached-thread]
  co_spawn(io,
           handle_signals({SIGUSR1},
                          [](int number) { std::printf("signal %d\n", number); }),
           detached);
}

// Stopping the io_context at the end does not make what fails before it
// seen: a reset connection still throws into `detached`.
void serve_once_then_stop(net::io_context &io, tcp::socket socket) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: its exceptions are lost [tether-detached-thread]
  co_spawn(
      io,
      [&io, s = std::move(socket)]() mutable -> awaitable<void> {
        char buf[64];
        std::size_t n = co_await s.async_read_some(net::buffer(buf), use_awaitable);
        co_await net::async_write(s, net::buffer(buf, n), use_awaitable);
        io.stop();
      },
      detached);
}

// An async mutex on a timer that never expires: unlock() cancels one wait.
// Its lock rethrows every wait error but operation_aborted, and a timer wait
// fails with nothing else, so the rethrow is never reached; its own throws
// fire only once its owner cancelled it (a guard on its own state). Its
// users lose nothing. Silent.
class async_mutex {
public:
  explicit async_mutex(net::any_io_executor ex) : timer_(ex) {
    timer_.expires_at(std::chrono::steady_clock::time_point::max());
  }
  awaitable<void> async_lock() {
    if (cancelled_)
      throw system_error(net::error::make_error_code(net::error::operation_aborted));
    if (0 < waiters_++) {
      try {
        co_await timer_.async_wait(use_awaitable);
      } catch (const system_error &e) {
        if (e.code() != net::error::operation_aborted)
          throw;
      }
    }
  }
  void unlock() {
    if (1 < waiters_--)
      timer_.cancel_one();
  }
  void cancel() {
    cancelled_ = true;
    timer_.cancel();
  }

private:
  net::steady_timer timer_;
  int waiters_ = 0;
  bool cancelled_ = false;
};

void count_under_lock(net::io_context &io, async_mutex &mutex, int &counter) {
  co_spawn(
      io,
      [&]() -> awaitable<void> {
        co_await mutex.async_lock();
        ++counter;
        mutex.unlock();
      },
      detached);
}

// The same rethrow around a socket read passes a reset connection on.
awaitable<std::size_t> read_or_rethrow(tcp::socket &socket, char *buf) {
  try {
    co_return co_await socket.async_read_some(net::buffer(buf, 64), use_awaitable);
  } catch (const system_error &e) {
    if (e.code() != net::error::operation_aborted)
      throw;
  }
  co_return 0;
}

void read_one(tcp::socket &socket, char *buf) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: its exceptions are lost [tether-detached-thread]
  co_spawn(
      socket.get_executor(),
      [&socket, buf]() -> awaitable<void> {
        std::size_t n = co_await read_or_rethrow(socket, buf);
        std::printf("%zu\n", n);
      },
      detached);
}

// An event built on a timer that never expires: waiters await it, and a
// notifier wakes one of them by cancelling one wait. Cancelling cannot fail
// (the timer service only completes the wait with operation_aborted), so
// the detached notifier loses nothing.
class Event {
public:
  explicit Event(net::any_io_executor ex) : timer_(ex) {
    timer_.expires_at(net::steady_timer::time_point::max());
  }
  void notify_one_detached() {
    co_spawn(
        timer_.get_executor(),
        [this]() -> awaitable<void> {
          timer_.cancel_one();
          co_return;
        },
        detached);
  }
  void notify_all_detached() {
    co_spawn(
        timer_.get_executor(),
        [this]() -> awaitable<void> {
          timer_.cancel();
          co_return;
        },
        detached);
  }
  // A delay read from configuration text can fail to parse.
  void notify_after_detached(std::string delay_ms) {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached lambda coroutine: its exceptions are lost [tether-detached-thread]
    co_spawn(
        timer_.get_executor(),
        [this, delay_ms]() -> awaitable<void> {
          net::steady_timer delay(timer_.get_executor(),
                                  std::chrono::milliseconds(std::stoi(delay_ms)));
          co_await delay.async_wait(use_awaitable);
          timer_.cancel_one();
        },
        detached);
  }

private:
  net::steady_timer timer_;
};
