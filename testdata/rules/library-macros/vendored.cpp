// Library code is found by where its macro is written: a system header, a
// vendored directory (third_party/, external/, ...), or a single-header
// framework's file (catch.hpp, doctest.h). The project's own headers stay
// the project's.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx -I%S/Inputs -I%S/Inputs/include -I%S/Inputs/third_party | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx -I%S/Inputs -I%S/Inputs/include -I%S/Inputs/third_party | FileCheck %s --implicit-check-not='warning:'
// LibraryPaths adds the project's own vendored directories.
// RUN: printf 'CheckOptions:\n  LibraryPaths: "include/"\n' > %t.yaml
// RUN: %tether --config-file=%t.yaml --checks='-*,tether-*' %s -- %libstdcxx -I%S/Inputs -I%S/Inputs/include -I%S/Inputs/third_party | count 0

#include "app/retry.h"
#include "minitest/minitest.h"
#include "tests/catch.hpp"

#include <atomic>
#include <thread>

bool probe(int port);
void serve(int port);

void wait_for_port(int port) {
  while (!probe(port))
    MT_EXPECT_OK(serve(port));
}

void hammer(int port) {
  std::atomic<bool> up{false};
  std::thread t([&] {
    while (!up)
      TINY_REQUIRE_NOTHROW(serve(port));
  });
  up = true;
  t.join();
}

void keep_serving(int port) {
  // CHECK: :[[@LINE+1]]:3: warning: the loop retries 'serve' as soon as it fails, with no delay: a failure that persists turns it into a hot spin [tether-restart-without-backoff]
  APP_RETRY_FOREVER(serve(port));
}

// A test's thread asserting with the framework: the framework's throw ends
// the test case its way; it is not the thread body's own failure.
void served_in_thread(int port) {
  std::thread t([port] {
    TINY_CHECK(probe(port));
    TINY_REQUIRE(probe(port + 1));
  });
  t.join();
}
