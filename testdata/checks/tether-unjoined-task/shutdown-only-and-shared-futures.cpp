// A thread member joined only by an explicit shutdown()/stop() that no
// destructor calls; a future obtained through a member call on the task's
// result (std::async(...).share()) that nobody reads.
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <cstdio>
#include <future>
#include <thread>
#include <vector>

void pump();
int compute();

// CHECK: :[[@LINE+18]]:15: warning: thread member 'worker_' is never joined by the destructor of 'Pump'
// CHECK: :[[@LINE+8]]:3: note: destructor of 'Pump' defined here; it does not call 'shutdown'
// CHECK: :[[@LINE+8]]:8: note: 'shutdown' joins 'worker_', but only when a caller remembers to call it
class Pump {
public:
  Pump() : worker_([this] {
    while (running_)
      pump();
  }) {}
  ~Pump() { std::puts("pump destroyed"); }
  void shutdown() {
    running_ = false;
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::atomic<bool> running_{true};
  std::thread worker_;
};

// CHECK: :[[@LINE+15]]:28: warning: threads in member 'crew_' are never joined by the destructor of 'Crew'
// CHECK: :[[@LINE+2]]:7: note: 'Crew' has an implicit destructor
// CHECK: :[[@LINE+7]]:8: note: 'stop' joins 'crew_', but only when a caller remembers to call it
class Crew {
public:
  explicit Crew(int n) {
    for (int i = 0; i < n; ++i)
      crew_.emplace_back(pump);
  }
  void stop() {
    for (std::thread &t : crew_)
      t.join();
  }

private:
  std::vector<std::thread> crew_;
};

void shared_result_dropped() {
  // CHECK: :[[@LINE+1]]:8: warning: future 'pending' is never waited for, read or handed on
  auto pending = std::async(std::launch::async, compute).share();
}

// --- What stays silent -----------------------------------------------------

class Joined {
public:
  Joined() : worker_(pump) {}
  ~Joined() { shutdown(); }
  void shutdown() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::thread worker_;
};

int shared_result_read() {
  std::shared_future<int> result =
      std::async(std::launch::async, compute).share();
  return result.get();
}

// start() gives the member its work and stop() joins it: the note names the
// stop path, not the method that starts the thread.
// CHECK: :[[@LINE+7]]:15: warning: thread member 'server_' is never joined by the destructor of 'Listener'
// CHECK: :[[@LINE+4]]:8: note: 'stop' joins 'server_', but only when a caller remembers to call it
class Listener {
public:
  void start() { server_ = std::thread(pump); }
  void stop() { if (server_.joinable()) server_.join(); }
private:
  std::thread server_;
};
