// A container of thread slots the program sized before the loop holds as
// many threads as that size: the loop over its slots is bounded by it. The
// count is judged where it was set (a constant, hardware_concurrency, a
// worker count is fixed; a parameter or input is not).
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <cstddef>
#include <thread>
#include <vector>

void post_tasks(std::size_t n);

// Four posters per core, each filling its slot.
void stress_posters() {
  const auto posters = std::thread::hardware_concurrency() * 4;
  std::vector<std::thread> threads;
  threads.resize(posters);
  for (auto &t : threads)
    t = std::thread([] { post_tasks(1000); });
  for (auto &t : threads)
    t.join();
}

// Sized where it is made, walked by index.
void fixed_workers() {
  std::vector<std::thread> workers(8);
  for (std::size_t i = 0; i < workers.size(); ++i)
    workers[i] = std::thread([i] { post_tasks(i); });
  for (auto &w : workers)
    w.join();
}

// Sized by a caller's number: as many threads as the caller asks for.
void posters_per_request(std::size_t requested) {
  std::vector<std::thread> threads(requested);
  for (auto &t : threads)
    // CHECK: :[[@LINE+1]]:9: warning: a thread per iteration of a loop bounded by parameter 'requested': nothing bounds how many run at once [tether-unbounded-spawn]
    t = std::thread([] { post_tasks(1); });
  for (auto &t : threads)
    t.join();
}
