// A destructor that touches no member and no 'this' (it only logs) is not a
// stop path; a thread pushed into a member container (push_back(std::thread
// (...))) is kept there as emplace_back keeps it.
// RUN: not %tether --checks='-*,tether-thread-in-constructor' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-thread-in-constructor' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

void scan_disks();
void serve_one();

// --- Positives -------------------------------------------------------------

class DiskWatcher {
public:
  // CHECK: :[[@LINE+2]]:19: warning: constructor of 'DiskWatcher' starts a thread kept in 'worker_' that nothing can ask to stop: 'DiskWatcher' has no destructor, stop() or shutdown() that signals it [tether-thread-in-constructor]
  // CHECK: :[[@LINE+2]]:5: note: the thread runs this loop for as long as the process lives
  DiskWatcher() : worker_([] {
    for (;;)
      scan_disks();
  }) {}
  // Only logs: the thread is never told to stop, and ~thread terminates.
  ~DiskWatcher() { std::puts("disk watcher going away"); }

private:
  std::thread worker_;
};

class Acceptors {
public:
  Acceptors(int n) {
    for (int i = 0; i < n; ++i)
      // CHECK: :[[@LINE+1]]:26: warning: constructor of 'Acceptors' starts a thread kept in 'workers_' that nothing can ask to stop
      workers_.push_back(std::thread(&Acceptors::loop, this));
  }

private:
  void loop() {
    // CHECK: :[[@LINE+1]]:5: note: the thread runs this loop for as long as the process lives
    while (true)
      serve_one();
  }
  std::vector<std::thread> workers_;
};

// --- What stays silent -----------------------------------------------------

// The destructor signals the loop and joins.
class Stoppable {
public:
  Stoppable() : worker_([this] {
    while (running_)
      scan_disks();
  }) {}
  ~Stoppable() {
    std::puts("stopping");
    running_ = false;
    worker_.join();
  }

private:
  std::atomic<bool> running_{true};
  std::thread worker_;
};

// Pushed into a container whose destructor joins (after a stop flag).
class Pool {
public:
  Pool() {
    for (int i = 0; i < 2; ++i)
      workers_.push_back(std::thread([this] {
        while (!stop_)
          serve_one();
      }));
  }
  ~Pool() {
    stop_ = true;
    for (std::thread &t : workers_)
      t.join();
  }

private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> workers_;
};

// A local vector: not the object's thread.
class Starter {
public:
  Starter() {
    std::vector<std::thread> local;
    local.push_back(std::thread([] { scan_disks(); }));
    for (std::thread &t : local)
      t.join();
  }
};
