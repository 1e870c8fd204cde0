// Boost.Fiber: a fiber's entry is noexcept in Boost.Context, so an exception
// escaping a fiber's function calls std::terminate like a thread's. A
// boost::fibers::packaged_task run as the fiber keeps what its function
// throws in its future: only its own "no state" contract check could throw,
// and that is the library's, not the user's.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <stdexcept>
#include <string>

#include <boost/fiber/all.hpp>

using lines = boost::fibers::buffered_channel<std::string>;

int parse_port(const std::string &s) {
  int p = std::stoi(s);
  if (p <= 0 || p > 65535)
    throw std::out_of_range("port");
  return p;
}

void read_config(lines &in) {
  // CHECK: :[[@LINE+1]]:26: warning: an exception escaping this boost::fibers::fiber body calls std::terminate for the whole process [tether-exception-escapes-thread]
  boost::fibers::fiber f([&in] {
    std::string s;
    while (in.pop(s) == boost::fibers::channel_op_status::success)
      // CHECK: :[[@LINE+1]]:7: note: 'parse_port' throws std::out_of_range when 'p <= 0 || p > 65535', and nothing in the fiber catches it
      parse_port(s);
  });
  f.join();
}

int compute_checksum(const std::string &s) {
  if (s.empty())
    throw std::invalid_argument("empty");
  return static_cast<int>(s.size());
}

// The task's future carries the exception to whoever reads it.
int checksum_on_a_fiber(const std::string &s) {
  boost::fibers::packaged_task<int()> task([s] { return compute_checksum(s); });
  boost::fibers::future<int> result = task.get_future();
  boost::fibers::fiber f(std::move(task));
  f.join();
  return result.get();
}

// Caught at the top of the body.
void read_config_safely(lines &in) {
  boost::fibers::fiber f([&in] {
    try {
      std::string s;
      while (in.pop(s) == boost::fibers::channel_op_status::success)
        parse_port(s);
    } catch (const std::exception &e) {
      std::fprintf(stderr, "config: %s\n", e.what());
    }
  });
  f.join();
}
