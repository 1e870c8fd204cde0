// A shared container's size() compared with a bound is a poll like empty():
// `size() < capacity` tests for room, `size() > 0` for an item. A producer
// that goes round on a full buffer until a consumer takes something spins
// as a consumer on an empty one does.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <vector>

struct Buffer {
  std::mutex m;
  std::condition_variable room;
  std::vector<int> items;
  std::size_t capacity = 64;
};

// The producer of a benchmark: it pushes only while there is room, and
// otherwise locks and asks again at once.
void produce(Buffer *buf, int count) {
  int produced = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'items.size' without blocking, sleeping or backing off
  while (produced < count) {
    std::lock_guard<std::mutex> lock(buf->m);
    if (buf->items.size() < buf->capacity) {
      buf->items.push_back(produced);
      ++produced;
    }
  }
}

// The same producer handed the vector and its mutex by pointer.
void produce_into(std::vector<int> *numbers, std::mutex *m, int count) {
  int produced = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'numbers.size'
  while (produced < count) {
    std::lock_guard<std::mutex> lock(*m);
    if (numbers->size() < 5) {
      numbers->push_back(produced);
      ++produced;
    }
  }
}

// A consumer testing for an item with size() > 0.
void consume(Buffer &buf, int count, std::vector<int> &out) {
  int taken = 0;
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'items.size'
  while (taken < count) {
    std::lock_guard<std::mutex> lock(buf.m);
    if (buf.items.size() > 0) {
      out.push_back(buf.items.back());
      buf.items.pop_back();
      ++taken;
    }
  }
}

// --- Negatives ---

// The same producer waiting for room on a condition variable.
void produce_waiting(Buffer &buf, int count) {
  for (int produced = 0; produced < count; ++produced) {
    std::unique_lock<std::mutex> lock(buf.m);
    while (buf.items.size() >= buf.capacity)
      buf.room.wait(lock);
    buf.items.push_back(produced);
  }
}

// A batch filled by the loop itself: its own local, nobody else's.
std::vector<int> first_squares(std::size_t n) {
  std::vector<int> batch;
  int i = 0;
  while (batch.size() < n) {
    batch.push_back(i * i);
    ++i;
  }
  return batch;
}

// A member buffer the loop fills itself from its source: the room it waits
// for is the room it makes.
class Reader {
public:
  void fill(std::size_t wanted) {
    while (pending_.size() < wanted)
      pending_.push_back(next());
  }

private:
  int next() { return static_cast<int>(pending_.size()); }
  std::deque<int> pending_;
};

// Trimming a shared log to its limit: every round removes one entry.
void trim(Buffer &buf, std::size_t limit) {
  std::lock_guard<std::mutex> lock(buf.m);
  while (buf.items.size() > limit)
    buf.items.erase(buf.items.begin());
}
