// A volatile flag is an atomic read written the pre-C++11 way: a loop that
// only re-reads a shared volatile bool or integer spins exactly like one
// that re-reads an atomic. A read through a pointer (a memory-mapped device
// register), a volatile local nobody else can reach, and a loop that does
// work while the flag is unset stay silent.
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-busy-wait' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <cstdint>
#include <thread>

volatile bool g_ready = false;
volatile int g_generation = 0;

void render_frame();
void step(int i);

// --- Positives ------------------------------------------------------------

void wait_until_ready() {
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'g_ready' without blocking, sleeping or backing off
  while (!g_ready) {
  }
  // CHECK: :[[@LINE-2]]:11: note: 'g_ready' is re-read at full speed until another thread changes it
  // CHECK: :[[@LINE-3]]:3: note: volatile does not synchronise threads: make 'g_ready' a std::atomic
}

class Renderer {
public:
  void stop() { quit_ = true; }
  void wait_for_worker() {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'worker_done_' and only yields between attempts
    while (!worker_done_)
      std::this_thread::yield();
  }
  void wait_generation(int seen) {
    // CHECK: :[[@LINE+1]]:5: warning: loop spins on 'g_generation' without blocking
    while (g_generation == seen) {
    }
  }

private:
  volatile bool quit_ = false;
  volatile bool worker_done_ = false;
};

// A volatile local the worker thread writes through its capture.
void start_and_wait() {
  volatile bool started = false;
  std::thread worker([&started] {
    started = true;
    render_frame();
  });
  // CHECK: :[[@LINE+1]]:3: warning: loop spins on 'started' without blocking
  while (!started) {
  }
  worker.join();
}

// --- Negatives ------------------------------------------------------------

struct Uart {
  volatile std::uint32_t status;
  volatile std::uint32_t data;
};

// A device register read through a pointer: hardware, not another thread.
std::uint32_t read_byte(Uart *uart) {
  while ((uart->status & 0x1u) == 0) {
  }
  return uart->data;
}

// A volatile local only this function touches (keeps a benchmark loop from
// being optimised away).
int spin_delay(int n) {
  volatile int sink = 0;
  int i = 0;
  while (sink < n) {
    sink = sink + 1;
    ++i;
  }
  return i;
}

// A work loop guarded by a flag: it renders while it runs.
void render_loop(volatile bool &quit) {
  while (!quit)
    render_frame();
}

// Bounded: gives up after a number of tries.
bool wait_briefly() {
  for (int tries = 0; tries < 1000; ++tries)
    if (g_ready)
      return true;
  return false;
}
