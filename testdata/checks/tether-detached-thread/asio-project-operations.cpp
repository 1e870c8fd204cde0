// A client library's own Asio operations (async_initiate, async_compose)
// awaited by detached coroutines. use_awaitable throws only an error code
// or exception_ptr the completion leads with; an operation completing with
// `void(int, std::string)` or `void(reply)` hands its failure back as
// values, so a coroutine awaiting only those loses nothing to `detached`.
// The same client's operations completing with an error code throw, and a
// coroutine awaiting them outside a try is reported.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <cstdio>
#include <memory>
#include <string>
#include <tuple>
#include <utility>

#include "../Inputs/asio-net.h"

using net::detached;
using net::use_awaitable;
using net::ip::tcp;
#ifdef USE_BOOST_ASIO
using error_code = boost::system::error_code;
#else
using error_code = asio::error_code;
#endif

struct reply {
  int status = 0;
  std::string value;
};

// A key-value client over a TCP socket. Its own operations report how they
// went in their completion's arguments.
class kv_client {
public:
  explicit kv_client(net::any_io_executor ex) : socket_(std::move(ex)) {}

  // Completes with a status (0 or -1) and a message.
  template <typename CompletionToken>
  auto async_connect(tcp::endpoint to, CompletionToken &&token) {
    return net::async_initiate<CompletionToken, void(int, std::string)>(
        [this](auto handler, tcp::endpoint to) {
          socket_.async_connect(
              to, [h = std::move(handler)](error_code ec) mutable {
                std::move(h)(ec ? -1 : 0, ec.message());
              });
          // Once connected, watch for the server's pushes.
          socket_.async_wait(tcp::socket::wait_read, [this](error_code ec) {
            if (!ec)
              ++pushes_;
          });
        },
        token, to);
  }

  // Completes with the reply; a failed exchange is a reply with status -1.
  template <typename CompletionToken>
  auto async_get(std::string key, CompletionToken &&token) {
    return net::async_initiate<CompletionToken, void(reply)>(
        [this](auto handler, std::string key) {
          request_ = "GET " + key + "\r\n";
          net::async_write(
              socket_, net::buffer(request_),
              [h = std::move(handler)](error_code ec, std::size_t) mutable {
                std::move(h)(reply{ec ? -1 : 0, {}});
              });
        },
        token, std::move(key));
  }

  // The same exchange completing the Asio way, error first: awaited with
  // use_awaitable, a failed exchange throws.
  template <typename CompletionToken>
  auto async_get_checked(std::string key, CompletionToken &&token) {
    return net::async_initiate<CompletionToken, void(error_code, reply)>(
        [this](auto handler, std::string key) {
          request_ = "GET " + key + "\r\n";
          net::async_write(
              socket_, net::buffer(request_),
              [h = std::move(handler)](error_code ec, std::size_t) mutable {
                std::move(h)(ec, reply{});
              });
        },
        token, std::move(key));
  }

  // A composed operation, error first too.
  template <typename CompletionToken>
  auto async_ping(CompletionToken &&token) {
    return net::async_compose<CompletionToken, void(error_code)>(
        [this, started = false](auto &self, error_code ec = {},
                                std::size_t = 0) mutable {
          if (!started) {
            started = true;
            net::async_write(socket_, net::buffer(ping_), std::move(self));
            return;
          }
          self.complete(ec);
        },
        token, socket_);
  }

private:
  tcp::socket socket_;
  std::string request_;
  std::string ping_ = "PING\r\n";
  int pushes_ = 0;
};

// A one-shot reader: it connects, reads one key, prints it and returns.
// Every failure comes back as a value: silent.
awaitable<void> print_counter(std::shared_ptr<kv_client> client,
                              tcp::endpoint server) {
  auto [status, message] = co_await client->async_connect(server, use_awaitable);
  if (status != 0) {
    std::fprintf(stderr, "connect: %s\n", message.c_str());
    co_return;
  }
  reply r = co_await client->async_get("counter", use_awaitable);
  std::printf("counter: %d %s\n", r.status, r.value.c_str());
}

// A project coroutine awaiting only such operations hands everything back
// as values too; a coroutine awaiting it loses nothing.
awaitable<reply> fetch(std::shared_ptr<kv_client> client, tcp::endpoint server,
                       std::string key) {
  auto [status, message] = co_await client->async_connect(server, use_awaitable);
  if (status != 0)
    co_return reply{-1, message};
  co_return co_await client->async_get(std::move(key), use_awaitable);
}

awaitable<void> print_both(std::shared_ptr<kv_client> client,
                           tcp::endpoint server) {
  reply a = co_await fetch(client, server, "a");
  reply b = co_await fetch(client, server, "b");
  std::printf("%s %s\n", a.value.c_str(), b.value.c_str());
}

// The error-first operation awaited with use_awaitable outside any try: a
// failed write throws, and `detached` drops it.
awaitable<void> print_checked(std::shared_ptr<kv_client> client,
                              tcp::endpoint server) {
  auto [status, message] = co_await client->async_connect(server, use_awaitable);
  if (status != 0)
    co_return;
  reply r = co_await client->async_get_checked("counter", use_awaitable);
  std::printf("counter: %s\n", r.value.c_str());
}

// The composed ping throws its write's failure the same way.
awaitable<void> ping_once(std::shared_ptr<kv_client> client) {
  co_await client->async_ping(use_awaitable);
  std::puts("pong");
}

// The same ping with the error handed back through redirect_error: silent.
awaitable<void> ping_quietly(std::shared_ptr<kv_client> client) {
  error_code ec;
  co_await client->async_ping(net::redirect_error(use_awaitable, ec));
  std::puts(ec ? "no pong" : "pong");
}

int main() {
  net::io_context io;
  auto client = std::make_shared<kv_client>(io.get_executor());
  tcp::endpoint server(net::ip::address_v4::loopback(), 6379);
  co_spawn(io, print_counter(client, server), detached);
  co_spawn(io, print_both(client, server), detached);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'print_checked': its exceptions are lost [tether-detached-thread]
  co_spawn(io, print_checked(client, server), detached);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'ping_once': its exceptions are lost [tether-detached-thread]
  co_spawn(io, ping_once(client), detached);
  co_spawn(io, ping_quietly(client), detached);
  io.run();
}
