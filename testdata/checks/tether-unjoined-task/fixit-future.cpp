// A discarded std::async future (std::launch::async) is kept in a named
// variable that is waited for at once: the same behaviour, written out, so
// the wait can be moved to where the result is needed. The rewritten file
// compiles.
// RUN: cp %s %t.cpp
// RUN: %clang-tidy --load %plugin --checks='-*,tether-unjoined-task' --fix %t.cpp -- -std=c++20 -Wno-unused-result > %t.log 2>&1
// RUN: FileCheck %s --check-prefix=FIXED --input-file=%t.cpp
// RUN: FileCheck %s --check-prefix=KEPT --input-file=%t.cpp
// RUN: clang++-22 -fsyntax-only -std=c++20 -Wno-unused-result %t.cpp
// RUN: cp %s %t-libcxx.cpp
// RUN: %clang-tidy --load %plugin --checks='-*,tether-unjoined-task' --fix %t-libcxx.cpp -- %libcxx -Wno-unused-result > %t.log 2>&1
// RUN: FileCheck %s --check-prefix=FIXED --input-file=%t-libcxx.cpp
// RUN: clang++-22 -fsyntax-only %libcxx -Wno-unused-result %t-libcxx.cpp

#include <future>
#include <string>

void warm_cache();
int price(const std::string &sku);
void use_chars(const char *);

void statement() {
  // FIXED: {{^}}  auto pending = std::async(std::launch::async, warm_cache); pending.wait();{{$}}
  std::async(std::launch::async, warm_cache);
}

void void_cast() {
  // FIXED: {{^}}  auto pending = std::async(std::launch::async, warm_cache); pending.wait();{{$}}
  (void)std::async(std::launch::async, warm_cache);
}

// Two in one block get two names. A temporary that is an argument itself is
// copied into the task.
void two(int &count, const std::string &sku) {
  // FIXED: {{^}}  auto pending = std::async(std::launch::async, [&count] { ++count; }); pending.wait();{{$}}
  std::async(std::launch::async, [&count] { ++count; });
  // FIXED: {{^}}  auto pending2 = std::async(std::launch::async, price, std::string(sku)); pending2.wait();{{$}}
  std::async(std::launch::async, price, std::string(sku));
}

// --- No fix where the rewrite could change meaning or not compile ----------

// The default policy may defer the task: discarded, it never runs; waited
// for, it would.
void default_policy() {
  // KEPT: {{^}}  std::async([] { warm_cache(); });{{$}}
  std::async([] { warm_cache(); });
}

void deferred() {
  // KEPT: {{^}}  std::async(std::launch::deferred, warm_cache);{{$}}
  std::async(std::launch::deferred, warm_cache);
}

// The temporary string dies at the end of the statement; the future would
// outlive it, and the task reads its characters.
void inner_temporary() {
  // KEPT: {{^}}  std::async(std::launch::async, use_chars, std::string("sku").c_str());{{$}}
  std::async(std::launch::async, use_chars, std::string("sku").c_str());
}

// A case label after it would jump past the variable's initialisation.
void in_switch(int n) {
  switch (n) {
  case 0:
    warm_cache();
    // KEPT: {{^}}    std::async(std::launch::async, warm_cache);{{$}}
    std::async(std::launch::async, warm_cache);
    break;
  case 1:
    break;
  }
}

void with_label(int n) {
  // KEPT: {{^}}  std::async(std::launch::async, warm_cache);{{$}}
  std::async(std::launch::async, warm_cache);
again:
  if (--n > 0)
    goto again;
}

#define BACKGROUND(fn) std::async(std::launch::async, fn)
void via_macro() {
  // KEPT: {{^}}  BACKGROUND(warm_cache);{{$}}
  BACKGROUND(warm_cache);
}
