// Boost.Fiber: a fiber's entry function's result is dropped as a thread's
// is. A fiber started on a function that returns a value (a status, a
// count) hands it to nobody; boost::fibers::async and packaged_task keep it
// in a future.
// REQUIRES: boost
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-lost-thread-result' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <boost/fiber/all.hpp>
#include <string>
#include <vector>

namespace fibers = boost::fibers;

bool upload(const std::string &path) { return !path.empty(); }
int count_lines(const std::string &path) { return static_cast<int>(path.size()); }
void log_line(const std::string &line) { (void)line; }

void sync_files(const std::vector<std::string> &paths) {
  // CHECK: :[[@LINE+1]]:17: warning: fiber discards the 'bool' that 'upload' returns: nothing can read the result or learn that it failed [tether-lost-thread-result]
  fibers::fiber uploader(upload, paths.front());
  // CHECK: :[[@LINE-1]]:17: note: run it with boost::fibers::async or a boost::fibers::packaged_task so the owner gets the value (and any exception) through a future
  uploader.join();

  std::vector<fibers::fiber> counters;
  for (const std::string &p : paths)
    // CHECK: :[[@LINE+1]]:5: warning: fiber discards the 'int' that 'count_lines' returns
    counters.emplace_back(count_lines, p);
  for (fibers::fiber &f : counters)
    f.join();
}

void sync_files_kept(const std::vector<std::string> &paths) {
  // The result is kept in a future: nothing is lost.
  fibers::future<bool> done = fibers::async(upload, paths.front());
  fibers::packaged_task<int(const std::string &)> task(count_lines);
  fibers::future<int> lines = task.get_future();
  fibers::fiber counter(std::move(task), paths.back());
  counter.join();
  (void)done.get();
  (void)lines.get();
  // A fiber whose entry returns nothing.
  fibers::fiber logger(log_line, paths.front());
  logger.join();
}
