// Loops in thread bodies that have no exit at all.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <future>
#include <pthread.h>
#include <thread>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

void flush();
int next_event();
void handle(int event);
bool fatal();
[[noreturn]] void die();
struct Closed {};

// --- Positives -------------------------------------------------------------

class Flusher {
public:
  Flusher()
      : thread_([] {
          // CHECK: :[[@LINE+1]]:11: warning: loop in thread body never ends: it has no exit and no stop check, so the thread cannot be stopped and join() waits forever [tether-missing-stop-check]
          for (;;) {
            flush();
            std::this_thread::sleep_for(1s);
          }
        }) {}
  // CHECK: :[[@LINE-7]]:9: note: thread started here
  // CHECK: :[[@LINE-6]]:11: note: loop on a stop signal (a std::stop_token from std::jthread, or a std::atomic<bool>) and return when it is set
  ~Flusher() { thread_.join(); }

private:
  std::thread thread_;
};

// The only break leaves the switch, not the loop.
class Dispatcher {
public:
  void start() { thread_ = std::thread(&Dispatcher::loop, this); }
  ~Dispatcher() { thread_.join(); }

private:
  void loop() {
    // CHECK: :[[@LINE+2]]:5: warning: loop in thread body never ends
    // CHECK: :[[@LINE-6]]:28: note: thread started here
    while (true) {
      switch (int e = next_event()) {
      case 0:
        break;
      default:
        handle(e);
      }
    }
    // CHECK: :[[@LINE-8]]:5: note: loop on a stop signal
  }
  std::thread thread_;
};

// [this] { run(); }: run() is the thread body.
class Ticker {
public:
  void start() {
    thread_ = std::thread([this] { run(); });
  }
  ~Ticker() { thread_.join(); }

private:
  void run() {
    // CHECK: :[[@LINE+2]]:5: warning: loop in thread body never ends
    // CHECK: :[[@LINE-7]]:15: note: the thread started here runs this loop through a call from its body
    while (1)
      flush();
    // CHECK: :[[@LINE-2]]:5: note: loop on a stop signal
  }
  std::thread thread_;
};

// A std::async task that never finishes: get() waits forever.
std::future<void> start_pump() {
  return std::async(std::launch::async, [] {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    do {
      handle(next_event());
    } while (true);
  });
  // CHECK: :[[@LINE-6]]:10: note: thread started here
  // CHECK: :[[@LINE-5]]:5: note: loop on a stop signal
}

// A function object.
struct Heartbeat {
  void operator()() const {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    for (;;)
      flush();
  }
};
void start_heartbeat(std::vector<std::thread> &threads) {
  threads.emplace_back(Heartbeat{});
  // CHECK: :[[@LINE-1]]:3: note: thread started here
  // CHECK: :[[@LINE-7]]:5: note: loop on a stop signal
}

// A break that only leaves the inner loop.
void scan_forever() {
  std::thread t([] {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    while (true) {
      for (int i = 0; i < 8; ++i)
        if (next_event() == i)
          break;
    }
  });
  // CHECK: :[[@LINE-8]]:15: note: thread started here
  // CHECK: :[[@LINE-7]]:5: note: loop on a stop signal
  t.join();
}

// A thread started in a template, reported once for both instantiations.
template <typename T> void watch(T value) {
  std::thread t([value] {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    for (;;)
      handle(static_cast<int>(value));
  });
  // CHECK: :[[@LINE-5]]:15: note: thread started here
  // CHECK: :[[@LINE-4]]:5: note: loop on a stop signal
  t.join();
}
void use_watch() {
  watch(1);
  watch(2.0);
}

// pthread_create: nothing in the loop is a way out.
void *poll_entry(void *) {
  // CHECK: :[[@LINE+1]]:3: warning: loop in thread body never ends
  for (;;)
    flush();
}
void start_poller(pthread_t *tid) {
  pthread_create(tid, nullptr, &poll_entry, nullptr);
  // CHECK: :[[@LINE-1]]:3: note: thread started here
  // CHECK: :[[@LINE-6]]:3: note: loop on a stop signal
}

// --- Negatives -------------------------------------------------------------

class Worker {
public:
  void start() {
    thread_ = std::thread([this] {
      while (true) {
        if (stopping_.load())
          return;
        flush();
      }
    });
  }
  void stop() {
    stopping_ = true;
    thread_.join();
  }

private:
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

void breaks_on_sentinel() {
  std::thread t([] {
    while (true) {
      int e = next_event();
      if (e < 0)
        break;
      handle(e);
    }
  });
  t.join();
}

void throws_out() {
  std::thread t([] {
    for (;;)
      if (fatal())
        throw Closed{};
  });
  t.join();
}

// The event source throws when it is closed; the body catches it.
void closed_by_exception() {
  std::thread t([] {
    try {
      for (;;)
        handle(next_event());
    } catch (const Closed &) {
    }
  });
  t.join();
}

void runs_while_flag_set(std::atomic<bool> &running) {
  std::thread t([&running] {
    while (running.load())
      flush();
  });
  t.join();
}

// Not a thread body: a program's own main loop is not this check's business.
int serve() {
  for (;;) {
    handle(next_event());
  }
}

// A loop inside a lambda the body only defines (a callback) is not the body.
void nested_callback() {
  std::thread t([] {
    auto forever = [] {
      for (;;)
        flush();
    };
    (void)forever;
  });
  t.join();
}

void exits_the_process() {
  std::thread t([] {
    for (;;) {
      if (fatal())
        std::exit(1);
      flush();
    }
  });
  t.join();
}

void noreturn_helper() {
  std::thread t([] {
    while (true) {
      if (fatal())
        die();
      flush();
    }
  });
  t.join();
}

void goto_out() {
  std::thread t([] {
    while (true) {
      if (fatal())
        goto done;
      flush();
    }
  done:
    flush();
  });
  t.join();
}

// An event loop that runs until its owner stops it.
struct EventLoop {
  void run() {
    while (!stopped_.load())
      handle(next_event());
  }
  void stop() { stopped_ = true; }
  std::atomic<bool> stopped_{false};
};
void runs_event_loop(EventLoop &loop) {
  std::thread t([&loop] { loop.run(); });
  loop.stop();
  t.join();
}

// Bounded loops end by themselves.
void bounded(const std::vector<int> &events) {
  std::thread t([&events] {
    for (int e : events)
      handle(e);
    for (int i = 0; i < 3; ++i)
      flush();
  });
  t.join();
}

// while (auto x = next()): the condition variable can be false.
int *next_job();
void drains_jobs() {
  std::thread t([] {
    while (int *job = next_job())
      handle(*job);
  });
  t.join();
}
