// Loops of Boost.Asio stackful coroutines and Boost.Fiber fibers that test a
// flag each round: an Asio operation handed the coroutine's `yield` (also
// `yield[ec]`, also inside bind_cancellation_slot) or a fiber's asio `yield`
// suspends the caller, on a timer until it expires and on a socket until
// data arrives. Such a loop waits; one that only polls the flag does not.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <cstddef>

#include <boost/asio.hpp>
#include <boost/asio/spawn.hpp>

namespace net = boost::asio;
using namespace std::chrono_literals;

void handle(const char *data, std::size_t n);
void tick();

class Poller {
public:
  explicit Poller(net::io_context &io) : io_(io) {}

  // A periodic job: each round sleeps on the timer until it expires.
  void start_ticker() {
    net::spawn(
        io_,
        [this](net::yield_context yield) {
          net::steady_timer timer(yield.get_executor());
          boost::system::error_code ec;
          while (running_) {
            timer.expires_after(1ms);
            timer.async_wait(yield[ec]);
            tick();
          }
        },
        net::detached);
  }

  // The same wait, cancellable through a slot the owner emits.
  void start_cancellable_ticker() {
    net::spawn(
        io_,
        [this](net::yield_context yield) {
          net::steady_timer timer(yield.get_executor());
          boost::system::error_code ec;
          while (running_) {
            timer.expires_after(10ms);
            timer.async_wait(net::bind_cancellation_slot(stop_.slot(), yield[ec]));
            if (ec == net::error::operation_aborted)
              break;
          }
        },
        net::detached);
  }

  // A reader: each round waits for the peer's data.
  void start_reader(net::ip::tcp::socket &socket) {
    net::spawn(
        io_,
        [this, &socket](net::yield_context yield) {
          char data[512];
          while (running_) {
            std::size_t n = socket.async_read_some(net::buffer(data), yield);
            handle(data, n);
          }
        },
        net::detached);
  }

  // Only the flag, re-read at full speed: the coroutine never suspends and
  // holds its thread.
  void start_spinner() {
    net::spawn(
        io_,
        [this](net::yield_context) {
          // CHECK: :[[@LINE+1]]:11: warning: loop spins on 'running_.load' without blocking, sleeping or backing off
          while (running_) {
          }
        },
        net::detached);
  }

  void stop() {
    running_ = false;
    stop_.emit(net::cancellation_type::terminal);
  }

private:
  net::io_context &io_;
  net::cancellation_signal stop_;
  std::atomic<bool> running_{true};
};
