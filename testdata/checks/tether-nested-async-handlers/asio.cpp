// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-nested-async-handlers' %s -- %libcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// The plugin reports the same findings from clang-tidy.
// RUN: %clang-tidy --load %plugin --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx -DASIO_STANDALONE 2>/dev/null | FileCheck %s --implicit-check-not='warning:'

#include <algorithm>
#include <array>
#include <chrono>
#include <coroutine>
// Asio 1.22 looks for <experimental/coroutine> under clang; C++20 has them.
#define ASIO_HAS_CO_AWAIT 1
#define ASIO_HAS_STD_COROUTINE 1
#include <asio.hpp>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using asio::ip::tcp;
using namespace std::chrono_literals;

void handle(std::size_t);

// --- Positives -------------------------------------------------------------

class Session : public std::enable_shared_from_this<Session> {
public:
  explicit Session(asio::io_context &io) : sock_(io), timer_(io) {}

  // read -> write -> wait -> read: four handlers deep.
  void start() {
    auto self = shared_from_this();
    sock_.async_read_some(asio::buffer(buf_), [this, self](std::error_code ec, std::size_t n) {
      if (ec)
        return;
      asio::async_write(sock_, asio::buffer(buf_, n), [this, self](std::error_code ec, std::size_t) {
        if (ec)
          return;
        timer_.expires_after(1s);
        timer_.async_wait([this, self](std::error_code ec) {
          if (ec)
            return;
          // CHECK: :[[@LINE+5]]:53: warning: completion handler of 'async_read_some' is nested 4 deep in other completion handlers (limit 3): each step is started inside the previous step's callback, which spreads one sequence's control flow, error handling and lifetimes over a pyramid of lambdas [tether-nested-async-handlers]
          // CHECK: :[[@LINE-11]]:47: note: level 1: completion handler of 'async_read_some'
          // CHECK: :[[@LINE-9]]:55: note: level 2: completion handler of 'async_write'
          // CHECK: :[[@LINE-6]]:27: note: level 3: completion handler of 'async_wait'
          // CHECK: :[[@LINE+1]]:53: note: flatten the sequence: write it as a C++20 coroutine (co_await each step with asio::use_awaitable), or as a state machine or actor whose named member functions start each step
          sock_.async_read_some(asio::buffer(buf_), [this, self](std::error_code, std::size_t n) {
            handle(n);
          });
        });
      });
    });
  }

  // Five deep: reported once, where the limit is crossed.
  void greet() {
    auto self = shared_from_this();
    asio::async_write(sock_, asio::buffer("hello\n", 6), [this, self](std::error_code, std::size_t) {
      asio::async_read(sock_, asio::buffer(buf_, 4), [this, self](std::error_code, std::size_t) {
        asio::async_write(sock_, asio::buffer(buf_, 4), [this, self](std::error_code, std::size_t) {
          // CHECK: :[[@LINE+3]]:58: warning: completion handler of 'async_read' is nested 4 deep
          // CHECK: :[[@LINE+2]]:58: note: and the handlers inside it go 5 deep
          // CHECK: :[[@LINE+1]]:58: note: flatten the sequence
          asio::async_read(sock_, asio::buffer(buf_, 4), [this, self](std::error_code, std::size_t) {
            asio::async_write(sock_, asio::buffer(buf_, 4), [this, self](std::error_code, std::size_t) {});
          });
        });
      });
    });
  }

  // bind_executor(strand, handler) is looked through.
  void on_strand(asio::strand<asio::io_context::executor_type> &strand) {
    auto self = shared_from_this();
    sock_.async_read_some(asio::buffer(buf_), asio::bind_executor(strand, [this, self, &strand](std::error_code, std::size_t) {
      timer_.async_wait(asio::bind_executor(strand, [this, self, &strand](std::error_code) {
        sock_.async_read_some(asio::buffer(buf_), asio::bind_executor(strand, [this, self, &strand](std::error_code, std::size_t) {
          // CHECK: :[[@LINE+2]]:57: warning: completion handler of 'async_wait' is nested 4 deep
          // CHECK: :[[@LINE+1]]:57: note: flatten the sequence
          timer_.async_wait(asio::bind_executor(strand, [this, self](std::error_code) {}));
        }));
      }));
    }));
  }

  // A local helper lambda adds no level; the handler it starts still nests.
  void with_helper() {
    auto self = shared_from_this();
    timer_.async_wait([this, self](std::error_code) {
      timer_.async_wait([this, self](std::error_code) {
        timer_.async_wait([this, self](std::error_code) {
          auto rearm = [this, self] {
            // CHECK: :[[@LINE+2]]:31: warning: completion handler of 'async_wait' is nested 4 deep
            // CHECK: :[[@LINE+1]]:31: note: flatten the sequence
            timer_.async_wait([self](std::error_code) {});
          };
          rearm();
        });
      });
    });
  }

  // Two branches past the limit: one warning each.
  void branches() {
    auto self = shared_from_this();
    timer_.async_wait([this, self](std::error_code) {
      timer_.async_wait([this, self](std::error_code) {
        timer_.async_wait([this, self](std::error_code ec) {
          if (ec)
            // CHECK: :[[@LINE+2]]:68: warning: completion handler of 'async_write' is nested 4 deep
            // CHECK: :[[@LINE+1]]:68: note: flatten the sequence
            asio::async_write(sock_, asio::buffer("timeout\n", 8), [self](std::error_code, std::size_t) {});
          else
            // CHECK: :[[@LINE+2]]:55: warning: completion handler of 'async_read_some' is nested 4 deep
            // CHECK: :[[@LINE+1]]:55: note: flatten the sequence
            sock_.async_read_some(asio::buffer(buf_), [self](std::error_code, std::size_t) {});
        });
      });
    });
  }

private:
  tcp::socket sock_;
  asio::steady_timer timer_;
  std::array<char, 1024> buf_{};
};

// resolve -> connect -> write -> read_until: the classic client pyramid.
void fetch(asio::io_context &io, const std::string &host, std::string &reply) {
  auto resolver = std::make_shared<tcp::resolver>(io);
  auto sock = std::make_shared<tcp::socket>(io);
  auto in = std::make_shared<asio::streambuf>();
  resolver->async_resolve(host, "80", [resolver, sock, in, &reply](std::error_code ec, tcp::resolver::results_type results) {
    if (ec)
      return;
    asio::async_connect(*sock, results, [sock, in, &reply](std::error_code ec, const tcp::endpoint &) {
      if (ec)
        return;
      asio::async_write(*sock, asio::buffer("GET / HTTP/1.0\r\n\r\n", 18), [sock, in, &reply](std::error_code ec, std::size_t) {
        if (ec)
          return;
        // CHECK: :[[@LINE+2]]:52: warning: completion handler of 'async_read_until' is nested 4 deep
        // CHECK: :[[@LINE+1]]:52: note: flatten the sequence
        asio::async_read_until(*sock, *in, "\r\n", [sock, in, &reply](std::error_code, std::size_t n) {
          reply.assign(asio::buffers_begin(in->data()), asio::buffers_begin(in->data()) + n);
        });
      });
    });
  });
}

// post, dispatch and defer hand over completion handlers too.
void hops(asio::io_context &io, asio::thread_pool &pool) {
  asio::post(pool, [&io, &pool] {
    asio::dispatch(io, [&io, &pool] {
      asio::defer(pool, [&io] {
        // CHECK: :[[@LINE+2]]:24: warning: completion handler of 'post' is nested 4 deep
        // CHECK: :[[@LINE+1]]:24: note: flatten the sequence
        asio::post(io, [] { handle(0); });
      });
    });
  });
}

// co_spawn's completion token is a handler.
asio::awaitable<std::size_t> compute() { co_return 42; }

void after_coroutine(asio::io_context &io) {
  asio::co_spawn(io, compute(), [&io](std::exception_ptr, std::size_t n) {
    asio::post(io, [&io, n] {
      asio::post(io, [&io, n] {
        // CHECK: :[[@LINE+2]]:24: warning: completion handler of 'post' is nested 4 deep
        // CHECK: :[[@LINE+1]]:24: note: flatten the sequence
        asio::post(io, [n] { handle(n); });
      });
    });
  });
}

// A user's own async_ function takes its callback last, like Asio's.
void async_lookup(const std::string &key, std::function<void(std::string)> done);

void chained_lookups() {
  async_lookup("a", [](std::string a) {
    async_lookup(a, [](std::string b) {
      async_lookup(b, [](std::string c) {
        // CHECK: :[[@LINE+2]]:25: warning: completion handler of 'async_lookup' is nested 4 deep
        // CHECK: :[[@LINE+1]]:25: note: flatten the sequence
        async_lookup(c, [](std::string d) { handle(d.size()); });
      });
    });
  });
}

// Checked in the instantiation, reported once.
template <typename Socket> void pyramid(Socket &sock, asio::steady_timer &timer, char *buf) {
  sock.async_read_some(asio::buffer(buf, 16), [&sock, &timer, buf](std::error_code, std::size_t) {
    timer.async_wait([&sock, &timer, buf](std::error_code) {
      sock.async_read_some(asio::buffer(buf, 16), [&timer](std::error_code, std::size_t) {
        // CHECK: :[[@LINE+2]]:26: warning: completion handler of 'async_wait' is nested 4 deep
        // CHECK: :[[@LINE+1]]:26: note: flatten the sequence
        timer.async_wait([](std::error_code) {});
      });
    });
  });
}

void instantiate(tcp::socket &a, tcp::socket &b, asio::steady_timer &timer, char *buf) {
  pyramid(a, timer, buf);
  pyramid(b, timer, buf);
}

// --- Negatives -------------------------------------------------------------

// Asio's own examples: each step is a named member function that starts the
// next one. A handler that re-arms its own operation is a loop, not nesting.
class EchoSession : public std::enable_shared_from_this<EchoSession> {
public:
  explicit EchoSession(tcp::socket sock) : sock_(std::move(sock)) {}
  void start() { do_read(); }

private:
  void do_read() {
    auto self(shared_from_this());
    sock_.async_read_some(asio::buffer(data_), [this, self](std::error_code ec, std::size_t length) {
      if (!ec)
        do_write(length);
    });
  }
  void do_write(std::size_t length) {
    auto self(shared_from_this());
    asio::async_write(sock_, asio::buffer(data_, length), [this, self](std::error_code ec, std::size_t) {
      if (!ec)
        do_read();
    });
  }
  tcp::socket sock_;
  std::array<char, 1024> data_{};
};

class Server {
public:
  Server(asio::io_context &io, unsigned short port) : acceptor_(io, tcp::endpoint(tcp::v4(), port)) { do_accept(); }

private:
  void do_accept() {
    acceptor_.async_accept([this](std::error_code ec, tcp::socket sock) {
      if (!ec)
        std::make_shared<EchoSession>(std::move(sock))->start();
      do_accept();
    });
  }
  tcp::acceptor acceptor_;
};

// Three deep is within the limit; lambdas that are not handlers (a sort
// comparator, a local helper) add no level.
void within_limit(asio::steady_timer &timer, std::vector<int> &values) {
  timer.async_wait([&timer, &values](std::error_code) {
    timer.async_wait([&timer, &values](std::error_code) {
      timer.async_wait([&values](std::error_code) {
        std::sort(values.begin(), values.end(), [](int a, int b) { return a > b; });
        auto sum = [&values] {
          int s = 0;
          std::for_each(values.begin(), values.end(), [&s](int v) { s += v; });
          return s;
        };
        handle(static_cast<std::size_t>(sum()));
      });
    });
  });
}

// A handler stored in a variable first is not a lambda at the call.
void named_handlers(asio::steady_timer &timer) {
  auto fourth = [](std::error_code) {};
  timer.async_wait([&timer, fourth](std::error_code) {
    timer.async_wait([&timer, fourth](std::error_code) {
      timer.async_wait([&timer, fourth](std::error_code) { timer.async_wait(fourth); });
    });
  });
}

// Coroutines have no handlers to nest.
asio::awaitable<void> echo(tcp::socket sock) {
  std::array<char, 1024> data;
  for (;;) {
    std::size_t n = co_await sock.async_read_some(asio::buffer(data), asio::use_awaitable);
    co_await asio::async_write(sock, asio::buffer(data, n), asio::use_awaitable);
  }
}

void spawn_from_handlers(asio::io_context &io, asio::steady_timer &timer) {
  timer.async_wait([&io, &timer](std::error_code) {
    timer.async_wait([&io, &timer](std::error_code) {
      timer.async_wait([&io](std::error_code) {
        asio::co_spawn(io, [&io]() -> asio::awaitable<void> { co_return; }, asio::detached);
      });
    });
  });
}

// A post() that is not Asio's: a user's mailbox.
struct Mailbox {
  template <typename Fn> void post(Fn fn) { fn(); }
};

void mailbox_hops(Mailbox &box) {
  box.post([&box] {
    box.post([&box] {
      box.post([&box] {
        box.post([] { handle(1); });
      });
    });
  });
}
