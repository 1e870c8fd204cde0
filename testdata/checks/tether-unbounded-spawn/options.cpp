// WorkerCountNames replaces the name fragments that mark a worker count, and
// TaskSpawners teaches the check a free-function spawner.
// RUN: printf 'CheckOptions:\n  tether-unbounded-spawn.WorkerCountNames: "lanes"\n  tether-unbounded-spawn.TaskSpawners: "acme::spawn"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// With the defaults, 'num_threads' is a worker count and acme::spawn is unknown.
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | FileCheck %s --check-prefix=DEFAULT --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-unbounded-spawn' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-unbounded-spawn.TaskSpawners: 'acme::spawn'
// DUMP-DAG: tether-unbounded-spawn.WorkerCountNames: lanes

#include <future>
#include <thread>
#include <vector>

namespace acme {
std::future<void> spawn(void (*f)(int), int arg);
}
void crunch(int);

void sized_by_name(std::size_t num_threads) {
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < num_threads; ++i)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of a loop bounded by parameter 'num_threads'
    pool.emplace_back(crunch, static_cast<int>(i));
  for (auto &t : pool)
    t.join();
}

void sized_by_lanes(int lanes) {
  std::vector<std::thread> pool;
  for (int i = 0; i < lanes; ++i)
    // DEFAULT: :[[@LINE+1]]:5: warning: a thread per iteration of a loop bounded by parameter 'lanes'
    pool.emplace_back(crunch, i);
  for (auto &t : pool)
    t.join();
}

void custom_spawner(const std::vector<int> &shards) {
  std::vector<std::future<void>> done;
  for (int s : shards)
    // CHECK: :[[@LINE+1]]:20: warning: a task per element of 'shards'
    done.push_back(acme::spawn(crunch, s));
  for (auto &f : done)
    f.get();
}

