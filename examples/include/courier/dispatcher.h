// Dispatcher: a fixed pool of workers that take orders off the order channel,
// claim the nearest free courier, and publish assignments.
#pragma once

#include "courier/channel.h"
#include "courier/courier_registry.h"
#include "courier/types.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <thread>
#include <vector>

namespace courier {

class Dispatcher {
 public:
  Dispatcher(CourierRegistry& registry, std::size_t workers);
  ~Dispatcher();  // wait()s
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  void start(Channel<Order>& orders, Channel<Assignment>& assignments);

  // Returns once the order channel is drained and every worker has exited,
  // then closes `assignments`: the workers are its only senders, so only the
  // pool, after all of them are done, may close it.
  void wait();

  std::size_t assigned() const { return assigned_.load(); }
  std::size_t unassigned() const { return unassigned_.load(); }

 private:
  void work(Channel<Order>& orders, Channel<Assignment>& assignments);
  std::optional<Claim> claim_courier(const Order& order);

  CourierRegistry& registry_;
  const std::size_t worker_count_;
  std::vector<std::thread> workers_;
  Channel<Assignment>* assignments_ = nullptr;
  std::atomic<std::size_t> assigned_{0};
  std::atomic<std::size_t> unassigned_{0};
};

// Periodically logs dispatcher throughput for the ops dashboard.
class HealthReporter {
 public:
  HealthReporter(const Dispatcher& dispatcher, const CourierRegistry& registry,
                 std::chrono::milliseconds every);
  ~HealthReporter();

  void start();

 private:
  void loop();

  const Dispatcher& dispatcher_;
  const CourierRegistry& registry_;
  const std::chrono::milliseconds every_;
  std::atomic<bool> running_{false};
  std::thread thread_;
};

}  // namespace courier
