#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace courier {

// Samples dispatch load and derives the surge multiplier applied to fares.
class SurgeMonitor {
 public:
  SurgeMonitor();
  double multiplier() const;

 private:
  void sample();
  mutable std::mutex mu_;
  double multiplier_ = 1.0;
  std::atomic<bool> sampling_{true};
  std::jthread sampler_;
};

// Keeps the tariff table fresh; stops when destroyed.
class TariffCache {
 public:
  TariffCache();
  double base_fare() const { return base_fare_.load(); }

 private:
  std::atomic<double> base_fare_{4.5};
  std::jthread refresher_;
};

// Replays fares that a previous run could not charge (one line per fare).
double replay_missed_fares(const std::vector<std::string>& lines);
double replay_missed_fares_safely(const std::vector<std::string>& lines);

}  // namespace courier
