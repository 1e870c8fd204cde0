// A connection pool written on coroutines: get() waits on the pool's own
// condition variable (a timer whose wait hands its error back), then
// connects a new connection, whose connect resolves and connects with
// as_tuple and hands every failure back as an error code, four awaits below
// the coroutine that asked. What tether does not read (deeper than three
// awaits) is no evidence of a lost failure: the users of such a pool are
// silent. What the code shows failing still counts: a socket read that
// throws. A checked access with a key the function was handed (a slot the
// pool gave out, a worker number its spawner sized the table for) fails
// only on a broken contract; one with a key read off the wire can fail.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <tuple>
#include <vector>

#include "../Inputs/asio-net.h"
#ifdef USE_BOOST_ASIO
#include <boost/asio/as_tuple.hpp>
using net::as_tuple;
using error_code = boost::system::error_code;
#else
#include <asio/experimental/as_tuple.hpp>
using net::experimental::as_tuple;
using error_code = asio::error_code;
#endif

using net::detached;
using net::use_awaitable;
using net::ip::tcp;
using namespace std::chrono_literals;

namespace pool {

// A condition variable for coroutines: a timer that never expires, whose
// cancel wakes the waiters. Its wait hands operation_aborted back.
class condition_variable {
public:
  explicit condition_variable(net::any_io_executor ex) : timer_(ex) {
    timer_.expires_at(std::chrono::steady_clock::time_point::max());
  }
  awaitable<void> async_wait() {
    error_code ec;
    co_await timer_.async_wait(net::redirect_error(use_awaitable, ec));
  }
  template <class Pred> awaitable<void> async_wait(Pred pred) {
    while (!pred())
      co_await async_wait();
  }
  void notify_all() { timer_.cancel(); }

private:
  net::steady_timer timer_;
};

enum class state { idle, resolving, connecting, connected };

class connection {
public:
  explicit connection(net::any_io_executor ex) : socket_(ex) {}

  awaitable<void> set_state(state s) {
    state_ = s;
    co_return;
  }

  // Every failure comes back as the error code.
  awaitable<error_code> async_connect(std::string host, std::string port) {
    co_await set_state(state::resolving);
    tcp::resolver resolver(socket_.get_executor());
    auto [rerr, endpoints] =
        co_await resolver.async_resolve(host, port, as_tuple(use_awaitable));
    if (rerr)
      co_return rerr;
    co_await set_state(state::connecting);
    auto [cerr, ep] =
        co_await net::async_connect(socket_, endpoints, as_tuple(use_awaitable));
    if (!cerr)
      co_await set_state(state::connected);
    co_return cerr;
  }

  tcp::socket &socket() { return socket_; }
  bool connected() const { return state_ == state::connected; }

private:
  tcp::socket socket_;
  state state_ = state::idle;
};

class connection_pool {
public:
  explicit connection_pool(net::any_io_executor ex) : ex_(ex), cv_(ex) {}

  // A new connection, retried on its own local timer until it connects.
  awaitable<connection *> try_get() {
    std::unique_ptr<connection> fresh;
    {
      std::lock_guard lock(mutex_);
      if (stopped_ || busy_.size() >= 8)
        co_return nullptr;
      fresh = std::make_unique<connection>(ex_);
    }
    net::steady_timer backoff(ex_);
    while (!fresh->connected()) {
      if (error_code ec = co_await fresh->async_connect("db.local", "5432")) {
        std::printf("connect: %s\n", ec.message().c_str());
        backoff.expires_after(100ms);
        co_await backoff.async_wait(use_awaitable);
      }
    }
    std::lock_guard lock(mutex_);
    busy_.push_back(std::move(fresh));
    co_return busy_.back().get();
  }

  awaitable<connection *> get() {
    connection *c = nullptr;
    do {
      co_await cv_.async_wait([this] { return busy_.size() < 8 || stopped_; });
      c = co_await try_get();
    } while (!c && !stopped_);
    co_return c;
  }

  // Replaces the connection in a slot this pool handed out.
  awaitable<void> reset(std::size_t slot) {
    auto fresh = std::make_unique<connection>(ex_);
    co_await fresh->async_connect("db.local", "5432");
    std::lock_guard lock(mutex_);
    busy_.at(slot) = std::move(fresh);
  }

  void stop_all() {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    for (auto &c : busy_)
      c->socket().close();
    cv_.notify_all();
  }

private:
  net::any_io_executor ex_;
  condition_variable cv_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<connection>> busy_;
  bool stopped_ = false;
};

} // namespace pool

// Asks the pool and writes with as_tuple: nothing it awaits throws.
awaitable<void> ping_database(pool::connection_pool &db) {
  pool::connection *c = co_await db.get();
  if (!c)
    co_return;
  auto [ec, n] = co_await net::async_write(c->socket(), net::buffer("PING\n", 5),
                                           as_tuple(use_awaitable));
  if (ec)
    std::printf("ping: %s\n", ec.message().c_str());
}

void start_ping(net::io_context &io, pool::connection_pool &db) {
  co_spawn(io, ping_database(db), detached);
}

// Waits for the pool's condition variable directly: silent as well.
void wait_for_room(net::io_context &io, pool::connection_pool &db) {
  co_spawn(
      io,
      [&db]() -> awaitable<void> {
        pool::connection *c = co_await db.get();
        std::printf("%s\n", c ? "connected" : "stopped");
      },
      detached);
}

// Reads the reply with use_awaitable: a reset connection throws, and
// `detached` drops it.
awaitable<void> query_database(pool::connection_pool &db) {
  pool::connection *c = co_await db.get();
  if (!c)
    co_return;
  char reply[128];
  std::size_t n =
      co_await c->socket().async_read_some(net::buffer(reply), use_awaitable);
  std::printf("%.*s\n", static_cast<int>(n), reply);
}

void start_query(net::io_context &io, pool::connection_pool &db) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'query_database': its exceptions are lost [tether-detached-thread]
  co_spawn(io, query_database(db), detached);
}

// Replaces a connection by the slot the pool handed out: the checked access
// fails only if the caller passes a slot the pool never gave.
void start_reset(net::io_context &io, pool::connection_pool &db,
                 std::size_t slot) {
  co_spawn(io, [&db, slot]() -> awaitable<void> { co_await db.reset(slot); },
           detached);
}

// A benchmark's workers count their pings in the slot their spawner
// numbered them by, in a table it sized for all of them.
std::vector<int> pings_per_worker;

awaitable<void> count_pings(pool::connection_pool &db, int worker) {
  pool::connection *c = co_await db.get();
  if (!c)
    co_return;
  pings_per_worker.at(worker)++;
}

void start_workers(net::io_context &io, pool::connection_pool &db,
                   int workers) {
  pings_per_worker.resize(workers);
  for (int w = 0; w < workers; ++w)
    co_spawn(io, count_pings(db, w), detached);
}

// The slot comes off the wire: a reply naming a worker nobody started
// throws out_of_range, and `detached` drops it.
awaitable<void> count_replies(pool::connection_pool &db) {
  pool::connection *c = co_await db.get();
  if (!c)
    co_return;
  char reply[1];
  auto [ec, n] = co_await net::async_read(c->socket(), net::buffer(reply),
                                          as_tuple(use_awaitable));
  if (ec)
    co_return;
  int worker = reply[0];
  pings_per_worker.at(worker)++;
}

void start_replies(net::io_context &io, pool::connection_pool &db) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: detached coroutine 'count_replies': its exceptions are lost [tether-detached-thread]
  co_spawn(io, count_replies(db), detached);
}
