// Boost.Fiber: the fibers of one thread take turns on that thread's
// scheduler, so a plain bool they share is a stop signal, not a data race.
// Once the unit installs a scheduler that hands fibers to other threads
// (shared_work, work_stealing), or defines a scheduling algorithm of its own
// (which may, and which another file may install), the same flag is a race
// again. A thread is a thread whichever scheduler the fibers use.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx -DSHARED_WORK | FileCheck %s --check-prefixes=CHECK,SHARED --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx -DSHARED_WORK | FileCheck %s --check-prefixes=CHECK,SHARED --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx -DOWN_SCHEDULER | FileCheck %s --check-prefixes=CHECK,SHARED --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx -DTEMPLATE_SCHEDULER | FileCheck %s --check-prefixes=CHECK,SHARED --implicit-check-not='warning:'

#include <chrono>
#include <thread>

#include <boost/fiber/all.hpp>

using namespace std::chrono_literals;

// A connection pool's reaper fiber, started with fibers::async and stopped
// by clearing the pool's flag.
class ConnectionPool {
public:
  void start_reaper() {
    reaping_ = true;
    boost::fibers::async([this] {
      // SHARED: :[[@LINE+1]]:14: warning: stop flag 'reaping_' is a plain bool shared between threads
      while (reaping_) {
        close_idle();
        boost::this_fiber::sleep_for(500ms);
      }
    });
  }
  void shutdown() { reaping_ = false; }

private:
  void close_idle();
  bool reaping_ = false;
};

// A heartbeat fiber kept in a member and joined on stop.
class Heartbeat {
public:
  void start() {
    beating_ = true;
    fiber_ = boost::fibers::fiber([this] {
      // SHARED: :[[@LINE+1]]:14: warning: stop flag 'beating_' is a plain bool shared between threads
      while (beating_) {
        beat();
        boost::this_fiber::sleep_for(1s);
      }
    });
  }
  void stop() {
    beating_ = false;
    fiber_.join();
  }

private:
  void beat();
  bool beating_ = false;
  boost::fibers::fiber fiber_;
};

// The same loop on a std::thread races in either unit.
class Sampler {
public:
  void start() {
    sampling_ = true;
    thread_ = std::thread([this] {
      // CHECK: :[[@LINE+1]]:14: warning: stop flag 'sampling_' is a plain bool shared between threads
      while (sampling_)
        sample();
    });
  }
  void stop() {
    sampling_ = false;
    thread_.join();
  }

private:
  void sample();
  bool sampling_ = false;
  std::thread thread_;
};

#if defined(OWN_SCHEDULER)
struct PinnedProps : boost::fibers::fiber_properties {
  using fiber_properties::fiber_properties;
  int thread = 0;
};
// Declared here, installed by the worker threads' file.
class PinningScheduler
    : public boost::fibers::algo::algorithm_with_properties<PinnedProps> {};
#elif defined(TEMPLATE_SCHEDULER)
// A scheduler class template nested in the runtime that owns the threads.
class FiberRuntime {
  template <class Queue>
  class StealingScheduler : public boost::fibers::algo::algorithm {
    Queue ready_;
  };
};
#elif defined(SHARED_WORK)
void run_worker_thread() {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::shared_work>();
}
#else
void run_worker_thread() {
  boost::fibers::use_scheduling_algorithm<boost::fibers::algo::round_robin>();
}
#endif
