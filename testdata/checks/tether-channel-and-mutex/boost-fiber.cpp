// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-channel-and-mutex' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-channel-and-mutex' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// Off by default: a run with the default check set does not report it.
// (Exit 0 or 1: other checks may report; 2 would be an error.) The JSON
// report says the file was analysed, without errors.
// RUN: %tether --format=json %s -- %libstdcxx > %t.json; test $? -le 1
// RUN: FileCheck %s --check-prefix=DEFAULT --input-file=%t.json --implicit-check-not='"check": "tether-channel-and-mutex"'
// DEFAULT: "errors": [],
// DEFAULT: "files": 1,
// DEFAULT: "findings": [

#include <boost/asio/experimental/channel.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/fiber/buffered_channel.hpp>
#include <boost/thread/lock_guard.hpp>
#include <boost/thread/mutex.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

using boost::fibers::buffered_channel;

struct Stats {
  long sent = 0;
  long dropped = 0;
};
struct Config {
  std::string name;
  int retries = 0;
};
std::string render(const std::vector<int> &);

// --- Positives -------------------------------------------------------------

// The batch is filled under the lock and handed to the writer by move,
// without it: add() may be pushing into the batch the receiver now owns.
class Batcher {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    batch_.push_back(v);
  }
  // CHECK: :[[@LINE+3]]:23: warning: 'batch_' is sent through 'out_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'batch_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:23: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void flush() { out_.push(std::move(batch_)); }

private:
  std::mutex mu_;
  std::vector<int> batch_;
  buffered_channel<std::vector<int>> out_{4};
};

// A pointer to guarded state is sent.
class Reporter {
public:
  void count() {
    std::unique_lock<std::mutex> lock(mu_);
    ++stats_.sent;
  }
  // CHECK: :[[@LINE+3]]:29: warning: 'stats_' is sent through 'reports_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:7: note: 'stats_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:29: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void publish() { reports_.push(&stats_); }

private:
  std::mutex mu_;
  Stats stats_;
  buffered_channel<Stats *> reports_{2};
};

// A copy sent without the lock races with the locked writer.
class Settings {
public:
  void set(Config c) {
    std::scoped_lock lock(mu_);
    config_ = std::move(c);
  }
  // CHECK: :[[@LINE+3]]:31: warning: 'config_' is sent through 'updates_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'config_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:31: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void broadcast() { updates_.push(config_); }

private:
  std::mutex mu_;
  Config config_;
  buffered_channel<Config> updates_{8};
};

// Handed over by move while the lock is held: the lock still claims it.
class Outbox {
public:
  void add(std::string s) {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.push_back(std::move(s));
  }
  void ship() {
    std::lock_guard<std::mutex> lock(mu_);
    // CHECK: :[[@LINE+3]]:11: warning: 'pending_' is sent through 'sink_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
    // CHECK: :[[@LINE-5]]:5: note: 'pending_' is accessed here while a lock is held
    // CHECK: :[[@LINE+1]]:11: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
    sink_.push(std::move(pending_));
  }

private:
  std::mutex mu_;
  std::vector<std::string> pending_;
  buffered_channel<std::vector<std::string>> sink_{4};
};

// lock() ... unlock() by hand.
class Journal {
public:
  void append(const std::string &line) {
    mu_.lock();
    lines_.push_back(line);
    mu_.unlock();
  }
  // CHECK: :[[@LINE+3]]:28: warning: 'lines_' is sent through 'archive_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-4]]:5: note: 'lines_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:28: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void rotate() { archive_.push(std::move(lines_)); }

private:
  std::mutex mu_;
  std::vector<std::string> lines_;
  buffered_channel<std::vector<std::string>> archive_{2};
};

// A reader under a shared lock.
class Table {
public:
  std::size_t size() const {
    std::shared_lock<std::shared_mutex> lock(rw_);
    return rows_.size();
  }
  // CHECK: :[[@LINE+3]]:35: warning: 'rows_' is sent through 'disk_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:12: note: 'rows_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:35: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void snapshot_to_disk() { disk_.push(rows_); }

private:
  mutable std::shared_mutex rw_;
  std::map<int, std::string> rows_;
  buffered_channel<std::map<int, std::string>> disk_{1};
};

// Boost's mutex and lock_guard.
class Metrics {
public:
  void hit() {
    boost::lock_guard<boost::mutex> lock(mu_);
    ++hits_.sent;
  }
  // CHECK: :[[@LINE+3]]:23: warning: 'hits_' is sent through 'out_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:7: note: 'hits_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:23: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void flush() { out_.push(std::move(hits_)); }

private:
  boost::mutex mu_;
  Stats hits_;
  buffered_channel<Stats> out_{2};
};

// A unique_lock that locks later.
class Cache {
public:
  void put(int k, std::string v) {
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    lock.lock();
    entries_[k] = std::move(v);
  }
  // CHECK: :[[@LINE+3]]:31: warning: 'entries_' is sent through 'evicted_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'entries_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:31: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void evict_all() { evicted_.push(std::move(entries_)); }

private:
  std::mutex mu_;
  std::map<int, std::string> entries_;
  buffered_channel<std::map<int, std::string>> evicted_{1};
};

// A shared_ptr copy still shares the guarded object.
class Registry {
public:
  void rename(std::string n) {
    std::lock_guard<std::mutex> lock(mu_);
    current_->name = std::move(n);
  }
  // CHECK: :[[@LINE+3]]:30: warning: 'current_' is sent through 'changes_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'current_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:30: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void announce() { changes_.push(current_); }

private:
  std::mutex mu_;
  std::shared_ptr<Config> current_ = std::make_shared<Config>();
  buffered_channel<std::shared_ptr<Config>> changes_{4};
};

// A local shared with a worker thread: locked there, sent here.
void collect(buffered_channel<std::vector<int>> &out) {
  std::vector<int> results;
  std::mutex m;
  std::thread worker([&] {
    std::lock_guard<std::mutex> lock(m);
    results.push_back(42);
  });
  // CHECK: :[[@LINE+3]]:7: warning: 'results' is sent through 'out' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'results' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:7: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  out.push(std::move(results));
  worker.join();
}

// An Asio channel.
using Frames =
    boost::asio::experimental::channel<void(boost::system::error_code, std::vector<int>)>;
class Encoder {
public:
  explicit Encoder(boost::asio::io_context &io) : frames_(io, 4) {}
  void feed(int sample) {
    std::lock_guard<std::mutex> lock(mu_);
    frame_.push_back(sample);
  }
  // CHECK: :[[@LINE+3]]:25: warning: 'frame_' is sent through 'frames_' and also accessed while a lock is held: two owners for one piece of data, and the lock does not guard what the receiver does with it [tether-channel-and-mutex]
  // CHECK: :[[@LINE-3]]:5: note: 'frame_' is accessed here while a lock is held
  // CHECK: :[[@LINE+1]]:25: note: pick one owner for this data: either the channel hands it over (and the sender stops touching it) or the mutex guards it (and it is not sent)
  void emit() { frames_.try_send(boost::system::error_code{}, std::move(frame_)); }

private:
  std::mutex mu_;
  std::vector<int> frame_;
  Frames frames_;
};

// --- Negatives -------------------------------------------------------------

// A snapshot copied under the lock into a local, then sent.
class Snapshotter {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    data_.push_back(v);
  }
  void publish() {
    std::unique_lock<std::mutex> lock(mu_);
    auto snapshot = data_;
    lock.unlock();
    out_.push(snapshot);
  }
  void publish_swapped() {
    std::vector<int> batch;
    {
      std::lock_guard<std::mutex> lock(mu_);
      batch.swap(data_);
    }
    out_.push(std::move(batch));
  }

private:
  std::mutex mu_;
  std::vector<int> data_;
  buffered_channel<std::vector<int>> out_{4};
};

// A copy sent while the lock is held is a snapshot too.
class Mirror {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    data_.push_back(v);
  }
  void publish() {
    std::lock_guard<std::mutex> lock(mu_);
    out_.push(data_);
  }

private:
  std::mutex mu_;
  std::vector<int> data_;
  buffered_channel<std::vector<int>> out_{4};
};

// The mutex guards another member only.
class Counter {
public:
  void sent() {
    std::lock_guard<std::mutex> lock(mu_);
    ++count_;
  }
  void flush() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++flushes_;
    }
    out_.push(std::move(items_));
  }
  void add(int v) { items_.push_back(v); }

private:
  std::mutex mu_;
  long count_ = 0;
  long flushes_ = 0;
  std::vector<int> items_;
  buffered_channel<std::vector<int>> out_{4};
};

// A value computed from the data is sent, not the data.
class Summary {
public:
  void add(int v) {
    std::lock_guard<std::mutex> lock(mu_);
    values_.push_back(v);
  }
  void report() {
    sizes_.push(values_.size());
    texts_.push(render(values_));
  }

private:
  std::mutex mu_;
  std::vector<int> values_;
  buffered_channel<std::size_t> sizes_{4};
  buffered_channel<std::string> texts_{4};
};

// The lock is released (or never taken) before the data is touched.
class Released {
public:
  void add(int v) {
    std::unique_lock<std::mutex> lock(mu_);
    ++adds_;
    lock.unlock();
    items_.push_back(v);
  }
  void add_deferred(int v) {
    std::unique_lock<std::mutex> lock(mu_, std::defer_lock);
    items_.push_back(v);
  }
  void add_by_hand(int v) {
    mu_.lock();
    ++adds_;
    mu_.unlock();
    items_.push_back(v);
  }
  void flush() { out_.push(std::move(items_)); }

private:
  std::mutex mu_;
  long adds_ = 0;
  std::vector<int> items_;
  buffered_channel<std::vector<int>> out_{4};
};

// A class template: the types depend on the arguments.
template <typename T> class Funnel {
public:
  void add(T v) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(v);
  }
  void flush() { out_.push(std::move(items_)); }

private:
  std::mutex mu_;
  std::vector<T> items_;
  buffered_channel<std::vector<T>> out_{4};
};
template class Funnel<int>;

// A local swapped under the lock in the sending function itself.
void drain_to(buffered_channel<std::vector<int>> &out, std::mutex &m,
              std::vector<int> &shared) {
  std::vector<int> mine;
  {
    std::lock_guard<std::mutex> lock(m);
    mine.swap(shared);
  }
  out.push(std::move(mine));
}

// A snapshot of the pointee is a copy, not shared ownership.
class Snapshots {
public:
  void set(std::shared_ptr<Config> c) {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(c);
  }
  void publish() {
    std::lock_guard<std::mutex> lock(mu_);
    out_.push(*current_);
  }

private:
  std::mutex mu_;
  std::shared_ptr<Config> current_;
  buffered_channel<Config> out_{4};
};
