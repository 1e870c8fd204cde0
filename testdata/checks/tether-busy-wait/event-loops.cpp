// C event loops. One round of libuv's uv_run, libevent's event_base_loop or
// GLib's g_main_context_iteration waits in the poller for the next event:
// a loop around it that then checks a queue sleeps between its checks (a
// fiber scheduler's idle loop on libuv). Told not to wait (UV_RUN_NOWAIT,
// EVLOOP_NONBLOCK, may_block FALSE) the round only handles what is ready,
// and a loop around it that waits for a flag spins.
// REQUIRES: libuv, libevent
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>

#include <event2/event.h>
#include <uv.h>

class Scheduler {
public:
  // Runs the loop until a fiber is ready: each uv_run(UV_RUN_ONCE) blocks
  // until a timer or an async handle fires.
  void wait_for_ready_fiber() {
    while (true) {
      uv_run(loop_, UV_RUN_ONCE);
      std::lock_guard<std::mutex> lock(mutex_);
      if (!ready_.empty())
        return;
    }
  }

  // Drives the loop without waiting while nothing is ready: a spin.
  void spin_for_ready_fiber() {
    // CHECK: :[[@LINE+1]]:5: warning: loop polls 'uv_run' without blocking
    while (true) {
      uv_run(loop_, UV_RUN_NOWAIT);
      std::lock_guard<std::mutex> lock(mutex_);
      if (!ready_.empty())
        return;
    }
  }

private:
  uv_loop_t *loop_ = uv_default_loop();
  std::mutex mutex_;
  std::deque<std::function<void()>> ready_;
};

// libevent: one blocking round per check of the stop flag.
void serve(event_base *base, std::atomic<bool> &stop) {
  while (!stop.load())
    event_base_loop(base, EVLOOP_ONCE);
}

// Non-blocking rounds until the stop flag is raised: a spin.
void serve_nonblocking(event_base *base, std::atomic<bool> &stop) {
  // CHECK: :[[@LINE+1]]:3: warning: loop polls 'event_base_loop' without blocking
  while (!stop.load())
    event_base_loop(base, EVLOOP_NONBLOCK);
}
