/* The systemd watchdog (WATCHDOG=1 to $NOTIFY_SOCKET), pinged from the main
 * thread's housekeeping tick only while every packet worker makes progress.
 *
 * A ping from the timer alone proved only that the main thread runs: a worker
 * stuck for good (a deadlock, a database call that never returns) left the
 * daemon "healthy" while it answered no one on that worker's socket share.
 * Each worker therefore counts its loop iterations (worker_beats()); an idle
 * worker still iterates every WORKER_RCVTIMEO_MS, since its recvmmsg has a
 * receive timeout. At each tick the main thread notes when each worker's count
 * last moved; while one has stood still for half the watchdog interval the
 * ping is withheld, so systemd restarts the daemon after WatchdogSec as it
 * would for a hung main thread. The cost is one relaxed atomic increment per
 * iteration and no lock or extra thread. Half the interval leaves a busy
 * worker a long batch (slow database answers) and still lets systemd act
 * within 1.5 intervals of the hang. */
#include <stdlib.h>
#include <time.h>

#include "daemon/notify.h"
#include "daemon/server-int.h"
#include "util/log.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Forget what was seen (the worker set changed, or out of memory). */
static void wd_reset(server_wd_t *wd)
{
	free(wd->seen);
	*wd = (server_wd_t){ 0 };
}

/* The index of a worker that has not moved for @limit_ms, or -1. */
static int wd_stuck_worker(server_t *s, int64_t now, int64_t limit_ms)
{
	server_wd_t *wd = &s->wd;
	int stuck = -1;

	if (wd->n != s->n_workers) {
		wd_reset(wd);
		wd->seen = calloc(s->n_workers > 0 ? s->n_workers : 1, sizeof(*wd->seen));
		if (wd->seen == NULL) {
			return -1;      /* cannot watch: ping as before rather than kill */
		}
		wd->n = s->n_workers;
	}
	for (unsigned i = 0; i < wd->n; i++) {
		server_wd_seen_t *e = &wd->seen[i];
		uint64_t beats = worker_beats(s->workers[i]);

		if (e->w != s->workers[i] || e->beats != beats) {
			/* a new worker (reload), or progress */
			*e = (server_wd_seen_t){ .w = s->workers[i], .beats = beats, .moved_ms = now };
		} else if (now - e->moved_ms > limit_ms && stuck < 0) {
			stuck = (int)i;
		}
	}
	return stuck;
}

void server_watchdog_tick(server_t *s)
{
	if (s->watchdog_usec == 0) {
		return;
	}
	int64_t now = mono_ms();
	int64_t limit_ms = (int64_t)(s->watchdog_usec / 2000);
	int stuck = wd_stuck_worker(s, now, limit_ms);

	if (stuck >= 0) {
		if (!s->wd.stuck) {
			s->wd.stuck = true;
			log_error(LOGGER_DHCP4, "LESSOR_WORKER_STUCK",
			          "packet worker %d has made no progress for %lld ms: the watchdog is no longer pinged",
			          stuck + 1, (long long)(now - s->wd.seen[stuck].moved_ms));
		}
		return;
	}
	if (s->wd.stuck) {
		s->wd.stuck = false;
		log_info(LOGGER_DHCP4, "LESSOR_WORKER_PROGRESS",
		         "every packet worker makes progress again: the watchdog is pinged");
	}
	(void)notify_send("WATCHDOG=1");
}

void server_watchdog_done(server_t *s)
{
	wd_reset(&s->wd);
}
