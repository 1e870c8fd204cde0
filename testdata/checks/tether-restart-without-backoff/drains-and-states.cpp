// A restart is the same work started again, with nothing changed, right
// after it failed. A loop that takes the next item each round (a pop, a
// next(), a message) and hands a failure on moves on to other work; a loop
// whose handler turns the failure into the state the next round acts on is a
// state machine. Neither restarts anything.
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct Job {
  std::function<void()> work;
  std::promise<void> done;
};

// A queue of the project's own, whose pop() may or may not block: tether
// cannot see its body.
class JobQueue {
public:
  bool next(Job &out);
  Job take();
  bool closed() const;
};

void log_failure(const std::exception &e);

class Executor {
public:
  // The loop's condition hands it the next job: a drain, not a retry.
  void drain() {
    Job job;
    while (queue_.next(job)) {
      try {
        job.work();
        job.done.set_value();
      } catch (...) {
        job.done.set_exception(std::current_exception());
      }
    }
  }

  // The next job is taken at the top of each round, outside the try.
  void run() {
    while (running_) {
      Job job = queue_.take();
      try {
        job.work();
      } catch (const std::exception &e) {
        log_failure(e);
      }
    }
  }

  // The same, with the item assigned to a variable of the loop.
  void run_assigned() {
    Job job;
    while (!queue_.closed()) {
      job = queue_.take();
      try {
        job.work();
      } catch (...) {
        on_error_();
      }
    }
  }

private:
  JobQueue queue_;
  std::atomic<bool> running_{true};
  std::function<void()> on_error_;
};

// A connection's state machine: the handler moves it to the state the next
// round acts on.
enum class Phase { Connect, Handshake, Stream, Backoff, Done };
void connect_upstream();
void handshake();
bool stream_batch();
void wait_a_little();

void session() {
  Phase phase = Phase::Connect;
  while (phase != Phase::Done) {
    try {
      switch (phase) {
      case Phase::Connect:
        connect_upstream();
        phase = Phase::Handshake;
        break;
      case Phase::Handshake:
        handshake();
        phase = Phase::Stream;
        break;
      case Phase::Stream:
        if (!stream_batch())
          phase = Phase::Done;
        break;
      case Phase::Backoff:
        wait_a_little();
        phase = Phase::Connect;
        break;
      case Phase::Done:
        break;
      }
    } catch (const std::exception &) {
      phase = Phase::Backoff;
    }
  }
}

// --- Still restarts --------------------------------------------------------

void run_service();
void report(const std::exception &e);

// Nothing changes between attempts: the same call, at once.
void supervise(std::atomic<bool> &running) {
  while (running) {
    try {
      run_service();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'run_service' as soon as it fails, with no delay
    } catch (const std::exception &e) {
      report(e);
    }
  }
}

// The handler writes a counter nobody reads: the same work again.
void supervise_counting(std::atomic<bool> &running) {
  int failures = 0;
  while (running) {
    try {
      run_service();
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'run_service' as soon as it fails, with no delay
    } catch (...) {
      ++failures;
    }
  }
}

// An RPC client's read loop: each reply is decoded from what the condition
// unpacked, and a failed reply is handed to its caller's promise.
struct Reply {
  bool failed() const;
  void deliver();
};
Reply decode(Job &&raw);

class Client {
public:
  void on_read() {
    Job raw;
    while (queue_.next(raw)) {
      auto reply = decode(std::move(raw));
      try {
        if (reply.failed())
          throw std::runtime_error("call failed");
        reply.deliver();
      } catch (...) {
        raw.done.set_exception(std::current_exception());
      }
    }
  }

private:
  JobQueue queue_;
};
