/* Internals shared by the ctl/ files. Not for use outside src/ctl/. */
#pragma once

#include <jansson.h>
#include <pthread.h>
#include <stdarg.h>
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
	struct MHD_Daemon *mhd;
	char *tls_cert_pem;
	char *tls_key_pem;
	char *tls_ca_pem;
	/* dhcp-disable per origin, as Kea's NetworkState: [0] "user", [1]
	 * "ha-partner". DHCP is served only while no origin disables it; a
	 * max-period timer belongs to its origin (until_s: CLOCK_MONOTONIC s,
	 * 0 = no timer). Under @lock. */
	struct {
		bool on;
		int64_t until_s;
	} disabled_by[2];
};

/* Handler of one command: returns a complete answer (new reference), built with
 * ctl_answer(); NULL only for -ENOMEM. @args is borrowed and may be NULL (no
 * "arguments" in the request). Called with ctl->lock held. */
typedef json_t *(*ctl_cmd_fn)(ctl_t *ctl, json_t *args);

typedef struct ctl_cmd {
	const char *name;
	ctl_cmd_fn fn;
} ctl_cmd_t;

/** {"result": @result, "text": fmt..., "arguments": @args}; takes @args (may be
 *  NULL); @fmt NULL = no text. NULL on -ENOMEM. */
json_t *ctl_answer(int result, json_t *args, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

/** Dispatch one parsed command map as kea-dhcp4 does. Lock held. */
json_t *ctl_dispatch_locked(ctl_t *ctl, json_t *req);
/** Names of every command, sorted (list-commands). */
json_t *ctl_cmd_names(void);

/* Command handlers, by file. */
json_t *ctl_cmd_config_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_hash_get(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_test(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_set(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_reload(ctl_t *ctl, json_t *args);
json_t *ctl_cmd_config_write(ctl_t *ctl, json_t *args);

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

/** Refresh the statistic history from stats, store and config. Lock held. */
void ctl_sample_locked(ctl_t *ctl);

/** The agent's (no "service") answer to @req. Lock held. */
json_t *ctl_agent_dispatch_locked(ctl_t *ctl, json_t *req);

/** Blank out //, # and C comments outside JSON strings in place (Kea syntax). */
void ctl_strip_comments(char *s, size_t len);

/** Start / stop the HTTP listener (http.c). */
int ctl_http_start(ctl_t *ctl, char **reterr);
void ctl_http_stop(ctl_t *ctl);

/** SHA-256 of @len bytes as 64 upper-case hex digits + NUL (Kea's hash format). */
void ctl_sha256_hex(const void *data, size_t len, char out[65]);

/** Seconds between two CLOCK_MONOTONIC points. */
static inline int64_t ctl_elapsed(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - since->tv_sec);
}
