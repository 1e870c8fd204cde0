// Boost.Asio stackful coroutines: an operation handed `yield` suspends the
// coroutine until it completes and throws its failure. An accept loop takes
// a new connection each round before anything can fail, so a catch that
// skips one bad connection moves on to the next; a loop that loads the same
// file again right after it failed restarts it.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/asio.hpp>
#include <boost/asio/spawn.hpp>

#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>

namespace net = boost::asio;
using net::ip::tcp;

void tune_socket(tcp::socket &socket); // throws when the kernel refuses
void serve(std::shared_ptr<tcp::socket> socket);

void listen_loop(net::io_context &io, tcp::acceptor &acceptor,
                 net::yield_context yield) {
  while (true) try {
    tcp::socket accepted(io);
    acceptor.async_accept(accepted, yield);
    try {
      tune_socket(accepted);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "dropping a connection: %s\n", e.what());
      continue;
    }
    serve(std::make_shared<tcp::socket>(std::move(accepted)));
  } catch (const boost::system::system_error &e) {
    if (e.code() == net::error::operation_aborted)
      return;
    std::fprintf(stderr, "accept failed: %s\n", e.what());
  }
}

void load_settings(); // throws while the file is being rewritten

void settings_loop(net::yield_context yield) {
  for (;;) {
    try {
      load_settings();
      return;
    } catch (const std::exception &e) {
      // CHECK-DAG: :[[@LINE-1]]:7: warning: the loop retries 'load_settings' as soon as it fails, with no delay: a failure that persists turns it into a hot spin [tether-restart-without-backoff]
      std::fprintf(stderr, "settings unreadable: %s\n", e.what());
    }
  }
}

void start(net::io_context &io, tcp::acceptor &acceptor) {
  net::spawn(io, [&](net::yield_context yield) {
    listen_loop(io, acceptor, yield);
  }, net::detached);
  net::spawn(io, [](net::yield_context yield) { settings_loop(yield); },
             net::detached);
}
