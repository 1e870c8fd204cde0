// A loop whose condition reads only locals of the thread body that nothing
// in the loop writes and that never escape: once entered it never ends
// (clang-tidy's bugprone-infinite-loop rule), so the thread cannot be
// stopped.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <thread>

void poll_sensors();
bool sensors_ok();
void adjust(int &level);

void start_monitor() {
  std::thread t([] {
    bool running = true;
    int retries = 3;
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends: it has no exit and no stop check, so the thread cannot be stopped and join() waits forever [tether-missing-stop-check]
    while (running && retries > 0) {
      poll_sensors();
    }
  });
  t.join();
}

// --- What stays silent -----------------------------------------------------

// The body writes what the condition reads.
void counts_down() {
  std::thread t([] {
    int retries = 3;
    while (retries > 0) {
      poll_sensors();
      --retries;
    }
  });
  t.join();
}

// A flag of the enclosing function, captured by reference: another thread
// (here, the owner) writes it. The loop can end; only the data race on the
// plain bool is reported.
void captured_flag() {
  bool running = true;
  std::thread t([&running] {
    // CHECK: :[[@LINE+1]]:12: warning: stop flag 'running' is a plain bool shared between threads
    while (running)
      poll_sensors();
  });
  running = false;
  t.join();
}

// The local's address escapes: a callee may change it.
void escapes() {
  std::thread t([] {
    int level = 1;
    adjust(level);
    while (level > 0)
      adjust(level);
  });
  t.join();
}

// The condition calls something.
void calls() {
  std::thread t([] {
    while (sensors_ok())
      poll_sensors();
  });
  t.join();
}

// The loop has an exit.
void breaks_out() {
  std::thread t([] {
    bool running = true;
    while (running) {
      if (!sensors_ok())
        break;
      poll_sensors();
    }
  });
  t.join();
}
