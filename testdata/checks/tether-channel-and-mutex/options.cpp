// A team's own channel type and lock type, taught through CheckOptions.
// RUN: printf 'CheckOptions:\n  ChannelTypes: "team::Channel"\n  SendMethods: "send"\n  ReceiveMethods: "receive"\n  CloseMethods: "shutdown"\n  tether-channel-and-mutex.LockTypes: "team::SpinGuard"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-channel-and-mutex' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-channel-and-mutex' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// The clang-tidy plugin reports the same.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-channel-and-mutex' %s -- %libstdcxx 2>/dev/null | FileCheck %s --implicit-check-not='warning:'
// Without the options the type is nobody's channel.
// RUN: %tether --checks='-*,tether-channel-and-mutex' %s -- %libstdcxx | FileCheck %s --check-prefix=NONE --allow-empty
// NONE-NOT: warning:
// The options round-trip through clang-tidy's --dump-config.
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-channel-and-mutex' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-channel-and-mutex.ChannelTypes: 'team::Channel'
// DUMP-DAG: tether-channel-and-mutex.SendMethods: send
// DUMP-DAG: tether-channel-and-mutex.LockTypes: 'team::SpinGuard'

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace team {
// A channel built on a mutex: its own locking is not the user's business.
template <typename T> class Channel {
public:
  void send(T v) {
    std::lock_guard<std::mutex> l(mu_);
    items_.push_back(std::move(v));
    cv_.notify_one();
  }
  bool receive(T &out) {
    std::unique_lock<std::mutex> l(mu_);
    cv_.wait(l, [this] { return !items_.empty() || closed_; });
    if (items_.empty())
      return false;
    out = std::move(items_.front());
    items_.pop_front();
    return true;
  }
  void shutdown() {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
    cv_.notify_all();
  }

private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;
  bool closed_ = false;
};

// A spin lock and its guard.
class SpinLock {
public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire))
      ;
  }
  void unlock() { flag_.clear(std::memory_order_release); }

private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};
class SpinGuard {
public:
  explicit SpinGuard(SpinLock &l) : l_(l) { l_.lock(); }
  ~SpinGuard() { l_.unlock(); }

private:
  SpinLock &l_;
};
} // namespace team

// --- Positives -------------------------------------------------------------

class Uploader {
public:
  void stage(std::string chunk) {
    std::lock_guard<std::mutex> lock(mu_);
    chunks_.push_back(std::move(chunk));
  }
  // CHECK: :[[@LINE+3]]:26: warning: 'chunks_' is sent through 'queue_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'chunks_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:26: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void upload() { queue_.send(std::move(chunks_)); }

private:
  std::mutex mu_;
  std::vector<std::string> chunks_;
  team::Channel<std::vector<std::string>> queue_;
};

// A configured lock type.
class Tracker {
public:
  void seen(int id) {
    team::SpinGuard g(spin_);
    ids_.push_back(id);
  }
  // CHECK: :[[@LINE+3]]:26: warning: 'ids_' is sent through 'out_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'ids_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:26: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void hand_off() { out_.send(std::move(ids_)); }

private:
  team::SpinLock spin_;
  std::vector<int> ids_;
  team::Channel<std::vector<int>> out_;
};

// --- Negatives -------------------------------------------------------------

// A snapshot taken under the lock.
class Careful {
public:
  void stage(std::string chunk) {
    std::lock_guard<std::mutex> lock(mu_);
    chunks_.push_back(std::move(chunk));
  }
  void upload() {
    std::vector<std::string> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(chunks_);
    }
    queue_.send(std::move(batch));
  }

private:
  std::mutex mu_;
  std::vector<std::string> chunks_;
  team::Channel<std::vector<std::string>> queue_;
};

// Only the channel owns the data: no lock anywhere near it.
class Pipeline {
public:
  void add(int v) { batch_.push_back(v); }
  void flush() { out_.send(std::move(batch_)); }

private:
  std::vector<int> batch_;
  team::Channel<std::vector<int>> out_;
};
