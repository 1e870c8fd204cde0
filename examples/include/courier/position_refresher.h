// Keeps CourierRegistry positions fresh from the couriers' GPS feed.
#pragma once

#include "courier/courier_registry.h"
#include "courier/types.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <random>
#include <stop_token>
#include <thread>
#include <utility>
#include <vector>

namespace courier {

// Stand-in for the GPS gateway: every poll moves each courier a little.
class PositionFeed {
 public:
  PositionFeed(std::vector<CourierId> couriers, Position centre);

  std::vector<std::pair<CourierId, Position>> poll();

  bool connected() const { return connected_.load(); }
  void disconnect() { connected_.store(false); }

 private:
  std::mutex mu_;
  std::minstd_rand rng_{42};
  std::vector<std::pair<CourierId, Position>> last_;
  std::atomic<bool> connected_{true};
};

class PositionRefresher {
 public:
  PositionRefresher(CourierRegistry& registry, PositionFeed& feed,
                    std::chrono::milliseconds period);

  void start();
  // Idempotent; also done by the destructor (std::jthread requests stop and
  // joins).
  void stop();

  std::size_t refreshes() const { return refreshes_.load(); }

 private:
  void run(std::stop_token stop);
  void refresh_once();

  CourierRegistry& registry_;
  PositionFeed& feed_;
  const std::chrono::milliseconds period_;
  std::atomic<std::size_t> refreshes_{0};
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::jthread worker_;  // last: stopped and joined before the members above go
};

// Older synchronisation path, kept for the GPS vendor that has no push API.
void start_legacy_position_sync(CourierRegistry& registry, PositionFeed& feed);

// Takes couriers whose phones went quiet out of the dispatch rotation.
// Warms the map tiles for a zone in the background, as part of a refresh
// that can be cancelled with `stop`.
void start_tile_warmup(std::stop_token stop, std::vector<std::jthread>& helpers);

std::jthread start_stale_sweeper(CourierRegistry& registry,
                                 std::chrono::milliseconds max_age);

}  // namespace courier
