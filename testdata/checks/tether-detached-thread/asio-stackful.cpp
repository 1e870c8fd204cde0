// Boost.Asio stackful coroutines: spawn(ex, function, token) runs a function
// taking a yield_context; an operation given `yield` suspends it and throws
// its failure, one given `yield[ec]` stores it in ec. Reported like
// co_spawn: `detached` unless something can end the coroutine and its
// failure is seen; no token at all (the older overloads, which rethrow the
// coroutine's exception out of run()) when nothing can end it
// (docs/rules.md, "Coroutines nobody awaits").
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/asio.hpp>
#include <boost/asio/spawn.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <functional>
#include <future>
#include <memory>

#include <boost/context/detail/exception.hpp>
#include <string>

namespace net = boost::asio;
using net::ip::tcp;
using namespace std::chrono_literals;

void refresh_cache();
std::string read_setting(const char *name);
int cache_ttl = 0;
void report(const char *what, boost::system::error_code ec);

// --- Positives -------------------------------------------------------------

void start_cache_refresher(net::io_context &io) {
  // A periodic job on its own timer: only the io_context's end stops it, and
  // an exception out of refresh_cache() vanishes into `detached`.
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda stackful coroutine: nothing can stop it and its exceptions are lost [tether-detached-thread]
  net::spawn(
      io,
      [&io](net::yield_context yield) {
        net::steady_timer timer(io);
        for (;;) {
          timer.expires_after(30s);
          timer.async_wait(yield);
          cache_ttl = std::stoi(read_setting("cache.ttl")); // throws on a bad setting
          refresh_cache();
        }
      },
      net::detached);
}

// The accept loop of a stackful echo server: the acceptor ends it, but an
// accept that throws (too many open files) ends it without a word.
void accept_loop(net::io_context &io, unsigned short port, net::yield_context yield) {
  // CHECK-DAG: :[[@LINE-1]]:6: note: stackful coroutine 'accept_loop' defined here
  tcp::acceptor acceptor(io, {tcp::v4(), port});
  for (;;) {
    tcp::socket socket(io);
    acceptor.async_accept(socket, yield);
    socket.close();
  }
}

void start_listener(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached stackful coroutine 'accept_loop': its exceptions are lost [tether-detached-thread]
  net::spawn(io.get_executor(),
             std::bind(&accept_loop, std::ref(io), 8080, std::placeholders::_1),
             net::detached);
}

// A session whose writes go through a helper that waits with plain `yield`:
// a reset connection throws out of the helper and the session ends unseen.
void send_all(tcp::socket &socket, const std::string &text,
              net::yield_context yield) {
  net::async_write(socket, net::buffer(text), yield);
}

void greet(tcp::socket socket, net::yield_context yield) {
  send_all(socket, "hello\n", yield);
}

void on_accepted(net::io_context &io, tcp::socket socket) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached stackful coroutine 'greet': its exceptions are lost [tether-detached-thread]
  net::spawn(
      io,
      [s = std::move(socket)](net::yield_context yield) mutable {
        greet(std::move(s), yield);
      },
      net::detached);
}

// The older overload without a token: a heartbeat on a timer nobody else
// holds never ends while the io_context runs.
void start_heartbeat(net::io_context &io, std::shared_ptr<tcp::socket> peer) {
  // CHECK-DAG: :[[@LINE+3]]:3: warning: detached lambda stackful coroutine: nothing can stop it [tether-detached-thread]
  // CHECK-DAG: :[[@LINE+2]]:3: note: it waits on nothing an owner can end
  // CHECK-DAG: :[[@LINE+1]]:3: note: spawned without a completion token: nobody learns that it ended
  net::spawn(io, [&io](net::yield_context yield) {
    net::steady_timer tick(io);
    boost::system::error_code ec;
    for (;;) {
      tick.expires_after(5s);
      tick.async_wait(yield[ec]);
      std::puts("tick");
    }
  });
}

// A poller object whose run() is the coroutine, started through a lambda that
// only forwards: the owner cancels its timer to stop it, and the
// operation_aborted that wait then throws is the stop, which `detached` may
// drop. Silent.
class Poller : public std::enable_shared_from_this<Poller> {
public:
  explicit Poller(net::io_context &io) : timer_(io) {}
  void start(net::io_context &io) {
    auto self = shared_from_this();
    net::spawn(io, [self](net::yield_context yield) { self->run(yield); },
               net::detached);
  }
  void stop() { timer_.cancel(); }

private:
  void run(net::yield_context yield) {
    for (;;) {
      timer_.expires_after(1s);
      timer_.async_wait(yield);
      refresh_cache();
    }
  }
  net::steady_timer timer_;
};

// --- Negatives -------------------------------------------------------------

// A worker whose whole work is guarded, letting the coroutine's own
// forced_unwind pass as Boost.Context requires: that rethrow is how the
// stack is unwound when the coroutine is destroyed, not a failure.
void guarded_fetch(tcp::socket &socket, net::yield_context yield) {
  try {
    char data[512];
    socket.async_read_some(net::buffer(data), yield);
  } catch (const boost::context::detail::forced_unwind &) {
    throw; // required by Boost.Context
  } catch (const std::exception &e) {
    report(e.what(), {});
  }
}

void start_guarded_fetch(tcp::socket &socket) {
  net::spawn(socket.get_executor(),
             [&socket](net::yield_context yield) { guarded_fetch(socket, yield); },
             net::detached);
}

// Beast's stackful servers: the older overload, no token. The peer ends the
// session (its reads fail on disconnect) and an exception leaves run(), where
// main sees it: owned enough.
void do_session(tcp::socket &socket, net::yield_context yield) {
  boost::system::error_code ec;
  char data[512];
  for (;;) {
    std::size_t n = socket.async_read_some(net::buffer(data), yield[ec]);
    if (ec)
      return report("read", ec);
    net::async_write(socket, net::buffer(data, n), yield[ec]);
    if (ec)
      return report("write", ec);
  }
}

void do_listen(net::io_context &io, tcp::endpoint endpoint,
               net::yield_context yield) {
  boost::system::error_code ec;
  tcp::acceptor acceptor(io);
  acceptor.open(endpoint.protocol(), ec);
  if (ec)
    return report("open", ec);
  for (;;) {
    tcp::socket socket(io);
    acceptor.async_accept(socket, yield[ec]);
    if (ec)
      report("accept", ec);
    else
      net::spawn(acceptor.get_executor(),
                 std::bind(&do_session, std::move(socket),
                           std::placeholders::_1));
  }
}

// Its listener, though, goes round forever: an accept error is reported and
// the loop accepts again, and nothing closes the acceptor, its own local.
// Nothing can end it.
void run_beast_style_server(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached stackful coroutine 'do_listen': nothing can stop it [tether-detached-thread]
  net::spawn(io, std::bind(&do_listen, std::ref(io),
                           tcp::endpoint{tcp::v4(), 8080},
                           std::placeholders::_1));
}

// Detached, but every wait stores its error and nothing throws: a closed
// socket ends it and there is no exception to lose.
void echo(tcp::socket &socket, net::yield_context yield) {
  boost::system::error_code ec;
  char data[512];
  for (;;) {
    std::size_t n = socket.async_read_some(net::buffer(data), yield[ec]);
    if (ec)
      return;
    net::async_write(socket, net::buffer(data, n), yield[ec]);
    if (ec)
      return;
  }
}

void on_echo_client(net::io_context &io, tcp::socket socket) {
  net::spawn(io, std::bind(&echo, std::move(socket), std::placeholders::_1),
             net::detached);
}

// A proxied connection is a socket (it derives from one) kept alive by the
// shared_ptr its lifecycle coroutine holds: the peer's close, or the
// registry's kill() cancelling it, ends the read loop, and every failure
// is caught. Silent.
class ProxiedSocket : public tcp::socket,
                      public std::enable_shared_from_this<ProxiedSocket> {
public:
  using tcp::socket::socket;

  void spawn_lifecycle(net::any_io_executor ex) {
    net::spawn(ex, [self = shared_from_this()](net::yield_context yield) {
      try {
        for (;;) {
          self->async_wait(tcp::socket::wait_read, yield);
          if (!self->forward(self->available()))
            return;
        }
      } catch (const boost::system::system_error &e) {
        report("lifecycle", e.code());
      }
    }, net::detached);
  }

  void kill() {
    boost::system::error_code ignored;
    cancel(ignored);
  }

private:
  bool forward(std::size_t bytes);
};

// A ticker that is a timer (it derives from one), made and held by its own
// coroutine alone: nothing can end its loop.
struct Ticker : net::steady_timer {
  using net::steady_timer::steady_timer;
};

void start_ticker(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda stackful coroutine: nothing can stop it [tether-detached-thread]
  net::spawn(io, [&io](net::yield_context yield) {
    Ticker tick(io);
    boost::system::error_code ec;
    for (;;) {
      tick.expires_after(1s);
      tick.async_wait(yield[ec]);
      std::puts("tick");
    }
  }, net::detached);
}

// Detached, with the whole body in a try whose handler reports.
void on_logged_client(net::io_context &io, tcp::socket socket) {
  net::spawn(
      io,
      [s = std::move(socket)](net::yield_context yield) mutable {
        try {
          char data[64];
          s.async_read_some(net::buffer(data), yield);
        } catch (const std::exception &e) {
          std::fprintf(stderr, "session: %s\n", e.what());
        }
      },
      net::detached);
}

// A client library's request runner: the work is in a try whose handlers
// hand the exception to the caller's promise, and after it the coroutine
// only reports the end (set_value, dropping its done-handle).
struct RequestContext {
  explicit RequestContext(net::yield_context y) : yield(y) {}
  net::yield_context yield;
};
void run_request(RequestContext &ctx);

class RequestRunner {
public:
  explicit RequestRunner(net::io_context &io) : io_(io) {}

  std::future<void> process() {
    auto promise = std::make_shared<std::promise<void>>();
    std::future<void> result = promise->get_future();
    net::spawn(io_,
               std::bind(&RequestRunner::process_in_worker, this,
                         std::placeholders::_1, promise),
               net::detached);
    return result;
  }

private:
  void process_in_worker(net::yield_context yield,
                         const std::shared_ptr<std::promise<void>> &promise) {
    RequestContext ctx(yield);
    auto busy = std::make_shared<int>(1);
    try {
      run_request(ctx);
    } catch (...) {
      if (promise) {
        promise->set_exception(std::current_exception());
        return;
      }
      std::terminate();
    }
    busy.reset();
    if (promise)
      promise->set_value();
  }

  net::io_context &io_;
};

// A completion handler that rethrows: the failure reaches run()'s caller.
void start_rethrowing_refresher(net::io_context &io) {
  net::spawn(
      io,
      [&io](net::yield_context yield) {
        net::steady_timer timer(io);
        timer.expires_after(1s);
        timer.async_wait(yield);
        refresh_cache();
      },
      [](std::exception_ptr e) {
        if (e)
          std::rethrow_exception(e);
      });
}

// use_future: the caller holds its end.
std::future<void> start_job(net::io_context &io) {
  return net::spawn(
      io,
      [&io](net::yield_context yield) {
        net::steady_timer timer(io);
        timer.expires_after(1s);
        timer.async_wait(yield);
      },
      net::use_future);
}

// A cancellation slot the owner emits on, and only error-storing waits.
void start_cancellable_ticker(net::io_context &io,
                              net::cancellation_signal &stop) {
  net::spawn(
      io,
      [&io](net::yield_context yield) {
        net::steady_timer tick(io);
        boost::system::error_code ec;
        while (!ec) {
          tick.expires_after(1s);
          tick.async_wait(yield[ec]);
        }
      },
      net::bind_cancellation_slot(stop.slot(), net::detached));
}

// The older overload on a coroutine that watches its cancellation state.
void start_watching_ticker(net::io_context &io) {
  net::spawn(io, [&io](net::yield_context yield) {
    net::steady_timer tick(io);
    boost::system::error_code ec;
    while (!yield.get_cancellation_state().cancelled()) {
      tick.expires_after(1s);
      tick.async_wait(yield[ec]);
    }
  });
}

// Asio's parallel_grep: one coroutine per file, without a token, on a pool
// the caller joins. Nothing needs to stop it: it ends at the end of its file.
void grep_files(const std::string &needle, const std::string *files, int n) {
  net::thread_pool pool;
  for (int i = 0; i < n; ++i) {
    std::string file = files[i];
    net::spawn(pool, [=](net::yield_context yield) {
      std::size_t line_num = 0;
      for (std::size_t at = 0; at < file.size(); ++at) {
        if (file.compare(at, needle.size(), needle) == 0)
          std::puts(file.c_str());
        if (++line_num % 10 == 0)
          net::post(yield);
      }
    });
  }
  pool.join();
}

// A client connection over the project's own socket wrapper (plain or
// TLS behind one interface), whose main loop leaves when its class's stop()
// sets a flag it tests each round: the connection's owner stops it. Every
// wait hands its error back (yield[ec]), and without a token an exception
// would leave run(), where the caller sees it.
template <class Socket> class UniSocket {
public:
  explicit UniSocket(net::io_context &io) : socket_(io) {}
  void async_connect(tcp::endpoint to, net::yield_context yield) {
    socket_.async_connect(to, yield);
  }
  std::size_t async_read_line(net::streambuf &buffer, net::yield_context yield) {
    return net::async_read_until(socket_, buffer, '\n', yield);
  }

private:
  Socket socket_;
};

template <class Socket> class Connection {
public:
  explicit Connection(net::io_context &io) : io_(io), socket_(io) {}
  void start(tcp::endpoint server) {
    net::spawn(io_, std::bind(&Connection::run, this, server,
                              std::placeholders::_1));
  }
  void stop() { stop_flag_ = true; }

private:
  void run(tcp::endpoint server, net::yield_context yield) {
    boost::system::error_code ec;
    for (;;) {
      if (stop_flag_)
        return;
      if (!connected_) {
        socket_.async_connect(server, yield[ec]);
        if (ec)
          continue;
        connected_ = true;
      }
      socket_.async_read_line(buffer_, yield[ec]);
      if (ec)
        connected_ = false;
    }
  }
  net::io_context &io_;
  UniSocket<Socket> socket_;
  net::streambuf buffer_;
  bool connected_ = false;
  bool stop_flag_ = false;
};

// The same loop on its own timer and a flag nothing in the class ever
// sets: nothing can stop it.
template <class Clock> class Beacon {
public:
  explicit Beacon(net::io_context &io) : io_(io) {}
  void start() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached stackful coroutine 'run': nothing can stop it [tether-detached-thread]
    net::spawn(io_, std::bind(&Beacon::run, this, std::placeholders::_1));
  }

private:
  void run(net::yield_context yield) {
    net::basic_waitable_timer<Clock> timer(io_);
    boost::system::error_code ec;
    for (;;) {
      if (muted_)
        return;
      timer.expires_after(1s);
      timer.async_wait(yield[ec]);
      refresh_cache();
    }
  }
  net::io_context &io_;
  bool muted_ = false;
};

void connect_and_beacon(net::io_context &io, tcp::endpoint server) {
  Connection<tcp::socket> connection(io);
  connection.start(server);
  Beacon<std::chrono::steady_clock> beacon(io);
  beacon.start();
  io.run();
}

// A handler that does nothing and never reads the std::exception_ptr is
// `detached` written longhand: the session's read failure is dropped.
void serve_with_empty_handler(net::io_context &io, tcp::socket socket) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda stackful coroutine: its exceptions are lost [tether-detached-thread]
  net::spawn(
      io,
      [socket = std::move(socket)](net::yield_context yield) mutable {
        char data[512];
        for (;;) {
          std::size_t n = socket.async_read_some(net::buffer(data), yield);
          net::async_write(socket, net::buffer(data, n), yield);
        }
      },
      [](std::exception_ptr) {});
}
