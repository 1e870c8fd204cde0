#include "courier/eta.h"

#include <boost/fiber/all.hpp>

#include <cstddef>
#include <functional>

namespace courier {

namespace {

constexpr double kAverageSpeedKmPerMinute = 0.4;

void feed(boost::fibers::buffered_channel<double>& out,
          const std::vector<double>& distances_km) {
  for (double d : distances_km) out.push(d);
  out.close();  // the only sender closes: the estimator's loop ends
}

void estimate(boost::fibers::buffered_channel<double>& in,
              std::vector<double>& minutes) {
  double d = 0;
  while (in.pop(d) == boost::fibers::channel_op_status::success)
    minutes.push_back(d / kAverageSpeedKmPerMinute);
}

// Asks the tile service for one tile of the traffic map.
boost::fibers::future<int> request_tile(int tile) {
  return boost::fibers::async([tile] { return tile * 2; });
}

int cached_tiles = 0;

void load_traffic_tiles() {
  // Waits for each tile however long the tile service takes.
  for (int tile = 0; tile < 16; ++tile) cached_tiles += request_tile(tile).get();
}

}  // namespace

std::vector<double> estimate_eta_minutes(const std::vector<double>& distances_km) {
  boost::fibers::buffered_channel<double> distances(64);
  std::vector<double> minutes;
  minutes.reserve(distances_km.size());
  boost::fibers::fiber producer(feed, std::ref(distances), std::cref(distances_km));
  boost::fibers::fiber estimator(estimate, std::ref(distances), std::ref(minutes));
  producer.join();
  estimator.join();
  return minutes;
}

void warm_traffic_model() {
  boost::fibers::fiber warmup(load_traffic_tiles);
  // Review: a detached fiber: nothing waits for the warm-up, and this thread
  // cannot exit until it ends, which a stalled tile service postpones
  // forever (keep it and join it, or give each wait a deadline).
  warmup.detach();
}

}  // namespace courier
