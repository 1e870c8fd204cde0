// A project's own fiber class, known to tether only by its interface (a
// public join() and detach(), a constructor taking what it runs), runs its
// task on a runtime tether cannot read: what an exception escaping that
// task does is the runtime's, so nothing is said. The same body run by a
// std::thread ends the process. libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-exception-escapes-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace green {
struct FiberState {
  std::function<void()> body;
  bool finished = false;
};
void schedule(std::shared_ptr<FiberState> state);
void run_until_finished(FiberState &state);

class Fiber {
public:
  template <typename Fn>
  explicit Fiber(Fn &&fn) : state_(std::make_shared<FiberState>()) {
    state_->body = std::forward<Fn>(fn);
    schedule(state_);
  }
  void join() { run_until_finished(*state_); }
  void detach() { state_.reset(); }

private:
  std::shared_ptr<FiberState> state_;
};
} // namespace green

int parse_port(const std::string &text) {
  if (text.empty())
    throw std::invalid_argument("empty port");
  return std::stoi(text);
}

void listen_on(int port);

void start_fiber(const std::string &port) {
  green::Fiber listener([port] { listen_on(parse_port(port)); });
  listener.join();
}

void start_thread(const std::string &port) {
  std::thread listener([port] { listen_on(parse_port(port)); });
  // CHECK: :[[@LINE-1]]:24: warning: an exception escaping this std::thread body calls std::terminate for the whole process [tether-exception-escapes-thread]
  listener.join();
}
