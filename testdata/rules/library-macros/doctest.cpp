// doctest's assertion macros (CHECK_NOTHROW, REQUIRE, CHECK_THROWS) expand to
// try/catch and do { } while (false) in the test's own functions, also inside
// threads the test starts. They are doctest's: a poll that asserts on every
// round is not a retry loop, and doctest's handler is not a swallowed
// exception. The user's code beside them is still checked.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

struct Broker {
  bool connected() const;
  int port() const;
  void publish(int topic, int value);
};
bool try_connect(int port);
void consume(int topic);

TEST_CASE("a subscriber sees every message") {
  Broker b;
  while (!b.connected()) {
    CHECK_NOTHROW(try_connect(b.port()));
  }
  std::atomic<bool> done{false};
  std::thread subscriber([&] {
    while (!done.load()) {
      CHECK_NOTHROW(consume(1));
      REQUIRE(b.port() > 0);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    CHECK_THROWS_AS(consume(-1), std::invalid_argument);
  });
  for (int i = 0; i < 100; ++i)
    b.publish(1, i);
  done = true;
  subscriber.join();
}

TEST_CASE("publishers in parallel") {
  Broker b;
  std::vector<std::thread> publishers;
  for (int t = 0; t < 4; ++t)
    publishers.emplace_back([&b, t] {
      for (int i = 0; i < 10; ++i)
        CHECK_NOTHROW(b.publish(t, i));
    });
  for (auto &p : publishers)
    p.join();
}

// A thread body of the test that drops its own failure is the user's.
TEST_CASE("a helper thread that hides its failure") {
  std::thread helper([] {
    try {
      consume(2);
      // CHECK: :[[@LINE+1]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
    } catch (...) {
    }
  });
  helper.join();
}
