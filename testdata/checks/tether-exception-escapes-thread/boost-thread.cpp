// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/thread.hpp>
#include <stdexcept>

bool ready();

void positive() {
  // CHECK: :[[@LINE+3]]:19: warning: an exception escaping this boost::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  // CHECK: :[[@LINE+4]]:7: note: the body throws std::runtime_error when '!ready()', and nothing in the thread catches it
  // CHECK: :[[@LINE+1]]:19: note: catch everything at the top of the body (try { ... } catch (...)) and
  boost::thread t([] {
    if (!ready())
      throw std::runtime_error("not ready");
  });
  t.join();
}

void interrupted_is_fine() {
  boost::thread t([] {
    if (!ready())
      throw boost::thread_interrupted(); // boost::thread's entry catches it
  });
  t.interrupt();
  t.join();
}
