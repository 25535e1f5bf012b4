/* Kea's control channel built into the daemon: the UNIX socket of
 * Dhcp4.control-socket (one JSON command per connection, a single answer
 * map) and an HTTP listener that speaks like kea-ctrl-agent (POST / with
 * "service": ["dhcp4"] gives a one-element array), plus GET /metrics
 * (Prometheus) and GET /health.
 *
 * Threads: libmicrohttpd runs its own polling thread; the UNIX socket and the
 * statistics sampler run on one more ctl thread. Commands are executed one at a
 * time (a ctl mutex), never on a packet worker, and reach the rest of the
 * daemon only through ctl_env_t: its lease store (with a ctl-owned
 * connection per ctl thread), its statistics (read-only), the published
 * configuration (cfg_acquire) and the callbacks below. A slow or hostile
 * client can stall only the ctl threads. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lease/store.h"
#include "stats/stats.h"
#include "util/macro.h"

/* Kea's result codes (command_interpreter.h). */
enum {
	CTL_RESULT_SUCCESS = 0,
	CTL_RESULT_ERROR = 1,
	CTL_RESULT_UNSUPPORTED = 2,
	CTL_RESULT_EMPTY = 3,
	CTL_RESULT_CONFLICT = 4,
};

/* What the daemon provides. Every callback is called from a ctl thread, one
 * at a time, with @ud. A NULL callback makes its command answer "not supported"
 * (result 2) or, where noted, a neutral value. */
typedef struct ctl_env {
	void *ud;
	lease_store_t *store;    /* borrowed; NULL: lease commands answer result 1.
	                          * Replace with ctl_set_store() when it changes. */
	const stats_t *stats;    /* borrowed; NULL: global counters read as 0 */
	const char *version;     /* version-get text, e.g. LESSOR_VERSION_STRING;
	                          * NULL = "2.2.0" (the Kea release answered as) */
	const char *config_path; /* -c FILE; config-write writes only into its directory
	                          * (NULL: config-write refuses) */

	/* config-set (@new_cfg = the {"Dhcp4": ...} root, borrowed) or config-reload
	 * (@new_cfg NULL: re-read config_path). Build and validate a new cfg_t,
	 * publish it atomically, apply what must follow (logging, lease store...).
	 * On failure the running configuration stays and *reterr receives a
	 * malloc'd message with the JSON path and line ("Dhcp4.subnet4[0].pools
	 * (line 12): ..."). Returns 0 or a negative code. */
	int (*reload)(void *ud, json_t *new_cfg, char **reterr);
	/* Ask the main loop to stop with @exit_value (asynchronously: the answer
	 * is sent before the daemon goes down). */
	void (*shutdown)(void *ud, int exit_value);
	/* dhcp-disable: stop answering DHCP for @max_period seconds (0 = until
	 * enabled) on behalf of @origin ("user" or "ha-partner"). 0 or negative. */
	int (*dhcp_disable)(void *ud, uint32_t max_period, const char *origin);
	int (*dhcp_enable)(void *ud, const char *origin);
	/* Whether DHCP service is enabled (for /health). NULL = always enabled. */
	bool (*dhcp_is_enabled)(void *ud);
	/* Whether a database the service needs is lost, and why in @buf (for
	 * /health). NULL = never. */
	bool (*db_down)(void *ud, char *buf, size_t size);
	/* Reclaim expired leases now; @remove: delete them instead of keeping them
	 * as expired-reclaimed. 0 or negative. */
	int (*leases_reclaim)(void *ud, bool remove);
	/* Optional per-subnet counters the daemon keeps (e.g.
	 * "cumulative-assigned-addresses", "reclaimed-leases"); return 0 and set
	 * *ret, or -ENOENT. NULL = every such counter reads 0. */
	int (*subnet_counter)(void *ud, uint32_t subnet_id, const char *name, uint64_t *ret);
	/* Packet worker threads actually running (status-get "thread-pool-size",
	 * as Kea reports its thread pool's real size). NULL = derived from the
	 * configuration: thread-pool-size, or the online CPUs when it is 0. */
	unsigned (*worker_count)(void *ud);
	/* Keys the daemon adds to status-get's arguments (e.g. "config-source"),
	 * as a new object; NULL = none. */
	json_t *(*status_extra)(void *ud);
	/* libdhcp_ha.so's commands (ha-heartbeat, ha-scopes ...; listed only with
	 * the HA hook): the complete answer map. NULL: "not supported". */
	json_t *(*ha_command)(void *ud, const char *name, json_t *args);
	/* status-get's "high-availability" list, or NULL without HA. */
	json_t *(*ha_status)(void *ud);
} ctl_env_t;

/* One Basic-auth client (Kea CA "authentication.clients[]"). */
typedef struct ctl_auth_client {
	char *user;
	char *password;
} ctl_auth_client_t;

/* Where and how to listen. Filled by ctl_listen_cfg_parse() or by hand. */
typedef struct ctl_listen_cfg {
	char *unix_path;    /* NULL = no UNIX socket */
	bool unix_follows_cfg; /* unix_path is Dhcp4.control-socket's: a reconfiguration
	                        * that moves (or drops) it moves the socket, as Kea */
	char *http_host;    /* NULL = no HTTP listener */
	uint16_t http_port; /* Kea CA default 8000 */
	size_t max_body;    /* bytes; 0 = CTL_MAX_BODY_DEFAULT */
	/* TLS (Kea CA: trust-anchor, cert-file, key-file, cert-required) */
	char *tls_ca;
	char *tls_cert;
	char *tls_key;
	bool tls_cert_required;
	/* Basic authentication (Kea CA "authentication", type "basic") */
	char *auth_realm; /* NULL = no authentication */
	ctl_auth_client_t *auth_clients;
	size_t n_auth_clients;
	json_t *agent_json; /* {"Control-agent": ...} for the agent's config-get; owned */
} ctl_listen_cfg_t;

#define CTL_MAX_BODY_DEFAULT (1024 * 1024)
#define CTL_HTTP_PORT_DEFAULT 8000

typedef struct ctl ctl_t;

/** Fill @ret from a parsed configuration file. Accepted shapes:
 *  - Kea's control agent file {"Control-agent": {"http-host", "http-port",
 *    "trust-anchor", "cert-file", "key-file", "cert-required",
 *    "authentication": {"type": "basic", "realm", "directory",
 *    "clients": [{"user"|"user-file", "password"|"password-file"}]},
 *    "control-sockets": {"dhcp4": {"socket-name"}}}};
 *  - lessor's own file {"Dhcp4": {... "control-socket": {...}}} optionally with
 *    a "Control-agent" object next to "Dhcp4" (the native section).
 *  Sections found are merged into @ret (call ctl_listen_cfg_done() afterwards
 *  even on failure). 0, or -EINVAL with a malloc'd message in *reterr. Any thread. */
int ctl_listen_cfg_parse(const json_t *root, ctl_listen_cfg_t *ret, char **reterr);
/** Read @path (Kea syntax: comments allowed), then ctl_listen_cfg_parse().
 *  For kea-ctrl-agent's own file (/etc/kea/kea-ctrl-agent.conf) or lessor's
 *  configuration file. 0, -errno of the read, or -EINVAL with *reterr
 *  ("FILE:LINE:COL: message" for JSON errors). */
int ctl_listen_cfg_load_file(const char *path, ctl_listen_cfg_t *ret, char **reterr);
/** Release what ctl_listen_cfg_parse() put into @c and zero it. */
void ctl_listen_cfg_done(ctl_listen_cfg_t *c);

/** Create a ctl with no listeners (for ctl_handle() in tests and fuzzers, and
 *  as the first step of ctl_start()). @env is copied. 0 or -ENOMEM. */
int ctl_new(const ctl_env_t *env, ctl_t **ret);

/** Execute one command body as the UNIX socket would: never fails; returns a
 *  malloc'd JSON text of one answer map (Kea's "result"/"text"/"arguments").
 *  NULL only on -ENOMEM. Thread-safe (serialised by the ctl mutex). */
char *ctl_handle(ctl_t *ctl, const char *body, size_t len);

/** Execute one HTTP POST body as kea-ctrl-agent would: with "service" a JSON
 *  array (one answer per service), without it the agent's own answer (also in
 *  an array). *ret_status receives the HTTP status (200, or 400 for a body that
 *  is not JSON). Returns malloc'd JSON text, NULL only on -ENOMEM. */
char *ctl_handle_http(ctl_t *ctl, const char *body, size_t len, unsigned *ret_status);

/** Execute one parsed command map (borrowed) as the UNIX socket would and
 *  return the answer map (new reference; NULL only on -ENOMEM). For the
 *  daemon's own control-plane threads (the HA service's lease commands);
 *  not logged as COMMAND_RECEIVED.
 *  Any thread; recursive inside an env callback. */
json_t *ctl_call(ctl_t *ctl, json_t *req);

/** The leases at @addrs (host order) as lease4-get's "arguments" would give
 *  them, in order, json null where there is none: one lock, one lease
 *  connection for all (the HA lanes' batches; lease4-get per lease cost a
 *  command's JSON round trip each). NULL when the store cannot be read or on
 *  OOM. Any thread, as ctl_call(). */
json_t *ctl_lease4_get_many(ctl_t *ctl, const uint32_t *addrs, size_t n);

/** Prometheus text exposition (format 0.0.4) of every statistic, malloc'd. */
char *ctl_metrics(ctl_t *ctl);

/** Readiness: 0 when a configuration is loaded, the lease store answers and
 *  DHCP is enabled; otherwise negative with a static reason in *ret_reason. */
int ctl_health(ctl_t *ctl, const char **ret_reason);

/** statistic-get-all's "arguments" (a new reference; NULL on -ENOMEM), taken
 *  as that command would but without logging a command: for the metrics
 *  push, which asks every few seconds. Any thread. */
json_t *ctl_stats_all(ctl_t *ctl);

/** Take a statistics sample now (the ctl thread does it twice a second). */
void ctl_sample(ctl_t *ctl);

/** ctl_new() + listeners of @cfg (UNIX socket, HTTP): bind everything, start
 *  the threads. @cfg is copied. On failure nothing is left running and *reterr
 *  may receive a malloc'd message. Main thread. */
int ctl_start(const ctl_env_t *env, const ctl_listen_cfg_t *cfg, ctl_t **ret, char **reterr);

/** Replace the lease store the ctl uses (the daemon reopened it on reload).
 *  Call with NULL before closing the old store and again with the new one:
 *  it waits for a running command to finish, and no ctl lease connection
 *  outlives a command. Safe to call from inside an env callback (the ctl
 *  mutex is recursive). Any thread. */
void ctl_set_store(ctl_t *ctl, lease_store_t *store);

/** Hold off every ctl command and sample until ctl_resume(): the daemon calls
 *  it around a reconfiguration it starts itself (SIGHUP), so that it never
 *  runs concurrently with config-set/config-reload (whose reload callback
 *  already runs inside this lock). Recursive; NULL-safe. Any thread. */
void ctl_pause(ctl_t *ctl);
void ctl_resume(ctl_t *ctl);

/** The bound HTTP port (useful when cfg->http_port was 0), or 0 without HTTP. */
uint16_t ctl_http_port(const ctl_t *ctl);

struct cfg;
/** Whether @cfg's HA dedicated listener (http-peer.c) can run beside the
 *  control listener @control (NULL: none): 0, or -EADDRINUSE with a malloc'd *reterr (Kea's words)
 *  when it wants the control listener's port. For a reload, before the
 *  configuration is published. Any thread. */
int ctl_peer_check(const ctl_listen_cfg_t *control, const struct cfg *cfg, char **reterr);
/** The running control listener's settings (for ctl_peer_check), or NULL. */
const ctl_listen_cfg_t *ctl_control_listen(const ctl_t *ctl);

/** The HA dedicated listener's bound port, or 0 when none runs. Any thread. */
uint16_t ctl_peer_port(ctl_t *ctl);

/** Stop listeners and threads, close the ctl's lease connections, unlink the
 *  UNIX socket, free. NULL-safe; returns NULL. Main thread; must be called
 *  before the lease store is closed. */
ctl_t *ctl_stop(ctl_t *ctl);
DEFINE_FREEP(ctl_t, ctl_stop)
