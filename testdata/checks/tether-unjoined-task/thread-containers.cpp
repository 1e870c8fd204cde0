// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

// Local containers of threads: every thread added must be joined (or handed
// on) before the container is destroyed, on every path.

#include <algorithm>
#include <deque>
#include <functional>
#include <list>
#include <thread>
#include <vector>

void crawl(int shard);
bool valid(int shard);
void run_all(std::vector<std::thread> &);
void keep(std::vector<std::thread> pool);

// --- Positives -------------------------------------------------------------

// Filled, never joined.
void forgot_to_join() {
  // CHECK: :[[@LINE+1]]:28: warning: threads in 'workers' are still joinable when it goes out of scope on some path: destroying a joinable thread calls std::terminate [tether-unjoined-task]
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    // CHECK: :[[@LINE+1]]:5: note: a running thread is added to 'workers' here
    workers.emplace_back(crawl, i);
  // CHECK: :[[@LINE+1]]:1: note: 'workers' goes out of scope here before its threads are joined or handed on
}

// An early return between starting and joining.
int early_return(int shards) {
  // CHECK: :[[@LINE+1]]:28: warning: threads in 'workers' are still joinable
  std::vector<std::thread> workers;
  for (int i = 0; i < shards; ++i) {
    // CHECK: :[[@LINE+2]]:7: note: 'workers' goes out of scope here before its threads are joined or handed on
    if (!valid(i))
      return -1;
    workers.emplace_back(crawl, i);
  }
  for (std::thread &t : workers)
    t.join();
  return 0;
}

// Room reserved first, then one thread per core running the event loop;
// nothing joins them when main's own loop returns.
struct EventLoop {
  void run();
};
int serve(EventLoop &loop, int threads) {
  // CHECK: :[[@LINE+1]]:28: warning: threads in 'v' are still joinable
  std::vector<std::thread> v;
  v.reserve(threads - 1);
  for (auto i = threads - 1; i > 0; --i)
    v.emplace_back([&loop] { loop.run(); });
  loop.run();
  // CHECK: :[[@LINE+1]]:3: note: 'v' goes out of scope here before its threads are joined or handed on
  return 0;
}

// push_back of a started thread, into a deque.
void deque_of_threads() {
  // CHECK: :[[@LINE+1]]:27: warning: threads in 'jobs' are still joinable
  std::deque<std::thread> jobs;
  jobs.push_back(std::thread(crawl, 1));
}

// A named thread moved in: the thread is handed on, the container is not.
void moved_in() {
  // CHECK: :[[@LINE+1]]:26: warning: threads in 'held' are still joinable
  std::list<std::thread> held;
  std::thread t(crawl, 2);
  held.push_back(std::move(t));
}

// --- Negatives -------------------------------------------------------------

void joined_in_a_range_for() {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4; ++i)
    workers.emplace_back(crawl, i);
  for (auto &t : workers)
    t.join();
}

void joined_by_index() {
  std::vector<std::thread> workers;
  workers.reserve(4);
  for (int i = 0; i < 4; ++i)
    workers.push_back(std::thread(crawl, i));
  for (size_t i = 0; i < workers.size(); ++i)
    workers[i].join();
}

void joined_with_an_algorithm() {
  std::vector<std::thread> workers;
  workers.emplace_back(crawl, 0);
  std::for_each(workers.begin(), workers.end(),
                std::mem_fn(&std::thread::join));
}

void handed_to_a_helper() {
  std::vector<std::thread> workers;
  workers.emplace_back(crawl, 0);
  run_all(workers);
}

void moved_to_an_owner() {
  std::vector<std::thread> workers;
  workers.emplace_back(crawl, 0);
  keep(std::move(workers));
}

std::vector<std::thread> returned() {
  std::vector<std::thread> workers;
  workers.emplace_back(crawl, 0);
  return workers;
}

// A lambda that captures them joins them (a scope guard, a helper).
void joined_by_a_capture() {
  std::vector<std::thread> workers;
  auto join_all = [&] {
    for (auto &t : workers)
      t.join();
  };
  workers.emplace_back(crawl, 0);
  join_all();
}

// Only empty threads: nothing runs.
void only_empty_threads() {
  std::vector<std::thread> slots;
  slots.emplace_back();
  slots.push_back(std::thread());
  std::vector<std::thread> sized(4);
}

// Filled with empty threads, then assigned running ones by index: handed on
// through operator[] (not followed).
void assigned_by_index() {
  std::vector<std::thread> slots(2);
  slots[0] = std::thread(crawl, 0);
}

// Early return before anything started.
int return_before_start(int n) {
  std::vector<std::thread> workers;
  if (n <= 0)
    return -1;
  for (int i = 0; i < n; ++i)
    workers.emplace_back(crawl, i);
  for (auto &t : workers)
    t.join();
  return 0;
}

// std::jthread joins itself.
void jthreads() {
  std::vector<std::jthread> workers;
  workers.emplace_back(crawl, 0);
}

// Only const queries between the adds and the join.
void queried() {
  std::vector<std::thread> workers;
  workers.emplace_back(crawl, 0);
  if (workers.empty())
    return;
  for (auto &t : workers)
    t.join();
}

// A template is not looked at in its instantiations.
template <typename Fn> void templated(Fn fn) {
  std::vector<std::thread> workers;
  workers.emplace_back(fn);
  for (auto &t : workers)
    t.join();
}
void use_template() { templated([] {}); }

// A joiner object built from the container before the threads are added
// (C++ Concurrency in Action's join_threads): its destructor joins them.
class join_threads {
  std::vector<std::thread> &threads_;

public:
  explicit join_threads(std::vector<std::thread> &threads)
      : threads_(threads) {}
  ~join_threads() {
    for (auto &t : threads_)
      if (t.joinable())
        t.join();
  }
};
void joined_by_a_joiner(int n) {
  std::vector<std::thread> threads;
  join_threads joiner(threads);
  for (int i = 0; i < n; ++i)
    threads.push_back(std::thread(crawl, i));
}
