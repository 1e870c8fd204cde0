// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -isystem %S/Inputs/vendor | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -isystem %S/Inputs/vendor | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <chrono>
#include <functional>
#include <future>
#include <latch>
#include <memory>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

#include <vendor_pool.h>

void poll_metrics();
void serve(int port);

// --- Positives -------------------------------------------------------------

void start_metrics() {
  std::thread metrics(poll_metrics);
  // CHECK: :[[@LINE+2]]:11: warning: thread 'metrics' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  // CHECK: :[[@LINE-2]]:15: note: thread started here
  metrics.detach();
}

void fire_and_forget() {
  // CHECK: :[[@LINE+1]]:29: warning: temporary thread is detached
  std::thread(poll_metrics).detach();
}

void fire_lambda(int port) {
  // CHECK: :[[@LINE+1]]:40: warning: temporary thread is detached
  std::thread([port] { serve(port); }).detach();
}

class Listener {
public:
  explicit Listener(int port) : worker_([port] { serve(port); }) {
    // CHECK: :[[@LINE+1]]:13: warning: thread 'worker_' is detached
    worker_.detach();
  }

private:
  std::thread worker_;
};

void detach_all(std::vector<std::thread> &pool) {
  for (std::thread &t : pool)
    // CHECK: :[[@LINE+1]]:7: warning: thread 't' is detached
    t.detach();
}

void detach_by_index(std::vector<std::thread> &pool) {
  for (std::size_t i = 0; i < pool.size(); ++i)
    // CHECK: :[[@LINE+1]]:13: warning: thread in 'pool' is detached
    pool[i].detach();
}

void detach_in_lambda() {
  auto launch = [] {
    std::thread t(poll_metrics);
    // CHECK: :[[@LINE+1]]:7: warning: thread 't' is detached
    t.detach();
  };
  launch();
}

template <typename Fn> void spawn_detached(Fn fn) {
  std::thread t(std::move(fn));
  // CHECK: :[[@LINE+1]]:5: warning: thread 't' is detached
  t.detach();
}
void use_template() {
  spawn_detached([] {});
  spawn_detached(poll_metrics); // a second instantiation: still one report
}

template <typename Clock> void temporary_in_template(int port) {
  // CHECK: :[[@LINE+2]]:40: warning: temporary thread is detached
  // CHECK: :[[@LINE+1]]:3: note: thread started here
  std::thread([port] { serve(port); }).detach();
}

template <typename T> void never_instantiated() {
  std::thread t(poll_metrics);
  // CHECK: :[[@LINE+1]]:5: warning: thread 't' is detached
  t.detach();
}

template <typename Thread> void detach_dependent(Thread &t) {
  // CHECK: :[[@LINE+1]]:5: warning: thread 't' is detached
  t.detach();
}
void use_dependent(std::thread &t) { detach_dependent(t); }

#define FIRE_AND_FORGET(fn) std::thread(fn).detach()
void use_macro() {
  // CHECK: :[[@LINE+1]]:3: warning: temporary thread is detached
  FIRE_AND_FORGET(poll_metrics);
}

void detach_jthread() {
  std::jthread refresher([](std::stop_token) {});
  // CHECK: :[[@LINE+1]]:13: warning: thread 'refresher' is detached
  refresher.detach();
}

class NamedThread : public std::thread {
public:
  using std::thread::thread;
};
void detach_derived() {
  NamedThread t(poll_metrics);
  // CHECK: :[[@LINE+1]]:5: warning: thread 't' is detached
  t.detach();
}

void stop_but_no_completion(std::stop_source &source) {
  // A stop signal alone: the owner can ask it to stop but never learns
  // that it did.
  // CHECK: :[[@LINE+1]]:62: warning: temporary thread is detached
  std::thread([token = source.get_token()] { (void)token; }).detach();
}

void poll_metrics_once();

void completion_but_no_stop() {
  // A completion signal alone, and a loop only a return could end: the
  // owner learns of the first result but can never stop the rest.
  std::promise<int> result;
  std::future<int> answer = result.get_future();
  // CHECK: :[[@LINE+5]]:6: warning: temporary thread is detached
  std::thread([p = std::move(result)]() mutable {
    p.set_value(42);
    for (;;)
      poll_metrics_once();
  }).detach();
  (void)answer.get();
}

// A thread whose loop asks its owner's context whether to stop, but whose
// end nobody sees: unlike a fiber's, no scheduler waits for it.
struct ServiceContext {
  bool stopped() const;
};
void stoppable_but_unseen(ServiceContext &ctx) {
  // CHECK: :[[@LINE+4]]:6: warning: temporary thread is detached
  std::thread([&ctx] {
    while (!ctx.stopped())
      poll_metrics_once();
  }).detach();
}

// --- Negatives -------------------------------------------------------------

// A finite job handed the promise its spawner waits on: it ends by itself and
// its end is seen, so nothing needs to stop it.
int finite_job_with_promise() {
  std::promise<int> result;
  std::future<int> answer = result.get_future();
  std::thread([p = std::move(result)]() mutable { p.set_value(42); }).detach();
  return answer.get();
}

// Finite jobs whose last step counts down a shared counter and notifies the
// condition variable the spawner waits on (Boost.Fiber's work-sharing idiom,
// on threads).
void compute_part(int part);
std::mutex count_mutex;
std::condition_variable count_done;
int pending = 0;

void finish_part() {
  std::lock_guard<std::mutex> lock(count_mutex);
  if (--pending == 0)
    count_done.notify_all();
}

void counted_jobs() {
  for (int part = 0; part < 4; ++part) {
    {
      std::lock_guard<std::mutex> lock(count_mutex);
      ++pending;
    }
    std::thread([part] {
      compute_part(part);
      finish_part();
    }).detach();
  }
  std::unique_lock<std::mutex> lock(count_mutex);
  count_done.wait(lock, [] { return pending == 0; });
}

void joined() {
  std::thread t(poll_metrics);
  t.join();
}

void joined_if_joinable() {
  std::thread t(poll_metrics);
  if (t.joinable())
    t.join();
}

std::thread handed_to_caller() {
  std::thread t(poll_metrics);
  return t; // the caller owns it
}

void moved_into_pool(std::vector<std::thread> &pool) {
  std::thread t(poll_metrics);
  pool.push_back(std::move(t));
}

class Service {
public:
  Service() : worker_(poll_metrics) {}
  ~Service() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::thread worker_;
};

// Not a thread: a session that detaches from a terminal.
struct Session {
  void detach() {}
};
void log_out(Session &s) { s.detach(); }

template <typename T> void detach_anything(T &t) { t.detach(); }
void use_detach_anything(Session &s) { detach_anything(s); }

// Owner by handle: the creator can stop the body (token) and learns when it
// finished (latch), so nothing is lost when the thread object is dropped.
void owned_by_handle(std::stop_source &source, std::latch &done) {
  std::thread([token = source.get_token(), &done] {
    while (!token.stop_requested()) {
    }
    done.count_down();
  }).detach();
}

void owned_by_arguments(std::stop_token token, std::promise<void> finished) {
  std::thread t(
      [](std::stop_token tok, std::promise<void> p) {
        (void)tok;
        p.set_value();
      },
      token, std::move(finished));
  t.detach();
}

void owned_by_flag_and_latch(std::shared_ptr<std::atomic<bool>> stop,
                             std::latch *done) {
  std::thread([stop, done] {
    while (!stop->load()) {
    }
    done->count_down();
  }).detach();
}

// The same in a template, where std::thread(lambda) is not resolved yet.
template <typename Clock>
void owned_by_handle_in_template(std::stop_source &source, std::latch &done) {
  std::thread([token = source.get_token(), &done] {
    while (!token.stop_requested()) {
    }
    done.count_down();
  }).detach();
}

void suppressed() {
  std::thread(poll_metrics).detach(); // NOLINT(tether-detached-thread)
}

void vendor_code() { vendor::post(poll_metrics); }

// A pointer to the member function is not a detach by itself.
void (std::thread::*detach_fn)() = &std::thread::detach;

std::future<void> task_instead() {
  return std::async(std::launch::async, poll_metrics);
}

// A packaged task run on a detached thread, its future handed back: the
// caller holds the result, the exception and the wait (std::async by hand).
std::future<int> compute_detached(int (*work)()) {
  std::packaged_task<int()> task(work);
  std::future<int> result = task.get_future();
  std::thread(std::move(task)).detach();
  return result;
}

// Nobody took this task's future: nothing waits for it, its exception is lost.
void compute_and_forget(int (*work)()) {
  std::packaged_task<int()> task(work);
  // CHECK: :[[@LINE+1]]:32: warning: temporary thread is detached
  std::thread(std::move(task)).detach();
}

// Detached workers counted done on an atomic the spawner polls before it
// returns: a hand-rolled wait group (hand-rolled-group's business), but the
// workers have an owner. Silent.
void checksum_blocks(const std::vector<int> &blocks, std::vector<int> &sums) {
  std::atomic<std::size_t> finished{0};
  for (std::size_t i = 0; i < blocks.size(); ++i)
    std::thread([&blocks, &sums, &finished, i] {
      sums[i] = blocks[i] * 31;
      finished.fetch_add(1, std::memory_order_release);
    }).detach();
  while (finished.load(std::memory_order_acquire) != blocks.size())
    std::this_thread::yield();
}

// A hand-written std::async in a class template: the thread's body sets the
// promise it captured on every path, and the job's owner waits on the
// future. Decided where the template is instantiated (the promise's type is
// known there). Silent.
template <typename R> class AsyncJob {
public:
  template <typename Callable> explicit AsyncJob(Callable &&job) {
    std::promise<R> promise;
    future_ = promise.get_future();
    std::thread thr(
        [p = std::move(promise)](auto &&fn) mutable {
          try {
            p.set_value(std::invoke(fn));
          } catch (...) {
            p.set_exception(std::current_exception());
          }
        },
        std::forward<Callable>(job));
    thr.detach();
  }
  ~AsyncJob() {
    if (future_.valid())
      future_.wait();
  }
  R get() { return future_.get(); }

private:
  std::future<R> future_;
};

int count_files();
int counted() { return AsyncJob<int>(count_files).get(); }

// The same template without the promise: reported, once.
template <typename R> class Detacher {
public:
  template <typename Callable> explicit Detacher(Callable &&job) {
    std::thread thr([](auto &&fn) { for (;;) std::invoke(fn); },
                    std::forward<Callable>(job));
    // CHECK-DAG: :[[@LINE+1]]:9: warning: thread 'thr' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    thr.detach();
  }
};
void detached_forever() { Detacher<int> d(count_files); }
