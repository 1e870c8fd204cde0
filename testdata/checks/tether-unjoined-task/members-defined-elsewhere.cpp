// A class whose member functions are defined in another file is judged in
// that file's translation unit, which sees what they do with the thread
// member (start it, detach it, join it); a TU that only includes the
// header cannot tell, and stays silent. The same class with its code in
// this file is reported here.
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-unjoined-task' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <thread>

void pump_events();

// network.h as every other file of the program sees it.
class Network {
public:
  void start();
  void stop();

private:
  std::thread worker_;
};

// The same shape with its code here: start() runs the thread and nothing
// joins it before the implicit destructor.
class Mixer {
public:
  void start() { worker_ = std::thread(pump_events); }

private:
  // CHECK: :[[@LINE+1]]:15: warning: thread member 'worker_' is never joined by the destructor of 'Mixer'
  std::thread worker_;
};

int main() {
  Mixer m;
  m.start();
  Network n;
  n.start();
}
