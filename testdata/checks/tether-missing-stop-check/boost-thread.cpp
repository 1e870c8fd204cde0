// Boost.Thread: interrupt() is its stop request, and interruption points
// (interruption_point(), sleep_for) are where a body observes it.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/thread.hpp>

void flush();

void never_interruptible() {
  boost::thread t([] {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    for (;;)
      flush();
  });
  // CHECK: :[[@LINE-5]]:17: note: thread started here
  // CHECK: :[[@LINE-4]]:5: note: loop on a stop signal
  t.interrupt();
  t.join();
}

void interruptible() {
  boost::thread t([] {
    for (;;) {
      flush();
      boost::this_thread::interruption_point();
    }
  });
  t.interrupt();
  t.join();
}

void sleeps_interruptibly() {
  boost::thread t([] {
    while (true) {
      flush();
      boost::this_thread::sleep_for(boost::chrono::milliseconds(10));
    }
  });
  t.interrupt();
  t.join();
}
