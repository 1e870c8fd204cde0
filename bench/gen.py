#!/usr/bin/env python3
"""Generates a deterministic translation unit with N functions full of the
shapes tether looks at: threads started and joined (on every path), futures
waited, lambdas, loops with stop tokens, channels-like queues, classes that own
threads. Usage: gen.py N > out.cpp"""
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


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = [HEADER]
    for i in range(n):
        out.append(SHAPES[i % len(SHAPES)].format(i=i))
    out.append("} // namespace bench\n")
    sys.stdout.write("\n\n".join(out))


if __name__ == "__main__":
    main()
