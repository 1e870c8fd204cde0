// A custom Asio operation that runs blocking work on a detached thread and
// hands the completion handler it was given back to an executor: the
// awaiting coroutine learns the thread is done, and the thread ends by
// itself. A thread that never completes its handler, or that only runs a
// callable it was handed (which is the work, not its completion), is
// reported as before.
// REQUIRES: asio, boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DASIO_STANDALONE -DASIO_HAS_CO_AWAIT -DASIO_HAS_STD_COROUTINE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx -DUSE_BOOST_ASIO | FileCheck %s --implicit-check-not='warning:'

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <system_error>
#include <thread>
#include <utility>

#include "../Inputs/asio-net.h"

using net::use_awaitable;
#ifdef USE_BOOST_ASIO
using error_code = boost::system::error_code;
#else
using error_code = asio::error_code;
#endif

int checksum_file(const std::string &path);

// The initiation starts a thread per call and posts the handler, with the
// result, to the handler's executor when the work is done.
template <typename CompletionToken>
auto async_checksum(std::string path, CompletionToken &&token) {
  auto initiation = [](auto &&handler, std::string path) {
    std::thread worker([h = std::move(handler), path]() mutable {
      int sum = checksum_file(path);
      auto ex = net::get_associated_executor(h);
      net::post(ex, [h = std::move(h), sum]() mutable {
        std::move(h)(error_code{}, sum);
      });
    });
    worker.detach();
  };
  return net::async_initiate<CompletionToken, void(error_code, int)>(
      initiation, token, std::move(path));
}

awaitable<int> checksum_both(std::string a, std::string b) {
  int x = co_await async_checksum(a, use_awaitable);
  int y = co_await async_checksum(b, use_awaitable);
  co_return x ^ y;
}

// The same with dispatch, in a class-based initiation.
struct resolve_initiation {
  template <typename Handler>
  void operator()(Handler &&handler, std::string host) const {
    std::thread([h = std::forward<Handler>(handler), host]() mutable {
      std::string address = host + ".local";
      net::dispatch(net::get_associated_executor(h),
                    [h = std::move(h), address]() mutable {
                      std::move(h)(error_code{}, address);
                    });
    }).detach();
  }
};

template <typename CompletionToken>
auto async_resolve_slowly(std::string host, CompletionToken &&token) {
  return net::async_initiate<CompletionToken, void(error_code, std::string)>(
      resolve_initiation{}, token, std::move(host));
}

awaitable<void> print_address(std::string host) {
  std::string address = co_await async_resolve_slowly(host, use_awaitable);
  std::puts(address.c_str());
}

// An initiation whose thread polls forever and never completes the handler:
// nothing ends it, and nobody is told.
template <typename CompletionToken>
auto async_watch(std::string path, CompletionToken &&token) {
  auto initiation = [](auto &&handler, std::string path) {
    std::thread watcher([h = std::move(handler), path]() mutable {
      for (;;) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        std::printf("%d\n", checksum_file(path));
      }
    });
    // CHECK-DAG: :[[@LINE+1]]:13: warning: thread 'watcher' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    watcher.detach();
  };
  return net::async_initiate<CompletionToken, void(error_code)>(
      initiation, token, std::move(path));
}

awaitable<void> watch(std::string path) {
  co_await async_watch(path, use_awaitable);
}

// A thread that calls a callback it was handed in place, after a job that
// loops forever: a call in place is not taken as word of the end (it may be
// the work itself), and the job never ends anyway.
void start_feed(std::function<void(int)> on_tick) {
  std::thread([on_tick] {
    for (int n = 0;; ++n) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      on_tick(n);
    }
    // CHECK-DAG: :[[@LINE+1]]:6: warning: temporary thread is detached
  }).detach();
}
