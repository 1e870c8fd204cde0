// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <pthread.h>
#include <cstdint>

int scan(void *);

void *scan_routine(void *arg) {
  if (!arg)
    return reinterpret_cast<void *>(intptr_t(-1));
  return reinterpret_cast<void *>(intptr_t(scan(arg)));
}

void *quiet_routine(void *arg) {
  scan(arg);
  return nullptr;
}

void start_scan(void *disk) {
  pthread_t tid;
  // CHECK: :[[@LINE+2]]:3: warning: thread 'tid' returns a result from 'scan_routine' that no pthread_join reads: nothing can learn how it ended [tether-lost-thread-result]
  // CHECK: pthread.cpp:11:5: note: 'scan_routine' returns a value here
  pthread_create(&tid, nullptr, scan_routine, disk);
  pthread_join(tid, nullptr);
}

// --- Negatives -------------------------------------------------------------

int scan_and_read(void *disk) {
  pthread_t tid;
  pthread_create(&tid, nullptr, scan_routine, disk);
  void *result = nullptr;
  pthread_join(tid, &result);
  return int(reinterpret_cast<intptr_t>(result));
}

void routine_returns_null(void *disk) {
  pthread_t tid;
  pthread_create(&tid, nullptr, quiet_routine, disk);
  pthread_join(tid, nullptr);
}

void *extern_routine(void *); // no body here: cannot tell
void routine_not_visible(void *disk) {
  pthread_t tid;
  pthread_create(&tid, nullptr, extern_routine, disk);
  pthread_join(tid, nullptr);
}

struct Scanner {
  pthread_t tid_;
  void start(void *disk) { pthread_create(&tid_, nullptr, scan_routine, disk); }
  void *stop() {
    void *r = nullptr;
    pthread_join(tid_, &r); // joined elsewhere: a member handle is not judged
    return r;
  }
};
