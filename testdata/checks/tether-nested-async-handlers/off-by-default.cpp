// REQUIRES: asio
// tether-nested-async-handlers is off by default: the default set of checks
// stays silent on a deep pyramid, and --checks turns it on.
// RUN: %tether %s -- %libstdcxx -DASIO_STANDALONE | count 0
// RUN: not %tether --checks='-*,tether-nested-async-handlers' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'

#include <asio.hpp>

void tick(asio::steady_timer &timer, int &ticks) {
  timer.async_wait([&timer, &ticks](std::error_code) {
    timer.async_wait([&timer, &ticks](std::error_code) {
      timer.async_wait([&timer, &ticks](std::error_code) {
        // CHECK: :[[@LINE+1]]:26: warning: completion handler of 'async_wait' is nested 4 deep
        timer.async_wait([&ticks](std::error_code) { ++ticks; });
      });
    });
  });
}
