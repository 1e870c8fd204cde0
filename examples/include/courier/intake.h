// Order intake: parses incoming orders, prices them, writes the audit trail,
// and feeds the dispatcher's order channel. Intake is the only sender on that
// channel, so it is also the one that closes it.
#pragma once

#include "courier/channel.h"
#include "courier/types.h"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <istream>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace courier {

// Append-only audit trail (stands in for a write-ahead log on slow storage).
class AuditLog {
 public:
  void record(const Order& order);
  void open_segment();
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
  std::size_t segments_ = 0;
};

// "id,customer,phone,pickup_lat,pickup_lon,dropoff_lat,dropoff_lon"
std::optional<Order> parse_order(std::string_view line);

class OrderIntake {
 public:
  OrderIntake(Channel<Order>& out, AuditLog& audit);

  // Replays orders accepted before the last restart. Returns how many were
  // queued.
  std::size_t import_backlog(const std::filesystem::path& file);

  // Reads live orders until the stream ends, then closes the order channel.
  std::size_t run(std::istream& source);

  std::size_t rejected() const { return rejected_.load(); }

 private:
  std::optional<Order> prepare(Order order);

  Channel<Order>& out_;
  AuditLog& audit_;
  std::atomic<std::size_t> rejected_{0};
};

}  // namespace courier
