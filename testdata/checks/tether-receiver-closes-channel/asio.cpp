// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-receiver-closes-channel' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-receiver-closes-channel' %s -- %libcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'

#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/io_context.hpp>

// channel and concurrent_channel are alias templates of basic_channel and
// basic_concurrent_channel.
using Events = asio::experimental::channel<void(asio::error_code, int)>;
using Shared = asio::experimental::concurrent_channel<void(asio::error_code, int)>;

void handle(int);

// --- Positives -------------------------------------------------------------

void reader(Events &events) {
  events.async_receive([](asio::error_code, int v) { handle(v); });
  // CHECK: :[[@LINE+3]]:10: warning: 'events' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-2]]:10: note: 'events' is received from here
  // CHECK: :[[@LINE+1]]:10: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  events.close();
}

void poller(Shared &inbox) {
  while (inbox.try_receive([](asio::error_code, int v) { handle(v); }))
    ;
  // CHECK: :[[@LINE+3]]:9: warning: 'inbox' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
  // CHECK: :[[@LINE-3]]:16: note: 'inbox' is received from here
  // CHECK: :[[@LINE+1]]:9: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
  inbox.close();
}

class Session {
public:
  explicit Session(asio::io_context &io) : replies_(io, 8) {}
  void on_reply(bool last) {
    replies_.async_receive([](asio::error_code, int v) { handle(v); });
    if (last)
      // CHECK: :[[@LINE+3]]:16: warning: 'replies_' is closed by a function that only receives from it: the senders may still push and fail (or throw) on a closed channel [tether-receiver-closes-channel]
    // CHECK: :[[@LINE-3]]:14: note: 'replies_' is received from here
      // CHECK: :[[@LINE+1]]:16: note: only the sender closes a channel: let the sender (or the owner, once every sender has finished) close it, and stop this consumer by returning or by asking the senders to stop
      replies_.close();
  }
  void send(int v) { replies_.try_send(asio::error_code{}, v); }

private:
  Events replies_;
};

// --- Negatives -------------------------------------------------------------

// cancel() fails the pending operations but leaves the channel open.
void give_up(Events &events) {
  events.async_receive([](asio::error_code, int v) { handle(v); });
  events.cancel();
}

// The sender closes.
void writer(Shared &out) {
  out.try_send(asio::error_code{}, 1);
  out.close();
}

void async_writer(Events &out) {
  out.async_send(asio::error_code{}, 2, [](asio::error_code) {});
  out.close();
}

// Receives, then resets: reset() reopens, it does not end the channel.
void restart(Events &events) {
  events.async_receive([](asio::error_code, int v) { handle(v); });
  events.reset();
}
