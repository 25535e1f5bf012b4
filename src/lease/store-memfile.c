/* "memfile" backend: store-mem holds the leases, lfile journals every change
 * in Kea's CSV format, lfile_sync() is the group commit behind
 * lease_conn_sync(), and compact() runs Kea's LFC every lfc-interval. */
#include "lease/store-memfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lease/store-mem.h"
#include "util/log.h"

#define MEMFILE_SHARDS 16              /* >= worker threads; hw/cid lookups visit each */
#define MEMFILE_DEFAULT_NAME "/var/lib/kea/kea-leases4.csv"

typedef struct memfile_store {
	lease_store_t base;
	mem_store_t *mem;
	lfile_t *lf;                    /* NULL with persist false */
	char *name;
	uint32_t lfc_interval;
	int64_t last_lfc;               /* monotonic seconds of the last LFC start */
} memfile_store_t;

typedef struct memfile_conn {
	lease_conn_t base;
	uint64_t last_seq;              /* last journal row written through this connection */
} memfile_conn_t;

static inline memfile_store_t *to_store(lease_store_t *ls)
{
	return (memfile_store_t *)ls;
}

static inline memfile_store_t *conn_store(lease_conn_t *c)
{
	return (memfile_store_t *)c->store;
}

static inline memfile_conn_t *to_conn(lease_conn_t *c)
{
	return (memfile_conn_t *)c;
}

static int64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* Journal hook, under the shard lock: the row order in the file is the order
 * of the changes in memory, so "last row wins" on reload gives this state. */
static int memfile_journal(void *userdata, void *jctx, const lease4_t *l, bool deleted)
{
	memfile_store_t *ms = userdata;
	memfile_conn_t *mc = jctx;
	uint64_t seq = 0;
	int r;

	r = lfile_append(ms->lf, l, deleted, &seq);
	if (r < 0) {
		return r;
	}
	if (mc != NULL) {
		mc->last_seq = seq;
	}
	return 0;
}

static int memfile_load_row(void *userdata, const lease4_t *l)
{
	return mem_store_load(userdata, l);
}

static void memfile_close(lease_store_t *ls)
{
	memfile_store_t *ms = to_store(ls);

	if (ms == NULL) {
		return;
	}
	ms->lf = lfile_close(ms->lf);
	ms->mem = mem_store_free(ms->mem);
	free(ms->name);
	free(ms);
}

static int memfile_open(const lease_store_cfg_t *cfg, lease_store_t **ret_store, char **reterr)
{
	memfile_store_t *ms;
	int r;

	ms = calloc(1, sizeof(*ms));
	if (ms == NULL) {
		return -ENOMEM;
	}
	ms->base.ops = &store_memfile_ops;
	ms->lfc_interval = cfg->lfc_interval;
	ms->last_lfc = mono_now();
	ms->name = strdup(cfg->name != NULL ? cfg->name : MEMFILE_DEFAULT_NAME);
	if (ms->name == NULL) {
		memfile_close(&ms->base);
		return -ENOMEM;
	}
	r = mem_store_new(MEMFILE_SHARDS, cfg->persist ? memfile_journal : NULL, ms, &ms->mem);
	if (r < 0) {
		memfile_close(&ms->base);
		return r;
	}
	if (!cfg->persist) {
		*ret_store = &ms->base;
		return 0;
	}

	log_info(LOGGER_DHCPSRV, "DHCPSRV_MEMFILE_LEASE_FILE_LOAD", "loading leases from file %s",
	         ms->name);
	lfile_load_stats_t st = { 0 };
	r = lfile_load_set(ms->name, cfg->max_row_errors, memfile_load_row, ms->mem, &st, reterr);
	if (r < 0) {
		memfile_close(&ms->base);
		return r;
	}
	atomic_store(&ms->base.bad_rows, st.errors);
	if (st.errors > 0) {
		log_warn(LOGGER_DHCPSRV, "DHCPSRV_MEMFILE_LEASE_LOAD_ROW_ERROR",
		         "discarded %" PRIu64 " bad row(s) while loading leases, last: %s", st.errors,
		         st.last_err);
	}
	r = lfile_open(ms->name, &ms->lf);
	if (r < 0) {
		if (reterr != NULL && *reterr == NULL && asprintf(reterr, "%s: cannot open for "
		                                                  "appending: %s", ms->name,
		                                                  strerror(-r)) < 0) {
			*reterr = NULL;
		}
		memfile_close(&ms->base);
		return r;
	}
	*ret_store = &ms->base;
	return 0;
}

static int memfile_conn_open(lease_store_t *ls, lease_conn_t **ret_conn)
{
	memfile_conn_t *mc = calloc(1, sizeof(*mc));

	if (mc == NULL) {
		return -ENOMEM;
	}
	mc->base.store = ls;
	*ret_conn = &mc->base;
	return 0;
}

static void memfile_conn_close(lease_conn_t *c)
{
	free(c);
}

static int memfile_get_by_addr(lease_conn_t *c, uint32_t addr, lease4_t *ret)
{
	return mem_store_get_by_addr(conn_store(c)->mem, addr, ret);
}

static int memfile_get_by_hwaddr(lease_conn_t *c, uint32_t subnet_id, const uint8_t *hw,
                                 size_t hw_len, lease4_t *ret)
{
	return mem_store_get_by_hwaddr(conn_store(c)->mem, subnet_id, hw, hw_len, ret);
}

static int memfile_get_by_client_id(lease_conn_t *c, uint32_t subnet_id, const uint8_t *cid,
                                    size_t cid_len, lease4_t *ret)
{
	return mem_store_get_by_client_id(conn_store(c)->mem, subnet_id, cid, cid_len, ret);
}

static int memfile_add(lease_conn_t *c, const lease4_t *l)
{
	return mem_store_add(conn_store(c)->mem, l, to_conn(c));
}

static int memfile_update(lease_conn_t *c, const lease4_t *old, const lease4_t *l)
{
	return mem_store_update(conn_store(c)->mem, old, l, to_conn(c));
}

static int memfile_del(lease_conn_t *c, const lease4_t *old)
{
	return mem_store_del(conn_store(c)->mem, old, to_conn(c));
}

static int memfile_sync(lease_conn_t *c)
{
	memfile_store_t *ms = conn_store(c);
	uint64_t seq = to_conn(c)->last_seq;

	if (ms->lf == NULL || seq == 0) {
		return 0;
	}
	return lfile_sync(ms->lf, seq);
}

static int memfile_get_expired(lease_conn_t *c, int64_t now, lease4_t *out, size_t max)
{
	return mem_store_get_expired(conn_store(c)->mem, now, out, max);
}

static int memfile_get_reclaimed(lease_conn_t *c, int64_t before, lease4_t *out, size_t max)
{
	return mem_store_get_reclaimed(conn_store(c)->mem, before, out, max);
}

static int memfile_get_page(lease_conn_t *c, uint32_t after, lease4_t *out, size_t max)
{
	return mem_store_get_page(conn_store(c)->mem, after, out, max);
}

static int memfile_count(lease_conn_t *c, lease_count_t **ret)
{
	return mem_store_count(conn_store(c)->mem, ret);
}

static int memfile_wipe(lease_conn_t *c, uint32_t subnet_id)
{
	return mem_store_wipe(conn_store(c)->mem, subnet_id, to_conn(c));
}

static int memfile_compact(lease_store_t *ls)
{
	memfile_store_t *ms = to_store(ls);
	int64_t now = mono_now();
	int r;

	if (ms->lf == NULL || ms->lfc_interval == 0 || now - ms->last_lfc < ms->lfc_interval) {
		return 0;
	}
	r = lfile_lfc_start(ms->lf);
	if (r == -EBUSY) {
		return 0;       /* the previous one is still merging: try next time */
	}
	ms->last_lfc = now;
	if (r == 0) {
		log_info(LOGGER_DHCPSRV, "DHCPSRV_MEMFILE_LFC_START", "starting Lease File Cleanup");
	}
	return r;
}

int store_memfile_lfc_now(lease_store_t *ls, bool wait)
{
	memfile_store_t *ms = to_store(ls);
	int r;

	assert_return(ls->ops == &store_memfile_ops, -EINVAL);
	if (ms->lf == NULL) {
		return -EOPNOTSUPP;
	}
	r = lfile_lfc_start(ms->lf);
	if (r < 0) {
		return r;
	}
	ms->last_lfc = mono_now();
	return wait ? lfile_lfc_wait(ms->lf) : 0;
}

lfile_t *store_memfile_lfile(lease_store_t *ls)
{
	if (ls->ops != &store_memfile_ops) {
		return NULL;
	}
	return to_store(ls)->lf;
}

const lease_store_ops_t store_memfile_ops = {
	.type = "memfile",
	.open = memfile_open,
	.close = memfile_close,
	.conn_open = memfile_conn_open,
	.conn_close = memfile_conn_close,
	.get_by_addr = memfile_get_by_addr,
	.get_by_hwaddr = memfile_get_by_hwaddr,
	.get_by_client_id = memfile_get_by_client_id,
	.add = memfile_add,
	.update = memfile_update,
	.del = memfile_del,
	.sync = memfile_sync,
	.get_expired = memfile_get_expired,
	.get_page = memfile_get_page,
	.count = memfile_count,
	.wipe = memfile_wipe,
	.compact = memfile_compact,
	.get_reclaimed = memfile_get_reclaimed,
};
