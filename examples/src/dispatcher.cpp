#include "courier/dispatcher.h"

#include "courier/log.h"

#include <algorithm>
#include <exception>
#include <string>

namespace courier {

using namespace std::chrono_literals;

Dispatcher::Dispatcher(CourierRegistry& registry, std::size_t workers)
    : registry_(registry), worker_count_(std::max<std::size_t>(workers, 1)) {}

Dispatcher::~Dispatcher() { wait(); }

void Dispatcher::start(Channel<Order>& orders, Channel<Assignment>& assignments) {
  assignments_ = &assignments;
  workers_.reserve(worker_count_);
  for (std::size_t i = 0; i < worker_count_; ++i) {
    workers_.emplace_back([this, &orders, &assignments] {
      try {
        work(orders, assignments);
      } catch (const std::exception& e) {
        log("dispatcher", std::string("worker stopped: ") + e.what());
      }
    });
  }
}

void Dispatcher::wait() {
  for (std::thread& w : workers_)
    if (w.joinable()) w.join();
  workers_.clear();
  if (assignments_ != nullptr) {
    assignments_->close();
    assignments_ = nullptr;
  }
}

void Dispatcher::work(Channel<Order>& orders, Channel<Assignment>& assignments) {
  Order order;
  while (orders.receive(order)) {  // ends when intake closes and we drained it
    if (auto claim = claim_courier(order)) {
      assignments.send(Assignment{std::move(order), claim->courier, claim->pickup_km});
      assigned_.fetch_add(1);
    } else {
      unassigned_.fetch_add(1);
      log("dispatcher", "no courier for order " + std::to_string(order.id));
    }
  }
}

std::optional<Claim> Dispatcher::claim_courier(const Order& order) {
  // Everybody busy is normal at peak: retry with exponential backoff, then
  // give up and let the order go back to the support queue.
  constexpr int kAttempts = 8;
  auto backoff = 5ms;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (auto claim = registry_.claim_nearest(order)) return claim;
    std::this_thread::sleep_for(backoff);
    backoff = std::min(backoff * 2, 200ms);
  }
  return std::nullopt;
}

HealthReporter::HealthReporter(const Dispatcher& dispatcher, const CourierRegistry& registry,
                               std::chrono::milliseconds every)
    : dispatcher_(dispatcher), registry_(registry), every_(every) {}

HealthReporter::~HealthReporter() {
  // Review: `thread_` is never joined. Destroying a joinable std::thread calls
  // std::terminate, so every shutdown with health reporting on crashes. Join
  // it here after clearing `running_`, or make it a std::jthread whose loop
  // watches its stop_token.
  running_.store(false);
}

void HealthReporter::start() {
  running_.store(true);
  thread_ = std::thread([this] { loop(); });
}

void HealthReporter::loop() {
  while (running_.load()) {
    log("health", "assigned=" + std::to_string(dispatcher_.assigned()) +
                      " unassigned=" + std::to_string(dispatcher_.unassigned()) +
                      " couriers_free=" + std::to_string(registry_.available()));
    std::this_thread::sleep_for(every_);
  }
}

}  // namespace courier
