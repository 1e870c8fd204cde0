// Boost.Fiber: a counter, a fiber mutex and a fiber condition variable is a
// wait group too, but its replacement is not std::latch (a fiber blocked on
// it would stop every fiber of its thread): the advice names fiber joins.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-hand-rolled-group' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-hand-rolled-group' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/all.hpp>

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

std::string fetch(const std::string &url);

// A crawler that starts a fiber per URL and waits for all of them.
class Crawler {
  boost::fibers::mutex m_;
  boost::fibers::condition_variable done_;
  // CHECK: :[[@LINE+5]]:15: warning: 'pending_' with a mutex and a condition variable is a hand-rolled wait group: a missed decrement or notify leaves the waiter blocked forever [tether-hand-rolled-group]
  // CHECK: :[[@LINE+18]]:13: note: counted down here
  // CHECK: :[[@LINE+25]]:11: note: waited for here until it reaches zero
  // CHECK: :[[@LINE+2]]:15: note: join the fibers it counts (boost::fibers::fiber::join), or use boost::fibers::barrier for repeated phases; a std::latch would block every fiber of the waiting thread
  // CHECK-NOT: use std::latch
  std::size_t pending_ = 0;
  std::vector<std::string> pages_;

public:
  void crawl(const std::vector<std::string> &urls) {
    for (const auto &url : urls) {
      {
        std::lock_guard<boost::fibers::mutex> lock(m_);
        ++pending_;
      }
      boost::fibers::fiber([this, url] {
        std::string page = fetch(url);
        std::lock_guard<boost::fibers::mutex> lock(m_);
        pages_.push_back(page);
        if (--pending_ == 0)
          done_.notify_all();
      }).detach();
    }
  }

  void wait() {
    std::unique_lock<boost::fibers::mutex> lock(m_);
    done_.wait(lock, [this] { return pending_ == 0; });
  }
};

// The loop form, with condition_variable_any and a counter the workers
// decrement with fetch_sub.
struct Batch {
  boost::fibers::mutex m;
  boost::fibers::condition_variable_any cv;
  // CHECK: :[[@LINE+2]]:20: warning: 'left' with a mutex and a condition variable is a hand-rolled wait group
  // CHECK: :[[@LINE+1]]:20: note: join the fibers it counts
  std::atomic<int> left{0};

  void finish_one() {
    if (left.fetch_sub(1) == 1) {
      std::lock_guard<boost::fibers::mutex> lock(m);
      cv.notify_one();
    }
  }
  void await_all() {
    std::unique_lock<boost::fibers::mutex> lock(m);
    while (left.load() != 0)
      cv.wait(lock);
  }
};

// Not a count: a fiber-side queue waits for an item, not for zero.
class Mailbox {
  boost::fibers::mutex m_;
  boost::fibers::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  std::size_t served_ = 0;

public:
  void post(std::function<void()> job) {
    std::lock_guard<boost::fibers::mutex> lock(m_);
    jobs_.push_back(std::move(job));
    ready_.notify_one();
  }
  std::function<void()> take() {
    std::unique_lock<boost::fibers::mutex> lock(m_);
    ready_.wait(lock, [this] { return !jobs_.empty(); });
    auto job = std::move(jobs_.front());
    jobs_.pop_front();
    ++served_;
    return job;
  }
};

// Not a wait group: the fibers are joined, and the counter is only read.
std::size_t run_all(const std::vector<std::string> &urls) {
  std::vector<boost::fibers::fiber> fibers;
  std::size_t fetched = 0;
  for (const auto &url : urls)
    fibers.emplace_back([&fetched, url] {
      fetch(url);
      ++fetched;
    });
  for (auto &f : fibers)
    f.join();
  return fetched;
}

// A fiber semaphore: waits for permits above zero, which is not a group.
class Permits {
  boost::fibers::mutex m_;
  boost::fibers::condition_variable cv_;
  int permits_ = 4;

public:
  void acquire() {
    std::unique_lock<boost::fibers::mutex> lock(m_);
    cv_.wait(lock, [this] { return permits_ > 0; });
    --permits_;
  }
  void release() {
    std::lock_guard<boost::fibers::mutex> lock(m_);
    ++permits_;
    cv_.notify_one();
  }
};
