// The fix-it turns a std::thread member that a stop() joins, but that the
// destructor never joins, into a std::jthread.
// RUN: cp %s %t.cpp
// RUN: %clang-tidy --load %plugin --checks='-*,tether-unjoined-task' --fix %t.cpp -- -std=c++20 >/dev/null 2>&1
// RUN: FileCheck %s --check-prefix=FIXED --input-file=%t.cpp
// No fix-it where jthread would change meaning or not compile.
// RUN: FileCheck %s --check-prefix=KEPT --input-file=%t.cpp

#include <thread>

void beat();

class Heartbeat {
public:
  Heartbeat() : beat_(beat) {}
  void stop() {
    if (beat_.joinable())
      beat_.join();
  }

private:
  // FIXED: {{^}}  std::jthread beat_;{{$}}
  std::thread beat_;
};

// Assigned from a std::thread: a jthread member would not compile.
class Restartable {
public:
  void restart() {
    stop();
    worker_ = std::thread(beat);
  }
  void stop() {
    if (worker_.joinable())
      worker_.join();
  }

private:
  // KEPT: {{^}}  std::thread worker_;{{$}}
  std::thread worker_;
};

// No stop path at all: the fix is to write one, not to change the type.
class NoStop {
  // KEPT: {{^}}  std::thread silent_{beat};{{$}}
  std::thread silent_{beat};
};
