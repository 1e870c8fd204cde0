// oneTBB task groups: a tbb::task_group destroyed with tasks it never waited
// for cancels them and throws tbb::missing_wait from its destructor. The
// oneTBB headers build with libstdc++ and libc++.
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | tee %t.out | FileCheck %s --implicit-check-not='warning:'
// RUN: %count-warnings %s %t.out
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <cstddef>
#include <vector>

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_group.h>

int fib(int n);
void resize(std::vector<int> &image, std::size_t from, std::size_t to);
bool cancelled();
void sink(tbb::task_group &g);

// --- Positives -------------------------------------------------------------

int early_return(int n) {
  int x = 0, y = 0;
  // CHECK: :[[@LINE+1]]:19: warning: task group 'g' still has tasks when it goes out of scope on some path: its destructor cancels them and throws tbb::missing_wait [tether-unjoined-task]
  tbb::task_group g;
  // CHECK: :[[@LINE+1]]:3: note: a task is started in 'g' here
  g.run([&] { x = fib(n - 1); });
  if (cancelled())
    // CHECK: :[[@LINE+1]]:5: note: 'g' goes out of scope here without wait()
    return -1;
  y = fib(n - 2);
  g.wait();
  return x + y;
}

void never_waited(std::vector<int> &image) {
  // CHECK: :[[@LINE+1]]:19: warning: task group 'tiles' still has tasks
  tbb::task_group tiles;
  for (std::size_t i = 0; i < image.size(); i += 64)
    tiles.run([&image, i] { resize(image, i, i + 64); });
}

void break_out(std::vector<int> &image) {
  // CHECK: :[[@LINE+1]]:19: warning: task group 'g' still has tasks
  tbb::task_group g;
  for (std::size_t i = 0; i < image.size(); i += 64) {
    g.run([&image, i] { resize(image, i, i + 64); });
    if (cancelled())
      return;
  }
  g.wait();
}

void run_after_wait(int n) {
  // CHECK: :[[@LINE+1]]:19: warning: task group 'g' still has tasks
  tbb::task_group g;
  g.run([n] { fib(n); });
  g.wait();
  g.run([n] { fib(n + 1); });
}

void in_a_branch(bool twice, int n) {
  // CHECK: :[[@LINE+1]]:19: warning: task group 'g' still has tasks
  tbb::task_group g;
  if (twice) {
    g.run([n] { fib(n); });
    return;
  }
  g.run_and_wait([n] { fib(n); });
}

void in_lambda(std::vector<int> &image) {
  auto resize_all = [&image] {
    // CHECK: :[[@LINE+1]]:21: warning: task group 'g' still has tasks
    tbb::task_group g;
    g.run([&image] { resize(image, 0, image.size()); });
  };
  resize_all();
}

struct Renderer {
  void render(std::vector<int> &image) {
    // CHECK: :[[@LINE+1]]:21: warning: task group 'passes' still has tasks
    tbb::task_group passes;
    passes.run([&] { resize(image, 0, image.size() / 2); });
    passes.run([&] { resize(image, image.size() / 2, image.size()); });
    if (image.empty())
      return;
    passes.wait();
  }
};

void switch_exit(int mode, int n) {
  // CHECK: :[[@LINE+1]]:19: warning: task group 'g' still has tasks
  tbb::task_group g;
  g.run([n] { fib(n); });
  switch (mode) {
  case 0:
    return;
  default:
    break;
  }
  g.wait();
}

// --- Negatives -------------------------------------------------------------

int parallel_fib(int n) {
  if (n < 16)
    return fib(n);
  int x = 0, y = 0;
  tbb::task_group g;
  g.run([&] { x = parallel_fib(n - 1); });
  y = parallel_fib(n - 2);
  g.wait();
  return x + y;
}

void run_and_wait_only(int n) {
  tbb::task_group g;
  g.run_and_wait([n] { fib(n); });
}

void no_tasks_yet() {
  tbb::task_group g;
  if (cancelled())
    return;
  g.run([] { fib(3); });
  g.wait();
}

void handed_on(int n) {
  tbb::task_group g;
  g.run([n] { fib(n); });
  sink(g); // waits for it
}

void waited_in_every_branch(bool fast, int n) {
  tbb::task_group g;
  g.run([n] { fib(n); });
  if (fast) {
    g.wait();
    return;
  }
  fib(n + 1);
  g.wait();
}

void parallel_algorithm(std::vector<int> &image) {
  tbb::parallel_for(std::size_t(0), image.size(), [&](std::size_t i) {
    resize(image, i, i + 1);
  });
}

void loop_then_wait(std::vector<int> &image) {
  tbb::task_group tiles;
  for (std::size_t i = 0; i < image.size(); i += 64)
    tiles.run([&image, i] { resize(image, i, i + 64); });
  tiles.wait();
}

template <typename F> void templated(F f) {
  tbb::task_group g;
  g.run(f);
  if (cancelled())
    return; // a template is not checked for task groups, like thread containers
  g.wait();
}
template void templated(void (*)());

// --- Task group members ----------------------------------------------------

// A background indexer that runs work in its member group and never waits:
// the group's destructor runs with tasks pending.
class Indexer {
public:
  void add(std::vector<int> &chunk) {
    // CHECK-DAG: :[[@LINE+1]]:5: note: 'pending_' runs a task here
    pending_.run([&chunk] { resize(chunk, 0, chunk.size()); });
  }

private:
  // CHECK-DAG: :[[@LINE+1]]:19: warning: task group member 'pending_' runs tasks that the destructor of 'Indexer' never waits for: destroying the group with tasks still pending cancels them and throws from its destructor [tether-unjoined-task]
  tbb::task_group pending_;
};

// The destructor waits: every task ends before the group does.
class Prefetcher {
public:
  ~Prefetcher() { group_.wait(); }
  void prefetch(std::vector<int> &page) {
    group_.run([&page] { resize(page, 0, 1); });
  }

private:
  tbb::task_group group_;
};

// Every method that runs also waits before it returns.
class TileRenderer {
public:
  void render(std::vector<int> &image) {
    for (std::size_t i = 0; i < image.size(); i += 64)
      tiles_.run([&image, i] { resize(image, i, i + 64); });
    tiles_.wait();
  }

private:
  tbb::task_group tiles_;
};

// Waits in a user destructor that forgets the group: reported, with the
// destructor named.
class Crawler {
public:
  // CHECK-DAG: :[[@LINE+1]]:3: note: destructor of 'Crawler' defined here; call 'jobs_.wait()' in it
  ~Crawler() { stopped_ = true; }
  void crawl(std::vector<int> &site) {
    jobs_.run([&site] { resize(site, 0, 2); });
  }

private:
  bool stopped_ = false;
  // CHECK-DAG: :[[@LINE+1]]:19: warning: task group member 'jobs_' runs tasks that the destructor of 'Crawler' never waits for
  tbb::task_group jobs_;
};
