/* stat-pool4-get (lessor's own command; the console's per-pool utilisation): Kea 2.4's
 * per-pool statistics (subnet[ID].pool[PID].total-addresses, .assigned-addresses,
 * .declined-addresses) for every pool of the configuration in force. They are not in
 * statistic-get-all: Kea 2.2, the reference of the differential tests, has none.
 *   {"command": "stat-pool4-get"}
 * -> {"pools": [{"subnet-id", "pool-id" (as configured, Kea 2.4's PID; 0 by default),
 *                "pool-index" (its place in the subnet's list), "pool": "FIRST-LAST",
 *                "total-addresses", "assigned-addresses", "declined-addresses"}, ...],
 *     "timestamp": T}, pools in address order
 * The counts come from one pass over the lease store (get_page), on the control thread's own
 * connection, so they are exact at the time of the call and cost the packet workers only
 * the store's read locks. A declined lease counts as assigned too, as Kea's recount does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl-int.h"
#include "util/inaddr.h"

DEFINE_FREEP(const cfg_t, cfg_release)

#define PAGE 1024

typedef struct pool_count {
	uint32_t first, last, subnet_id, pool_id, index;
	uint64_t assigned, declined;
} pool_count_t;

static int by_first(const void *a, const void *b)
{
	const pool_count_t *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The pool holding @addr, or NULL (pools never overlap: the configuration refuses that). */
static pool_count_t *pool_of(pool_count_t *p, size_t n, uint32_t addr)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p[mid].last < addr) {
			lo = mid + 1;
		} else if (p[mid].first > addr) {
			hi = mid;
		} else {
			return &p[mid];
		}
	}
	return NULL;
}

static int count_leases(ctl_t *ctl, pool_count_t *p, size_t n)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	lease4_t *page = NULL;
	uint32_t after = 0;
	int r;

	if (ctl->env.store == NULL || n == 0) {
		return 0;
	}
	r = lease_conn_open(ctl->env.store, &c);
	page = r == 0 ? calloc(PAGE, sizeof(*page)) : NULL;
	if (page == NULL) {
		return r < 0 ? r : -ENOMEM;
	}
	do {
		r = c->store->ops->get_page(c, after, page, PAGE);
		for (int i = 0; i < r; i++) {
			pool_count_t *pc = pool_of(p, n, page[i].addr);

			if (pc != NULL && page[i].state != LEASE_STATE_EXPIRED_RECLAIMED) {
				pc->assigned++;
				pc->declined += page[i].state == LEASE_STATE_DECLINED;
			}
		}
		if (r > 0) {
			after = page[r - 1].addr;
		}
	} while (r == PAGE && after != UINT32_MAX);
	free(page);
	return r < 0 ? r : 0;
}

static json_t *pools_json(const pool_count_t *p, size_t n)
{
	json_t *list = json_array();

	for (size_t i = 0; list != NULL && i < n; i++) {
		char a[INADDR_STRLEN], b[INADDR_STRLEN], range[2 * INADDR_STRLEN + 2];

		snprintf(range, sizeof(range), "%s-%s", inaddr_fmt(p[i].first, a),
		         inaddr_fmt(p[i].last, b));
		json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:I, s:I, s:I}", "subnet-id",
		                      (json_int_t)p[i].subnet_id, "pool-id", (json_int_t)p[i].pool_id,
		                      "pool-index", (json_int_t)p[i].index, "pool", range, "total-addresses",
		                      (json_int_t)p[i].last - p[i].first + 1, "assigned-addresses",
		                      (json_int_t)p[i].assigned, "declined-addresses",
		                      (json_int_t)p[i].declined);
		if (o == NULL || json_array_append_new(list, o) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

json_t *ctl_cmd_stat_pool4_get(ctl_t *ctl, json_t *args)
{
	_cleanup_(cfg_releasep) const cfg_t *cfg = cfg_acquire();
	size_t n = 0;

	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "arguments must be a map");
	}
	for (size_t i = 0; cfg != NULL && i < cfg->n_subnets; i++) {
		n += cfg->subnets[i].n_pools;
	}
	pool_count_t *p = calloc(n + 1, sizeof(*p));
	if (p == NULL) {
		return NULL;
	}
	n = 0;
	for (size_t i = 0; cfg != NULL && i < cfg->n_subnets; i++) {
		const cfg_subnet4_t *s = &cfg->subnets[i];

		for (size_t k = 0; k < s->n_pools; k++) {
			p[n++] = (pool_count_t){ .first = s->pools[k].first, .last = s->pools[k].last,
			                         .subnet_id = s->id, .pool_id = s->pools[k].pool_id,
			                         .index = (uint32_t)k };
		}
	}
	qsort(p, n, sizeof(*p), by_first);
	int r = count_leases(ctl, p, n);
	if (r < 0) {
		free(p);
		return ctl_answer(CTL_RESULT_ERROR, NULL, "stat-pool4-get: lease store: %s",
		                  strerror(-r));
	}
	json_t *list = pools_json(p, n);
	free(p);
	if (list == NULL) {
		return NULL;
	}
	struct timespec now;
	char ts[40];
	clock_gettime(CLOCK_REALTIME, &now);
	return ctl_answer(n > 0 ? CTL_RESULT_SUCCESS : CTL_RESULT_EMPTY,
	                  json_pack("{s:o, s:s}", "pools", list, "timestamp",
	                            stat_history_fmt_time(&now, ts, sizeof(ts))),
	                  "stat-pool4-get: %zu pools", n);
}
