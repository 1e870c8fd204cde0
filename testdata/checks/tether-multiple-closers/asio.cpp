// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-multiple-closers' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-multiple-closers' %s -- %libcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'

#include <asio/experimental/channel.hpp>
#include <asio/experimental/concurrent_channel.hpp>
#include <asio/io_context.hpp>
#include <thread>

using Events = asio::experimental::concurrent_channel<void(asio::error_code, int)>;

// The reader closes on error, and so does the owner's stop().
class Feed {
public:
  explicit Feed(asio::io_context &io) : events_(io, 16) {}
  void read() {
    events_.async_receive([this](asio::error_code ec, int) {
      if (ec)
        // CHECK: :[[@LINE+3]]:17: warning: 'events_' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+5]]:25: note: 'events_' is also closed here, in 'Feed::stop'
        // CHECK: :[[@LINE+1]]:17: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
        events_.close();
    });
  }
  void stop() { events_.close(); }

private:
  Events events_;
};

// --- Negatives -------------------------------------------------------------

// cancel() is not a close.
class Poller {
public:
  explicit Poller(asio::io_context &io) : events_(io, 16) {}
  void abort() { events_.cancel(); }
  void stop() { events_.close(); }

private:
  Events events_;
};

// A facade that closes the channel once its quota is pushed, and starts
// closed when the quota is zero: the constructor's close runs before anyone
// holds the object.
class Quota {
public:
  Quota(asio::io_context &io, int limit) : events_(io, 16), limit_(limit) {
    if (limit_ == 0)
      events_.close();
  }
  void pushed() {
    if (--limit_ == 0)
      events_.close();
  }

private:
  Events events_;
  int limit_;
};
