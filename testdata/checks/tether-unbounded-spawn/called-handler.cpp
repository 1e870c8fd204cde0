// The start can sit one call away: an accept loop calls a per-connection
// handler of the project that starts a thread and returns without waiting
// for it (detached, or kept in a member). One thread per connection, with
// nothing bounding how many run, as if the loop started it itself.
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unbounded-spawn' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <semaphore>
#include <string>
#include <thread>
#include <vector>

int accept_connection();
void serve(int fd);
void log_request(const std::string &line);

// --- Positives -------------------------------------------------------------

void handle_client(int fd) {
  // CHECK-DAG: :[[@LINE+1]]:3: note: 'handle_client' starts the thread here and returns without waiting for it
  std::thread(serve, fd).detach();
}

void accept_forever() {
  for (;;) {
    int fd = accept_connection();
    // CHECK-DAG: :[[@LINE+1]]:5: warning: a thread per iteration of an endless loop, started by 'handle_client' and left running: nothing bounds how many run at once [tether-unbounded-spawn]
    handle_client(fd);
  }
}

class Server {
public:
  void run(std::atomic<bool> &running) {
    while (running.load()) {
      int fd = accept_connection();
      // CHECK-DAG: :[[@LINE+1]]:7: warning: a thread per iteration of a loop driven by runtime input, started by 'spawn_session' and left running
      spawn_session(fd);
    }
  }
  ~Server() {
    for (std::thread &t : sessions_)
      t.join();
  }

private:
  void spawn_session(int fd) { sessions_.emplace_back(serve, fd); }
  std::vector<std::thread> sessions_;
};

// --- Negatives -------------------------------------------------------------

// The handler waits for its thread: one at a time.
void handle_and_wait(int fd) {
  std::thread t(serve, fd);
  t.join();
}

void accept_serially() {
  for (;;)
    handle_and_wait(accept_connection());
}

// The loop takes a slot before each call: bounded.
std::counting_semaphore<64> slots(64);

void handle_in_slot(int fd) {
  std::thread([fd] {
    serve(fd);
    slots.release();
  }).detach();
}

void accept_bounded() {
  for (;;) {
    slots.acquire();
    handle_in_slot(accept_connection());
  }
}

// A callee that starts nothing.
void accept_logging(const std::vector<std::string> &lines) {
  for (const std::string &line : lines)
    log_request(line);
}

// A pool sized by its caller, filled through a helper: n workers kept in a
// member, a set size, not one per request.
class Pool {
public:
  explicit Pool(int n) {
    for (int i = 0; i < n; ++i)
      add_worker();
  }
  ~Pool() {
    for (std::thread &t : workers_)
      t.join();
  }

private:
  void add_worker() { workers_.emplace_back([] { serve(-1); }); }
  std::vector<std::thread> workers_;
};
