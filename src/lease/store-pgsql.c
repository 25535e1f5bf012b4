/* "postgresql" lease backend: the libpq driver under store-sql.c. One PGconn
 * per lease connection, every statement prepared once per connection; text
 * parameters except bytea (binary), text results. A duplicate INSERT is
 * "ON CONFLICT DO NOTHING" (0 rows), since any error would abort the whole
 * transaction, i.e. the worker's batch. Times go through to_timestamp() and
 * EXTRACT(EPOCH FROM expire), which do not depend on the session time zone. */
#include <errno.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lease/store-sql.h"
#include "util/log.h"

struct sql_db {
	PGconn *pg;
	bool async;                     /* the session's synchronous_commit is off */
	size_t n_params[_SQL_STMT_MAX];
	bool pq_ready[SQL_PQUERY_MAX];  /* hosts lookups prepared (pg_pquery) */
	char err[512];
};

static const char *pg_error(sql_db_t *db)
{
	return db->err;
}

static void pg_disconnect(sql_db_t *db)
{
	if (db != NULL) {
		PQfinish(db->pg);
		free(db);
	}
}

/* Map a failed result (or NULL) to store-sql.h's codes, keeping the text. */
static int res_fail(sql_db_t *db, PGresult *res)
{
	const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(db->pg);
	int r = -EIO;

	snprintf(db->err, sizeof(db->err), "%s", msg != NULL ? msg : "unknown error");
	db->err[strcspn(db->err, "\n")] = '\0';
	if (PQstatus(db->pg) == CONNECTION_BAD || (state != NULL && (strncmp(state, "08", 2) == 0 ||
	                                                             strncmp(state, "57P", 3) == 0))) {
		r = -ENOTCONN;
	} else if (state != NULL && strcmp(state, "23505") == 0) {
		r = -EEXIST;
	} else if (state != NULL && (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0)) {
		r = -EDEADLK;
	}
	PQclear(res);
	return r;
}

static int pg_exec_simple(sql_db_t *db, const char *sql)
{
	PGresult *res = PQexec(db->pg, sql);
	ExecStatusType st = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		return res_fail(db, res);
	}
	PQclear(res);
	return 0;
}

/* BEGIN / COMMIT ...: a COMMIT must wait for its flush, so a session left
 * asynchronous by pg_exec_async is put back first. */
static int pg_run(sql_db_t *db, const char *sql)
{
	if (db->async) {
		int r = pg_exec_simple(db, "SET synchronous_commit TO on");
		if (r < 0) {
			return r;
		}
		db->async = false;
	}
	return pg_exec_simple(db, sql);
}

static int pg_connect(const lease_store_cfg_t *cfg, sql_db_t **ret, char **reterr)
{
	char port[8], ct[16], tut[16];
	const char *keys[16], *vals[16];
	int n = 0;

#define KV(k, v)                       \
	do {                           \
		if ((v) != NULL) {     \
			keys[n] = (k); \
			vals[n] = (v); \
			n++;           \
		}                      \
	} while (0)
	snprintf(port, sizeof(port), "%u", cfg->port);
	snprintf(ct, sizeof(ct), "%u", cfg->connect_timeout);
	/* Kea's tcp-user-timeout is in seconds, libpq's in milliseconds */
	snprintf(tut, sizeof(tut), "%u", cfg->tcp_user_timeout * 1000u);
	KV("host", cfg->host != NULL ? cfg->host : "localhost");
	KV("port", cfg->port != 0 ? port : NULL);
	KV("dbname", cfg->name);
	KV("user", cfg->user);
	KV("password", cfg->password);
	KV("connect_timeout", cfg->connect_timeout > 0 ? ct : NULL);
	KV("tcp_user_timeout", cfg->tcp_user_timeout > 0 ? tut : NULL);
	KV("sslrootcert", cfg->trust_anchor);
	KV("sslcert", cfg->cert_file);
	KV("sslkey", cfg->key_file);
	/* As on MySQL: a trust anchor means the server's certificate chain and
	 * name are checked, other TLS parameters alone mean TLS unchecked; none
	 * leaves libpq's default (sslmode=prefer, or PGSSLMODE), as Kea does. */
	KV("sslmode", cfg->trust_anchor != NULL ? "verify-full"
	              : lease_store_cfg_tls(cfg) ? "require" : NULL);
#undef KV
	keys[n] = vals[n] = NULL;

	sql_db_t *db = calloc(1, sizeof(*db));
	if (db == NULL) {
		return -ENOMEM;
	}
	db->pg = PQconnectdbParams(keys, vals, 0);
	if (db->pg == NULL || PQstatus(db->pg) != CONNECTION_OK) {
		const char *m = db->pg != NULL ? PQerrorMessage(db->pg) : "out of memory";
		if (reterr != NULL && asprintf(reterr, "Unable to open database: %.*s",
		                               (int)strcspn(m, "\n"), m) < 0) {
			*reterr = NULL;
		}
		pg_disconnect(db);
		return -ENOTCONN;
	}
	if (lease_store_cfg_tls(cfg)) {
		/* sslmode require/verify-full already refuse the clear; say which cipher */
		const char *cipher = PQsslAttribute(db->pg, "cipher");
		log_debug(LOGGER_DHCPSRV, LOG_DBG_DETAIL, "LESSOR_PGSQL_TLS_CIPHER", "TLS cipher: %s",
		          cipher != NULL ? cipher : "(none)");
	}
	*ret = db;
	return 0;
}

static int pg_version(sql_db_t *db, int *ret_major, int *ret_minor, char **reterr)
{
	PGresult *res = PQexec(db->pg, "SELECT version, minor FROM schema_version");

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1) {
		const char *m = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(db->pg);
		if (reterr != NULL && asprintf(reterr, "cannot read the PostgreSQL schema version "
		                               "(run kea-admin db-init pgsql): %.*s",
		                               (int)strcspn(m, "\n"), m) < 0) {
			*reterr = NULL;
		}
		PQclear(res);
		return -EPROTO;
	}
	*ret_major = atoi(PQgetvalue(res, 0, 0));
	*ret_minor = PQgetisnull(res, 0, 1) ? 0 : atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return 0;
}

static int pg_prepare(sql_db_t *db, sql_stmt_t st, const char *sql, size_t n_params)
{
	char name[16];

	snprintf(name, sizeof(name), "lessor%d", (int)st);
	PGresult *res = PQprepare(db->pg, name, sql, (int)n_params, NULL);
	if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
		return res_fail(db, res);
	}
	PQclear(res);
	db->n_params[st] = n_params;
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* bytea in text output ("\x0a0b…") into @buf; *ret_len, and false if it
 * did not fit or is not hex. */
static bool get_bytea(PGresult *res, int row, int col, uint8_t *buf, size_t size, size_t *ret_len)
{
	*ret_len = 0;
	if (PQgetisnull(res, row, col)) {
		return true;
	}
	const char *s = PQgetvalue(res, row, col);
	size_t len = strlen(s);
	if (len < 2 || s[0] != '\\' || s[1] != 'x' || (len - 2) % 2 != 0 || (len - 2) / 2 > size) {
		return len == 0;
	}
	for (size_t i = 2; i < len; i += 2) {
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);
		if (hi < 0 || lo < 0) {
			return false;
		}
		buf[(*ret_len)++] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool get_text(PGresult *res, int row, int col, char *buf, size_t size)
{
	const char *s = PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col);
	size_t len = strlen(s);

	if (len >= size) {
		buf[0] = '\0';
		return false;
	}
	memcpy(buf, s, len + 1);
	return true;
}

static long long get_int(PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col)) {
		return 0;
	}
	const char *s = PQgetvalue(res, row, col);
	if (s[0] == 't' || s[0] == 'f') {
		return s[0] == 't';     /* boolean */
	}
	return strtoll(s, NULL, 10);
}

static void parse_row(PGresult *res, int i, sql_row_t *row)
{
	bool ok = true;

	memset(row, 0, sizeof(*row));
	row->address = (uint32_t)get_int(res, i, SQL_COL_ADDRESS);
	ok &= get_bytea(res, i, SQL_COL_HWADDR, row->hwaddr, sizeof(row->hwaddr), &row->hwaddr_len);
	ok &= get_bytea(res, i, SQL_COL_CLIENT_ID, row->client_id, sizeof(row->client_id),
	                &row->client_id_len);
	row->valid_lifetime = (uint32_t)get_int(res, i, SQL_COL_VALID);
	row->expire = get_int(res, i, SQL_COL_EXPIRE);
	row->subnet_id = (uint32_t)get_int(res, i, SQL_COL_SUBNET);
	row->fqdn_fwd = get_int(res, i, SQL_COL_FQDN_FWD) != 0;
	row->fqdn_rev = get_int(res, i, SQL_COL_FQDN_REV) != 0;
	ok &= get_text(res, i, SQL_COL_HOSTNAME, row->hostname, sizeof(row->hostname));
	row->state = (uint32_t)get_int(res, i, SQL_COL_STATE);
	ok &= get_text(res, i, SQL_COL_USER_CONTEXT, row->user_context, sizeof(row->user_context));
	row->pool_id = (uint32_t)get_int(res, i, SQL_COL_POOL);
	row->truncated = !ok;
}

/* libpq's parameter arrays for @v (text, bytea binary); @p outlives the call. */
typedef struct pg_params {
	char num[SQL_PARAMS_MAX][24];
	const char *vals[SQL_PARAMS_MAX];
	int lens[SQL_PARAMS_MAX], fmts[SQL_PARAMS_MAX];
} pg_params_t;

static void pg_bind(pg_params_t *p, const sql_val_t *v, size_t n)
{
	char (*num)[24] = p->num;
	const char **vals = p->vals;
	int *lens = p->lens, *fmts = p->fmts;

	for (size_t k = 0; k < n; k++) {
		lens[k] = 0;
		fmts[k] = 0;
		switch (v[k].type) {
		case SQL_V_NULL:
			vals[k] = NULL;
			break;
		case SQL_V_INT:
		case SQL_V_TIME:
			snprintf(num[k], sizeof(num[k]), "%lld", (long long)v[k].i);
			vals[k] = num[k];
			break;
		case SQL_V_BOOL:
			vals[k] = v[k].i != 0 ? "t" : "f";
			break;
		case SQL_V_BYTES:
			vals[k] = v[k].len > 0 ? v[k].p : "";
			lens[k] = (int)v[k].len;
			fmts[k] = 1;
			break;
		case SQL_V_TEXT:
			vals[k] = v[k].p;       /* NUL-terminated by store-sql.c */
			break;
		}
	}
}

/* ---- asynchronous commits (see sql_driver_t.exec_async) ----
 *
 * A write commits with the session's synchronous_commit off: its COMMIT
 * releases its locks (lease4_stat's row for the subnet, taken by Kea's
 * trigger) without waiting for the WAL flush, so writers of one subnet no
 * longer queue behind each other's fsync. Before any reply that depends on
 * it, one statement committed synchronously makes the log durable up to its
 * own commit record, which lies after every earlier commit of the server:
 * a transactional logical message (a WAL record any user may write, read by
 * no one unless a logical decoding client asks for messages), committed with
 * synchronous_commit on for that transaction alone. */
#define PG_FLUSH_SQL "SELECT set_config('synchronous_commit', 'on', true), " \
                     "pg_logical_emit_message(true, 'lessor', '')"
#define PG_PIPE_MAX 3                   /* statements in one pipeline */

/* The statements of one round trip in pipeline mode, and their outcomes. */
typedef struct pg_pipe {
	const char *sql[PG_PIPE_MAX];   /* text, or NULL: the prepared write */
	size_t n;
	int ok[PG_PIPE_MAX];            /* 1 done, 0 not reached, < 0 failed */
	int rows;                       /* the prepared write's rows affected */
} pg_pipe_t;

static bool pg_pipe_send(sql_db_t *db, pg_pipe_t *pp, const char *name, const pg_params_t *p,
                         int n)
{
	for (size_t i = 0; i < pp->n; i++) {
		int ok = pp->sql[i] != NULL
		                 ? PQsendQueryParams(db->pg, pp->sql[i], 0, NULL, NULL, NULL, NULL, 0)
		                 : PQsendQueryPrepared(db->pg, name, n, p->vals, p->lens, p->fmts, 0);
		if (ok != 1) {
			return false;
		}
	}
	return PQpipelineSync(db->pg) == 1;
}

/* Read the pipeline's results up to its sync point. */
static int pg_pipe_collect(sql_db_t *db, pg_pipe_t *pp)
{
	size_t q = 0;
	int r = 0;

	/* bounded: a broken connection may answer NULL for ever */
	for (int guard = 0; guard < 4 * PG_PIPE_MAX + 4; guard++) {
		PGresult *res = PQgetResult(db->pg);
		if (res == NULL) {
			if (PQstatus(db->pg) == CONNECTION_BAD) {
				break;
			}
			q++;            /* the end of one statement's results */
			continue;
		}
		ExecStatusType es = PQresultStatus(res);
		if (es == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			return r;
		}
		if (q >= pp->n) {
			PQclear(res);
			continue;
		}
		if (es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK) {
			pp->ok[q] = 1;
			if (pp->sql[q] == NULL) {
				pp->rows = atoi(PQcmdTuples(res));
			}
			PQclear(res);
		} else if (es == PGRES_PIPELINE_ABORTED) {
			pp->ok[q] = -EIO;
			PQclear(res);
		} else {
			pp->ok[q] = res_fail(db, res);
			r = r < 0 ? r : pp->ok[q];
		}
	}
	return res_fail(db, NULL);
}

/* Send @pp (its prepared write @st with @v) in one round trip. 0 when every
 * statement ran (pp->ok, pp->rows say how each did), or the first error. */
static int pg_pipe_run(sql_db_t *db, pg_pipe_t *pp, sql_stmt_t st, const sql_val_t *v, size_t n)
{
	char name[16];
	pg_params_t p;
	int r;

	assert_return(n == db->n_params[st] && n <= SQL_PARAMS_MAX && pp->n <= PG_PIPE_MAX, -EINVAL);
	pg_bind(&p, v, n);
	snprintf(name, sizeof(name), "lessor%d", (int)st);
	if (PQenterPipelineMode(db->pg) != 1) {
		return res_fail(db, NULL);
	}
	r = pg_pipe_send(db, pp, name, &p, (int)n) ? pg_pipe_collect(db, pp) : res_fail(db, NULL);
	if (PQexitPipelineMode(db->pg) != 1) {
		/* results left unread: the connection is unusable */
		snprintf(db->err, sizeof(db->err), "pipeline not finished: %s", PQerrorMessage(db->pg));
		db->err[strcspn(db->err, "\n")] = '\0';
		return -ENOTCONN;
	}
	return r;
}

/* A write as the session's commit mode @async demands, with the SET that
 * switches it in the same round trip when it differs, then the flush if
 * @flush. Returns the write's rows affected. */
static int pg_write(sql_db_t *db, sql_stmt_t st, const sql_val_t *v, size_t n, bool async,
                    bool flush, bool *ret_flushed)
{
	pg_pipe_t pp = { .rows = 0 };
	size_t w;

	if (db->async != async) {
		pp.sql[pp.n++] = async ? "SET synchronous_commit TO off" : "SET synchronous_commit TO on";
	}
	w = pp.n;
	pp.sql[pp.n++] = NULL;
	if (flush) {
		pp.sql[pp.n++] = PG_FLUSH_SQL;
	}
	int r = pg_pipe_run(db, &pp, st, v, n);
	if (w > 0 && pp.ok[0] == 1) {
		db->async = async;
	}
	if (ret_flushed != NULL) {
		*ret_flushed = flush && pp.ok[pp.n - 1] == 1;
	}
	if (pp.ok[w] != 1) {
		return r < 0 ? r : -EIO;
	}
	return pp.rows;
}

static int pg_exec_async(sql_db_t *db, sql_stmt_t st, const sql_val_t *v, size_t n, bool flush,
                         bool *ret_flushed)
{
	*ret_flushed = false;
	return pg_write(db, st, v, n, true, flush, ret_flushed);
}

static int pg_flush(sql_db_t *db)
{
	return pg_exec_simple(db, PG_FLUSH_SQL);
}

/* Whether PG_FLUSH_SQL works here and leaves the log flushed past its own
 * record (pg_logical_emit_message returns that record's position). */
static int pg_async_check(sql_db_t *db, char **reterr)
{
	char sql[128];
	PGresult *res = PQexec(db->pg, PG_FLUSH_SQL);
	int r = -EIO;

	if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1 &&
	    !PQgetisnull(res, 0, 1)) {
		snprintf(sql, sizeof(sql), "SELECT pg_current_wal_flush_lsn() >= '%.40s'::pg_lsn",
		         PQgetvalue(res, 0, 1));
		PQclear(res);
		res = PQexec(db->pg, sql);
		if (res != NULL && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
			r = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 0 : -EIO;
		}
	}
	if (r < 0 && reterr != NULL) {
		const char *m = res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(db->pg);
		if (asprintf(reterr, "%.*s", (int)strcspn(m, "\n"),
		             m[0] != '\0' ? m : "the log was not flushed past the message") < 0) {
			*reterr = NULL;
		}
	}
	PQclear(res);
	return r;
}

static int pg_exec(sql_db_t *db, sql_stmt_t st, const sql_val_t *v, size_t n, sql_row_t *rows,
                   size_t max)
{
	char name[16];
	pg_params_t p;

	assert_return(n == db->n_params[st] && n <= SQL_PARAMS_MAX, -EINVAL);
	if (rows == NULL && db->async) {
		/* a write that must be durable when it returns */
		return pg_write(db, st, v, n, false, false, NULL);
	}
	pg_bind(&p, v, n);
	snprintf(name, sizeof(name), "lessor%d", (int)st);
	PGresult *res = PQexecPrepared(db->pg, name, (int)n, p.vals, p.lens, p.fmts, 0);
	ExecStatusType es = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK) {
		return res_fail(db, res);
	}
	int r;
	if (rows == NULL) {
		r = atoi(PQcmdTuples(res));
	} else {
		r = MIN(PQntuples(res), (int)MIN(max, (size_t)INT32_MAX));
		for (int i = 0; i < r; i++) {
			parse_row(res, i, &rows[i]);
		}
	}
	PQclear(res);
	return r;
}

static int pg_stats(sql_db_t *db, int64_t (**ret)[3])
{
	PGresult *res = PQexec(db->pg, "SELECT subnet_id, state, leases FROM lease4_stat "
	                               "ORDER BY subnet_id, state");

	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		return res_fail(db, res);
	}
	int n = PQntuples(res);
	int64_t(*v)[3] = calloc((size_t)n + 1, sizeof(*v));
	if (v == NULL) {
		PQclear(res);
		return -ENOMEM;
	}
	for (int i = 0; i < n; i++) {
		for (int c = 0; c < 3; c++) {
			v[i][c] = get_int(res, i, c);
		}
	}
	PQclear(res);
	*ret = v;
	return n;
}

/* @fn for every row of @res (text columns, NULL for SQL NULL); clears @res. */
static int pg_rows(sql_db_t *db, PGresult *res, sql_text_row_fn fn, void *ud)
{
	if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
		return res_fail(db, res);
	}
	int n = PQntuples(res), n_cols = PQnfields(res), r = 0;
	const char **cols = calloc((size_t)n_cols + 1, sizeof(*cols));
	if (cols == NULL) {
		PQclear(res);
		return -ENOMEM;
	}
	for (int i = 0; i < n && r >= 0; i++) {
		for (int c = 0; c < n_cols; c++) {
			cols[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
		}
		r = fn(ud, cols, (size_t)n_cols);
	}
	free(cols);
	PQclear(res);
	return r < 0 ? r : n;
}

static int pg_query(sql_db_t *db, const char *sql, sql_text_row_fn fn, void *ud)
{
	return pg_rows(db, PQexec(db->pg, sql), fn, ud);
}

static int pg_pquery(sql_db_t *db, unsigned slot, const char *sql, const sql_val_t *v, size_t n,
                     sql_text_row_fn fn, void *ud)
{
	char name[16];
	pg_params_t p;

	assert_return(slot < SQL_PQUERY_MAX && n <= SQL_PARAMS_MAX, -EINVAL);
	snprintf(name, sizeof(name), "lessorh%u", slot);
	if (!db->pq_ready[slot]) {
		PGresult *res = PQprepare(db->pg, name, sql, (int)n, NULL);
		if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK) {
			return res_fail(db, res);
		}
		PQclear(res);
		db->pq_ready[slot] = true;
	}
	pg_bind(&p, v, n);
	return pg_rows(db, PQexecPrepared(db->pg, name, (int)n, p.vals, p.lens, p.fmts, 0), fn, ud);
}

static const sql_dialect_t pg_dialect = {
	.dollar_params = true,
	.time_in = "to_timestamp(%s)",
	.time_out = "EXTRACT(EPOCH FROM expire)::BIGINT",
	.insert_suffix = " ON CONFLICT (address) DO NOTHING",
	.hex_out = "encode(%s, 'hex')",
	/* a transaction-scoped advisory lock per address, key space 'LESS' */
	.addr_guard = "pg_try_advisory_xact_lock(1279611731, (%s::BIGINT - 2147483648)::INT4)",
	.subnet_col = "subnet_id + 0",
};

/* Kea 2.2 (13.0) and Kea 2.4 (18.0); lease4.pool_id since 17.0. */
static const int pg_versions[][2] = { { 13, 0 }, { 18, 0 } };

const sql_driver_t sql_pgsql_driver = {
	.name = "PostgreSQL",
	.log_db = "DHCPSRV_PGSQL_DB",
	.log_fatal = "DATABASE_PGSQL_FATAL_ERROR",
	.log_reconnect_fail = "DHCPSRV_PGSQL_LEASE_DB_RECONNECT_ATTEMPT_FAILED",
	.dialect = &pg_dialect,
	.versions = pg_versions,
	.n_versions = ARRAY_SIZE(pg_versions),
	.pool_since = 17,
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.version = pg_version,
	.prepare = pg_prepare,
	.exec = pg_exec,
	.exec_async = pg_exec_async,
	.flush = pg_flush,
	.async_check = pg_async_check,
	.run = pg_run,
	.stats = pg_stats,
	.query = pg_query,
	.pquery = pg_pquery,
	.error = pg_error,
};

static int pgsql_open(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr)
{
	return sql_store_open(&sql_pgsql_driver, &store_pgsql_ops, cfg, ret_store, reterr);
}

const lease_store_ops_t store_pgsql_ops = {
	.type = "postgresql",
	.open = pgsql_open,
	SQL_STORE_OPS_COMMON,
};
