/* "mysql" lease backend: the libmariadb driver under store-sql.c. One MYSQL
 * handle per lease connection, every statement prepared once per handle,
 * opened with CLIENT_FOUND_ROWS as Kea does (an UPDATE that matches but does
 * not change a row still counts as done), READ COMMITTED and UTC for the
 * session (FROM_UNIXTIME/UNIX_TIMESTAMP are then exact; the TIMESTAMP
 * column itself stores UTC). */
#include <errno.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <errmsg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lease/store-sql.h"
#include "util/log.h"

struct sql_db {
	MYSQL *m;
	MYSQL_STMT *stmt[_SQL_STMT_MAX];
	size_t n_params[_SQL_STMT_MAX];
	MYSQL_STMT *pq[SQL_PQUERY_MAX];  /* hosts lookups (my_pquery) */
	char err[512];
};

static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void lib_init(void)
{
	(void)mysql_library_init(0, NULL, NULL);
}

static int map_errno(unsigned e)
{
	switch (e) {
	case 0:
		return 0;
	case ER_DUP_ENTRY:
		return -EEXIST;
	case CR_SERVER_GONE_ERROR:
	case CR_SERVER_LOST:
	case CR_CONN_HOST_ERROR:
	case CR_CONNECTION_ERROR:
	case 2055:              /* CR_SERVER_LOST_EXTENDED */
	case 4031:              /* ER_CLIENT_INTERACTION_TIMEOUT */
	case ER_CONNECTION_KILLED:
	case ER_SERVER_SHUTDOWN:
		return -ENOTCONN;
	case ER_LOCK_DEADLOCK:
	case ER_LOCK_WAIT_TIMEOUT:
		return -EDEADLK;
	default:
		return -EIO;
	}
}

static int db_fail(sql_db_t *db, unsigned e, const char *msg)
{
	snprintf(db->err, sizeof(db->err), "%s (error code: %u)", msg, e);
	int r = map_errno(e);
	return r == 0 ? -EIO : r;
}

static int stmt_fail(sql_db_t *db, MYSQL_STMT *st)
{
	return db_fail(db, mysql_stmt_errno(st), mysql_stmt_error(st));
}

static const char *my_error(sql_db_t *db)
{
	return db->err;
}

static void my_disconnect(sql_db_t *db)
{
	if (db == NULL) {
		return;
	}
	for (int i = 0; i < _SQL_STMT_MAX; i++) {
		if (db->stmt[i] != NULL) {
			mysql_stmt_close(db->stmt[i]);
		}
	}
	for (int i = 0; i < SQL_PQUERY_MAX; i++) {
		if (db->pq[i] != NULL) {
			mysql_stmt_close(db->pq[i]);
		}
	}
	if (db->m != NULL) {
		mysql_close(db->m);
	}
	free(db);
}

/* Kea's MySqlConnection: a trust anchor that is a directory is a CA path.
 * Kea leaves the name check to the connector's default (off in libmariadb
 * 3.3); lessor checks the server's certificate chain and name whenever a trust
 * anchor is given (docs/differences.md). */
static void set_tls(MYSQL *m, const lease_store_cfg_t *cfg)
{
	const char *ta = cfg->trust_anchor;
	struct stat st;

	if (!lease_store_cfg_tls(cfg)) {
		return;
	}
	bool dir = ta != NULL && stat(ta, &st) == 0 && S_ISDIR(st.st_mode);
	mysql_ssl_set(m, cfg->key_file, cfg->cert_file, dir ? NULL : ta, dir ? ta : NULL,
	              cfg->cipher_list);
	my_bool verify = ta != NULL, enforce = 1;
	mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
	/* TLS mandatory. libmariadb 3.3 still authenticates in the clear to a
	 * server offering no TLS unless it verifies the certificate (measured in
	 * test_sql_tls), so check_tls refuses such a session afterwards. */
	mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &enforce);
}

/* TLS asked for must be TLS in use: Kea only logs DHCPSRV_MYSQL_NO_TLS and
 * carries on in the clear; lessor refuses the connection. */
static int check_tls(sql_db_t *db, const lease_store_cfg_t *cfg, char **reterr)
{
	if (!lease_store_cfg_tls(cfg)) {
		return 0;
	}
	const char *cipher = mysql_get_ssl_cipher(db->m);
	if (cipher == NULL) {
		log_error(LOGGER_DHCPSRV, "DHCPSRV_MYSQL_NO_TLS", "TLS was required but is not used");
		if (reterr != NULL && asprintf(reterr, "Unable to open database: TLS was required "
		                               "but is not used") < 0) {
			*reterr = NULL;
		}
		return -ENOTCONN;
	}
	log_debug(LOGGER_DHCPSRV, LOG_DBG_DETAIL, "DHCPSRV_MYSQL_TLS_CIPHER", "TLS cipher: %s",
	          cipher);
	return 0;
}

static int my_run(sql_db_t *db, const char *sql)
{
	if (mysql_real_query(db->m, sql, strlen(sql)) != 0) {
		return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
	}
	MYSQL_RES *res = mysql_store_result(db->m);
	if (res != NULL) {
		mysql_free_result(res);
	}
	return 0;
}

static int my_connect(const lease_store_cfg_t *cfg, sql_db_t **ret, char **reterr)
{
	sql_db_t *db;

	pthread_once(&lib_once, lib_init);
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		return -ENOMEM;
	}
	db->m = mysql_init(NULL);
	if (db->m == NULL) {
		free(db);
		return -ENOMEM;
	}
	unsigned ct = cfg->connect_timeout, rt = cfg->read_timeout, wt = cfg->write_timeout;
	if (ct > 0) {
		mysql_options(db->m, MYSQL_OPT_CONNECT_TIMEOUT, &ct);
	}
	if (rt > 0) {
		mysql_options(db->m, MYSQL_OPT_READ_TIMEOUT, &rt);
	}
	if (wt > 0) {
		mysql_options(db->m, MYSQL_OPT_WRITE_TIMEOUT, &wt);
	}
	my_bool no = 0;
	mysql_options(db->m, MYSQL_OPT_RECONNECT, &no);      /* store-sql.c reconnects */
	set_tls(db->m, cfg);
	if (mysql_real_connect(db->m, cfg->host != NULL ? cfg->host : "localhost", cfg->user,
	                       cfg->password, cfg->name, cfg->port, NULL, CLIENT_FOUND_ROWS) == NULL) {
		/* Kea's DbOpenError text. MariaDB refuses a plain connection that
		 * require_secure_transport or REQUIRE SSL/X509 forbids as "Access
		 * denied", like a wrong password: say so. */
		bool plain = mysql_errno(db->m) == ER_ACCESS_DENIED_ERROR && !lease_store_cfg_tls(cfg);
		if (reterr != NULL && asprintf(reterr, "Unable to open database: %s%s",
		                               mysql_error(db->m), plain ? " (the connection was "
		                               "not TLS: a server that requires TLS also refuses a "
		                               "plain connection so; see trust-anchor)" : "") < 0) {
			*reterr = NULL;
		}
		my_disconnect(db);
		return -ENOTCONN;
	}
	int r = check_tls(db, cfg, reterr);
	if (r < 0) {
		my_disconnect(db);
		return r;
	}
	r = my_run(db, "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
	if (r == 0) {
		r = my_run(db, "SET time_zone = '+00:00'");
	}
	if (r < 0) {
		if (reterr != NULL && asprintf(reterr, "unable to set up the session: %s", db->err) < 0) {
			*reterr = NULL;
		}
		my_disconnect(db);
		return r;
	}
	*ret = db;
	return 0;
}

static int my_version(sql_db_t *db, int *ret_major, int *ret_minor, char **reterr)
{
	static const char q[] = "SELECT version, minor FROM schema_version";
	int r = -EPROTO;

	if (mysql_real_query(db->m, q, sizeof(q) - 1) != 0) {
		if (reterr != NULL && asprintf(reterr, "cannot read the MySQL schema version (run "
		                               "kea-admin db-init mysql): %s", mysql_error(db->m)) < 0) {
			*reterr = NULL;
		}
		return -EPROTO;
	}
	MYSQL_RES *res = mysql_store_result(db->m);
	MYSQL_ROW row = res != NULL ? mysql_fetch_row(res) : NULL;
	if (row != NULL && row[0] != NULL) {
		*ret_major = atoi(row[0]);
		*ret_minor = row[1] != NULL ? atoi(row[1]) : 0;
		r = 0;
	} else if (reterr != NULL && asprintf(reterr, "the MySQL schema_version table is empty") < 0) {
		*reterr = NULL;
	}
	if (res != NULL) {
		mysql_free_result(res);
	}
	return r;
}

static int my_prepare(sql_db_t *db, sql_stmt_t st, const char *sql, size_t n_params)
{
	MYSQL_STMT *s = mysql_stmt_init(db->m);

	if (s == NULL) {
		return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
	}
	if (mysql_stmt_prepare(s, sql, strlen(sql)) != 0) {
		int r = stmt_fail(db, s);
		size_t len = strlen(db->err);
		snprintf(db->err + len, sizeof(db->err) - len, " in <%s>", sql);
		mysql_stmt_close(s);
		return r;
	}
	db->stmt[st] = s;
	db->n_params[st] = n_params;
	return 0;
}

/* Parameter storage that outlives mysql_stmt_execute(). */
typedef struct params {
	MYSQL_BIND b[SQL_PARAMS_MAX];
	long long i[SQL_PARAMS_MAX];
	signed char t[SQL_PARAMS_MAX];
	unsigned long len[SQL_PARAMS_MAX];
} params_t;

static void bind_params(params_t *p, const sql_val_t *v, size_t n)
{
	memset(p->b, 0, sizeof(p->b[0]) * n);
	for (size_t k = 0; k < n; k++) {
		MYSQL_BIND *b = &p->b[k];

		switch (v[k].type) {
		case SQL_V_NULL:
			b->buffer_type = MYSQL_TYPE_NULL;
			break;
		case SQL_V_INT:
		case SQL_V_TIME:
			p->i[k] = v[k].i;
			b->buffer_type = MYSQL_TYPE_LONGLONG;
			b->buffer = &p->i[k];
			break;
		case SQL_V_BOOL:
			p->t[k] = v[k].i != 0;
			b->buffer_type = MYSQL_TYPE_TINY;
			b->buffer = &p->t[k];
			break;
		case SQL_V_BYTES:
		case SQL_V_TEXT:
			p->len[k] = (unsigned long)v[k].len;
			b->buffer_type = v[k].type == SQL_V_BYTES ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
			b->buffer = (void *)v[k].p;
			b->buffer_length = p->len[k];
			b->length = &p->len[k];
			break;
		}
	}
}

/* Result staging for the 12 lease columns. */
typedef struct results {
	MYSQL_BIND b[_SQL_COL_MAX];
	long long i[_SQL_COL_MAX];
	unsigned long len[_SQL_COL_MAX];
	my_bool null[_SQL_COL_MAX];
	my_bool err[_SQL_COL_MAX];
} results_t;

static void bind_col(results_t *r, int col, enum enum_field_types t, void *buf, size_t size)
{
	MYSQL_BIND *b = &r->b[col];

	b->buffer_type = t;
	b->buffer = buf != NULL ? buf : &r->i[col];
	b->buffer_length = (unsigned long)size;
	b->length = &r->len[col];
	b->is_null = &r->null[col];
	b->error = &r->err[col];
}

static void bind_results(results_t *r, sql_row_t *row)
{
	memset(r, 0, sizeof(*r));
	for (int c = 0; c < _SQL_COL_MAX; c++) {
		bind_col(r, c, MYSQL_TYPE_LONGLONG, NULL, sizeof(long long));
	}
	bind_col(r, SQL_COL_HWADDR, MYSQL_TYPE_BLOB, row->hwaddr, sizeof(row->hwaddr));
	bind_col(r, SQL_COL_CLIENT_ID, MYSQL_TYPE_BLOB, row->client_id, sizeof(row->client_id));
	bind_col(r, SQL_COL_HOSTNAME, MYSQL_TYPE_STRING, row->hostname, sizeof(row->hostname) - 1);
	bind_col(r, SQL_COL_USER_CONTEXT, MYSQL_TYPE_STRING, row->user_context,
	         sizeof(row->user_context) - 1);
}

static size_t col_len(const results_t *r, int c)
{
	return r->null[c] ? 0 : r->len[c];
}

/* Copy the integer columns and the lengths into @row after a fetch. */
static void finish_row(const results_t *r, sql_row_t *row, bool truncated)
{
	row->address = (uint32_t)r->i[SQL_COL_ADDRESS];
	row->valid_lifetime = (uint32_t)r->i[SQL_COL_VALID];
	row->expire = r->i[SQL_COL_EXPIRE];
	row->subnet_id = (uint32_t)r->i[SQL_COL_SUBNET];
	row->fqdn_fwd = r->i[SQL_COL_FQDN_FWD] != 0;
	row->fqdn_rev = r->i[SQL_COL_FQDN_REV] != 0;
	row->state = (uint32_t)r->i[SQL_COL_STATE];
	row->pool_id = r->null[SQL_COL_POOL] ? 0 : (uint32_t)r->i[SQL_COL_POOL];
	row->truncated = truncated || col_len(r, SQL_COL_HWADDR) > sizeof(row->hwaddr) ||
	                 col_len(r, SQL_COL_CLIENT_ID) > sizeof(row->client_id) ||
	                 col_len(r, SQL_COL_HOSTNAME) >= sizeof(row->hostname) ||
	                 col_len(r, SQL_COL_USER_CONTEXT) >= sizeof(row->user_context);
	row->hwaddr_len = MIN(col_len(r, SQL_COL_HWADDR), sizeof(row->hwaddr));
	row->client_id_len = MIN(col_len(r, SQL_COL_CLIENT_ID), sizeof(row->client_id));
	row->hostname[MIN(col_len(r, SQL_COL_HOSTNAME), sizeof(row->hostname) - 1)] = '\0';
	row->user_context[MIN(col_len(r, SQL_COL_USER_CONTEXT), sizeof(row->user_context) - 1)] = '\0';
}

static int fetch_rows(sql_db_t *db, MYSQL_STMT *s, sql_row_t *rows, size_t max)
{
	results_t res;
	sql_row_t scratch;              /* rows past @max (LIMIT prevents them) */
	size_t n = 0;

	for (;;) {
		sql_row_t *row = n < max ? &rows[n] : &scratch;
		bind_results(&res, row);
		if (mysql_stmt_bind_result(s, res.b) != 0) {
			int r = stmt_fail(db, s);
			mysql_stmt_free_result(s);
			return r;
		}
		int f = mysql_stmt_fetch(s);
		if (f == MYSQL_NO_DATA) {
			break;
		}
		if (f == 1) {
			int r = stmt_fail(db, s);
			mysql_stmt_free_result(s);
			return r;
		}
		if (n < max) {
			finish_row(&res, row, f == MYSQL_DATA_TRUNCATED);
			n++;
		}
	}
	mysql_stmt_free_result(s);
	return (int)n;
}

static int my_exec(sql_db_t *db, sql_stmt_t st, const sql_val_t *v, size_t n, sql_row_t *rows,
                   size_t max)
{
	MYSQL_STMT *s = db->stmt[st];
	params_t p;

	assert_return(s != NULL && n == db->n_params[st] && n <= SQL_PARAMS_MAX, -EINVAL);
	bind_params(&p, v, n);
	if ((n > 0 && mysql_stmt_bind_param(s, p.b) != 0) || mysql_stmt_execute(s) != 0) {
		return stmt_fail(db, s);
	}
	if (rows == NULL) {
		my_ulonglong a = mysql_stmt_affected_rows(s);
		return a > INT32_MAX ? INT32_MAX : (int)a;
	}
	return fetch_rows(db, s, rows, max);
}

static int my_stats(sql_db_t *db, int64_t (**ret)[3])
{
	static const char q[] = "SELECT subnet_id, state, leases FROM lease4_stat "
	                        "ORDER BY subnet_id, state";

	if (mysql_real_query(db->m, q, sizeof(q) - 1) != 0) {
		return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
	}
	MYSQL_RES *res = mysql_store_result(db->m);
	if (res == NULL) {
		return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
	}
	size_t n = (size_t)mysql_num_rows(res);
	int64_t(*v)[3] = calloc(n + 1, sizeof(*v));
	if (v == NULL) {
		mysql_free_result(res);
		return -ENOMEM;
	}
	MYSQL_ROW row;
	size_t k = 0;
	while (k < n && (row = mysql_fetch_row(res)) != NULL) {
		for (int c = 0; c < 3; c++) {
			v[k][c] = row[c] != NULL ? strtoll(row[c], NULL, 10) : 0;
		}
		k++;
	}
	mysql_free_result(res);
	*ret = v;
	return (int)k;
}

static int my_query(sql_db_t *db, const char *sql, sql_text_row_fn fn, void *ud)
{
	if (mysql_real_query(db->m, sql, strlen(sql)) != 0) {
		return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
	}
	/* one round trip for the whole result: the caller parses afterwards */
	MYSQL_RES *res = mysql_store_result(db->m);
	if (res == NULL) {
		return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
	}
	size_t n_cols = mysql_num_fields(res);
	MYSQL_ROW row;
	int r = 0, k = 0;
	while (r >= 0 && (row = mysql_fetch_row(res)) != NULL) {
		r = fn(ud, (const char *const *)row, n_cols);
		k++;
	}
	mysql_free_result(res);
	return r < 0 ? r : k;
}

/* Every column of @s's stored result as text: buffers sized by the longest
 * value (STMT_ATTR_UPDATE_MAX_LENGTH), one round trip for the result. */
static int text_rows(sql_db_t *db, MYSQL_STMT *s, sql_text_row_fn fn, void *ud)
{
	MYSQL_RES *meta = mysql_stmt_result_metadata(s);
	unsigned n = meta != NULL ? mysql_num_fields(meta) : 0;
	MYSQL_BIND *b = calloc(n + 1, sizeof(*b));
	char **buf = calloc(n + 1, sizeof(*buf));
	const char **cols = calloc(n + 1, sizeof(*cols));
	unsigned long *len = calloc(n + 1, sizeof(*len));
	my_bool *null = calloc(n + 1, sizeof(*null));
	int r = meta == NULL ? stmt_fail(db, s) : 0, k = 0;

	if (r == 0 && (b == NULL || buf == NULL || cols == NULL || len == NULL || null == NULL)) {
		r = -ENOMEM;
	}
	if (r == 0 && mysql_stmt_store_result(s) != 0) {
		r = stmt_fail(db, s);
	}
	MYSQL_FIELD *f = meta != NULL ? mysql_fetch_fields(meta) : NULL;
	for (unsigned c = 0; r == 0 && c < n; c++) {
		buf[c] = malloc(f[c].max_length + 1);
		b[c] = (MYSQL_BIND){ .buffer_type = MYSQL_TYPE_STRING, .buffer = buf[c],
		                     .buffer_length = f[c].max_length + 1, .length = &len[c],
		                     .is_null = &null[c] };
		r = buf[c] != NULL ? 0 : -ENOMEM;
	}
	if (r == 0 && mysql_stmt_bind_result(s, b) != 0) {
		r = stmt_fail(db, s);
	}
	while (r >= 0) {
		int st = mysql_stmt_fetch(s);
		if (st == MYSQL_NO_DATA) {
			break;
		}
		if (st != 0) {
			r = st == 1 ? stmt_fail(db, s) : -EPROTO;
			break;
		}
		for (unsigned c = 0; c < n; c++) {
			buf[c][MIN(len[c], f[c].max_length)] = '\0';
			cols[c] = null[c] ? NULL : buf[c];
		}
		r = fn(ud, cols, n);
		k++;
	}
	mysql_stmt_free_result(s);
	for (unsigned c = 0; buf != NULL && c < n; c++) {
		free(buf[c]);
	}
	free(b), free(buf), free(cols), free(len), free(null);
	if (meta != NULL) {
		mysql_free_result(meta);
	}
	return r < 0 ? r : k;
}

static int my_pquery(sql_db_t *db, unsigned slot, const char *sql, const sql_val_t *v, size_t n,
                     sql_text_row_fn fn, void *ud)
{
	params_t p;

	assert_return(slot < SQL_PQUERY_MAX && n <= SQL_PARAMS_MAX, -EINVAL);
	if (db->pq[slot] == NULL) {
		MYSQL_STMT *s = mysql_stmt_init(db->m);
		my_bool update_max = 1;
		if (s == NULL) {
			return db_fail(db, mysql_errno(db->m), mysql_error(db->m));
		}
		if (mysql_stmt_prepare(s, sql, strlen(sql)) != 0 ||
		    mysql_stmt_attr_set(s, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max) != 0) {
			int r = stmt_fail(db, s);
			mysql_stmt_close(s);
			return r;
		}
		db->pq[slot] = s;
	}
	MYSQL_STMT *s = db->pq[slot];
	bind_params(&p, v, n);
	if ((n > 0 && mysql_stmt_bind_param(s, p.b) != 0) || mysql_stmt_execute(s) != 0) {
		return stmt_fail(db, s);
	}
	return text_rows(db, s, fn, ud);
}

static const sql_dialect_t my_dialect = {
	.dollar_params = false,
	.time_in = "FROM_UNIXTIME(%s)",
	.time_out = "UNIX_TIMESTAMP(expire)",
	.insert_suffix = "",
	.hex_out = "HEX(%s)",
};

/* Kea 2.2 (14.0) and Kea 2.4 (19.0); lease4.pool_id since 18.0. */
static const int my_versions[][2] = { { 14, 0 }, { 19, 0 } };

const sql_driver_t sql_mysql_driver = {
	.name = "MySQL",
	.log_db = "DHCPSRV_MYSQL_DB",
	.log_fatal = "DATABASE_MYSQL_FATAL_ERROR",
	.log_reconnect_fail = "DHCPSRV_MYSQL_LEASE_DB_RECONNECT_ATTEMPT_FAILED",
	.dialect = &my_dialect,
	.versions = my_versions,
	.n_versions = ARRAY_SIZE(my_versions),
	.pool_since = 18,
	.connect = my_connect,
	.disconnect = my_disconnect,
	.version = my_version,
	.prepare = my_prepare,
	.exec = my_exec,
	.run = my_run,
	.stats = my_stats,
	.query = my_query,
	.pquery = my_pquery,
	.error = my_error,
};

static int mysql_open(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr)
{
	return sql_store_open(&sql_mysql_driver, &store_mysql_ops, cfg, ret_store, reterr);
}

const lease_store_ops_t store_mysql_ops = {
	.type = "mysql",
	.open = mysql_open,
	SQL_STORE_OPS_COMMON,
};
