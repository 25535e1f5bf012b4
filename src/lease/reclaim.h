/* Expired-lease reclamation, Kea's AllocEngine::reclaimExpiredLeases4 and
 * deleteExpiredReclaimedLeases4 (ARM lease-expiration.rst), run from the
 * housekeeping timer every reclaim-timer-wait-time / flush-reclaimed-timer-
 * wait-time seconds. Backend-neutral: uses only the store.h vtable. */
#pragma once

#include <stdint.h>

/* cfg.h uses "struct cfg" in prototypes before defining it. */
struct cfg;
#include "cfg/cfg.h"
#include "lease/store.h"

/** Reclaim leases in state default or declined whose expiry is before @now,
 *  oldest first, at most @exp->max_reclaim_leases (0 = no limit) and for at
 *  most @exp->max_reclaim_time ms (0 = no limit).
 *  - A declined lease is always deleted (reclaimDeclined: nothing left to keep).
 *  - Otherwise, when flush-reclaimed-timer-wait-time and hold-reclaimed-time
 *    are both non-zero, the lease is kept for lease affinity: state
 *    expired-reclaimed, hostname cleared, fqdn flags false; else it is deleted.
 *  Leases changed concurrently (-ESTALE/-ENOENT) are skipped. Changes are
 *  synced once at the end. *ret_reclaimed counts every reclaimed lease,
 *  *ret_declined_reclaimed the declined ones among them (Kea's
 *  reclaimed-leases and reclaimed-declined-addresses). Returns 0 or a backend
 *  error (counts still set). Main thread (housekeeping). */
int lease_reclaim(lease_conn_t *c, const cfg_expired_t *exp, int64_t now, uint64_t *ret_reclaimed,
                  uint64_t *ret_declined_reclaimed);

/* Called by lease_reclaim_each() for every lease it reclaimed, with the lease
 * as it was before (state default or declined; subnet_id for per-subnet
 * statistics). */
typedef void (*lease_reclaim_fn)(void *ud, const lease4_t *l);

/** lease_reclaim() that also calls @fn(@ud, lease) for each reclaimed lease
 *  (@fn may be NULL), on the calling thread, before the final sync. */
int lease_reclaim_each(lease_conn_t *c, const cfg_expired_t *exp, int64_t now, lease_reclaim_fn fn,
                       void *ud, uint64_t *ret_reclaimed, uint64_t *ret_declined_reclaimed);

/** Delete leases in state expired-reclaimed whose expiry is more than
 *  @hold_time seconds before @now (expire < now - hold_time). Returns the
 *  number deleted or a backend error. Main thread (housekeeping). */
int lease_reclaim_flush(lease_conn_t *c, uint32_t hold_time, int64_t now);
