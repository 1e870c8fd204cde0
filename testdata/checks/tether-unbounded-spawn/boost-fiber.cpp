// Boost.Fiber: a fiber per accepted client is as unbounded as a thread per
// client, and the message says it is a fiber.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/all.hpp>

void serve(int fd);
int next_client(); // blocks until a client connects

void accept_loop() {
  for (;;) {
    int fd = next_client();
    // CHECK: :[[@LINE+1]]:5: warning: a fiber per iteration of an endless loop: nothing bounds how many run at once
    boost::fibers::fiber(serve, fd).detach();
  }
}
