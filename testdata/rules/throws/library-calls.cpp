// Library calls that throw on the data or the environment a thread meets:
// number parsing, checked access, and the operations of std::filesystem and
// Asio called without their std::error_code overload. The error_code overload
// reports failure in a value instead, and io_context::run only passes on what
// handlers throw.
// REQUIRES: asio
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <asio.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

std::string read_line();
void use(int);

void parse_forever() {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([] {
    for (;;)
      use(std::stoi(read_line()));
    // CHECK: :[[@LINE-1]]:11: note: 'std::stoi' throws std::invalid_argument or std::out_of_range when its text is not a number in range, and nothing in the thread catches it
  });
  t.join();
}

void make_spool(const std::filesystem::path &dir) {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([dir] {
    std::filesystem::create_directories(dir / "spool");
    // CHECK: :[[@LINE-1]]:5: note: 'std::filesystem::create_directories' throws when the operation fails (the overload taking a std::error_code reports it instead), and nothing in the thread catches it
  });
  t.join();
}

void make_spool_quietly(const std::filesystem::path &dir) {
  std::thread t([dir] {
    std::error_code ec;
    std::filesystem::create_directories(dir / "spool", ec);
    if (ec)
      return;
  });
  t.join();
}

void dial(asio::io_context &io, const asio::ip::tcp::endpoint &peer) {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([&io, peer] {
    asio::ip::tcp::socket sock(io);
    sock.connect(peer);
    // CHECK: :[[@LINE-1]]:10: note: 'asio::basic_socket::connect' throws when the operation fails (the overload taking a std::error_code reports it instead), and nothing in the thread catches it
  });
  t.join();
}

void dial_quietly(asio::io_context &io, const asio::ip::tcp::endpoint &peer) {
  std::thread t([&io, peer] {
    asio::ip::tcp::socket sock(io);
    asio::error_code ec;
    sock.connect(peer, ec);
  });
  t.join();
}

// The event loop's thread: run() passes on what handlers throw, and the
// handlers are not visible here.
void event_loop(asio::io_context &io) {
  std::thread t([&io] { io.run(); });
  t.join();
}

// Checked access on data the thread does not control.
void lookup(const std::map<std::string, int> &routes) {
  // CHECK: :[[@LINE+1]]:17: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  std::thread t([&routes] { use(routes.at(read_line())); });
  // CHECK: :[[@LINE-1]]:40: note: 'std::map::at' throws std::out_of_range when the key or index is not there, and nothing in the thread catches it
  t.join();
}
