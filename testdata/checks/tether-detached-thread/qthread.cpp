// A QThread created with `new` and no parent, that the function starts and
// then lets go of: nobody holds it, so nothing can ask it to stop or wait
// for it (the widely copied "worker object" recipe, whose deleteLater on
// finished only frees the thread once it has ended by itself). The Qt form
// of a detached thread. Real Qt 5 headers, as system and as -I headers.
// REQUIRES: qt
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx %qt | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx %qt-user | FileCheck %s --implicit-check-not='warning:'

#include <QtCore/QCoreApplication>
#include <QtCore/QObject>
#include <QtCore/QThread>

class Worker : public QObject {
public:
  void process();
};

class Crawler : public QThread {
public:
  void run() override;
};

// --- Positives -------------------------------------------------------------

// The recipe: the worker's end quits the thread, the thread's end deletes
// both; nobody can stop it early or wait for it at shutdown.
void start_worker() {
  // CHECK-DAG: :[[@LINE+1]]:12: warning: QThread 'thread' has no parent and nothing keeps it once started: nothing can stop it or wait for it to finish [tether-detached-thread]
  QThread *thread = new QThread;
  Worker *worker = new Worker;
  worker->moveToThread(thread);
  QObject::connect(thread, &QThread::started, worker, &Worker::process);
  QObject::connect(thread, SIGNAL(finished()), thread, SLOT(deleteLater()));
  // CHECK-DAG: :[[@LINE+1]]:3: note: 'thread' is started here
  thread->start();
}

// A subclass started and dropped; connecting its finished signal to its
// own quit() waits for nothing.
void crawl() {
  // CHECK-DAG: :[[@LINE+1]]:12: warning: QThread 'crawler' has no parent and nothing keeps it once started
  Crawler *crawler = new Crawler();
  QObject::connect(crawler, SIGNAL(finished()), crawler, SLOT(quit()));
  crawler->start(QThread::LowPriority);
}

// --- Negatives -------------------------------------------------------------

// A parent: the parent's destruction answers for it (tether-unjoined-task's
// business when it may still run then).
void start_owned(QObject *owner) {
  QThread *thread = new QThread(owner);
  thread->start();
}

// Kept: stored for the owner, returned, or waited for.
class Service {
public:
  void start() {
    QThread *thread = new QThread;
    thread->start();
    thread_ = thread;
  }
  ~Service() {
    thread_->quit();
    thread_->wait();
    delete thread_;
  }

private:
  QThread *thread_ = nullptr;
};

QThread *start_for_caller() {
  QThread *thread = new QThread;
  thread->start();
  return thread;
}

void run_and_wait() {
  QThread *thread = new QThread;
  thread->start();
  thread->quit();
  thread->wait();
  delete thread;
}

// The application's loop ends when the thread does: main waits for it.
int main_loop(int argc, char **argv) {
  QCoreApplication app(argc, argv);
  QThread *thread = new QThread;
  QObject::connect(thread, SIGNAL(finished()), &app, SLOT(quit()));
  thread->start();
  return app.exec();
}

// Created but never started.
void configure_only() {
  QThread *thread = new QThread;
  thread->setObjectName("idle");
}
