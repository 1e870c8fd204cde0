#include "courier/courier_registry.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace courier {

double distance_km(Position a, Position b) {
  constexpr double kEarthRadiusKm = 6371.0;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) *
                       std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(h));
}

CourierRegistry::CourierRegistry(Clock::duration per_km) : per_km_(per_km) {}

void CourierRegistry::upsert(CourierId id, Position where) {
  std::lock_guard lock(mu_);
  Entry& e = couriers_[id];
  e.where = where;
  e.seen = Clock::now();
  e.stale = false;
}

std::optional<Claim> CourierRegistry::claim_nearest(const Order& order) {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  Entry* best = nullptr;
  Claim claim{0, std::numeric_limits<double>::infinity()};
  for (auto& [id, e] : couriers_) {
    if (e.stale || e.busy_until > now) continue;
    const double km = distance_km(e.where, order.pickup);
    if (km < claim.pickup_km) {
      best = &e;
      claim = {id, km};
    }
  }
  if (best == nullptr) return std::nullopt;
  const double trip_km = claim.pickup_km + distance_km(order.pickup, order.dropoff);
  best->busy_until =
      now + std::chrono::duration_cast<Clock::duration>(per_km_ * trip_km);
  best->where = order.dropoff;
  return claim;
}

std::size_t CourierRegistry::mark_stale(Clock::duration max_age) {
  const auto cutoff = Clock::now() - max_age;
  std::lock_guard lock(mu_);
  std::size_t marked = 0;
  for (auto& [id, e] : couriers_) {
    if (!e.stale && e.seen < cutoff) {
      e.stale = true;
      ++marked;
    }
  }
  return marked;
}

std::vector<CourierId> CourierRegistry::ids() const {
  std::lock_guard lock(mu_);
  std::vector<CourierId> out;
  out.reserve(couriers_.size());
  for (const auto& [id, e] : couriers_) out.push_back(id);
  return out;
}

std::size_t CourierRegistry::available() const {
  const auto now = Clock::now();
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [id, e] : couriers_)
    if (!e.stale && e.busy_until <= now) ++n;
  return n;
}

}  // namespace courier
