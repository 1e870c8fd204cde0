// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-receiver-closes-channel' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/io_context.hpp>

using Events = boost::asio::experimental::channel<void(boost::system::error_code, int)>;
using Shared = boost::asio::experimental::concurrent_channel<void(boost::system::error_code, int)>;

void handle(int);

void reader(Events &events) {
  events.async_receive([](boost::system::error_code, int v) { handle(v); });
  // CHECK: :[[@LINE+3]]:10: warning: 'events' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:10: note: 'events' is received from here
  // CHECK: :[[@LINE+1]]:10: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  events.close();
}

void poller(Shared &inbox) {
  inbox.try_receive([](boost::system::error_code, int v) { handle(v); });
  // CHECK: :[[@LINE+3]]:9: warning: 'inbox' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:9: note: 'inbox' is received from here
  // CHECK: :[[@LINE+1]]:9: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  inbox.close();
}

// --- Negatives -------------------------------------------------------------

void writer(Shared &out) {
  out.try_send(boost::system::error_code{}, 1);
  out.close();
}
