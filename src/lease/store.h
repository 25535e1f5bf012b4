/* Backend-neutral lease store. One implementation per backend ("memfile",
 * "mysql", "postgresql") behind one vtable.
 *
 * Threading: a lease_store_t is shared by all threads; each thread that touches
 * leases opens its own lease_conn_t and uses it from that thread only. The
 * backend synchronises internally (store-mem: sharded mutexes; SQL: the DB).
 * Lock order (store-mem, detail in store-mem.h): an address-shard lock first;
 * under it, stripe locks of one identifier index (hwaddr, then client-id;
 * at most two of one index at a time, ascending); the journal mutex only
 * under a shard lock, never under a stripe lock. Several shard locks are
 * only ever taken in ascending index order; never two stores at once.
 *
 * Every update is compare-and-swap against the value last read (address,
 * expire, state): a shared database's only guard against two servers racing.
 *
 * Durability: add/update/del make the change visible at once; lease_conn_sync()
 * returns only when every change this connection made is on durable storage.
 * The worker calls it once per batch, before any reply of that batch leaves. */
#pragma once

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "lease/lease.h"
#include "util/macro.h"

typedef struct lease_store lease_store_t;
typedef struct lease_conn lease_conn_t;

/* Kea's on-fail: what to do when the database connection is lost for good. */
typedef enum lease_db_on_fail {
	LEASE_DB_STOP_RETRY_EXIT = 0,   /* Kea's default */
	LEASE_DB_SERVE_RETRY_EXIT,
	LEASE_DB_SERVE_RETRY_CONTINUE,
	_LEASE_DB_ON_FAIL_MAX,
} lease_db_on_fail_t;

/* "lease-database" (and a "hosts-database" entry) as configured; strings
 * borrowed from the config. */
typedef struct lease_store_cfg {
	const char *type;               /* "memfile", "mysql", "postgresql" */
	const char *name;               /* memfile: lease file path; SQL: database name */
	bool persist;                   /* memfile: false = no file at all */
	uint32_t lfc_interval;          /* seconds between compactions, 0 = never */
	uint32_t max_row_errors;        /* 0 = unlimited */
	const char *host;               /* SQL: NULL = "localhost" */
	const char *user;
	const char *password;           /* never logged: see lease_store_cfg_describe() */
	uint16_t port;                  /* 0 = the client library's default */
	uint32_t connect_timeout;       /* seconds (Kea's default 5) */
	uint32_t read_timeout;          /* MySQL, seconds, 0 = none */
	uint32_t write_timeout;         /* MySQL, seconds, 0 = none */
	uint32_t tcp_user_timeout;      /* PostgreSQL, seconds, 0 = none */
	uint32_t max_reconnect_tries;
	uint32_t reconnect_wait_time;   /* milliseconds */
	lease_db_on_fail_t on_fail;
	bool retry_on_startup;
	bool readonly;                  /* hosts-database only */
	const char *trust_anchor;       /* TLS: CA file (MySQL: or directory) */
	const char *cert_file;
	const char *key_file;
	const char *cipher_list;
} lease_store_cfg_t;

/** Any of trust-anchor, cert-file, key-file, cipher-list set: the connection
 *  must be TLS (Kea's MySqlConnection tls_). */
bool lease_store_cfg_tls(const lease_store_cfg_t *cfg);

/** Kea's redacted access string ("host=h name=n password=***** port=p type=t
 *  user=u"), for log lines and errors: the password never appears. */
const char *lease_store_cfg_describe(const lease_store_cfg_t *cfg, char *buf, size_t size);

/** Kea's name of an on-fail value. */
const char *lease_db_on_fail_name(lease_db_on_fail_t v);

/* Per (subnet, state) lease counts for statistics. */
typedef struct lease_count {
	uint32_t subnet_id;
	uint64_t assigned;              /* state default, not expired or expired-unreclaimed */
	uint64_t declined;
} lease_count_t;

typedef struct lease_store_ops {
	const char *type;
	/* Open the store; on failure *reterr may receive a malloc'd message. */
	int (*open)(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr);
	void (*close)(lease_store_t *ls);
	int (*conn_open)(lease_store_t *ls, lease_conn_t **ret_conn);
	void (*conn_close)(lease_conn_t *c);

	/* Lookups copy into *ret and return 0, -ENOENT, or a backend error;
	 * get_by_addr -EBADMSG: a row holds the address that lessor cannot read
	 * (skipped and logged by the store): the address is not free. */
	int (*get_by_addr)(lease_conn_t *c, uint32_t addr, lease4_t *ret);
	int (*get_by_hwaddr)(lease_conn_t *c, uint32_t subnet_id, const uint8_t *hw, size_t hw_len,
	                     lease4_t *ret);
	int (*get_by_client_id)(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
	                        size_t cid_len, lease4_t *ret);
	/* Both of the above at once (one round trip to a database): *ret_cid
	 * gets get_by_client_id's answer (0 / -ENOENT in *ret_cid_r), *ret_hw
	 * get_by_hwaddr's. With @addr != 0 the same round trip reads that
	 * address's lease too, for get_by_addr(@addr) calls that follow with
	 * nothing else in between (a REQUEST's requested address). Returns 0 or
	 * a backend error. NULL: the engine asks the two separately. */
	int (*get_by_client)(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
	                     size_t cid_len, const uint8_t *hw, size_t hw_len, uint32_t addr,
	                     lease4_t *ret_cid, int *ret_cid_r, lease4_t *ret_hw, int *ret_hw_r);

	/* -EEXIST if the address is already leased: the caller picks another one. */
	int (*add)(lease_conn_t *c, const lease4_t *lease);
	/* CAS against *old (addr, expire, state): -ESTALE if it changed, -ENOENT if gone. */
	int (*update)(lease_conn_t *c, const lease4_t *old, const lease4_t *lease);
	int (*del)(lease_conn_t *c, const lease4_t *old);
	/* Make every change made through @c durable. */
	int (*sync)(lease_conn_t *c);

	/* Up to @max leases in state default (or declined) whose expiry is before
	 * @now, oldest first, into out[]; returns the count or an error. */
	int (*get_expired)(lease_conn_t *c, int64_t now, lease4_t *out, size_t max);
	/* Up to @max leases with address > @after, ascending; returns the count. */
	int (*get_page)(lease_conn_t *c, uint32_t after, lease4_t *out, size_t max);
	/* Fill per-subnet counts (caller frees *ret); returns the number of entries. */
	int (*count)(lease_conn_t *c, lease_count_t **ret);
	/* Delete every lease of @subnet_id (0 = all); returns the number deleted. */
	int (*wipe)(lease_conn_t *c, uint32_t subnet_id);
	/* Housekeeping: compact the backing file if due (memfile); never blocks
	 * packet processing for long. May be NULL. */
	int (*compact)(lease_store_t *ls);
	/* Up to @max leases in state expired-reclaimed whose expiry is before
	 * @before, oldest first (flushing reclaimed leases after
	 * hold-reclaimed-time); returns the count. May be NULL: callers then
	 * page through get_page. */
	int (*get_reclaimed)(lease_conn_t *c, int64_t before, lease4_t *out, size_t max);
	/* Whether the database connection is lost: a connect failed and none
	 * has succeeded since. NULL for a store without a connection. */
	bool (*lost)(lease_store_t *ls);
	/* One reconnect attempt on @c, attempt @n of @max, logging Kea's
	 * DHCPSRV_<DB>_LEASE_DB_RECONNECT_* lines (the next one @wait_ms away,
	 * or none left). 0 when connected, -ENOTCONN. NULL with lost. */
	int (*reconnect)(lease_conn_t *c, unsigned n, unsigned max, unsigned wait_ms);
	/* From now until the next sync, no reply that depends on a write leaves
	 * before that sync returned (the worker's batch): a write may then be
	 * made durable by the sync rather than by itself. @last: no further
	 * packet is processed before that sync, so the writes from now on may
	 * carry it. May be NULL. */
	void (*batch_hint)(lease_conn_t *c, bool last);
} lease_store_ops_t;

struct lease_store {
	const lease_store_ops_t *ops;
	/* a batch gains nothing by waiting for more packets before its sync:
	 * every write is durable when it returns (SQL writes autocommit), or
	 * the database itself shares one log flush among concurrent commits */
	bool writes_durable;
	/* rows skipped as unreadable since the store opened (SQL: each read of
	 * one; memfile: at load) */
	_Atomic uint64_t bad_rows;
};

struct lease_conn {
	lease_store_t *store;
};

extern const lease_store_ops_t store_memfile_ops;
extern const lease_store_ops_t store_mysql_ops;
extern const lease_store_ops_t store_pgsql_ops;

/** Open the backend named by cfg->type. -EOPNOTSUPP for an unknown type. */
int lease_store_open(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr);
/** NULL-safe. Every connection must be closed first. */
void lease_store_close(lease_store_t *ls);
DEFINE_FREEP(lease_store_t, lease_store_close)

/** Rows @ls skipped as unreadable since it opened (0 for NULL). */
static inline uint64_t lease_store_bad_rows(lease_store_t *ls)
{
	return ls != NULL ? atomic_load(&ls->bad_rows) : 0;
}

/** Whether @ls lost its database connection (false for memfile). */
static inline bool lease_store_lost(lease_store_t *ls)
{
	return ls != NULL && ls->ops->lost != NULL && ls->ops->lost(ls);
}

/** Reconnect attempt @n of @max (see lease_store_ops_t.reconnect). */
static inline int lease_conn_reconnect(lease_conn_t *c, unsigned n, unsigned max, unsigned wait_ms)
{
	return c->store->ops->reconnect != NULL ? c->store->ops->reconnect(c, n, max, wait_ms) : 0;
}

static inline int lease_conn_open(lease_store_t *ls, lease_conn_t **ret)
{
	return ls->ops->conn_open(ls, ret);
}

static inline void lease_conn_close(lease_conn_t *c)
{
	if (c != NULL) {
		c->store->ops->conn_close(c);
	}
}

DEFINE_FREEP(lease_conn_t, lease_conn_close)

static inline int lease_get_by_addr(lease_conn_t *c, uint32_t addr, lease4_t *ret)
{
	return c->store->ops->get_by_addr(c, addr, ret);
}

static inline int lease_get_by_hwaddr(lease_conn_t *c, uint32_t subnet_id, const uint8_t *hw,
                                      size_t hw_len, lease4_t *ret)
{
	return c->store->ops->get_by_hwaddr(c, subnet_id, hw, hw_len, ret);
}

static inline int lease_get_by_client_id(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
                                         size_t cid_len, lease4_t *ret)
{
	return c->store->ops->get_by_client_id(c, subnet_id, cid, cid_len, ret);
}

/** ops->get_by_client, or -EOPNOTSUPP for a store without it. */
static inline int lease_get_by_client(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
                                      size_t cid_len, const uint8_t *hw, size_t hw_len,
                                      uint32_t addr, lease4_t *ret_cid, int *ret_cid_r,
                                      lease4_t *ret_hw, int *ret_hw_r)
{
	if (c->store->ops->get_by_client == NULL) {
		return -EOPNOTSUPP;
	}
	return c->store->ops->get_by_client(c, subnet_id, cid, cid_len, hw, hw_len, addr,
	                                    ret_cid, ret_cid_r, ret_hw, ret_hw_r);
}

static inline int lease_add(lease_conn_t *c, const lease4_t *l)
{
	return c->store->ops->add(c, l);
}

static inline int lease_update(lease_conn_t *c, const lease4_t *old, const lease4_t *l)
{
	return c->store->ops->update(c, old, l);
}

static inline int lease_del(lease_conn_t *c, const lease4_t *old)
{
	return c->store->ops->del(c, old);
}

static inline int lease_conn_sync(lease_conn_t *c)
{
	return c->store->ops->sync(c);
}

/** See lease_store_ops_t.batch_hint. */
static inline void lease_conn_batch_hint(lease_conn_t *c, bool last)
{
	if (c->store->ops->batch_hint != NULL) {
		c->store->ops->batch_hint(c, last);
	}
}
