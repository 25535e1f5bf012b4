/* Client classification steps in Kea 2.2's order (ARM classify.rst
 * "Classification Steps"); engine-private. */
#pragma once

#include <stdbool.h>

#include "cfg/cfg.h"
#include "class/class.h"

/** Step 1 (Kea classifyPacket): ALL, VENDOR_CLASS_<option 60> when such a
 *  class is defined, then every class with a test that is neither
 *  only-if-required nor dependent on KNOWN/UNKNOWN, in configuration order.
 *  @ec->classes must point at @set. */
void classify_early(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set);

/** early-global-reservations-lookup (Kea 2.2 Dhcpv4Srv::earlyGHRLookup()),
 *  after step 1 and before subnet selection, for a client with the global
 *  reservation @host: when it has classes, the classes joined by tests leave,
 *  its classes join and the first pass runs again (member() of them may now
 *  match); then KNOWN and the KNOWN-dependent tests. */
void classify_early_host(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                         const cfg_host_t *host);

/** Steps 3-4 (Kea's Dhcpv4Exchange): the reservation's classes, then KNOWN
 *  (a reservation @host, or @known: the early lookup found one and no subnet
 *  was selected) or UNKNOWN, then the classes whose test depends on
 *  KNOWN/UNKNOWN (config order, not only-if-required). With @reeval the
 *  reservation's classes are joined as classify_early_host() joins them (Kea
 *  does so for a global reservation without the early lookup, and for a
 *  subnet outside any shared network). Every pass evaluates its classes again,
 *  as Kea's evaluateClasses() does. */
void classify_late(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                   const cfg_host_t *host, bool known, bool reeval);

/** Whether the packet joined the built-in DROP class. */
bool classify_is_drop(const class_set_t *set);

/** Step 6 (Kea requiredClassify): evaluate the only-if-required classes listed
 *  in require-client-classes of the shared network, the subnet, then the pool,
 *  skipping classes already joined. */
void classify_required(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                       const cfg_subnet4_t *subnet, const cfg_pool_t *pool);
