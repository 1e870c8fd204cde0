// Schedulers that count their detached tasks in and wait for the count to
// drain: the spawning method counts a field up before the spawn, the task's
// completion callback (built by the scheduler and run as the task's last
// step, through a job object) counts it down and notifies, and the
// scheduler's close waits until the field is zero. That hand-rolled wait
// group owns every task it counted. A counter that only bounds how many run
// at once, or one nobody waits down, owns nothing.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include <boost/fiber/all.hpp>

// A job runs its work, then the callback its submitter gave it.
class Job {
public:
  using Ptr = std::shared_ptr<Job>;
  Job(std::function<void()> work, std::function<void()> on_done)
      : work_(std::move(work)), on_done_(std::move(on_done)) {}
  virtual ~Job() = default;
  virtual void run() {
    work_();
    on_done_();
  }

private:
  std::function<void()> work_;
  std::function<void()> on_done_;
};

// Close() waits, in a wait predicate, for every counted fiber to finish.
class FiberScheduler {
public:
  void submit(std::function<void()> work) {
    active_.fetch_add(1);
    Job::Ptr job = std::make_shared<Job>(std::move(work), [this] {
      active_.fetch_sub(1);
      drained_.notify_all();
    });
    boost::fibers::fiber([job] { job->run(); }).detach();
  }

  void close() {
    std::unique_lock<boost::fibers::mutex> lock(mutex_);
    drained_.wait(lock, [this] { return active_.load() == 0; });
  }

  ~FiberScheduler() { close(); }

private:
  std::atomic<int> active_{0};
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable drained_;
};

// The same with threads, a plain counter under the lock, and the wait
// written as a loop.
class ThreadScheduler {
public:
  void submit(std::function<void()> work) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++pending_;
    }
    auto job = std::make_shared<Job>(std::move(work), [this] {
      std::lock_guard<std::mutex> lock(mutex_);
      --pending_;
      idle_.notify_all();
    });
    std::thread([job] { job->run(); }).detach();
  }

  void wait_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (pending_ > 0)
      idle_.wait(lock);
  }

private:
  std::size_t pending_ = 0;
  std::mutex mutex_;
  std::condition_variable idle_;
};

// The counter bounds how many fibers run at once; nothing waits for the
// last one to finish.
class ThrottledSpawner {
public:
  void submit(std::function<void()> work) {
    std::unique_lock<boost::fibers::mutex> lock(mutex_);
    room_.wait(lock, [this] { return running_ < limit_; });
    ++running_;
    lock.unlock();
    Job::Ptr job = std::make_shared<Job>(std::move(work), [this] {
      std::lock_guard<boost::fibers::mutex> guard(mutex_);
      --running_;
      room_.notify_one();
    });
    // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    boost::fibers::fiber([job] { job->run(); }).detach();
  }

private:
  int running_ = 0;
  int limit_ = 8;
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable room_;
};

// A statistic: counted in and out, read by a getter, never waited on.
class CountingLauncher {
public:
  void launch(std::function<void()> work) {
    started_.fetch_add(1);
    auto job = std::make_shared<Job>(std::move(work),
                                     [this] { started_.fetch_sub(1); });
    // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary thread is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    std::thread([job] { job->run(); }).detach();
  }

  int running() const { return started_.load(); }

private:
  std::atomic<int> started_{0};
};
