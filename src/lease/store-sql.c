/* The SQL-neutral lease store (see store-sql.h): row mapping, statements,
 * compare-and-swap, the per-connection transaction, reconnects, the schema
 * check, lease4_stat counts and an idle-connection pool for the short-lived
 * connections of control commands. */
#include "lease/store-sql.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/inaddr.h"
#include "util/log.h"

#define SQL_IDLE_MAX 8                  /* pooled connections kept for reuse */

typedef struct sql_store {
	lease_store_t base;
	const sql_driver_t *drv;
	lease_store_cfg_t cfg;          /* strings owned (below) */
	char *strs[9];
	bool has_pool;
	int major, minor;
	pthread_mutex_t mu;             /* guards idle[] */
	struct sql_conn *idle[SQL_IDLE_MAX];
	size_t n_idle;
	_Atomic uint64_t bad_rows;
	_Atomic bool down_logged;       /* one "connection lost" line per outage */
} sql_store_t;

typedef struct sql_conn {
	lease_conn_t base;
	sql_db_t *db;                   /* NULL: not connected (reconnect on use) */
	bool in_txn;
	bool txn_failed;                /* the server dropped the transaction */
} sql_conn_t;

static inline sql_store_t *to_store(lease_store_t *ls)
{
	return (sql_store_t *)ls;
}

static inline sql_conn_t *to_conn(lease_conn_t *c)
{
	return (sql_conn_t *)c;
}

static inline sql_store_t *conn_store(sql_conn_t *c)
{
	return to_store(c->base.store);
}

/* ---- row mapping ---- */

int64_t sql_lease_expire(const lease4_t *l)
{
	/* Kea: an infinite lease stores expire = cltt (MySqlLeaseMgr,
	 * PgSqlLeaseMgr: "infinite lifetime" -> no addition). */
	return l->valid_lft == LEASE_LFT_INFINITE ? l->cltt : lease4_expire(l);
}

void sql_row_from_lease(const lease4_t *l, sql_row_t *ret)
{
	*ret = (sql_row_t){
		.address = l->addr,
		.hwaddr_len = l->hwaddr_len,
		.client_id_len = l->client_id_len,
		.valid_lifetime = l->valid_lft,
		.expire = sql_lease_expire(l),
		.subnet_id = l->subnet_id,
		.fqdn_fwd = l->fqdn_fwd,
		.fqdn_rev = l->fqdn_rev,
		.state = (uint32_t)l->state,
		.pool_id = l->pool_id,
	};
	memcpy(ret->hwaddr, l->hwaddr, MIN((size_t)l->hwaddr_len, sizeof(ret->hwaddr)));
	memcpy(ret->client_id, l->client_id, MIN((size_t)l->client_id_len, sizeof(ret->client_id)));
	snprintf(ret->hostname, sizeof(ret->hostname), "%s", l->hostname);
	snprintf(ret->user_context, sizeof(ret->user_context), "%s", l->user_context);
}

int sql_row_to_lease(const sql_row_t *row, lease4_t *ret, char *why, size_t why_len)
{
	if (row->truncated) {
		snprintf(why, why_len, "a column is longer than lessor holds (hwaddr %u, client-id "
		         "%u, hostname %u, user-context %u bytes)", DHCP_HWADDR_MAX,
		         DHCP_OPT_LEN_MAX, DHCP_HOSTNAME_MAX, LEASE_UCTX_MAX - 1);
		return -EBADMSG;
	}
	if (row->state >= _LEASE_STATE_MAX) {
		snprintf(why, why_len, "invalid state %" PRIu32, row->state);
		return -EBADMSG;
	}
	if (row->hwaddr_len > DHCP_HWADDR_MAX || row->client_id_len > DHCP_OPT_LEN_MAX) {
		snprintf(why, why_len, "hwaddr or client-id too long");
		return -EBADMSG;
	}
	*ret = (lease4_t){
		.addr = row->address,
		.subnet_id = row->subnet_id,
		.pool_id = row->pool_id,
		.hwaddr_len = (uint8_t)row->hwaddr_len,
		.htype = 1,             /* Kea's lease4 has no htype column: Ethernet */
		.client_id_len = (uint8_t)row->client_id_len,
		.valid_lft = row->valid_lifetime,
		.state = (lease_state_t)row->state,
		.fqdn_fwd = row->fqdn_fwd,
		.fqdn_rev = row->fqdn_rev,
	};
	ret->cltt = row->valid_lifetime == LEASE_LFT_INFINITE
	                    ? row->expire
	                    : row->expire - (int64_t)row->valid_lifetime;
	memcpy(ret->hwaddr, row->hwaddr, row->hwaddr_len);
	memcpy(ret->client_id, row->client_id, row->client_id_len);
	snprintf(ret->hostname, sizeof(ret->hostname), "%s", row->hostname);
	snprintf(ret->user_context, sizeof(ret->user_context), "%s", row->user_context);
	return 0;
}

/* ---- statements ---- */

#define SQL_SELECT                                                                    \
	"SELECT address, hwaddr, client_id, valid_lifetime, %E, subnet_id, fqdn_fwd, " \
	"fqdn_rev, hostname, state, user_context, %P FROM lease4"

/* Tokens: ? parameter, %T time parameter, %E expire as epoch seconds, %P the
 * pool_id column (or 0), %C ", pool_id", %V ", ?" and %Q ", pool_id = ?" when
 * the schema has pool_id, %X the dialect's insert suffix; with the dialect's
 * address guard (one more parameter, the address again): %S "SELECT " (else
 * "VALUES ("), %R " WHERE guard" (else ")"), %G " AND guard" (else nothing). */
static const char *const templates[_SQL_STMT_MAX] = {
	[SQL_GET_ADDR] = SQL_SELECT " WHERE address = ?",
	[SQL_GET_HWADDR] = SQL_SELECT " WHERE hwaddr = ? AND subnet_id = ? ORDER BY expire DESC LIMIT 1",
	[SQL_GET_CLIENT_ID] = SQL_SELECT " WHERE client_id = ? AND subnet_id = ? ORDER BY expire DESC LIMIT 1",
	[SQL_INSERT] = "INSERT INTO lease4 (address, hwaddr, client_id, valid_lifetime, expire, "
	               "subnet_id, fqdn_fwd, fqdn_rev, hostname, state, user_context%C) "
	               "%S?, ?, ?, ?, %T, ?, ?, ?, ?, ?, ?%V%R%X",
	[SQL_UPDATE] = "UPDATE lease4 SET hwaddr = ?, client_id = ?, valid_lifetime = ?, "
	               "expire = %T, subnet_id = ?, fqdn_fwd = ?, fqdn_rev = ?, hostname = ?, "
	               "state = ?, user_context = ?%Q WHERE address = ? AND expire = %T AND state = ?%G",
	[SQL_DELETE] = "DELETE FROM lease4 WHERE address = ? AND expire = %T%G",
	/* Kea's GET_LEASE4_EXPIRE */
	[SQL_GET_EXPIRED] = SQL_SELECT " WHERE state != 2 AND valid_lifetime != 4294967295 AND "
	                    "expire < %T ORDER BY expire ASC LIMIT ?",
	[SQL_GET_RECLAIMED] = SQL_SELECT " WHERE state = 2 AND expire < %T ORDER BY expire ASC LIMIT ?",
	[SQL_GET_PAGE] = SQL_SELECT " WHERE address > ? ORDER BY address LIMIT ?",
	[SQL_WIPE_SUBNET] = "DELETE FROM lease4 WHERE subnet_id = ?",
	[SQL_WIPE_ALL] = "DELETE FROM lease4",
};

static int emit(char *buf, size_t size, size_t *pos, const char *s)
{
	size_t n = strlen(s);

	if (*pos + n >= size) {
		return -ENOBUFS;
	}
	memcpy(buf + *pos, s, n + 1);
	*pos += n;
	return 0;
}

/* The @k-th parameter's placeholder. */
static void placeholder(const sql_dialect_t *d, int k, char *ph, size_t size)
{
	if (d->dollar_params) {
		snprintf(ph, size, "$%d", k);
	} else {
		snprintf(ph, size, "?");
	}
}

static int emit_param(const sql_dialect_t *d, char *buf, size_t size, size_t *pos, int *k,
                      bool time)
{
	char ph[16], t[96];

	placeholder(d, ++*k, ph, sizeof(ph));
	if (!time) {
		return emit(buf, size, pos, ph);
	}
	snprintf(t, sizeof(t), d->time_in, ph);
	return emit(buf, size, pos, t);
}

/* The dialect's address guard behind @lead, on a parameter of its own. */
static int emit_guard(const sql_dialect_t *d, char *buf, size_t size, size_t *pos, int *k,
                      const char *lead)
{
	char ph[16], t[160];

	if (d->addr_guard == NULL) {
		return 0;
	}
	placeholder(d, ++*k, ph, sizeof(ph));
	snprintf(t, sizeof(t), d->addr_guard, ph);
	int r = emit(buf, size, pos, lead);
	return r < 0 ? r : emit(buf, size, pos, t);
}

int sql_render(sql_stmt_t st, const sql_dialect_t *d, bool has_pool, char *buf, size_t size)
{
	size_t pos = 0;
	int k = 0, r = 0;

	assert_return(st >= 0 && st < _SQL_STMT_MAX && size > 0, -EINVAL);
	buf[0] = '\0';
	for (const char *p = templates[st]; *p != '\0' && r == 0; p++) {
		char one[2] = { *p, '\0' };

		if (*p == '?') {
			r = emit_param(d, buf, size, &pos, &k, false);
			continue;
		}
		if (*p != '%') {
			r = emit(buf, size, &pos, one);
			continue;
		}
		switch (*++p) {
		case 'T':
			r = emit_param(d, buf, size, &pos, &k, true);
			break;
		case 'E':
			r = emit(buf, size, &pos, d->time_out);
			break;
		case 'P':
			r = emit(buf, size, &pos, has_pool ? "pool_id" : "0");
			break;
		case 'C':
			r = has_pool ? emit(buf, size, &pos, ", pool_id") : 0;
			break;
		case 'V':
			if (has_pool) {
				r = emit(buf, size, &pos, ", ");
				r = r < 0 ? r : emit_param(d, buf, size, &pos, &k, false);
			}
			break;
		case 'Q':
			if (has_pool) {
				r = emit(buf, size, &pos, ", pool_id = ");
				r = r < 0 ? r : emit_param(d, buf, size, &pos, &k, false);
			}
			break;
		case 'X':
			r = emit(buf, size, &pos, d->insert_suffix);
			break;
		case 'S':
			r = emit(buf, size, &pos, d->addr_guard != NULL ? "SELECT " : "VALUES (");
			break;
		case 'R':
		case 'G':
			r = emit_guard(d, buf, size, &pos, &k, *p == 'R' ? " WHERE " : " AND ");
			if (r == 0 && d->addr_guard == NULL && *p == 'R') {
				r = emit(buf, size, &pos, ")");
			}
			break;
		default:
			return -EINVAL;
		}
	}
	return r < 0 ? r : k;
}

static sql_val_t v_int(int64_t i)
{
	return (sql_val_t){ .type = SQL_V_INT, .i = i };
}

static sql_val_t v_time(int64_t t)
{
	return (sql_val_t){ .type = SQL_V_TIME, .i = t };
}

static sql_val_t v_bytes(const void *p, size_t len)
{
	return (sql_val_t){ .type = SQL_V_BYTES, .p = p, .len = len };
}

static sql_val_t v_text_or_null(const char *s)
{
	if (s[0] == '\0') {
		return (sql_val_t){ .type = SQL_V_NULL };
	}
	return (sql_val_t){ .type = SQL_V_TEXT, .p = s, .len = strlen(s) };
}

/* The row's values in the order of INSERT (with_addr) or UPDATE's SET list. */
static size_t row_params(const sql_row_t *r, bool with_addr, bool has_pool, sql_val_t *v)
{
	size_t n = 0;

	if (with_addr) {
		v[n++] = v_int(r->address);
	}
	v[n++] = v_bytes(r->hwaddr, r->hwaddr_len);
	v[n++] = r->client_id_len > 0 ? v_bytes(r->client_id, r->client_id_len)
	                              : (sql_val_t){ .type = SQL_V_NULL };
	v[n++] = v_int(r->valid_lifetime);
	v[n++] = v_time(r->expire);
	v[n++] = v_int(r->subnet_id);
	v[n++] = (sql_val_t){ .type = SQL_V_BOOL, .i = r->fqdn_fwd };
	v[n++] = (sql_val_t){ .type = SQL_V_BOOL, .i = r->fqdn_rev };
	/* Kea binds the hostname as a string even when empty */
	v[n++] = (sql_val_t){ .type = SQL_V_TEXT, .p = r->hostname, .len = strlen(r->hostname) };
	v[n++] = v_int(r->state);
	v[n++] = v_text_or_null(r->user_context);
	if (has_pool) {
		v[n++] = v_int(r->pool_id);
	}
	return n;
}

/* ---- connections ---- */

static void log_db_error(sql_conn_t *c, const char *what, int r)
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

static void conn_drop(sql_conn_t *c)
{
	if (c->db != NULL) {
		conn_store(c)->drv->disconnect(c->db);
		c->db = NULL;
	}
}

static int prepare_all(sql_store_t *s, sql_db_t *db)
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
static int conn_ensure(sql_conn_t *c)
{
	sql_store_t *s = conn_store(c);
	char *err = NULL;
	int r;

	if (c->db != NULL) {
		return 0;
	}
	r = s->drv->connect(&s->cfg, &c->db, &err);
	if (r == 0) {
		r = prepare_all(s, c->db);
		if (r < 0) {
			log_error(LOGGER_DHCPSRV, s->drv->log_fatal,
			          "Unrecoverable %s error occurred: %s for <%s>, reason: %s",
			          s->drv->name, "prepare failed", "prepare", s->drv->error(c->db));
			conn_drop(c);
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

	conn_drop(c);
	/* Kea recreates its lease manager: the same line as at start */
	log_info(LOGGER_DHCPSRV, s->drv->log_db, "opening %s lease database: %s", s->drv->name,
	         lease_store_cfg_describe(&s->cfg, desc, sizeof(desc)));
	r = s->drv->connect(&s->cfg, &c->db, &err);
	if (r == 0 && prepare_all(s, c->db) < 0) {
		if (asprintf(&err, "preparing statements failed: %s", s->drv->error(c->db)) < 0) {
			err = NULL;
		}
		conn_drop(c);
		r = -ENOTCONN;
	}
	if (r == 0) {
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

static int txn_begin(sql_conn_t *c)
{
	sql_store_t *s = conn_store(c);
	int r;

	if (c->in_txn) {
		return c->txn_failed ? -EIO : 0;
	}
	r = conn_ensure(c);
	if (r < 0) {
		return r;
	}
	r = s->drv->run(c->db, "BEGIN");
	if (r == -ENOTCONN) {
		/* the connection died while idle: one fresh try */
		conn_drop(c);
		r = conn_ensure(c);
		r = r < 0 ? r : s->drv->run(c->db, "BEGIN");
	}
	if (r < 0) {
		log_db_error(c, "BEGIN", r);
		if (r == -ENOTCONN) {
			conn_drop(c);
		}
		return r;
	}
	log_debug(LOGGER_DHCPSRV, LOG_DBG_DETAIL, s->drv->dialect->dollar_params
	                  ? "DATABASE_PGSQL_START_TRANSACTION" : "DATABASE_MYSQL_START_TRANSACTION",
	          "starting new %s transaction", s->drv->name);
	c->in_txn = true;
	c->txn_failed = false;
	return 0;
}

/* Run @st. Outside a transaction a lost connection is retried once on a new
 * one; inside, the transaction is gone and sync will say so. */
static int run_stmt(sql_conn_t *c, sql_stmt_t st, const sql_val_t *v, size_t n, sql_row_t *rows,
                    size_t max)
{
	sql_store_t *s = conn_store(c);
	int r = -ENOTCONN;

	if (c->in_txn && c->txn_failed) {
		return -EIO;
	}
	for (int attempt = 0; attempt < 2 && r == -ENOTCONN; attempt++) {
		r = conn_ensure(c);
		if (r < 0) {
			return r;
		}
		r = s->drv->exec(c->db, st, v, n, rows, max);
		if (r == -ENOTCONN) {
			log_db_error(c, templates[st], r);
			conn_drop(c);
			if (c->in_txn) {
				c->txn_failed = true;
				return -EIO;
			}
		}
	}
	/* A duplicate key is an answer on MySQL (the statement alone is undone).
	 * On PostgreSQL the INSERT's own address conflict is ON CONFLICT DO
	 * NOTHING, so a unique violation comes from elsewhere, e.g. two
	 * transactions' lease4_stat triggers creating the same (subnet, state)
	 * row (Kea's triggers race there too), and it aborts the transaction. */
	if (r == -EEXIST && s->drv->dialect->dollar_params) {
		r = -EIO;
	}
	if (r < 0 && r != -EEXIST) {
		if (r != -ENOTCONN) {
			log_db_error(c, templates[st], r);
		}
		/* PostgreSQL aborts the transaction on any error, MySQL on a
		 * deadlock: either way the batch cannot be committed whole. */
		if (c->in_txn) {
			c->txn_failed = true;
		}
	}
	return r;
}

/* Convert fetched rows, skipping (and counting, logging) unreadable ones. */
static int rows_to_leases(sql_conn_t *c, const sql_row_t *rows, int n, lease4_t *out)
{
	sql_store_t *s = conn_store(c);
	int k = 0;

	for (int i = 0; i < n; i++) {
		char why[160], a[16];

		if (sql_row_to_lease(&rows[i], &out[k], why, sizeof(why)) == 0) {
			k++;
			continue;
		}
		atomic_fetch_add(&s->bad_rows, 1);
		log_warn(LOGGER_DHCPSRV, "LESSOR_SQL_BAD_ROW", "skipping unreadable lease4 row for "
		         "address %s: %s", inaddr_fmt(rows[i].address, a), why);
	}
	return k;
}

/* One row into *ret: 0, -ENOENT for none, @bad for a row lessor cannot read. */
static int get_one(lease_conn_t *lc, sql_stmt_t st, const sql_val_t *v, size_t n, lease4_t *ret,
                   int bad)
{
	sql_conn_t *c = to_conn(lc);
	sql_row_t row;
	int r = run_stmt(c, st, v, n, &row, 1);

	if (r < 0) {
		return r;
	}
	if (r == 0) {
		return -ENOENT;
	}
	return rows_to_leases(c, &row, 1, ret) == 1 ? 0 : bad;
}

int sql_get_by_addr(lease_conn_t *c, uint32_t addr, lease4_t *ret)
{
	sql_val_t v[] = { v_int(addr) };

	/* an unreadable row still holds its address: never "free" */
	return get_one(c, SQL_GET_ADDR, v, ARRAY_SIZE(v), ret, -EBADMSG);
}

int sql_get_by_hwaddr(lease_conn_t *c, uint32_t subnet_id, const uint8_t *hw, size_t hw_len,
                      lease4_t *ret)
{
	sql_val_t v[] = { v_bytes(hw, hw_len), v_int(subnet_id) };

	if (hw_len == 0) {
		return -ENOENT;
	}
	return get_one(c, SQL_GET_HWADDR, v, ARRAY_SIZE(v), ret, -ENOENT);
}

int sql_get_by_client_id(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
                         size_t cid_len, lease4_t *ret)
{
	sql_val_t v[] = { v_bytes(cid, cid_len), v_int(subnet_id) };

	if (cid_len == 0) {
		return -ENOENT;
	}
	return get_one(c, SQL_GET_CLIENT_ID, v, ARRAY_SIZE(v), ret, -ENOENT);
}

/* The address again for the dialect's guard (%R, %G), if it has one. A
 * write that finds the address held by another transaction affects no row,
 * which the callers already take as a lost race: the engine tries another
 * address. Without it, two batch transactions could each wait for the
 * other: A holds lease4_stat's row for the subnet (Kea's trigger) and wants
 * an address B inserted; B's insert waits for that lease4_stat row
 * (PostgreSQL: "deadlock detected", one batch rolled back and its replies
 * dropped; measured with two servers at random places: 7 in one round). */
static size_t guard_param(const sql_store_t *s, uint32_t addr, sql_val_t *v, size_t n)
{
	if (s->drv->dialect->addr_guard != NULL) {
		v[n++] = v_int(addr);
	}
	return n;
}

int sql_add(lease_conn_t *lc, const lease4_t *l)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	sql_val_t v[SQL_PARAMS_MAX];
	sql_row_t row;
	int r = txn_begin(c);

	if (r < 0) {
		return r;
	}
	sql_row_from_lease(l, &row);
	size_t n = row_params(&row, true, s->has_pool, v);
	n = guard_param(s, l->addr, v, n);
	r = run_stmt(c, SQL_INSERT, v, n, NULL, 0);
	if (r == 0) {
		return -EEXIST;         /* ON CONFLICT DO NOTHING */
	}
	return r < 0 ? r : 0;
}

int sql_update(lease_conn_t *lc, const lease4_t *old, const lease4_t *l)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	sql_val_t v[SQL_PARAMS_MAX];
	sql_row_t row;
	int r;

	assert_return(old->addr == l->addr, -EINVAL);
	r = txn_begin(c);
	if (r < 0) {
		return r;
	}
	sql_row_from_lease(l, &row);
	size_t n = row_params(&row, false, s->has_pool, v);
	v[n++] = v_int(old->addr);
	v[n++] = v_time(sql_lease_expire(old));
	v[n++] = v_int(old->state);
	n = guard_param(s, old->addr, v, n);
	r = run_stmt(c, SQL_UPDATE, v, n, NULL, 0);
	if (r == 0) {
		return -ESTALE;         /* changed or deleted since it was read */
	}
	return r < 0 ? r : 0;
}

int sql_del(lease_conn_t *lc, const lease4_t *old)
{
	sql_conn_t *c = to_conn(lc);
	sql_val_t v[3] = { v_int(old->addr), v_time(sql_lease_expire(old)) };
	size_t n = guard_param(conn_store(c), old->addr, v, 2);
	int r = txn_begin(c);

	if (r < 0) {
		return r;
	}
	r = run_stmt(c, SQL_DELETE, v, n, NULL, 0);
	if (r == 0) {
		return -ESTALE;
	}
	return r < 0 ? r : 0;
}

int sql_sync(lease_conn_t *lc)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	bool pg = s->drv->dialect->dollar_params;
	int r;

	if (!c->in_txn) {
		return 0;
	}
	c->in_txn = false;
	if (c->txn_failed) {
		c->txn_failed = false;
		if (c->db != NULL && s->drv->run(c->db, "ROLLBACK") == -ENOTCONN) {
			conn_drop(c);
		}
		log_debug(LOGGER_DHCPSRV, LOG_DBG_DETAIL,
		          pg ? "DATABASE_PGSQL_ROLLBACK" : "DATABASE_MYSQL_ROLLBACK",
		          "rolling back %s database", s->drv->name);
		return -EIO;
	}
	r = s->drv->run(c->db, "COMMIT");
	if (r < 0) {
		log_db_error(c, "COMMIT", r);
		if (r == -ENOTCONN) {
			conn_drop(c);
		} else {
			(void)s->drv->run(c->db, "ROLLBACK");
		}
		return -EIO;
	}
	log_debug(LOGGER_DHCPSRV, LOG_DBG_DETAIL, pg ? "DATABASE_PGSQL_COMMIT" : "DATABASE_MYSQL_COMMIT",
	          "committing to %s database", s->drv->name);
	return 0;
}

static int get_many(lease_conn_t *lc, sql_stmt_t st, const sql_val_t *v, size_t n, lease4_t *out,
                    size_t max)
{
	sql_conn_t *c = to_conn(lc);

	if (max == 0) {
		return 0;
	}
	sql_row_t *rows = calloc(max, sizeof(*rows));
	if (rows == NULL) {
		return -ENOMEM;
	}
	int r = run_stmt(c, st, v, n, rows, max);
	if (r > 0) {
		r = rows_to_leases(c, rows, r, out);
	}
	free(rows);
	return r;
}

int sql_get_expired(lease_conn_t *c, int64_t now, lease4_t *out, size_t max)
{
	sql_val_t v[] = { v_time(now), v_int((int64_t)MIN(max, (size_t)INT32_MAX)) };

	return get_many(c, SQL_GET_EXPIRED, v, ARRAY_SIZE(v), out, max);
}

int sql_get_reclaimed(lease_conn_t *c, int64_t before, lease4_t *out, size_t max)
{
	sql_val_t v[] = { v_time(before), v_int((int64_t)MIN(max, (size_t)INT32_MAX)) };

	return get_many(c, SQL_GET_RECLAIMED, v, ARRAY_SIZE(v), out, max);
}

int sql_get_page(lease_conn_t *c, uint32_t after, lease4_t *out, size_t max)
{
	sql_val_t v[] = { v_int(after), v_int((int64_t)MIN(max, (size_t)INT32_MAX)) };

	return get_many(c, SQL_GET_PAGE, v, ARRAY_SIZE(v), out, max);
}

int sql_wipe(lease_conn_t *lc, uint32_t subnet_id)
{
	sql_conn_t *c = to_conn(lc);
	sql_val_t v[] = { v_int(subnet_id) };
	int r = txn_begin(c);

	if (r < 0) {
		return r;
	}
	if (subnet_id == 0) {
		return run_stmt(c, SQL_WIPE_ALL, NULL, 0, NULL, 0);
	}
	return run_stmt(c, SQL_WIPE_SUBNET, v, 1, NULL, 0);
}

/* Kea's recountLeaseStats4 reads lease4_stat, which Kea's triggers keep:
 * every server on the database reports the same counts. */
int sql_count(lease_conn_t *lc, lease_count_t **ret)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	int64_t(*rows)[3] = NULL;
	int r = conn_ensure(c);

	if (r < 0) {
		return r;
	}
	r = s->drv->stats(c->db, &rows);
	if (r == -ENOTCONN) {
		conn_drop(c);
		r = conn_ensure(c);
		r = r < 0 ? r : s->drv->stats(c->db, &rows);
	}
	if (r < 0) {
		log_db_error(c, "SELECT ... FROM lease4_stat", r);
		return r;
	}
	lease_count_t *v = calloc((size_t)r + 1, sizeof(*v));
	int n = 0;
	if (v == NULL) {
		free(rows);
		return -ENOMEM;
	}
	for (int i = 0; i < r; i++) {
		uint32_t sid = (uint32_t)rows[i][0];
		uint64_t leases = rows[i][2] > 0 ? (uint64_t)rows[i][2] : 0;

		if (n == 0 || v[n - 1].subnet_id != sid) {
			v[n++].subnet_id = sid;         /* rows come ordered by subnet */
		}
		if (rows[i][1] == LEASE_STATE_DEFAULT) {
			v[n - 1].assigned += leases;
		} else if (rows[i][1] == LEASE_STATE_DECLINED) {
			v[n - 1].declined += leases;
		}
	}
	free(rows);
	*ret = v;
	return n;
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
		(void)conn_ensure(c);
	}
	*ret_conn = &c->base;
	return 0;
}

static void conn_free(sql_conn_t *c)
{
	conn_drop(c);
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
		conn_free(c);
	}
}

/* ---- the store ---- */

void sql_store_close(lease_store_t *ls)
{
	sql_store_t *s = to_store(ls);

	if (s == NULL) {
		return;
	}
	for (size_t i = 0; i < s->n_idle; i++) {
		conn_free(s->idle[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(s->strs); i++) {
		free(s->strs[i]);
	}
	pthread_mutex_destroy(&s->mu);
	free(s);
}

/* The configuration outlives reloads in the store (reconnects need it). */
static int copy_cfg(sql_store_t *s, const lease_store_cfg_t *cfg)
{
	const char **fields[] = {
		&s->cfg.type, &s->cfg.name, &s->cfg.host, &s->cfg.user, &s->cfg.password,
		&s->cfg.trust_anchor, &s->cfg.cert_file, &s->cfg.key_file, &s->cfg.cipher_list,
	};

	s->cfg = *cfg;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (*fields[i] == NULL) {
			continue;
		}
		s->strs[i] = strdup(*fields[i]);
		if (s->strs[i] == NULL) {
			return -ENOMEM;
		}
		*fields[i] = s->strs[i];
	}
	return 0;
}

static int set_err(char **reterr, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int set_err(char **reterr, int r, const char *fmt, ...)
{
	va_list ap;

	if (reterr != NULL && *reterr == NULL) {
		va_start(ap, fmt);
		if (vasprintf(reterr, fmt, ap) < 0) {
			*reterr = NULL;
		}
		va_end(ap);
	}
	return r;
}

/* Kea refuses a schema it was not built for; lessor knows two per backend. */
static int check_version(sql_store_t *s, sql_db_t *db, char **reterr)
{
	const sql_driver_t *d = s->drv;
	char want[64] = "";
	int r;

	r = d->version(db, &s->major, &s->minor, reterr);
	if (r < 0) {
		return r;
	}
	for (size_t i = 0; i < d->n_versions; i++) {
		if (d->versions[i][0] == s->major && d->versions[i][1] == s->minor) {
			s->has_pool = s->major >= d->pool_since;
			return 0;
		}
		size_t len = strlen(want);
		snprintf(want + len, sizeof(want) - len, "%s%d.%d", i == 0 ? "" : " or ",
		         d->versions[i][0], d->versions[i][1]);
	}
	return set_err(reterr, -EPROTO, "%s schema version mismatch: need version: %s found "
	               "version: %d.%d", d->name, want, s->major, s->minor);
}

int sql_store_open(const sql_driver_t *drv, const lease_store_ops_t *ops,
                   const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr)
{
	char desc[512];
	sql_db_t *db = NULL;
	int r;

	if (cfg->name == NULL || cfg->name[0] == '\0') {
		/* Kea's NoDatabaseName */
		return set_err(reterr, -EINVAL, "must specify a name for the database");
	}
	sql_store_t *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		return -ENOMEM;
	}
	s->base.ops = ops;
	s->drv = drv;
	pthread_mutex_init(&s->mu, NULL);
	r = copy_cfg(s, cfg);
	if (r < 0) {
		sql_store_close(&s->base);
		return r;
	}
	log_info(LOGGER_DHCPSRV, drv->log_db, "opening %s lease database: %s", drv->name,
	         lease_store_cfg_describe(&s->cfg, desc, sizeof(desc)));
	r = drv->connect(&s->cfg, &db, reterr);
	if (r == 0) {
		r = check_version(s, db, reterr);
	}
	if (r == 0) {
		r = prepare_all(s, db);
		if (r < 0) {
			set_err(reterr, r, "preparing statements failed: %s", drv->error(db));
		}
	}
	if (r < 0) {
		if (db != NULL) {
			drv->disconnect(db);
		}
		sql_store_close(&s->base);
		return r;
	}
	log_info(LOGGER_DHCPSRV, "LESSOR_SQL_SCHEMA", "%s lease database schema version %d.%d%s",
	         drv->name, s->major, s->minor, s->has_pool ? "" : " (no lease4.pool_id column)");
	/* keep the checked connection for the first user */
	sql_conn_t *c = calloc(1, sizeof(*c));
	if (c != NULL) {
		c->base.store = &s->base;
		c->db = db;
		s->idle[s->n_idle++] = c;
	} else {
		drv->disconnect(db);
	}
	*ret_store = &s->base;
	return 0;
}

uint64_t sql_store_bad_rows(lease_store_t *ls)
{
	return atomic_load(&to_store(ls)->bad_rows);
}
