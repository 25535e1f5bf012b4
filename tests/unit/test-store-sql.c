/* The SQL-neutral half of the mysql/postgresql backends (store-sql.c): Kea's
 * lease4 row <-> lease4_t mapping and the statements each dialect gets.
 * The statement flow of sql_add/get/sync on a fake driver that records what
 * would go to the server. The backends themselves run against real servers
 * in tests/system/test_sql_lease.py. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lease/store-sql.h"
#include "lease/store.h"

static const sql_dialect_t my = {
	.dollar_params = false, .time_in = "FROM_UNIXTIME(%s)",
	.time_out = "UNIX_TIMESTAMP(expire)", .insert_suffix = "",
};
static const sql_dialect_t pg = {
	.dollar_params = true, .time_in = "to_timestamp(%s)",
	.time_out = "EXTRACT(EPOCH FROM expire)::BIGINT",
	.insert_suffix = " ON CONFLICT (address) DO NOTHING", .addr_guard = "g(%s)",
};

static const sql_dialect_t pgn = {
	.dollar_params = true, .time_in = "to_timestamp(%s)",
	.time_out = "EXTRACT(EPOCH FROM expire)::BIGINT", .insert_suffix = "",
	.subnet_col = "subnet_id + 0",
};

static void mk(lease4_t *l)
{
	memset(l, 0, sizeof(*l));
	l->addr = 0xc0000264u;
	l->subnet_id = 7;
	l->pool_id = 2;
	l->htype = 1;
	l->hwaddr_len = 6;
	memcpy(l->hwaddr, "\x00\x0c\x01\x02\x03\x04", 6);
	l->client_id_len = 7;
	memcpy(l->client_id, "\x01\x00\x0c\x01\x02\x03\x04", 7);
	l->valid_lft = 3600;
	l->cltt = 1700000000;
	l->state = LEASE_STATE_DECLINED;
	l->fqdn_fwd = true;
	snprintf(l->hostname, sizeof(l->hostname), "host-a");
	snprintf(l->user_context, sizeof(l->user_context), "{\"a\": 1}");
}

static void test_round_trip(void **state)
{
	(void)state;
	lease4_t l, back;
	sql_row_t row;
	char why[160];

	mk(&l);
	sql_row_from_lease(&l, &row);
	assert_int_equal(row.address, 0xc0000264u);
	assert_int_equal(row.expire, 1700003600);       /* Kea: cltt + valid */
	assert_int_equal(row.state, 1);
	assert_int_equal(row.pool_id, 2);
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), 0);
	assert_memory_equal(&l, &back, sizeof(l));
}

static void test_infinite_and_empty(void **state)
{
	(void)state;
	lease4_t l, back;
	sql_row_t row;
	char why[160];

	mk(&l);
	l.valid_lft = LEASE_LFT_INFINITE;
	l.client_id_len = 0;
	l.hostname[0] = '\0';
	l.user_context[0] = '\0';
	l.hwaddr_len = 0;               /* a declined lease may have none */
	sql_row_from_lease(&l, &row);
	assert_int_equal(row.expire, l.cltt);           /* Kea stores cltt for infinite */
	assert_int_equal(sql_lease_expire(&l), l.cltt);
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), 0);
	assert_int_equal(back.cltt, l.cltt);
	assert_int_equal(back.valid_lft, LEASE_LFT_INFINITE);
	assert_int_equal(back.client_id_len, 0);
	assert_int_equal(back.hwaddr_len, 0);
}

static void test_bad_rows(void **state)
{
	(void)state;
	lease4_t l, back;
	sql_row_t row;
	char why[160];

	mk(&l);
	sql_row_from_lease(&l, &row);
	row.state = 9;
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), -EBADMSG);
	assert_non_null(strstr(why, "state 9"));
	sql_row_from_lease(&l, &row);
	row.truncated = true;
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), -EBADMSG);
	sql_row_from_lease(&l, &row);
	row.hwaddr_len = DHCP_HWADDR_MAX + 1;
	assert_int_equal(sql_row_to_lease(&row, &back, why, sizeof(why)), -EBADMSG);
}

static void test_render(void **state)
{
	(void)state;
	char sql[1024];

	/* Kea's column order; 14.0 has no pool_id */
	assert_int_equal(sql_render(SQL_INSERT, &my, false, sql, sizeof(sql)), 11);
	assert_string_equal(sql, "INSERT INTO lease4 (address, hwaddr, client_id, valid_lifetime, "
	                    "expire, subnet_id, fqdn_fwd, fqdn_rev, hostname, state, user_context) "
	                    "VALUES (?, ?, ?, ?, FROM_UNIXTIME(?), ?, ?, ?, ?, ?, ?)");
	/* with an address guard: the address once more, in a WHERE */
	assert_int_equal(sql_render(SQL_INSERT, &pg, true, sql, sizeof(sql)), 13);
	assert_non_null(strstr(sql, "user_context, pool_id) SELECT $1, $2, $3, $4, "
	                       "to_timestamp($5), $6, $7, $8, $9, $10, $11, $12 WHERE g($13) "
	                       "ON CONFLICT"));
	assert_int_equal(sql_render(SQL_UPDATE, &pg, false, sql, sizeof(sql)), 14);
	assert_non_null(strstr(sql, "WHERE address = $11 AND expire = to_timestamp($12) AND "
	                       "state = $13 AND g($14)"));
	assert_int_equal(sql_render(SQL_DELETE, &pg, false, sql, sizeof(sql)), 3);
	assert_non_null(strstr(sql, "expire = to_timestamp($2) AND g($3)"));
	assert_int_equal(sql_render(SQL_DELETE, &my, false, sql, sizeof(sql)), 2);
	assert_string_equal(sql, "DELETE FROM lease4 WHERE address = ? AND expire = FROM_UNIXTIME(?)");
	/* the compare-and-swap guard on what was read */
	assert_int_equal(sql_render(SQL_UPDATE, &my, true, sql, sizeof(sql)), 14);
	assert_non_null(strstr(sql, "pool_id = ? WHERE address = ? AND expire = FROM_UNIXTIME(?) "
	                       "AND state = ?"));
	assert_int_equal(sql_render(SQL_GET_ADDR, &pg, false, sql, sizeof(sql)), 1);
	assert_non_null(strstr(sql, "EXTRACT(EPOCH FROM expire)::BIGINT, subnet_id"));
	assert_non_null(strstr(sql, "user_context, 0 FROM lease4 WHERE address = $1"));
	assert_int_equal(sql_render(SQL_GET_EXPIRED, &my, true, sql, sizeof(sql)), 2);
	assert_non_null(strstr(sql, "WHERE state != 2 AND valid_lifetime != 4294967295 AND "
	                       "expire < FROM_UNIXTIME(?) ORDER BY expire ASC LIMIT ?"));
	/* identifier lookups: the subnet column as the dialect spells it */
	assert_int_equal(sql_render(SQL_GET_HWADDR, &my, true, sql, sizeof(sql)), 2);
	assert_non_null(strstr(sql, "WHERE hwaddr = ? AND subnet_id = ? ORDER BY"));
	assert_int_equal(sql_render(SQL_GET_CLIENT, &pgn, true, sql, sizeof(sql)), 4);
	assert_non_null(strstr(sql, "WHERE client_id = $1 AND subnet_id + 0 = $2 ORDER BY"));
	assert_non_null(strstr(sql, "WHERE hwaddr = $3 AND subnet_id + 0 = $4 ORDER BY"));
	assert_int_equal(sql_render(SQL_WIPE_ALL, &my, true, sql, sizeof(sql)), 0);
	assert_int_equal(sql_render(SQL_INSERT, &my, true, sql, 20), -ENOBUFS);
	for (int st = 0; st < _SQL_STMT_MAX; st++) {
		assert_true(sql_render(st, &pg, true, sql, sizeof(sql)) >= 0);
		assert_true(sql_render(st, &my, false, sql, sizeof(sql)) >= 0);
	}
}

static void test_describe_hides_password(void **state)
{
	(void)state;
	char buf[256];
	lease_store_cfg_t c = { .type = "mysql", .name = "kea", .host = "db", .port = 3306,
		                .user = "kea", .password = "s3cret" };

	assert_string_equal(lease_store_cfg_describe(&c, buf, sizeof(buf)),
	                    "host=db name=kea password=***** port=3306 type=mysql universe=4 user=kea");
	c.password = NULL;
	c.host = NULL;
	c.port = 0;
	assert_string_equal(lease_store_cfg_describe(&c, buf, sizeof(buf)),
	                    "name=kea type=mysql universe=4 user=kea");
	/* the TLS parameters in Kea's order; a tiny buffer is cut, never overrun */
	c.trust_anchor = "/ca.pem";
	c.cert_file = "/c.pem";
	c.key_file = "/k.pem";
	c.cipher_list = "AES256-SHA";
	assert_string_equal(lease_store_cfg_describe(&c, buf, sizeof(buf)),
	                    "cert-file=/c.pem cipher-list=AES256-SHA key-file=/k.pem name=kea "
	                    "trust-anchor=/ca.pem type=mysql universe=4 user=kea");
	char small[12];
	assert_string_equal(lease_store_cfg_describe(&c, small, sizeof(small)), "cert-file=");
	assert_false(lease_store_cfg_tls(&(lease_store_cfg_t){ .type = "mysql" }));
	assert_true(lease_store_cfg_tls(&(lease_store_cfg_t){ .cipher_list = "x" }));
}

static void test_open_needs_name(void **state)
{
	(void)state;
	lease_store_cfg_t c = { .type = "mysql", .host = "127.0.0.1" };
	lease_store_t *ls = NULL;
	char *err = NULL;

	assert_int_equal(lease_store_open(&c, &ls, &err), -EINVAL);
	assert_null(ls);
	assert_string_equal(err, "must specify a name for the database");
	free(err);
}

/* ---- the statement flow, on a fake driver ---- */

static struct {
	char log[64][16];               /* statements run, in order */
	int n;
	int exec_fail;                  /* next exec returns this (once), 0 = none */
	bool have_row;                  /* SQL_GET_ADDR finds row */
	sql_row_t row;
	sql_row_t client_rows[3];       /* what SQL_GET_CLIENT(_ADDR) returns */
	int n_client_rows;
	int flush_fail;                 /* next flush returns this (once) */
	int check_fail;                 /* async_check returns this */
} fk;

static void fk_log(const char *what)
{
	assert_true(fk.n < 64);
	snprintf(fk.log[fk.n++], sizeof(fk.log[0]), "%s", what);
}

static int fk_connect(const lease_store_cfg_t *cfg, sql_db_t **ret, char **reterr)
{
	(void)cfg;
	(void)reterr;
	*ret = (sql_db_t *)&fk;
	return 0;
}

static void fk_disconnect(sql_db_t *db)
{
	(void)db;
}

static int fk_version(sql_db_t *db, int *ret_major, int *ret_minor, char **reterr)
{
	(void)db;
	(void)reterr;
	*ret_major = 14;
	*ret_minor = 0;
	return 0;
}

static int fk_prepare(sql_db_t *db, sql_stmt_t st, const char *sql, size_t n_params)
{
	(void)db;
	(void)st;
	(void)sql;
	(void)n_params;
	return 0;
}

static int fk_exec(sql_db_t *db, sql_stmt_t st, const sql_val_t *params, size_t n_params,
                   sql_row_t *rows, size_t max)
{
	static const char *names[_SQL_STMT_MAX] = {
		[SQL_GET_ADDR] = "get_addr", [SQL_GET_HWADDR] = "get_hw",
		[SQL_INSERT] = "insert", [SQL_UPDATE] = "update", [SQL_GET_CLIENT] = "get_client",
		[SQL_GET_CLIENT_ADDR] = "get_client_addr",
	};
	(void)db;
	(void)params;
	(void)n_params;
	fk_log(names[st] != NULL ? names[st] : "other");
	if (fk.exec_fail != 0) {
		int r = fk.exec_fail;

		fk.exec_fail = 0;
		return r;
	}
	if (st == SQL_GET_ADDR && fk.have_row && max > 0) {
		rows[0] = fk.row;
		return 1;
	}
	if (st == SQL_GET_CLIENT || st == SQL_GET_CLIENT_ADDR) {
		assert_true((size_t)fk.n_client_rows <= max);
		memcpy(rows, fk.client_rows, sizeof(fk.client_rows[0]) * (size_t)fk.n_client_rows);
		return fk.n_client_rows;
	}
	return rows != NULL ? 0 : 1;
}

static int fk_run(sql_db_t *db, const char *sql)
{
	(void)db;
	fk_log(sql);
	return 0;
}

static const char *fk_error(sql_db_t *db)
{
	(void)db;
	return "fake error";
}

static int fk_exec_async(sql_db_t *db, sql_stmt_t st, const sql_val_t *params, size_t n_params,
                         bool flush, bool *ret_flushed)
{
	char what[16];
	int r = fk_exec(db, st, params, n_params, NULL, 0);

	/* rename the entry fk_exec just logged: "insert~" = asynchronous */
	snprintf(what, sizeof(what), "%s%s", fk.log[fk.n - 1], flush ? "+flush" : "~");
	snprintf(fk.log[fk.n - 1], sizeof(fk.log[0]), "%s", what);
	*ret_flushed = flush && r >= 0;
	return r;
}

static int fk_flush(sql_db_t *db)
{
	int r = fk.flush_fail;

	(void)db;
	fk_log("flush");
	fk.flush_fail = 0;
	return r;
}

static int fk_async_check(sql_db_t *db, char **reterr)
{
	(void)db;
	(void)reterr;
	return fk.check_fail;
}

static const int fk_versions[][2] = { { 14, 0 } };
static const sql_driver_t fk_drv = {
	.name = "Fake", .log_db = "FAKE_DB", .log_fatal = "FAKE_FATAL",
	.log_reconnect_fail = "FAKE_RECONNECT", .dialect = &my, .versions = fk_versions,
	.n_versions = 1, .pool_since = 19, .connect = fk_connect, .disconnect = fk_disconnect,
	.version = fk_version, .prepare = fk_prepare, .exec = fk_exec, .run = fk_run,
	.error = fk_error,
};
static const sql_driver_t fk_drv_async = {
	.name = "Fake", .log_db = "FAKE_DB", .log_fatal = "FAKE_FATAL",
	.log_reconnect_fail = "FAKE_RECONNECT", .dialect = &pg, .versions = fk_versions,
	.n_versions = 1, .pool_since = 19, .connect = fk_connect, .disconnect = fk_disconnect,
	.version = fk_version, .prepare = fk_prepare, .exec = fk_exec, .run = fk_run,
	.error = fk_error, .exec_async = fk_exec_async, .flush = fk_flush,
	.async_check = fk_async_check,
};
static const lease_store_ops_t fk_ops = { .type = "fake", SQL_STORE_OPS_COMMON };

static lease_conn_t *fk_open_on(const sql_driver_t *drv, int check_fail,
                                lease_store_t **ret_store)
{
	lease_store_cfg_t cfg = { .type = "fake", .name = "kea" };
	lease_conn_t *c = NULL;
	char *err = NULL;

	memset(&fk, 0, sizeof(fk));
	fk.check_fail = check_fail;
	assert_int_equal(sql_store_open(drv, &fk_ops, &cfg, ret_store, &err), 0);
	assert_int_equal(sql_conn_open(*ret_store, &c), 0);
	fk.n = 0;
	return c;
}

static lease_conn_t *fk_open(lease_store_t **ret_store)
{
	return fk_open_on(&fk_drv, 0, ret_store);
}

static void fk_expect(const char *const *want, int n)
{
	assert_int_equal(fk.n, n);
	for (int i = 0; i < n; i++) {
		assert_string_equal(fk.log[i], want[i]);
	}
}

/* Each write commits alone (no BEGIN/COMMIT around the batch): a batch
 * transaction would hold lease4_stat's row lock across the batch. */
static void test_write_autocommits(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open(&ls);
	lease4_t l;

	mk(&l);
	assert_int_equal(sql_add(c, &l), 0);
	assert_int_equal(sql_update(c, &l, &l), 0);
	assert_int_equal(sql_sync(c), 0);
	fk_expect((const char *const[]){ "insert", "update" }, 2);
	/* a write on a lost connection is not sent again: it may have committed */
	fk.n = 0;
	fk.exec_fail = -ENOTCONN;
	assert_int_equal(sql_add(c, &l), -EIO);
	fk_expect((const char *const[]){ "insert" }, 1);
	/* a read is */
	fk.n = 0;
	fk.exec_fail = -ENOTCONN;
	assert_int_equal(sql_get_by_hwaddr(c, 7, l.hwaddr, l.hwaddr_len, &l), -ENOENT);
	fk_expect((const char *const[]){ "get_hw", "get_hw" }, 2);
	sql_conn_close(c);
	sql_store_close(ls);
}

/* A repeated read of one address as the very next statement is answered from
 * the first; anything in between, and sync, make it read again. */
static void test_repeat_read(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open(&ls);
	lease4_t l, got;

	mk(&l);
	sql_row_from_lease(&l, &fk.row);
	fk.have_row = true;
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), 0);
	memset(&got, 0, sizeof(got));
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), 0);
	assert_int_equal(got.addr, l.addr);
	assert_string_equal(got.hostname, "host-a");
	fk_expect((const char *const[]){ "get_addr" }, 1);
	/* a third read too: still nothing in between */
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), 0);
	fk_expect((const char *const[]){ "get_addr" }, 1);
	/* a write between the reads */
	assert_int_equal(sql_update(c, &l, &l), 0);
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), 0);
	fk_expect((const char *const[]){ "get_addr", "update", "get_addr" }, 3);
	/* a sync between the reads; a not-found answer is reused too */
	fk.have_row = false;
	fk.n = 0;
	assert_int_equal(sql_sync(c), 0);
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), -ENOENT);
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), -ENOENT);
	assert_int_equal(sql_sync(c), 0);
	assert_int_equal(sql_get_by_addr(c, l.addr, &got), -ENOENT);
	/* another address */
	assert_int_equal(sql_get_by_addr(c, l.addr + 1, &got), -ENOENT);
	fk_expect((const char *const[]){ "get_addr", "get_addr", "get_addr" }, 3);
	/* a lookup by client in between */
	fk.n = 0;
	assert_int_equal(sql_get_by_hwaddr(c, 7, l.hwaddr, l.hwaddr_len, &got), -ENOENT);
	assert_int_equal(sql_get_by_addr(c, l.addr + 1, &got), -ENOENT);
	fk_expect((const char *const[]){ "get_hw", "get_addr" }, 2);
	sql_conn_close(c);
	sql_store_close(ls);
}

/* The client-id and hwaddr lookups in one statement: each answer is the newest
 * row matching its identifier, in whatever order the rows come. */
static void test_get_by_client(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open(&ls);
	lease4_t a, b, got_cid, got_hw;
	int r_cid, r_hw;

	mk(&a);                 /* the client-id's lease */
	mk(&b);                 /* the hwaddr's: same hwaddr, another client-id, newer */
	b.addr = a.addr + 1;
	b.client_id[1] = 0x7f;
	b.cltt = a.cltt + 100;
	for (int order = 0; order < 2; order++) {
		sql_row_from_lease(order == 0 ? &a : &b, &fk.client_rows[0]);
		sql_row_from_lease(order == 0 ? &b : &a, &fk.client_rows[1]);
		fk.n_client_rows = 2;
		assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
		                                   a.hwaddr_len, 0, &got_cid, &r_cid, &got_hw, &r_hw), 0);
		assert_int_equal(r_cid, 0);
		assert_int_equal(got_cid.addr, a.addr);
		assert_int_equal(r_hw, 0);
		assert_int_equal(got_hw.addr, b.addr);
	}
	/* one row found by both halves */
	sql_row_from_lease(&a, &fk.client_rows[0]);
	sql_row_from_lease(&a, &fk.client_rows[1]);
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, 0, &got_cid, &r_cid, &got_hw, &r_hw), 0);
	assert_int_equal(got_cid.addr, a.addr);
	assert_int_equal(got_hw.addr, a.addr);
	/* only the hwaddr half finds a row */
	fk.n_client_rows = 1;
	sql_row_from_lease(&b, &fk.client_rows[0]);
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, 0, &got_cid, &r_cid, &got_hw, &r_hw), 0);
	assert_int_equal(r_cid, -ENOENT);
	assert_int_equal(r_hw, 0);
	assert_int_equal(got_hw.addr, b.addr);
	/* nothing */
	fk.n_client_rows = 0;
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, 0, &got_cid, &r_cid, &got_hw, &r_hw), 0);
	assert_int_equal(r_cid, -ENOENT);
	assert_int_equal(r_hw, -ENOENT);
	sql_conn_close(c);
	sql_store_close(ls);
}

/* A REQUEST's client lookup reads the requested address in the same round
 * trip: its reads of that address that follow are answered from it, found
 * (by whichever half) or not; a row of another subnet matching the client's
 * identifier is no answer to the client lookup. */
static void test_get_by_client_addr(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open(&ls);
	lease4_t a, other, got, got_cid, got_hw;
	int r_cid, r_hw;

	mk(&a);
	mk(&other);             /* the requested address: held by the same client-id elsewhere */
	other.addr = a.addr + 9;
	other.subnet_id = 8;
	other.cltt = a.cltt + 100;
	sql_row_from_lease(&a, &fk.client_rows[0]);
	sql_row_from_lease(&other, &fk.client_rows[1]);
	fk.n_client_rows = 2;
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, other.addr, &got_cid, &r_cid, &got_hw,
	                                   &r_hw), 0);
	assert_int_equal(r_cid, 0);
	assert_int_equal(got_cid.addr, a.addr);
	assert_int_equal(got_hw.addr, a.addr);
	assert_int_equal(sql_get_by_addr(c, other.addr, &got), 0);
	assert_int_equal(got.subnet_id, 8);
	assert_int_equal(sql_get_by_addr(c, other.addr, &got), 0);
	/* the client's own row at the requested address */
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, a.addr, &got_cid, &r_cid, &got_hw,
	                                   &r_hw), 0);
	assert_int_equal(sql_get_by_addr(c, a.addr, &got), 0);
	assert_int_equal(got.subnet_id, 7);
	fk_expect((const char *const[]){ "get_client_addr", "get_client_addr" }, 2);
	/* no row at the requested address: free, without asking again */
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, a.addr + 50, &got_cid, &r_cid, &got_hw,
	                                   &r_hw), 0);
	assert_int_equal(sql_get_by_addr(c, a.addr + 50, &got), -ENOENT);
	/* another address is asked for */
	assert_int_equal(sql_get_by_addr(c, a.addr + 51, &got), -ENOENT);
	fk_expect((const char *const[]){ "get_client_addr", "get_client_addr", "get_client_addr",
	                                 "get_addr" }, 4);
	/* an unreadable row at the address: asked again (and -EBADMSG there) */
	fk.n = 0;
	sql_row_from_lease(&other, &fk.client_rows[0]);
	fk.client_rows[0].truncated = true;
	fk.n_client_rows = 1;
	assert_int_equal(sql_get_by_client(c, 7, a.client_id, a.client_id_len, a.hwaddr,
	                                   a.hwaddr_len, other.addr, &got_cid, &r_cid, &got_hw,
	                                   &r_hw), 0);
	assert_int_equal(r_cid, -ENOENT);
	assert_int_equal(sql_get_by_addr(c, other.addr, &got), -ENOENT);  /* the fake has no row */
	fk_expect((const char *const[]){ "get_client_addr", "get_addr" }, 2);
	sql_conn_close(c);
	sql_store_close(ls);
}

/* Inside a batch, writes commit asynchronously and the batch's last packet
 * carries the flush; a batch whose last packet wrote nothing flushes at
 * sync. Outside a batch every write is synchronous. */
static void test_async_batch(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open_on(&fk_drv_async, 0, &ls);
	lease4_t l;

	mk(&l);
	sql_batch_hint(c, false);
	assert_int_equal(sql_add(c, &l), 0);
	sql_batch_hint(c, true);
	assert_int_equal(sql_update(c, &l, &l), 0);
	assert_int_equal(sql_sync(c), 0);
	fk_expect((const char *const[]){ "insert~", "update+flush" }, 2);
	fk.n = 0;
	sql_batch_hint(c, false);
	assert_int_equal(sql_add(c, &l), 0);
	sql_batch_hint(c, true);
	assert_int_equal(sql_sync(c), 0);
	/* the sync ended the batch: a write now is synchronous */
	assert_int_equal(sql_add(c, &l), 0);
	assert_int_equal(sql_sync(c), 0);
	fk_expect((const char *const[]){ "insert~", "flush", "insert" }, 3);
	/* a failed flush fails the sync, whose replies then stay unsent */
	fk.n = 0;
	sql_batch_hint(c, false);
	assert_int_equal(sql_add(c, &l), 0);
	fk.flush_fail = -EIO;
	assert_int_equal(sql_sync(c), -EIO);
	assert_int_equal(sql_sync(c), 0);
	fk_expect((const char *const[]){ "insert~", "flush" }, 2);
	sql_conn_close(c);
	sql_store_close(ls);
}

/* A connection lost after an asynchronous commit: a flush on the new one
 * cannot vouch for it (the server may have restarted), so sync fails. */
static void test_async_lost(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open_on(&fk_drv_async, 0, &ls);
	lease4_t l, got;

	mk(&l);
	sql_batch_hint(c, false);
	assert_int_equal(sql_add(c, &l), 0);
	fk.exec_fail = -ENOTCONN;       /* a read, retried on a new connection */
	assert_int_equal(sql_get_by_addr(c, l.addr + 1, &got), -ENOENT);
	assert_int_equal(sql_sync(c), -EIO);
	fk_expect((const char *const[]){ "insert~", "get_addr", "get_addr" }, 3);
	/* the write itself on a lost connection: not sent again, its packet fails */
	fk.n = 0;
	sql_batch_hint(c, true);
	fk.exec_fail = -ENOTCONN;
	assert_int_equal(sql_add(c, &l), -EIO);
	assert_int_equal(sql_sync(c), 0);
	fk_expect((const char *const[]){ "insert+flush" }, 1);
	sql_conn_close(c);
	sql_store_close(ls);
}

/* A server that cannot flush on demand (privilege, function): every write
 * stays synchronous, batch or not. */
static void test_async_unavailable(void **state)
{
	(void)state;
	lease_store_t *ls;
	lease_conn_t *c = fk_open_on(&fk_drv_async, -EIO, &ls);
	lease4_t l;

	mk(&l);
	sql_batch_hint(c, true);
	assert_int_equal(sql_add(c, &l), 0);
	assert_int_equal(sql_sync(c), 0);
	fk_expect((const char *const[]){ "insert" }, 1);
	sql_conn_close(c);
	sql_store_close(ls);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_infinite_and_empty),
		cmocka_unit_test(test_bad_rows),
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_describe_hides_password),
		cmocka_unit_test(test_open_needs_name),
		cmocka_unit_test(test_write_autocommits),
		cmocka_unit_test(test_repeat_read),
		cmocka_unit_test(test_get_by_client),
		cmocka_unit_test(test_get_by_client_addr),
		cmocka_unit_test(test_async_batch),
		cmocka_unit_test(test_async_lost),
		cmocka_unit_test(test_async_unavailable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
