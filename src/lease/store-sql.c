/* The SQL-neutral lease store (see store-sql.h): the per-connection
 * transaction, queries with compare-and-swap, lease4_stat counts, the schema
 * check and the store's life. Rows and statements are in store-sql-row.c,
 * connections, reconnects and the idle pool in store-sql-conn.c. */
#include "lease/store-sql-int.h"

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

static int txn_begin(sql_conn_t *c)
{
	sql_store_t *s = conn_store(c);
	int r;

	if (c->in_txn) {
		return c->txn_failed ? -EIO : 0;
	}
	r = sql_conn_ensure(c);
	if (r < 0) {
		return r;
	}
	r = s->drv->run(c->db, "BEGIN");
	if (r == -ENOTCONN) {
		/* the connection died while idle: one fresh try */
		sql_conn_drop(c);
		r = sql_conn_ensure(c);
		r = r < 0 ? r : s->drv->run(c->db, "BEGIN");
	}
	if (r < 0) {
		sql_conn_log_error(c, "BEGIN", r);
		if (r == -ENOTCONN) {
			sql_conn_drop(c);
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

/* Before a lease write. Kea's triggers make every lease4 write update the
 * subnet's row of lease4_stat, so a transaction holds that one row's lock
 * from its first write to its COMMIT: every other server and worker writing
 * to the subnet waits for it. A batch transaction holds it across the round
 * trips of every later packet of the batch, which serialises all writers
 * behind one another (and collapses at a database 1 ms away). So each write
 * commits by itself (autocommit, durable before the statement returns, its
 * ACK after that): the lock lasts one statement, and the database's group
 * commit still shares one log flush among concurrent writers. LESSOR_SQL_TXN=1
 * brings back the batch transaction (docs/architecture.md). */
static int write_begin(sql_conn_t *c)
{
	return conn_store(c)->txn_writes ? txn_begin(c) : 0;
}

/* What a statement's failure @r means. A duplicate key is an answer on MySQL
 * (the statement alone is undone). On PostgreSQL the INSERT's own address
 * conflict is ON CONFLICT DO NOTHING, so a unique violation comes from
 * elsewhere, e.g. two transactions' lease4_stat triggers creating the same
 * (subnet, state) row (Kea's triggers race there too), and it aborts the
 * transaction. */
static int stmt_result(sql_conn_t *c, sql_stmt_t st, int r)
{
	if (r == -EEXIST && conn_store(c)->drv->dialect->dollar_params) {
		r = -EIO;
	}
	if (r < 0 && r != -EEXIST) {
		if (r != -ENOTCONN) {
			sql_conn_log_error(c, sql_stmt_template(st), r);
		}
		/* PostgreSQL aborts the transaction on any error, MySQL on a
		 * deadlock: either way the batch cannot be committed whole. */
		if (c->in_txn) {
			c->txn_failed = true;
		}
	}
	return r;
}

/* Run @st. Outside a transaction a lost connection is retried once on a new
 * one, unless @st writes: whether the write committed before the connection
 * went is unknown, and running it again could give the client a second
 * lease. Inside a transaction, the transaction is gone and sync will say so. */
static int run_stmt(sql_conn_t *c, sql_stmt_t st, const sql_val_t *v, size_t n, sql_row_t *rows,
                    size_t max)
{
	sql_store_t *s = conn_store(c);
	bool once = rows == NULL && !c->in_txn;
	int r = -ENOTCONN;

	c->last_valid = false;
	if (c->in_txn && c->txn_failed) {
		return -EIO;
	}
	for (int attempt = 0; attempt < (once ? 1 : 2) && r == -ENOTCONN; attempt++) {
		r = sql_conn_ensure(c);
		if (r < 0) {
			return r;
		}
		r = s->drv->exec(c->db, st, v, n, rows, max);
		if (r == -ENOTCONN) {
			sql_conn_log_error(c, sql_stmt_template(st), r);
			sql_conn_drop(c);
			if (c->in_txn) {
				c->txn_failed = true;
				return -EIO;
			}
		}
	}
	r = stmt_result(c, st, r);
	return r == -ENOTCONN && once ? -EIO : r;
}

/* A lease write. Inside a worker's batch (sql_batch_hint) on a store with
 * asynchronous commits, its commit does not wait for the log flush: the lock
 * on the subnet's lease4_stat row (Kea's trigger) lasts the statement, not
 * an fsync, so the workers and servers writing to one subnet stop queueing
 * behind each other's flushes, and sql_sync flushes once for the batch (the
 * database shares that flush among concurrent ones). The batch's last
 * packet carries the flush in its write's own round trip: a packet alone in
 * its batch waits no longer than with a synchronous commit. A write whose
 * connection is lost is not sent again (see run_stmt). */
static int write_stmt(sql_conn_t *c, sql_stmt_t st, const sql_val_t *v, size_t n)
{
	sql_store_t *s = conn_store(c);
	bool flushed = false;
	int r;

	if (!c->batch || c->in_txn || !atomic_load_explicit(&s->async_commit, memory_order_relaxed)) {
		return run_stmt(c, st, v, n, NULL, 0);
	}
	c->last_valid = false;
	r = sql_conn_ensure(c);
	if (r < 0) {
		return r;
	}
	r = s->drv->exec_async(c->db, st, v, n, c->batch_last, &flushed);
	if (r >= 0) {
		/* a flush that failed after the write is tried again by sync */
		c->unflushed = !flushed;
		return r;
	}
	if (r == -ENOTCONN) {
		sql_conn_log_error(c, sql_stmt_template(st), r);
		sql_conn_drop(c);
		return -EIO;
	}
	return stmt_result(c, st, r);
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
		atomic_fetch_add(&s->base.bad_rows, 1);
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

/* Remember @addr's lease (@r 0, or -ENOENT) for the reads that follow. */
static void remember_addr(sql_conn_t *c, uint32_t addr, int r, const lease4_t *l)
{
	c->last_valid = true;
	c->last_r = r;
	c->last_addr = addr;
	if (r == 0) {
		c->last = *l;
	}
}

/* A REQUEST reads its address twice in a row (whether the client may have it,
 * then the compare-and-swap's read in the allocator), after the client lookup
 * that read it already (sql_get_by_client's @addr): these reads are answered
 * with that row, two round trips less per exchange. Only reads of that
 * address with no other statement in between may reuse it (any other
 * statement, a write or a sync forgets it), so the answer is no staler than
 * the engine's own copy, and the write that follows is a compare-and-swap on
 * it anyway. */
int sql_get_by_addr(lease_conn_t *lc, uint32_t addr, lease4_t *ret)
{
	sql_conn_t *c = to_conn(lc);
	sql_val_t v[] = { sql_v_int(addr) };

	if (c->last_valid && c->last_addr == addr) {
		if (c->last_r == 0) {
			*ret = c->last;
		}
		return c->last_r;
	}
	/* an unreadable row still holds its address: never "free" */
	int r = get_one(lc, SQL_GET_ADDR, v, ARRAY_SIZE(v), ret, -EBADMSG);
	if (r == 0 || r == -ENOENT) {
		remember_addr(c, addr, r, ret);
	}
	return r;
}

int sql_get_by_hwaddr(lease_conn_t *c, uint32_t subnet_id, const uint8_t *hw, size_t hw_len,
                      lease4_t *ret)
{
	sql_val_t v[] = { sql_v_bytes(hw, hw_len), sql_v_int(subnet_id) };

	if (hw_len == 0) {
		return -ENOENT;
	}
	return get_one(c, SQL_GET_HWADDR, v, ARRAY_SIZE(v), ret, -ENOENT);
}

int sql_get_by_client_id(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
                         size_t cid_len, lease4_t *ret)
{
	sql_val_t v[] = { sql_v_bytes(cid, cid_len), sql_v_int(subnet_id) };

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
		v[n++] = sql_v_int(addr);
	}
	return n;
}

/* The newest of @n leases in @subnet_id whose client-id (@by_cid) or hwaddr
 * is @id, or -1. */
static int newest_with(const lease4_t *l, int n, uint32_t subnet_id, bool by_cid,
                       const uint8_t *id, size_t len)
{
	int best = -1;

	for (int i = 0; i < n; i++) {
		bool match = by_cid ? l[i].client_id_len == len && memcmp(l[i].client_id, id, len) == 0
		                    : l[i].hwaddr_len == len && memcmp(l[i].hwaddr, id, len) == 0;
		match = match && l[i].subnet_id == subnet_id;
		if (match && (best < 0 || sql_lease_expire(&l[i]) > sql_lease_expire(&l[best]))) {
			best = i;
		}
	}
	return best;
}

/* @addr's answer among the @n_raw rows of SQL_GET_CLIENT_ADDR (any row with
 * that address is that address's one row, whichever half found it), for the
 * reads that follow; nothing when its row was unreadable (get_by_addr then
 * asks again and says -EBADMSG). */
static void remember_fetched(sql_conn_t *c, uint32_t addr, const sql_row_t *raw, int n_raw,
                             const lease4_t *got, int n)
{
	bool raw_has = false;

	for (int i = 0; i < n_raw; i++) {
		raw_has |= raw[i].address == addr;
	}
	for (int i = 0; i < n; i++) {
		if (got[i].addr == addr) {
			remember_addr(c, addr, 0, &got[i]);
			return;
		}
	}
	if (!raw_has) {
		remember_addr(c, addr, -ENOENT, NULL);
	}
}

/* The client-id and the hwaddr lookups of an exchange in one statement, and
 * with @addr that address's row. Each identifier's half returns its newest
 * row, so the newest returned row of the subnet matching an identifier is
 * that half's answer, whatever order the rows come in (the address's row,
 * if it matches, is one its half saw too). */
int sql_get_by_client(lease_conn_t *lc, uint32_t subnet_id, const uint8_t *cid, size_t cid_len,
                      const uint8_t *hw, size_t hw_len, uint32_t addr, lease4_t *ret_cid,
                      int *ret_cid_r, lease4_t *ret_hw, int *ret_hw_r)
{
	sql_conn_t *c = to_conn(lc);
	sql_val_t v[] = { sql_v_bytes(cid, cid_len), sql_v_int(subnet_id), sql_v_bytes(hw, hw_len),
	                  sql_v_int(subnet_id), sql_v_int(addr) };
	sql_row_t rows[3];
	lease4_t got[3];

	assert_return(cid_len > 0 && hw_len > 0, -EINVAL);
	int r = addr != 0 ? run_stmt(c, SQL_GET_CLIENT_ADDR, v, 5, rows, 3)
	                  : run_stmt(c, SQL_GET_CLIENT, v, 4, rows, 2);
	if (r < 0) {
		return r;
	}
	int n = rows_to_leases(c, rows, r, got);
	if (addr != 0) {
		remember_fetched(c, addr, rows, r, got, n);
	}
	int i = newest_with(got, n, subnet_id, true, cid, cid_len);
	int k = newest_with(got, n, subnet_id, false, hw, hw_len);
	*ret_cid_r = i < 0 ? -ENOENT : 0;
	*ret_hw_r = k < 0 ? -ENOENT : 0;
	if (i >= 0) {
		*ret_cid = got[i];
	}
	if (k >= 0) {
		*ret_hw = got[k];
	}
	return 0;
}

int sql_add(lease_conn_t *lc, const lease4_t *l)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	sql_val_t v[SQL_PARAMS_MAX];
	sql_row_t row;
	int r = write_begin(c);

	if (r < 0) {
		return r;
	}
	sql_row_from_lease(l, &row);
	size_t n = sql_row_params(&row, true, s->has_pool, v);
	n = guard_param(s, l->addr, v, n);
	r = write_stmt(c, SQL_INSERT, v, n);
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
	r = write_begin(c);
	if (r < 0) {
		return r;
	}
	sql_row_from_lease(l, &row);
	size_t n = sql_row_params(&row, false, s->has_pool, v);
	v[n++] = sql_v_int(old->addr);
	v[n++] = sql_v_time(sql_lease_expire(old));
	v[n++] = sql_v_int(old->state);
	n = guard_param(s, old->addr, v, n);
	r = write_stmt(c, SQL_UPDATE, v, n);
	if (r == 0) {
		return -ESTALE;         /* changed or deleted since it was read */
	}
	return r < 0 ? r : 0;
}

int sql_del(lease_conn_t *lc, const lease4_t *old)
{
	sql_conn_t *c = to_conn(lc);
	sql_val_t v[3] = { sql_v_int(old->addr), sql_v_time(sql_lease_expire(old)) };
	size_t n = guard_param(conn_store(c), old->addr, v, 2);
	int r = write_begin(c);

	if (r < 0) {
		return r;
	}
	r = write_stmt(c, SQL_DELETE, v, n);
	if (r == 0) {
		return -ESTALE;
	}
	return r < 0 ? r : 0;
}

void sql_batch_hint(lease_conn_t *lc, bool last)
{
	sql_conn_t *c = to_conn(lc);

	c->batch = true;
	c->batch_last = last;
}

/* Make the batch's asynchronous commits durable (see write_stmt). */
static int flush_commits(sql_conn_t *c)
{
	sql_store_t *s = conn_store(c);
	int r;

	if (c->flush_lost) {
		c->flush_lost = false;
		log_error(LOGGER_DHCPSRV, "LESSOR_SQL_FLUSH_LOST", "%s connection lost before its "
		          "lease writes were flushed: their replies are not sent", s->drv->name);
		return -EIO;
	}
	if (!c->unflushed) {
		return 0;
	}
	c->unflushed = false;
	r = s->drv->flush(c->db);
	if (r < 0) {
		sql_conn_log_error(c, "flush", r);
		if (r == -ENOTCONN) {
			sql_conn_drop(c);
		}
		return -EIO;
	}
	return 0;
}

int sql_sync(lease_conn_t *lc)
{
	sql_conn_t *c = to_conn(lc);
	sql_store_t *s = conn_store(c);
	bool pg = s->drv->dialect->dollar_params;
	int r;

	c->last_valid = false;
	c->batch = c->batch_last = false;
	r = flush_commits(c);
	if (r < 0 || !c->in_txn) {
		return r;
	}
	c->in_txn = false;
	if (c->txn_failed) {
		c->txn_failed = false;
		if (c->db != NULL && s->drv->run(c->db, "ROLLBACK") == -ENOTCONN) {
			sql_conn_drop(c);
		}
		log_debug(LOGGER_DHCPSRV, LOG_DBG_DETAIL,
		          pg ? "DATABASE_PGSQL_ROLLBACK" : "DATABASE_MYSQL_ROLLBACK",
		          "rolling back %s database", s->drv->name);
		return -EIO;
	}
	r = s->drv->run(c->db, "COMMIT");
	if (r < 0) {
		sql_conn_log_error(c, "COMMIT", r);
		if (r == -ENOTCONN) {
			sql_conn_drop(c);
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
	sql_val_t v[] = { sql_v_time(now), sql_v_int((int64_t)MIN(max, (size_t)INT32_MAX)) };

	return get_many(c, SQL_GET_EXPIRED, v, ARRAY_SIZE(v), out, max);
}

int sql_get_reclaimed(lease_conn_t *c, int64_t before, lease4_t *out, size_t max)
{
	sql_val_t v[] = { sql_v_time(before), sql_v_int((int64_t)MIN(max, (size_t)INT32_MAX)) };

	return get_many(c, SQL_GET_RECLAIMED, v, ARRAY_SIZE(v), out, max);
}

int sql_get_page(lease_conn_t *c, uint32_t after, lease4_t *out, size_t max)
{
	sql_val_t v[] = { sql_v_int(after), sql_v_int((int64_t)MIN(max, (size_t)INT32_MAX)) };

	return get_many(c, SQL_GET_PAGE, v, ARRAY_SIZE(v), out, max);
}

int sql_wipe(lease_conn_t *lc, uint32_t subnet_id)
{
	sql_conn_t *c = to_conn(lc);
	sql_val_t v[] = { sql_v_int(subnet_id) };
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
	int r = sql_conn_ensure(c);

	if (r < 0) {
		return r;
	}
	r = s->drv->stats(c->db, &rows);
	if (r == -ENOTCONN) {
		sql_conn_drop(c);
		r = sql_conn_ensure(c);
		r = r < 0 ? r : s->drv->stats(c->db, &rows);
	}
	if (r < 0) {
		sql_conn_log_error(c, "SELECT ... FROM lease4_stat", r);
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

/* ---- the store ---- */

void sql_store_close(lease_store_t *ls)
{
	sql_store_t *s = to_store(ls);

	if (s == NULL) {
		return;
	}
	for (size_t i = 0; i < s->n_idle; i++) {
		sql_conn_free(s->idle[i]);
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
int sql_check_version(sql_store_t *s, sql_db_t *db, char **reterr)
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

void sql_log_schema(const sql_store_t *s)
{
	log_info(LOGGER_DHCPSRV, "LESSOR_SQL_SCHEMA", "%s lease database schema version %d.%d%s",
	         s->drv->name, s->major, s->minor, s->has_pool ? "" : " (no lease4.pool_id column)");
}

/* retry-on-startup (Kea 2.4+): the database did not answer at open. The store
 * opens without a connection and reports itself lost, so the server's
 * reconnect loop (server-db.c) retries with max-reconnect-tries /
 * reconnect-wait-time / on-fail as after a loss; the first reconnect checks
 * the schema. Kea logs DHCPSRV_LEASE_MGR_DB_OPEN_CONNECTION_WITH_RETRY_FAILED. */
static int open_detached(sql_store_t *s, lease_store_t **ret_store, char **reterr)
{
	char desc[512];

	log_info(LOGGER_DHCPSRV, "DHCPSRV_LEASE_MGR_DB_OPEN_CONNECTION_WITH_RETRY_FAILED",
	         "Failed to connect to database: %s with error: %s (retrying up to %u times every "
	         "%u milliseconds)", lease_store_cfg_describe(&s->cfg, desc, sizeof(desc)),
	         reterr != NULL && *reterr != NULL ? *reterr : "unknown error",
	         s->cfg.max_reconnect_tries, s->cfg.reconnect_wait_time);
	if (reterr != NULL) {
		free(*reterr);
		*reterr = NULL;
	}
	atomic_store(&s->unchecked, true);
	atomic_store(&s->down_logged, true);
	*ret_store = &s->base;
	return 0;
}

/* Asynchronous commits with one flush per batch (write_stmt) where the
 * driver has them and the server lets this user flush; LESSOR_SQL_ASYNC=0
 * or LESSOR_SQL_TXN=1 turn them off. At open, or at the first connection of
 * a store opened without one (retry-on-startup). */
void sql_check_async(sql_store_t *s, sql_db_t *db)
{
	const char *env = getenv("LESSOR_SQL_ASYNC");
	char *why = NULL;

	if (s->drv->exec_async == NULL || s->txn_writes || (env != NULL && strcmp(env, "0") == 0)) {
		return;
	}
	bool on = s->drv->async_check(db, &why) == 0;
	atomic_store(&s->async_commit, on);
	if (on) {
		log_info(LOGGER_DHCPSRV, "LESSOR_SQL_ASYNC_COMMIT", "%s lease writes commit "
		         "asynchronously, one log flush per batch before its replies", s->drv->name);
	} else {
		log_warn(LOGGER_DHCPSRV, "LESSOR_SQL_SYNC_COMMIT", "%s cannot flush the log on "
		         "demand (%s): every lease write waits for its own flush", s->drv->name,
		         why != NULL ? why : "unknown reason");
	}
	free(why);
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
	s->txn_writes = getenv("LESSOR_SQL_TXN") != NULL && strcmp(getenv("LESSOR_SQL_TXN"), "1") == 0;
	s->base.writes_durable = !s->txn_writes;
	pthread_mutex_init(&s->mu, NULL);
	r = copy_cfg(s, cfg);
	if (r < 0) {
		sql_store_close(&s->base);
		return r;
	}
	log_info(LOGGER_DHCPSRV, drv->log_db, "opening %s lease database: %s", drv->name,
	         lease_store_cfg_describe(&s->cfg, desc, sizeof(desc)));
	r = drv->connect(&s->cfg, &db, reterr);
	if (r < 0 && cfg->retry_on_startup) {
		return open_detached(s, ret_store, reterr);
	}
	if (r == 0) {
		r = sql_check_version(s, db, reterr);
	}
	if (r == 0) {
		r = sql_conn_prepare_all(s, db);
		if (r < 0) {
			set_err(reterr, r, "preparing statements failed: %s", drv->error(db));
		}
	}
	if (r == 0) {
		sql_check_async(s, db);
	}
	if (r < 0) {
		if (db != NULL) {
			drv->disconnect(db);
		}
		sql_store_close(&s->base);
		return r;
	}
	sql_log_schema(s);
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
