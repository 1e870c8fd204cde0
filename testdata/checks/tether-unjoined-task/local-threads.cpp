// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

void index_shard(int shard);
bool cancelled();
std::string load_config();

// --- Positives -------------------------------------------------------------

int early_return(const std::string &path) {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'indexer' is still joinable when it goes out of scope on some path: its destructor calls std::terminate [tether-unjoined-task]
  std::thread indexer(index_shard, 0);
  if (path.empty())
    // CHECK: :[[@LINE+1]]:5: note: 'indexer' goes out of scope here without join() or being handed on
    return -1;
  indexer.join();
  return 0;
}

void forgotten_entirely() {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'worker' is still joinable
  std::thread worker([] { index_shard(1); });
  // CHECK: :[[@LINE+1]]:1: note: 'worker' goes out of scope here
}

void break_out_of_loop(int shards) {
  for (int i = 0; i < shards; ++i) {
    // CHECK: :[[@LINE+1]]:17: warning: thread 't' is still joinable
    std::thread t(index_shard, i);
    if (cancelled())
      // CHECK: :[[@LINE+1]]:7: note: 't' goes out of scope here
      break;
    t.join();
  }
}

void continue_in_loop(int shards) {
  for (int i = 0; i < shards; ++i) {
    // CHECK: :[[@LINE+1]]:17: warning: thread 't' is still joinable
    std::thread t(index_shard, i);
    if (i % 2)
      continue;
    t.join();
  }
}

void goto_cleanup(bool fail) {
  {
    // CHECK: :[[@LINE+1]]:17: warning: thread 'loader' is still joinable
    std::thread loader(load_config);
    if (fail)
      goto out;
    loader.join();
  }
out:
  return;
}

void joined_on_one_branch_only(bool wait) {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'flusher' is still joinable
  std::thread flusher(index_shard, 2);
  if (wait)
    flusher.join();
}

void reassigned_after_join() {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'worker' is still joinable
  std::thread worker(index_shard, 3);
  worker.join();
  // CHECK: :[[@LINE+1]]:3: note: 'worker' starts a thread here
  worker = std::thread(index_shard, 4);
}

void default_then_started(bool go) {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'lazy' is still joinable
  std::thread lazy;
  if (go)
    lazy = std::thread(index_shard, 5);
}

void in_switch(int mode) {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'mirror' is still joinable
  std::thread mirror(index_shard, mode);
  switch (mode) {
  case 0:
    mirror.join();
    break;
  case 1:
    return;
  default:
    mirror.join();
  }
}

auto make_task() {
  return [] {
    // CHECK: :[[@LINE+1]]:17: warning: thread 'inner' is still joinable
    std::thread inner(index_shard, 6);
    if (cancelled())
      return;
    inner.join();
  };
}

template <typename Fn> void run_twice(Fn fn) {
  // CHECK: :[[@LINE+1]]:15: warning: thread 'first' is still joinable
  std::thread first(fn);
  std::thread second(fn);
  if (cancelled())
    return;
  first.join();
  second.join();
// CHECK: :[[@LINE-5]]:15: warning: thread 'second' is still joinable
}
void use_run_twice() {
  run_twice([] {});
  run_twice(load_config);
}

void by_value_parameter(std::thread owned) {
  // CHECK: :[[@LINE-1]]:37: warning: thread 'owned' is still joinable
  if (cancelled())
    return;
  owned.join();
}

// --- Negatives -------------------------------------------------------------

void joined_on_every_path(bool fast) {
  std::thread t(index_shard, 7);
  if (fast) {
    t.join();
    return;
  }
  t.join();
}

void joinable_guard() {
  std::thread t(index_shard, 8);
  if (t.joinable())
    t.join();
}

void negated_joinable_guard() {
  std::thread t(index_shard, 9);
  if (!t.joinable())
    return;
  t.join();
}

std::thread returned_to_caller() {
  std::thread t(index_shard, 10);
  if (cancelled())
    return t;
  return t;
}

void moved_into_pool(std::vector<std::thread> &pool) {
  std::thread t(index_shard, 11);
  pool.push_back(std::move(t));
}

void moved_into_another_local() {
  std::thread t(index_shard, 12);
  std::thread owner(std::move(t));
  owner.join();
}

// An RAII guard that joins, taking the thread by reference.
class ThreadGuard {
public:
  explicit ThreadGuard(std::thread &t) : t_(t) {}
  ~ThreadGuard() {
    if (t_.joinable())
      t_.join();
  }
  ThreadGuard(const ThreadGuard &) = delete;
  ThreadGuard &operator=(const ThreadGuard &) = delete;

private:
  std::thread &t_;
};

int guarded(bool fail) {
  std::thread t(index_shard, 13);
  ThreadGuard guard(t);
  if (fail)
    return 1;
  return 0;
}

// A scope-exit helper built on a lambda that captures the thread.
template <typename F> struct ScopeExit {
  F f;
  ~ScopeExit() { f(); }
};
template <typename F> ScopeExit<F> on_scope_exit(F f) { return {std::move(f)}; }

int scope_exit(bool fail) {
  std::thread t(index_shard, 14);
  auto joiner = on_scope_exit([&t] { t.join(); });
  if (fail)
    return 1;
  return 0;
}

void passed_to_joiner(std::thread &t);
void handed_to_function() {
  std::thread t(index_shard, 15);
  passed_to_joiner(t);
}

void detached_is_not_this_checks_business() {
  std::thread t(index_shard, 16); // reported by tether-detached-thread
  t.detach();
}

void default_constructed_never_started() {
  std::thread idle;
  if (cancelled())
    return;
}

void jthread_joins_itself() {
  std::jthread t(index_shard, 17);
  if (cancelled())
    return;
}

void swapped_out(std::thread &slot) {
  std::thread t(index_shard, 18);
  t.swap(slot);
}

struct Owner {
  std::thread worker;
};
Owner aggregate_owner() {
  std::thread t(index_shard, 19);
  return Owner{std::move(t)};
}

void optional_holder(std::optional<std::thread> &slot) {
  std::thread t(index_shard, 20);
  slot.emplace(std::move(t));
}

void const_reference_use_is_not_a_release(const std::thread &other);
void join_after_inspection() {
  std::thread t(index_shard, 21);
  auto id = t.get_id();
  (void)id;
  t.join();
}

void thread_in_unique_ptr() {
  auto t = std::make_unique<std::thread>(index_shard, 22);
  t->join();
}

// In a template, an implicit [&] capture is only recorded at instantiation:
// the mention inside the lambda still hands the thread to the guard.
template <typename Request> int serve_in_template(Request request) {
  std::thread t(index_shard, 23);
  auto joiner = on_scope_exit([&] { t.join(); });
  if (!request)
    return 1;
  return 0;
}
