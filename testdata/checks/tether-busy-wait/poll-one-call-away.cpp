// A poll one call away. A function of the project that polls something it
// does not own (a member queue's empty(), a future's wait_for(0s)) and
// returns whether it got anything (a bool, a pointer, an optional) returns
// at once: a loop that calls it again and again without a pause spins, as
// if the poll were written in the loop. So does a loop that takes
// everything out of a shared container (`pending_.swap(local)`) and only
// then looks at what it got. A function named as a state (is_empty()), one
// that waits inside, one that polls its own local, and a take-all swap in a
// loop that blocks elsewhere are not.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <future>
#include <memory>
#include <mutex>
#include <poll.h>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

// A pool whose worker takes tasks through a helper that never waits.
class SpinningPool {
public:
  ~SpinningPool() {
    stop_ = true;
    worker_.join();
  }
  void submit(std::function<void()> f) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(std::move(f));
  }

private:
  bool next_task(std::function<void()> &out) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (tasks_.empty())
      // CHECK-DAG: :[[@LINE-1]]:16: note: 'tasks_.empty' is re-checked at full speed until another thread adds work
      return false;
    out = std::move(tasks_.front());
    tasks_.pop_front();
    return true;
  }
  void run() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop polls 'next_task' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    while (!stop_) {
      std::function<void()> task;
      // CHECK-DAG: :[[@LINE+1]]:11: note: 'next_task' returns at once with what 'tasks_.empty' found; it does not wait
      if (next_task(task))
        task();
    }
  }

  std::mutex mutex_;
  std::deque<std::function<void()>> tasks_;
  std::atomic<bool> stop_{false};
  std::thread worker_{[this] { run(); }};
};

// An executor module that hands out one queued function at a time (null when
// the queue is empty). On cancellation it drains the queue with the same
// helper, assigning each result in the loop's condition: the loop ends on
// the first empty answer, it does not wait for one. A consumer that instead
// loops while the answer is empty spins.
struct Function {
  enum class Status { Queued, Killed } status = Status::Queued;
  void kill() { status = Status::Killed; }
  void run();
};
class ExecutorModule {
public:
  void cancel_all() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      cancelled_ = true;
    }
    std::shared_ptr<Function> function;
    while ((function = take_one()))
      function->kill();
  }
  void run_next() {
    std::shared_ptr<Function> function;
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop polls 'take_one' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    while (!(function = take_one())) {
    }
    function->run();
  }

private:
  std::shared_ptr<Function> take_one() {
    std::shared_ptr<Function> result;
    std::lock_guard<std::mutex> lock(mutex_);
    // CHECK-DAG: :[[@LINE+1]]:17: note: 'queue_.empty' is re-checked at full speed until another thread adds work
    if (!queue_.empty()) {
      result = std::move(queue_.front());
      queue_.pop();
    }
    return result;
  }
  std::mutex mutex_;
  std::queue<std::shared_ptr<Function>> queue_;
  bool cancelled_ = false;
};

// A scheduler that hands out the first finished job: the helper asks each
// job's future with a zero timeout, the caller asks the helper forever.
struct Job {
  std::shared_future<int> result;
};

std::shared_ptr<Job> first_finished(const std::vector<std::shared_ptr<Job>> &jobs) {
  for (const auto &job : jobs)
    if (job->result.wait_for(0s) == std::future_status::ready)
      // CHECK-DAG: :[[@LINE-1]]:21: note: 'result.wait_for' with a zero (or sub-millisecond) timeout returns at once, and the loop retries immediately
      return job;
  return nullptr;
}

std::shared_ptr<Job> next_result(const std::vector<std::shared_ptr<Job>> &jobs) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop polls 'first_finished' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  for (;;) {
    // CHECK-DAG: :[[@LINE+1]]:32: note: 'first_finished' returns at once with what 'result.wait_for' found; it does not wait
    std::shared_ptr<Job> job = first_finished(jobs);
    if (job)
      return job;
  }
}

// The same poll in a template nobody instantiates here: the getter the
// dependent call goes through (task->future()) is not code that may block,
// and a one-microsecond timeout is a poll.
template <typename Task>
std::shared_ptr<Task> wait_any(const std::vector<std::shared_ptr<Task>> &tasks) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop polls 'wait_for' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  for (;;) {
    for (const std::shared_ptr<Task> &task : tasks) {
      auto status = task->future().wait_for(std::chrono::microseconds(1));
      if (status == std::future_status::ready)
        return task;
    }
  }
}

// An executor's worker that swaps the pending queue out under the lock and
// runs what it got: with nothing pending it locks, swaps an empty queue and
// goes round again.
class SwappingExecutor {
public:
  ~SwappingExecutor() {
    done_ = true;
    thread_.join();
  }
  void execute(std::function<void()> f) {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push(std::move(f));
  }

private:
  void worker() {
    // CHECK-DAG: :[[@LINE+1]]:5: warning: loop polls 'queue_.swap' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
    while (!done_) {
      std::queue<std::function<void()>> ready;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        queue_.swap(ready);
      }
      while (!ready.empty()) {
        ready.front()();
        ready.pop();
      }
    }
  }

  std::atomic<bool> done_{false};
  std::mutex mutex_;
  std::queue<std::function<void()>> queue_;
  std::thread thread_{&SwappingExecutor::worker, this};
};

// The same take-all written with a move out of the shared vector.
struct Mailbox {
  std::mutex mutex;
  std::vector<int> messages;
};

void drain_forever(Mailbox &box, std::atomic<bool> &running, std::vector<int> &log) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: loop polls 'std::move(messages)' without blocking, sleeping or backing off: it burns a core while it waits [tether-busy-wait]
  while (running.load()) {
    std::vector<int> got;
    {
      std::lock_guard<std::mutex> lock(box.mutex);
      got = std::move(box.messages);
      box.messages.clear();
    }
    for (int m : got)
      log.push_back(m);
  }
}

// Not a poll: a helper named as a state, tested in a drain.
class Backlog {
public:
  bool is_empty() {
    std::lock_guard<std::mutex> lock(mutex_);
    return items_.empty();
  }
  void drop_one() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!items_.empty())
      items_.pop_front();
  }
  void drain() {
    while (!is_empty())
      drop_one();
  }

private:
  std::mutex mutex_;
  std::deque<int> items_;
};

// Not a poll: a parser whose empty() is its own argument's (a by-value
// view of the line, data rather than a queue), called once per line read.
std::optional<int> parse_quantity(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  if (text.empty())
    return std::nullopt;
  return static_cast<int>(text.size());
}

int total_quantity(std::istream &in) {
  std::string line;
  int total = 0;
  while (std::getline(in, line)) {
    if (auto quantity = parse_quantity(line))
      total += *quantity;
  }
  return total;
}

// Not a poll: the helper waits on a condition variable before it looks.
class BlockingPool {
public:
  bool next(std::function<void()> &out) {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
    if (tasks_.empty())
      return false;
    out = std::move(tasks_.front());
    tasks_.pop_front();
    return true;
  }
  void run() {
    while (!stop_) {
      std::function<void()> task;
      if (next(task))
        task();
    }
  }

private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
};

// Not a poll: the helper asks futures of its own making, which it waits for
// by asking; nothing outside changes them.
bool any_answer() {
  std::vector<std::future<int>> answers;
  answers.push_back(std::async(std::launch::deferred, [] { return 42; }));
  for (auto &a : answers)
    if (a.wait_for(0s) == std::future_status::deferred)
      return true;
  return false;
}

int count_answers(int n) {
  int got = 0;
  for (int i = 0; i < n; ++i)
    if (any_answer())
      ++got;
  return got;
}

// Not a spin: an event loop that blocks in poll(2) with a real timeout and
// then runs the functors queued for it, swapped out under the lock.
class EventLoop {
public:
  void loop(int fd) {
    while (!quit_) {
      pollfd p{fd, POLLIN, 0};
      ::poll(&p, 1, 10000);
      std::vector<std::function<void()>> functors;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        functors.swap(pending_);
      }
      for (const auto &f : functors)
        f();
    }
  }
  void queue_in_loop(std::function<void()> f) {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.push_back(std::move(f));
  }

private:
  std::atomic<bool> quit_{false};
  std::mutex mutex_;
  std::vector<std::function<void()>> pending_;
};
