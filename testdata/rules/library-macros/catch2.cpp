// Catch2's assertion macros expand to try/catch, do { } while (false) and
// throw inside the test's own functions. Those are Catch2's: no check reads
// them as the user's retry loop, swallowed exception or escaping throw. The
// user's own code around them, and the user's own macros, are still checked.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

struct Server {
  bool ready() const;
  int port() const;
  void stop();
};
bool try_connect(int port);
std::string fetch(int port, const std::string &path);
void serve_forever();

TEST_CASE("the server accepts a connection once it is ready") {
  Server s;
  // A wait that asserts on every round: REQUIRE_NOTHROW's try/catch is
  // Catch2's way of recording a failure, not a retry of try_connect.
  while (!s.ready()) {
    REQUIRE_NOTHROW(try_connect(s.port()));
    std::this_thread::yield();
  }
  s.stop();
}

TEST_CASE("requests from several clients") {
  Server s;
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i)
    clients.emplace_back([&s] {
      // CHECK_NOTHROW catches what fetch throws and hands it to Catch2.
      CHECK_NOTHROW(fetch(s.port(), "/health"));
      CHECK(s.port() > 0);
    });
  for (auto &c : clients)
    c.join();
}

TEST_CASE("a worker asserts on its own results") {
  std::atomic<int> seen{0};
  std::thread worker([&] {
    for (int i = 0; i < 10; ++i) {
      REQUIRE(i >= 0); // Catch2 throws on failure: its throw, its business
      seen.fetch_add(1);
    }
  });
  worker.join();
  REQUIRE(seen == 10);
}

TEST_CASE("polling with a section per attempt") {
  int attempts = 0;
  SECTION("until it connects") {
    while (!try_connect(8080)) {
      CHECK_THROWS_AS(fetch(8080, "/"), std::runtime_error);
      if (++attempts > 3)
        break;
    }
  }
}

// The user's own supervisor in a test file is still the user's.
void supervise() {
  while (true) {
    try {
      serve_forever();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'serve_forever' as soon as it fails, with no delay: a failure that persists turns it into a hot spin [tether-restart-without-backoff]
    } catch (const std::exception &) {
    }
  }
}

// So is a macro the project defines itself.
#define RETRY_FOREVER(work)                                                    \
  for (;;) {                                                                   \
    try {                                                                      \
      work;                                                                    \
    } catch (...) {                                                            \
    }                                                                          \
  }
void supervise_with_macro() {
  // CHECK: :[[@LINE+1]]:3: warning: the loop retries 'serve_forever' as soon as it fails, with no delay: a failure that persists turns it into a hot spin [tether-restart-without-backoff]
  RETRY_FOREVER(serve_forever());
}
