// Members are destroyed in reverse order of declaration, after the
// destructor's body. A std::jthread or an asio::thread_pool joins the work
// it runs only when it is destroyed itself: declared before the members
// that work uses, it joins after they are gone, and the running work uses
// a destroyed queue, mutex or map. Real Asio headers (libasio-dev).
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

void handle(const std::string &job);

// --- Positives -------------------------------------------------------------

// The worker is declared first: ~Queue destroys 'jobs' and 'ready' while the
// worker may still wait on them, then joins it.
class Queue {
public:
  Queue() : worker([this](std::stop_token stop) { drain(stop); }) {}
  void push(std::string job) {
    {
      std::lock_guard lock(mutex);
      jobs.push_back(std::move(job));
    }
    ready.notify_one();
  }

private:
  void drain(std::stop_token stop) {
    std::unique_lock lock(mutex);
    while (!stop.stop_requested()) {
      ready.wait(lock, stop, [&] { return !jobs.empty(); });
      // ...
    }
  }

  std::jthread worker;
  std::condition_variable_any ready;
  std::mutex mutex;
  std::deque<std::string> jobs;
};
// CHECK: :[[@LINE-5]]:16: warning: 'worker' joins its thread only when it is destroyed, after 'ready', declared after it, is already destroyed: work still running uses 'ready' [tether-unjoined-task]
// CHECK: :[[@LINE-24]]:13: note: work is started on 'worker' here
// CHECK: :[[@LINE-12]]:7: note: 'ready' is used by that work here
// CHECK: :[[@LINE-8]]:16: note: declare 'worker' after the members its work uses, or join it in the destructor of 'Queue'

// A pool posted to with handlers that update a cache declared after it.
class Indexer {
public:
  void index(std::string path) {
    asio::post(pool, [this, path] {
      std::lock_guard lock(mutex);
      sizes[path] = path.size();
    });
  }

private:
  asio::thread_pool pool{4};
  std::map<std::string, std::size_t> sizes;
  std::mutex mutex;
};
// CHECK: :[[@LINE-4]]:21: warning: 'pool' joins its threads only when it is destroyed, after 'sizes', declared after it, is already destroyed: work still running uses 'sizes'
// CHECK: :[[@LINE-12]]:5: note: work is started on 'pool' here
// CHECK: :[[@LINE-11]]:7: note: 'sizes' is used by that work here
// CHECK: :[[@LINE-7]]:21: note: declare 'pool' after the members its work uses, or stop() and join() it in the destructor of 'Indexer'

// The same through the pool's executor, and a thread assigned in a method.
class Crawler {
public:
  void start() {
    asio::post(pool.get_executor(), [this] { fetch(); });
    monitor = std::jthread([this] { report(); });
  }
  ~Crawler() { /* logs only */ }

private:
  void fetch() { seen.emplace_back("https://example.org"); }
  void report() { handle(seen.back()); }

  asio::thread_pool pool{2};
  std::jthread monitor;
  std::deque<std::string> seen;
};
// CHECK: :[[@LINE-4]]:21: warning: 'pool' joins its threads only when it is destroyed, after 'seen', declared after it
// CHECK: :[[@LINE-4]]:16: warning: 'monitor' joins its thread only when it is destroyed, after 'seen', declared after it

// --- Negatives -------------------------------------------------------------

// The worker is declared last: destroyed (and joined) first.
class OrderedQueue {
public:
  OrderedQueue() : worker([this](std::stop_token stop) { drain(stop); }) {}

private:
  void drain(std::stop_token stop) {
    std::unique_lock lock(mutex);
    while (!stop.stop_requested())
      ready.wait(lock, stop, [&] { return !jobs.empty(); });
  }

  std::mutex mutex;
  std::condition_variable_any ready;
  std::deque<std::string> jobs;
  std::jthread worker;
};

// The destructor joins the pool before any member goes.
class JoinedIndexer {
public:
  ~JoinedIndexer() {
    pool.stop();
    pool.join();
  }
  void index(std::string path) {
    asio::post(pool, [this, path] { sizes[path] = path.size(); });
  }

private:
  asio::thread_pool pool{4};
  std::map<std::string, std::size_t> sizes;
};

// The destructor calls the class's own shutdown path.
class StoppedQueue {
public:
  StoppedQueue() : worker([this](std::stop_token) { handle(jobs.front()); }) {}
  ~StoppedQueue() { shutdown(); }
  void shutdown() {
    worker.request_stop();
    worker.join();
  }

private:
  std::jthread worker;
  std::deque<std::string> jobs;
};

// The work uses only members that need no destruction, or none at all.
class Counter {
public:
  void bump() {
    asio::post(pool, [this] { ++hits; });
    asio::post(pool, [] { handle("tick"); });
  }

private:
  asio::thread_pool pool{1};
  int hits = 0;
  std::string name;
};
