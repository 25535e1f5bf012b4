/* The lease database, or a hosts database of the per-packet lookups, lost
 * while serving: Kea's reconnect loop and on-fail
 * (ControlledDhcpv4Srv::dbLostCallback / dbReconnect / dbFailedCallback),
 * driven by the main thread's one-second tick. A hosts database is noticed
 * by a worker's lookup (hostdb_conn_t sets s->hosts_lost; workers then drop
 * packets that need it and leave reconnecting to this loop), retried with
 * the first hosts database's max-reconnect-tries / reconnect-wait-time /
 * on-fail and Kea's DHCPSRV_*_HOST_DB_RECONNECT_* lines.
 *
 * A lost connection is noticed by whoever uses it first (a worker, the
 * housekeeping connection); the store then reports lease_store_lost(). Here
 * the loss is logged once, and the housekeeping connection retries every
 * reconnect-wait-time (rounded up to the tick) up to max-reconnect-tries.
 * While retrying, stop-retry-exit disables the DHCP service (as Kea's
 * NetworkState does for its DB_CONNECTION origin); serve-* keep serving, and
 * a packet that needs the database gets no answer. With the retries used up,
 * the *-exit modes stop the server (exit status 1) so that an orchestrator
 * restarts it; serve-retry-continue keeps serving. Kea's default,
 * max-reconnect-tries 0, stops at once. Workers reconnect their own
 * connections on their next packet once the database answers again; an ACK
 * never leaves without its committed row either way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg/cfg-current.h"
#include "daemon/server-db-policy.h"
#include "daemon/server-int.h"
#include "lease/hostdb.h"
#include "util/log.h"

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void db_stop_server(server_t *s)
{
	log_info(LOGGER_DHCP4, "DHCP4_SHUTDOWN", "server shutdown");
	s->stop = true;
	s->exit_r = -ENOTCONN;
}

/* One watched database: the lease database, or the hosts databases of the
 * per-packet lookups (Kea runs the same reconnect logic for both). */
typedef struct db_watch {
	server_db_t *st;
	const lease_store_cfg_t *cfg;   /* its parameters (the first hosts database's) */
	bool (*lost)(server_t *s, const cfg_t *cfg);
	int (*reconnect)(server_t *s, const cfg_t *cfg, unsigned attempt);
	void (*recovered)(server_t *s);
} db_watch_t;

static void db_recovered(server_t *s, const db_watch_t *w)
{
	log_info(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_SUCCEEDED", "database connection recovered.");
	bool held = w->st->disabled_dhcp;
	*w->st = (server_db_t){ 0 };
	if (w->recovered != NULL) {
		w->recovered(s);
	}
	/* the other database may still hold the service disabled */
	if (held && !s->db.disabled_dhcp && !s->hdb.disabled_dhcp) {
		atomic_store(&s->dhcp_disabled, false);
	}
}

/* The loss is new: log it, and stop or start retrying as configured. */
static void db_lost(server_t *s, const db_watch_t *w)
{
	const lease_store_cfg_t *c = w->cfg;
	bool disable;

	log_info(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_LOST_CONNECTION", "database connection lost.");
	w->st->lost = true;
	if (db_policy_lost(c, &disable) == DB_NEXT_EXIT) {
		log_info(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_DISABLED",
		         "database reconnect is disabled: max-reconnect-tries %u, reconnect-wait-time %u",
		         c->max_reconnect_tries, c->reconnect_wait_time);
		db_stop_server(s);
		return;
	}
	if (disable && !atomic_load(&s->dhcp_disabled)) {
		atomic_store(&s->dhcp_disabled, true);
		w->st->disabled_dhcp = true;
	}
	w->st->next_ms = mono_ms();     /* the first attempt at once */
}

static void db_attempt(server_t *s, const cfg_t *cfg, const db_watch_t *w)
{
	const lease_store_cfg_t *c = w->cfg;
	server_db_t *d = w->st;

	d->attempt++;
	if (w->reconnect(s, cfg, d->attempt) == 0) {
		db_recovered(s, w);
		return;
	}
	db_next_t next = db_policy_failed(c, d->attempt);

	if (next == DB_NEXT_RETRY) {
		d->next_ms = mono_ms() + c->reconnect_wait_time;
		return;
	}
	log_error(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_FAILED",
	          "maximum number of database reconnect attempts: %u, has been exhausted without "
	          "success", c->max_reconnect_tries);
	if (next == DB_NEXT_CONTINUE) {
		if (d->disabled_dhcp) {
			d->disabled_dhcp = false;
			if (!s->db.disabled_dhcp && !s->hdb.disabled_dhcp) {
				atomic_store(&s->dhcp_disabled, false);
			}
		}
		d->gave_up = true;
		return;
	}
	db_stop_server(s);
}

static void watch(server_t *s, const cfg_t *cfg, const db_watch_t *w)
{
	server_db_t *d = w->st;

	if (!d->lost) {
		if (w->lost(s, cfg)) {
			db_lost(s, w);
		}
		if (!d->lost || s->stop) {
			return;
		}
	}
	if (d->gave_up) {
		/* serve-retry-continue after the last attempt: a connection that
		 * works again ends the outage */
		if (!w->lost(s, cfg) || w->reconnect(s, cfg, 0) == 0) {
			db_recovered(s, w);
		}
		return;
	}
	if (mono_ms() >= d->next_ms) {
		db_attempt(s, cfg, w);
	}
}

/* ---- the lease database ---- */

static bool lease_lost(server_t *s, const cfg_t *cfg)
{
	(void)cfg;
	return lease_store_lost(s->store);
}

static int lease_reconnect(server_t *s, const cfg_t *cfg, unsigned attempt)
{
	const lease_store_cfg_t *c = &cfg->lease_db;

	if (attempt == 0) {
		return -ENOTCONN;       /* gave up: only a worker's own reconnect ends it */
	}
	return lease_conn_reconnect(s->hk_conn, attempt, c->max_reconnect_tries,
	                            c->reconnect_wait_time);
}

/* ---- the hosts databases ---- */

static bool hosts_lost(server_t *s, const cfg_t *cfg)
{
	(void)cfg;
	return atomic_load(&s->hosts_lost);
}

/* Kea's host data source reconnect: every database must answer. 0 = the
 * attempt after giving up (serve-retry-continue), quiet. */
static int hosts_reconnect(server_t *s, const cfg_t *cfg, unsigned attempt)
{
	(void)s;
	for (size_t i = 0; i < cfg->n_hosts_dbs; i++) {
		const lease_store_cfg_t *c = &cfg->hosts_dbs[i];
		char desc[512], *msg = NULL;
		bool my = c->type != NULL && strcmp(c->type, "mysql") == 0;

		if (attempt > 0) {
			log_info(LOGGER_HOSTS, my ? "DHCPSRV_MYSQL_HOST_DB" : "DHCPSRV_PGSQL_HOST_DB",
			         "opening %s hosts database: %s", my ? "MySQL" : "PostgreSQL",
			         lease_store_cfg_describe(c, desc, sizeof(desc)));
		}
		if (hostdb_check(c, &msg) == 0) {
			continue;
		}
		if (attempt > 0) {
			const char *p = my ? "DHCPSRV_MYSQL_HOST_DB_RECONNECT_" : "DHCPSRV_PGSQL_HOST_DB_RECONNECT_";
			char id[64];
			snprintf(id, sizeof(id), "%sATTEMPT_FAILED", p);
			log_error(LOGGER_DHCPSRV, id, "database reconnect failed: %s",
			          msg != NULL ? msg : "unknown error");
			if (attempt < c->max_reconnect_tries) {
				snprintf(id, sizeof(id), "%sATTEMPT_SCHEDULE", p);
				log_info(LOGGER_DHCPSRV, id, "scheduling attempt %u of %u in %u milliseconds",
				         attempt + 1, c->max_reconnect_tries, c->reconnect_wait_time);
			} else {
				snprintf(id, sizeof(id), "%sFAILED", p);
				log_error(LOGGER_DHCPSRV, id, "maximum number of database reconnect attempts: "
				          "%u, has been exhausted without success", c->max_reconnect_tries);
			}
		}
		free(msg);
		return -ENOTCONN;
	}
	return 0;
}

static void hosts_recovered(server_t *s)
{
	atomic_store(&s->hosts_lost, false);
}

/* The store's count of unreadable rows into v4-lease-rows-skipped (shard 0
 * is the main thread's). */
static void count_bad_rows(server_t *s)
{
	uint64_t n = lease_store_bad_rows(s->store);

	if (n > s->bad_rows_seen) {
		stats_add(&s->stats.shards[0], STAT_V4_LEASE_ROWS_SKIPPED, n - s->bad_rows_seen);
		s->bad_rows_seen = n;
	}
}

void server_db_watch(server_t *s, const cfg_t *cfg)
{
	count_bad_rows(s);
	if (s->stop) {
		return;
	}
	if (s->hk_conn != NULL) {
		db_watch_t w = { &s->db, &cfg->lease_db, lease_lost, lease_reconnect, NULL };
		watch(s, cfg, &w);
	}
	if (cfg->hosts_db_lookup && cfg->n_hosts_dbs > 0 && !s->stop) {
		db_watch_t w = { &s->hdb, &cfg->hosts_dbs[0], hosts_lost, hosts_reconnect,
		                 hosts_recovered };
		watch(s, cfg, &w);
	}
}

void server_db_reset(server_t *s)
{
	bool held = s->db.disabled_dhcp;

	s->db = (server_db_t){ 0 };
	if (held && !s->hdb.disabled_dhcp) {
		atomic_store(&s->dhcp_disabled, false);
	}
	s->bad_rows_seen = 0;           /* a new store counts from 0 */
	count_bad_rows(s);
}

/* One database's outage in words; "" when it is connected. */
static void describe(const server_db_t *d, const char *what, const lease_store_cfg_t *c,
                     char *buf, size_t size)
{
	if (!d->lost) {
		buf[0] = '\0';
	} else if (d->gave_up) {
		snprintf(buf, size, "%s connection lost; %u reconnect attempts failed, serving "
		         "without it (on-fail %s)", what, d->attempt, lease_db_on_fail_name(c->on_fail));
	} else {
		snprintf(buf, size, "%s connection lost; reconnect attempt %u of %u failed, next in "
		         "%u ms (on-fail %s)", what, d->attempt, c->max_reconnect_tries,
		         c->reconnect_wait_time, lease_db_on_fail_name(c->on_fail));
	}
}

bool server_db_down(const server_t *s, char *buf, size_t size)
{
	const cfg_t *cfg = cfg_acquire();
	bool down = false;

	buf[0] = '\0';
	if (cfg != NULL && s->db.lost) {
		describe(&s->db, "lease database", &cfg->lease_db, buf, size);
		down = true;
	} else if (cfg != NULL && s->hdb.lost && cfg->n_hosts_dbs > 0) {
		describe(&s->hdb, "hosts database", &cfg->hosts_dbs[0], buf, size);
		down = true;
	}
	cfg_release(cfg);
	return down;
}

static json_t *db_json(const server_db_t *d, const char *what, const lease_store_cfg_t *c)
{
	char why[256];

	describe(d, what, c, why, sizeof(why));
	return json_pack("{s:b, s:I, s:s}", "connected", !d->lost, "reconnect-attempts",
	                 (json_int_t)d->attempt, "reason", d->lost ? why : "connected");
}

json_t *server_db_status(const server_t *s)
{
	const cfg_t *cfg = cfg_acquire();
	json_t *o = json_object();

	if (cfg != NULL && o != NULL && cfg->lease_db.type != NULL && strcmp(cfg->lease_db.type, "memfile") != 0) {
		json_object_set_new(o, "lease-database", db_json(&s->db, "lease database",
		                                                 &cfg->lease_db));
	}
	if (cfg != NULL && o != NULL && cfg->hosts_db_lookup && cfg->n_hosts_dbs > 0) {
		json_object_set_new(o, "hosts-database", db_json(&s->hdb, "hosts database",
		                                                 &cfg->hosts_dbs[0]));
	}
	cfg_release(cfg);
	return o;
}
