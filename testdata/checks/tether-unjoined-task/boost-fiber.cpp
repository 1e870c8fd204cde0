// Boost.Fiber: a joinable boost::fibers::fiber destroyed calls
// std::terminate, like std::thread; boost::fibers::async returns a future
// whose destructor does not wait. Boost headers build with libstdc++ and
// libc++.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -Wno-unused-result | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx -Wno-unused-result | FileCheck %s --implicit-check-not='warning:'

#include <string>
#include <vector>

#include <boost/fiber/all.hpp>

using strings = boost::fibers::buffered_channel<std::string>;

void consume(strings &in);
void produce(strings &out);
void tick();
bool aborted();
int compute();

void early_return(strings &lines) {
  // CHECK: :[[@LINE+1]]:24: warning: fiber 'producer' is still joinable when it goes out of scope on some path: its destructor calls std::terminate [tether-unjoined-task]
  boost::fibers::fiber producer(produce, std::ref(lines));
  if (aborted())
    // CHECK: :[[@LINE+1]]:5: note: 'producer' goes out of scope here without join() or being handed on
    return;
  producer.join();
}

void never_joined() {
  // CHECK: :[[@LINE+1]]:24: warning: fiber 'ticker' is still joinable
  boost::fibers::fiber ticker(tick);
}

void assigned_later(strings &in) {
  boost::fibers::fiber consumer;
  // CHECK: :[[@LINE-1]]:24: warning: fiber 'consumer' is still joinable
  // CHECK: :[[@LINE+1]]:3: note: 'consumer' starts a fiber here
  consumer = boost::fibers::fiber(consume, std::ref(in));
}

void parameter(boost::fibers::fiber stage) {
  // CHECK: :[[@LINE-1]]:37: warning: fiber 'stage' is still joinable
  if (aborted())
    return;
  stage.join();
}

void pipeline_left_running(strings &lines) {
  // CHECK: :[[@LINE+1]]:37: warning: fibers in 'stages' are still joinable when it goes out of scope on some path: destroying a joinable fiber calls std::terminate
  std::vector<boost::fibers::fiber> stages;
  // CHECK: :[[@LINE+1]]:3: note: a running fiber is added to 'stages' here
  stages.emplace_back(produce, std::ref(lines));
  if (aborted())
    // CHECK: :[[@LINE+1]]:5: note: 'stages' goes out of scope here before its fibers are joined or handed on
    return;
  for (auto &s : stages)
    s.join();
}

class Poller {
  // CHECK: :[[@LINE+1]]:24: warning: fiber member 'poll_' is never joined by the destructor of 'Poller'
  boost::fibers::fiber poll_{tick};
  // CHECK: :[[@LINE-3]]:7: note: 'Poller' has an implicit destructor; join the fiber in a destructor{{$}}
};

class Workers {
  strings jobs_{64};
  // CHECK: :[[@LINE+1]]:37: warning: fibers in member 'workers_' are never joined by the destructor of 'Workers'
  std::vector<boost::fibers::fiber> workers_;

public:
  void start(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back(tick);
  }
  // Closing the channel ends the workers' loops, but nobody waits for them.
  ~Workers() { jobs_.close(); }
  // CHECK: :[[@LINE-1]]:3: note: destructor of 'Workers' defined here
};

void discarded_fiber_async() {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'boost::fibers::async' is discarded: the task's result and exceptions are lost
  boost::fibers::async(compute);
}

void unread_fiber_future() {
  // CHECK: :[[@LINE+1]]:30: warning: future 'answer' is never waited for, read or handed on
  boost::fibers::future<int> answer = boost::fibers::async(compute);
}

// --- Negatives -------------------------------------------------------------

void joined_pipeline(strings &lines) {
  boost::fibers::fiber producer(produce, std::ref(lines));
  boost::fibers::fiber consumer(consume, std::ref(lines));
  producer.join();
  lines.close();
  consumer.join();
}

void joined_if_joinable() {
  boost::fibers::fiber f(tick);
  if (aborted() && f.joinable())
    f.join();
  else
    f.join();
}

void detached_is_not_unjoined() {
  boost::fibers::fiber f(tick);
  f.detach();
}

void all_joined(strings &in) {
  std::vector<boost::fibers::fiber> stages;
  for (int i = 0; i < 4; ++i)
    stages.emplace_back(consume, std::ref(in));
  in.close();
  for (auto &s : stages)
    s.join();
}

class Pool {
public:
  Pool() {
    for (int i = 0; i < 4; ++i)
      workers_.emplace_back([this] { run(); });
  }
  ~Pool() {
    jobs_.close();
    for (auto &w : workers_)
      w.join();
  }

private:
  void run();
  strings jobs_{64};
  std::vector<boost::fibers::fiber> workers_;
};

boost::fibers::fiber handed_back() {
  boost::fibers::fiber f(tick);
  return f;
}

void moved_into_owner(std::vector<boost::fibers::fiber> &owner) {
  boost::fibers::fiber f(tick);
  owner.push_back(std::move(f));
}

int waited_future() {
  boost::fibers::future<int> f = boost::fibers::async(compute);
  return f.get();
}

void promise_side(boost::fibers::promise<int> &p) {
  boost::fibers::future<int> f = p.get_future();
  (void)f;
}

// A member fiber detached right after every assignment never holds joinable
// work when its object dies (tether-detached-thread judges the detach).
#include <boost/fiber/all.hpp>
void poll_input();
class InputFiber {
public:
  void start() {
    stopping_ = false;
    fiber_ = boost::fibers::fiber([this] { run(); });
    fiber_.detach();
  }
  void restart() {
    fiber_ = boost::fibers::fiber([this] { run(); });
    fiber_.detach();
  }
  void stop() { stopping_ = true; }

private:
  void run() {
    while (!stopping_)
      poll_input();
  }
  bool stopping_ = false;
  boost::fibers::fiber fiber_;
};

// Detached in one place and kept joinable in another: still a member that
// may be destroyed while it runs.
class Reloader {
public:
  void start() {
    fiber_ = boost::fibers::fiber([] { poll_input(); });
    fiber_.detach();
  }
  void start_and_keep() { fiber_ = boost::fibers::fiber([] { poll_input(); }); }

private:
  // CHECK: :[[@LINE+1]]:24: warning: fiber member 'fiber_' is never joined by the destructor of 'Reloader'
  boost::fibers::fiber fiber_;
};
