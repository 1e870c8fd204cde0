// GoogleTest's EXPECT_NO_THROW/EXPECT_THROW expand to try/catch and goto,
// ASSERT_* to a return, all inside the test body and the threads it starts.
// They are GoogleTest's constructs, not the user's retry loop or swallowed
// exception; the user's own code in the test is still checked.
// RUN: not %tether --checks='-*,tether-*' %s -- %libstdcxx | FileCheck %s --implicit-check-not='warning:'
// RUN: not %tether --checks='-*,tether-*' %s -- %libcxx | FileCheck %s --implicit-check-not='warning:'

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

class Cache {
public:
  bool warm() const;
  int get(int key) const;
  void put(int key, int value);
};
void refresh(Cache &c);

TEST(Cache, WarmsUpUnderLoad) {
  Cache c;
  while (!c.warm()) {
    EXPECT_NO_THROW(refresh(c));
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r)
    readers.emplace_back([&c, r] {
      for (int k = 0; k < 100; ++k) {
        EXPECT_NO_THROW(c.get(k));
        ASSERT_GE(c.get(k), 0) << "reader " << r;
      }
      EXPECT_THROW(c.get(-1), std::out_of_range);
    });
  for (auto &t : readers)
    t.join();
}

TEST(Cache, RefreshesInTheBackground) {
  Cache c;
  std::atomic<bool> stop{false};
  std::thread refresher([&] {
    while (!stop) {
      EXPECT_NO_THROW(refresh(c));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  c.put(1, 2);
  stop = true;
  refresher.join();
}

// The test's own retry loop, outside any macro, is the user's.
void keep_refreshing(Cache &c) {
  for (;;) {
    try {
      refresh(c);
      // CHECK: :[[@LINE+1]]:7: warning: the loop retries 'refresh' as soon as it fails, with no delay: a failure that persists turns it into a hot spin [tether-restart-without-backoff]
    } catch (const std::exception &) {
    }
  }
}
