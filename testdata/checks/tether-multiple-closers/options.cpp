// A team's own channel type, taught through CheckOptions (local names).
// RUN: printf 'CheckOptions:\n  tether-multiple-closers.ChannelTypes: "team::Pipe"\n  tether-multiple-closers.SendMethods: "write"\n  tether-multiple-closers.CloseMethods: "end"\n' > %t.yaml
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-multiple-closers' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --config-file=%t.yaml --checks='-*,tether-multiple-closers' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: %clang-tidy --load %plugin --config-file=%t.yaml --checks='-*,tether-multiple-closers' --dump-config | FileCheck %s --check-prefix=DUMP
// DUMP-DAG: tether-multiple-closers.ChannelTypes: 'team::Pipe'
// DUMP-DAG: tether-multiple-closers.CloseMethods: end

#include <thread>

namespace team {
struct Pipe {
  void write(int);
  bool read(int &);
  void end();
};
} // namespace team

void writer(team::Pipe &p, int n) {
  for (int i = 0; i < n; ++i)
    p.write(i);
  // CHECK: :[[@LINE+5]]:5: warning: 'p' is closed by 2 different functions or threads: nobody owns its end, and one close can cut off senders the other still runs [tether-multiple-closers]
  // CHECK: :[[@LINE+8]]:15: note: 'writer' runs on its own thread, started here
  // CHECK: :[[@LINE+3]]:5: note: 'p' is also closed here, in 'writer'
  // CHECK: :[[@LINE+7]]:15: note: 'writer' runs on its own thread, started here
  // CHECK: :[[@LINE+1]]:5: note: give the channel one owner that closes it once every sender has finished (only the sender closes)
  p.end();
}

void two_writers(team::Pipe &p) {
  std::thread a(writer, std::ref(p), 10);
  std::thread b(writer, std::ref(p), 20);
  a.join();
  b.join();
}

// --- Negatives -------------------------------------------------------------

void one_writer(team::Pipe &p) {
  std::thread a(writer, std::ref(p), 10);
  a.join();
}
