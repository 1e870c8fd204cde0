// A stop_token that is named and never read, in a loop that also ends on a
// message it receives: a stop request still goes unheard until that message
// comes.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

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
