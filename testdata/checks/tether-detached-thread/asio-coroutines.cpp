// Asio coroutines started with co_spawn(ex, coroutine, detached): reported
// unless something can end the coroutine and its failure is seen
// (docs/rules.md, "Coroutines nobody awaits"). Standalone Asio (which
// predates clang's C++20 coroutine macros: the RUN lines say it has them) and
// Boost.Asio, each with libstdc++ and libc++.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "../Inputs/asio-net.h"

using net::detached;
using net::use_awaitable;
using net::ip::tcp;
using namespace std::chrono_literals;

void refresh();
std::string read_setting(const char *name);
void log_failure(const char *what);

// --- Positives -------------------------------------------------------------

// A periodic job on its own timer: nothing but the io_context's end stops it,
// and the exception std::stoi throws on a malformed setting vanishes.
int timer_period = 1;
awaitable<void> refresher() {
  // CHECK-DAG: :[[@LINE-1]]:17: note: coroutine 'refresher' defined here
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    timer.expires_after(1s);
    co_await timer.async_wait(use_awaitable);
    timer_period = std::stoi(read_setting("refresh.period")); // throws on a bad setting
  }
}

void start_refresher(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+3]]:3: warning: detached coroutine 'refresher': nothing can stop it and its exceptions are lost [tether-detached-thread]
  // CHECK-DAG: :[[@LINE+2]]:3: note: it waits on nothing an owner can end
  // CHECK-DAG: :[[@LINE+1]]:3: note: 'detached' drops the coroutine's exception
  co_spawn(io, refresher(), detached);
}

// The accept loop of Asio's echo example: the acceptor ends it, but an
// accept that throws (too many open files) ends it silently and the server
// stops accepting.
awaitable<void> listener(unsigned short port) {
  auto executor = co_await net::this_coro::executor;
  tcp::acceptor acceptor(executor, {tcp::v4(), port});
  for (;;) {
    tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
    (void)socket;
  }
}

void start_listener(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'listener': its exceptions are lost
  co_spawn(io, listener(55555), detached);
}

// A session with no handler: the read that fails ends it without a trace.
awaitable<void> bare_session(tcp::socket socket) {
  char data[1024];
  for (;;) {
    std::size_t n = co_await socket.async_read_some(net::buffer(data), use_awaitable);
    co_await net::async_write(socket, net::buffer(data, n), use_awaitable);
  }
}

awaitable<void> echo(tcp::socket socket); // below: its handler reports

// One session per connection, Asio's idiom: silent for `echo`, which catches
// around its body.
awaitable<void> accept_sessions(tcp::acceptor &acceptor, bool legacy) {
  try {
    for (;;) {
      tcp::socket socket = co_await acceptor.async_accept(use_awaitable);
      auto ex = socket.get_executor();
      if (legacy)
        // CHECK-DAG: :[[@LINE+1]]:9: warning: detached coroutine 'bare_session': its exceptions are lost
        co_spawn(ex, bare_session(std::move(socket)), detached);
      else
        co_spawn(ex, echo(std::move(socket)), detached);
    }
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
}

// A lambda coroutine ticking on its own timer: its failure is caught, but
// nothing can end it.
void start_heartbeat(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: nothing can stop it [tether-detached-thread]
  co_spawn(io, [&io]() -> awaitable<void> {
    try {
      net::steady_timer beat(io);
      for (;;) {
        beat.expires_after(5s);
        co_await beat.async_wait(use_awaitable);
      }
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }, detached);
}

// Cancellable, but a failure vanishes.
void start_cancellable(net::io_context &io, net::cancellation_signal &stop) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'refresher': its exceptions are lost
  co_spawn(io, refresher(), net::bind_cancellation_slot(stop.slot(), detached));
}

// The handler drops what ended the session (the peer leaving): the code
// decided what to do with it, and nothing reaches `detached`. Whether
// dropping it silently is a smell is a question about the catch, not about
// who owns the coroutine: silent here.
awaitable<void> muted_session(tcp::socket socket) {
  try {
    char data[64];
    for (;;)
      co_await socket.async_read_some(net::buffer(data), use_awaitable);
  } catch (...) {
  }
}

void start_muted(tcp::socket socket) {
  auto ex = socket.get_executor();
  co_spawn(ex, muted_session(std::move(socket)), detached);
}

// Work before the try is not covered by its handler.
awaitable<void> half_guarded(tcp::socket socket) {
  co_await socket.async_wait(tcp::socket::wait_read, use_awaitable);
  try {
    refresh();
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
}

void start_half_guarded(tcp::socket socket) {
  auto ex = socket.get_executor();
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'half_guarded': its exceptions are lost
  co_spawn(ex, half_guarded(std::move(socket)), detached);
}

// The handler logs and rethrows: what it rethrows reaches 'detached'.
awaitable<void> rethrowing_session(tcp::socket socket) {
  try {
    char data[256];
    for (;;)
      co_await socket.async_read_some(net::buffer(data), use_awaitable);
  } catch (const std::exception &e) {
    log_failure(e.what());
    throw;
  }
}

// The handler catches the protocol's own errors, not a failed read.
struct protocol_error : std::exception {
  const char *what() const noexcept override { return "bad frame"; }
};
void parse_frame(const char *data, std::size_t n);

awaitable<void> frame_reader(tcp::socket socket) {
  try {
    char data[256];
    for (;;) {
      std::size_t n = co_await socket.async_read_some(net::buffer(data), use_awaitable);
      parse_frame(data, n);
    }
  } catch (const protocol_error &e) {
    log_failure(e.what());
  }
}

void start_guarded_badly(tcp::socket a, tcp::socket b) {
  auto ex = a.get_executor();
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'rethrowing_session': its exceptions are lost
  co_spawn(ex, rethrowing_session(std::move(a)), detached);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'frame_reader': its exceptions are lost
  co_spawn(ex, frame_reader(std::move(b)), detached);
}

// The project's serializer is built around the session's socket and its
// write is defined in another file: it does the socket's I/O, which fails
// when the client resets the connection.
class Serializer {
public:
  explicit Serializer(tcp::socket &socket);
  awaitable<void> write_reply(const std::string &reply);
};

awaitable<void> send_reply(std::string reply, tcp::socket &socket) {
  Serializer out(socket);
  co_await out.write_reply(reply);
}

void start_send_reply(tcp::socket &socket) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'send_reply': its exceptions are lost
  co_spawn(socket.get_executor(), send_reply("+OK", socket), detached);
}

// The same write, done here: the socket's failure is the coroutine's.
awaitable<void> send_reply_here(std::string reply, tcp::socket &socket) {
  co_await net::async_write(socket, net::buffer(reply), use_awaitable);
}

void start_send_reply_here(tcp::socket &socket) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'send_reply_here': its exceptions are lost
  co_spawn(socket.get_executor(), send_reply_here("+OK", socket), detached);
}

// A service object whose loop is a member coroutine on a local timer.
class Poller : public std::enable_shared_from_this<Poller> {
public:
  explicit Poller(net::io_context &io) : io_(io) {}
  void start() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached coroutine 'run': nothing can stop it [tether-detached-thread]
    co_spawn(io_, [self = shared_from_this()] { return self->run(); }, detached);
  }

private:
  awaitable<void> run() {
    net::steady_timer timer(io_);
    for (;;) {
      timer.expires_after(1s);
      co_await timer.async_wait(use_awaitable);
    }
  }
  net::io_context &io_;
};

template <typename Executor> void start_on(Executor ex) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'refresher': nothing can stop it and its exceptions are lost
  co_spawn(ex, refresher(), detached);
}
template void start_on(net::io_context::executor_type);

// An accept loop that reports an accept error and accepts again: the catch
// inside the loop turns every failure, the closed acceptor's too, into the
// next round, so nothing can end it (and once the acceptor is closed it
// spins).
class StubbornServer {
public:
  explicit StubbornServer(tcp::acceptor acceptor) : acceptor_(std::move(acceptor)) {}
  void start() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached coroutine 'accept_forever': nothing can stop it
    co_spawn(acceptor_.get_executor(), accept_forever(), detached);
  }
  void stop() { acceptor_.close(); }

private:
  awaitable<void> accept_forever() {
    // CHECK-DAG: :[[@LINE-1]]:19: note: coroutine 'accept_forever' defined here
    for (;;) {
      try {
        tcp::socket socket = co_await acceptor_.async_accept(use_awaitable);
        co_spawn(socket.get_executor(), echo(std::move(socket)), detached);
      } catch (const std::exception &e) {
        log_failure(e.what());
      }
    }
  }
  tcp::acceptor acceptor_;
};

// --- Negatives -------------------------------------------------------------

// Asio's echo example: the peer ends the session, the handler reports.
awaitable<void> echo(tcp::socket socket) {
  try {
    char data[1024];
    for (;;) {
      std::size_t n = co_await socket.async_read_some(net::buffer(data), use_awaitable);
      co_await net::async_write(socket, net::buffer(data, n), use_awaitable);
    }
  } catch (const std::exception &e) {
    std::printf("echo Exception: %s\n", e.what());
  }
}

// The same session when the socket is shared: the server keeps every
// connected peer's socket in a map of shared_ptrs (to write to it from
// elsewhere) and the session reads through it. The peer still ends it, and
// the handler reports.
class PeerTable {
public:
  awaitable<void> serve(std::string key) {
    try {
      char data[1024];
      for (;;) {
        std::size_t n = co_await peers_[key]->async_read_some(
            net::buffer(data), use_awaitable);
        received(key, std::string(data, n));
      }
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }
  void add(std::string key, tcp::socket socket) {
    auto ex = socket.get_executor();
    peers_[key] = std::make_shared<tcp::socket>(std::move(socket));
    co_spawn(ex, serve(key), detached);
  }

private:
  void received(const std::string &from, std::string message);
  std::map<std::string, std::shared_ptr<tcp::socket>> peers_;
};

// A completion handler sees the exception.
void start_with_handler(net::io_context &io) {
  co_spawn(io, refresher(), [](std::exception_ptr e) {
    if (e)
      std::rethrow_exception(e);
  });
}

// The future holds the result and the exception.
void start_with_future(net::io_context &io) {
  auto done = co_spawn(io, refresher(), net::use_future);
  done.get();
}

// Cancellable through a slot its owner emits, and guarded.
awaitable<void> guarded_refresher() {
  try {
    net::steady_timer timer(co_await net::this_coro::executor);
    for (;;) {
      timer.expires_after(1s);
      co_await timer.async_wait(use_awaitable);
    }
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
}

void start_owned(net::io_context &io, net::cancellation_signal &stop) {
  co_spawn(io, guarded_refresher(), net::bind_cancellation_slot(stop.slot(), detached));
}

// Reads a stop flag its owner raises.
void start_flagged(net::io_context &io, std::shared_ptr<std::atomic<bool>> stop) {
  co_spawn(io, [&io, stop]() -> awaitable<void> {
    try {
      net::steady_timer timer(io);
      while (!stop->load()) {
        timer.expires_after(1s);
        co_await timer.async_wait(use_awaitable);
      }
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }, detached);
}

// Waits on its owner's timer: Scheduler::stop() cancels it.
class Scheduler {
public:
  explicit Scheduler(net::io_context &io) : timer_(io) {}
  void start(net::io_context &io) { co_spawn(io, loop(), detached); }
  void stop() { timer_.cancel(); }

private:
  awaitable<void> loop() {
    try {
      for (;;) {
        timer_.expires_after(1s);
        co_await timer_.async_wait(use_awaitable);
      }
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }
  net::steady_timer timer_;
};

// A session object holding its socket: the peer ends its reader.
class Session : public std::enable_shared_from_this<Session> {
public:
  explicit Session(tcp::socket socket) : socket_(std::move(socket)) {}
  void start() {
    co_spawn(socket_.get_executor(),
             [self = shared_from_this()] { return self->reader(); }, detached);
  }

private:
  awaitable<void> reader() {
    try {
      char data[256];
      for (;;)
        co_await socket_.async_read_some(net::buffer(data), use_awaitable);
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }
  tcp::socket socket_;
};

// Each step's failure is caught where it happens (the read ends the
// session, a failed write is logged and ends it); the greeting before the
// loop cannot fail. Not one try around the body, but nothing leaves it.
awaitable<void> stepwise_echo(tcp::socket socket) {
  std::printf("session from a client\n");
  char data[512];
  for (;;) {
    std::size_t n = 0;
    try {
      n = co_await socket.async_read_some(net::buffer(data), use_awaitable);
    } catch (const std::exception &e) {
      log_failure(e.what());
      co_return;
    }
    try {
      co_await net::async_write(socket, net::buffer(data, n), use_awaitable);
    } catch (...) {
      log_failure("write failed");
      co_return;
    }
  }
}

void start_stepwise_echo(tcp::socket socket) {
  auto ex = socket.get_executor();
  co_spawn(ex, stepwise_echo(std::move(socket)), detached);
}

// A ticker that reads its owner's stop flag: its only wait is on its own
// timer and the call after it is defined in another file. Nothing the code
// shows can fail, so 'detached' is not reported for it.
void record_tick();
awaitable<void> ticker(std::shared_ptr<std::atomic<bool>> stop) {
  net::steady_timer tick(co_await net::this_coro::executor);
  while (!stop->load()) {
    tick.expires_after(1s);
    co_await tick.async_wait(use_awaitable);
    record_tick();
  }
}

void start_ticker(net::io_context &io, std::shared_ptr<std::atomic<bool>> stop) {
  co_spawn(io, ticker(stop), detached);
}

// A mailbox of the project's own (any library's channel): the consumer waits
// on it through a reference, and whoever holds the mailbox closes it, which
// ends the loop. Its take is defined elsewhere: no failure shown.
class Mailbox {
public:
  awaitable<std::optional<std::string>> async_take(); // empty once closed
  void close();
};

awaitable<void> drain(Mailbox &box) {
  for (;;) {
    std::optional<std::string> message = co_await box.async_take();
    if (!message)
      co_return;
    std::printf("%s\n", message->c_str());
  }
}

void start_drain(net::io_context &io, Mailbox &box) {
  co_spawn(io, drain(box), detached);
}

// A wrapper lambda awaiting, round after round, a session that holds its
// socket: the peer ends one round, the session catches what ended it, and
// the wrapper starts the next on the closed socket. Nothing leaves the loop.
class PeerSession {
public:
  explicit PeerSession(tcp::socket socket) : socket_(std::move(socket)) {}
  awaitable<void> run() {
    try {
      char data[256];
      for (;;)
        co_await socket_.async_read_some(net::buffer(data), use_awaitable);
    } catch (const std::exception &e) {
      log_failure(e.what());
    }
  }

private:
  tcp::socket socket_;
};

// Awaited once, the session's peer ends the wrapper too.
void start_wrapped_once(net::io_context &io, std::shared_ptr<PeerSession> p) {
  co_spawn(io, [p]() -> awaitable<void> { co_await p->run(); }, detached);
}

void start_wrapped(net::io_context &io, std::shared_ptr<PeerSession> p) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: nothing can stop it [tether-detached-thread]
  co_spawn(io, [p]() -> awaitable<void> {
    for (;;)
      co_await p->run();
  }, detached);
}

// A listener raced against a finite client with `||`: when the client is
// done the group cancels the listener, and the coroutine ends.
#ifdef USE_BOOST_ASIO
#include <boost/asio/experimental/awaitable_operators.hpp>
#else
#include <asio/experimental/awaitable_operators.hpp>
#endif
using namespace net::experimental::awaitable_operators;
tcp::acceptor *service_acceptor = nullptr; // opened in main
awaitable<void> serve_forever() {
  try {
    for (;;) {
      tcp::socket peer = co_await service_acceptor->async_accept(use_awaitable);
      (void)peer;
    }
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
}
awaitable<void> ten_requests();
awaitable<void> race() { co_await (serve_forever() || ten_requests()); }

void start_race(net::io_context &io) { co_spawn(io, race(), detached); }

// Groups spawned as they are. `||` waits for one branch to succeed and
// fails only when every branch failed: a relayed write raced against a
// timeout on the group's own timer ends within the second, with nothing to
// throw. `&&` fails when either branch does, and so does a race of two
// reads that can both fail.
awaitable<void> pause(std::chrono::milliseconds d) {
  net::steady_timer timer(co_await net::this_coro::executor, d);
  co_await timer.async_wait(use_awaitable);
}

awaitable<void> relay(tcp::socket &to, const std::string &line) {
  co_await net::async_write(to, net::buffer(line), use_awaitable);
}

awaitable<std::size_t> read_line(tcp::socket &from, std::string &into) {
  co_return co_await net::async_read_until(from, net::dynamic_buffer(into),
                                           '\n', use_awaitable);
}

void broadcast(net::io_context &io, tcp::socket &peer, const std::string &line) {
  co_spawn(io, relay(peer, line) || pause(std::chrono::seconds(1)), detached);
}

void mirror(net::io_context &io, tcp::socket &a, tcp::socket &b,
            std::string &from_a, std::string &from_b) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine group 'read_line && read_line': its exceptions are lost [tether-detached-thread]
  co_spawn(io, read_line(a, from_a) && read_line(b, from_b), detached);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine group 'read_line || read_line': its exceptions are lost [tether-detached-thread]
  co_spawn(io, read_line(a, from_a) || read_line(b, from_b), detached);
}

// The note names the operand that fails, not the timer beside it.
void read_with_timer(net::io_context &io, tcp::socket &peer, std::string &into) {
  // CHECK-DAG: :[[@LINE+2]]:3: warning: detached coroutine group 'pause && read_line': its exceptions are lost [tether-detached-thread]
  // CHECK-DAG: :[[@LINE+1]]:50: note: 'read_line' can end the coroutine group with an exception
  co_spawn(io, pause(std::chrono::seconds(1)) && read_line(peer, into), detached);
}

// The coroutine is defined elsewhere: nothing to decide from.
awaitable<void> elsewhere();
void start_elsewhere(net::io_context &io) { co_spawn(io, elsewhere(), detached); }

// Awaited by its caller.
awaitable<void> awaited() { co_await co_spawn(co_await net::this_coro::executor, refresher(), use_awaitable); }

// --- A coroutine that cannot fail by an exception --------------------------

#if defined(USE_BOOST_ASIO)
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/redirect_error.hpp>
using net::as_tuple;
inline constexpr auto deferred_token = net::deferred;
using error_code = boost::system::error_code;
using system_error = boost::system::system_error;
#else
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/deferred.hpp>
#include <asio/experimental/parallel_group.hpp>
#include <asio/redirect_error.hpp>
using net::experimental::as_tuple;
inline constexpr auto deferred_token = net::experimental::deferred;
using error_code = asio::error_code;
using system_error = asio::system_error;
#endif

// A condition variable made of a timer that never expires (notify cancels
// the wait): the wait's only error is operation_aborted, so the throw for
// any other error cannot happen. Writers queued behind it catch and log
// their own write's failure: nothing is lost.
struct timer_condvar {
  explicit timer_condvar(net::any_io_executor ex) : timer_(ex) {
    timer_.expires_at(net::steady_timer::time_point::max());
  }
  void notify_one() { timer_.cancel_one(); }
  awaitable<void> wait() {
    auto [ec] = co_await timer_.async_wait(as_tuple(use_awaitable));
    if (ec && ec != net::error::operation_aborted)
      throw system_error(ec);
  }
  awaitable<void> wait_redirected() {
    error_code ec;
    co_await timer_.async_wait(net::redirect_error(use_awaitable, ec));
    if (ec && ec != net::error::operation_aborted)
      throw system_error(ec);
  }
  net::steady_timer timer_;
};

struct queued_socket {
  tcp::socket socket;
  timer_condvar turn{socket.get_executor()};
  int writers = 0;
};

awaitable<void> queued_write(std::shared_ptr<queued_socket> s, std::string line) {
  if (s->writers++ != 0)
    co_await s->turn.wait();
  try {
    co_await net::async_write(s->socket, net::buffer(line), use_awaitable);
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
  --s->writers;
  s->turn.notify_one();
}

awaitable<void> queued_close(std::shared_ptr<queued_socket> s) {
  if (s->writers != 0)
    co_await s->turn.wait_redirected();
  error_code ignored;
  s->socket.shutdown(tcp::socket::shutdown_both, ignored);
}

void queue_write(std::shared_ptr<queued_socket> s, std::string line) {
  co_spawn(s->socket.get_executor(), queued_write(s, std::move(line)), detached);
}

void queue_close(std::shared_ptr<queued_socket> s) {
  co_spawn(s->socket.get_executor(), queued_close(s), detached);
}

// The same writer waiting for the socket to become writable instead: that
// wait fails when the peer resets the connection, and the throw under its
// error code ends the writer with an exception 'detached' drops.
awaitable<void> writable(tcp::socket &socket) {
  auto [ec] = co_await socket.async_wait(tcp::socket::wait_write,
                                         as_tuple(use_awaitable));
  if (ec)
    throw system_error(ec);
}

awaitable<void> write_when_writable(std::shared_ptr<queued_socket> s,
                                    std::string line) {
  // CHECK-DAG: :[[@LINE+1]]:3: note: awaiting 'writable' can end the coroutine with an exception
  co_await writable(s->socket);
  try {
    co_await net::async_write(s->socket, net::buffer(line), use_awaitable);
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
}

void queue_when_writable(std::shared_ptr<queued_socket> s, std::string line) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'write_when_writable': its exceptions are lost [tether-detached-thread]
  co_spawn(s->socket.get_executor(), write_when_writable(s, std::move(line)),
           detached);
}

// --- A named callable that starts a coroutine ------------------------------

// A session whose reads hand their errors back: it ends when the peer
// leaves, and nothing in it throws.
awaitable<void> serve_quietly(tcp::socket socket) {
  char data[512];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(net::buffer(data),
                                                   as_tuple(use_awaitable));
    if (ec)
      co_return;
  }
}

// The callable kept in a local is no coroutine: it logs the peer and returns
// the session's awaitable. Asio calls it inside the spawned task, so the
// throwing remote_endpoint() (the peer already reset) is dropped by
// 'detached' as the session's own failures would be.
void greet_and_serve(tcp::socket socket) {
  auto executor = socket.get_executor();
  auto session = [s = std::move(socket)]() mutable {
    // CHECK-DAG: :[[@LINE+1]]:49: note: 's.remote_endpoint' can end the coroutine with an exception
    std::printf("client on port %u\n", unsigned(s.remote_endpoint().port()));
    return serve_quietly(std::move(s));
  };
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'serve_quietly': its exceptions are lost [tether-detached-thread]
  co_spawn(executor, std::move(session), detached);
}

// The same, asking for the peer with the error_code overload: nothing lost.
void greet_quietly_and_serve(tcp::socket socket) {
  auto executor = socket.get_executor();
  auto session = [s = std::move(socket)]() mutable {
    error_code ec;
    auto peer = s.remote_endpoint(ec);
    if (!ec)
      std::printf("client on port %u\n", unsigned(peer.port()));
    return serve_quietly(std::move(s));
  };
  co_spawn(executor, std::move(session), detached);
}

// A std::function member assigned just before it is spawned: its connect()
// throws when the server is down, and 'detached' drops that.
class ReconnectingClient {
public:
  explicit ReconnectingClient(net::io_context &io) : io_(io) {}
  void start(tcp::endpoint server) {
    connect_ = [this, server] {
      tcp::socket socket(io_);
      socket.connect(server);
      auto session = serve_quietly(std::move(socket));
      return session;
    };
    // CHECK-DAG: :[[@LINE+1]]:5: warning: detached coroutine 'serve_quietly': its exceptions are lost [tether-detached-thread]
    co_spawn(io_, connect_, detached);
  }

private:
  net::io_context &io_;
  std::function<awaitable<void>()> connect_;
};

// A client socket built on the io_context (that constructor opens nothing)
// and a connect whose error comes back as a value: nothing can fail.
awaitable<void> try_connect(net::io_context &io, tcp::endpoint peer) {
  tcp::socket socket(io);
  auto [ec] = co_await socket.async_connect(peer, as_tuple(use_awaitable));
  if (ec)
    std::printf("connect failed\n");
}

void start_try_connect(net::io_context &io, tcp::endpoint peer) {
  co_spawn(io, try_connect(io, peer), detached);
}

// A proxy half: errors come back as values, and at the end both sockets
// are closed with the throwing close(), a best-effort teardown whose
// failure nobody needs: nothing that matters is lost.
awaitable<void> forward(std::shared_ptr<tcp::socket> from,
                        std::shared_ptr<tcp::socket> to) {
  char data[1024];
  for (;;) {
    auto [read_ec, n] = co_await from->async_read_some(net::buffer(data),
                                                       as_tuple(use_awaitable));
    if (read_ec)
      break;
    auto [write_ec, written] = co_await net::async_write(
        *to, net::buffer(data, n), as_tuple(use_awaitable));
    if (write_ec)
      break;
  }
  from->close();
  to->close();
}

void start_forward(std::shared_ptr<tcp::socket> client,
                   std::shared_ptr<tcp::socket> server) {
  co_spawn(client->get_executor(), forward(client, server), detached);
}

// A watchdog on its own timer: setting the expiry and closing the sockets
// when it passes do not fail in practice, and its wait reports its error as
// a value. It ends when the deadline stops moving.
struct Deadline {
  std::chrono::steady_clock::time_point at;
};
awaitable<void> watchdog(std::shared_ptr<tcp::socket> client,
                         std::shared_ptr<Deadline> deadline) {
  net::steady_timer timer(client->get_executor());
  auto now = std::chrono::steady_clock::now();
  while (deadline->at > now) {
    timer.expires_at(deadline->at);
    co_await timer.async_wait(as_tuple(use_awaitable));
    now = std::chrono::steady_clock::now();
  }
  client->close();
}

void start_watchdog(std::shared_ptr<tcp::socket> client,
                    std::shared_ptr<Deadline> deadline) {
  co_spawn(client->get_executor(), watchdog(client, deadline), detached);
}

// Every await hands its error back as a value (as_tuple, redirect_error)
// and nothing else in it throws: 'detached' drops nothing, and the peer
// ends the loop.
awaitable<void> quiet_echo(tcp::socket socket) {
  char data[1024];
  for (;;) {
    auto [ec, n] = co_await socket.async_read_some(net::buffer(data),
                                                   as_tuple(use_awaitable));
    if (ec)
      co_return;
    error_code write_error;
    co_await net::async_write(socket, net::buffer(data, n),
                              net::redirect_error(use_awaitable, write_error));
    if (write_error)
      co_return;
  }
}

void start_quiet_echo(tcp::socket socket) {
  auto executor = socket.get_executor();
  co_spawn(executor, quiet_echo(std::move(socket)), detached);
}

// The same, on a strand: the token that redirects the error is wrapped by
// bind_executor, which only binds an executor to it.
class StrandReader : public std::enable_shared_from_this<StrandReader> {
public:
  StrandReader(tcp::socket socket, net::strand<net::any_io_executor> strand)
      : socket_(std::move(socket)), strand_(strand) {}
  void start() {
    co_spawn(strand_, [self = shared_from_this()] { return self->read(); },
             detached);
  }

private:
  awaitable<void> read() {
    char data[512];
    for (;;) {
      error_code ec;
      std::size_t n = co_await socket_.async_read_some(
          net::buffer(data),
          net::bind_executor(strand_, net::redirect_error(use_awaitable, ec)));
      if (ec)
        co_return;
      received_ += n;
    }
  }
  tcp::socket socket_;
  net::strand<net::any_io_executor> strand_;
  std::size_t received_ = 0;
};

// The same accept loop, but the acceptor is opened and bound in the
// coroutine: that constructor throws when the port is taken.
awaitable<void> quiet_listener(unsigned short port) {
  auto executor = co_await net::this_coro::executor;
  tcp::acceptor acceptor(executor, {tcp::v4(), port});
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
    if (ec)
      co_return;
    co_spawn(executor, quiet_echo(std::move(socket)), detached);
  }
}

void start_quiet_listener(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'quiet_listener'
  co_spawn(io, quiet_listener(5555), detached);
}

// Awaiting the project's own coroutine fails only when its body can.
awaitable<void> quiet_session(tcp::socket socket) {
  co_await quiet_echo(std::move(socket));
}

void start_quiet_session(tcp::socket socket) {
  auto executor = socket.get_executor();
  co_spawn(executor, quiet_session(std::move(socket)), detached);
}

// A gate the project's coroutines wait on: its wait throws only once the
// gate's owner closed it (a guard on the gate's own state), and awaiting it
// is judged as calling it would be: only a broken contract reaches that
// throw.
class Gate {
public:
  awaitable<int> wait_open() {
    if (closed_)
      throw std::runtime_error("gate closed");
    co_await net::post(use_awaitable);
    co_return opened_;
  }
  void open(int n) { opened_ = n; }
  void close() { closed_ = true; }

private:
  bool closed_ = false;
  int opened_ = 0;
};

awaitable<void> wait_for_gate(Gate &gate, std::atomic<int> &seen) {
  seen.store(co_await gate.wait_open());
}

void start_gate_waiter(net::io_context &io, Gate &gate,
                       std::atomic<int> &seen) {
  co_spawn(io, wait_for_gate(gate, seen), detached);
}

// An awaited coroutine that throws on what it was handed fails the task
// that awaits it.
awaitable<int> checked_port(int port) {
  if (port <= 0 || port > 65535)
    throw std::out_of_range("port");
  co_await net::post(use_awaitable);
  co_return port;
}

awaitable<void> announce_port(int port, std::atomic<int> &seen) {
  // CHECK-DAG: :[[@LINE+1]]:14: note: awaiting 'checked_port' can end the coroutine with an exception
  seen.store(co_await checked_port(port));
}

void start_announce(net::io_context &io, int port, std::atomic<int> &seen) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'announce_port': its exceptions are lost
  co_spawn(io, announce_port(port, seen), detached);
}

// A read and a write awaited together: the group's result leads with the
// completion order and carries each operation's error; nothing throws.
awaitable<void> duplex(tcp::socket socket) {
  char in[128];
  char out[128] = {};
  for (;;) {
    auto [order, read_ec, n_read, write_ec, n_written] =
        co_await net::experimental::make_parallel_group(
            socket.async_read_some(net::buffer(in), deferred_token),
            net::async_write(socket, net::buffer(out), deferred_token))
            .async_wait(net::experimental::wait_for_all(),
                        as_tuple(use_awaitable));
    (void)order;
    (void)n_read;
    (void)n_written;
    if (read_ec || write_ec)
      co_return;
  }
}

void start_duplex(tcp::socket socket) {
  auto executor = socket.get_executor();
  co_spawn(executor, duplex(std::move(socket)), detached);
}

// A coroutine that ends by itself after five ticks, on its own timer, and
// cannot fail by an exception: nobody needs to stop it, nothing is lost.
awaitable<void> five_ticks(std::atomic<int> &ticks) {
  net::steady_timer timer(co_await net::this_coro::executor);
  for (int i = 0; i < 5; ++i) {
    timer.expires_after(10ms);
    auto [ec] = co_await timer.async_wait(as_tuple(use_awaitable));
    if (ec)
      co_return;
    ticks.fetch_add(1);
  }
}

void start_five_ticks(net::io_context &io, std::atomic<int> &ticks) {
  co_spawn(io, five_ticks(ticks), detached);
}

// Waits that cannot fail: a hand-off to the executor (post completes with
// no error) and the coroutine's own timer, which nobody else can reach to
// cancel. It ends by itself after three rounds.
awaitable<void> three_rounds(std::atomic<int> &rounds) {
  net::steady_timer pause(co_await net::this_coro::executor);
  for (int i = 0; i < 3; ++i) {
    co_await net::post(use_awaitable);
    pause.expires_after(5ms);
    co_await pause.async_wait(use_awaitable);
    rounds.fetch_add(1);
  }
}

void start_three_rounds(net::io_context &io, std::atomic<int> &rounds) {
  co_spawn(io, three_rounds(rounds), detached);
}

// A shutdown watcher on its own signal set: nobody else can reach it to
// cancel its wait, which completes when the signal arrives; the watcher then
// stops the server and ends.
struct Server {
  void shut_down();
};

awaitable<void> stop_on_signal(Server &server) {
  net::signal_set signals(co_await net::this_coro::executor, SIGINT, SIGTERM);
  co_await signals.async_wait(use_awaitable);
  server.shut_down();
}

void watch_signals(net::io_context &io, Server &server) {
  co_spawn(io, stop_on_signal(server), detached);
}

// The same waits on a timer the owner can cancel: its wait then throws
// operation_aborted, which is how the owner stops it, not a failure anyone
// needed to see ('detached' may drop it). Silent.
awaitable<void> three_rounds_on(net::steady_timer &pause, std::atomic<int> &rounds) {
  for (int i = 0; i < 3; ++i) {
    pause.expires_after(5ms);
    co_await pause.async_wait(use_awaitable);
    rounds.fetch_add(1);
  }
}

void start_three_rounds_on(net::io_context &io, net::steady_timer &pause,
                           std::atomic<int> &rounds) {
  co_spawn(io, three_rounds_on(pause, rounds), detached);
}

// The same quiet reads, but on a descriptor built around standard input:
// registering the descriptor with the reactor throws when it fails (epoll
// refuses a regular file), and 'detached' drops that exception.
awaitable<void> echo_stdin() {
  net::posix::stream_descriptor in(co_await net::this_coro::executor, 0);
  char line[256];
  for (;;) {
    auto [ec, n] = co_await in.async_read_some(net::buffer(line),
                                               as_tuple(use_awaitable));
    if (ec)
      co_return;
    std::fwrite(line, 1, n, stdout);
  }
}

void start_echo_stdin(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'echo_stdin'
  co_spawn(io, echo_stdin(), detached);
}

// A periodic printer handed to co_spawn as a function, not called: Asio
// calls it for the coroutine it runs. Its own timer can neither fail nor be
// cancelled by anyone else: nothing can stop it.
int packets_processed = 0;
awaitable<void> stats_printer() {
  net::steady_timer timer(co_await net::this_coro::executor);
  for (;;) {
    timer.expires_after(1s);
    co_await timer.async_wait(as_tuple(use_awaitable));
    std::printf("processed %d packets\n", packets_processed);
  }
}

void start_stats_printer(net::io_context &io) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'stats_printer': nothing can stop it [tether-detached-thread]
  co_spawn(io, stats_printer, detached);
}

// --- Calls whose outcome is fixed when the code is written -----------------

// An SSDP announcer: the multicast address is a constant the programmer
// wrote, so parsing it fails on every run or on none; the sends hand their
// errors back. Silent.
void start_announcer(std::shared_ptr<net::ip::udp::socket> socket) {
  co_spawn(
      socket->get_executor(),
      [socket]() -> awaitable<void> {
        net::ip::udp::endpoint group(net::ip::make_address("239.255.255.250"),
                                     1900);
        net::steady_timer pause(socket->get_executor());
        for (;;) {
          auto [ec, n] = co_await socket->async_send_to(
              net::buffer("M-SEARCH * HTTP/1.1\r\n\r\n", 23), group,
              as_tuple(use_awaitable));
          if (ec)
            break;
          pause.expires_after(std::chrono::seconds(3));
          co_await pause.async_wait(as_tuple(use_awaitable));
        }
      },
      detached);
}

// A listener that prints who spoke: writing an address out does not fail.
void start_listener(std::shared_ptr<net::ip::udp::socket> socket) {
  co_spawn(
      socket->get_executor(),
      [socket]() -> awaitable<void> {
        char data[512];
        for (;;) {
          net::ip::udp::endpoint sender;
          auto [ec, n] = co_await socket->async_receive_from(
              net::buffer(data), sender, as_tuple(use_awaitable));
          if (ec)
            break;
          std::printf("%zu bytes from %s\n", n,
                      sender.address().to_string().c_str());
        }
      },
      detached);
}

// The address comes from the configuration: a typo there throws, and
// 'detached' drops it.
void start_configured_announcer(std::shared_ptr<net::ip::udp::socket> socket,
                                std::string group_address) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached lambda coroutine: its exceptions are lost [tether-detached-thread]
  co_spawn(
      socket->get_executor(),
      [socket, group_address]() -> awaitable<void> {
        net::ip::udp::endpoint group(net::ip::make_address(group_address), 1900);
        auto [ec, n] = co_await socket->async_send_to(
            net::buffer("NOTIFY * HTTP/1.1\r\n\r\n", 21), group,
            as_tuple(use_awaitable));
        if (ec)
          std::printf("notify failed\n");
      },
      detached);
}

// A per-connection lambda that hands its session (the socket and what is
// known of the peer) to the session coroutine and awaits it: the session
// reads until the peer leaves and reports what ended it, so the peer ends
// the lambda's task too.
struct HandedSession {
  tcp::socket socket;
  std::string name;
};

awaitable<void> serve_handed(HandedSession session) {
  try {
    char data[64];
    for (;;) {
      std::size_t n = co_await session.socket.async_read_some(net::buffer(data), use_awaitable);
      co_await net::async_write(session.socket, net::buffer(data, n), use_awaitable);
    }
  } catch (const std::exception &e) {
    log_failure(e.what());
  }
}

void start_handed(tcp::socket socket) {
  auto ex = socket.get_executor();
  HandedSession session{std::move(socket), "peer"};
  co_spawn(
      ex,
      [s = std::move(session)]() mutable -> awaitable<void> {
        co_await serve_handed(std::move(s));
      },
      detached);
}
