// nlohmann::json throws on data from outside the program: parse() on text
// that is not JSON (parse_error), get<T>() on a value of another type
// (type_error), at() on a missing key (out_of_range). A thread that reads
// a message with them and catches nothing dies with the process on the
// first malformed message; one that catches, or parses without exceptions,
// stays silent.
// REQUIRES: nlohmann-json
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

void steer(double dx, double dy);
void log_error(const char *what);

void start_input_reader(std::string message) {
  // CHECK: :[[@LINE+1]]:15: warning: an exception escaping this std::thread body calls std::terminate
  std::thread([message] {
    auto input = nlohmann::json::parse(message);
    // CHECK: :[[@LINE-1]]:18: note: 'nlohmann::basic_json::parse' throws nlohmann::json::parse_error when its text is not JSON
    steer(input["ddx"].get<double>(), input["ddy"].get<double>());
  }).detach();
}

void start_settings_reader(nlohmann::json settings) {
  // CHECK: :[[@LINE+1]]:15: warning: an exception escaping this std::thread body calls std::terminate
  std::thread([settings] {
    steer(settings.at("dx").get<double>(), 0.0);
    // CHECK: :[[@LINE-1]]:20: note: 'nlohmann::basic_json::at' throws nlohmann::json::out_of_range when the key or index is not there
  }).detach();
}

// Caught at the top of the body: silent.
void start_guarded_reader(std::string message) {
  std::thread([message] {
    try {
      auto input = nlohmann::json::parse(message);
      steer(input["ddx"].get<double>(), input["ddy"].get<double>());
    } catch (const nlohmann::json::exception &e) {
      log_error(e.what());
    }
  }).detach();
}

// Parsed without exceptions: a discarded value instead of a throw.
void start_lenient_reader(std::string message) {
  std::thread([message] {
    auto input = nlohmann::json::parse(message, nullptr,
                                       /*allow_exceptions=*/false);
    if (!input.is_discarded() && input.is_number())
      steer(input.get<double>(), 0.0);
  }).detach();
}

// The same test written as an early way out: what follows runs only when
// the value is a number.
void start_early_exit_reader(std::vector<std::string> messages) {
  std::thread([messages] {
    for (const std::string &message : messages) {
      auto input = nlohmann::json::parse(message, nullptr,
                                         /*allow_exceptions=*/false);
      if (input.is_discarded() || !input.is_number())
        continue;
      steer(input.get<double>(), 0.0);
    }
  }).detach();
}

// The early way out tests another value: the get still throws.
void start_wrong_guard_reader(std::vector<std::string> messages) {
  // CHECK: :[[@LINE+1]]:15: warning: an exception escaping this std::thread body calls std::terminate
  std::thread([messages] {
    for (const std::string &message : messages) {
      auto input = nlohmann::json::parse(message, nullptr,
                                         /*allow_exceptions=*/false);
      if (message.empty())
        continue;
      steer(input.get<double>(), 0.0);
    }
  }).detach();
}
