// Boost.Test's BOOST_CHECK_NO_THROW, BOOST_REQUIRE and BOOST_CHECK_THROW
// expand to try/catch and do { } while (false) in the test body and in the
// threads it starts: Boost.Test's constructs, not the user's.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#define BOOST_TEST_MODULE pipeline
#include <boost/test/included/unit_test.hpp>

#include <atomic>
#include <stdexcept>
#include <thread>

struct Stage {
  bool idle() const;
  void feed(int item);
  int drain();
};

BOOST_AUTO_TEST_CASE(stages_drain_in_order) {
  Stage s;
  while (!s.idle()) {
    BOOST_CHECK_NO_THROW(s.drain());
  }
  std::thread feeder([&s] {
    for (int i = 0; i < 100; ++i)
      BOOST_CHECK_NO_THROW(s.feed(i));
    BOOST_CHECK_THROW(s.feed(-1), std::invalid_argument);
    BOOST_REQUIRE(s.idle());
  });
  feeder.join();
}

// A detached thread in a test is still a detached thread.
BOOST_AUTO_TEST_CASE(fire_and_forget) {
  Stage s;
  std::thread t([&s] { s.feed(1); });
  // CHECK: :[[@LINE+1]]:5: warning: thread 't' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  t.detach();
}
