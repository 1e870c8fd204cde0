// A pool's worker is a private nested class with its own thread and a
// Join() but no destructor that joins. Only the pool can name it, so the
// pool is its only owner: when the pool's destructor joins every worker
// (through its own Stop()), no worker dies joinable. A worker anyone can
// make, or one its pool never joins, still can. libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using Task = std::function<void()>;

class WorkerPool {
public:
  explicit WorkerPool(std::size_t count);
  ~WorkerPool();
  void Stop();
  void Submit(Task task, std::size_t hint);

private:
  class Worker;
  std::vector<std::unique_ptr<Worker>> workers_;
};

class WorkerPool::Worker {
public:
  void Start() { thread_ = std::thread([this] { Run(); }); }
  void RequestStop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
  }
  void Join() {
    if (thread_.joinable())
      thread_.join();
  }
  void Enqueue(Task task) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(task));
    cv_.notify_one();
  }

private:
  void Run() {
    for (;;) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty())
          return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Task> queue_;
  bool stopping_ = false;
};

WorkerPool::WorkerPool(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    auto worker = std::make_unique<Worker>();
    worker->Start();
    workers_.push_back(std::move(worker));
  }
}

WorkerPool::~WorkerPool() { Stop(); }

void WorkerPool::Stop() {
  for (auto &worker : workers_)
    worker->RequestStop();
  for (auto &worker : workers_)
    worker->Join();
  workers_.clear();
}

void WorkerPool::Submit(Task task, std::size_t hint) {
  workers_[hint % workers_.size()]->Enqueue(std::move(task));
}

// The same worker, but public: any code can make one and drop it running.
class OpenPool {
public:
  class Worker {
  public:
    void Start() { thread_ = std::thread([] {}); }
    void Join() {
      if (thread_.joinable())
        thread_.join();
    }

  private:
    // CHECK: :[[@LINE+1]]:17: warning: thread member 'thread_' is never joined by the destructor of 'Worker': destroying a running 'Worker' calls std::terminate [tether-unjoined-task]
    std::thread thread_;
  };
  ~OpenPool() {
    for (auto &w : workers_)
      w.Join();
  }

private:
  std::vector<Worker> workers_;
};

// Private, but the pool's destructor only asks its workers to stop.
class LeakyPool {
public:
  ~LeakyPool() {
    for (auto &w : workers_)
      w.RequestStop();
  }

private:
  class Worker {
  public:
    void Start() { thread_ = std::thread([] {}); }
    void RequestStop() {}
    void Join() {
      if (thread_.joinable())
        thread_.join();
    }

  private:
    // CHECK: :[[@LINE+1]]:17: warning: thread member 'thread_' is never joined by the destructor of 'Worker': destroying a running 'Worker' calls std::terminate [tether-unjoined-task]
    std::thread thread_;
  };
  std::vector<Worker> workers_;
};
