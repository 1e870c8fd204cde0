// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/thread.hpp>
#include <boost/thread/scoped_thread.hpp>
#include <boost/thread/thread_guard.hpp>

void refresh_cache();

void positive_local() {
  boost::thread refresher(refresh_cache);
  // CHECK: :[[@LINE+2]]:13: warning: thread 'refresher' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  // CHECK: :[[@LINE-2]]:17: note: thread started here
  refresher.detach();
}

void positive_temporary() {
  // CHECK: :[[@LINE+1]]:32: warning: temporary thread is detached
  boost::thread(refresh_cache).detach();
}

class Refresher {
public:
  void start() {
    worker_ = boost::thread(refresh_cache);
    // CHECK: :[[@LINE+1]]:13: warning: thread 'worker_' is detached
    worker_.detach();
  }

private:
  boost::thread worker_;
};

// RAII wrappers whose policy detaches: the scope's end lets the thread go.
void guarded_by_detach(boost::thread &loader) {
  // CHECK: :[[@LINE+1]]:39: warning: 'reaper' detaches its thread when it goes out of scope (boost::detach policy): nothing can stop the thread or wait for it to finish [tether-detached-thread]
  boost::scoped_thread<boost::detach> reaper(refresh_cache);
  // CHECK: :[[@LINE+1]]:38: warning: 'guard' detaches its thread when it goes out of scope
  boost::thread_guard<boost::detach> guard(loader);
}

// --- Negatives -------------------------------------------------------------

void joined_group() {
  boost::thread_group group;
  group.create_thread(refresh_cache);
  group.join_all();
}

void interrupted_and_joined() {
  boost::thread t(refresh_cache);
  t.interrupt();
  t.join();
}

void scoped() {
  boost::scoped_thread<> t{boost::thread(refresh_cache)}; // joins itself
}

void guarded(boost::thread &loader) {
  boost::thread_guard<> joins(loader);
  boost::scoped_thread<boost::interrupt_and_join_if_joinable> stops(refresh_cache);
}
