// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <pthread.h>
#include <stdexcept>
#include <string>

void log_error(const char *what);

static void *reap(void *arg) {
  auto *name = static_cast<std::string *>(arg);
  if (name->empty())
    throw std::runtime_error("no name");
  return nullptr;
}

static void *reap_safely(void *arg) {
  try {
    return reap(arg);
  } catch (...) {
    log_error("reaper failed");
    return nullptr;
  }
}

void start_reapers(std::string &name) {
  pthread_t a, b, c;
  // CHECK: :[[@LINE+3]]:31: warning: an exception escaping this pthread_create body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE-16]]:5: note: the body throws std::runtime_error when 'name->empty()', and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:31: note: catch everything at the top of the body (try { ... } catch (...)) and
  pthread_create(&a, nullptr, reap, &name);
  pthread_create(&b, nullptr, reap_safely, &name);
  // CHECK: :[[@LINE+3]]:31: warning: an exception escaping this pthread_create body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+3]]:5: note: the body throws std::logic_error, and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:31: note: catch everything at the top of the body (try { ... } catch (...)) and
  pthread_create(&c, nullptr, +[](void *) -> void * {
    throw std::logic_error("lambda entry");
  }, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
  pthread_join(c, nullptr);
}
