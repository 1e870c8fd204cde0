#include "courier/surge_monitor.h"

#include "courier/log.h"

#include <stdexcept>
#include <string>

namespace courier {

using namespace std::chrono_literals;

SurgeMonitor::SurgeMonitor()
    : sampler_([this] {
        // Review: the loop never looks at a stop token and nothing lowers
        // sampling_, so ~jthread waits forever.
        while (sampling_) {
          sample();
          std::this_thread::sleep_for(50ms);
        }
      }) {}

void SurgeMonitor::sample() {
  std::lock_guard lock(mu_);
  multiplier_ = multiplier_ > 1.4 ? 1.0 : multiplier_ + 0.1;
}

double SurgeMonitor::multiplier() const {
  std::lock_guard lock(mu_);
  return multiplier_;
}

TariffCache::TariffCache()
    : refresher_([this](std::stop_token stop) {
        while (!stop.stop_requested()) {
          base_fare_.store(4.5);
          std::this_thread::sleep_for(20ms);
        }
      }) {}

double replay_missed_fares(const std::vector<std::string>& lines) {
  double total = 0.0;
  // Review: std::stod throws on a corrupt line and nothing in the thread
  // catches it: std::terminate.
  std::thread replay([&lines, &total] {
    for (const std::string& line : lines)
      total += std::stod(line);
  });
  replay.join();
  return total;
}

double replay_missed_fares_safely(const std::vector<std::string>& lines) {
  double total = 0.0;
  std::thread replay([&lines, &total] {
    for (const std::string& line : lines) {
      try {
        total += std::stod(line);
      } catch (const std::exception& e) {
        log("replay", std::string("skipping corrupt fare: ") + e.what());
      }
    }
  });
  replay.join();
  return total;
}

// Used by the nightly reconciliation job.
double replay_missed_fares_quietly(const std::vector<std::string>& lines) {
  double total = 0.0;
  std::thread replay([&lines, &total] {
    for (const std::string& line : lines) {
      try {
        total += std::stod(line);
        // Review: tether-swallowed-exception: a corrupt line vanishes without
        // a trace. Nothing logs or counts it, so the total is silently low
        // and nobody learns why.
      } catch (...) {
        continue;
      }
    }
  });
  replay.join();
  return total;
}

}  // namespace courier
