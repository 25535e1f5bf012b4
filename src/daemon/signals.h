/* Signals as file descriptor events (signalfd): the main thread's poll loop
 * reads SIGHUP (reload), SIGTERM and SIGINT (graceful stop). */
#pragma once

#include <stdbool.h>

typedef enum signals_event {
	SIGNALS_NONE,
	SIGNALS_RELOAD,                 /* SIGHUP */
	SIGNALS_STOP,                   /* SIGTERM, SIGINT */
} signals_event_t;

/** Block SIGHUP, SIGTERM and SIGINT in the calling thread (threads created later
 *  inherit the mask, so only the signalfd sees them), ignore SIGPIPE, and open a
 *  non-blocking signalfd for them. Call on the main thread before any other
 *  thread exists. Returns the descriptor or a negative errno. */
int signals_open(void);

/** Read one pending signal from @fd. Returns 0 and *ret_event (SIGNALS_NONE when
 *  nothing is pending) and *ret_signo, or a negative errno. */
int signals_read(int fd, signals_event_t *ret_event, int *ret_signo);

/** Undo signals_open(): close @fd and unblock the signals (for tests). */
void signals_close(int fd);
