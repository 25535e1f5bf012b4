/* Subnet selection (Kea's CfgSubnets4::selectSubnet), backed by an index so
 * that 800+ subnets cost a binary search, not a scan. */
#pragma once

#include "cfg/cfg.h"

/* What selection looks at, taken from the packet and the socket. */
typedef struct subnet_sel {
	uint32_t giaddr;
	uint32_t link_select;           /* RAI sub-option 5 address, 0 if absent */
	uint32_t subnet_select;         /* option 118, 0 if absent */
	uint32_t ciaddr;
	uint32_t src_addr;              /* IP source of the packet */
	bool from_broadcast;            /* received on the broadcast address */
	const char *ifname;             /* receiving interface, may be NULL */
	uint32_t iface_addr;            /* an IPv4 address of the receiving interface, 0 if none */
	const class_set_t *classes;     /* for client-class guards; NULL = no classes */
} subnet_sel_t;

/** The subnet Kea would select, or NULL. Any thread (cfg is immutable). */
const cfg_subnet4_t *subnet_select(const cfg_t *cfg, const subnet_sel_t *sel);

/** Build the private index; called by the loader. 0 or -ENOMEM. */
int subnet_index_build(cfg_t *cfg);
void subnet_index_free(cfg_t *cfg);

/** Whether @classes passes the guard @client_class (CFG_CLASS_NONE passes). */
static inline bool subnet_class_allows(int client_class, const class_set_t *classes)
{
	return client_class == CFG_CLASS_NONE ||
	       (classes != NULL && class_set_has(classes, client_class));
}
