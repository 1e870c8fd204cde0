// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/thread.hpp>
#include <boost/thread/scoped_thread.hpp>

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
