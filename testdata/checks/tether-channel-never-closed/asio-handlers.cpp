// The callback form of a drain: a completion handler that re-arms the
// receive (calls the function that started it again) and stops only when
// a receive fails is a loop that waits until the channel is closed. A
// channel nobody closes keeps that last receive pending forever.
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-channel-never-closed' %s -- %libstdcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-channel-never-closed' %s -- %libcxx -DASIO_STANDALONE | FileCheck %s --implicit-check-not='warning:'

#include <asio/experimental/channel.hpp>
#include <asio/io_context.hpp>
#include <string>

using Lines = asio::experimental::channel<void(asio::error_code, std::string)>;

void handle(const std::string &);

// A log shipper: producers try_send lines, the shipper drains them by
// re-arming its receive; nothing ever closes the channel.
class LogShipper {
public:
  explicit LogShipper(asio::io_context &io) : lines_(io, 64) {}
  void start() { receive_next(); }
  void log(std::string line) { lines_.try_send(asio::error_code{}, std::move(line)); }

private:
  void receive_next() {
    // CHECK: :[[@LINE+4]]:5: warning: 'lines_' is received from until it is closed, but nothing closes it: once the senders are done, the handler that re-arms this receive waits forever [tether-channel-never-closed]
    // CHECK: :[[@LINE+11]]:9: note: 'lines_' is declared here
    // CHECK: :[[@LINE-6]]:39: note: values are sent here, but nothing closes 'lines_'
    // CHECK: :[[@LINE+1]]:5: note: close it when the last sender is done
    lines_.async_receive([this](asio::error_code ec, std::string line) {
      if (ec)
        return;
      handle(line);
      receive_next();
    });
  }

  Lines lines_;
};

// The same shipper with a stop() that closes the channel: the pending
// receive fails and the chain ends.
class ClosingShipper {
public:
  explicit ClosingShipper(asio::io_context &io) : lines_(io, 64) {}
  void start() { receive_next(); }
  void log(std::string line) { lines_.try_send(asio::error_code{}, std::move(line)); }
  void stop() { lines_.close(); }

private:
  void receive_next() {
    lines_.async_receive([this](asio::error_code ec, std::string line) {
      if (ec)
        return;
      handle(line);
      receive_next();
    });
  }

  Lines lines_;
};

// Not a drain: the handler takes one line and does not re-arm.
class OneShot {
public:
  explicit OneShot(asio::io_context &io) : lines_(io, 1) {}
  void start() {
    lines_.async_receive([](asio::error_code ec, std::string line) {
      if (!ec)
        handle(line);
    });
  }
  void log(std::string line) { lines_.try_send(asio::error_code{}, std::move(line)); }

private:
  Lines lines_;
};

// Not a drain until closed: the chain also stops on a count of its own.
class Limited {
public:
  explicit Limited(asio::io_context &io) : lines_(io, 8) {}
  void start() { receive_next(); }
  void log(std::string line) { lines_.try_send(asio::error_code{}, std::move(line)); }

private:
  void receive_next() {
    lines_.async_receive([this](asio::error_code ec, std::string line) {
      if (ec || ++received_ == 100)
        return;
      handle(line);
      receive_next();
    });
  }

  Lines lines_;
  int received_ = 0;
};
