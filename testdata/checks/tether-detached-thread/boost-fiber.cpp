// Boost.Fiber: boost::fibers::fiber plays the thread roles (detach, join,
// joinable, a destructor that terminates while joinable). Boost headers
// build with libstdc++ and libc++.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-detached-thread' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <atomic>
#include <cstdio>
#include <exception>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio.hpp>
#include <boost/fiber/all.hpp>
#include <boost/range/join.hpp>
#include <boost/foreach.hpp>
#include <boost/log/trivial.hpp>

using strings = boost::fibers::buffered_channel<std::string>;

void consume(strings &in);
void produce(strings &out);
void tick();
int answer();

void positive_local() {
  boost::fibers::fiber reader([] { tick(); });
  // CHECK: :[[@LINE+3]]:10: warning: fiber 'reader' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  // CHECK: :[[@LINE-2]]:24: note: fiber started here
  // CHECK: :[[@LINE+1]]:10: note: a detached fiber still belongs to its thread's scheduler: the thread cannot finish until the fiber does
  reader.detach();
}

void positive_temporary(strings &out) {
  // CHECK: :[[@LINE+1]]:48: warning: temporary fiber is detached
  boost::fibers::fiber(produce, std::ref(out)).detach();
}

void positive_launch_post(strings &in) {
  // The launch policy comes before the body: the note still finds the spawn.
  // CHECK: :[[@LINE+2]]:76: warning: temporary fiber is detached
  // CHECK: :[[@LINE+1]]:3: note: fiber started here
  boost::fibers::fiber(boost::fibers::launch::post, consume, std::ref(in)).detach();
}

void positive_stack_allocator() {
  boost::fibers::fiber f(std::allocator_arg,
                         boost::fibers::fixedsize_stack(64 * 1024), tick);
  // CHECK: :[[@LINE+1]]:5: warning: fiber 'f' is detached
  f.detach();
}

// A pipeline whose stages are detached: nobody closes the channels or waits
// for the stages, and the thread cannot exit while they wait.
void positive_pipeline(strings &lines, strings &words) {
  std::vector<boost::fibers::fiber> stages;
  stages.emplace_back(produce, std::ref(lines));
  stages.emplace_back(consume, std::ref(words));
  for (auto &stage : stages)
    // CHECK: :[[@LINE+1]]:11: warning: fiber 'stage' is detached
    stage.detach();
}

class Dispatcher {
public:
  void start() {
    loop_ = boost::fibers::fiber([this] { run(); });
    // CHECK: :[[@LINE+1]]:11: warning: fiber 'loop_' is detached
    loop_.detach();
  }

private:
  void run();
  boost::fibers::fiber loop_;
};

// The per-request fiber an executor loop starts and forgets.
void process(const std::string &job);
void positive_in_lambda(strings &jobs) {
  auto spawn = [](std::string job) {
    boost::fibers::fiber worker([job] { process(job); });
    // CHECK: :[[@LINE+1]]:12: warning: fiber 'worker' is detached
    worker.detach();
  };
  std::string job;
  while (jobs.pop(job) == boost::fibers::channel_op_status::success)
    spawn(job);
}

template <typename Fn> void positive_template(Fn fn) {
  boost::fibers::fiber f(fn);
  // CHECK: :[[@LINE+1]]:5: warning: fiber 'f' is detached
  f.detach();
}
template void positive_template(void (*)());

void positive_element(std::vector<boost::fibers::fiber> &pool) {
  pool.emplace_back(tick);
  // CHECK: :[[@LINE+1]]:15: warning: fiber in 'pool' is detached
  pool.back().detach();
}

// A packaged task whose future nobody took: its result and its exception
// go nowhere, and nothing waits for its end.
void positive_untaken_task() {
  boost::fibers::packaged_task<int()> task([] { return 42; });
  // CHECK: :[[@LINE+1]]:41: warning: temporary fiber is detached
  boost::fibers::fiber(std::move(task)).detach();
}

// --- Negatives -------------------------------------------------------------

// Boost.Fiber's work-sharing idiom: finite fibers whose last step counts
// down a shared counter and notifies the condition variable main waits on.
// Their end is seen and they end by themselves: owned.
static std::size_t fibers_left = 0;
static boost::fibers::mutex count_mutex;
static boost::fibers::condition_variable_any count_done;

void share_work(int part) {
  tick();
  std::unique_lock<boost::fibers::mutex> lock(count_mutex);
  if (--fibers_left == 0) {
    lock.unlock();
    count_done.notify_all();
  }
}

void work_sharing() {
  for (int part = 0; part < 8; ++part) {
    boost::fibers::fiber([part] { share_work(part); }).detach();
    ++fibers_left;
  }
  std::unique_lock<boost::fibers::mutex> lock(count_mutex);
  count_done.wait(lock, [] { return fibers_left == 0; });
}

// The same idiom written with fibers made with `new` and kept in a vector,
// each detached through its element: the element is the fiber just pushed.
void work_sharing_by_pointer() {
  std::vector<boost::fibers::fiber *> workers;
  for (int part = 0; part < 8; ++part) {
    workers.push_back(new boost::fibers::fiber(share_work, part));
    workers[part]->detach();
    ++fibers_left;
  }
  std::unique_lock<boost::fibers::mutex> lock(count_mutex);
  count_done.wait(lock, [] { return fibers_left == 0; });
}

// Kept the same way, but each drains a channel nothing closes.
void drain_forever(boost::fibers::buffered_channel<int> &numbers) {
  for (;;) {
    int n = 0;
    numbers.pop(n);
    std::printf("%d\n", n);
  }
}

void drainers_by_pointer(boost::fibers::buffered_channel<int> &numbers) {
  std::vector<boost::fibers::fiber *> drainers;
  for (int i = 0; i < 4; ++i) {
    drainers.push_back(new boost::fibers::fiber(drain_forever, std::ref(numbers)));
    // CHECK: :[[@LINE+1]]:22: warning: fiber in 'drainers' is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    drainers.back()->detach();
  }
}

// The same counter, but a worker that loops until a return: its first
// round's signal is not its end.
void looping_worker(strings &in) {
  // CHECK: :[[@LINE+6]]:6: warning: temporary fiber is detached
  boost::fibers::fiber([&in] {
    for (;;) {
      consume(in);
      count_done.notify_all();
    }
  }).detach();
}

// A timer fiber whose loop asks the owner's context whether to stop: the
// thread's scheduler waits for the fiber, and the owner can end it.
struct ServiceContext {
  bool stopped() const;
};
void ticker(ServiceContext &ctx) {
  boost::fibers::fiber([&ctx] {
    while (!ctx.stopped())
      boost::this_fiber::sleep_for(std::chrono::seconds(1));
  }).detach();
}

// Fan-out: each finite fiber's last step pushes its result into the channel
// the spawner pops (Boost.Fiber's wait-first idiom).
int wait_first(boost::fibers::buffered_channel<int> &results) {
  for (int i = 0; i < 3; ++i)
    boost::fibers::fiber([&results, i] {
      boost::this_fiber::sleep_for(std::chrono::milliseconds(10 * i));
      results.push(i);
    }).detach();
  int first = 0;
  results.pop(first);
  return first;
}

// The same in a template, where the push is not resolved yet.
template <typename T, typename Fn>
void wait_first_value(std::shared_ptr<boost::fibers::buffered_channel<T>> chan,
                      Fn function) {
  boost::fibers::fiber([chan, function] { chan->push(function()); }).detach();
}

// Boost.Fiber's async with a launch policy: the template's instantiation
// sees the packaged task behind the policy.
template <typename Policy, typename Fn>
boost::fibers::future<int> async_with(Policy policy, Fn fn) {
  boost::fibers::packaged_task<int()> task(std::move(fn));
  boost::fibers::future<int> result = task.get_future();
  boost::fibers::fiber{policy, std::move(task)}.detach();
  return result;
}
int launched() { return async_with(boost::fibers::launch::post, answer).get(); }

// A pool's worker hands each task it pops to a fiber of its own: the fiber
// only carries the task; whoever submitted it holds its future.
void carry_tasks(boost::fibers::buffered_channel<std::function<void()>> &tasks) {
  std::function<void()> task;
  while (tasks.pop(task) == boost::fibers::channel_op_status::success)
    boost::fibers::fiber([job = std::move(task)] { job(); }).detach();
}

// The same worker handing the task to the fiber as its argument, into a
// generic lambda that runs it once and logs what it throws.
void carry_queued(std::deque<std::function<void()>> &queue) {
  while (!queue.empty()) {
    boost::fibers::fiber(
        [](auto job) {
          try {
            job();
          } catch (const std::exception &e) {
            std::printf("task failed: %s\n", e.what());
          }
        },
        queue.front())
        .detach();
    queue.pop_front();
  }
}

// A generic lambda that runs its argument forever is no carrier.
void repeat_forever(std::function<void()> tick) {
  boost::fibers::fiber(
      [](auto step) {
        for (;;) {
          step();
          boost::this_fiber::sleep_for(std::chrono::seconds(1));
        }
      },
      tick)
      // CHECK-DAG: :[[@LINE+1]]:8: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
      .detach();
}

// A fiber pool's submit: the whole body is a packaged task whose future goes
// back to the submitter, who gets the result or the exception and waits for
// the end through it (std::async's contract, on a fiber).
template <typename Fn> auto submit(Fn fn) -> boost::fibers::future<decltype(fn())> {
  boost::fibers::packaged_task<decltype(fn())()> task(std::move(fn));
  auto result = task.get_future();
  boost::fibers::fiber{std::move(task)}.detach();
  return result;
}
int submitted() { return submit(answer).get(); }

// The same with the task handed in: its maker took the future.
void run_detached(boost::fibers::packaged_task<void()> task) {
  boost::fibers::fiber(std::move(task)).detach();
}


// Stages kept by their owner and joined after the producer closed the channel.
void joined_stages(strings &lines, std::vector<boost::fibers::fiber> &stages) {
  stages.emplace_back(consume, std::ref(lines));
  produce(lines);
  lines.close();
  for (auto &s : stages)
    s.join();
}

void joined_if_joinable() {
  boost::fibers::fiber f(tick);
  if (f.joinable())
    f.join();
}

// A session detaching from a terminal is not a fiber.
struct Session {
  void detach();
};
void not_a_fiber(Session &s) { s.detach(); }

// The project's fiber handle forwards its own detach: its users are checked.
class FiberHandle {
public:
  explicit FiberHandle(void (*fn)()) : impl_(fn) {}
  void join() { impl_.join(); }
  void detach() { impl_.detach(); }

private:
  boost::fibers::fiber impl_;
};

// Owner by handle: the body was handed a stop signal and a completion
// signal (a fiber promise).
void owned_by_handle(std::shared_ptr<std::atomic<bool>> stop,
                     boost::fibers::promise<void> &done) {
  boost::fibers::fiber([stop, &done] {
    while (!stop->load())
      boost::this_fiber::yield();
    done.set_value();
  }).detach();
}

void moved_to_owner(std::vector<boost::fibers::fiber> &owned) {
  boost::fibers::fiber f(tick);
  owned.push_back(std::move(f));
}

boost::fibers::fiber returned() { return boost::fibers::fiber(tick); }

void waited_future() {
  boost::fibers::future<int> f = boost::fibers::async([] { return 1; });
  (void)f.get();
}

// Fan-out through std::bind (C++11 code that moves a move-only function into
// the fiber): each finite fiber's last step waits at the barrier the spawner
// waits at, so the spawner learns every one has finished.
template <typename Fn>
void run_all(std::shared_ptr<boost::fibers::barrier> barrier, Fn &&function) {
  boost::fibers::fiber(
      std::bind(
          [](std::shared_ptr<boost::fibers::barrier> &barrier,
             typename std::decay<Fn>::type &function) {
            function();
            barrier->wait();
          },
          barrier, std::forward<Fn>(function)))
      .detach();
}
void refresh_all() {
  auto barrier = std::make_shared<boost::fibers::barrier>(2);
  run_all(barrier, tick);
  barrier->wait();
}

// A channel facade of the project that closes after N pushes; its push
// returns the channel's status after sending. The template's lambda pushes
// through it, resolved in the instantiation.
template <typename T> class counted_channel {
public:
  counted_channel(std::shared_ptr<boost::fibers::buffered_channel<T>> chan,
                  std::size_t limit)
      : chan_(std::move(chan)), limit_(limit) {}
  boost::fibers::channel_op_status push(T &&value) {
    boost::fibers::channel_op_status status = chan_->push(std::move(value));
    if (status == boost::fibers::channel_op_status::success && --limit_ == 0)
      chan_->close();
    return status;
  }

private:
  std::shared_ptr<boost::fibers::buffered_channel<T>> chan_;
  std::size_t limit_;
};

template <typename T, typename Fn>
void gather_one(std::shared_ptr<counted_channel<T>> chan, Fn function) {
  boost::fibers::fiber([chan, function] { chan->push(function()); }).detach();
}
int gather() {
  auto results = std::make_shared<boost::fibers::buffered_channel<int>>(4);
  auto chan = std::make_shared<counted_channel<int>>(results, 1);
  gather_one(chan, answer);
  int value = 0;
  results->pop(value);
  return value;
}

// A template is judged on what it becomes: this instantiation's function
// serves forever, and nothing can stop the fiber running it.
void serve_forever() {
  for (;;)
    tick();
}
template <typename Fn> void start_service(Fn function) {
  // CHECK: :[[@LINE+1]]:52: warning: temporary fiber is detached
  boost::fibers::fiber([function] { function(); }).detach();
}
void start_services() { start_service(serve_forever); }

// A per-peer fiber loops while the peer is open; its owner closes the peer
// (close() sets the status the loop reads). Fibers of one scheduler thread
// share plain fields safely: the owner can stop it.
class Peer : public std::enable_shared_from_this<Peer> {
public:
  void start() {
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }
  void close() { status_ = Status::closed; }

private:
  enum class Status { open, closed };
  void run() {
    while (status_ != Status::closed)
      tick();
  }
  Status status_ = Status::open;
};

// The same loop on a field nothing ever assigns: nothing can stop it.
class Beacon : public std::enable_shared_from_this<Beacon> {
public:
  void start() {
    // CHECK: :[[@LINE+1]]:72: warning: temporary fiber is detached
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }

private:
  void run() {
    while (enabled_)
      tick();
  }
  bool enabled_ = true;
};

// A connection's writer fiber drains the outgoing queue while the
// connection is up, asking through an accessor that reads the state under
// the connection's mutex; the reader fiber and close() change that state:
// whoever closes the connection stops the writer. (Its pushes to the
// transport's channel wait for room: it does not end by itself.)
boost::fibers::buffered_channel<std::string> wire{64};
class Link : public std::enable_shared_from_this<Link> {
public:
  enum class State { up, eof, failed };
  void send(std::string frame) {
    {
      std::lock_guard<boost::fibers::mutex> lock(mutex_);
      outgoing_.push_back(std::move(frame));
    }
    if (writing_)
      return;
    writing_ = true;
    boost::fibers::fiber([self = shared_from_this()] {
      self->write_all();
      self->writing_ = false;
    }).detach();
  }
  void close() { set_state(State::failed); }

private:
  State peek_state() const {
    std::lock_guard<boost::fibers::mutex> lock(mutex_);
    return state_;
  }
  void set_state(State s) {
    std::lock_guard<boost::fibers::mutex> lock(mutex_);
    state_ = s;
  }
  void write_all() {
    while (peek_state() == State::up) {
      std::string frame;
      {
        std::lock_guard<boost::fibers::mutex> lock(mutex_);
        if (outgoing_.empty())
          return;
        frame = std::move(outgoing_.front());
        outgoing_.pop_front();
      }
      wire.push(std::move(frame));
    }
  }
  mutable boost::fibers::mutex mutex_;
  std::deque<std::string> outgoing_;
  State state_ = State::up;
  bool writing_ = false;
};

// The same writer asking an accessor of a setting nothing changes after
// construction: the accessor is no stop signal, and the loop never ends.
class Ticker : public std::enable_shared_from_this<Ticker> {
public:
  void start() {
    // CHECK: :[[@LINE+1]]:72: warning: temporary fiber is detached
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }

private:
  bool enabled() const { return enabled_; }
  void run() {
    while (enabled())
      tick();
  }
  bool enabled_ = true;
};

// A session fiber whose loop leaves on a test of state it advances itself
// (logged_in_ set after its own logon): no one else changes it, so it is no
// stop signal, and nothing can end a session that never logs on.
int read_message();
class FixSession {
public:
  void start() {
    // CHECK: :[[@LINE+1]]:48: warning: temporary fiber is detached
    boost::fibers::fiber([this] { handle(); }).detach();
  }

private:
  void handle() {
    while (true) {
      int type = read_message();
      if (!logged_in_ && type != logon)
        return;
      if (!logged_in_)
        logged_in_ = true;
      tick();
    }
  }
  static constexpr int logon = 1;
  bool logged_in_ = false;
};

// A fan-out fiber walks two pools of entities joined into one range
// (boost::join concatenates ranges: it waits for nothing) and starts one
// fiber per entity, each counted down for update()'s caller to wait on: the
// walk ends by itself.
struct Entity {
  void update();
};
class Updater {
public:
  void update() {
    pending_ += statics_.size() + extras_.size();
    boost::fibers::fiber([this] { fan_out(); }).detach();
  }
  void wait() {
    std::unique_lock<boost::fibers::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return pending_ == 0; });
  }

private:
  void fan_out() {
    for (Entity *e : boost::join(statics_, extras_))
      boost::fibers::fiber([this, e] {
        e->update();
        std::unique_lock<boost::fibers::mutex> lock(mutex_);
        if (--pending_ == 0)
          cv_.notify_all();
      }).detach();
  }
  std::vector<Entity *> statics_, extras_;
  std::size_t pending_ = 0;
  boost::fibers::mutex mutex_;
  boost::fibers::condition_variable_any cv_;
};

// A handshake fiber: it sends its greeting, waits for the reply until a
// deadline and records the outcome on the peer it keeps alive. It ends by
// itself in bounded time, and the scheduler waits for it: silent.
struct Reply {
  std::string text;
};
std::vector<std::string> outbox;
void send_greeting(const std::string &to) { outbox.push_back("hello " + to); }

class Handshake : public std::enable_shared_from_this<Handshake> {
public:
  void start() {
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }
  void deliver(Reply r) { reply_.set_value(std::move(r)); }

private:
  void run() {
    try {
      send_greeting(peer_);
      auto reply = reply_.get_future();
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
      shaken_ = reply.wait_until(deadline) == boost::fibers::future_status::ready;
    } catch (const std::exception &) {
      shaken_ = false;
    }
  }
  std::string peer_;
  boost::fibers::promise<Reply> reply_;
  bool shaken_ = false;
};

// The same handshake waiting for its reply with no deadline: if the peer
// never answers, the fiber never ends and its thread cannot exit.
class PatientHandshake : public std::enable_shared_from_this<PatientHandshake> {
public:
  void start() {
    // CHECK: :[[@LINE+1]]:72: warning: temporary fiber is detached
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }

private:
  void run() {
    auto reply = reply_.get_future();
    shaken_ = !reply.get().text.empty();
  }
  boost::fibers::promise<Reply> reply_;
  bool shaken_ = false;
};

// A handshake that frames its greeting with a checksum (a loop over the
// bytes, several calls down) and waits for the reply in slices until a
// deadline or until the connection closes, as fiber programs poll a future
// they cannot cancel: the checksum loop ends with its data, the wait once
// the clock passes the deadline: silent.
class ByteReader {
public:
  explicit ByteReader(std::deque<std::string_view> parts) : parts_(parts) {}
  bool eof() const { return eof_; }
  unsigned char get() {
    while (!parts_.empty() && parts_.front().empty())
      parts_.pop_front();
    eof_ = parts_.empty();
    if (eof_)
      return 0;
    unsigned char c = parts_.front().front();
    parts_.front().remove_prefix(1);
    return c;
  }

private:
  std::deque<std::string_view> parts_;
  bool eof_ = false;
};
unsigned checksum(ByteReader reader) {
  unsigned sum = 0;
  for (;;) {
    unsigned char c = reader.get();
    if (reader.eof())
      break;
    sum = sum * 31 + c;
  }
  return sum;
}
std::string frame(const std::string &body) {
  return std::to_string(checksum(ByteReader({body}))) + ":" + body;
}
void send_framed(const std::string &to) { outbox.push_back(frame("hello " + to)); }

class SlicedHandshake : public std::enable_shared_from_this<SlicedHandshake> {
public:
  void start() {
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }
  void close() { open_ = false; }

private:
  bool await_reply(std::chrono::seconds timeout) {
    auto reply = reply_.get_future();
    for (auto deadline = std::chrono::system_clock::now() + timeout;
         open_ && std::chrono::system_clock::now() < deadline;)
      if (reply.wait_for(std::chrono::milliseconds(100)) ==
          boost::fibers::future_status::ready)
        return !reply.get().text.empty();
    return false;
  }
  void run() {
    send_framed(peer_);
    shaken_ = await_reply(std::chrono::seconds(10));
  }
  std::string peer_;
  boost::fibers::promise<Reply> reply_;
  bool open_ = true, shaken_ = false;
};

// A watcher whose "deadline" moves: every message read pushes the idle
// limit back, so a chatty peer keeps it going forever and nothing else can
// end it.
class IdleWatcher : public std::enable_shared_from_this<IdleWatcher> {
public:
  void start() {
    // CHECK: :[[@LINE+1]]:72: warning: temporary fiber is detached
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }

private:
  void run() {
    auto last = std::chrono::steady_clock::now();
    for (;;) {
      if (inbox_.try_pop(message_) == boost::fibers::channel_op_status::success)
        last = std::chrono::steady_clock::now();
      if (std::chrono::steady_clock::now() - last > std::chrono::seconds(60))
        break;
      boost::this_fiber::sleep_for(std::chrono::milliseconds(100));
    }
  }
  boost::fibers::buffered_channel<Reply> inbox_{8};
  Reply message_;
};

// Consumers of a channel their owner holds: the loop ends when the channel
// is closed (value_pop throws then; pop returns closed), and whoever holds
// the channel closes it once the producers are done: silent.
std::shared_ptr<boost::fibers::unbuffered_channel<int>> numbers;
void print(int);
void start_printer(boost::asio::io_context &io) {
  boost::fibers::fiber([&io] {
    try {
      for (;;)
        print(numbers->value_pop());
    } catch (const boost::fibers::fiber_error &) {
    }
    io.stop();
  }).detach();
}
boost::fibers::buffered_channel<int> results{8};
void start_drain() {
  boost::fibers::fiber([] {
    int v;
    while (results.pop(v) == boost::fibers::channel_op_status::success)
      print(v);
  }).detach();
}
void finish() {
  numbers->close();
  results.close();
}

// A consumer that goes on after the close: pop returns closed at once and
// the loop spins on, so closing the channel does not stop it.
void start_stubborn() {
  boost::fibers::fiber([] {
    for (;;) {
      int v;
      if (results.pop(v) == boost::fibers::channel_op_status::success)
        print(v);
    }
    // CHECK: :[[@LINE+1]]:6: warning: temporary fiber is detached
  }).detach();
}

// A finite producer whose last step sends the end-of-stream frame through a
// retry wrapper (a hand-rolled blocking push: it only retries the push until
// it goes through) and then logs a line: its end is announced on the
// channel, and it ends by itself: silent.
using frames = boost::fibers::buffered_channel<int>;
void send_frame(frames &q, int frame) {
  while (true) {
    switch (q.try_push(frame)) {
    case boost::fibers::channel_op_status::success:
      return;
    case boost::fibers::channel_op_status::full:
      boost::this_fiber::yield();
      continue;
    default:
      std::printf("channel closed\n");
      std::terminate();
    }
  }
}
void produce_frames(std::shared_ptr<frames> sink) {
  for (int frame : {1, 2, 3})
    send_frame(*sink, frame);
  send_frame(*sink, -1);
  std::printf("producer done\n");
}
void start_producer(std::shared_ptr<frames> sink) {
  boost::fibers::fiber producer(produce_frames, sink);
  producer.detach();
}

// The same wrapper doing work between tries (it counts and reports every
// full channel): a loop of the project's work that only a success ends.
void record_backpressure();
void send_counted(frames &q, int frame) {
  while (true) {
    if (q.try_push(frame) == boost::fibers::channel_op_status::success)
      return;
    record_backpressure();
    boost::this_fiber::yield();
  }
}
void produce_counted(std::shared_ptr<frames> sink) {
  for (int frame : {1, 2, 3})
    send_counted(*sink, frame);
  send_counted(*sink, -1);
}
void start_counted_producer(std::shared_ptr<frames> sink) {
  boost::fibers::fiber producer(produce_counted, sink);
  // CHECK: :[[@LINE+1]]:12: warning: fiber 'producer' is detached
  producer.detach();
}

// Fibers built with new and kept in a shared_ptr, detached through it: the
// body is the one the new'd fiber was given. A window fiber that leaves its
// loop when its executor is stopping can be stopped: silent; a ticker that
// nothing can stop is reported, as a fiber.
class WindowExecutor {
public:
  void open(std::function<bool()> should_close) {
    auto *window = new boost::fibers::fiber([this, should_close] {
      while (!should_close() && !stopping_)
        boost::this_fiber::yield();
    });
    std::shared_ptr<boost::fibers::fiber> handle(window);
    handle->detach();
    windows_.push_back(handle);
  }
  void start_ticker() {
    std::shared_ptr<boost::fibers::fiber> ticker(
        new boost::fibers::fiber([] {
          for (;;)
            tick();
        }));
    // CHECK: :[[@LINE+1]]:13: warning: fiber is detached: nothing can stop it or wait for it to finish
    ticker->detach();
    windows_.push_back(ticker);
  }
  void stop() { stopping_ = true; }

private:
  bool stopping_ = false;
  std::vector<std::shared_ptr<boost::fibers::fiber>> windows_;
};

// The patient wait two helpers down: a connection fiber whose handler gets
// its request from a reader that pops the inbox with no deadline. Every
// function of the project the fiber runs is read, not only the first.
boost::fibers::buffered_channel<Reply> inbox{8};
Reply next_request() { return inbox.value_pop(); }
template <typename Handler> void handle_connection(Handler h) {
  h(next_request().text);
}
void serve_one() {
  boost::fibers::fiber([] {
    handle_connection([](const std::string &t) { send_greeting(t); });
    // CHECK: :[[@LINE+1]]:6: warning: temporary fiber is detached
  }).detach();
}

// A bounded fiber that borrows its spawner's local: the spawner returns
// before the fiber reads `greeting`.
void greet_later(const std::string &to) {
  std::string greeting = "hello " + to;
  // CHECK: :[[@LINE+2]]:8: warning: temporary fiber is detached
  boost::fibers::fiber([&greeting] { send_greeting(greeting); })
      .detach();
}

// A bounded fiber whose work is a function defined elsewhere: nobody can
// tell how long it takes.
void notify_all_peers();
void schedule_notification() {
  // CHECK: :[[@LINE+1]]:52: warning: temporary fiber is detached
  boost::fibers::fiber([] { notify_all_peers(); }).detach();
}

// A project's own fiber token for Asio (as fiber-on-Asio libraries write
// it): an operation given it suspends the fiber and returns the result.
#include <boost/asio.hpp>
namespace app {
struct suspend_t {};
inline constexpr suspend_t suspend{};
} // namespace app
template <>
class boost::asio::async_result<app::suspend_t,
                                void(boost::system::error_code, std::size_t)> {
public:
  using return_type = std::size_t;
  template <typename Initiation, typename... Args>
  static return_type initiate(Initiation &&init, app::suspend_t, Args &&...args) {
    boost::fibers::promise<std::size_t> done;
    auto result = done.get_future();
    std::move(init)(
        [&done](boost::system::error_code ec, std::size_t n) {
          if (ec)
            done.set_exception(std::make_exception_ptr(boost::system::system_error(ec)));
          else
            done.set_value(n);
        },
        std::forward<Args>(args)...);
    return result.get();
  }
};

// One request per connection, read with the project's token: the read
// waits for the client however long it takes.
void serve_one(boost::asio::ip::tcp::socket client) {
  // CHECK: :[[@LINE+8]]:8: warning: temporary fiber is detached
  boost::fibers::fiber([client = std::move(client)]() mutable {
    char request[512];
    std::size_t n =
        client.async_read_some(boost::asio::buffer(request), app::suspend);
    outbox.emplace_back(request, n);
    client.close();
  })
      .detach();
}

// A session template starting its fiber with a launch policy: the body is
// the lambda after the policy, read where the template is instantiated.
template <typename Transport>
class FiberSession : public std::enable_shared_from_this<FiberSession<Transport>> {
public:
  void start() {
    boost::fibers::fiber(boost::fibers::launch::dispatch,
                         [self = this->shared_from_this()] { self->pump(); })
        .detach();
  }
  void stop() { open_ = false; }

private:
  void pump() {
    while (open_)
      transport_.poll_once();
  }
  Transport transport_;
  bool open_ = true;
};

template <typename Transport>
class Heartbeat : public std::enable_shared_from_this<Heartbeat<Transport>> {
public:
  void start() {
    boost::fibers::fiber(boost::fibers::launch::dispatch,
                         [self = this->shared_from_this()] { self->beat(); })
        // CHECK: :[[@LINE+1]]:10: warning: temporary fiber is detached
        .detach();
  }

private:
  void beat() {
    for (;;) {
      transport_.poll_once();
      boost::this_fiber::sleep_for(std::chrono::seconds(1));
    }
  }
  Transport transport_;
};

struct Loopback {
  void poll_once();
};
void run_sessions() {
  std::make_shared<FiberSession<Loopback>>()->start();
  std::make_shared<Heartbeat<Loopback>>()->start();
}

// A member fiber given its work and detached by the next statement: the
// detach lets go of that work, and the work decides. A loop on a plain
// field its class's stop() assigns can be stopped (fibers of one thread
// share plain fields safely), so the scheduler owns the fiber.
void poll_input();
class InputFiber {
public:
  void start() {
    stopping_ = false;
    fiber_ = boost::fibers::fiber([this] { run(); });
    fiber_.detach();
  }
  void stop() { stopping_ = true; }

private:
  void run() {
    while (!stopping_) {
      poll_input();
      boost::this_fiber::yield();
    }
  }
  bool stopping_ = false;
  boost::fibers::fiber fiber_;
};

// The same shape draining a channel nobody closes: nothing ends it.
void log_line(const std::string &line);
class LogPump {
public:
  explicit LogPump(strings &lines) : lines_(lines) {}
  void start() {
    pump_ = boost::fibers::fiber([this] {
      std::string line;
      while (lines_.pop(line) == boost::fibers::channel_op_status::success)
        log_line(line);
    });
    // CHECK: :[[@LINE+1]]:11: warning: fiber 'pump_' is detached: nothing can stop it or wait for it to finish
    pump_.detach();
    // CHECK: :[[@LINE-7]]:13: note: fiber started here
  }

private:
  strings &lines_;
  boost::fibers::fiber pump_;
};

// A spawn helper: the fiber runs exactly the task its caller handed over,
// so the caller decided who owns it (the carrier shape without a lambda).
void spawn(std::function<void()> fn) { boost::fibers::fiber(fn).detach(); }
void spawn_moved(std::function<void()> fn) {
  boost::fibers::fiber(std::move(fn)).detach();
}
// A task the helper builds itself is its own to judge.
void spawn_forever() {
  std::function<void()> fn = [] {
    for (;;)
      boost::this_fiber::yield();
  };
  // CHECK: :[[@LINE+1]]:28: warning: temporary fiber is detached
  boost::fibers::fiber(fn).detach();
}

// A bot framework's launcher names each fiber in its log and lets a
// cancellation end it quietly: still the carrier of the one task it was
// handed (Boost.Log's BOOST_LOG_TRIVIAL is a one-shot loop around the
// record, not a loop of the fiber's).
struct OperationCancelled {};
void launch_fiber(std::string name, std::function<void()> body) {
  boost::fibers::fiber([name = std::move(name), body = std::move(body)] {
    BOOST_LOG_TRIVIAL(debug) << "fiber " << name << " started";
    try {
      body();
      BOOST_LOG_TRIVIAL(debug) << "fiber " << name << " ending";
    } catch (const OperationCancelled &) {
      BOOST_LOG_TRIVIAL(debug) << "fiber " << name << " was cancelled";
    }
  }).detach();
}
// A macro that loops over the user's own body is a loop of the fiber's: it
// runs every handed task, again and again, and nothing ends it.
void launch_round_robin(std::vector<std::function<void()>> bodies) {
  boost::fibers::fiber([bodies = std::move(bodies)] {
    for (;;) {
      BOOST_FOREACH (const std::function<void()> &body, bodies) {
        body();
        boost::this_fiber::yield();
      }
    }
    // CHECK: :[[@LINE+1]]:6: warning: temporary fiber is detached
  }).detach();
}

// An RPC server's dispatcher: each call object popped from the queue runs
// on its own fiber; the call's submitter owns it (the carrier shape again,
// with a task interface instead of std::function).
struct RpcCall {
  virtual ~RpcCall() = default;
  virtual void operator()() noexcept = 0;
};
void dispatch_calls(boost::fibers::buffered_channel<RpcCall *> &calls) {
  RpcCall *call = nullptr;
  while (calls.pop(call) == boost::fibers::channel_op_status::success)
    boost::fibers::fiber(boost::fibers::launch::post, std::ref(*call)).detach();
}

// A benchmark pipeline: each stage forwards what it receives and leaves
// after forwarding the producer's FINISH frame (a poison pill). Whoever
// sends on the stage's input ends it in-band, as a closer ends a drain.
enum class FrameType { Data, Finish };
struct Frame {
  FrameType type;
  int payload;
};
using frame_pipe = boost::fibers::buffered_channel<Frame>;
Frame receive_frame(frame_pipe &in) {
  Frame f{};
  while (in.pop(f) != boost::fibers::channel_op_status::success)
    boost::this_fiber::yield();
  return f;
}
void stage_worker(std::shared_ptr<frame_pipe> src, std::shared_ptr<frame_pipe> sink) {
  while (true) {
    auto frame = receive_frame(*src);
    sink->push(frame);
    if (frame.type == FrameType::Finish)
      break;
  }
}
// The stages are started into a vector and detached from it: every element
// is the one emplace_back's fiber.
void start_stages(std::vector<std::shared_ptr<frame_pipe>> &pipes) {
  std::vector<boost::fibers::fiber> stages;
  for (std::size_t i = 0; i + 1 < pipes.size(); ++i)
    stages.emplace_back(stage_worker, pipes[i], pipes[i + 1]);
  for (auto &stage : stages)
    stage.detach();
}
// The same vector of workers that loop forever: reported, with where they
// were started.
void pump_forever(std::shared_ptr<frame_pipe> in);
void start_pumps(std::vector<std::shared_ptr<frame_pipe>> &pipes) {
  std::vector<boost::fibers::fiber> pumps;
  for (auto &pipe : pipes)
    pumps.emplace_back([pipe] {
      for (;;)
        print(pipe->value_pop().payload);
    });
  for (auto &pump : pumps)
    // CHECK: :[[@LINE+2]]:10: warning: fiber 'pump' is detached: nothing can stop it or wait for it to finish
    // CHECK: :[[@LINE-6]]:5: note: fiber started here
    pump.detach();
}
// The same test on a channel's own receive, the message popped in place.
void start_sink(frame_pipe &in) {
  boost::fibers::fiber([&in] {
    Frame f{};
    for (;;) {
      in.pop(f);
      if (f.type == FrameType::Finish)
        return;
      print(f.payload);
    }
  }).detach();
}

// Leaving on a test of the pop's status is a drain (its channel must be
// closed somewhere); leaving on something else than the message is no
// poison pill; and a channel the fiber made itself has no other sender.
frame_pipe orphan_frames{8};
void positive_status_test() {
  // CHECK: :[[@LINE+6]]:6: warning: temporary fiber is detached
  boost::fibers::fiber([] {
    Frame f{};
    for (;;)
      if (orphan_frames.pop(f) != boost::fibers::channel_op_status::success)
        break;
  }).detach();
}
bool quota_reached();
void positive_unrelated_exit(frame_pipe &in) {
  // CHECK: :[[@LINE+8]]:6: warning: temporary fiber is detached
  boost::fibers::fiber([&in] {
    for (;;) {
      Frame f = in.value_pop();
      print(f.payload);
      if (quota_reached())
        break;
    }
  }).detach();
}
void positive_own_channel() {
  // CHECK: :[[@LINE+8]]:6: warning: temporary fiber is detached
  boost::fibers::fiber([] {
    frame_pipe mine{8};
    for (;;) {
      Frame f = mine.value_pop();
      if (f.type == FrameType::Finish)
        break;
    }
  }).detach();
}

// The sliced wait written with an early `continue`: the get() after it runs
// only once the future is ready, so it does not wait: silent.
class ContinueHandshake : public std::enable_shared_from_this<ContinueHandshake> {
public:
  void start() {
    boost::fibers::fiber([self = shared_from_this()] { self->run(); }).detach();
  }

private:
  void run() {
    auto reply = reply_.get_future();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      if (reply.wait_for(std::chrono::milliseconds(50)) !=
          boost::fibers::future_status::ready)
        continue;
      shaken_ = !reply.get().text.empty();
      break;
    }
  }
  boost::fibers::promise<Reply> reply_;
  bool shaken_ = false;
};

// A job system's worker: each job popped from the channel runs on a fiber of
// its own. The job is the submitter's (it counts down what the submitter
// waits on); the worker only carries it: silent, whether the job is popped
// into a local or returned by value_pop.
using job_channel = boost::fibers::buffered_channel<std::function<void()>>;
void run_jobs(job_channel &jobs) {
  std::function<void()> job;
  boost::fibers::channel_op_status status;
  do {
    status = jobs.try_pop(job);
    if (job) {
      auto carrier = boost::fibers::fiber(std::move(job));
      carrier.detach();
    }
    boost::this_fiber::yield();
  } while (status != boost::fibers::channel_op_status::closed);
}
void run_jobs_by_value(job_channel &jobs) {
  for (;;) {
    auto job = jobs.value_pop();
    boost::fibers::fiber(std::move(job)).detach();
  }
}
// A local the function fills with a task it wrote itself is its own task.
void start_local_task() {
  std::function<void()> task = [] {
    for (;;)
      boost::this_fiber::yield();
  };
  // CHECK: :[[@LINE+1]]:41: warning: temporary fiber is detached
  boost::fibers::fiber(std::move(task)).detach();
}

// A fiber handle's shared state: the last handle to go detaches the fiber
// it was handed. Whoever built the fiber (the pool's dispatch) decided who
// owns it, not the holder: silent here.
struct fiber_state {
  boost::fibers::fiber fiber_;
  ~fiber_state() {
    if (fiber_.joinable())
      fiber_.detach();
  }
};
class fiber_handle {
public:
  explicit fiber_handle(boost::fibers::fiber &&f)
      : state_(std::make_shared<fiber_state>()) {
    state_->fiber_.swap(f);
  }

private:
  std::shared_ptr<fiber_state> state_;
};
// A class that starts its own fiber and lets it go in its destructor owns
// what it started: reported.
class HeartbeatFiber {
public:
  void start() {
    beat_ = boost::fibers::fiber([] {
      for (;;)
        boost::this_fiber::sleep_for(std::chrono::seconds(1));
    });
  }
  ~HeartbeatFiber() {
    if (beat_.joinable())
      // CHECK: :[[@LINE+1]]:13: warning: fiber 'beat_' is detached
      beat_.detach();
  }

private:
  boost::fibers::fiber beat_;
};

// --- Fibers counted done on a counter their spawner waits on -------------

struct Voter {
  bool vote(int epoch);
};

// One vote request per peer: each fiber's last step counts it done on a
// local the spawner polls before it goes on. A hand-rolled wait group, but
// the fibers are owned: the spawner cannot return before they end.
int collect_votes(std::vector<Voter *> &peers, int epoch) {
  std::atomic<int> granted{0};
  std::atomic<std::size_t> finished{0};
  for (Voter *peer : peers)
    boost::fibers::fiber([peer, epoch, &granted, &finished] {
      if (peer->vote(epoch))
        granted.fetch_add(1);
      finished.fetch_add(1);
    }).detach();
  while (finished.load() != peers.size())
    boost::this_fiber::yield();
  return granted.load();
}

// The same with a plain counter and an exit test inside the polling loop.
void replicate(std::vector<Voter *> &peers, int epoch) {
  std::size_t done = 0;
  for (Voter *peer : peers)
    boost::fibers::fiber([=, &done] {
      peer->vote(epoch);
      ++done;
    }).detach();
  for (;;) {
    boost::this_fiber::yield();
    if (done == peers.size())
      break;
  }
}

// Counted on a fiber condition variable's predicate.
void replicate_and_wait(std::vector<Voter *> &peers, int epoch) {
  boost::fibers::mutex m;
  boost::fibers::condition_variable cv;
  int pending = static_cast<int>(peers.size());
  for (Voter *peer : peers)
    boost::fibers::fiber([&, peer] {
      peer->vote(epoch);
      std::unique_lock<boost::fibers::mutex> lk(m);
      if (--pending == 0)
        cv.notify_all();
    }).detach();
  std::unique_lock<boost::fibers::mutex> lk(m);
  cv.wait(lk, [&] { return pending == 0; });
}

// Counted, but nobody waits for the count: the spawner returns at once and
// the fibers outlive the frame they count in.
int count_votes_later(std::vector<Voter *> &peers, int epoch) {
  std::atomic<int> finished{0};
  for (Voter *peer : peers)
    // CHECK-DAG: :[[@LINE+4]]:8: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    boost::fibers::fiber([peer, epoch, &finished] {
      peer->vote(epoch);
      finished.fetch_add(1);
    }).detach();
  return finished.load();
}

// The counter is the fiber's own copy: the spawner's loop waits on a
// number nobody else changes.
void copy_counted(std::vector<Voter *> &peers, int epoch) {
  int done = 0;
  for (Voter *peer : peers)
    // CHECK-DAG: :[[@LINE+4]]:8: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
    boost::fibers::fiber([peer, epoch, done]() mutable {
      peer->vote(epoch);
      ++done;
    }).detach();
  while (done != static_cast<int>(peers.size()))
    boost::this_fiber::yield();
}

// A counter bumped each round of an endless loop marks a round, not the end.
void keep_voting(Voter *peer, int epoch) {
  std::atomic<int> rounds{0};
  // CHECK-DAG: :[[@LINE+6]]:6: warning: temporary fiber is detached: nothing can stop it or wait for it to finish [tether-detached-thread]
  boost::fibers::fiber([peer, epoch, &rounds] {
    for (;;) {
      peer->vote(epoch);
      rounds.fetch_add(1);
    }
  }).detach();
  while (rounds.load() < 3)
    boost::this_fiber::yield();
}
