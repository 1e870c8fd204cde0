// Where every courier is and whether they can take a job. Shared by the
// position refresher (writes) and the dispatcher workers (claims).
#pragma once

#include "courier/types.h"

#include <chrono>
#include <cstddef>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

namespace courier {

struct Claim {
  CourierId courier = 0;
  double pickup_km = 0.0;
};

class CourierRegistry {
 public:
  using Clock = std::chrono::steady_clock;

  // Simulated travel time per kilometre; a claimed courier is busy for the
  // whole trip (to the pickup and on to the drop-off).
  explicit CourierRegistry(Clock::duration per_km = std::chrono::milliseconds(2));

  void upsert(CourierId id, Position where);

  // Claims the nearest courier that is free and has reported recently.
  std::optional<Claim> claim_nearest(const Order& order);

  // Couriers not heard from within max_age stop receiving jobs until their
  // next position update. Returns how many were newly marked stale.
  std::size_t mark_stale(Clock::duration max_age);

  std::vector<CourierId> ids() const;
  std::size_t available() const;

 private:
  struct Entry {
    Position where;
    Clock::time_point seen;
    Clock::time_point busy_until;
    bool stale = false;
  };

  Clock::duration per_km_;
  mutable std::mutex mu_;
  std::unordered_map<CourierId, Entry> couriers_;
};

}  // namespace courier
