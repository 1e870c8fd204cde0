// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-nested-async-handlers' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#define BOOST_THREAD_VERSION 4 // boost::future::then
#include <boost/asio.hpp>
#include <boost/thread/future.hpp>
#include <future>
#include <string>
#include <thread>

namespace net = boost::asio;
using net::ip::tcp;

int parse(const std::string &);
void store(int);

// --- Positives -------------------------------------------------------------

void login(tcp::socket &sock, net::streambuf &in, std::string &user) {
  net::async_write(sock, net::buffer("user?\n", 6), [&](boost::system::error_code ec, std::size_t) {
    if (ec)
      return;
    net::async_read_until(sock, in, '\n', [&](boost::system::error_code ec, std::size_t) {
      if (ec)
        return;
      net::async_write(sock, net::buffer("password?\n", 10), [&](boost::system::error_code ec, std::size_t) {
        if (ec)
          return;
        // CHECK: :[[@LINE+2]]:47: warning: completion handler of 'async_read_until' is nested 4 deep in other completion handlers (limit 3)
        // CHECK: :[[@LINE+1]]:47: note: flatten the sequence
        net::async_read_until(sock, in, '\n', [&](boost::system::error_code, std::size_t) { user = "ok"; });
      });
    });
  });
}

// Continuations nest like handlers.
void pipeline(boost::future<std::string> text) {
  text.then([](boost::future<std::string> f) {
    int n = parse(f.get());
    boost::async([n] { return n * 2; }).then([](boost::future<int> doubled) {
      boost::async([v = doubled.get()] { return v + 1; }).then([](boost::future<int> incremented) {
        // CHECK: :[[@LINE+2]]:66: warning: completion handler of 'then' is nested 4 deep
        // CHECK: :[[@LINE+1]]:66: note: flatten the sequence
        boost::async([v = incremented.get()] { return v; }).then([](boost::future<int> last) { store(last.get()); });
      });
    });
  });
}

// --- Negatives -------------------------------------------------------------

// Three continuations: within the limit.
void three_steps(boost::future<std::string> text) {
  text.then([](boost::future<std::string> f) {
        return parse(f.get());
      })
      .then([](boost::future<int> n) { return n.get() * 2; })
      .then([](boost::future<int> n) { store(n.get()); });
}

// std::async and std::thread are not asynchronous operations with handlers.
void threads_in_threads() {
  auto outer = std::async(std::launch::async, [] {
    auto middle = std::async(std::launch::async, [] {
      std::thread inner([] {
        std::thread innermost([] { store(1); });
        innermost.join();
      });
      inner.join();
    });
    middle.get();
  });
  outer.get();
}

// Each step a named member function (Boost.Asio's examples).
class Client {
public:
  explicit Client(net::io_context &io) : sock_(io), timer_(io) {}
  void start() { do_wait(); }

private:
  void do_wait() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](boost::system::error_code ec) {
      if (!ec)
        do_write();
    });
  }
  void do_write() {
    net::async_write(sock_, net::buffer("ping\n", 5), [this](boost::system::error_code ec, std::size_t) {
      if (!ec)
        do_read();
    });
  }
  void do_read() {
    net::async_read_until(sock_, in_, '\n', [this](boost::system::error_code ec, std::size_t) {
      if (!ec)
        do_wait();
    });
  }
  tcp::socket sock_;
  net::steady_timer timer_;
  net::streambuf in_;
};
