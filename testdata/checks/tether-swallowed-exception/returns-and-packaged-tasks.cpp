// A handler that returns what the success path returns too (or a null
// void *) has not reported anything; a callable wrapped in a
// std::packaged_task is a task body; a thread entry that is a member function
// defined further down the file is followed.
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-swallowed-exception' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <future>
#include <pthread.h>
#include <thread>
#include <utility>

void work();
int compute();

// --- Positives -------------------------------------------------------------

// The handler returns the same 0 the success path returns.
int same_value_as_success() {
  // CHECK: :[[@LINE+5]]:7: warning: exception caught by 'catch (...)' in a {{thread|task}} body is swallowed
  std::future<int> f = std::async(std::launch::async, [] {
    try {
      work();
      return 0;
    } catch (...) {
      return 0;
    }
  });
  return f.get();
}

// A pthread routine that returns a null void * on both paths.
void *routine(void *) {
  try {
    work();
  // CHECK: :[[@LINE+1]]:5: warning: exception caught by 'catch (...)' in a thread body is swallowed
  } catch (...) {
    return nullptr;
  }
  return nullptr;
}
void start_routine() {
  pthread_t tid;
  pthread_create(&tid, nullptr, routine, nullptr);
  pthread_join(tid, nullptr);
}

// A packaged_task run on a thread: its lambda is the body.
void packaged_on_thread() {
  std::packaged_task<void()> task([] {
    try {
      work();
    // CHECK: :[[@LINE+1]]:7: warning: exception caught by 'catch (...)' in a {{thread|task}} body is swallowed
    } catch (...) {
    }
  });
  std::future<void> done = task.get_future();
  std::thread t(std::move(task));
  t.join();
  done.get();
}

class Service {
public:
  void start() { worker_ = std::thread(&Service::loop, this); }
  ~Service() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  void loop();
  std::thread worker_;
};

// Defined after the class, further down the file.
void Service::loop() {
  try {
    work();
  // CHECK: :[[@LINE+1]]:5: warning: exception caught by 'catch (...)' in a thread body is swallowed
  } catch (...) {
  }
}

// --- What stays silent -----------------------------------------------------

// The handler returns a value the success path never returns.
int distinct_failure_value() {
  std::future<int> f = std::async(std::launch::async, [] {
    try {
      return compute();
    } catch (...) {
      return -1;
    }
  });
  return f.get();
}

// A typed pointer: null is how this function says it failed.
struct Conn {};
Conn *open_conn();
Conn *connect_or_null() {
  try {
    return open_conn();
  } catch (...) {
    return nullptr;
  }
}
void connector() {
  std::thread t([] {
    if (Conn *c = connect_or_null())
      (void)c;
  });
  t.join();
}

// A packaged_task whose body lets the exception reach the future.
void packaged_rethrows() {
  std::packaged_task<int()> task([] { return compute(); });
  std::future<int> r = task.get_future();
  std::thread t(std::move(task));
  t.join();
  r.get();
}
