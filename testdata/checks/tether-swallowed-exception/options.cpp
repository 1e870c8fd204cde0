// A codebase teaches tether its error base class, its logger, its status
// reporting and its pool.
// RUN: printf 'CheckOptions:\n  tether-swallowed-exception.CaughtTypes: "acme::Error"\n  tether-swallowed-exception.LoggingFunctions: "acme::journal::*"\n  tether-swallowed-exception.ReportingFunctions: "acme::Tally::bump"\n  TaskSpawners: "acme::Pool::submit"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-swallowed-exception' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-swallowed-exception' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// Without the options: acme::Error is a narrow type, acme's pool starts
// nothing, and the logger and tally calls are plain calls.
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libstdcxx | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
// The plugin reads the same options, and round-trips them in --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-swallowed-exception' %s -- %libstdcxx 2>/dev/null | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-swallowed-exception' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-swallowed-exception.CaughtTypes: 'acme::Error'
// DUMP-DAG: tether-swallowed-exception.LoggingFunctions: 'acme::journal::*'
// DUMP-DAG: tether-swallowed-exception.ReportingFunctions: 'acme::Tally::bump'

#include <thread>

namespace acme {
struct Error {
  virtual ~Error() = default;
};
struct Pool {
  template <typename Job> void submit(Job &&job) { job(); }
};
namespace journal {
void append(const char *line);
}
struct Tally {
  void bump() { ++count; }
  void reset() { count = 0; }
  int count = 0;
};
} // namespace acme

void work();

void configured_base_class() {
  std::thread t([] {
    try {
      work();
      // CHECK: :[[@LINE+2]]:7: warning: exception caught by 'catch (const acme::Error &)' in a thread body is swallowed
      // CHECK: :[[@LINE-4]]:15: note: the thread is started here
    } catch (const acme::Error &) {
    }
  });
  t.join();
}

void configured_spawner(acme::Pool &pool) {
  pool.submit([] {
    try {
      work();
      // CHECK: :[[@LINE+2]]:7: warning: exception caught by 'catch (...)' in a task body is swallowed
      // CHECK: :[[@LINE-4]]:3: note: the task is started here
    } catch (...) {
    }
  });
}

void configured_logger_and_status() {
  std::thread t([] {
    acme::Tally tally;
    try {
      work();
    } catch (...) {
      // DEFAULT: :[[@LINE-1]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
      acme::journal::append("worker failed");
    }
    try {
      work();
    } catch (const acme::Error &) {
      tally.bump();
    }
    try {
      work();
      // CHECK: :[[@LINE+3]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
      // CHECK: :[[@LINE-16]]:15: note: the thread is started here
      // DEFAULT: :[[@LINE+1]]:7: warning: exception caught by 'catch (...)' in a thread body is swallowed
    } catch (...) {
      tally.reset(); // a local's state: cleanup, not a report
    }
  });
  t.join();
}
