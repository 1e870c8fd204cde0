// Children of a stop-aware function must inherit its cancellation.
// RUN: not %tether --checks='-*,tether-broken-cancellation-chain' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-broken-cancellation-chain' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <future>
#include <memory>
#include <pthread.h>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

void work();
int compute(int shard);
void watch(std::stop_token st);
void *c_entry(void *);

struct ThreadPool {
  template <typename F> std::future<void> enqueue(F f);
};

// --- Positives -------------------------------------------------------------

// A detached child: nothing ever tells it the parent was cancelled.
void serve(std::stop_token st) {
  while (!st.stop_requested()) {
    // CHECK: :[[@LINE+1]]:5: warning: thread started in a stop-aware function is not handed stop token 'st': the child keeps running after the parent is asked to stop [tether-broken-cancellation-chain]
    std::thread([] { work(); }).detach();
  }
  // CHECK: :[[@LINE-5]]:28: note: the parent's stop token is received here
  // CHECK: :[[@LINE-3]]:5: note: pass the parent's token to the child (or a std::stop_source that a std::stop_callback on it stops), or join the child before returning
}

class Supervisor {
public:
  void start() {
    self_ = std::jthread([this](std::stop_token st) {
      // A child kept in a member: it outlives the supervisor's stop.
      // CHECK: :[[@LINE+1]]:7: warning: thread started in a stop-aware function is not handed stop token 'st'
      children_.emplace_back([] { work(); });
    });
    // CHECK: :[[@LINE-5]]:49: note: the parent's stop token is received here
    // CHECK: :[[@LINE-3]]:7: note: pass the parent's token
  }

  // A task whose future is kept for later.
  void refresh(std::stop_token st) {
    // CHECK: :[[@LINE+1]]:16: warning: task started in a stop-aware function is not handed stop token 'st'
    pending_ = std::async(std::launch::async, [] { work(); });
    // CHECK: :[[@LINE-3]]:32: note: the parent's stop token is received here
    // CHECK: :[[@LINE-2]]:16: note: pass the parent's token
  }

  // A jthread child watches its own token, which nobody requests.
  void restart_helper(std::stop_token st) {
    if (st.stop_requested())
      return;
    // CHECK: :[[@LINE+1]]:15: warning: std::jthread started in a stop-aware function watches only its own stop token, which stop token 'st' never triggers: the child keeps running after the parent is asked to stop
    helper_ = std::jthread([](std::stop_token own) {
      while (!own.stop_requested())
        work();
    });
    // CHECK: :[[@LINE-8]]:39: note: the parent's stop token is received here
    // CHECK: :[[@LINE-5]]:15: note: call request_stop() on the child from a std::stop_callback registered on the parent's token
  }

  // Started locally, then moved into a member: it outlives the call.
  void adopt(std::stop_token st) {
    // CHECK: :[[@LINE+1]]:17: warning: thread started in a stop-aware function is not handed stop token 'st'
    std::thread t(work);
    legacy_ = std::move(t);
    // CHECK: :[[@LINE-4]]:30: note: the parent's stop token is received here
    // CHECK: :[[@LINE-3]]:17: note: pass the parent's token
  }

  // A pool task (a configured spawner) kept for later.
  void prefetch(std::stop_token st, ThreadPool &pool) {
    // CHECK: :[[@LINE+1]]:16: warning: task started in a stop-aware function is not handed stop token 'st'
    pending_ = pool.enqueue([] { work(); });
    // CHECK: :[[@LINE-3]]:33: note: the parent's stop token is received here
    // CHECK: :[[@LINE-2]]:16: note: pass the parent's token
  }

private:
  std::jthread self_;
  std::jthread helper_;
  std::thread legacy_;
  std::vector<std::thread> children_;
  std::future<void> pending_;
};

// Returned to the caller: the child outlives the call, the token stays here.
std::thread spawn_child(std::stop_token st) {
  if (st.stop_requested())
    return {};
  // CHECK: :[[@LINE+1]]:10: warning: thread started in a stop-aware function is not handed stop token 'st'
  return std::thread(work);
  // CHECK: :[[@LINE-5]]:41: note: the parent's stop token is received here
  // CHECK: :[[@LINE-2]]:10: note: pass the parent's token
}

// pthread_create from a stop-aware function.
void start_c_worker(std::stop_token st, pthread_t *tid) {
  if (!st.stop_requested())
    // CHECK: :[[@LINE+1]]:5: warning: thread started in a stop-aware function is not handed stop token 'st'
    pthread_create(tid, nullptr, &c_entry, nullptr);
  // CHECK: :[[@LINE-4]]:37: note: the parent's stop token is received here
  // CHECK: :[[@LINE-2]]:5: note: pass the parent's token
}

// A jthread body whose token is unnamed cannot hand it on.
std::jthread unnamed_parent() {
  return std::jthread([](std::stop_token) {
    // CHECK: :[[@LINE+1]]:5: warning: thread started in a stop-aware function is not handed stop token (unnamed)
    std::thread(work).detach();
  });
  // CHECK: :[[@LINE-4]]:26: note: the parent's stop token is received here
  // CHECK: :[[@LINE-3]]:5: note: pass the parent's token
}

// A template, reported once.
template <typename T> void fan_out(std::stop_token st, T value) {
  if (st.stop_requested())
    return;
  // CHECK: :[[@LINE+1]]:3: warning: thread started in a stop-aware function is not handed stop token 'st'
  std::thread([value] { compute(static_cast<int>(value)); }).detach();
  // CHECK: :[[@LINE-5]]:52: note: the parent's stop token is received here
  // CHECK: :[[@LINE-2]]:3: note: pass the parent's token
}
void use_fan_out(std::stop_token st) {
  fan_out(st, 1);
  fan_out(st, 2.0);
}

// Detached even though something else is joined.
void mixed(std::stop_token st) {
  std::thread joined(watch, st);
  // CHECK: :[[@LINE+1]]:3: warning: thread started in a stop-aware function is not handed stop token 'st'
  std::thread(work).detach();
  joined.join();
  // CHECK: :[[@LINE-5]]:28: note: the parent's stop token is received here
  // CHECK: :[[@LINE-3]]:3: note: pass the parent's token
}

// --- Negatives -------------------------------------------------------------

// The token is passed on as an argument.
void passes_token(std::stop_token st) { std::thread(watch, st).detach(); }

// The child captures the token.
class Crawler {
public:
  void run(std::stop_token st) {
    child_ = std::thread([st] {
      while (!st.stop_requested())
        work();
    });
  }
  void run_all(std::stop_token st) {
    children_.emplace_back([&] {
      while (!st.stop_requested())
        work();
    });
  }
  ~Crawler() {
    if (child_.joinable())
      child_.join();
    for (auto &c : children_)
      c.join();
  }

private:
  std::thread child_;
  std::vector<std::thread> children_;
};

// A stop_source linked to the token by a stop_callback.
class Linked {
public:
  void run(std::stop_token st) {
    std::stop_callback forward(st, [this] { child_src_.request_stop(); });
    child_ = std::thread([this] {
      while (!child_src_.stop_requested())
        work();
    });
  }
  ~Linked() { child_.join(); }

private:
  std::stop_source child_src_;
  std::thread child_;
};

// The child gets a stop source of its own that the parent holds.
void hands_source(std::stop_token st, std::stop_source &child) {
  if (st.stop_requested())
    child.request_stop();
  std::thread([child] {
    while (!child.stop_requested())
      work();
  }).detach();
}

// A local jthread: the parent's return stops and joins it.
void local_jthread(std::stop_token st) {
  std::jthread helper([](std::stop_token own) {
    while (!own.stop_requested())
      work();
  });
  while (!st.stop_requested())
    work();
}

// Joined before returning: it cannot outlive the parent (documented).
void joins_child(std::stop_token st) {
  std::thread t(compute, 1);
  while (!st.stop_requested())
    work();
  t.join();
}

// A future read before returning.
int waits_future(std::stop_token st) {
  auto f = std::async(std::launch::async, compute, 2);
  if (st.stop_requested())
    return -1 + f.get();
  return f.get();
}

// A discarded async future: the work runs synchronously here.
void synchronous(std::stop_token) {
  std::async(std::launch::async, work);
}

// The parent forwards its stop by hand.
class Forwarder {
public:
  void run(std::stop_token st) {
    helper_ = std::jthread([](std::stop_token own) {
      while (!own.stop_requested())
        work();
    });
    while (!st.stop_requested())
      work();
    helper_.request_stop();
  }

private:
  std::jthread helper_;
};

// The child watches the object's own atomic flag, which stop() sets.
class Flagged {
public:
  void run(std::stop_token st) {
    if (!st.stop_requested())
      child_ = std::thread([this] {
        while (!stopping_.load())
          work();
      });
  }
  void stop() {
    stopping_ = true;
    child_.join();
  }

private:
  std::atomic<bool> stopping_{false};
  std::thread child_;
};

// Local children joined in a loop.
void fan_out_and_join(std::stop_token st) {
  std::vector<std::thread> workers;
  for (int i = 0; i < 4 && !st.stop_requested(); ++i)
    workers.emplace_back(compute, i);
  for (auto &w : workers)
    w.join();
}

// A function with no stop token is not this check's business.
void no_token() { std::thread(work).detach(); }
