#include "courier/receipts.h"

#include "courier/log.h"

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

namespace courier {

using namespace std::chrono_literals;

ReceiptMailer::ReceiptMailer(std::size_t render_threads)
    : render_threads_(render_threads == 0 ? 1 : render_threads) {}

std::string ReceiptMailer::render(const Order& order) {
  return "Receipt for order " + std::to_string(order.id) + ": " +
         std::to_string(order.fare);
}

void ReceiptMailer::send_one(const Order& order) {
  log("receipts", "to " + order.customer + ": " + render(order));
}

void ReceiptMailer::send_all(const std::vector<Order>& delivered) {
  std::vector<std::thread> senders;
  senders.reserve(delivered.size());
  // Review: one thread per delivered order: a busy evening starts thousands.
  for (const Order& order : delivered)
    senders.emplace_back([this, &order] { send_one(order); });
  for (std::thread& t : senders) t.join();
}

void ReceiptMailer::render_batch(const std::vector<Order>& batch) {
  // The render pool is sized by render_threads_, and each slice is joined
  // before the next: bounded.
  for (std::size_t start = 0; start < batch.size(); start += render_threads_) {
    std::vector<std::thread> slice;
    for (std::size_t i = start; i < batch.size() && i < start + render_threads_; ++i) {
      {
        std::lock_guard lock(mu_);
        ++rendering_;
      }
      slice.emplace_back([this, &batch, i] {
        log("receipts", render(batch[i]));
        std::lock_guard lock(mu_);
        --rendering_;
        idle_.notify_all();
      });
    }
    std::unique_lock lock(mu_);
    idle_.wait(lock, [this] { return rendering_ == 0; });
    lock.unlock();
    for (std::thread& t : slice) t.join();
  }
}

void ReceiptMailer::open_gateway_session() {
  if (render_threads_ > 64) throw std::runtime_error("gateway refused session");
  std::this_thread::sleep_for(10ms);
}

void ReceiptMailer::keep_gateway_alive() {
  while (!stopping_) {
    try {
      open_gateway_session();
    } catch (const std::exception& e) {
      // Review: reconnects at once: a gateway that is down gets hammered.
      log("receipts", std::string("gateway: ") + e.what());
    }
  }
}

}  // namespace courier
