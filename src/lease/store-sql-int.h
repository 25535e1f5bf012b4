/* Internals of the SQL lease store, shared by store-sql.c (queries, the
 * transaction, the store), store-sql-row.c (rows and statements) and
 * store-sql-conn.c (connections, reconnects, the idle pool). */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "lease/store-sql.h"

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
	_Atomic bool down_logged;       /* one "connection lost" line per outage */
	/* retry-on-startup: the database was unreachable at open, so the schema
	 * (and with it the statements' text) is not known yet; only
	 * sql_reconnect() connects until it has checked it */
	_Atomic bool unchecked;
	bool txn_writes;                /* batch writes in one transaction (LESSOR_SQL_TXN=1) */
	_Atomic bool async_commit;      /* batch writes commit asynchronously, sync flushes */
} sql_store_t;

typedef struct sql_conn {
	lease_conn_t base;
	sql_db_t *db;                   /* NULL: not connected (reconnect on use) */
	bool in_txn;
	bool txn_failed;                /* the server dropped the transaction */
	/* batch_hint until sync: writes commit asynchronously; @batch_last:
	 * each carries the flush */
	bool batch, batch_last;
	bool unflushed;                 /* an asynchronous commit awaits the flush */
	bool flush_lost;                /* ... and its connection was lost: sync fails */
	/* The last get_by_addr's answer, for a repeat of it as the very next
	 * statement (see sql_get_by_addr) */
	bool last_valid;
	int last_r;                     /* 0 or -ENOENT */
	uint32_t last_addr;
	lease4_t last;
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

/* store-sql-row.c: statement parameters */
sql_val_t sql_v_int(int64_t i);
sql_val_t sql_v_time(int64_t t);
sql_val_t sql_v_bytes(const void *p, size_t len);
/* The row's values in the order of INSERT (with_addr) or UPDATE's SET list. */
size_t sql_row_params(const sql_row_t *r, bool with_addr, bool has_pool, sql_val_t *v);

/* The statement's dialect-neutral template, for log lines. */
const char *sql_stmt_template(sql_stmt_t st);

/* store-sql-conn.c */
void sql_conn_log_error(sql_conn_t *c, const char *what, int r);
void sql_conn_drop(sql_conn_t *c);
int sql_conn_prepare_all(sql_store_t *s, sql_db_t *db);
int sql_conn_ensure(sql_conn_t *c);
/* store-sql.c: the schema version check, at open and at the first connect
 * after an open without the database (retry-on-startup) */
int sql_check_version(sql_store_t *s, sql_db_t *db, char **reterr);
void sql_log_schema(const sql_store_t *s);
void sql_check_async(sql_store_t *s, sql_db_t *db);
void sql_conn_free(sql_conn_t *c);
