/* Client names: option 81 (client FQDN, RFC 4702) and option 12 (hostname)
 * answered as Kea 2.2 answers them with DDNS disabled (Dhcpv4Srv::
 * processClientName, D2ClientMgr::adjustFqdnFlags/adjustDomainName/
 * qualifyName/generateFqdn, postAllocateNameUpdate), and the hostname the
 * lease stores. Pure functions of the query, the subnet's cfg_names_t, the
 * reservation and the address: the allocation engine calls names_decide()
 * to fill the lease, the reply path calls it again for the options. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "dhcp/dnsname.h"
#include "dhcp/pkt4.h"

/* RFC 4702 §2.1 flags. */
#define NAMES_FQDN_S 0x01
#define NAMES_FQDN_O 0x02
#define NAMES_FQDN_E 0x04
#define NAMES_FQDN_N 0x08

/* The client's name options, parsed once per packet. */
typedef struct names_query {
	bool has_fqdn;
	uint8_t flags, rcode1, rcode2;
	bool fqdn_full;                 /* fully qualified (else partial) */
	bool fqdn_has_name;             /* a name came (else empty) */
	uint8_t wire[DNSNAME_WIRE_MAX]; /* the name, lower-cased wire form */
	const uint8_t *hostname;        /* option 12, trailing NULs cut; NULL = absent */
	size_t hostname_len;
} names_query_t;

typedef enum names_kind {
	NAMES_NONE,     /* neither option in the reply */
	NAMES_FQDN,     /* option 81 */
	NAMES_HOSTNAME, /* option 12 */
} names_kind_t;

#define NAMES_FQDN_MAX (3 + DNSNAME_TEXT_MAX)

/* What to answer and store. */
typedef struct names {
	names_kind_t kind;
	uint8_t fqdn[NAMES_FQDN_MAX]; /* option 81 payload (kind FQDN) */
	size_t fqdn_len;
	char hostname[DHCP_OPT_LEN_MAX + 1]; /* option 12 value (kind HOSTNAME), may hold NULs */
	size_t hostname_len;
	char lease[DHCP_HOSTNAME_MAX + 1]; /* the lease's hostname, "" = none */
} names_t;

/** Parse options 81 and 12 of @pkt as Kea's option factory does (a split
 *  option counts as absent: Kea 2.2 fuses it into an untyped one). A malformed option 81 (short, N
 * and S both set, a bad name) makes Kea's unpack fail, so the packet is dropped: returns -EBADMSG
 * and *@reterr_what gets Kea's reason. An option 12 of NULs only counts as absent (Kea skips it). 0
 * otherwise. Any thread. */
int names_query_parse(const pkt4_t *pkt, names_query_t *ret, const char **reterr_what);

/** Decide the names for a lease of @addr in a subnet with parameters @cfg,
 *  for a client with reservation @host (may be NULL). Never fails: a name
 *  Kea's processing throws on yields no option (as Kea logs and goes on). */
void names_decide(const names_query_t *q, const cfg_names_t *cfg, const cfg_host_t *host,
                  uint32_t addr, names_t *ret);
