// Delivery notifications: turns assignments into an SMS for the customer and
// a push for the courier, and the gateways that send them out.
#pragma once

#include "courier/channel.h"
#include "courier/types.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace courier {

// Delivery receipts for accounting (slow object storage in production).
class ReceiptArchive {
 public:
  void store(std::string receipt);
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> receipts_;
};

class Notifier {
 public:
  Notifier(ReceiptArchive& archive, bool archive_receipts);

  // Drains `assignments` (closed by the dispatcher), fans out to the two
  // outboxes, and closes both outboxes, which it alone sends on.
  std::size_t run(Channel<Assignment>& assignments, Channel<Notification>& sms,
                  Channel<Notification>& pushes);

 private:
  void archive_receipt(const Assignment& a);

  ReceiptArchive& archive_;
  const bool archive_receipts_;
};

// Customer SMS, one provider call per message.
class SmsGateway {
 public:
  // Sends until the outbox is closed and drained.
  std::size_t run(Channel<Notification>& outbox);

  // Trial accounts: the provider only lets us send `quota` messages.
  std::size_t run_trial(Channel<Notification>& outbox, std::size_t quota);

  std::size_t sent() const { return sent_.load(); }

 private:
  void deliver(const Notification& n);

  std::atomic<std::size_t> sent_{0};
};

// Courier app pushes; the push provider bills per request, so batch them.
class CourierPushBatcher {
 public:
  CourierPushBatcher(std::size_t max_batch, std::chrono::milliseconds max_delay);

  // Batches whatever is already queued behind a blocking receive.
  std::size_t run(Channel<Notification>& pushes);

  // Batches by size or by time window, whichever fills first.
  std::size_t run_windowed(Channel<Notification>& pushes);

  std::size_t batches() const { return batches_.load(); }

 private:
  void flush(std::vector<Notification>& batch);

  const std::size_t max_batch_;
  const std::chrono::milliseconds max_delay_;
  std::atomic<std::size_t> batches_{0};
  std::atomic<std::size_t> pushed_{0};
};

}  // namespace courier
