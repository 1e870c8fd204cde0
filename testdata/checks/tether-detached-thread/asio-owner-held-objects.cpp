// Detached coroutines that wait through the project's own objects: an RPC
// server's request bus (a map of channels) reached by reference, a free
// helper handed that bus, and a relay session whose socket sits in a
// connection object its base class holds. Whoever owns the bus closes its
// channels, and the relay's peer ends its socket, so each of these can be
// ended. A listener whose acceptor nothing closes, a hub's periodic job
// over a list of other connections' sockets, and a loop on a clock object
// that holds nothing to close still cannot. Readers of a connection shared
// by std::shared_ptr can be ended by any other holder (its cancel()); a
// timer held by unique_ptr is the coroutine's own, and nobody can.
// An RPC client's call runs its steps as a coroutine lambda handed to a
// helper that awaits it on the client's executor: what the lambda throws
// leaves through the call.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <stdexcept>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../Inputs/asio-net.h"
#ifdef USE_BOOST_ASIO
#include <boost/asio/experimental/channel.hpp>
using error_code = boost::system::error_code;
#else
#include <asio/experimental/channel.hpp>
using error_code = asio::error_code;
#endif

using net::detached;
using net::use_awaitable;
using net::ip::tcp;
using namespace std::chrono_literals;

void log_failure(const char *what);
std::string handle(const std::string &request);

// The server side of an RPC library: requests arrive on one channel per
// method id; stop() closes them all, which ends every wait on them.
using request_channel = net::experimental::channel<void(error_code, std::string)>;

class RequestBus {
public:
  explicit RequestBus(net::any_io_executor ex) : ex_(std::move(ex)) {}

  awaitable<std::string> wait_request(int id) {
    std::unique_ptr<request_channel> &queue = queues_[id];
    if (!queue)
      queue = std::make_unique<request_channel>(ex_, 16);
    co_return co_await queue->async_receive(use_awaitable);
  }

  void stop() {
    for (auto &[id, queue] : queues_)
      queue->close();
  }

private:
  net::any_io_executor ex_;
  std::map<int, std::unique_ptr<request_channel>> queues_;
};

// A handler loop per method: it serves until the bus is stopped, and every
// request's failure is caught and logged.
void register_handler(net::io_context &io, RequestBus &bus, int id) {
  co_spawn(io, [&bus, id]() -> awaitable<void> {
    for (;;) {
      std::string request = co_await bus.wait_request(id);
      try {
        std::printf("%s\n", handle(request).c_str());
      } catch (const std::exception &e) {
        log_failure(e.what());
      }
    }
  }, detached);
}

// The client side's helper, handed the bus it waits on.
awaitable<std::string> wait_push(RequestBus &bus, int id) {
  co_return co_await bus.wait_request(id);
}

void print_pushes(net::io_context &io, RequestBus &bus) {
  co_spawn(io, [&bus]() -> awaitable<void> {
    for (;;) {
      std::string push = co_await wait_push(bus, 7);
      std::printf("push: %s\n", push.c_str());
    }
  }, detached);
}

// A UDP-over-TCP relay's session: its socket is in a connection object the
// base class holds. The peer's close ends the read, and the pump returns.
class Connection {
public:
  explicit Connection(tcp::socket socket) : socket_(std::move(socket)) {}

  awaitable<std::size_t> read(char *data, std::size_t size) {
    error_code ec;
    std::size_t n = co_await socket_.async_read_some(
        net::buffer(data, size), net::redirect_error(use_awaitable, ec));
    co_return ec ? 0 : n;
  }

private:
  tcp::socket socket_;
};

class RelayBase {
protected:
  explicit RelayBase(tcp::socket client) : client_(std::move(client)) {}
  Connection client_;
};

class Relay : public RelayBase, public std::enable_shared_from_this<Relay> {
public:
  using RelayBase::RelayBase;

  void start(net::any_io_executor ex) {
    co_spawn(ex, [self = shared_from_this(), this] { return pump(); },
             detached);
  }

private:
  awaitable<void> pump() {
    try {
      co_await forward();
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }

  awaitable<void> forward() {
    char data[512];
    for (;;) {
      std::size_t n = co_await client_.read(data, sizeof data);
      if (n == 0)
        co_return;
      std::fwrite(data, 1, n, stdout);
    }
  }
};

// A listener holding its acceptor, which nothing closes: awaiting its
// accept loop through a reference gives nobody a way to end it.
class Listener {
public:
  Listener(net::io_context &io, tcp::endpoint at) : acceptor_(io, at) {}

  awaitable<void> run() {
    try {
      for (;;) {
        tcp::socket peer = co_await acceptor_.async_accept(use_awaitable);
        std::printf("accepted\n");
      }
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }

private:
  tcp::acceptor acceptor_;
};

void serve(net::io_context &io, Listener &listener) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: nothing can stop it [tether-detached-thread]
  co_spawn(io, [&listener]() -> awaitable<void> { co_await listener.run(); },
           detached);
}

// A chat hub holds every client's socket, but its heartbeat is a job of its
// own on a local timer: no peer ends it, nobody can.
class Hub {
public:
  void start(net::any_io_executor ex) {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached coroutine 'heartbeat': nothing can stop it [tether-detached-thread]
    co_spawn(ex, heartbeat(), detached);
  }

private:
  awaitable<void> heartbeat() {
    net::steady_timer tick(co_await net::this_coro::executor);
    for (;;) {
      tick.expires_after(1s);
      co_await tick.async_wait(use_awaitable);
      for (const std::shared_ptr<tcp::socket> &client : clients_) {
        error_code ignored;
        client->write_some(net::buffer("ping\n", 5), ignored);
      }
    }
  }

  std::vector<std::shared_ptr<tcp::socket>> clients_;
};

// A clock handed by reference, but it holds nothing an owner could close:
// each tick waits on a timer of its own.
class Clock {
public:
  awaitable<void> next_tick() {
    net::steady_timer timer(co_await net::this_coro::executor, period_);
    co_await timer.async_wait(use_awaitable);
  }

private:
  std::chrono::milliseconds period_{100};
};

void sample(net::io_context &io, Clock &clock) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: nothing can stop it [tether-detached-thread]
  co_spawn(io, [&clock]() -> awaitable<void> {
    for (;;) {
      co_await clock.next_tick();
      std::printf("tick\n");
    }
  }, detached);
}

// Runs a task on another executor and hands back its result (or rethrows
// its exception: co_spawn with use_awaitable).
template <typename T>
awaitable<T> run_on(net::any_io_executor ex, std::function<awaitable<T>()> task) {
  co_return co_await co_spawn(ex, task, use_awaitable);
}

class RpcClient {
public:
  explicit RpcClient(net::any_io_executor ex) : ex_(ex), replies_(ex, 16) {}

  awaitable<std::string> call(std::string request) {
    auto task = [&]() -> awaitable<std::string> {
      for (int attempt = 0; attempt < 3; ++attempt) {
        error_code ec;
        std::string reply = co_await replies_.async_receive(
            net::redirect_error(use_awaitable, ec));
        if (!ec)
          co_return reply;
      }
      throw std::runtime_error("no reply to " + request);
    };
    co_return co_await run_on<std::string>(ex_, task);
  }

  void stop() { replies_.close(); }

private:
  net::any_io_executor ex_;
  request_channel replies_;
};

// The client's stop() ends the poll, but a call that got no reply ends it
// too, with an exception 'detached' drops.
void poll_status(net::io_context &io, RpcClient &client) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: its exceptions are lost [tether-detached-thread]
  co_spawn(io, [&client]() -> awaitable<void> {
    for (;;) {
      std::string status = co_await client.call("status");
      std::printf("status: %s\n", status.c_str());
    }
  }, detached);
}

// A database client's push connection, shared by std::shared_ptr between
// the code that runs it and every coroutine that reads from it. Whoever
// holds a copy can cancel it (here the signal handler, through its own
// copy), which fails the pending receive and ends the reader; a cancelled
// channel wait is a stop, not a failure, so no exception is lost either.
class PushConnection {
public:
  explicit PushConnection(net::any_io_executor ex) : pushes_(ex, 64) {}

  template <typename Token> auto async_receive(Token &&token) {
    return pushes_.async_receive(std::forward<Token>(token));
  }

  void cancel() { pushes_.cancel(); }

private:
  request_channel pushes_;
};

awaitable<void> print_pushes(std::shared_ptr<PushConnection> conn) {
  for (;;) {
    std::string push = co_await conn->async_receive(use_awaitable);
    std::printf("push: %s\n", push.c_str());
  }
}

awaitable<void> subscribe(net::io_context &io) {
  auto conn = std::make_shared<PushConnection>(io.get_executor());
  co_spawn(io, print_pushes(conn), detached);
  // A copy captured by value is shared the same way.
  co_spawn(io, [conn]() -> awaitable<void> {
    for (;;) {
      std::string push = co_await conn->async_receive(use_awaitable);
      std::printf("again: %s\n", push.c_str());
    }
  }, detached);
  net::signal_set signals(io, SIGINT, SIGTERM);
  co_await signals.async_wait(use_awaitable);
  conn->cancel();
}

// A unique_ptr's timer is the coroutine's alone: nobody else can cancel it.
awaitable<void> heartbeat_alone() {
  auto tick = std::make_unique<net::steady_timer>(
      co_await net::this_coro::executor);
  for (;;) {
    tick->expires_after(1s);
    co_await tick->async_wait(use_awaitable);
    std::printf("alive\n");
  }
}

void start_heartbeat(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'heartbeat_alone': nothing can stop it [tether-detached-thread]
  co_spawn(io, heartbeat_alone(), detached);
}
