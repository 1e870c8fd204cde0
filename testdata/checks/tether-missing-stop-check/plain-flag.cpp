// A plain bool used as a stop flag between threads.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

void work();
bool process();

// --- Positives -------------------------------------------------------------

class Poller {
public:
  void start() { thread_ = std::thread(&Poller::run, this); }
  void stop() {
    stop_ = true;
    thread_.join();
  }

private:
  void run() {
    // CHECK: :[[@LINE+1]]:13: warning: stop flag 'stop_' is a plain bool shared between threads: this unsynchronised read is a data race, and the compiler may hoist it out of the loop so the loop never sees the stop [tether-missing-stop-check]
    while (!stop_)
      work();
  }
  // CHECK: :[[@LINE-10]]:5: note: 'stop_' is written here, on another thread
  // CHECK: :[[@LINE-13]]:28: note: thread started here
  // CHECK: :[[@LINE-5]]:13: note: make 'stop_' a std::atomic<bool>, or run the loop on a std::jthread and test its std::stop_token
  bool stop_ = false;
  std::thread thread_;
};

class Sampler {
public:
  void start() {
    running_ = true;
    thread_ = std::thread([this] {
      // CHECK: :[[@LINE+1]]:14: warning: stop flag 'running_' is a plain bool shared between threads
      while (running_)
        work();
    });
  }
  // CHECK: :[[@LINE+3]]:5: note: 'running_' is written here
  // CHECK: :[[@LINE-7]]:15: note: thread started here
  void stop() {
    running_ = false;
    thread_.join();
  }

private:
  bool running_ = false;
  std::thread thread_;
};

// A local captured by reference.
void local_flag() {
  bool done = false;
  std::thread t([&] {
    // CHECK: :[[@LINE+1]]:13: warning: stop flag 'done' is a plain bool shared between threads
    while (!done)
      work();
  });
  work();
  done = true;
  // CHECK: :[[@LINE-1]]:3: note: 'done' is written here
  // CHECK: :[[@LINE-8]]:15: note: thread started here
  t.join();
}

// `if (quit_) break;` at the top of an endless loop reads it the same way.
class Relay {
public:
  void start() { thread_ = std::thread([this] { loop(); }); }
  void quit() {
    quit_ = true;
    thread_.join();
  }

private:
  void loop() {
    while (true) {
      // CHECK: :[[@LINE+1]]:11: warning: stop flag 'quit_' is a plain bool shared between threads
      if (quit_)
        break;
      work();
    }
  }
  // CHECK: :[[@LINE-13]]:5: note: 'quit_' is written here
  // CHECK: :[[@LINE-16]]:28: note: the thread started here runs this loop through a call from its body
  bool quit_ = false;
  std::thread thread_;
};

// --- Negatives -------------------------------------------------------------

class AtomicPoller {
public:
  void start() { thread_ = std::thread(&AtomicPoller::run, this); }
  void stop() {
    stop_ = true;
    thread_.join();
  }

private:
  void run() {
    while (!stop_)
      work();
  }
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Read under the mutex that the writer also takes.
class Consumer {
public:
  void start() { thread_ = std::thread(&Consumer::run, this); }
  void stop() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

private:
  void run() {
    std::unique_lock lock(mu_);
    while (!stop_)
      cv_.wait(lock);
  }
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// The loop's own state, not a flag shared with anyone.
void local_state() {
  std::thread t([] {
    bool done = false;
    while (!done)
      done = process();
  });
  t.join();
}

// Captured by copy: the thread has its own bool.
void copied_flag(bool verbose) {
  std::thread t([verbose] {
    while (verbose)
      work();
  });
  t.join();
}

// volatile: still not a synchronisation, but the load is not hoisted (see
// the docs: reported by nothing here).
class Legacy {
public:
  void start() { thread_ = std::thread(&Legacy::run, this); }
  void stop() { stop_ = true; }

private:
  void run() {
    while (!stop_)
      work();
  }
  volatile bool stop_ = false;
  std::thread thread_;
};

// A setting nobody else changes while the thread runs.
class Configured {
public:
  explicit Configured(bool repeat) : repeat_(repeat) {}
  void start() { thread_ = std::thread(&Configured::run, this); }

private:
  void run() {
    while (repeat_)
      work();
  }
  bool repeat_;
  std::thread thread_;
};

// The thread writes the flag itself, in its loop.
class SelfStopping {
public:
  void start() { thread_ = std::thread(&SelfStopping::run, this); }
  void reset() { done_ = false; }

private:
  void run() {
    while (!done_)
      done_ = process();
  }
  bool done_ = false;
  std::thread thread_;
};

// Not a thread body.
class NotThreaded {
public:
  void run() {
    while (!stop_)
      work();
  }
  void stop() { stop_ = true; }

private:
  bool stop_ = false;
};
