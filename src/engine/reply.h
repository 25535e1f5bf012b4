/* Reply assembly for DHCPOFFER / DHCPACK / DHCPNAK and the DHCPINFORM ACK, as
 * Kea 2.2 builds them (Dhcpv4Exchange::copyDefaultFields/Options,
 * buildCfgOptionList, appendRequestedOptions, appendBasicOptions,
 * appendServerID, setFixedFields, setTeeTimes). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "class/class.h"
#include "dhcp/pkt4.h"
#include "lease/lease.h"

typedef struct reply_in {
	const cfg_t *cfg;
	const pkt4_t *query;
	uint8_t msg_type;            /* DHCPOFFER, DHCPACK or DHCPNAK */
	bool inform;                 /* DHCPACK answering a DHCPINFORM */
	const cfg_subnet4_t *subnet; /* may be NULL (NAK or INFORM without subnet) */
	const cfg_pool_t *pool;      /* pool of the lease, may be NULL */
	const cfg_host_t *host;      /* client's reservation, may be NULL */
	const class_set_t *classes;  /* classes the packet joined, in join order */
	const lease4_t *lease;       /* OFFER/ACK with a lease; NULL for NAK/INFORM */
	uint32_t reuse_lft;          /* != 0: option 51 for a lease reused from the cache */
	uint32_t server_id;          /* option 54 value (see reply_server_id) */
	uint32_t ciaddr;             /* ciaddr of the reply */
	const cfg_host_t *name_host; /* reservation the lease's names came from (names_decide) */
	const char *hostname;        /* option 12 to send (OFFER/ACK), NULL = none */
	size_t hostname_len;
	const uint8_t *fqdn;         /* option 81 payload to send, NULL = none */
	size_t fqdn_len;
	bool drop_rai;               /* do not echo option 82 (INFORM answered directly) */
} reply_in_t;

/** The option-54 value Kea's appendServerID() sends: configured
 *  dhcp-server-identifier at subnet, shared network, class (join order, not
 *  only-if-required) or global level, else @socket_addr. */
uint32_t reply_server_id(const cfg_t *cfg, const cfg_subnet4_t *subnet, const class_set_t *classes,
                         uint32_t socket_addr);

/** T1 / T2 for a lease of @valid seconds in @s (Kea setTeeTimes): explicit
 *  renew/rebind-timer, else computed when calculate-tee-times; T2 sent only
 *  when < valid, T1 only when < T2 (or < valid without T2). 0 = not sent. */
void reply_tee_times(const cfg_subnet4_t *s, uint32_t valid, uint32_t *ret_t1, uint32_t *ret_t2);

/** Build the reply into buf[0..cap) (cap >= 300). Options go out as Kea packs
 *  them: 53 first, then ascending code, 82 last. Returns the length, or
 *  -EMSGSIZE when it does not fit. Any thread. */
int reply_build(const reply_in_t *in, uint8_t *buf, size_t cap);
