// Qt's QThread runs from start() until its run() returns (by default an
// event loop that quit() ends); destroying it while it still runs aborts the
// program with "QThread: Destroyed while thread is still running". Only
// wait() makes sure it has ended. Real Qt 5 headers (qtbase5-dev), found
// both as system headers and as the project's own -I headers.
// REQUIRES: qt
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx %qt | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx %qt-user | FileCheck %s --implicit-check-not='warning:'

#include <QtCore/QCoreApplication>
#include <QtCore/QDebug>
#include <QtCore/QObject>
#include <QtCore/QThread>
#include <QtCore/QTimer>

class Worker : public QObject {
public:
  void doWork() { qDebug() << "working in" << QThread::currentThread(); }
};

// A QThread subclass whose run() is its own loop.
class Poller : public QThread {
public:
  void run() override {
    while (!isInterruptionRequested())
      msleep(100);
  }
};

// A subclass that stops and waits for itself when it is destroyed.
class SafeThread : public QThread {
public:
  ~SafeThread() override {
    requestInterruption();
    quit();
    wait();
  }
  void run() override { exec(); }
};

// A subclass whose destructor calls its own stop path.
class StoppingThread : public QThread {
public:
  ~StoppingThread() override { stop(); }
  void stop();
};

bool cancelled();
void keep(QThread *t);

// --- Positives -------------------------------------------------------------

int event_loop_thread(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  Worker worker;
  // CHECK: :[[@LINE+1]]:11: warning: QThread 'thread' may still be running when it goes out of scope on some path: destroying a running QThread aborts the program ("Destroyed while thread is still running") [tether-unjoined-task]
  QThread thread;
  worker.moveToThread(&thread);
  QObject::connect(&thread, &QThread::started, &worker, &Worker::doWork);
  // CHECK: :[[@LINE+1]]:3: note: 'thread' is started here
  thread.start();
  // CHECK: :[[@LINE+1]]:3: note: 'thread' goes out of scope here without wait() (quit() only asks its event loop to end)
  return app.exec();
}

int subclass_thread(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  // CHECK: :[[@LINE+1]]:10: warning: QThread 'poller' may still be running
  Poller poller;
  poller.setObjectName("poller");
  poller.start(QThread::LowPriority);
  return app.exec();
  // CHECK: :[[@LINE-1]]:3: note: 'poller' goes out of scope here without wait()
}

void quit_without_wait() {
  // CHECK: :[[@LINE+1]]:11: warning: QThread 'thread' may still be running
  QThread thread;
  thread.start();
  QTimer::singleShot(0, [] { qDebug() << "tick"; });
  // quit() posts the end of the event loop; the thread still runs here.
  thread.quit();
}
// CHECK: :[[@LINE-1]]:1: note: 'thread' goes out of scope here without wait()

void early_return() {
  // CHECK: :[[@LINE+1]]:11: warning: QThread 'thread' may still be running
  QThread thread;
  thread.start();
  if (cancelled())
    // CHECK: :[[@LINE+1]]:5: note: 'thread' goes out of scope here without wait()
    return;
  thread.quit();
  thread.wait();
}

void restarted_in_branch(bool again) {
  // CHECK: :[[@LINE+1]]:10: warning: QThread 'poller' may still be running
  Poller poller;
  poller.start();
  poller.requestInterruption();
  poller.wait();
  if (again)
    poller.start(); // started a second time, never waited for again
}

// A class that starts its thread and never stops it (the Qt documentation's
// Controller without its destructor).
class Controller : public QObject {
public:
  Controller() {
    auto *worker = new Worker;
    worker->moveToThread(&workerThread);
    connect(&workerThread, &QThread::finished, worker, &QObject::deleteLater);
    workerThread.start();
  }

private:
  QThread workerThread;
};
// CHECK: :[[@LINE-2]]:11: warning: QThread member 'workerThread' is started but never waited for by the destructor of 'Controller': destroying a running QThread aborts the program ("Destroyed while thread is still running") [tether-unjoined-task]
// CHECK: :[[@LINE-7]]:5: note: 'workerThread' is started here
// CHECK: :[[@LINE-14]]:7: note: 'Controller' has an implicit destructor; stop 'workerThread' with quit() and wait() in a destructor

// A destructor that only asks the event loop to end.
class QuittingController : public QObject {
public:
  QuittingController() { pollerThread.start(); }
  ~QuittingController() override { pollerThread.quit(); }

private:
  Poller pollerThread;
};
// CHECK: :[[@LINE-2]]:10: warning: QThread member 'pollerThread' is started but never waited for by the destructor of 'QuittingController'
// CHECK: :[[@LINE-7]]:26: note: 'pollerThread' is started here
// CHECK: :[[@LINE-7]]:3: note: destructor of 'QuittingController' defined here; call quit() (or requestInterruption()) and wait() on 'pollerThread' in it

// A member started in a method rather than the constructor, and a
// destructor that only logs.
class Service : public QObject {
public:
  void begin() { io.start(); }
  ~Service() override { qDebug() << "service gone"; }

private:
  QThread io;
};
// CHECK: :[[@LINE-2]]:11: warning: QThread member 'io' is started but never waited for by the destructor of 'Service'
// CHECK: :[[@LINE-7]]:18: note: 'io' is started here
// CHECK: :[[@LINE-7]]:3: note: destructor of 'Service' defined here

// --- Negatives -------------------------------------------------------------

int quit_and_wait(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  QThread thread;
  Worker worker;
  worker.moveToThread(&thread);
  thread.start();
  int rc = app.exec();
  thread.quit();
  thread.wait();
  return rc;
}

void never_started() {
  QThread thread; // configured but never started: nothing runs
  thread.setObjectName("idle");
}

void waits_only_if_running(bool start) {
  QThread thread;
  if (start)
    thread.start();
  if (thread.isRunning()) {
    thread.quit();
    thread.wait();
  }
}

void handed_on() {
  QThread thread;
  thread.start();
  keep(&thread); // the callee may stop and wait for it
}

void self_waiting_subclass() {
  SafeThread thread; // its destructor quits and waits
  thread.start();
}

void self_stopping_subclass() {
  StoppingThread thread; // its destructor calls stop(), which may wait
  thread.start();
}

void stopped_by_a_lambda(bool fast) {
  QThread thread;
  auto stop = [&thread] {
    thread.quit();
    thread.wait();
  };
  thread.start();
  if (fast)
    return stop();
  stop();
}

// The Qt documentation's Controller: the destructor quits and waits.
class DocumentedController : public QObject {
public:
  DocumentedController() {
    auto *worker = new Worker;
    worker->moveToThread(&workerThread);
    connect(&workerThread, &QThread::finished, worker, &QObject::deleteLater);
    workerThread.start();
  }
  ~DocumentedController() override {
    workerThread.quit();
    workerThread.wait();
  }

private:
  QThread workerThread;
};

// A destructor that calls the class's own shutdown path.
class ShutdownController : public QObject {
public:
  ShutdownController() { thread.start(); }
  ~ShutdownController() override { shutdown(); }
  void shutdown() {
    thread.requestInterruption();
    thread.wait();
  }

private:
  Poller thread;
};

// A member nobody in the class starts, and one that waits for itself.
class Holder : public QObject {
public:
  QThread spare;
  SafeThread safe;
  Holder() { safe.start(); }
};

// The thread's end ends the application's event loop: main goes on only
// once it has finished (both spellings of connect).
int ends_the_loop(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  Poller poller;
  QObject::connect(&poller, &QThread::finished, &app, &QCoreApplication::quit);
  poller.start();
  return app.exec();
}

int ends_the_loop_by_name(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  Poller poller;
  QObject::connect(&poller, SIGNAL(finished()), &app, SLOT(quit()));
  poller.start();
  return app.exec();
}
