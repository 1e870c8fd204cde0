// A flag that only a POSIX signal handler sets can only be polled: a handler
// may not lock a mutex or notify a condition variable (neither is
// async-signal-safe), so a program's main loop that checks its shutdown flag
// between naps waits the only way it can. A flag another thread sets, or one
// a handler sets and a thread sets too, is still a sleep between polls.
// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <chrono>
#include <csignal>
#include <signal.h>
#include <thread>

void serve_forever();
void flush_logs();

// --- Only a handler writes the flag: silent --------------------------------

std::atomic<bool> g_running{true};

void on_signal(int) { g_running.store(false, std::memory_order_release); }

int run_service() {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::thread server(serve_forever);
  server.detach();
  while (g_running.load(std::memory_order_acquire))
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  flush_logs();
  return 0;
}

// The classic C spelling: a volatile sig_atomic_t set through sigaction.
volatile std::sig_atomic_t g_stop = 0;

extern "C" void handle_term(int) { g_stop = 1; }

int run_daemon() {
  struct sigaction sa {};
  sa.sa_handler = handle_term;
  sigaction(SIGTERM, &sa, nullptr);
  while (!g_stop)
    std::this_thread::sleep_for(std::chrono::seconds(1));
  return 0;
}

// A lambda installed as the handler.
std::atomic<int> g_hangups{0};

void reload_on_hangup() {
  std::signal(SIGHUP, [](int) { g_hangups.fetch_add(1); });
  while (g_hangups.load() == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
}

// --- Another thread writes the flag: reported -------------------------------

std::atomic<bool> g_ready{false};

void on_usr1(int) { g_ready = true; }

void warm_up() {
  std::signal(SIGUSR1, on_usr1);
  std::thread loader([] {
    flush_logs();
    g_ready = true; // also set by the loader thread: it could notify
  });
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'g_ready.load'
  while (!g_ready.load())
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  loader.join();
}

// Written by a function nobody installs as a handler.
std::atomic<bool> g_done{false};

void finish() { g_done = true; }

void wait_finished() {
  std::thread worker(finish);
  // CHECK: :[[@LINE+1]]:3: warning: loop waits for another thread by sleeping between checks of 'g_done.load'
  while (!g_done)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  worker.join();
}
