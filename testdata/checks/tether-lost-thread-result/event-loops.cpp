// Threads that serve an Asio event loop: io_context::run() and its family
// return how many handlers they ran, a statistic and no result. A failure
// leaves run() as the exception a handler threw. A thread pool started
// with `bind(&io_context::run, &io)` loses nothing when it drops the count;
// a worker that returns its own status still does.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/asio.hpp>
#include <boost/bind/bind.hpp>
#include <boost/thread.hpp>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace net = boost::asio;

class Hub {
public:
  // A pool of the size its caller asked for, each thread running the hub's
  // io_context until stop().
  void start_pool(unsigned threads) {
    while (threads--) {
      std::shared_ptr<boost::thread> thread(
          new boost::thread(boost::bind(&net::io_context::run, &io_)));
      pool_.push_back(thread);
    }
  }
  // run and poll have deprecated error_code overloads: picked by a cast.
  using loop_fn = net::io_context::count_type (net::io_context::*)();
  void start_std_pool(unsigned threads) {
    for (unsigned i = 0; i < threads; ++i)
      std_pool_.emplace_back(static_cast<loop_fn>(&net::io_context::run), &io_);
  }
  void start_one() {
    std_pool_.push_back(
        std::thread(static_cast<loop_fn>(&net::io_context::run_one), &io_));
  }
  void start_polling() {
    std_pool_.emplace_back(
        std::bind(static_cast<loop_fn>(&net::io_context::poll), &io_));
  }
  void stop() {
    io_.stop();
    for (auto &t : pool_)
      t->join();
    for (auto &t : std_pool_)
      t.join();
  }

private:
  net::io_context io_;
  std::vector<std::shared_ptr<boost::thread>> pool_;
  std::vector<std::thread> std_pool_;
};

// A worker of the project's own whose result says whether the drain
// finished: dropping it loses that.
struct Drainer {
  bool drain_until_empty();
};

void drain_in_background(Drainer &d) {
  // CHECK: :[[@LINE+1]]:15: warning: thread discards the 'bool' that 'Drainer::drain_until_empty' returns
  std::thread t(&Drainer::drain_until_empty, &d);
  t.join();
}
