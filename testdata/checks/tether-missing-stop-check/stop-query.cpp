// A loop that asks its owner's object whether to stop, through a question
// named as one (stopped(), should_stop(), is_cancelled(),
// isInterruptionRequested()), observes a stop however the owner keeps it.
// A loop that asks nothing of the kind is still reported.
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <thread>

void poll_sensors();

// The service's own context: stop() is called by whoever owns the service.
class ServiceContext {
public:
  bool stopped() const;
  bool should_stop() const;
  bool ready() const;
};

void run_until_stopped(ServiceContext &ctx) {
  std::thread worker([&ctx] {
    while (!ctx.stopped())
      poll_sensors();
  });
  worker.join();
}

void run_until_asked(ServiceContext &ctx) {
  std::thread worker([&ctx] {
    for (;;) {
      if (ctx.should_stop())
        return;
      poll_sensors();
    }
  });
  worker.join();
}

void run_forever(ServiceContext &ctx) {
  std::thread worker([&ctx] {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    for (;;) {
      if (ctx.ready())
        poll_sensors();
    }
  });
  worker.join();
}
