// Schedulers that count their detached tasks in and wait for the count to
// drain: the spawning method counts a field up before the spawn, the task's
// completion callback (built by the scheduler and run as the task's last
// step, through a job object) counts it down and notifies, and the
// scheduler's close waits until the field is zero. That hand-rolled wait
// group owns every task it counted. A counter that only bounds how many run
// at once, or one nobody waits down, owns nothing. The same holds for a
// project's own latch (a counter with Dec() and Wait() over an event count
// parked on a futex): a task whose last step signals an object its spawner
// waits on is owned, whatever the object does inside.
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
#include <string>
#include <thread>
#include <vector>

#include <boost/fiber/all.hpp>
#include <boost/intrusive_ptr.hpp>

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

// A project's latch, as fiber libraries write them: waiters park on a
// futex word through a syscall wrapper whose body is elsewhere.
void futex_wake(std::atomic<unsigned> *word);
void futex_wait(std::atomic<unsigned> *word, unsigned seen);

class EventCount {
public:
  void notify() noexcept {
    epoch_.fetch_add(1);
    futex_wake(&epoch_);
  }
  template <typename Cond> void await(Cond ready) {
    while (!ready()) {
      unsigned seen = epoch_.load();
      if (ready())
        return;
      futex_wait(&epoch_, seen);
    }
  }

private:
  std::atomic<unsigned> epoch_{0};
};

class BlockingCounter {
  class Impl {
  public:
    explicit Impl(unsigned n) : count_(n) {}
    friend void intrusive_ptr_add_ref(Impl *p) noexcept { p->refs_.fetch_add(1); }
    friend void intrusive_ptr_release(Impl *p) noexcept {
      if (p->refs_.fetch_sub(1) == 1)
        delete p;
    }
    void Wait() { ec_.await([this] { return count_.load() == 0; }); }
    void Dec() {
      if (count_.fetch_sub(1) == 1)
        ec_.notify();
    }
    long Pending() const { return count_.load(); }

  private:
    EventCount ec_;
    std::atomic<unsigned> refs_{0};
    std::atomic<long> count_;
  };

public:
  explicit BlockingCounter(unsigned n) : impl_(new Impl(n)) {}
  void Dec() { impl_->Dec(); }
  void Wait() { impl_->Wait(); }
  long Pending() const { return impl_->Pending(); }

private:
  boost::intrusive_ptr<Impl> impl_;
};

void fetch(const std::string &url);
void log_pending(long n);

// Fan-out: each fiber counts itself down last, the spawner waits for zero.
void fetch_all(const std::vector<std::string> &urls) {
  BlockingCounter done(urls.size());
  for (const std::string &url : urls)
    boost::fibers::fiber([&done, &url] {
      fetch(url);
      done.Dec();
    }).detach();
  done.Wait();
}

// The same with threads.
void fetch_all_threads(const std::vector<std::string> &urls) {
  BlockingCounter done(urls.size());
  for (const std::string &url : urls)
    std::thread([&done, &url] {
      fetch(url);
      done.Dec();
    }).detach();
  done.Wait();
}

// A library's launcher detaching whatever it is handed: judged by what its
// callers hand in, and here every caller waits for what it launched.
template <typename Fn> void launch_fiber(Fn &&fn) {
  boost::fibers::fiber(std::forward<Fn>(fn)).detach();
}
void fetch_all_launched(const std::vector<std::string> &urls) {
  BlockingCounter done(urls.size());
  for (const std::string &url : urls)
    launch_fiber([&done, &url] {
      fetch(url);
      done.Dec();
    });
  done.Wait();
}

// The latch handed by address or by reference to a function the task runs.
struct Client {
  std::string url;
};
void run_client(Client *client, BlockingCounter *done) {
  fetch(client->url);
  done->Dec();
}
void run_client_ref(const Client &client, BlockingCounter &done) {
  fetch(client.url);
  done.Dec();
}
void test_clients(Client &a, Client &b) {
  BlockingCounter done(2);
  boost::fibers::fiber(&run_client, &a, &done).detach();
  std::thread(run_client_ref, std::cref(b), std::ref(done)).detach();
  done.Wait();
}

// A server counts its accept fiber on a member latch its Wait() waits on;
// Stop() ends the loop.
class AcceptServer {
public:
  void Run() {
    std::thread([this] {
      while (!stopping_)
        fetch("accept");
      ref_bc_.Dec();
    }).detach();
  }
  void Stop() { stopping_ = true; }
  void Wait() { ref_bc_.Wait(); }

private:
  std::atomic<bool> stopping_{false};
  BlockingCounter ref_bc_{1};
};

// Counted down, but nobody waits: the latch is dropped with the function.
void fetch_all_unwaited(const std::vector<std::string> &urls) {
  BlockingCounter done(urls.size());
  for (const std::string &url : urls)
    boost::fibers::fiber([&done, &url] {
      fetch(url);
      done.Dec();
      // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    }).detach();
  log_pending(done.Pending());
}

// Waited on before the spawn, not after: the wait is for earlier work.
void fetch_after_wait(BlockingCounter &previous, const std::string &url) {
  BlockingCounter done(1);
  done.Wait();
  std::thread([&done, url] {
    fetch(url);
    done.Dec();
    // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary thread is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  }).detach();
}

// A member latch only read, never waited on.
class Reporter {
public:
  void Start() {
    std::thread([this] {
      fetch("report");
      sent_.Dec();
      // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary thread is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    }).detach();
  }
  long Pending() const { return sent_.Pending(); }

private:
  BlockingCounter sent_{1};
};

// Handed the latch, but the test returns without waiting on it.
void test_client_unwaited(Client &a) {
  BlockingCounter done(1);
  // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  boost::fibers::fiber(&run_client, &a, &done).detach();
  log_pending(done.Pending());
}

// A project's slot gate (defined in another file) that throttles: each
// submit acquires a slot before the spawn and the task releases it last.
// Nothing waits for the last task to end.
class SlotGate {
public:
  explicit SlotGate(unsigned slots);
  void acquire();
  void release();
};

class ThrottledFetcher {
public:
  void submit(std::string url) {
    slots_.acquire();
    std::thread([this, url] {
      fetch(url);
      slots_.release();
      // CHECK-DAG: :[[@LINE+1]]:{{[0-9]+}}: warning: temporary thread is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    }).detach();
  }

private:
  SlotGate slots_{8};
};
