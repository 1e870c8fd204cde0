// A thread per connection whose loop reads and writes its socket with the
// throwing overloads ends when its peer leaves: the read throws on EOF or a
// reset and the loop is done (whether that exception escapes the thread is
// tether-exception-escapes-thread's question). The error_code overloads
// hand the failure back, so a loop that ignores it, or a try inside the
// loop that catches the throw, goes round forever.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/asio.hpp>

#include <cstdio>
#include <exception>
#include <thread>

namespace net = boost::asio;
using net::ip::tcp;

void echo(tcp::socket socket) {
  char data[128];
  for (;;) {
    std::size_t n = socket.read_some(net::buffer(data));
    net::write(socket, net::buffer(data, n));
  }
}

void echo_ignoring_errors(tcp::socket socket) {
  char data[128];
  boost::system::error_code ec;
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop in thread body never ends: it has no exit and no stop check, so the thread cannot be stopped and join() waits forever [tether-missing-stop-check]
  for (;;) {
    std::size_t n = socket.read_some(net::buffer(data), ec);
    net::write(socket, net::buffer(data, n), ec);
  }
}

void echo_logging_errors(tcp::socket socket) {
  char data[128];
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop in thread body never ends: it has no exit and no stop check, so the thread cannot be stopped and join() waits forever [tether-missing-stop-check]
  for (;;) {
    try {
      std::size_t n = socket.read_some(net::buffer(data));
      net::write(socket, net::buffer(data, n));
    } catch (const std::exception &e) {
      std::fprintf(stderr, "echo: %s\n", e.what());
    }
  }
}

void serve(tcp::acceptor &acceptor) {
  std::thread(echo, acceptor.accept()).detach();
  std::thread(echo_ignoring_errors, acceptor.accept()).detach();
  std::thread(echo_logging_errors, acceptor.accept()).detach();
}
