#pragma once

#include "courier/types.h"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace courier {

// Emails a receipt per delivered order and keeps the billing gateway session
// alive. One upload per batch; receipts are rendered in parallel.
class ReceiptMailer {
 public:
  explicit ReceiptMailer(std::size_t render_threads);

  // Renders and sends a receipt for each order; returns when all are sent.
  void send_all(const std::vector<Order>& delivered);

  // Renders a fixed batch on the render pool and waits for it.
  void render_batch(const std::vector<Order>& batch);

  // Keeps the billing gateway session open until stop() is called.
  void keep_gateway_alive();
  void stop() { stopping_ = true; }

 private:
  void send_one(const Order& order);
  static std::string render(const Order& order);
  void open_gateway_session();

  std::size_t render_threads_;
  std::atomic<bool> stopping_{false};

  // Review: counts renders still in flight for render_batch(), with mu_ and
  // idle_ as a hand-rolled wait group; a std::latch per slice says it.
  std::mutex mu_;
  std::condition_variable idle_;
  std::size_t rendering_ = 0;
};

}  // namespace courier
