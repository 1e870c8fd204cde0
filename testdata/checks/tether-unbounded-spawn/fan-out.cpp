// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <future>
#include <istream>
#include <mutex>
#include <pthread.h>
#include <semaphore>
#include <string>
#include <memory>
#include <thread>
#include <vector>

struct Request { std::string body; };
void handle(const Request &r);
void handle_fd(int fd);
void crunch(int shard);
int price(const std::string &sku);
int accept_connection();
void *pthread_entry(void *);

// --- Positives -------------------------------------------------------------

void per_request(const std::vector<Request> &requests) {
  std::vector<std::thread> threads;
  // CHECK: :[[@LINE+4]]:5: warning: a thread per element of 'requests': nothing bounds how many run at once [tether-unbounded-spawn]
  // CHECK: :[[@LINE+2]]:3: note: the loop's trip count comes from runtime data
  // CHECK: :[[@LINE+2]]:5: note: bound the fan-out: acquire a std::counting_semaphore before each start, hand the work to a fixed-size pool, or start a fixed batch and join it before the next
  for (const Request &r : requests)
    threads.emplace_back(handle, std::cref(r));
  for (auto &t : threads)
    t.join();
}

void per_request_detached(const std::vector<Request> &requests) {
  for (const Request &r : requests) {
    // CHECK: :[[@LINE+1]]:5: warning: a thread per element of 'requests'
    std::thread([r] { handle(r); }).detach();
  }
}

void accept_loop() {
  while (true) {
    int fd = accept_connection();
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of an endless loop: nothing bounds
    std::thread(handle_fd, fd).detach();
  }
}

void accept_until_stopped(std::atomic<bool> &running) {
  while (running.load()) {
    int fd = accept_connection();
    // CHECK: :[[@LINE+1]]:17: warning: a thread per iteration of a loop driven by runtime input
    std::thread t(handle_fd, fd);
    t.detach();
  }
}

void per_index(int n) {
  std::vector<std::thread> pool;
  for (int i = 0; i < n; ++i)
    // CHECK: :[[@LINE+1]]:20: warning: a thread per iteration of a loop bounded by parameter 'n'
    pool.push_back(std::thread(crunch, i));
  for (auto &t : pool)
    t.join();
}

void by_size(const std::vector<std::string> &skus) {
  std::vector<std::future<int>> prices;
  for (std::size_t i = 0; i != skus.size(); ++i)
    // CHECK: :[[@LINE+1]]:22: warning: a task per element of 'skus'
    prices.push_back(std::async(std::launch::async, price, skus[i]));
  for (auto &p : prices)
    p.get();
}

void async_per_item(const std::vector<std::string> &skus) {
  std::vector<std::future<int>> prices;
  for (const auto &s : skus)
    // CHECK: :[[@LINE+1]]:25: warning: a task per element of 'skus'
    prices.emplace_back(std::async([s] { return price(s); }));
  for (auto &p : prices)
    p.get();
}

void per_line(std::istream &in) {
  std::vector<std::jthread> workers;
  std::string line;
  while (std::getline(in, line))
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of a loop driven by runtime input
    workers.emplace_back([line] { price(line); });
}

void posix_per_item(const std::vector<Request> &requests) {
  std::vector<pthread_t> ids(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per element of 'requests'
    pthread_create(&ids[i], nullptr, pthread_entry, (void *)&requests[i]);
}

void iterator_loop(const std::vector<Request> &requests) {
  std::vector<std::thread> threads;
  for (auto it = requests.begin(); it != requests.end(); ++it)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per element of 'requests'
    threads.emplace_back([it] { handle(*it); });
  for (auto &t : threads)
    t.join();
}

void derived_count(const std::vector<Request> &requests) {
  std::size_t n = requests.size();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < n; ++i)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per iteration of a loop bounded by 'n'
    threads.emplace_back(handle, std::cref(requests[i]));
  for (auto &t : threads)
    t.join();
}

template <typename Range> void generic(const Range &items) {
  std::vector<std::thread> threads;
  for (const auto &r : items)
    // CHECK: :[[@LINE+1]]:5: warning: a thread per element of 'items'
    threads.emplace_back(handle, std::cref(r));
  for (auto &t : threads)
    t.join();
}
template void generic(const std::vector<Request> &);

// --- Negatives -------------------------------------------------------------

constexpr int kWorkers = 8;

void fixed_pool() {
  std::vector<std::thread> pool;
  for (int i = 0; i < kWorkers; ++i)
    pool.emplace_back(crunch, i);
  for (auto &t : pool)
    t.join();
}

void hardware_pool() {
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < std::thread::hardware_concurrency(); ++i)
    pool.emplace_back(crunch, i);
  for (auto &t : pool)
    t.join();
}

void worker_count_from_hardware() {
  const unsigned workers = std::max(2u, std::thread::hardware_concurrency());
  std::vector<std::jthread> pool;
  for (unsigned i = 0; i < workers; ++i)
    pool.emplace_back(crunch, i);
}

void pool_from_parameter(std::size_t num_threads) {
  // A pool sized by its caller: a fixed set of workers, not one per item.
  std::vector<std::thread> pool;
  for (std::size_t i = 0; i < num_threads; ++i)
    pool.emplace_back(crunch, static_cast<int>(i));
  for (auto &t : pool)
    t.join();
}

std::counting_semaphore<16> slots(16);

void semaphore_bounded(const std::vector<Request> &requests) {
  for (const Request &r : requests) {
    slots.acquire();
    std::thread([r] {
      handle(r);
      slots.release();
    }).detach();
  }
}

void joined_each_iteration(const std::vector<Request> &requests) {
  for (const Request &r : requests) {
    std::thread t(handle, std::cref(r));
    t.join();
  }
}

void jthread_scoped_per_iteration(const std::vector<Request> &requests) {
  for (const Request &r : requests) {
    std::jthread t(handle, std::cref(r)); // joins at the end of the iteration
  }
}

void future_waited_per_iteration(const std::vector<std::string> &skus) {
  for (const auto &s : skus) {
    auto f = std::async(std::launch::async, price, s);
    f.get();
  }
}

void batched(const std::vector<Request> &requests) {
  std::vector<std::thread> batch;
  for (const Request &r : requests) {
    batch.emplace_back(handle, std::cref(r));
    if (batch.size() == kWorkers) {
      for (auto &t : batch)
        t.join();
      batch.clear();
    }
  }
  for (auto &t : batch)
    t.join();
}

void running_count(const std::vector<Request> &requests) {
  std::mutex m;
  std::condition_variable cv;
  int running = 0;
  std::vector<std::thread> threads;
  for (const Request &r : requests) {
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return running < kWorkers; });
    ++running;
    lock.unlock();
    threads.emplace_back([&, r] {
      handle(r);
      std::lock_guard g(m);
      --running;
      cv.notify_one();
    });
  }
  for (auto &t : threads)
    t.join();
}

void deferred(const std::vector<std::string> &skus) {
  std::vector<std::future<int>> prices;
  for (const auto &s : skus)
    prices.push_back(std::async(std::launch::deferred, price, s));
  for (auto &p : prices)
    p.get();
}

void constant_array() {
  std::array<int, 4> shards{0, 1, 2, 3};
  std::vector<std::thread> threads;
  for (int s : shards)
    threads.emplace_back(crunch, s);
  for (auto &t : threads)
    t.join();
}

void moved_threads(std::vector<std::thread> &incoming, std::vector<std::thread> &owned) {
  for (auto &t : incoming)
    owned.emplace_back(std::move(t));
}

void thread_body_loops(const std::vector<Request> &requests) {
  // The loop is inside the one thread: nothing is spawned per element.
  std::thread t([&] {
    for (const Request &r : requests)
      handle(r);
  });
  t.join();
}

void lambda_in_loop(const std::vector<Request> &requests) {
  for (const Request &r : requests) {
    auto later = [&r] { std::thread t(handle, std::cref(r)); t.join(); };
    later();
  }
}

// Regressions from real code: a pool sized by its caller, its threads kept in
// members (cpp-httplib's ThreadPool, taskflow's Executor::_spawn).
class HttpThreadPool {
public:
  explicit HttpThreadPool(std::size_t n) {
    while (n) {
      threads_.emplace_back([] { crunch(0); });
      n--;
    }
  }
  ~HttpThreadPool() {
    for (auto &t : threads_)
      t.join();
  }

private:
  std::vector<std::thread> threads_;
};

// The same pool counting its parameter down in the condition (msghub's
// io_service pool): `while (threads--)` runs `threads` times.
class CountdownPool {
public:
  void start(unsigned char threads) {
    if (!threads)
      threads++;
    while (threads--) {
      std::shared_ptr<std::thread> worker(new std::thread([] { crunch(0); }));
      workers_.push_back(worker);
    }
  }
  ~CountdownPool() {
    for (auto &t : workers_)
      t->join();
  }

private:
  std::vector<std::shared_ptr<std::thread>> workers_;
};

struct Slot {
  std::thread thread;
};

class Executor {
public:
  void spawn(std::size_t N) {
    for (std::size_t id = 0; id < N; ++id)
      workers_[id].thread = std::thread([id] { crunch(static_cast<int>(id)); });
  }

private:
  std::vector<Slot> workers_;
};

// whisper.cpp: one thread per processor.
void full_parallel(int n_processors) {
  std::vector<std::thread> workers(n_processors - 1);
  for (int i = 0; i < n_processors - 1; ++i)
    workers[i] = std::thread(crunch, i);
  for (auto &w : workers)
    w.join();
}

// Regression from asio's io_context_pool: one thread per configured context,
// the contexts kept in a member.
class ContextPool {
public:
  void run() {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < contexts_.size(); ++i)
      threads.emplace_back([this, i] { crunch(contexts_[i]); });
    for (auto &t : threads)
      t.join();
  }

private:
  std::vector<int> contexts_;
};
