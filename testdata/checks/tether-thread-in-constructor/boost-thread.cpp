// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-thread-in-constructor' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-thread-in-constructor' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/thread.hpp>

void gossip();

class Announcer {
public:
  // CHECK: :[[@LINE+3]]:17: warning: constructor of 'Announcer' starts a thread kept in 'thread_' that nothing can ask to stop: 'Announcer' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+3]]:5: note: the thread runs this loop for as long as the process lives
  // CHECK: :[[@LINE+1]]:17: note: give 'Announcer' a stop path: a std::jthread whose body watches its
  Announcer() : thread_([] {
    while (true)
      gossip();
  }) {}

private:
  boost::thread thread_;
};

class Interruptible {
public:
  Interruptible() : thread_([] {
    for (;;) {
      boost::this_thread::interruption_point();
      gossip();
    }
  }) {}
  ~Interruptible() {
    thread_.interrupt();
    thread_.join();
  }

private:
  boost::thread thread_;
};
