// courier: a small courier dispatcher.
//
//   intake --orders--> dispatcher pool --assignments--> notifier --sms--> SMS gateway
//                           ^                                    \-pushes-> push batcher
//                           | claims couriers
//                    CourierRegistry <-- PositionRefresher (GPS feed)
//
// Usage: courier [--orders FILE] [--backlog FILE] [--workers N] [--trial-sms N]
//                [--archive-receipts] [--health] [--legacy-position-sync]
//                [--sweep-stale] [--windowed-push]
#include "courier/channel.h"
#include "courier/courier_registry.h"
#include "courier/dispatcher.h"
#include "courier/intake.h"
#include "courier/log.h"
#include "courier/notifier.h"
#include "courier/position_refresher.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

using namespace courier;
using namespace std::chrono_literals;

constexpr Position kCityCentre{38.7223, -9.1393};

struct Config {
  std::string orders_file;
  std::string backlog_file;
  std::size_t workers = 4;
  std::size_t couriers = 8;
  std::size_t sample_orders = 40;
  std::optional<std::size_t> trial_sms;
  bool archive_receipts = false;
  bool health = false;
  bool legacy_position_sync = false;
  bool sweep_stale = false;
  bool windowed_push = false;
};

bool parse_count(std::string_view text, std::size_t& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::optional<Config> parse_args(int argc, char** argv) {
  Config config;
  std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--orders" && has_value) {
      config.orders_file = args[++i];
    } else if (arg == "--backlog" && has_value) {
      config.backlog_file = args[++i];
    } else if (arg == "--workers" && has_value) {
      if (!parse_count(args[++i], config.workers)) return std::nullopt;
    } else if (arg == "--trial-sms" && has_value) {
      std::size_t quota = 0;
      if (!parse_count(args[++i], quota)) return std::nullopt;
      config.trial_sms = quota;
    } else if (arg == "--archive-receipts") {
      config.archive_receipts = true;
    } else if (arg == "--health") {
      config.health = true;
    } else if (arg == "--legacy-position-sync") {
      config.legacy_position_sync = true;
    } else if (arg == "--sweep-stale") {
      config.sweep_stale = true;
    } else if (arg == "--windowed-push") {
      config.windowed_push = true;
    } else {
      return std::nullopt;
    }
  }
  return config;
}

// A morning's worth of orders around the centre, in the intake CSV format.
std::string sample_orders(std::size_t count) {
  std::ostringstream csv;
  for (std::size_t i = 0; i < count; ++i) {
    const double a = 0.004 * static_cast<double>(i % 9) - 0.016;
    const double b = 0.003 * static_cast<double>(i % 7) - 0.009;
    char line[200];
    std::snprintf(line, sizeof line, "%zu,customer-%zu,+3519100%05zu,%.5f,%.5f,%.5f,%.5f\n",
                  1000 + i, i, i, kCityCentre.lat + a, kCityCentre.lon + b,
                  kCityCentre.lat - b, kCityCentre.lon + a);
    csv << line;
  }
  return csv.str();
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Config> parsed = parse_args(argc, argv);
  if (!parsed) {
    std::cerr << "usage: courier [--orders FILE] [--backlog FILE] [--workers N] "
                 "[--trial-sms N]\n               [--archive-receipts] [--health] "
                 "[--legacy-position-sync] [--sweep-stale] [--windowed-push]\n";
    return 2;
  }
  const Config& config = *parsed;

  std::vector<CourierId> courier_ids;
  for (std::size_t i = 0; i < config.couriers; ++i)
    courier_ids.push_back(static_cast<CourierId>(100 + i));

  CourierRegistry registry;
  PositionFeed feed(courier_ids, kCityCentre);
  PositionRefresher refresher(registry, feed, 50ms);
  refresher.start();
  if (config.legacy_position_sync) start_legacy_position_sync(registry, feed);
  std::jthread sweeper;
  if (config.sweep_stale) sweeper = start_stale_sweeper(registry, 500ms);

  Channel<Order> orders;
  Channel<Assignment> assignments;
  Channel<Notification> sms;
  Channel<Notification> pushes;

  AuditLog audit;
  ReceiptArchive receipts;
  OrderIntake intake(orders, audit);
  Dispatcher dispatcher(registry, config.workers);
  Notifier notifier(receipts, config.archive_receipts);
  SmsGateway sms_gateway;
  CourierPushBatcher push_batcher(16, 20ms);

  HealthReporter health(dispatcher, registry, 100ms);
  if (config.health) health.start();

  // Downstream first, so nothing upstream ever waits on a missing consumer.
  dispatcher.start(orders, assignments);
  std::jthread notifier_thread([&] { notifier.run(assignments, sms, pushes); });
  std::jthread sms_thread([&] {
    if (config.trial_sms)
      sms_gateway.run_trial(sms, *config.trial_sms);
    else
      sms_gateway.run(sms);
  });
  std::jthread push_thread([&] {
    if (config.windowed_push)
      push_batcher.run_windowed(pushes);
    else
      push_batcher.run(pushes);
  });

  // Intake runs on its own thread so main stays free to report progress.
  std::thread intake_thread([&] {
    if (!config.backlog_file.empty()) intake.import_backlog(config.backlog_file);
    if (config.orders_file.empty()) {
      std::istringstream source(sample_orders(config.sample_orders));
      intake.run(source);
    } else {
      std::ifstream source(config.orders_file);
      intake.run(source);  // an unreadable file is just an empty intake
    }
  });
  intake_thread.join();

  // Orders closed -> workers drain and exit -> assignments closed -> notifier
  // closes both outboxes -> gateways drain and exit.
  dispatcher.wait();
  notifier_thread.join();
  sms_thread.join();
  push_thread.join();
  refresher.stop();
  feed.disconnect();

  std::cout << "assigned " << dispatcher.assigned() << ", unassigned " << dispatcher.unassigned()
            << ", rejected " << intake.rejected() << ", audited " << audit.size() << ", sms "
            << sms_gateway.sent() << ", push batches " << push_batcher.batches()
            << ", position refreshes " << refresher.refreshes() << '\n';
  return 0;
}
