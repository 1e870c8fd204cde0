#include <future>

void warm_cache();

void refresh() {
  std::async(std::launch::async, warm_cache);
}

void quiet() {
  std::async(std::launch::async, warm_cache); // NOLINT(tether-unjoined-task)
}
