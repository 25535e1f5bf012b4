/* Internals of the allocation engine shared by alloc.c (DISCOVER and REQUEST),
 * alloc-host.c (whose lease, whose reservation), alloc-lft.c (lifetimes and
 * the lease cache), alloc-net.c (the shared-network walk and pool guards) and
 * alloc-release.c (RELEASE and DECLINE). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "engine/alloc.h"

/* How often a CAS that lost a race is retried on the same address. */
#define ALLOC_CAS_RETRIES 4

/* alloc-host.c */
bool alloc_host_belongs_in(const cfg_subnet4_t *s, const lease4_t *l, const alloc_client_t *c);
bool alloc_host_reserved_oop(const cfg_t *cfg, hostdb_conn_t *db, const cfg_subnet4_t *s,
                             uint32_t addr, const cfg_host_t *mine);

/* alloc-lft.c */
bool alloc_lft_changed(const lease4_t *old, const lease4_t *want);
uint32_t alloc_lft_reusable(const cfg_subnet4_t *s, const lease4_t *old, const lease4_t *want,
                            int64_t now);

/* alloc-net.c */
/* Subnets usable for this packet: the selected one first, then its shared
 * network siblings in configuration order starting after it and wrapping
 * around, skipping class-guarded ones (Kea's Subnet4::getNextSubnet with
 * client classes: "next in turn after the current subnet", full circle). */
typedef struct net_iter {
	const alloc_req_t *req;
	const cfg_subnet4_t *first;
	size_t i;    /* steps taken after first */
	size_t base; /* index of first in its network */
	bool started;
} net_iter_t;

net_iter_t alloc_net_iter(const alloc_req_t *req, const cfg_subnet4_t *first);
const cfg_subnet4_t *alloc_net_next(net_iter_t *it);
bool alloc_net_pool_allowed(const cfg_pool_t *p, const class_set_t *classes);
const cfg_subnet4_t *alloc_net_in_allowed_pool(const alloc_req_t *req, const cfg_subnet4_t *first,
                                               uint32_t addr, const cfg_pool_t **ret_pool);
