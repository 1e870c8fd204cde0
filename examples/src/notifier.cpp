#include "courier/notifier.h"

#include "courier/log.h"

#include <cstdio>
#include <thread>
#include <utility>

namespace courier {

using namespace std::chrono_literals;

namespace {

std::string format_eta(const Assignment& a) {
  // City average: 3 minutes per kilometre to reach the pickup.
  char text[160];
  std::snprintf(text, sizeof text, "Hi %s, courier #%u is on the way, ETA %.0f min (fare %.2f EUR)",
                a.order.customer.c_str(), static_cast<unsigned>(a.courier),
                3.0 * a.pickup_km + 5.0, a.order.fare);
  return text;
}

std::string format_receipt(const Assignment& a) {
  return "order=" + std::to_string(a.order.id) + " courier=" + std::to_string(a.courier) +
         " fare=" + std::to_string(a.order.fare);
}

}  // namespace

void ReceiptArchive::store(std::string receipt) {
  std::this_thread::sleep_for(3ms);  // object storage PUT
  std::lock_guard lock(mu_);
  receipts_.push_back(std::move(receipt));
}

std::size_t ReceiptArchive::size() const {
  std::lock_guard lock(mu_);
  return receipts_.size();
}

Notifier::Notifier(ReceiptArchive& archive, bool archive_receipts)
    : archive_(archive), archive_receipts_(archive_receipts) {}

std::size_t Notifier::run(Channel<Assignment>& assignments, Channel<Notification>& sms,
                          Channel<Notification>& pushes) {
  std::size_t handled = 0;
  Assignment a;
  while (assignments.receive(a)) {
    sms.send(Notification{a.order.id, a.order.phone, format_eta(a)});
    pushes.send(Notification{a.order.id, "courier:" + std::to_string(a.courier),
                             "New job: order " + std::to_string(a.order.id)});
    // Review: archive_receipt() starts a detached thread per assignment, so
    // this loop fans out one archiver per message with nothing bounding how
    // many run at once.
    if (archive_receipts_) archive_receipt(a);
    ++handled;
  }
  // Both outboxes are ours: close them so the gateways finish.
  sms.close();
  pushes.close();
  return handled;
}

void Notifier::archive_receipt(const Assignment& a) {
  std::thread archiver([&archive = archive_, receipt = format_receipt(a)]() mutable {
    archive.store(std::move(receipt));
  });
  // Review: detached, so nothing bounds how many archivers pile up under load,
  // and at shutdown they race the destruction of `archive_` (receipts lost or
  // worse). Queue receipts to one archiver owned by this class (a Channel plus
  // a std::jthread) and drain it on shutdown.
  archiver.detach();
}

void SmsGateway::deliver(const Notification& n) {
  // Provider call goes here; the demo only counts.
  (void)n;
  sent_.fetch_add(1);
}

std::size_t SmsGateway::run(Channel<Notification>& outbox) {
  Notification n;
  while (outbox.receive(n)) deliver(n);
  return sent();
}

std::size_t SmsGateway::run_trial(Channel<Notification>& outbox, std::size_t quota) {
  std::size_t sent_here = 0;
  Notification n;
  while (sent_here < quota && outbox.receive(n)) {
    deliver(n);
    ++sent_here;
  }
  // Review: the gateway only receives from `outbox` but closes it; the
  // Notifier still sending on it gets channel_closed thrown in its thread
  // (std::terminate). Only the sender closes: tell the upstream to stop
  // (a std::stop_source it watches) and keep draining, or discard the rest.
  outbox.close();
  log("sms", "trial quota reached after " + std::to_string(sent_here) + " message(s)");
  return sent_here;
}

CourierPushBatcher::CourierPushBatcher(std::size_t max_batch, std::chrono::milliseconds max_delay)
    : max_batch_(max_batch), max_delay_(max_delay) {}

void CourierPushBatcher::flush(std::vector<Notification>& batch) {
  if (batch.empty()) return;
  pushed_.fetch_add(batch.size());
  batches_.fetch_add(1);
  batch.clear();
}

std::size_t CourierPushBatcher::run(Channel<Notification>& pushes) {
  std::vector<Notification> batch;
  Notification n;
  while (pushes.receive(n)) {  // block for the first one...
    batch.push_back(std::move(n));
    // ...then take whatever is already queued, up to a full batch.
    while (batch.size() < max_batch_ && pushes.try_receive(n)) batch.push_back(std::move(n));
    flush(batch);
  }
  return pushed_.load();
}

std::size_t CourierPushBatcher::run_windowed(Channel<Notification>& pushes) {
  using Clock = std::chrono::steady_clock;
  std::vector<Notification> batch;
  auto window_start = Clock::now();
  // Review: when the channel is empty this loop spins a whole core: nothing in
  // it blocks, sleeps or backs off. Block in receive() for the first message
  // of a batch and only poll for the rest (see run()), or add a receive with
  // a timeout to Channel.
  while (!pushes.drained()) {
    Notification n;
    if (pushes.try_receive(n)) {
      if (batch.empty()) window_start = Clock::now();
      batch.push_back(std::move(n));
      if (batch.size() >= max_batch_) flush(batch);
      continue;
    }
    if (!batch.empty() && Clock::now() - window_start >= max_delay_) flush(batch);
  }
  flush(batch);
  return pushed_.load();
}

}  // namespace courier
