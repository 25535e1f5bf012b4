/* What server.c and server-ctl.c share: the server's state. Private to
 * src/daemon/server*.c. */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctl/ctl.h"
#include "push/push.h"
#include "daemon/server.h"
#include "daemon/worker.h"
#include "engine/allocator.h"
#include "ha/ha.h"
#include "lease/store.h"
#include "source/source.h"

/* Shards: [0] main thread (housekeeping), [1..n_shards-3] workers,
 * [n_shards-2] the metrics push thread, [n_shards-1] the ctl thread
 * (leases-reclaim): one writer each, also for the per-subnet tables. Sized
 * once at start so readers never see the array move; a reload that asks for
 * more workers than this is capped (and says so). */
#define SERVER_MIN_SHARDS 67
#define SERVER_SQL_WORKERS_PER_CORE 4
#define SERVER_WORKER_SHARDS(s) ((s)->stats.n_shards - 3)

/* What the watchdog saw of one worker at the last tick (server-watchdog.c). */
typedef struct server_wd_seen {
	const worker_t *w;
	uint64_t beats;                 /* worker_beats() then */
	int64_t moved_ms;               /* monotonic ms when the count last changed */
} server_wd_seen_t;

typedef struct server_wd {
	server_wd_seen_t *seen;         /* [n], one per worker */
	unsigned n;
	bool stuck;                     /* a worker is stuck and it was logged */
} server_wd_t;

/* The lease database's connection state (server-db.c). */
typedef struct server_db {
	bool lost;                      /* the loss was seen and logged */
	bool disabled_dhcp;             /* stop-retry-exit disabled the service for it */
	bool gave_up;                   /* serve-retry-continue, retries used up */
	unsigned attempt;               /* reconnect attempts made */
	int64_t next_ms;                /* monotonic ms of the next attempt */
} server_db_t;

struct server {
	server_opts_t opts;
	bool started;                   /* DHCP4_STARTED was logged */
	bool stop;
	int exit_r;                     /* what server_run() returns once stopped (0, or why) */
	server_db_t db;                 /* the lease database */
	server_db_t hdb;                /* the hosts databases (per-packet lookups) */
	uint64_t bad_rows_seen;         /* the store's bad rows already in v4-lease-rows-skipped */
	_Atomic bool hosts_lost;        /* a worker found a hosts database lost */
	int sig_fd;
	int timer_fd;

	lease_store_t *store;
	lease_conn_t *hk_conn;          /* main thread's connection (housekeeping) */
	stats_t stats;

	worker_t **workers;
	unsigned n_workers;

	ctl_t *ctl;                     /* control channel (UNIX socket + HTTP) */
	ha_t *ha;                       /* the HA service (idle without libdhcp_ha.so) */
	push_t *push;                   /* metrics push thread (lessor-metrics), NULL without ctl */
	source_t *src;                  /* where -c points: file, URL or s3:// */
	uint64_t watchdog_usec;         /* systemd's WATCHDOG_USEC, 0 = no watchdog */
	server_wd_t wd;                 /* worker progress seen by the watchdog */
	allocator_shared_t *alloc_shared; /* the workers' address cursors, NULL = per worker */
	uint32_t alloc_spread;          /* this server's own place in every pool (SQL stores) */
	_Atomic bool dhcp_disabled;     /* dhcp-disable in force (workers read it per batch) */
	_Atomic int64_t dhcp_enable_at; /* monotonic s when a max-period disable ends, 0 = never */

	/* housekeeping: monotonic seconds of the last run of each task */
	int64_t last_reclaim;
	int64_t last_flush;

	/* hosts-database reservations (server-hosts.c) */
	int64_t hosts_last_poll;
	char *hosts_text;               /* what the running config holds, compact JSON */
	char *hosts_text_new;           /* what the config being applied holds */
	json_t *hosts_prefetched;       /* a poll's read, for the reload it triggers */
	bool hosts_fail_logged;         /* one line per outage */
};

/** CLOCK_MONOTONIC seconds. */
int64_t mono_s(void);

/** Reload from the source (@root NULL; @poll: conditional, nothing when
 *  unchanged) or from a parsed {"Dhcp4": ...}; see server.c. */
int server_reload_from(server_t *s, json_t *root, bool poll, stats_shard_t *sh, char *err,
                       size_t errlen);

/** lease_reclaim_each() callback counting per-subnet reclaims into shard @ud. */
void server_count_reclaimed(void *ud, const lease4_t *l);

/** Add the hosts-database reservations to @ncfg before it is applied (read
 *  now, or the poll's prefetched read). 0, or negative with @err set. */
int server_hosts_merge(server_t *s, cfg_t *ncfg, char *err, size_t errlen);
/** server_apply() succeeded: the merged reservations are the running ones. */
void server_hosts_applied(server_t *s);
/** Housekeeping: re-read the hosts databases every --hosts-poll seconds and
 *  reconfigure with the running configuration when they changed. */
void server_hosts_poll(server_t *s, const cfg_t *cfg, int64_t mono);

/** Housekeeping: WATCHDOG=1 when the watchdog is on and every worker has made
 *  progress within half its interval (server-watchdog.c). */
void server_watchdog_tick(server_t *s);
/** Free what the watchdog keeps. */
void server_watchdog_done(server_t *s);
/** Free the hosts state (server_free). */
void server_hosts_free(server_t *s);

/** Start the control channel the configuration in force asks for (server-ctl.c). */
int server_ctl_start(server_t *s);
/** Whether @cfg's HA dedicated listener can run beside the control listener
 *  @control (NULL: none): 0, or negative with the JSON path and Kea's words
 *  in @err. */
int server_peer_check(const cfg_t *cfg, const ctl_listen_cfg_t *control, char *err, size_t errlen);

/** Once per tick: notice a lost lease database, retry, apply on-fail (server-db.c). */
void server_db_watch(server_t *s, const cfg_t *cfg);
/** The lease store was replaced: forget its outage (re-enabling the service
 *  if the outage had disabled it). */
void server_db_reset(server_t *s);
/** Whether a database is lost; if so, why in @buf (status-get, /health). */
bool server_db_down(const server_t *s, char *buf, size_t size);
/** status-get's "lease-database" / "hosts-database" state (server-db.c). */
json_t *server_db_status(const server_t *s);
