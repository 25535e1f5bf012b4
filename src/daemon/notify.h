/* systemd's readiness protocol (sd_notify(3)) without libsystemd: datagrams
 * to $NOTIFY_SOCKET ("/path" or "@abstract"). Nothing happens when it is
 * unset. Main thread. */
#pragma once

#include <stdint.h>

/** Send @state (e.g. "READY=1\nSTATUS=serving"). 0, or a negative errno. */
int notify_send(const char *state);

/** The watchdog interval from $WATCHDOG_USEC (when $WATCHDOG_PID is unset or
 *  ours), in microseconds; 0 when there is none. */
uint64_t notify_watchdog_usec(void);
