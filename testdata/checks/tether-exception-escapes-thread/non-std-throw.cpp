// A user's throw of a type not derived from std::exception inside a try whose
// only handler catches std::exception: the handler does not take it, and it
// leaves the thread.
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <stdexcept>
#include <string>
#include <thread>

struct ProtocolError {
  int code;
};
void log_error(const char *what);
bool bad_frame(int n);

void reader() {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([] {
    try {
      for (int n = 0; n < 8; ++n)
        if (bad_frame(n))
          throw ProtocolError{n};
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  });
  t.join();
}

void check_frame(int n) {
  if (bad_frame(n))
    throw 42;
}

void reader_through_call() {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process
  std::thread t([] {
    try {
      check_frame(1);
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  });
  t.join();
}

// --- What stays silent -----------------------------------------------------

// Derived from std::exception: the handler takes it.
void std_derived() {
  std::thread t([] {
    try {
      if (bad_frame(0))
        throw std::runtime_error("bad frame");
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  });
  t.join();
}

// Library calls under the std::exception handler: it takes what they throw.
void library_calls(const std::string &s) {
  std::thread t([s] {
    try {
      log_error(s.substr(std::stoi(s)).c_str());
    } catch (const std::exception &e) {
      log_error(e.what());
    }
  });
  t.join();
}

// A second handler takes the user's type.
void both_handlers() {
  std::thread t([] {
    try {
      if (bad_frame(0))
        throw ProtocolError{1};
    } catch (const std::exception &e) {
      log_error(e.what());
    } catch (const ProtocolError &) {
      log_error("protocol");
    }
  });
  t.join();
}
