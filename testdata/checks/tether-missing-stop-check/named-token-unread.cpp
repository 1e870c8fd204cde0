// A stop_token that is named and never read, in a loop that also ends on a
// message it receives: a stop request still goes unheard until that message
// comes.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <chrono>
#include <stop_token>
#include <string>
#include <thread>

std::string receive_message();
void apply(const std::string &msg);

void serve_commands() {
  // CHECK: :[[@LINE+1]]:42: warning: stop token 'token' is never checked: the loop in this thread body cannot be cancelled and join() waits until the loop ends by itself [tether-missing-stop-check]
  std::jthread worker([](std::stop_token token) {
    // CHECK: :[[@LINE+1]]:5: note: this loop never observes a stop request
    while (true) {
      std::string msg = receive_message();
      if (msg == "quit")
        break;
      apply(msg);
    }
  });
}

// --- What stays silent -----------------------------------------------------

// The token is read.
void serve_watching() {
  std::jthread worker([](std::stop_token token) {
    while (!token.stop_requested()) {
      std::string msg = receive_message();
      if (msg == "quit")
        break;
      apply(msg);
    }
  });
}

// An unnamed token: the author says it is not used; the quit message ends it.
void serve_unnamed() {
  std::jthread worker([](std::stop_token) {
    while (true) {
      std::string msg = receive_message();
      if (msg == "quit")
        break;
      apply(msg);
    }
  });
}

// A bounded loop.
void bounded(std::stop_token token) {
  for (int i = 0; i < 3; ++i)
    apply(receive_message());
}
void start_bounded() { std::jthread t(bounded); }

// A loop that ends at a deadline it does not move: it ends by itself.
bool ping();
void probe_for(std::stop_token token, std::chrono::seconds budget) {
  for (auto deadline = std::chrono::steady_clock::now() + budget;
       std::chrono::steady_clock::now() < deadline;)
    if (ping())
      return;
}
void start_probe() { std::jthread t(probe_for, std::chrono::seconds(5)); }

// The same probe whose deadline moves on every answer: it goes on while the
// peer answers, and the stop request goes unheard.
void probe_while_alive(std::stop_token token, std::chrono::seconds idle) {
  // CHECK: :[[@LINE-1]]:40: warning: stop token 'token' is never checked
  auto last = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - last < idle)
    if (ping())
      last = std::chrono::steady_clock::now();
}
void start_probe_while_alive() {
  std::jthread t(probe_while_alive, std::chrono::seconds(5));
}
