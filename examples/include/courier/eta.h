// Delivery time estimates, computed on Boost.Fiber fibers: cheap tasks, one
// per stage, that still need an owner like any thread.
#pragma once

#include <vector>

namespace courier {

// Minutes to deliver each order, from its distance in kilometres: a
// producer fiber feeds the distances through a channel to an estimator
// fiber; both are joined before the result is returned.
std::vector<double> estimate_eta_minutes(const std::vector<double>& distances_km);

// Warms the traffic model the estimates use.
void warm_traffic_model();

}  // namespace courier
