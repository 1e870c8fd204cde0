// A plain flag read under a lock the loop takes and releases each round is
// polled exactly like an atomic: the lock makes each read safe, but nothing
// wakes the waiting thread, so it goes round at full speed until another
// thread sets the flag under the same lock. A loop that waits on a
// condition variable with that lock, does work between reads, counts its
// rounds, or reads only its own locals stays silent, as does a loop that
// holds the lock across all its rounds (nobody else can change the flag).
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

void load_level(int level);
void render_frame();

// --- Positives ------------------------------------------------------------

class Loader {
public:
  void start(int level) {
    worker_ = std::thread([this, level] {
      load_level(level);
      std::lock_guard<std::mutex> lock(mutex_);
      loaded_ = true;
    });
  }

  // The caller asks again and again until the worker is done.
  void wait_loaded() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'loaded_' without blocking, sleeping or backing off
    for (;;) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (loaded_)
        return;
    }
    // CHECK: :[[@LINE-3]]:11: note: 'loaded_' is re-read at full speed until another thread changes it
    // CHECK: :[[@LINE-6]]:5: note: the lock makes each read safe but wakes nobody: wait on a std::condition_variable with that lock, and notify it where 'loaded_' is set
  }

  ~Loader() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  std::mutex mutex_;
  bool loaded_ = false;
  std::thread worker_;
};

enum class Phase { Idle, Running, Done };

struct Job {
  std::mutex m;
  Phase phase = Phase::Idle;
};

// unique_lock released by hand before yielding: still a spin on the phase.
void wait_done(Job &job) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'phase' and only yields between attempts
  while (true) {
    std::unique_lock<std::mutex> lock(job.m);
    if (job.phase == Phase::Done)
      break;
    lock.unlock();
    std::this_thread::yield();
  }
}

// A flag shared through a pointer, locked with lock()/unlock().
void wait_turn(std::mutex &m, const bool *my_turn) {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'my_turn' without blocking
  while (true) {
    m.lock();
    bool go = *my_turn;
    m.unlock();
    if (go)
      break;
  }
}

// A local the worker thread writes through its capture.
int start_and_wait() {
  std::mutex m;
  bool started = false;
  std::thread worker([&] {
    std::lock_guard<std::mutex> lock(m);
    started = true;
  });
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'started' without blocking
  while (true) {
    std::lock_guard<std::mutex> lock(m);
    if (started)
      break;
  }
  worker.join();
  return 0;
}

// Two threads taking turns: each round locks, finds it is not its turn and
// goes round again; only the turn it gets advances the count.
struct Turns {
  std::mutex m;
  bool ping_turn = true;
  void play(bool ping, int rounds) {
    int played = 0;
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'ping_turn' and only yields between attempts
    while (played < rounds) {
      std::lock_guard<std::mutex> lock(m);
      if (ping_turn == ping) {
        ++played;
        ping_turn = !ping;
      }
      std::this_thread::yield();
    }
  }
};

// Work only when a flag says so: while it does not, the loop only locks
// and re-reads it.
class Canvas {
public:
  void paint_loop() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'dirty_' without blocking
    while (running_) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (dirty_) {
        render_frame();
        dirty_ = false;
      }
    }
  }

private:
  std::mutex mutex_;
  bool dirty_ = false;
  bool running_ = true;
};

// --- Negatives ------------------------------------------------------------

// The right way: the same lock, waited on with a condition variable.
class Gate {
public:
  void wait_open() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!open_)
      opened_.wait(lock);
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    opened_.notify_all();
  }

private:
  std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
};

// A render loop: it draws a frame every round and reads the flag under the
// lock only to know when to stop.
class Renderer {
public:
  void run() {
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (quit_)
          return;
      }
      render_frame();
    }
  }
  void quit() {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }

private:
  std::mutex mutex_;
  bool quit_ = false;
};

// Bounded: a fixed number of rounds, whatever the flag says.
int count_set(std::mutex &m, const std::vector<bool *> &flags) {
  int set = 0;
  for (bool *f : flags) {
    std::lock_guard<std::mutex> lock(m);
    if (*f)
      ++set;
  }
  return set;
}

// A local nobody else can reach, read under a lock the loop takes for
// another reason: it walks its own data.
int drain(std::mutex &m, std::vector<int> &shared) {
  int total = 0;
  bool more = true;
  while (more) {
    std::lock_guard<std::mutex> lock(m);
    if (shared.empty()) {
      more = false;
    } else {
      total += shared.back();
      shared.pop_back();
    }
  }
  return total;
}

// The lock is held across every round: the flag cannot change while the
// loop runs, so it does not wait for another thread (it advances itself).
int advance(std::mutex &m, int &cursor, int end) {
  std::lock_guard<std::mutex> lock(m);
  while (cursor != end)
    ++cursor;
  return cursor;
}
