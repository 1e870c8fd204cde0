// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx -Wno-unused-result | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx -Wno-unused-result | FileCheck %s --implicit-check-not='warning:'

#include <chrono>
#include <functional>
#include <future>
#include <string>
#include <vector>

void warm_cache();
int price(const std::string &sku);

// --- Positives -------------------------------------------------------------

void discarded() {
  // CHECK: :[[@LINE+2]]:3: warning: future returned by 'std::async' is discarded: its destructor waits for the task, so the work runs synchronously here [tether-unjoined-task]
  // CHECK: :[[@LINE+1]]:3: note: keep the future and wait for it where the result is needed
  std::async(std::launch::async, warm_cache);
}

void discarded_with_void_cast() {
  // CHECK: :[[@LINE+1]]:9: warning: future returned by 'std::async' is discarded: its destructor waits
  (void)std::async(std::launch::async, warm_cache);
}

void discarded_default_policy() {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'std::async' is discarded
  std::async([] { warm_cache(); });
}

void discarded_deferred() {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'std::async' is discarded: the deferred task never runs
  std::async(std::launch::deferred, warm_cache);
}

void discarded_in_loop(const std::vector<std::string> &skus) {
  for (const auto &sku : skus) {
    // CHECK: :[[@LINE+1]]:5: warning: future returned by 'std::async' is discarded
    std::async(std::launch::async, price, sku);
  }
}

void never_read() {
  // CHECK: :[[@LINE+1]]:8: warning: future 'refresh' is never waited for, read or handed on: exceptions thrown by the task are lost [tether-unjoined-task]
  auto refresh = std::async(std::launch::async, warm_cache);
}

void never_read_shared() {
  // CHECK: :[[@LINE+1]]:27: warning: future 'quote' is never waited for
  std::shared_future<int> quote = std::async(std::launch::async, price, "sku-1");
}

template <typename F> void in_template(F f) {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'std::async' is discarded
  std::async(std::launch::async, f);
}
void use_in_template() { in_template(warm_cache); }

#define BACKGROUND(fn) std::async(std::launch::async, fn)
void via_macro() {
  // CHECK: :[[@LINE+1]]:3: warning: future returned by 'std::async' is discarded
  BACKGROUND(warm_cache);
}

// --- Negatives -------------------------------------------------------------

int waited() {
  auto f = std::async(std::launch::async, price, "sku-2");
  return f.get();
}

void waited_later() {
  std::future<void> f = std::async(std::launch::async, warm_cache);
  f.wait_for(std::chrono::seconds(1));
}

std::future<int> returned() {
  return std::async(std::launch::async, price, "sku-3");
}

std::future<int> returned_local() {
  auto f = std::async(std::launch::async, price, "sku-4");
  return f;
}

void collected(std::vector<std::future<int>> &out) {
  out.push_back(std::async(std::launch::async, price, "sku-5"));
  auto g = std::async(std::launch::async, price, "sku-6");
  out.push_back(std::move(g));
}

void kept_as_scope_guard_but_marked() {
  [[maybe_unused]] auto guard = std::async(std::launch::async, warm_cache);
}

int parallel_sum(const std::vector<std::string> &skus) {
  std::vector<std::future<int>> parts;
  for (const auto &s : skus)
    parts.push_back(std::async(std::launch::async, price, s));
  int sum = 0;
  for (auto &p : parts)
    sum += p.get();
  return sum;
}

// A function named async that is not a task spawner.
namespace net {
struct Request {};
Request async(int) { return {}; }
} // namespace net
void not_std_async() { net::async(3); }

void packaged() {
  std::packaged_task<int()> task([] { return 1; });
  std::future<int> f = task.get_future();
  task();
  (void)f.get();
}

// Any function that hands back a task's future by value starts work whose
// future a statement drops: a project's own pool, not only the configured
// TaskSpawners.
class JobPool {
public:
  template <typename F> std::future<int> push(F f) {
    std::packaged_task<int()> task(std::move(f));
    std::future<int> result = task.get_future();
    run(std::move(task));
    return result;
  }

private:
  void run(std::packaged_task<int()> task);
};

void fire_jobs(JobPool &pool) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: future returned by 'JobPool::push' is discarded: the task's result and exceptions are lost
  pool.push([] { return 1; });
  auto kept = pool.push([] { return 2; });
  kept.wait();
}

// A pool declared here and defined in another file: handed the work, it is
// a spawner on that evidence.
class RemotePool {
public:
  std::future<void> submit(std::function<void()> job);
  std::future<int> pending_count();
};

void queue_jobs(RemotePool &pool) {
  // CHECK-DAG: :[[@LINE+1]]:3: warning: future returned by 'RemotePool::submit' is discarded: the task's result and exceptions are lost
  pool.submit([] { warm_cache(); });
  // Handed no work and defined elsewhere: no evidence it starts any.
  pool.pending_count();
}

// A kitchen whose TakeOrder places the order and sets the promise before it
// returns its future: nothing runs behind the future, so a test that only
// wants the order placed may drop it.
struct Order {
  std::string id;
};
class Kitchen {
public:
  std::future<Order *> take_order(Order *order) {
    std::promise<Order *> placed;
    if (shelf_.size() < 10) {
      shelf_.push_back(order);
      placed.set_value(order);
    } else {
      placed.set_value(nullptr);
    }
    return placed.get_future();
  }
  // The promise handed to the cook's callback is set later, by work still
  // running: dropping this future loses the result.
  std::future<Order *> cook(Order *order) {
    std::promise<Order *> done;
    auto ready = done.get_future();
    when_cooked(order, [p = std::move(done)](Order *o) mutable { p.set_value(o); });
    return ready;
  }
  // A callback that captures the promise may run after the call returns:
  // the future is not known to be settled.
  std::future<Order *> find(const std::string &id) {
    std::promise<Order *> found;
    on_each_order([&](Order *o) {
      if (o->id == id)
        found.set_value(o);
    });
    return found.get_future();
  }

private:
  template <typename Callback> void when_cooked(Order *order, Callback callback);
  void on_each_order(std::function<void(Order *)> visit);
  std::vector<Order *> shelf_;
};

void lunch_rush(Kitchen &kitchen, Order &a, Order &b) {
  kitchen.take_order(&a);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: future returned by 'Kitchen::cook' is discarded: the task's result and exceptions are lost
  kitchen.cook(&b);
  // CHECK-DAG: :[[@LINE+1]]:3: warning: future returned by 'Kitchen::find' is discarded: the task's result and exceptions are lost
  kitchen.find(a.id);
}
