// Threads started by emplace_back(entry, args...) into a container of
// threads: the container builds each thread, and the entry's return value is
// thrown away as it is for std::thread t(entry, args...).
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <deque>
#include <functional>
#include <thread>
#include <vector>

int sync_shard(int shard) { return shard % 3 == 0 ? -1 : 0; }
void log_shard(int shard);

void sync_all(int shards) {
  std::vector<std::thread> workers;
  for (int i = 0; i < shards; ++i)
    // CHECK: :[[@LINE+2]]:5: warning: thread discards the 'int' that 'sync_shard' returns: nothing can read the result or learn that it failed [tether-lost-thread-result]
    // CHECK: :12:5: note: 'sync_shard' returns 'int' here
    workers.emplace_back(sync_shard, i);
  for (std::thread &t : workers)
    t.join();
}

struct Indexer {
  bool build(int part);
  void start(int parts) {
    for (int p = 0; p < parts; ++p)
      // CHECK: :[[@LINE+2]]:7: warning: thread discards the 'bool' that 'Indexer::build' returns
      // CHECK: :26:8: note: 'Indexer::build' returns 'bool' here
      pool_.emplace_back(&Indexer::build, this, p);
  }
  std::deque<std::thread> pool_;
};

// --- What stays silent -----------------------------------------------------

void log_all(int shards) {
  std::vector<std::thread> workers;
  for (int i = 0; i < shards; ++i)
    workers.emplace_back(log_shard, i); // returns nothing
  std::thread extra(log_shard, 0);
  workers.emplace_back(std::move(extra)); // moves a running thread
  for (std::thread &t : workers)
    t.join();
}

// Not a container of threads: the functions are stored, not run.
void queue_jobs(std::vector<std::function<int(int)>> &jobs) {
  jobs.emplace_back(sync_shard);
}
