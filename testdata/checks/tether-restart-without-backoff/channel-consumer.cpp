// A consumer that restarts its loop over a Boost.Fiber channel after a bad
// message: each round starts by waiting for the next message (the range
// for's begin() pops), so the restart cannot spin. A restart around work
// that does not wait for input still can.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-restart-without-backoff' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <map>
#include <stdexcept>
#include <string>

#include <boost/fiber/all.hpp>

using quotes = boost::fibers::unbuffered_channel<std::string>;

double parse_price(const std::string &quote); // throws on a malformed quote
void log(const std::string &line);

void print_prices(quotes &channel) {
  std::map<std::string, double> last;
  for (;;) {
    try {
      for (const std::string &quote : channel)
        last[quote.substr(0, 3)] = parse_price(quote);
      return; // closed
    } catch (const std::exception &e) {
      log(e.what());
    }
  }
}

std::string fetch_quote(const std::string &symbol); // throws when offline
void publish(const std::string &quote);

void poll_prices() {
  for (;;) {
    try {
      // CHECK: :[[@LINE+2]]:7: warning: the loop retries 'publish' as soon as it fails, with no delay
      publish(fetch_quote("BTC"));
    } catch (const std::exception &e) {
      log(e.what());
    }
  }
}
