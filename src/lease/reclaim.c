/* Expired-lease reclamation. See reclaim.h. */
#include "lease/reclaim.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#define RECLAIM_BATCH 128

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reclaim one lease (AllocEngine::reclaimExpiredLease + reclaimLeaseInDatabase).
 * Returns 1 if reclaimed, 0 if it changed under us, or an error. */
static int reclaim_one(lease_conn_t *c, const lease4_t *l, bool remove)
{
	int r;

	/* reclaimDeclined(): a declined lease carries no client identity, so
	 * there is no affinity to keep; it is always removed. */
	if (remove || l->state == LEASE_STATE_DECLINED) {
		r = lease_del(c, l);
	} else {
		lease4_t *nl = malloc(sizeof(*nl));
		if (nl == NULL) {
			return -ENOMEM;
		}
		*nl = *l;
		nl->state = LEASE_STATE_EXPIRED_RECLAIMED;
		nl->hostname[0] = '\0';         /* the DNS removal was queued */
		nl->fqdn_fwd = false;
		nl->fqdn_rev = false;
		r = lease_update(c, l, nl);
		free(nl);
	}
	if (r == -ESTALE || r == -ENOENT) {
		return 0;               /* renewed or released meanwhile */
	}
	return r < 0 ? r : 1;
}

int lease_reclaim(lease_conn_t *c, const cfg_expired_t *exp, int64_t now, uint64_t *ret_reclaimed,
                  uint64_t *ret_declined_reclaimed)
{
	return lease_reclaim_each(c, exp, now, NULL, NULL, ret_reclaimed, ret_declined_reclaimed);
}

int lease_reclaim_each(lease_conn_t *c, const cfg_expired_t *exp, int64_t now, lease_reclaim_fn fn,
                       void *ud, uint64_t *ret_reclaimed, uint64_t *ret_declined_reclaimed)
{
	/* CfgExpiration::setupTimers: remove_lease = flush timer disabled. */
	bool remove = exp->flush_reclaimed_timer_wait_time == 0 || exp->hold_reclaimed_time == 0;
	uint64_t limit = exp->max_reclaim_leases == 0 ? UINT64_MAX : exp->max_reclaim_leases;
	int64_t deadline = exp->max_reclaim_time == 0 ? INT64_MAX
	                                              : mono_ms() + exp->max_reclaim_time;
	uint64_t reclaimed = 0, declined = 0;
	lease4_t *batch;
	int r = 0;

	assert_return(c != NULL && exp != NULL, -EINVAL);
	batch = malloc(sizeof(*batch) * RECLAIM_BATCH);
	if (batch == NULL) {
		return -ENOMEM;
	}
	bool timed_out = false;
	while (r >= 0 && reclaimed < limit && !timed_out) {
		size_t want = (size_t)MIN((uint64_t)RECLAIM_BATCH, limit - reclaimed);
		int n = c->store->ops->get_expired(c, now, batch, want);
		if (n <= 0) {
			r = n;
			break;
		}
		uint64_t before = reclaimed;
		for (int i = 0; i < n; i++) {
			r = reclaim_one(c, &batch[i], remove);
			if (r < 0) {
				break;
			}
			if (r > 0) {
				reclaimed++;
				if (batch[i].state == LEASE_STATE_DECLINED) {
					declined++;
				}
				if (fn != NULL) {
					fn(ud, &batch[i]);
				}
			}
			if (mono_ms() >= deadline) {
				timed_out = true;
				break;
			}
		}
		if (r >= 0 && (reclaimed == before || (size_t)n < want)) {
			break;          /* nothing more, or no progress possible */
		}
	}
	free(batch);
	if (reclaimed > 0) {
		int rs = lease_conn_sync(c);
		r = r < 0 ? r : rs;
	}
	*ret_reclaimed = reclaimed;
	*ret_declined_reclaimed = declined;
	return r < 0 ? r : 0;
}

int lease_reclaim_flush(lease_conn_t *c, uint32_t hold_time, int64_t now)
{
	int64_t before = now - (int64_t)hold_time;
	lease4_t *batch;
	int deleted = 0, r = 0;

	assert_return(c != NULL, -EINVAL);
	batch = malloc(sizeof(*batch) * RECLAIM_BATCH);
	if (batch == NULL) {
		return -ENOMEM;
	}
	if (c->store->ops->get_reclaimed != NULL) {
		for (;;) {
			int n = c->store->ops->get_reclaimed(c, before, batch, RECLAIM_BATCH);
			int progress = 0;
			if (n <= 0) {
				r = n;
				break;
			}
			for (int i = 0; i < n && r >= 0; i++) {
				r = lease_del(c, &batch[i]);
				if (r == 0) {
					progress++;
				} else if (r == -ESTALE || r == -ENOENT) {
					r = 0;
				}
			}
			deleted += progress;
			if (r < 0 || progress == 0 || n < RECLAIM_BATCH) {
				break;
			}
		}
	} else {
		/* Backend without an index on state: walk every lease. */
		uint32_t after = 0;
		bool first = true;
		for (;;) {
			int n = c->store->ops->get_page(c, first ? 0 : after, batch, RECLAIM_BATCH);
			if (n <= 0) {
				r = n;
				break;
			}
			for (int i = 0; i < n && r >= 0; i++) {
				const lease4_t *l = &batch[i];
				if (l->state != LEASE_STATE_EXPIRED_RECLAIMED || lease4_expire(l) >= before) {
					continue;
				}
				r = lease_del(c, l);
				if (r == 0) {
					deleted++;
				} else if (r == -ESTALE || r == -ENOENT) {
					r = 0;
				}
			}
			after = batch[n - 1].addr;
			first = false;
			if (r < 0 || n < RECLAIM_BATCH) {
				break;
			}
		}
	}
	free(batch);
	if (deleted > 0) {
		int rs = lease_conn_sync(c);
		r = r < 0 ? r : rs;
	}
	return r < 0 ? r : deleted;
}
