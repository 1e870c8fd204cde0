#include "courier/position_refresher.h"

#include "courier/log.h"

#include <string>

namespace courier {

using namespace std::chrono_literals;

PositionFeed::PositionFeed(std::vector<CourierId> couriers, Position centre) {
  std::uniform_real_distribution<double> spread(-0.03, 0.03);
  for (CourierId id : couriers)
    last_.emplace_back(id, Position{centre.lat + spread(rng_), centre.lon + spread(rng_)});
}

std::vector<std::pair<CourierId, Position>> PositionFeed::poll() {
  std::uniform_real_distribution<double> step(-0.001, 0.001);
  std::lock_guard lock(mu_);
  for (auto& [id, where] : last_) {
    where.lat += step(rng_);
    where.lon += step(rng_);
  }
  return last_;
}

PositionRefresher::PositionRefresher(CourierRegistry& registry, PositionFeed& feed,
                                     std::chrono::milliseconds period)
    : registry_(registry), feed_(feed), period_(period) {}

void PositionRefresher::start() {
  if (worker_.joinable()) return;
  refresh_once();  // the dispatcher should never see an empty registry
  worker_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void PositionRefresher::stop() {
  if (!worker_.joinable()) return;
  worker_.request_stop();
  worker_.join();
}

void PositionRefresher::run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    refresh_once();
    // Sleep one period, but wake at once when stop is requested.
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, stop, period_, [] { return false; });
  }
}

void PositionRefresher::refresh_once() {
  for (const auto& [id, where] : feed_.poll()) registry_.upsert(id, where);
  refreshes_.fetch_add(1);
}

void start_legacy_position_sync(CourierRegistry& registry, PositionFeed& feed) {
  // Review: detached, so nothing can stop this sync at shutdown or wait for it:
  // it keeps writing into `registry` after main() has destroyed it. Keep it in
  // a std::jthread member with a stop_token loop, as PositionRefresher does.
  std::thread([&registry, &feed] {
    while (feed.connected()) {
      for (const auto& [id, where] : feed.poll()) registry.upsert(id, where);
      std::this_thread::sleep_for(250ms);
    }
  }).detach();
  log("positions", "legacy sync started");
}

std::jthread start_stale_sweeper(CourierRegistry& registry,
                                 std::chrono::milliseconds max_age) {
  return std::jthread([&registry, max_age](std::stop_token) {
    // Review: this loop never looks at the stop_token and has no way out, so
    // the jthread's destructor (request_stop + join) hangs shutdown forever.
    // Loop on `while (!stop.stop_requested())` and sleep with a
    // condition_variable_any wait that takes the token.
    while (true) {
      if (std::size_t n = registry.mark_stale(max_age); n > 0)
        log("positions", std::to_string(n) + " courier(s) went stale");
      std::this_thread::sleep_for(max_age / 2);
    }
  });
}

void warm_tiles();

// Review: the refresh is stop-aware, but the warm-up it starts is not handed
// `stop`: cancelling the refresh leaves the warm-up running until the helper
// list is torn down. Pass the token on (the jthread body can take it).
void start_tile_warmup(std::stop_token stop, std::vector<std::jthread>& helpers) {
  if (stop.stop_requested()) return;
  helpers.emplace_back([] { warm_tiles(); });
}

void warm_tiles() {}

}  // namespace courier
