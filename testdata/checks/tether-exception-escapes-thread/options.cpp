// A codebase teaches the check which of its own functions throw.
// RUN: printf 'CheckOptions:\n  tether-exception-escapes-thread.ThrowingFunctions: "json::parse"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// The option round-trips through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-exception-escapes-thread' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP: tether-exception-escapes-thread.ThrowingFunctions: 'json::parse'

#include <string>
#include <thread>

namespace json {
int parse(const std::string &text); // throws json::error, defined elsewhere
}

void reload(const std::string &text) {
  // CHECK: :[[@LINE+3]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+2]]:33: note: 'json::parse' throws when it fails, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:17: note: catch everything at the top of the body (try { ... } catch (...)) and
  std::thread t([&text] { (void)json::parse(text); });
  t.join();
}
