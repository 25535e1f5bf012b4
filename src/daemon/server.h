/* The server: owns the configuration file, the lease store, the packet workers,
 * the statistics shards, the signalfd and the housekeeping timer. main.c builds
 * one, starts it, runs it until SIGTERM/SIGINT and frees it. Main thread only. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* cfg.h uses "struct cfg" in prototypes before defining it. */
struct cfg;
#include "cfg/cfg.h"
#include "stats/stats.h"

/* The version lessor reports: the Kea release whose behaviour and interfaces it
 * follows, then lessor's own version (see man/lessor.8, -v). */
#define LESSOR_KEA_COMPAT "2.4.1"
#ifndef LESSOR_VERSION
#define LESSOR_VERSION "0.0.0"
#endif
#define LESSOR_VERSION_STRING LESSOR_KEA_COMPAT "-lessor-" LESSOR_VERSION

typedef struct server_opts {
	const char *config_path;        /* -c FILE (borrowed for the server's lifetime) */
	const char *agent_config_path;  /* -a FILE: a kea-ctrl-agent file for the HTTP listener */
	uint16_t server_port;           /* -p, default 67 */
	uint16_t client_port;           /* -P, default 68 */
	bool debug;                     /* -d */
	unsigned commit_window_us;      /* group commit window (LESSOR_COMMIT_WINDOW_US) */
	int config_poll_s;              /* --config-poll: seconds, 0 never, -1 default
	                                 * (SERVER_CONFIG_POLL_DEFAULT_S for URLs, never for files) */
	int hosts_poll_s;               /* --hosts-poll: > 0 caches the hosts databases and
	                                 * reads them again this often; 0 = per packet */
	unsigned query_max_age_ms;      /* --query-max-age: drop queries that waited longer in
	                                 * the receive queue; 0 = never (SERVER_QUERY_MAX_AGE_MS) */
	bool alloc_per_worker;          /* per-worker address cursors (LESSOR_ALLOC_PER_WORKER=1) */
	int64_t alloc_spread;           /* SQL stores: where this server's cursors start in each
	                                 * worker's share of a pool, as a fraction of 2^32
	                                 * (LESSOR_ALLOC_SPREAD=I/M); -1 = random ("random") */
} server_opts_t;

#define SERVER_CONFIG_POLL_DEFAULT_S 300
#define SERVER_HOSTS_POLL_DEFAULT_S 0
/* Default of --query-max-age: why a limit at all, and why this one, in
 * docs/architecture.md (the overload figures): the longest wait after which
 * the reply still precedes a client's first retransmission (RFC 2131 4.1: 4 s
 * +- 1 s, so 3 s at the earliest), with a second left for the batch. */
#define SERVER_QUERY_MAX_AGE_MS 2000
#define SERVER_QUERY_MAX_AGE_MAX_MS 30000

typedef struct server server_t;

/** Allocate a server for @opts; nothing is opened yet. 0 or -ENOMEM. */
int server_new(const server_opts_t *opts, server_t **ret);

/** Bring the server up: signalfd, configuration, logging, lease store, workers.
 *  Logs DHCP4_STARTING first and DHCP4_STARTED last, only once every worker
 *  socket is bound and serving. On failure logs why (DHCP4_CONFIG_LOAD_FAIL or
 *  DHCP4_INIT_FAIL) and returns a negative code; server_free() cleans up. */
int server_start(server_t *s);

/** Run the main loop (signals + housekeeping) until SIGTERM/SIGINT. Returns 0. */
int server_run(server_t *s);

/** Reload the configuration file (what SIGHUP does). On failure the running
 *  configuration stays in force and a negative code is returned. */
int server_reload(server_t *s);

/** Stop the workers, make every acknowledged lease change durable, close the
 *  store, log DHCP4_SHUTDOWN (if the server had started) and free. NULL-safe;
 *  returns NULL. */
server_t *server_free(server_t *s);
DEFINE_FREEP(server_t, server_free)

/** Number of packet workers for @cfg: 1 without multi-threading, else
 *  thread-pool-size, 0 meaning one per online CPU. */
unsigned server_worker_count(const cfg_t *cfg);

/** Checks beyond the loader's that need the running system, as `kea-dhcp4 -t`
 *  does: every interface named in interfaces-config exists. 0, or -ENODEV with
 *  a message in @err. Any thread. */
int server_check_system(const cfg_t *cfg, char *err, size_t errlen);

/** The statistics (shard 0: main thread, shard i: worker i). */
const stats_t *server_stats(const server_t *s);
