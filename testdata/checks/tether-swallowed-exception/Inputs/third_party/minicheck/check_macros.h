// A test framework's assertion macro, as doctest and Catch2 write them: the
// handler hands the exception to the framework's result builder.
#pragma once
struct ResultBuilder {
  void translateException();
};
#define CHECK_NOTHROW_LIKE(expr)                                               \
  do {                                                                         \
    ResultBuilder rb;                                                          \
    try {                                                                      \
      expr;                                                                    \
    } catch (...) {                                                            \
      rb.translateException();                                                 \
    }                                                                          \
  } while (false)
