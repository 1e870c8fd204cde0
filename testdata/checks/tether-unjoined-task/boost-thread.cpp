// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -Wno-unused-result | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx -Wno-unused-result | FileCheck %s --implicit-check-not='warning:'
// Version 4 of Boost.Thread terminates on a joinable thread's destruction, as
// std::thread does; version 2, the default, detaches it.
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -Wno-unused-result -DBOOST_THREAD_VERSION=4 | FileCheck %s --check-prefix=V4 --implicit-check-not='warning:'

#define BOOST_THREAD_PROVIDES_FUTURE
#include <boost/thread.hpp>
#include <boost/thread/future.hpp>
#include <boost/thread/scoped_thread.hpp>

void reindex();
bool aborted();

void early_exit() {
  // CHECK: :[[@LINE+2]]:17: warning: thread 'indexer' is still joinable when it goes out of scope on some path: its destructor detaches it (Boost.Thread's default): nothing waits for it
  // V4: :[[@LINE+1]]:17: warning: thread 'indexer' is still joinable when it goes out of scope on some path: its destructor calls std::terminate
  boost::thread indexer(reindex);
  if (aborted())
    return;
  indexer.join();
}

class Crawler {
  // CHECK: :[[@LINE+2]]:17: warning: thread member 'crawl_' is never joined by the destructor of 'Crawler': destroying a running 'Crawler' detaches it (Boost.Thread's default)
  // V4: :[[@LINE+1]]:17: warning: thread member 'crawl_' is never joined by the destructor of 'Crawler': destroying a running 'Crawler' calls std::terminate
  boost::thread crawl_{reindex};
};

void discarded_boost_async() {
  // The dropped future does not wait (the task's thread holds the state):
  // the caller goes on and the task's failure is lost.
  // CHECK: :[[@LINE+2]]:3: warning: future returned by 'boost::async' is discarded: the task's result and exceptions are lost
  // V4: :[[@LINE+1]]:3: warning: future returned by 'boost::async' is discarded: the task's result and exceptions are lost
  boost::async(boost::launch::async, reindex);
}

// A timed join whose answer nobody reads: when it times out the thread is
// still running and still joinable at the end of the scope.
void hopeful_wait() {
  // CHECK: :[[@LINE+2]]:17: warning: thread 'loader' is still joinable when it goes out of scope on some path
  // V4: :[[@LINE+1]]:17: warning: thread 'loader' is still joinable when it goes out of scope on some path
  boost::thread loader(reindex);
  loader.try_join_for(boost::chrono::milliseconds(100));
}

// --- Negatives -------------------------------------------------------------

void timed_join_checked() {
  boost::thread loader(reindex);
  if (!loader.try_join_for(boost::chrono::milliseconds(100))) {
    loader.interrupt();
    loader.join();
  }
}

void interrupted_and_joined() {
  boost::thread t(reindex);
  t.interrupt();
  t.join();
}

void scoped() {
  boost::scoped_thread<> t{boost::thread(reindex)};
  if (aborted())
    return;
}

class GroupOwner {
  ~GroupOwner() { group_.join_all(); }
  boost::thread_group group_;
};

void timed_join() {
  boost::thread t(reindex);
  if (!t.try_join_for(boost::chrono::seconds(1)))
    t.detach();
}
