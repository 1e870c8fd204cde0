// A detached "stopper" thread whose last step stops the event loop its
// spawner then runs (`std::thread([] { sleep; sched.Stop(); }).detach();
// sched.Start();`): the spawner's run returns only after the thread's last
// step, as with io_context's stop() and run(). The loop may be a global, a
// singleton or a local the closure captures by reference. A thread that
// runs the loop itself, or stops a loop nobody runs after it, is still
// ownerless. libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

// A project's own scheduler, defined in its library: Start() runs tasks
// until Stop() is called.
class Scheduler {
public:
  static Scheduler &getInstance();
  void Post(std::function<void()> f);
  void Start();
  void Stop();
};

#define sched Scheduler::getInstance()

class EventLoop {
public:
  void exec() {
    while (!quit_.load())
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  void quit() { quit_ = true; }

private:
  std::atomic<bool> quit_{false};
};

Scheduler g_workers;

int run_for_a_while() {
  sched.Post([] {});
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    sched.Stop();
  }).detach();
  sched.Start();
  return 0;
}

int run_global_until_done() {
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    g_workers.Stop();
  }).detach();
  g_workers.Start();
  return 0;
}

int run_local_loop() {
  EventLoop loop;
  std::thread([&loop] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    loop.quit();
  }).detach();
  loop.exec();
  return 0;
}

int run_in_background() {
  std::thread t([] { sched.Start(); });
  t.detach();
  // CHECK: :[[@LINE-1]]:5: warning: thread 't' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return 0;
}

int stop_after_the_loop_ran() {
  g_workers.Start();
  std::thread([] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    g_workers.Stop();
  }).detach();
  // CHECK: :[[@LINE-1]]:6: warning: temporary thread is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  return 0;
}
