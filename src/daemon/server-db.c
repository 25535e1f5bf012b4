/* The lease database lost while serving: Kea's reconnect loop and on-fail
 * (ControlledDhcpv4Srv::dbLostCallback / dbReconnect / dbFailedCallback),
 * driven by the main thread's one-second tick.
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
#include <time.h>

#include "daemon/server-db-policy.h"
#include "daemon/server-int.h"
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

static void db_recovered(server_t *s)
{
	log_info(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_SUCCEEDED", "database connection recovered.");
	if (s->db.disabled_dhcp) {
		atomic_store(&s->dhcp_disabled, false);
	}
	s->db = (server_db_t){ 0 };
}

/* The loss is new: log it, and stop or start retrying as configured. */
static void db_lost(server_t *s, const lease_store_cfg_t *c)
{
	bool disable;

	log_info(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_LOST_CONNECTION", "database connection lost.");
	s->db.lost = true;
	if (db_policy_lost(c, &disable) == DB_NEXT_EXIT) {
		log_info(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_DISABLED",
		         "database reconnect is disabled: max-reconnect-tries %u, reconnect-wait-time %u",
		         c->max_reconnect_tries, c->reconnect_wait_time);
		db_stop_server(s);
		return;
	}
	if (disable && !atomic_load(&s->dhcp_disabled)) {
		atomic_store(&s->dhcp_disabled, true);
		s->db.disabled_dhcp = true;
	}
	s->db.next_ms = mono_ms();       /* the first attempt at once */
}

static void db_attempt(server_t *s, const lease_store_cfg_t *c)
{
	s->db.attempt++;
	if (lease_conn_reconnect(s->hk_conn, s->db.attempt, c->max_reconnect_tries,
	                         c->reconnect_wait_time) == 0) {
		db_recovered(s);
		return;
	}
	db_next_t next = db_policy_failed(c, s->db.attempt);

	if (next == DB_NEXT_RETRY) {
		s->db.next_ms = mono_ms() + c->reconnect_wait_time;
		return;
	}
	log_error(LOGGER_DHCP4, "DHCP4_DB_RECONNECT_FAILED",
	          "maximum number of database reconnect attempts: %u, has been exhausted without "
	          "success", c->max_reconnect_tries);
	if (next == DB_NEXT_CONTINUE) {
		if (s->db.disabled_dhcp) {
			atomic_store(&s->dhcp_disabled, false);
		}
		s->db.gave_up = true;
		return;
	}
	db_stop_server(s);
}

void server_db_watch(server_t *s, const cfg_t *cfg)
{
	const lease_store_cfg_t *c = &cfg->lease_db;

	if (s->hk_conn == NULL || s->stop) {
		return;
	}
	if (!s->db.lost) {
		if (lease_store_lost(s->store)) {
			db_lost(s, c);
		}
		if (!s->db.lost || s->stop) {
			return;
		}
	}
	if (s->db.gave_up) {
		/* serve-retry-continue after the last attempt: a worker that
		 * reconnects by itself ends the outage */
		if (!lease_store_lost(s->store)) {
			db_recovered(s);
		}
		return;
	}
	if (mono_ms() >= s->db.next_ms) {
		db_attempt(s, c);
	}
}
