#!/usr/bin/env python3
"""Generates a deterministic translation unit with N functions full of the
shapes tether looks at: threads started and joined (on every path), futures
waited, lambdas, loops with stop tokens, channels-like queues, classes that own
threads. Usage: gen.py N > out.cpp

gen.py --templates DEPTH > out.cpp writes the deep template-instantiation
workload instead: a recursive pipeline of DEPTH stages, each instantiation
with its own thread, task, stop-aware loop and thread-owning class, and
variadic fan-outs over packs, so checks that look at instantiations pay for
every one of them.

gen.py --dense N > out.cpp writes the dense workload: N functions, every one a
concurrency pattern over the standard headers (std::async fan-outs, std::jthread
workers looping on their stop_token, condition-variable drains) and loops of
every kind the loop checks look at (polls with and without a wait, sleeps
between polls, try/catch supervisors, spawn loops, counted and flag loops),
so every loop check has real work on every function."""
import sys

HEADER = """#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <queue>
#include <stop_token>
#include <thread>
#include <vector>

namespace bench {
void work(int);
bool ready(int);

template <typename T> class Queue {
public:
  void push(T v) { std::lock_guard<std::mutex> l(m_); q_.push(std::move(v)); cv_.notify_one(); }
  bool pop(T &out) {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    out = std::move(q_.front()); q_.pop(); return true;
  }
  void close() { std::lock_guard<std::mutex> l(m_); closed_ = true; cv_.notify_all(); }
private:
  std::mutex m_; std::condition_variable cv_; std::queue<T> q_; bool closed_ = false;
};
"""

SHAPES = [
    # a thread joined on every path
    """int f{i}(int n) {{
  std::thread t([n] {{ work(n); }});
  if (ready(n)) {{
    t.join();
    return 1;
  }}
  for (int k = 0; k < n; ++k) work(k + {i});
  t.join();
  return 0;
}}""",
    # a future waited in a loop
    """int f{i}(const std::vector<int> &v) {{
  std::vector<std::future<int>> parts;
  for (int x : v) parts.push_back(std::async(std::launch::async, [x] {{ return x * {i}; }}));
  int sum = 0;
  for (auto &p : parts) sum += p.get();
  return sum;
}}""",
    # a stop-aware worker loop
    """void f{i}(std::stop_token st, Queue<int> &q) {{
  int item = 0;
  while (!st.stop_requested() && q.pop(item)) {{
    if (item < 0) break;
    work(item + {i});
  }}
}}""",
    # a class owning threads, joined in its destructor
    """class Owner{i} {{
public:
  explicit Owner{i}(int n) {{ for (int k = 0; k < n; ++k) ts_.emplace_back([k] {{ work(k); }}); }}
  ~Owner{i}() {{ for (auto &t : ts_) if (t.joinable()) t.join(); }}
private:
  std::vector<std::thread> ts_;
}};
int f{i}(int n) {{ Owner{i} o(n); return n; }}""",
    # plain code with lambdas and loops, nothing concurrent
    """int f{i}(std::vector<int> v) {{
  int acc = 0;
  auto add = [&acc](int x) {{ acc += x; }};
  for (int x : v) {{ if (x % 3 == 0) continue; add(x * {i}); }}
  while (acc > 1000) acc /= 2;
  return acc;
}}""",
    # a jthread with a stop token
    """void f{i}(Queue<int> &q) {{
  std::jthread t([&q](std::stop_token st) {{
    int x;
    while (!st.stop_requested() && q.pop(x)) work(x);
  }});
  q.push({i});
}}""",
]


TEMPLATES = """
// Stage<N> starts a worker and a task, then runs Stage<N-1>: DEPTH
// instantiations of the same bodies, each one a separate function to check.
template <int N> struct Stage {{
  static int run(Queue<int> &q, int x) {{
    std::jthread worker([&q](std::stop_token st) {{
      int v = 0;
      while (!st.stop_requested() && q.pop(v)) work(v + N);
    }});
    auto part = std::async(std::launch::async, [x] {{ return x * N; }});
    int rest = Stage<N - 1>::run(q, x + 1);
    return rest + part.get();
  }}
}};
template <> struct Stage<0> {{
  static int run(Queue<int> &, int x) {{ return x; }}
}};

// A class template that owns its threads and joins them in its destructor.
template <typename T, int N> class Pool {{
public:
  explicit Pool(Queue<T> &q) {{
    for (int k = 0; k < N % 4 + 1; ++k)
      threads_.emplace_back([&q] {{ T v; while (q.pop(v)) work(N); }});
  }}
  ~Pool() {{ for (auto &t : threads_) if (t.joinable()) t.join(); }}
private:
  std::vector<std::thread> threads_;
}};

// A fan-out over a parameter pack: one task per element, all waited for.
template <typename... Ts> int fan(Ts... xs) {{
  std::vector<std::future<int>> parts;
  (parts.push_back(std::async(std::launch::async, [xs] {{ return static_cast<int>(xs); }})), ...);
  int sum = 0;
  for (auto &p : parts) sum += p.get();
  return sum;
}}

template <int... Is> int fan_all(std::integer_sequence<int, Is...>) {{
  return (fan(Is, Is + 1, static_cast<long>(Is), static_cast<short>(Is)) + ...);
}}

template <int... Is> void pools(Queue<int> &q, std::integer_sequence<int, Is...>) {{
  (Pool<int, Is>(q), ...);
}}

int drive(Queue<int> &q) {{
  pools(q, std::make_integer_sequence<int, {depth}>{{}});
  return Stage<{depth}>::run(q, 1) + fan_all(std::make_integer_sequence<int, {depth}>{{}});
}}
"""


DENSE_HEADER = """#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace dense {
using namespace std::chrono_literals;
int compute(int);
void handle(int);
void log_failure(const char *);
bool connect_once(int);
void serve_once(int);

// A queue with a blocking pop, a non-blocking try_pop and a close.
template <typename T> class Mailbox {
public:
  void push(T v) {
    { std::lock_guard<std::mutex> l(m_); q_.push_back(std::move(v)); }
    cv_.notify_one();
  }
  bool pop(T &out) {
    std::unique_lock<std::mutex> l(m_);
    cv_.wait(l, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    out = std::move(q_.front()); q_.pop_front(); return true;
  }
  bool try_pop(T &out) {
    std::lock_guard<std::mutex> l(m_);
    if (q_.empty()) return false;
    out = std::move(q_.front()); q_.pop_front(); return true;
  }
  void close() { { std::lock_guard<std::mutex> l(m_); closed_ = true; } cv_.notify_all(); }
private:
  std::mutex m_; std::condition_variable cv_; std::deque<T> q_; bool closed_ = false;
};

std::atomic<bool> g_ready{false};
std::atomic<int> g_done{0};

// Thread entries the patterns start (named functions: the same
// instantiation of std::thread or std::async serves every pattern).
void drain_box(Mailbox<int> &box) {
  int v = 0;
  while (box.pop(v)) handle(v);
}
void fulfil(std::promise<int> &done, int port) {
  try {
    done.set_value(compute(port));
  } catch (...) {
    done.set_exception(std::current_exception());
  }
}
struct Group {
  std::mutex m;
  std::condition_variable cv;
  std::size_t pending = 0;
};
void finish_one(Group &g, int x) {
  handle(x);
  std::lock_guard<std::mutex> l(g.m);
  if (--g.pending == 0) g.cv.notify_all();
}
"""

DENSE_SHAPES = [
    # a std::async fan-out over an input, every future read, failures
    # logged; the input is polled from a mailbox a bounded number of times
    """int fan{i}(std::vector<int> &in, Mailbox<int> &box) {{
  int v = 0, tries = 0;
  while (!box.try_pop(v) && tries < 8) {{ ++tries; std::this_thread::yield(); }}
  if (tries < 8) in.push_back(v);
  std::vector<std::future<int>> parts;
  parts.reserve(in.size());
  for (int x : in)
    parts.push_back(std::async(std::launch::async, compute, x + {i}));
  int sum = 0, failed = 0;
  for (auto &p : parts) {{
    try {{
      sum += p.get();
    }} catch (const std::exception &e) {{
      log_failure(e.what());
      ++failed;
    }}
  }}
  for (std::size_t k = 0; k < in.size(); ++k)
    if (in[k] < 0) ++failed;
  return failed ? -failed : sum;
}}""",
    # a std::jthread worker looping on its stop token: drains a mailbox,
    # sleeps between empty polls; the owner waits for it by polling a count
    """int worker{i}(Mailbox<int> &box, std::atomic<int> &seen) {{
  std::jthread t([&box, &seen](std::stop_token st) {{
    int v = 0, idle = 0;
    while (!st.stop_requested()) {{
      if (box.try_pop(v)) {{
        handle(v + {i});
        seen.fetch_add(1);
        idle = 0;
        continue;
      }}
      if (++idle > 100) break;
      std::this_thread::sleep_for(1ms);
    }}
  }});
  for (int k = 0; k < {i} % 7 + 1; ++k) box.push(k);
  int waited = 0;
  while (seen.load() < {i} % 7 + 1 && waited < 1000) {{
    std::this_thread::sleep_for(1ms);
    ++waited;
  }}
  t.request_stop();
  return seen.load();
}}""",
    # a condition-variable drain under a lock
    """int drain{i}(std::mutex &m, std::condition_variable &cv, std::deque<int> &q, bool &closed) {{
  int total = 0, batches = 0, skipped = 0;
  std::unique_lock<std::mutex> l(m);
  for (;;) {{
    while (q.empty() && !closed) cv.wait(l);
    while (!q.empty()) {{
      const int v = q.front();
      q.pop_front();
      if (v < 0) {{ ++skipped; continue; }}
      total += v + {i};
    }}
    ++batches;
    if (closed) break;
  }}
  do {{ total -= skipped; }} while (total > 1000000);
  return total / (batches ? batches : 1);
}}""",
    # polls: a bounded spin that then blocks, an atomic flag with backoff,
    # a bounded attempt loop
    """int poll{i}(Mailbox<int> &box) {{
  int v = 0, spins = 0;
  while (!box.try_pop(v)) {{
    if (++spins > 64) {{ box.pop(v); break; }}
  }}
  auto delay = 1ms;
  while (!g_ready.load()) {{
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(50));
  }}
  for (int k = 0; k < 4 && !box.try_pop(v); ++k) std::this_thread::yield();
  int expected = 0;
  while (!g_done.compare_exchange_weak(expected, expected + 1)) {{}}
  return v + {i};
}}""",
    # a supervisor: restarts its work after a failure, with a growing
    # delay, until its stop token fires
    """void supervise{i}(std::stop_token st, Mailbox<int> &box) {{
  auto delay = 10ms;
  int failures = 0;
  while (!st.stop_requested()) {{
    try {{
      serve_once({i});
      int v = 0;
      while (box.try_pop(v)) handle(v);
      delay = 10ms;
      failures = 0;
    }} catch (const std::exception &e) {{
      log_failure(e.what());
      if (++failures > 10) return;
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(1000));
    }}
  }}
}}""",
    # spawn loops: a fixed pool of threads draining a mailbox, joined; and a
    # batch of tasks bounded by the hardware
    """int spawn{i}(Mailbox<int> &box, const std::vector<int> &in) {{
  const unsigned n = std::thread::hardware_concurrency();
  std::vector<std::thread> threads;
  for (unsigned k = 0; k < n; ++k)
    threads.emplace_back(drain_box, std::ref(box));
  for (int x : in) box.push(x + {i});
  box.close();
  for (auto &t : threads) t.join();
  std::vector<std::future<int>> batch;
  for (unsigned k = 0; k < n && k < in.size(); ++k)
    batch.push_back(std::async(std::launch::async, compute, in[k]));
  int sum = 0;
  for (auto &f : batch) sum += f.get();
  return sum;
}}""",
    # a retry loop bounded by attempts, then a thread handing its result
    # back through a promise
    """int retry{i}(int port) {{
  int attempts = 0;
  while (!connect_once(port + {i})) {{
    if (++attempts == 5) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10 << attempts));
  }}
  std::promise<int> done;
  std::future<int> result = done.get_future();
  std::thread t(fulfil, std::ref(done), port);
  t.join();
  int value = result.get();
  for (int k = 0; k < attempts; ++k) value /= 2;
  return value;
}}""",
    # a counted wait group by hand: a mutex, a condition variable and a
    # counter each worker decrements
    """int group{i}(const std::vector<int> &in, Group &g) {{
  {{
    std::lock_guard<std::mutex> l(g.m);
    g.pending = in.size();
  }}
  std::vector<std::jthread> ts;
  for (std::size_t k = 0; k < in.size() && k < 8; ++k)
    ts.emplace_back(finish_one, std::ref(g), in[k] + {i});
  std::unique_lock<std::mutex> l(g.m);
  while (g.pending != 0) g.cv.wait(l);
  int sum = 0;
  for (std::size_t k = 0; k < in.size(); ++k) sum += in[k];
  return sum;
}}""",
]


def dense(n):
    out = [DENSE_HEADER]
    for i in range(n):
        out.append(DENSE_SHAPES[i % len(DENSE_SHAPES)].format(i=i))
    out.append("} // namespace dense\n")
    return "\n\n".join(out)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--dense":
        sys.stdout.write(dense(int(sys.argv[2])))
        return
    if len(sys.argv) > 2 and sys.argv[1] == "--templates":
        depth = int(sys.argv[2])
        out = [HEADER.replace("#include <vector>", "#include <utility>\n#include <vector>"),
               TEMPLATES.format(depth=depth), "} // namespace bench\n"]
        sys.stdout.write("\n".join(out))
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = [HEADER]
    for i in range(n):
        out.append(SHAPES[i % len(SHAPES)].format(i=i))
    out.append("} // namespace bench\n")
    sys.stdout.write("\n\n".join(out))


if __name__ == "__main__":
    main()
