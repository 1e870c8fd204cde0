// A third-party header included with -isystem: tether reports nothing in it.
#pragma once
#include <thread>
#include <utility>
namespace vendor {
template <typename Fn> void post(Fn fn) { std::thread(std::move(fn)).detach(); }
} // namespace vendor
