// A pool that grows by the count its caller asks for keeps every thread in
// its own member container, also through an owning pointer
// (`threads_.push_back(std::unique_ptr<std::thread>(new std::thread(...)))`):
// a pool of the size asked for, not one thread per item of input. Threads
// pushed through owning pointers into a local container are still one per
// item. libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

class Worker {
public:
  explicit Worker(std::size_t id) : id_(id) {}
  void work(std::atomic<bool> &stop) {
    while (!stop.load())
      std::this_thread::yield();
  }

private:
  std::size_t id_;
};

class ThreadPool {
public:
  explicit ThreadPool(std::uint32_t size) { grow(size); }
  ~ThreadPool() {
    stop_ = true;
    for (auto &t : threads_)
      t->join();
  }
  void grow(std::uint32_t count) {
    for (std::uint32_t i = 0; i < count; i++) {
      workers_.push_back(std::unique_ptr<Worker>(new Worker(workers_.size())));
      Worker *raw = workers_.back().get();
      threads_.push_back(std::unique_ptr<std::thread>(
          new std::thread(&Worker::work, raw, std::ref(stop_))));
    }
  }

private:
  std::atomic<bool> stop_{false};
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::unique_ptr<std::thread>> threads_;
};

void handle(int request);

void serve_all(const std::vector<int> &requests) {
  std::vector<std::unique_ptr<std::thread>> handlers;
  for (int r : requests)
    handlers.push_back(std::unique_ptr<std::thread>(new std::thread(handle, r)));
  // CHECK: :[[@LINE-1]]:57: warning: a thread per element of 'requests': nothing bounds how many run at once [tether-unbounded-spawn]
  for (auto &t : handlers)
    t->join();
}
