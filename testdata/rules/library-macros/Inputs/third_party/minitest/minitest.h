// A vendored single-header test framework, as projects copy them into
// third_party/: its EXPECT_OK retries an expression once per check and
// records what it throws.
#pragma once
namespace minitest {
void record_failure(const char *expr);
inline bool verbose() { return false; }
}
#define MT_EXPECT_OK(expr)                                                     \
  do {                                                                         \
    try {                                                                      \
      expr;                                                                    \
    } catch (...) {                                                            \
      if (minitest::verbose())                                                 \
        minitest::record_failure(#expr);                                       \
    }                                                                          \
  } while (false)
