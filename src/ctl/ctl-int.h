/* Internals shared by the ctl/ files. Not for use outside src/ctl/. */
#pragma once

#include "cfg/cfg-json.h"

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "ctl/ctl.h"
#include "ctl/stat-history.h"

struct MHD_Daemon;

#define CTL_LOGGER "kea-dhcp4.commands" /* Kea's logger for the command channel */

struct ctl {
	ctl_env_t env;
	ctl_listen_cfg_t lcfg; /* deep copy of the listen configuration */
	pthread_mutex_t lock;  /* serialises commands, sampling, metrics */
	stat_history_t *hist;
	struct timespec started;  /* CLOCK_MONOTONIC */
	struct timespec reloaded; /* CLOCK_MONOTONIC, last successful (re)configuration */
	int unix_fd;              /* listening UNIX socket or -1 */
	int wake[2];              /* pipe: wakes the ctl thread to stop */
	bool thread_running;
	pthread_t thread;
	struct ctl_http *http;          /* the control listener (Control-agent), or NULL */
	/* HA's dedicated listener (http-peer.c), owned by the ctl thread, which
	 * follows the published configuration; @peer_lock guards the pointer for
	 * readers on other threads (ctl_peer_port). */
	struct ctl_http *peer;
	pthread_mutex_t peer_lock;
	/* Held (read) by a dedicated-listener thread that syncs a lease change
	 * after releasing @lock; ctl_set_store() takes it (write) before the
	 * store may close. */
	pthread_rwlock_t store_rw;
	/* dhcp-disable per origin, as Kea's NetworkState: [0] "user", [1]
	 * "ha-partner". DHCP is served only while no origin disables it; a
	 * max-period timer belongs to its origin (until_s: CLOCK_MONOTONIC s,
	 * 0 = no timer). Under @lock. */
	struct {
		bool on;
		int64_t until_s;
	} disabled_by[2];
	char health_why[256];           /* /health's reason when a database is down */
};

/* Handler of one command: returns a complete answer (new reference), built with
 * ctl_answer(); NULL only for -ENOMEM. @args is borrowed and may be NULL (no
 * "arguments" in the request). Called with ctl->lock held. */
typedef json_t *(*ctl_cmd_fn)(ctl_t *ctl, json_t *args);

/** {"result": @result, "text": fmt..., "arguments": @args}; takes @args (may be
 *  NULL); @fmt NULL = no text. NULL on -ENOMEM. */
json_t *ctl_answer(int result, json_t *args, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/* ---- argument checks with Kea's texts (cmd-args.c) ---- */

/** SimpleParser::getUint*(): @key of @args must be an integer in 0..@max.
 *  NULL (and *ret) or the error answer ("invalid type specified for parameter
 *  'K'", "out of range value (N) specified for parameter 'K'"). */
json_t *ctl_arg_uint(json_t *args, const char *key, json_int_t max, json_int_t *ret);
/** IOAddress(): 4 for a dotted quad (*ret set), 6 for an IPv6 address (its
 *  canonical text in @v6), 0 for neither. */
int ctl_addr_parse(const char *s, uint32_t *ret, char v6[46]);
/** isc::data::prettyPrint() of @v (what Kea's config-write writes), malloc'd. */
char *ctl_kea_pretty(const json_t *v);
/** ClientId::fromText(): NULL and the length, or the error answer. */
json_t *ctl_client_id_parse(const char *s, uint8_t *out, size_t cap, size_t *ret_len);
/** HWAddr::fromText(): NULL and the length, or the error answer. */
json_t *ctl_hwaddr_parse(const char *s, uint8_t *out, size_t cap, size_t *ret_len);
/** DUID::fromText(): NULL and the length, or the error answer. */
json_t *ctl_duid_parse(const char *s, uint8_t *out, size_t cap, size_t *ret_len);

/* What lease4-get/-del and lease6-get/-del look a lease up by (Kea's
 * lease_cmds getParameters()). */
enum { CTL_KEY_ADDR, CTL_KEY_HWADDR, CTL_KEY_DUID, CTL_KEY_CLIENT_ID };
typedef struct ctl_lease_key {
	int type;           /* CTL_KEY_* */
	uint32_t addr;      /* CTL_KEY_ADDR, IPv4 only */
	uint32_t subnet_id;
	bool subnet_ok;     /* false: a subnet-id no subnet can have */
	uint8_t id[255];
	size_t id_len;
} ctl_lease_key_t;

/** Check @args of a get/del for family @fam (4 or 6); @verb "Query"/"Delete"
 *  names the command in "<verb> by duid is not allowed in v4.". NULL or the
 *  error answer. */
json_t *ctl_lease_key_parse(json_t *args, int fam, const char *verb, ctl_lease_key_t *ret);
/** lease<fam>-get-page "from" and "limit"; *ret_after is 0 for "start" (and
 *  for every IPv6 address). NULL or the error answer. */
json_t *ctl_page_args(json_t *args, int fam, uint32_t *ret_after, uint32_t *ret_limit);
/** lease<fam>-get-all "subnets": none (NULL args: all) or a malloc'd list.
 *  NULL or the error answer. */
json_t *ctl_subnets_arg(json_t *args, uint32_t **ret_ids, size_t *ret_n);
/** The string argument @key of a lease<fam>-get-by-* command. NULL or the
 *  error answer. */
json_t *ctl_get_by_arg(json_t *args, const char *key, const char **ret);
/** lease<fam>-resend-ddns: Kea's checks, then "DDNS updating is not enabled". */
json_t *ctl_resend_ddns(json_t *args, int fam);

/** Dispatch one parsed command map as kea-dhcp4 does. Lock held. */
json_t *ctl_dispatch_locked(ctl_t *ctl, json_t *req);
struct cfg;
/** Names of every command @cfg's hooks-libraries provide, sorted (list-commands). */
json_t *ctl_cmd_names(const struct cfg *cfg);

/* Command handlers, by file. */
json_t *ctl_cmd_config_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_hash_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_test(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_set(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_reload(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_write(ctl_t *ctl, json_t *args);

/* cmd-log.c */
json_t *ctl_cmd_log_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_stat_pool4_get(ctl_t *ctl, json_t *args);

/* cmd-origin.c */
json_t *ctl_cmd_dhcp_disable(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_dhcp_enable(ctl_t *ctl, json_t *args);
/** {"enabled": B, "disabled-by": [origins]} (status-get). Lock held. */
json_t *ctl_dhcp_state(ctl_t *ctl);

json_t *ctl_cmd_lease4_add(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_update(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_get_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_get_page(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_get_by_hw_address(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_get_by_client_id(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_get_by_hostname(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_del(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease4_wipe(ctl_t *ctl, json_t *args);
/** lease4-update / lease4-del on @c, a batch's connection: the change is
 *  made but not synced (the batch syncs once before it answers). */
json_t *ctl_lease4_update_on(ctl_t *ctl, lease_conn_t *c, json_t *args);
json_t *ctl_lease4_del_on(ctl_t *ctl, lease_conn_t *c, json_t *args);
/** Set (per thread) around one command on the dedicated listener: lease4-add,
 *  lease4-update, lease4-del and lessor-lease4-batch leave their connection in *ctl_sync_later
 *  unsynced instead of syncing it under the ctl lock; the listener syncs it
 *  once the lock is released, so concurrent updates from a Kea partner (one
 *  lease per request) share one fdatasync (lfile's group commit). */
extern _Thread_local lease_conn_t **ctl_sync_later;
/** Kea's Lease4::toElement() of @l (new reference; NULL on OOM). */
json_t *ctl_lease4_json(const lease4_t *l);
/* cmd-lease-batch.c: lessor's own, between two lessor HA peers */
json_t *ctl_cmd_lessor_lease4_batch(ctl_t *ctl, json_t *args);
/* lease commands for features lessor does not have (cmd-lease6.c): answered
 * as Kea 2.2's lease_cmds answers on a DHCPv4 server without DDNS */
json_t *ctl_cmd_lease4_resend_ddns(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_add(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_bulk_apply(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_del(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_get_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_get_by_duid(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_get_by_hostname(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_get_page(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_resend_ddns(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_update(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_lease6_wipe(ctl_t *ctl, json_t *args);

/* libdhcp_ha.so (cmd-ha.c) */
json_t *ctl_cmd_ha_continue(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_heartbeat(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_maintenance_cancel(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_maintenance_notify(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_maintenance_start(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_reset(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_scopes(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_sync(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_ha_sync_complete_notify(ctl_t *ctl, json_t *args);

json_t *ctl_cmd_statistic_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_get_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_reset(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_reset_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_remove(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_remove_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_sample_age_set(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_sample_age_set_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_sample_count_set(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_statistic_sample_count_set_all(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_stat_lease4_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_stat_lease6_get(ctl_t *ctl, json_t *args);

/** Refresh the statistic history from stats, store and config. Lock held. */
void ctl_sample_locked(ctl_t *ctl);

/** The agent's (no "service") answer to @req. Lock held. */
json_t *ctl_agent_dispatch_locked(ctl_t *ctl, json_t *req);

/** Blank out //, # and C comments outside JSON strings in place (Kea syntax). */
void ctl_strip_comments(char *s, size_t len);

/** The plain-HTTP acceptor (http-accept.c): takes @listen_fd (closed by
 *  stop) and hands each connection to @small or @big by its first bytes. */
typedef struct ctl_http_acc ctl_http_acc_t;
int ctl_http_acc_start(ctl_http_acc_t **ret, int listen_fd, struct MHD_Daemon *small,
                       struct MHD_Daemon *big);
/** Stop the thread, close pending connections and the socket. NULL-safe. */
void ctl_http_acc_stop(ctl_http_acc_t *a);

/* One HTTP listener (http.c): the control listener, or HA's dedicated one. */
typedef struct ctl_http {
	ctl_t *ctl;
	ctl_listen_cfg_t lcfg;          /* host, port, TLS, Basic auth, body limit: own copy */
	/* HA's dedicated listener, as Kea's CmdHttpListener: POST of commands
	 * only, every one to this server ("service" is not looked at), the
	 * answer in a list */
	bool peer;
	bool restrict_cmds;             /* restrict-commands: the partner's commands only */
	unsigned threads;               /* libmicrohttpd threads (http-listener-threads) */
	struct MHD_Daemon *mhd;         /* TLS or peer: the only one; plain: big pool (http-accept.c) */
	struct MHD_Daemon *mhd_small;   /* plain control HTTP: connections with small headers */
	struct ctl_http_acc *acc;       /* plain control HTTP: our acceptor, or NULL */
	uint16_t port;                  /* the bound port */
	char *tls_cert_pem;
	char *tls_key_pem;
	char *tls_ca_pem;
} ctl_http_t;

/** Start a listener as @lc (copied) describes; @peer: HA's dedicated one
 *  (@restrict_cmds, @threads). 0, or negative with a malloc'd *reterr. */
int ctl_http_start(ctl_t *ctl, const ctl_listen_cfg_t *lc, bool peer, bool restrict_cmds,
                   unsigned threads, ctl_http_t **ret, char **reterr);
/** Stop and free @h (waits for its requests to end: never with ctl->lock
 *  held by the caller when @h may be serving). NULL-safe. */
void ctl_http_stop(ctl_http_t *h);
/** A deep copy of @src into @dst (ctl-listen.c). 0 or -ENOMEM. */
int ctl_listen_cfg_copy(const ctl_listen_cfg_t *src, ctl_listen_cfg_t *dst);

/* HA's dedicated listener (http-peer.c), on the ctl thread. */
/** Start, restart or stop it as the published configuration asks; unchanged
 *  settings keep it (and its connections). 0, or negative with *reterr. */
int ctl_peer_follow_cfg(ctl_t *ctl, char **reterr);
/** Whether @name may be run on a restricted listener (Kea's ha_commands4_). */
bool ctl_peer_allowed(const char *name);
/** A POST body on the dedicated listener: Kea's CmdResponseCreator. */
char *ctl_handle_peer(ctl_t *ctl, const char *body, size_t len, bool restrict_cmds,
                      unsigned *ret_status);

/** Write @v escaped as a Prometheus label value (prom.c). */
void ctl_prom_label(FILE *f, const char *v);
/** The lease database, HA and configuration-source series of GET /metrics
 *  (prom-lessor.c). Lock held. */
void ctl_prom_lessor(FILE *f, ctl_t *ctl);

/** SHA-256 of @len bytes as 64 upper-case hex digits + NUL (Kea's hash format). */
void ctl_sha256_hex(const void *data, size_t len, char out[65]);

/** Seconds between two CLOCK_MONOTONIC points. */
static inline int64_t ctl_elapsed(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - since->tv_sec);
}
