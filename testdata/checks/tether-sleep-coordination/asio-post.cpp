// asio::post, dispatch and defer hand work to an executor's threads: a task
// started like any other, and a sleep after it is a guess.
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-sleep-coordination' %s -- %libcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>
#include <chrono>
#include <thread>

using namespace std::chrono_literals;

int compute();
void use(int v);


void post_then_sleep(asio::thread_pool &pool) {
  int result = 0;
  // CHECK: :[[@LINE+2]]:3: warning: sleep used to wait for the task: nothing guarantees it got there when the sleep ends, so what is read next races with it
  asio::post(pool, [&result] { result = compute(); });
  std::this_thread::sleep_for(100ms);
  use(result);
}

// Posting and then waiting for the pool: no sleep, nothing to report.
void post_then_join(asio::thread_pool &pool) {
  int result = 0;
  asio::post(pool, [&result] { result = compute(); });
  pool.join();
  use(result);
}
