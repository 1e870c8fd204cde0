// The work a supervisor restarts need not be called inside the try: a task
// started in the loop before the try and waited for inside it is started
// again on every failure, and so is the project's own coroutine awaited
// inside the try. Waiting for either is waiting for the work, not a pause.
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'

#include <asio/awaitable.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <thread>

int fetch_prices();
void publish(int prices);

// --- Positives -------------------------------------------------------------

void refresh_prices(std::atomic<bool> &running) {
  while (running) {
    auto job = std::async(std::launch::async, fetch_prices);
    try {
      publish(job.get());
    // CHECK-DAG: :[[@LINE+1]]:7: warning: the loop restarts the failed thread or task at once, with no delay
    } catch (const std::exception &e) {
      std::fprintf(stderr, "fetch failed: %s\n", e.what());
    }
  }
}

asio::awaitable<void> run_session() {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(std::chrono::seconds(30));
  co_await t.async_wait(asio::use_awaitable);
  throw std::runtime_error("session lost");
}

asio::awaitable<void> keep_session() {
  for (;;) {
    try {
      co_await run_session();
    // CHECK-DAG: :[[@LINE+1]]:7: warning: the loop restarts the failed thread or task at once, with no delay
    } catch (const std::exception &e) {
      std::fprintf(stderr, "session: %s\n", e.what());
    }
  }
}

// --- Negatives -------------------------------------------------------------

// A delay before the next start.
void refresh_prices_politely(std::atomic<bool> &running) {
  while (running) {
    auto job = std::async(std::launch::async, fetch_prices);
    try {
      publish(job.get());
    } catch (const std::exception &e) {
      std::fprintf(stderr, "fetch failed: %s\n", e.what());
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
}

// Awaiting a timer inside the try paces the loop: it is not the work.
asio::awaitable<void> tick() {
  asio::steady_timer t(co_await asio::this_coro::executor);
  for (;;) {
    try {
      t.expires_after(std::chrono::seconds(1));
      co_await t.async_wait(asio::use_awaitable);
      publish(0);
    } catch (const std::exception &) {
    }
  }
}
