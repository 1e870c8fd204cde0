// A single-header framework copied next to the tests (as projects do with
// Catch2 and doctest): its file name says whose it is.
#pragma once
#define TINY_REQUIRE_NOTHROW(expr)                                             \
  do {                                                                         \
    try {                                                                      \
      expr;                                                                    \
    } catch (...) {                                                            \
    }                                                                          \
  } while (false)

// Assertions that end the test case by throwing, through a function of the
// framework (doctest's CHECK) or in the macro itself (REQUIRE).
namespace tiny {
struct test_failure {};
inline void check(bool ok) {
  if (!ok)
    throw test_failure{};
}
} // namespace tiny
#define TINY_CHECK(cond) ::tiny::check(static_cast<bool>(cond))
#define TINY_REQUIRE(cond)                                                     \
  do {                                                                         \
    if (!(cond))                                                               \
      throw ::tiny::test_failure{};                                            \
  } while (false)
