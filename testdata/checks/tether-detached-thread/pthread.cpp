// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <pthread.h>

void *accept_loop(void *);

void start_acceptor() {
  pthread_t tid;
  pthread_create(&tid, nullptr, accept_loop, nullptr);
  // CHECK: :[[@LINE+2]]:3: warning: thread 'tid' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  // CHECK: :[[@LINE-2]]:3: note: thread started here
  pthread_detach(tid);
}

void *worker(void *) {
  // CHECK: :[[@LINE+1]]:3: warning: the calling thread is detached
  pthread_detach(pthread_self());
  return nullptr;
}

struct Poller {
  pthread_t thread_;
  void stop_watching() {
    // CHECK: :[[@LINE+1]]:5: warning: thread 'thread_' is detached
    pthread_detach(thread_);
  }
};

// --- Negatives -------------------------------------------------------------

void start_and_join() {
  pthread_t tid;
  pthread_create(&tid, nullptr, accept_loop, nullptr);
  pthread_join(tid, nullptr);
}

namespace sandbox {
// Not POSIX's: a function of the same name in another namespace.
int pthread_detach(int handle) { return handle; }
} // namespace sandbox
int release(int h) { return sandbox::pthread_detach(h); }
