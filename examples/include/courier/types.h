#pragma once

#include <cstdint>
#include <string>

namespace courier {

using OrderId = std::uint64_t;
using CourierId = std::uint32_t;

struct Position {
  double lat = 0.0;
  double lon = 0.0;
};

// Great-circle distance in kilometres.
double distance_km(Position a, Position b);

struct Order {
  OrderId id = 0;
  std::string customer;
  std::string phone;
  Position pickup;
  Position dropoff;
  double fare = 0.0;  // filled in by intake
};

struct Assignment {
  Order order;
  CourierId courier = 0;
  double pickup_km = 0.0;  // courier -> pickup
};

// An outgoing message: an SMS to a customer or a push to a courier's app.
struct Notification {
  OrderId order = 0;
  std::string to;
  std::string text;
};

}  // namespace courier
