// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-channel-never-closed' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-channel-never-closed' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/buffered_channel.hpp>
#include <boost/fiber/fiber.hpp>
#include <boost/fiber/unbuffered_channel.hpp>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using boost::fibers::buffered_channel;
using boost::fibers::channel_op_status;
using boost::fibers::unbuffered_channel;
using namespace std::chrono_literals;

struct Job {
  int id = 0;
  bool last = false;
};
void handle(int);
void handle(const Job &);
void handle(const std::string &);
int next_value();
void start_producers(buffered_channel<int> &);

// --- Positives -------------------------------------------------------------

// The producer thread sends ten values and returns; the consumer ranges
// over the channel, which ends only on close.
void pipeline() {
  buffered_channel<int> ch{8};
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i)
      ch.push(i);
  });
  // CHECK: :[[@LINE+4]]:3: warning: 'ch' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-6]]:25: note: 'ch' is declared here
  // CHECK: :[[@LINE-4]]:10: note: values are sent here, but nothing closes 'ch'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  for (int v : ch)
    handle(v);
  producer.join();
}

// The consumer is the thread; the owner produces and joins.
void fan_in() {
  buffered_channel<int> results{16};
  std::thread consumer([&results] {
    int v;
    // CHECK: :[[@LINE+4]]:5: warning: 'results' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
    // CHECK: :[[@LINE-4]]:25: note: 'results' is declared here
    // CHECK: :[[@LINE+6]]:13: note: values are sent here, but nothing closes 'results'
    // CHECK: :[[@LINE+1]]:5: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
    while (results.pop(v) == channel_op_status::success)
      handle(v);
  });
  for (int i = 0; i < 4; ++i)
    results.push(next_value());
  consumer.join();
}

// A worker pool whose stop() only joins.
class Executor {
public:
  explicit Executor(int n) {
    for (int i = 0; i < n; ++i)
      workers_.emplace_back([this] { work(); });
  }
  void post(std::function<void()> task) { tasks_.push(std::move(task)); }
  void stop() {
    for (auto &t : workers_)
      t.join();
  }

private:
  void work() {
    std::function<void()> task;
    // CHECK: :[[@LINE+4]]:5: warning: 'tasks_' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
    // CHECK: :[[@LINE+6]]:43: note: 'tasks_' is declared here
    // CHECK: :[[@LINE-11]]:50: note: values are sent here, but nothing closes 'tasks_'
    // CHECK: :[[@LINE+1]]:5: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
    while (channel_op_status::success == tasks_.pop(task))
      task();
  }
  buffered_channel<std::function<void()>> tasks_{64};
  std::vector<std::thread> workers_;
};

// An unconditional loop that leaves only on the pop's status.
void status_loop() {
  unbuffered_channel<Job> jobs;
  boost::fibers::fiber producer([&jobs] {
    for (int i = 0; i < 3; ++i)
      jobs.push(Job{i});
  });
  // CHECK: :[[@LINE+4]]:3: warning: 'jobs' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-6]]:27: note: 'jobs' is declared here
  // CHECK: :[[@LINE-4]]:12: note: values are sent here, but nothing closes 'jobs'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  for (;;) {
    Job job;
    channel_op_status st = jobs.pop(job);
    if (st != channel_op_status::success)
      break;
    handle(job);
  }
  producer.join();
}

// The same, with the pop in the if.
void inline_status() {
  buffered_channel<int> ch{4};
  std::thread t([&] { ch.push(1); });
  int v;
  // CHECK: :[[@LINE+4]]:3: warning: 'ch' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-4]]:25: note: 'ch' is declared here
  // CHECK: :[[@LINE-4]]:26: note: values are sent here, but nothing closes 'ch'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  while (true) {
    if (ch.pop(v) == channel_op_status::closed)
      break;
    handle(v);
  }
  t.join();
}

// A producer function with a visible body, started with std::ref.
void produce(buffered_channel<std::string> &out) {
  out.push("a");
  out.push("b");
}
void spawn_by_ref() {
  buffered_channel<std::string> lines{2};
  std::thread writer(produce, std::ref(lines));
  // CHECK: :[[@LINE+4]]:3: warning: 'lines' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-3]]:33: note: 'lines' is declared here
  // CHECK: :[[@LINE-8]]:7: note: values are sent here, but nothing closes 'lines'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  for (const std::string &line : lines)
    handle(line);
  writer.join();
}

// A shared_ptr channel the function made, captured by copy.
void shared_owner() {
  auto ch = std::make_shared<buffered_channel<int>>(8);
  std::thread producer([ch] { ch->push(1); });
  std::thread consumer([ch] {
    // CHECK: :[[@LINE+4]]:5: warning: 'ch' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
    // CHECK: :[[@LINE-4]]:8: note: 'ch' is declared here
    // CHECK: :[[@LINE-4]]:35: note: values are sent here, but nothing closes 'ch'
    // CHECK: :[[@LINE+1]]:5: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
    for (int v : *ch)
      handle(v);
  });
  producer.join();
  consumer.join();
}

// Methods defined out of line, all in this file.
class Logger {
public:
  Logger();
  ~Logger();
  void log(std::string line);

private:
  void drain();
  buffered_channel<std::string> lines_{128};
  std::thread writer_;
};
Logger::Logger() : writer_([this] { drain(); }) {}
Logger::~Logger() { writer_.join(); }
void Logger::log(std::string line) { lines_.push(std::move(line)); }
void Logger::drain() {
  std::string line;
  // CHECK: :[[@LINE+4]]:3: warning: 'lines_' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-9]]:33: note: 'lines_' is declared here
  // CHECK: :[[@LINE-5]]:45: note: values are sent here, but nothing closes 'lines_'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  while (lines_.pop(line) == channel_op_status::success)
    handle(line);
}

// Values pushed before the drain, on one fiber: the loop never ends.
void self_feed() {
  buffered_channel<int> ch{4};
  ch.push(1);
  ch.push(2);
  // CHECK: :[[@LINE+4]]:3: warning: 'ch' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
  // CHECK: :[[@LINE-4]]:25: note: 'ch' is declared here
  // CHECK: :[[@LINE-4]]:6: note: values are sent here, but nothing closes 'ch'
  // CHECK: :[[@LINE+1]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
  for (int v : ch)
    handle(v);
}

// The consumer is a function the channel is handed to, here as a thread's
// entry with std::ref: the same channel, drained in another function.
// CHECK: :[[@LINE+6]]:3: warning: 'jobs' is received from until it is closed, but nothing closes it: once the senders are done, this loop waits forever [tether-channel-never-closed]
// CHECK: :[[@LINE+9]]:25: note: 'jobs' is declared here
// CHECK: :[[@LINE+9]]:15: note: 'jobs' is handed to 'consume_jobs' here, which receives from it until it is closed
// CHECK: :[[@LINE+10]]:10: note: values are sent here, but nothing closes 'jobs'
// CHECK: :[[@LINE+2]]:3: note: close it when the last sender is done: e.g. after joining the producers, or at the end of the single producer
void consume_jobs(buffered_channel<Job> &in) {
  for (const Job &job : in)
    handle(job);
}
void spawn_consumer() {
  buffered_channel<Job> jobs{16};
  std::thread consumer(consume_jobs, std::ref(jobs));
  for (int i = 0; i < 4; ++i)
    jobs.push(Job{i});
  consumer.join();
}

// The consumer runs on this thread, called directly; a lambda feeds it.
// CHECK: :[[@LINE+4]]:3: warning: 'ch' is received from until it is closed
// CHECK: :[[@LINE+9]]:3: note: 'ch' is handed to 'drain_status' here
void drain_status(buffered_channel<int> &in) {
  int v;
  while (in.pop(v) == channel_op_status::success)
    handle(v);
}
void call_consumer() {
  buffered_channel<int> ch{4};
  std::thread producer([&] { ch.push(next_value()); });
  drain_status(ch);
  producer.join();
}

// A lambda hands the channel on; the consumer is shared with an owner that
// closes its own channel (no report for that one).
// CHECK: :[[@LINE+2]]:3: warning: 'feed' is received from until it is closed
void consume_ints(buffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}
void lambda_hands_on() {
  buffered_channel<int> feed{4};
  std::thread consumer([&] { consume_ints(feed); });
  feed.push(1);
  consumer.join();
}
void closes_its_own() {
  buffered_channel<int> mine{4};
  std::thread consumer(consume_ints, std::ref(mine));
  mine.push(1);
  mine.close();
  consumer.join();
}

// --- Negatives -------------------------------------------------------------

// The single producer closes when it is done.
void producer_closes() {
  buffered_channel<int> ch{8};
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i)
      ch.push(i);
    ch.close();
  });
  for (int v : ch)
    handle(v);
  producer.join();
}

// The owner closes after joining the producers (on one path only: any close
// counts).
void owner_closes(bool ok) {
  buffered_channel<int> ch{8};
  std::vector<std::thread> producers;
  for (int i = 0; i < 3; ++i)
    producers.emplace_back([&ch, i] { ch.push(i); });
  std::thread consumer([&] {
    int v;
    while (ch.pop(v) == channel_op_status::success)
      handle(v);
  });
  for (auto &p : producers)
    p.join();
  if (ok)
    ch.close();
  consumer.join();
}

// Handed to code this file cannot see: it may close.
void hidden_producers() {
  buffered_channel<int> ch{8};
  start_producers(ch);
  ch.push(0);
  for (int v : ch)
    handle(v);
}

// A parameter: the caller owns the channel and closes it (or not) there.
void drain(buffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}
void feed(buffered_channel<int> &out) { out.push(1); }

// A sentinel value ends the loop.
void sentinel() {
  buffered_channel<int> ch{8};
  std::thread producer([&] {
    ch.push(1);
    ch.push(-1);
  });
  for (int v : ch) {
    if (v < 0)
      break;
    handle(v);
  }
  producer.join();
}

// A stop flag in the condition.
void stop_flag(std::atomic<bool> &stop) {
  buffered_channel<int> ch{8};
  std::thread producer([&] { ch.push(1); });
  int v;
  while (!stop && ch.pop(v) == channel_op_status::success)
    handle(v);
  producer.join();
}

// Polling and timed loops are not drains (busy-wait's business).
void polling() {
  buffered_channel<int> ch{8};
  std::thread producer([&] { ch.push(1); });
  int v;
  while (ch.try_pop(v) == channel_op_status::success)
    handle(v);
  while (ch.pop_wait_for(v, 10ms) == channel_op_status::success)
    handle(v);
  producer.join();
}

// A sentinel on the popped value in an unconditional loop.
void sentinel_status() {
  buffered_channel<Job> ch{8};
  std::thread producer([&] { ch.push(Job{1, true}); });
  for (;;) {
    Job job;
    channel_op_status st = ch.pop(job);
    if (st != channel_op_status::success || job.last)
      break;
    handle(job);
  }
  producer.join();
}

// A public member of a struct: anybody may close it.
struct Mailbox {
  buffered_channel<int> inbox{8};
  void post(int v) { inbox.push(v); }
  void run() {
    for (int v : inbox)
      handle(v);
  }
};

// A class with a method defined in another file.
class Stage {
public:
  void submit(int v) { in_.push(v); }
  void run() {
    int v;
    while (in_.pop(v) == channel_op_status::success)
      handle(v);
  }
  void shutdown(); // elsewhere

private:
  buffered_channel<int> in_{16};
};

// A pool whose stop() closes (after the pattern of a real async executor).
class Pool {
public:
  void post(std::function<void()> f) { channel_.push(std::move(f)); }
  void stop() {
    channel_.close();
    for (auto &t : workers_)
      t.join();
  }
  void start() {
    workers_.emplace_back([this] {
      auto task = std::function<void()>{};
      while (boost::fibers::channel_op_status::success == channel_.pop(task))
        task();
    });
  }

private:
  buffered_channel<std::function<void()>> channel_{64};
  std::vector<std::thread> workers_;
};

// Closed through a helper with a visible body.
void finish(buffered_channel<int> &ch) { ch.close(); }
void helper_closes() {
  buffered_channel<int> ch{8};
  std::thread producer([&] {
    ch.push(1);
    finish(ch);
  });
  for (int v : ch)
    handle(v);
  producer.join();
}

// Closed by a callback the function hands out.
void callback_closes(std::function<void(std::function<void()>)> on_done) {
  buffered_channel<int> ch{8};
  on_done([&ch] { ch.close(); });
  ch.push(1);
  for (int v : ch)
    handle(v);
}

// The address is stored: the picture is incomplete.
struct Context {
  buffered_channel<int> *out = nullptr;
};
void register_sink(Context &);
void stored() {
  buffered_channel<int> ch{8};
  Context ctx;
  ctx.out = &ch;
  register_sink(ctx);
  ch.push(1);
  for (int v : ch)
    handle(v);
}

// A channel type that depends on a template parameter.
template <typename T> void typed_drain() {
  buffered_channel<T> ch{8};
  std::thread producer([&] { ch.push(T{}); });
  for (const T &v : ch)
    handle(v);
  producer.join();
}
template void typed_drain<int>();

// A return inside the drain loop is another way out.
int first_positive() {
  buffered_channel<int> ch{8};
  std::thread producer([&] { ch.push(next_value()); });
  for (int v : ch)
    if (v > 0) {
      producer.join();
      return v;
    }
  producer.join();
  return 0;
}

// A friend may close the member: the class is not the whole picture.
class Feed {
  friend void shutdown_feed(Feed &);

public:
  void post(int v) { in_.push(v); }
  void run() {
    for (int v : in_)
      handle(v);
  }

private:
  buffered_channel<int> in_{8};
};
void shutdown_feed(Feed &f) { f.in_.close(); }

// Another object of the class closes it.
class Relay {
public:
  void post(int v) { out_.push(v); }
  void run() {
    int v;
    while (out_.pop(v) == channel_op_status::success)
      handle(v);
  }
  static void stop_all(Relay &a, Relay &b) {
    a.out_.close();
    b.out_.close();
  }

private:
  buffered_channel<int> out_{8};
};

// Handed to a consumer function and closed after the last push.
void consume_closed(buffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}
void handed_and_closed() {
  buffered_channel<int> ch{4};
  std::thread consumer(consume_closed, std::ref(ch));
  ch.push(1);
  ch.close();
  consumer.join();
}

// The consumer function has a second way out: a count.
void consume_some(buffered_channel<int> &in, int n) {
  int v;
  while (n-- > 0 && in.pop(v) == channel_op_status::success)
    handle(v);
}
void bounded_consumer() {
  buffered_channel<int> ch{4};
  std::thread consumer(consume_some, std::ref(ch), 1);
  ch.push(1);
  consumer.join();
}

// Handed to a consumer and to producers whose bodies are not visible: they
// may close it.
void consume_hidden(buffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}
void handed_to_hidden() {
  buffered_channel<int> ch{4};
  std::thread consumer(consume_hidden, std::ref(ch));
  ch.push(1);
  start_producers(ch);
  consumer.join();
}

// The consumer function closes nothing, but the helper the owner calls does.
void consume_then(buffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}
void handed_and_finished() {
  buffered_channel<int> ch{4};
  std::thread consumer(consume_then, std::ref(ch));
  ch.push(1);
  finish(ch);
  consumer.join();
}

// Nothing is ever sent: the consumer's wait is not this check's business.
void consume_nothing(buffered_channel<int> &in) {
  for (int v : in)
    handle(v);
}
void never_fed() {
  buffered_channel<int> ch{4};
  std::thread consumer(consume_nothing, std::ref(ch));
  consumer.join();
}
