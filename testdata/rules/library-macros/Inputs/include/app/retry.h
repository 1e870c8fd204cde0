// The project's own helper macro: the project wrote this loop.
#pragma once
#define APP_RETRY_FOREVER(work)                                                \
  while (true) {                                                               \
    try {                                                                      \
      work;                                                                    \
    } catch (...) {                                                            \
    }                                                                          \
  }
