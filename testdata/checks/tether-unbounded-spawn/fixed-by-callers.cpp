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

// The skynet benchmark: every level starts `fanout` children and each child
// starts its own with the same fanout, handed on unchanged; main fixes it.
long skynet(long num, long size, long fanout) {
  if (size == 1)
    return num;
  std::vector<long> sums(fanout);
  std::vector<std::thread> children;
  for (long i = 0; i < fanout; ++i) {
    long sub = size / fanout;
    children.emplace_back([&sums, i, num, sub, fanout] {
      sums[i] = skynet(num + i * sub, sub, fanout);
    });
  }
  long sum = 0;
  for (long i = 0; i < fanout; ++i) {
    children[i].join();
    sum += sums[i];
  }
  return sum;
}

// The same benchmark handing itself to std::async with its arguments: a
// run with known arguments, as a call is.
long skynet_async(long num, long size, long fanout) {
  if (size == 1)
    return num;
  std::vector<std::future<long>> children;
  for (long i = 0; i < fanout; ++i) {
    long sub = size / fanout;
    children.push_back(std::async(std::launch::async, skynet_async,
                                  num + i * sub, sub, fanout));
  }
  long sum = 0;
  for (auto &c : children)
    sum += c.get();
  return sum;
}

long run_skynet() { return skynet(0, 1000, 10) + skynet_async(0, 1000, 10); }

// The same recursion with a fanout that shrinks on the way down is still
// fixed by its callers; one that grows from input is not.
long spread(long size, long fanout) {
  if (size <= 1)
    return size;
  std::vector<std::thread> ts;
  for (long i = 0; i < fanout; ++i)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of a loop bounded by parameter 'fanout'
    ts.emplace_back([] {});
  for (auto &t : ts)
    t.join();
  return spread(size / 2, fanout * 2);
}

long run_spread() { return spread(64, 2); }
