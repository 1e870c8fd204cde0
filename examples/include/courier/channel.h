// courier::Channel<T>: a closable multi-producer / multi-consumer queue.
//
// Semantics follow Go channels (unbuffered capacity aside):
//   * send() on a closed channel is a bug and throws channel_closed;
//   * receive() blocks until a value arrives, and returns false once the
//     channel is closed *and* drained;
//   * only the sending side closes a channel.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <utility>

namespace courier {

class channel_closed : public std::logic_error {
 public:
  channel_closed() : std::logic_error("send on closed channel") {}
};

template <typename T>
class Channel {
 public:
  Channel() = default;
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void send(T value) {
    {
      std::lock_guard lock(mu_);
      if (closed_) throw channel_closed();
      items_.push_back(std::move(value));
    }
    ready_.notify_one();
  }

  // Blocks until a value is available (true) or the channel is closed and
  // drained (false).
  bool receive(T& out) {
    std::unique_lock lock(mu_);
    ready_.wait(lock, [this] { return !items_.empty() || closed_; });
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    return true;
  }

  // Never blocks: false when nothing is queued right now.
  bool try_receive(T& out) {
    std::lock_guard lock(mu_);
    if (items_.empty()) return false;
    out = std::move(items_.front());
    items_.pop_front();
    return true;
  }

  // Idempotent. Wakes every blocked receiver.
  void close() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    ready_.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }

  // Closed and empty: nothing will ever be received again.
  bool drained() const {
    std::lock_guard lock(mu_);
    return closed_ && items_.empty();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace courier
