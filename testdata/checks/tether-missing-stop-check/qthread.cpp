// A QThread subclass's run() is the body start() runs on the new thread. A
// loop in it that has no exit cannot be stopped: requestInterruption() is
// never seen and wait() never returns. Real Qt 5 headers (qtbase5-dev).
// REQUIRES: qt
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libstdcxx %qt | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-missing-stop-check' %s -- %libcxx %qt-user | FileCheck %s --implicit-check-not='warning:'

#include <QtCore/QMutex>
#include <QtCore/QQueue>
#include <QtCore/QThread>
#include <QtCore/QWaitCondition>
#include <atomic>

void process(int job);
int nextJob();

// --- Positives -------------------------------------------------------------

class Ticker : public QThread {
protected:
  void run() override {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends: it has no exit and no stop check, so the thread cannot be stopped and wait() waits forever [tether-missing-stop-check]
    forever {
      process(nextJob());
      msleep(50);
    }
    // CHECK: :[[@LINE-4]]:5: note: 'Ticker::run' runs on the thread start() starts: leave the loop when isInterruptionRequested() is true, and call requestInterruption() before wait()
  }
};

class Consumer : public QThread {
public:
  void push(int job) {
    QMutexLocker lock(&mutex);
    jobs.enqueue(job);
    ready.wakeOne();
  }

protected:
  void run() override {
    // CHECK: :[[@LINE+1]]:5: warning: loop in thread body never ends
    while (true) {
      QMutexLocker lock(&mutex);
      while (jobs.isEmpty())
        ready.wait(&mutex);
      process(jobs.dequeue());
    }
  }

private:
  QMutex mutex;
  QWaitCondition ready;
  QQueue<int> jobs;
};

// --- Negatives -------------------------------------------------------------

class Poller : public QThread {
protected:
  void run() override {
    while (!isInterruptionRequested()) {
      process(nextJob());
      msleep(50);
    }
  }
};

class BreakingPoller : public QThread {
protected:
  void run() override {
    for (;;) {
      if (isInterruptionRequested())
        break;
      process(nextJob());
    }
  }
};

class FlagThread : public QThread {
public:
  void stop() { running = false; }

protected:
  void run() override {
    while (running.load())
      process(nextJob());
  }

private:
  std::atomic<bool> running{true};
};

class EventLoopThread : public QThread {
protected:
  void run() override { exec(); } // quit() ends it
};

// A run() that is not QThread's: a plain class with a run() method.
class Job {
public:
  virtual ~Job() = default;
  virtual void run() = 0;
};
class Forever : public Job {
public:
  void run() override {
    for (;;)
      process(nextJob());
  }
};
