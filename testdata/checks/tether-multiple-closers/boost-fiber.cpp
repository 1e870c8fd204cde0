// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-multiple-closers' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-multiple-closers' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/unbuffered_channel.hpp>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <vector>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;

void handle(int);
bool done(int);

// --- Positives -------------------------------------------------------------

// A member closed by the owner's stop() and by the worker thread.
class Pump {
public:
  void start() {
    worker_ = std::thread([this] {
      int v;
      while (queue_.pop(v) == channel_op_status::success)
        if (done(v))
          // CHECK: :[[@LINE+3]]:18: warning: 'queue_' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
    // CHECK: :[[@LINE+6]]:12: note: 'queue_' is also closed here, in 'Pump::stop'
          // CHECK: :[[@LINE+1]]:18: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
          queue_.close();
    });
  }
  void stop() {
    queue_.close();
    worker_.join();
  }

private:
  buffered_channel<int> queue_{32};
  std::thread worker_;
};

// Two producer threads each close the channel they share.
void two_producers() {
  buffered_channel<int> ch(8);
  std::thread a([&ch] {
    ch.push(1);
    // CHECK: :[[@LINE+3]]:8: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
    // CHECK: :[[@LINE+6]]:8: note: 'ch' is also closed here, in a lambda
    // CHECK: :[[@LINE+1]]:8: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
    ch.close();
  });
  std::thread b([&ch] {
    ch.push(2);
    ch.close();
  });
  for (int v : ch)
    handle(v);
  a.join();
  b.join();
}

// The same producer function started twice: each thread closes.
void produce(buffered_channel<int> &out, int from) {
  for (int i = from; i < from + 10; ++i)
    out.push(i);
  // CHECK: :[[@LINE+5]]:7: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+8]]:15: note: 'produce' runs on its own thread, started here
  // CHECK: :[[@LINE+3]]:7: note: 'ch' is also closed here, in 'produce'
  // CHECK: :[[@LINE+7]]:15: note: 'produce' runs on its own thread, started here
  // CHECK: :[[@LINE+1]]:7: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
  out.close();
}
void fan_in() {
  buffered_channel<int> ch(8);
  std::thread a(produce, std::ref(ch), 0);
  std::thread b(produce, std::ref(ch), 100);
  for (int v : ch)
    handle(v);
  a.join();
  b.join();
}

// A spawning function closes, and so does the thread it started.
void closes_twice(unbuffered_channel<int> &ch) {
  std::thread t([&ch] {
    ch.push(1);
    // CHECK: :[[@LINE+3]]:8: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+4]]:6: note: 'ch' is also closed here, in 'closes_twice'
    // CHECK: :[[@LINE+1]]:8: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
    ch.close();
  });
  ch.close();
  t.join();
}

// stop() and a destructor that does not call it.
class Feed {
public:
  void publish(int v) { out_.push(v); }
  // CHECK: :[[@LINE+3]]:22: warning: 'out_' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+3]]:18: note: 'out_' is also closed here, in the destructor of 'Feed'
  // CHECK: :[[@LINE+1]]:22: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
  void stop() { out_.close(); }
  ~Feed() { out_.close(); }

private:
  buffered_channel<int> out_{4};
};

// A helper that closes, called from two thread bodies.
static void finish(buffered_channel<int> &ch) { ch.close(); }
void helper_in_two_threads(buffered_channel<int> &ch) {
  std::thread a([&ch] {
    ch.push(1);
    // CHECK: :[[@LINE+3]]:5: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
    // CHECK: :[[@LINE+6]]:5: note: 'ch' is also closed here, in a lambda
    // CHECK: :[[@LINE+1]]:5: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
    finish(ch);
  });
  std::thread b([&ch] {
    ch.push(2);
    finish(ch);
  });
  a.join();
  b.join();
}

// A shared_ptr captured by copy is the same channel.
void shared_owner() {
  auto ch = std::make_shared<buffered_channel<int>>(8);
  // CHECK: :[[@LINE+3]]:28: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
    // CHECK: :[[@LINE+5]]:9: note: 'ch' is also closed here, in a lambda
  // CHECK: :[[@LINE+1]]:28: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
  std::thread a([ch] { ch->close(); });
  std::thread b([ch] {
    ch->push(1);
    ch->close();
  });
  a.join();
  b.join();
}

// std::async tasks.
// CHECK: :[[@LINE+5]]:50: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+6]]:13: note: 'task_closes' runs on its own thread, started here
// CHECK: :[[@LINE+3]]:50: note: 'ch' is also closed here, in 'task_closes'
  // CHECK: :[[@LINE+5]]:13: note: 'task_closes' runs on its own thread, started here
// CHECK: :[[@LINE+1]]:50: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
void task_closes(buffered_channel<int> &ch) { ch.close(); }
void async_closers(buffered_channel<int> &ch) {
  auto f1 = std::async(std::launch::async, task_closes, std::ref(ch));
  auto f2 = std::async(std::launch::async, task_closes, std::ref(ch));
  f1.wait();
  f2.wait();
}

// A member pointer, closed from two methods.
class Router {
public:
  void attach(buffered_channel<int> *out) { out_ = out; }
  // CHECK: :[[@LINE+3]]:27: warning: 'out_' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+3]]:25: note: 'out_' is also closed here, in 'Router::on_eof'
  // CHECK: :[[@LINE+1]]:27: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
  void on_error() { out_->close(); }
  void on_eof() { out_->close(); }

private:
  buffered_channel<int> *out_ = nullptr;
};

// A parameter closed by the function and by a lambda it starts.
void param_and_lambda(buffered_channel<int> &ch, bool early) {
  // CHECK: :[[@LINE+3]]:28: warning: 'ch' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
    // CHECK: :[[@LINE+4]]:8: note: 'ch' is also closed here, in 'param_and_lambda'
  // CHECK: :[[@LINE+1]]:28: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
  std::thread t([&ch] { ch.close(); });
  if (early)
    ch.close();
  t.join();
}

// Two instances of the same lambda body run by many threads.
void many_workers(buffered_channel<int> &results) {
  std::vector<std::thread> pool;
  auto body = [&results](int id) {
    results.push(id);
    // CHECK: :[[@LINE+3]]:13: warning: 'results' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+5]]:43: note: 'results' is also closed here, in a lambda
    // CHECK: :[[@LINE+1]]:13: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
    results.close();
  };
  std::thread first(body, 1);
  std::thread second([&results] { results.close(); });
  first.join();
  second.join();
}

// A member closed through [this] in a thread, and by abort().
class Batcher {
public:
  void start() {
    // CHECK: :[[@LINE+3]]:46: warning: 'batches_' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+4]]:27: note: 'batches_' is also closed here, in 'Batcher::abort'
    // CHECK: :[[@LINE+1]]:46: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
    flusher_ = std::thread([this] { batches_.close(); });
  }
  void abort() { batches_.close(); }

private:
  buffered_channel<int> batches_{2};
  std::thread flusher_;
};

// --- Negatives -------------------------------------------------------------

// The destructor calls stop(): one closer.
class Server {
public:
  void serve() {
    int v;
    while (requests_.pop(v) == channel_op_status::success)
      handle(v);
  }
  void stop() { requests_.close(); }
  ~Server() { stop(); }

private:
  buffered_channel<int> requests_{16};
};

// The destructor calls shutdown(), which closes, and then closes again
// itself: still one closer, on one thread.
class Relay {
public:
  void shutdown() { out_.close(); }
  ~Relay() {
    shutdown();
    out_.close();
  }

private:
  buffered_channel<int> out_{16};
};

// One closer, several receivers.
void one_closer() {
  buffered_channel<int> ch(8);
  std::thread producer([&ch] {
    for (int i = 0; i < 10; ++i)
      ch.push(i);
    ch.close();
  });
  std::thread c1([&ch] {
    for (int v : ch)
      handle(v);
  });
  for (int v : ch)
    handle(v);
  producer.join();
  c1.join();
}

// Two different channels, each closed once.
void two_channels(buffered_channel<int> &a, buffered_channel<int> &b) {
  std::thread t([&a] { a.close(); });
  b.close();
  t.join();
}

// Closed twice in one function: one closer (one thread).
void both_branches(buffered_channel<int> &ch, bool fail) {
  if (fail) {
    ch.close();
    return;
  }
  ch.push(1);
  ch.close();
}

// A helper called synchronously: the caller is the closer.
static void close_it(buffered_channel<int> &ch) { ch.close(); }
void sync_helper(buffered_channel<int> &ch) {
  ch.push(1);
  close_it(ch);
}

// Different members of two objects.
struct Link {
  buffered_channel<int> q{1};
  void close_mine() { q.close(); }
};

// A producer started once.
void single_producer() {
  buffered_channel<int> ch(8);
  std::thread a(produce, std::ref(ch), 0);
  for (int v : ch)
    handle(v);
  a.join();
}

// A lambda invoked right here is the function's own close.
void scoped_close(buffered_channel<int> &ch) {
  auto closer = [&ch] { ch.close(); };
  ch.push(1);
  closer();
}

// Separate instances of a class: the same member of different objects is
// still one closer per class method.
class Single {
public:
  void stop() { ch_.close(); }

private:
  buffered_channel<int> ch_{1};
};

// The producer closes after its last push; the consumer closes again after
// a drain that ends only once the channel is closed: its close finds the
// channel closed and cuts off nobody. One closer.
void produce_words(buffered_channel<int> &ch) {
  for (int i = 0; i < 5; ++i)
    ch.push(i);
  ch.close();
}
void consume_words(buffered_channel<int> &ch) {
  for (int v : ch)
    (void)v;
  ch.close();
}
void words_pipeline() {
  buffered_channel<int> ch{4};
  std::thread producer(produce_words, std::ref(ch));
  std::thread consumer(consume_words, std::ref(ch));
  producer.join();
  consumer.join();
}

// Suppressed.
void acknowledged(buffered_channel<int> &ch) {
  std::thread t([&ch] { ch.close(); }); // NOLINT(tether-multiple-closers)
  ch.close();
  t.join();
}
