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
