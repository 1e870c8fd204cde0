/* An LD_PRELOAD stand-in for poll(2) that fails FAIL_CALLS times with
   FAIL_ERRNO before it polls for real: worker-loop.test provokes the
   driver's handling of an interrupted and of a failing poll(). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>

static long calls;

int poll(struct pollfd *fds, nfds_t nfds, int timeout) {
  if (calls++ < FAIL_CALLS) {
    errno = FAIL_ERRNO;
    return -1;
  }
  int (*real)(struct pollfd *, nfds_t, int) =
      (int (*)(struct pollfd *, nfds_t, int))dlsym(RTLD_NEXT, "poll");
  return real(fds, nfds, timeout);
}
