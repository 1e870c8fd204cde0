// A call that never returns ends the path it is on. A handler that calls
// abort(), std::terminate(), exit(), a [[noreturn]] function or a project
// helper that always ends in one of those has reported its exception: the
// process is gone. A loop that does so after a failure does not restart.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// NoReturnFunctions names helpers whose bodies tether cannot see.
// RUN: printf 'CheckOptions:\n  NoReturnFunctions: "ops::crash"\n' > %t.yaml
// RUN: %tether --config-file=%t.yaml --checks='-*,tether-*' %s -- %libstdcxx | count 0

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <thread>

void run_shard(int shard);
bool verbose();
void assert_true(bool condition); // the test suite's: throws when false

// The project's assert helper: prints, then ends the process.
void halt(const char *why) {
  std::fputs(why, stderr);
  std::_Exit(3);
}

[[noreturn]] void on_corruption(int shard);

namespace ops {
void crash(int code); // defined in another file: it calls abort()
}

void start_shards() {
  std::thread a([] {
    try {
      run_shard(0);
    } catch (...) {
      std::abort();
    }
  });
  std::thread b([] {
    try {
      run_shard(1);
    } catch (const std::exception &) {
      halt("shard 1 failed");
    }
  });
  std::thread c([] {
    try {
      run_shard(2);
    } catch (...) {
      on_corruption(2);
    }
  });
  // An empty handler followed by a call that ends the process: the failure
  // path ends there too.
  std::thread d([] {
    try {
      run_shard(3);
      return;
    } catch (...) {
    }
    std::terminate();
  });
  // A test that expects a throw: an empty handler, then the assertion that
  // fails the test when the exception was something else.
  std::thread g([] {
    try {
      run_shard(6);
    } catch (const std::out_of_range &) {
      return;
    } catch (...) {
    }
    assert_true(false);
  });
  std::thread e([] {
    try {
      run_shard(4);
      // CHECK: :[[@LINE+1]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
    } catch (...) {
      ops::crash(4);
    }
  });
  // A handler that decides when to end the process has decided about the
  // failure: its author chose to go on the other times.
  std::thread f([] {
    try {
      run_shard(5);
    } catch (...) {
      if (verbose())
        std::abort();
    }
  });
  a.join();
  b.join();
  c.join();
  d.join();
  e.join();
  f.join();
  g.join();
}

// A supervisor whose handler ends the process does not restart anything.
void supervise_shard(int shard) {
  for (;;) {
    try {
      run_shard(shard);
    } catch (const std::exception &) {
      halt("supervisor gave up");
    }
  }
}
