/* Lifetimes: the valid lifetime a lease gets, and whether a renewal may
 * reuse the lease as written (Kea 2.2's lease cache). */
#include <errno.h>
#include <string.h>

#include "engine/alloc-int.h"
#include "cfg/subnet.h"

static uint32_t clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
{
	if (lo != 0 && v < lo) {
		v = lo;
	}
	if (hi != 0 && v > hi) {
		v = hi;
	}
	return v;
}

uint32_t alloc_valid_lft(const cfg_t *cfg, const cfg_subnet4_t *s, const class_set_t *classes,
                         bool has_hint, uint32_t hint)
{
	uint32_t valid = s->lft.valid, min = s->lft.min_valid, max = s->lft.max_valid;

	/* Kea getValidLft(): the first class (join order) with a valid-lifetime wins. */
	for (uint16_t i = 0; classes != NULL && i < classes->n; i++) {
		const cfg_class_t *cl = &cfg->classes[classes->idx[i]];

		if (classes->idx[i] < cfg->n_classes && cl->has_valid_lft) {
			valid = cl->valid_lft;
			min = cl->min_valid_lft;
			max = cl->max_valid_lft;
			break;
		}
	}
	if (has_hint && hint > 0) {
		return clamp_u32(hint, min != 0 ? min : valid, max != 0 ? max : valid);
	}
	return valid;
}

/* Kea 2.2 updateLease4Information()'s "changed": a renewal that alters what
 * the lease records (or shortens it) is always written. */
bool alloc_lft_changed(const lease4_t *old, const lease4_t *want)
{
	return old->subnet_id != want->subnet_id || old->htype != want->htype ||
	       old->hwaddr_len != want->hwaddr_len ||
	       memcmp(old->hwaddr, want->hwaddr, want->hwaddr_len) != 0 ||
	       old->client_id_len != want->client_id_len ||
	       memcmp(old->client_id, want->client_id, want->client_id_len) != 0 ||
	       old->fqdn_fwd != want->fqdn_fwd || old->fqdn_rev != want->fqdn_rev ||
	       strcmp(old->hostname, want->hostname) != 0 ||
	       strcmp(old->user_context, want->user_context) != 0 ||
	       want->valid_lft < old->valid_lft;
}

/* Kea 2.2 AllocEngine::setLeaseReusable(): the lifetime @old has left when
 * its renewal may skip the write (the lease cache), else 0. The age since
 * its last write must be within cache-max-age and within cache-threshold of
 * the new valid lifetime, whichever are configured; an infinite lease is
 * always reused (Kea checks that before the cache parameters). */
uint32_t alloc_lft_reusable(const cfg_subnet4_t *s, const lease4_t *old, const lease4_t *want,
                             int64_t now)
{
	uint32_t max_age = 0;

	if (old->state != LEASE_STATE_DEFAULT) {
		return 0;
	}
	if (want->valid_lft == LEASE_LFT_INFINITE) {
		return LEASE_LFT_INFINITE;
	}
	if (old->cltt > now || now - old->cltt >= (int64_t)old->valid_lft) {
		return 0;
	}
	uint32_t age = (uint32_t)(now - old->cltt);
	if (s->has_cache_max_age) {
		max_age = s->cache_max_age;
		if (max_age == 0 || age > max_age) {
			return 0;
		}
	}
	if (s->has_cache_threshold) {
		max_age = (uint32_t)((double)want->valid_lft * s->cache_threshold);
		if (age > max_age) {
			return 0;
		}
	}
	return max_age == 0 ? 0 : old->valid_lft - age;
}
