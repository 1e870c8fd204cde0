// A test helper that starts one thread per worker, where the worker count
// is its parameter and every call in the file passes a fixed number, runs a
// set number of threads: not one per item of input. A parameter some
// caller fills from runtime data, or a function reached other ways, is
// still reported.
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <cstddef>
#include <functional>
#include <future>
#include <thread>
#include <vector>

std::atomic<int> counter{0};
void steal(std::size_t id) { counter += static_cast<int>(id); }
int read_request_count();

// --- Fixed by its callers --------------------------------------------------

void n_consumers(std::size_t M) {
  std::vector<std::thread> thieves;
  for (std::size_t i = 0; i < M; ++i)
    thieves.emplace_back(steal, i);
  for (auto &t : thieves)
    t.join();
}

template <typename Notifier> void notify_all(std::size_t N) {
  std::vector<std::future<void>> done;
  for (std::size_t i = 0; i < N; ++i)
    done.push_back(std::async(std::launch::async, [i] { steal(i); }));
  for (auto &f : done)
    f.get();
}

struct Notifier {};
constexpr std::size_t kWorkers = 8;

void test_cases() {
  n_consumers(1);
  n_consumers(4);
  n_consumers(kWorkers);
  for (std::size_t W = 1; W <= 8; ++W)
    notify_all<Notifier>(W);
  notify_all<Notifier>(32);
}

// --- Still reported --------------------------------------------------------

void per_request(int n) {
  std::vector<std::thread> handlers;
  for (int i = 0; i < n; ++i)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of a loop bounded by parameter 'n'
    handlers.emplace_back(steal, i);
  for (auto &t : handlers)
    t.join();
}

void serve() {
  per_request(4);
  per_request(read_request_count()); // one caller passes runtime data
}

void fan_out(std::size_t n) {
  std::vector<std::thread> ts;
  for (std::size_t i = 0; i < n; ++i)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of a loop bounded by parameter 'n'
    ts.emplace_back(steal, i);
  for (auto &t : ts)
    t.join();
}

void wire() {
  fan_out(2);
  std::function<void(std::size_t)> later = fan_out; // called from elsewhere
  later(static_cast<std::size_t>(read_request_count()));
}
