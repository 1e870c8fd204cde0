// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/buffered_channel.hpp>
#include <boost/thread.hpp>
#include <boost/thread/future.hpp>
#include <exception>
#include <string>

void work();

void swallowed_in_boost_thread() {
  boost::thread t([] {
    for (;;) {
      try {
        boost::this_thread::interruption_point();
        work();
        // CHECK: :[[@LINE+2]]:9: warning: exception caught by 'catch (...)' in a thread body is swallowed
        // CHECK: :[[@LINE-6]]:17: note: the thread is started here
      } catch (...) {
      }
    }
  });
  t.interrupt();
  t.join();
}

// Catching thread_interrupted silently is how a boost::thread stops.
void interrupted_is_the_stop_idiom() {
  boost::thread t([] {
    try {
      for (;;) {
        boost::this_thread::interruption_point();
        work();
      }
    } catch (const boost::thread_interrupted &) {
    }
  });
  t.interrupt();
  t.join();
}

// The failure goes out on a channel the owner drains.
void sends_on_a_channel(boost::fibers::buffered_channel<std::string> &errors) {
  boost::thread t([&errors] {
    try {
      work();
    } catch (const std::exception &e) {
      errors.push(e.what());
    } catch (...) {
      errors.push("unknown failure");
    }
  });
  t.join();
}

auto boost_promise() {
  auto done = boost::make_shared<boost::promise<void>>();
  boost::thread t([done] {
    try {
      work();
      done->set_value();
    } catch (...) {
      done->set_exception(boost::current_exception());
    }
  });
  t.detach();
  return done->get_future();
}
