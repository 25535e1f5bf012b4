/* The SQL-neutral half of the "mysql" and "postgresql" lease backends.
 *
 * store-sql.c implements lease_store_ops_t once: Kea's lease4 row <-> lease4_t
 * mapping, the statements (one template per operation, rendered per dialect),
 * compare-and-swap results, the per-connection transaction that
 * lease_conn_sync() commits, reconnects, the schema-version check and the
 * lease4_stat counts. A driver (store-mysql.c: libmariadb, store-pgsql.c:
 * libpq) only connects, prepares, binds sql_val_t parameters, executes and
 * fetches sql_row_t rows.
 *
 * Transactions: a connection's first write opens a transaction; sync commits
 * it (the worker's whole receive batch in one commit, before its ACKs leave).
 * Reads outside a transaction autocommit. Isolation is READ COMMITTED, so a
 * read always sees what other servers committed, and every write is guarded
 * by WHERE address = ? AND expire = ? (Kea's own optimistic check). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lease/store.h"

/* One lease4 row as the database holds it (Kea's columns and encodings). */
typedef struct sql_row {
	uint32_t address;
	uint8_t hwaddr[DHCP_HWADDR_MAX];
	size_t hwaddr_len;
	uint8_t client_id[DHCP_OPT_LEN_MAX];
	size_t client_id_len;           /* 0 = NULL */
	uint32_t valid_lifetime;
	int64_t expire;                 /* epoch seconds: cltt + valid (cltt if infinite) */
	uint32_t subnet_id;
	bool fqdn_fwd;
	bool fqdn_rev;
	char hostname[DHCP_HOSTNAME_MAX + 1];
	uint32_t state;
	char user_context[LEASE_UCTX_MAX];      /* "" = NULL */
	uint32_t pool_id;
	/* set by the driver when a value did not fit the field above */
	bool truncated;
} sql_row_t;

/** The expire column value Kea writes for @l (cltt for infinite leases). */
int64_t sql_lease_expire(const lease4_t *l);

/** lease4_t -> row. */
void sql_row_from_lease(const lease4_t *l, sql_row_t *ret);

/** Row -> lease4_t. -EBADMSG (reason in @why) for a row lessor cannot hold. */
int sql_row_to_lease(const sql_row_t *row, lease4_t *ret, char *why, size_t why_len);

/* ---- statements ---- */

typedef enum sql_stmt {
	SQL_GET_ADDR,
	SQL_GET_HWADDR,
	SQL_GET_CLIENT_ID,
	SQL_GET_CLIENT,                 /* SQL_GET_CLIENT_ID UNION ALL SQL_GET_HWADDR */
	SQL_GET_CLIENT_ADDR,            /* SQL_GET_CLIENT UNION ALL SQL_GET_ADDR */
	SQL_INSERT,
	SQL_UPDATE,
	SQL_DELETE,
	SQL_GET_EXPIRED,
	SQL_GET_RECLAIMED,
	SQL_GET_PAGE,
	SQL_WIPE_SUBNET,
	SQL_WIPE_ALL,
	_SQL_STMT_MAX,
} sql_stmt_t;

/* Column order of every lease SELECT (sql_row_t's order). */
enum {
	SQL_COL_ADDRESS, SQL_COL_HWADDR, SQL_COL_CLIENT_ID, SQL_COL_VALID, SQL_COL_EXPIRE,
	SQL_COL_SUBNET, SQL_COL_FQDN_FWD, SQL_COL_FQDN_REV, SQL_COL_HOSTNAME, SQL_COL_STATE,
	SQL_COL_USER_CONTEXT, SQL_COL_POOL, _SQL_COL_MAX,
};

typedef enum sql_vtype {
	SQL_V_NULL,
	SQL_V_INT,                      /* i */
	SQL_V_BOOL,                     /* i != 0 */
	SQL_V_BYTES,                    /* p, len */
	SQL_V_TEXT,                     /* p, len */
	SQL_V_TIME,                     /* i = epoch seconds; the template converts */
} sql_vtype_t;

typedef struct sql_val {
	sql_vtype_t type;
	int64_t i;
	const void *p;
	size_t len;
} sql_val_t;

#define SQL_PARAMS_MAX 16
#define SQL_PQUERY_MAX 4                /* sql_driver_t.pquery slots per connection */

/* How a driver spells what differs between MySQL and PostgreSQL. */
typedef struct sql_dialect {
	bool dollar_params;             /* $1, $2 … instead of ? */
	const char *time_in;            /* printf format around one placeholder */
	const char *time_out;           /* the expire column as epoch seconds */
	const char *insert_suffix;      /* makes a duplicate insert affect 0 rows, or "" */
	const char *hex_out;            /* printf format: a binary column as hex text */
	/* printf format around one placeholder (the address): a condition that
	 * is false while another transaction holds the address, so that
	 * INSERT/UPDATE/DELETE skip it instead of waiting; NULL = none */
	const char *addr_guard;
	/* the subnet column in lookups by client identifier, NULL = subnet_id
	 * (see SQL_IN_SUBNET in store-sql-row.c) */
	const char *subnet_col;
} sql_dialect_t;

/** Render statement @st for @d; @has_pool: the schema has lease4.pool_id. */
int sql_render(sql_stmt_t st, const sql_dialect_t *d, bool has_pool, char *buf, size_t size);

/* ---- drivers ---- */

typedef struct sql_db sql_db_t;         /* a driver's connection */

/* One row of a text-protocol query: @cols[i] NULL for SQL NULL. Returning
 * negative stops the query with that code. */
typedef int (*sql_text_row_fn)(void *ud, const char *const *cols, size_t n_cols);

/* Errors drivers return: -EEXIST duplicate key; -ENOTCONN the connection is
 * gone (reconnect); -EDEADLK the server rolled the transaction back
 * (deadlock, lock wait timeout); -EIO anything else. */
typedef struct sql_driver {
	const char *name;               /* "MySQL" / "PostgreSQL" in messages */
	const char *log_db;             /* DHCPSRV_MYSQL_DB / DHCPSRV_PGSQL_DB */
	const char *log_fatal;          /* DATABASE_MYSQL_FATAL_ERROR / ... */
	const char *log_reconnect_fail; /* DHCPSRV_MYSQL_LEASE_DB_RECONNECT_ATTEMPT_FAILED / ... */
	const sql_dialect_t *dialect;
	/* schema versions accepted, oldest first; has_pool from this major on */
	const int (*versions)[2];
	size_t n_versions;
	int pool_since;
	int (*connect)(const lease_store_cfg_t *cfg, sql_db_t **ret, char **reterr);
	void (*disconnect)(sql_db_t *db);
	int (*version)(sql_db_t *db, int *ret_major, int *ret_minor, char **reterr);
	int (*prepare)(sql_db_t *db, sql_stmt_t st, const char *sql, size_t n_params);
	/* Run @st; fetch up to @max rows into @rows (NULL for writes). Returns
	 * the rows fetched, or the rows affected for writes. */
	int (*exec)(sql_db_t *db, sql_stmt_t st, const sql_val_t *params, size_t n_params,
	            sql_row_t *rows, size_t max);
	/* Asynchronous commits, NULL where the database has none. exec_async
	 * runs write @st so that its commit does not wait for the log flush
	 * (its locks go at once), then with @flush makes every commit so far
	 * durable, all in one round trip; *ret_flushed tells whether that
	 * flush was done. Returns the rows affected. exec (writes) and run
	 * commit synchronously again. flush makes every commit so far durable;
	 * async_check says at connect whether flush works on this server. */
	int (*exec_async)(sql_db_t *db, sql_stmt_t st, const sql_val_t *params, size_t n_params,
	                  bool flush, bool *ret_flushed);
	int (*flush)(sql_db_t *db);
	int (*async_check)(sql_db_t *db, char **reterr);
	/* BEGIN / COMMIT / ROLLBACK or any other statement without result */
	int (*run)(sql_db_t *db, const char *sql);
	/* A one-off text-protocol SELECT (hosts-database reads): @row per row.
	 * Returns the row count or a negative code. */
	int (*query)(sql_db_t *db, const char *sql, sql_text_row_fn row, void *ud);
	/* The same with parameters, as a statement prepared on the connection
	 * the first time @slot (< SQL_PQUERY_MAX) is used; @sql must be the same
	 * text every time for a slot (per-packet hosts lookups). */
	int (*pquery)(sql_db_t *db, unsigned slot, const char *sql, const sql_val_t *params,
	              size_t n_params, sql_text_row_fn row, void *ud);
	/* (subnet_id, state, leases) rows of lease4_stat; caller frees *ret. */
	int (*stats)(sql_db_t *db, int64_t (**ret)[3]);
	/* the last error text (no password in it) */
	const char *(*error)(sql_db_t *db);
} sql_driver_t;

extern const sql_driver_t sql_mysql_driver;
extern const sql_driver_t sql_pgsql_driver;

/** Open a store on @drv (the backend's ops->open). */
int sql_store_open(const sql_driver_t *drv, const lease_store_ops_t *ops,
                   const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr);

/** The ops every SQL backend shares; .type and .open are the backend's. */
#define SQL_STORE_OPS_COMMON                                  \
	.close = sql_store_close, .conn_open = sql_conn_open,     \
	.conn_close = sql_conn_close, .get_by_addr = sql_get_by_addr, \
	.get_by_hwaddr = sql_get_by_hwaddr,                       \
	.get_by_client_id = sql_get_by_client_id,                 \
	.get_by_client = sql_get_by_client, .add = sql_add,       \
	.update = sql_update, .del = sql_del, .sync = sql_sync,   \
	.get_expired = sql_get_expired, .get_page = sql_get_page, \
	.count = sql_count, .wipe = sql_wipe, .compact = NULL,    \
	.get_reclaimed = sql_get_reclaimed, .lost = sql_lost,       \
	.reconnect = sql_reconnect, .batch_hint = sql_batch_hint

void sql_store_close(lease_store_t *ls);
bool sql_lost(lease_store_t *ls);
int sql_reconnect(lease_conn_t *c, unsigned n, unsigned max, unsigned wait_ms);
int sql_conn_open(lease_store_t *ls, lease_conn_t **ret_conn);
void sql_conn_close(lease_conn_t *c);
int sql_get_by_addr(lease_conn_t *c, uint32_t addr, lease4_t *ret);
int sql_get_by_hwaddr(lease_conn_t *c, uint32_t subnet_id, const uint8_t *hw, size_t hw_len,
                      lease4_t *ret);
int sql_get_by_client_id(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
                         size_t cid_len, lease4_t *ret);
int sql_get_by_client(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid, size_t cid_len,
                      const uint8_t *hw, size_t hw_len, uint32_t addr, lease4_t *ret_cid,
                      int *ret_cid_r, lease4_t *ret_hw, int *ret_hw_r);
int sql_add(lease_conn_t *c, const lease4_t *l);
int sql_update(lease_conn_t *c, const lease4_t *old, const lease4_t *l);
int sql_del(lease_conn_t *c, const lease4_t *old);
int sql_sync(lease_conn_t *c);
void sql_batch_hint(lease_conn_t *c, bool last);
int sql_get_expired(lease_conn_t *c, int64_t now, lease4_t *out, size_t max);
int sql_get_reclaimed(lease_conn_t *c, int64_t before, lease4_t *out, size_t max);
int sql_get_page(lease_conn_t *c, uint32_t after, lease4_t *out, size_t max);
int sql_count(lease_conn_t *c, lease_count_t **ret);
int sql_wipe(lease_conn_t *c, uint32_t subnet_id);
