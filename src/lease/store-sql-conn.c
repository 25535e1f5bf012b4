/* The SQL store's connections: connect and prepare, loss and Kea's reconnect
 * messages, and the idle pool for the short-lived connections of control
 * commands. */
#include <pthread.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease/store-sql-int.h"
#include "util/inaddr.h"
#include "util/log.h"

/* ---- connections ---- */

void sql_conn_log_error(sql_conn_t *c, const char *what, int r)
{
	sql_store_t *s = conn_store(c);
	const char *msg = c->db != NULL ? s->drv->error(c->db) : "not connected";

	if (r == -ENOTCONN) {
		if (!atomic_exchange(&s->down_logged, true)) {
			log_error(LOGGER_DHCPSRV, s->drv->log_fatal,
			          "Unrecoverable %s error occurred: %s for <%s>, reason: %s",
			          s->drv->name, "connection lost", what, msg);
		}
		return;
	}
	log_error(LOGGER_DHCPSRV, "LESSOR_SQL_STATEMENT_FAIL", "%s statement <%s> failed: %s",
	          s->drv->name, what, msg);
}

void sql_conn_drop(sql_conn_t *c)
{
	/* whether the server still holds what it committed asynchronously on
	 * this connection is unknown: no flush elsewhere can vouch for it */
	if (c->unflushed) {
		c->flush_lost = true;
		c->unflushed = false;
	}
	if (c->db != NULL) {
		conn_store(c)->drv->disconnect(c->db);
		c->db = NULL;
	}
}

int sql_conn_prepare_all(sql_store_t *s, sql_db_t *db)
{
	char sql[1024];

	for (int st = 0; st < _SQL_STMT_MAX; st++) {
		int n = sql_render(st, s->drv->dialect, s->has_pool, sql, sizeof(sql));
		if (n < 0) {
			return n;
		}
		int r = s->drv->prepare(db, st, sql, (size_t)n);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

/* Connect @c if it is not. 0, or -ENOTCONN with the reason logged once. */
int sql_conn_ensure(sql_conn_t *c)
{
	sql_store_t *s = conn_store(c);
	char *err = NULL;
	int r;

	if (c->db != NULL) {
		return 0;
	}
	if (atomic_load(&s->unchecked)) {
		return -ENOTCONN;       /* sql_reconnect() checks the schema first */
	}
	r = s->drv->connect(&s->cfg, &c->db, &err);
	if (r == 0) {
		r = sql_conn_prepare_all(s, c->db);
		if (r < 0) {
			log_error(LOGGER_DHCPSRV, s->drv->log_fatal,
			          "Unrecoverable %s error occurred: %s for <%s>, reason: %s",
			          s->drv->name, "prepare failed", "prepare", s->drv->error(c->db));
			sql_conn_drop(c);
		}
	}
	if (r < 0) {
		if (!atomic_exchange(&s->down_logged, true)) {
			log_error(LOGGER_DHCPSRV, s->drv->log_reconnect_fail,
			          "database reconnect failed: %s", err != NULL ? err : "prepare failed");
		}
		free(err);
		return -ENOTCONN;
	}
	if (atomic_exchange(&s->down_logged, false)) {
		log_info(LOGGER_DHCPSRV, "LESSOR_SQL_RECONNECTED", "%s lease database connection "
		         "restored", s->drv->name);
	}
	return 0;
}

bool sql_lost(lease_store_t *ls)
{
	return atomic_load(&to_store(ls)->down_logged);
}

/* Kea's per-backend reconnect message: DHCPSRV_MYSQL_DB -> DHCPSRV_MYSQL_<suffix>. */
static const char *reconnect_id(const sql_store_t *s, const char *suffix, char *buf, size_t size)
{
	size_t n = strlen(s->drv->log_db);

	n = n > 2 ? n - 2 : n;            /* drop the trailing "DB" */
	snprintf(buf, size, "%.*s%s", (int)n, s->drv->log_db, suffix);
	return buf;
}

int sql_reconnect(lease_conn_t *lc, unsigned n, unsigned max, unsigned wait_ms)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	char *err = NULL;
	char id[96], desc[512];
	int r;

	sql_conn_drop(c);
	/* Kea recreates its lease manager: the same line as at start */
	log_info(LOGGER_DHCPSRV, s->drv->log_db, "opening %s lease database: %s", s->drv->name,
	         lease_store_cfg_describe(&s->cfg, desc, sizeof(desc)));
	r = s->drv->connect(&s->cfg, &c->db, &err);
	bool first = r == 0 && atomic_load(&s->unchecked);
	if (first && (r = sql_check_version(s, c->db, &err)) < 0) {
		sql_conn_drop(c);
	}
	if (r == 0 && sql_conn_prepare_all(s, c->db) < 0) {
		if (asprintf(&err, "preparing statements failed: %s", s->drv->error(c->db)) < 0) {
			err = NULL;
		}
		sql_conn_drop(c);
		r = -ENOTCONN;
	}
	if (r == 0) {
		if (first) {
			sql_log_schema(s);
			sql_check_async(s, c->db);
			atomic_store(&s->unchecked, false);
		}
		atomic_store(&s->down_logged, false);
		return 0;
	}
	log_error(LOGGER_DHCPSRV, s->drv->log_reconnect_fail, "database reconnect failed: %s",
	          err != NULL ? err : "unknown error");
	free(err);
	if (n < max) {
		log_info(LOGGER_DHCPSRV, reconnect_id(s, "LEASE_DB_RECONNECT_ATTEMPT_SCHEDULE", id, sizeof(id)),
		         "scheduling attempt %u of %u in %u milliseconds", n + 1, max, wait_ms);
	} else {
		log_error(LOGGER_DHCPSRV, reconnect_id(s, "LEASE_DB_RECONNECT_FAILED", id, sizeof(id)),
		          "maximum number of database reconnect attempts: %u, has been exhausted "
		          "without success", max);
	}
	return -ENOTCONN;
}

/* ---- connections and the pool ---- */

int sql_conn_open(lease_store_t *ls, lease_conn_t **ret_conn)
{
	sql_store_t *s = to_store(ls);
	sql_conn_t *c = NULL;

	pthread_mutex_lock(&s->mu);
	if (s->n_idle > 0) {
		c = s->idle[--s->n_idle];
	}
	pthread_mutex_unlock(&s->mu);
	if (c == NULL) {
		c = calloc(1, sizeof(*c));
		if (c == NULL) {
			return -ENOMEM;
		}
		c->base.store = ls;
		/* A failure here is not fatal: the first statement retries, so
		 * a worker starts while the database is still coming up. */
		(void)sql_conn_ensure(c);
	}
	*ret_conn = &c->base;
	return 0;
}

void sql_conn_free(sql_conn_t *c)
{
	sql_conn_drop(c);
	free(c);
}

void sql_conn_close(lease_conn_t *lc)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);

	/* memfile makes a change visible at once and durable at the next sync;
	 * closing without sync keeps the change here too */
	(void)sql_sync(lc);
	pthread_mutex_lock(&s->mu);
	if (c->db != NULL && s->n_idle < SQL_IDLE_MAX) {
		s->idle[s->n_idle++] = c;
		c = NULL;
	}
	pthread_mutex_unlock(&s->mu);
	if (c != NULL) {
		sql_conn_free(c);
	}
}
