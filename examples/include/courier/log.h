#pragma once

#include <iostream>
#include <mutex>
#include <string_view>

namespace courier {

// One line per call, never interleaved between threads.
inline void log(std::string_view component, std::string_view message) {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::clog << '[' << component << "] " << message << '\n';
}

}  // namespace courier
