/* DHCPv4 packet: parse (zero-copy views into the receive buffer) and build.
 * Wire format only: no policy, no config. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

#define DHCP_CHADDR_LEN 16
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_LEN 128
#define DHCP_FIXED_LEN 236              /* BOOTP header without the cookie */
#define DHCP_MAGIC_COOKIE 0x63825363u
#define DHCP_HWADDR_MAX 20              /* Kea's HWAddr::MAX_HWADDR_LEN */
#define DHCP_OPT_LEN_MAX 255
#define DHCP_HOSTNAME_MAX 255
#define DHCP_PKT_MAX 4096               /* largest datagram we read or build */
#define DHCP_FLAG_BROADCAST 0x8000

/* One slot per option code. A view into the receive buffer when the option came
 * once; an arena copy when split instances had to be joined (RFC 3396). Lives as
 * long as the packet, so nobody frees it. count == 0 means absent. */
typedef struct opt_view {
	const uint8_t *data;
	uint16_t len;
	uint8_t count;
} opt_view_t;

typedef struct pkt4 {
	arena_t *arena;
	const uint8_t *raw;
	size_t raw_len;

	uint8_t op;
	uint8_t htype;
	uint8_t hlen;
	uint8_t hops;
	uint32_t xid;
	uint16_t secs;
	uint16_t flags;
	uint32_t ciaddr;                /* host byte order, as every address inside lessor */
	uint32_t yiaddr;
	uint32_t siaddr;
	uint32_t giaddr;
	uint8_t chaddr[DHCP_CHADDR_LEN];
	const uint8_t *sname;           /* DHCP_SNAME_LEN bytes inside raw */
	const uint8_t *file;            /* DHCP_FILE_LEN bytes inside raw */
	uint8_t overload;               /* option 52 value used while parsing, 0 if none */

	opt_view_t opts[256];
} pkt4_t;

/** Parse the fixed BOOTP header and index the options of buf[0..len), including
 *  the sname/file areas when option 52 says so. @pkt receives views into @buf,
 *  which must outlive it. Joined (split) options are copied into @arena.
 *  Returns 0, -EBADMSG for anything malformed, -ENOMEM if the arena is full.
 *  As in Kea 2.2, a truncated last option ends its area without failing the
 *  parse (the options before it are kept), a missing END is accepted and
 *  hlen > 16 is kept as is. Never logs. Any thread. */
int pkt4_parse(pkt4_t *pkt, arena_t *arena, const uint8_t *buf, size_t len);

/** Value of option 53, or 0 when absent, not exactly one byte, or present more
 *  than once (Kea drops such a packet). */
int pkt4_msg_type(const pkt4_t *pkt);

typedef int (*pkt4_opt_fn)(const uint8_t *data, uint8_t len, void *userdata);

/** Call @fn on each instance of option @code of a parsed @pkt, in the order
 *  pkt4_parse() joined them (options field, then file and sname when
 *  overloaded): for checks Kea 2.2 makes on every instance before it fuses
 *  them. Stops at and returns @fn's first negative value; 0 otherwise. */
int pkt4_opt_each(const pkt4_t *pkt, uint8_t code, pkt4_opt_fn fn, void *userdata);

static inline const opt_view_t *pkt4_opt(const pkt4_t *pkt, uint8_t code)
{
	return pkt->opts[code].count > 0 ? &pkt->opts[code] : NULL;
}

/* ---- building replies ---- */

/* A reply being written into a caller-owned buffer. err is sticky: once an
 * append did not fit, the reply is unusable and pkt4_out_finish() fails. */
typedef struct pkt4_out {
	uint8_t *buf;
	size_t cap;
	size_t len;
	int err;
} pkt4_out_t;

/** Start a BOOTREPLY to @query in buf[0..cap): op 2, htype/hlen/chaddr, hops,
 *  xid, flags and giaddr copied; ciaddr/yiaddr/siaddr zero; sname/file zero;
 *  magic cookie written. An hlen over 16 is answered as hlen 16 with an all-zero
 *  chaddr (what Kea does). cap must be >= 300. */
void pkt4_out_init(pkt4_out_t *o, uint8_t *buf, size_t cap, const pkt4_t *query);

/* Fixed-field setters (host byte order in). */
void pkt4_out_set_ciaddr(pkt4_out_t *o, uint32_t addr);
void pkt4_out_set_yiaddr(pkt4_out_t *o, uint32_t addr);
void pkt4_out_set_siaddr(pkt4_out_t *o, uint32_t addr);
/** Copy up to 64 / 128 bytes into sname / file (NUL padded). */
void pkt4_out_set_sname(pkt4_out_t *o, const char *s, size_t len);
void pkt4_out_set_file(pkt4_out_t *o, const char *s, size_t len);

/** Append one option. Data longer than 253 bytes is split into several
 *  instances (RFC 3396), in chunks of 253 then the rest, as Kea does
 *  (LibDHCP::splitOptions4 splits whenever data + 2-byte header > 255). */
void pkt4_out_opt(pkt4_out_t *o, uint8_t code, const void *data, size_t len);

/** Append END. Returns the reply length, or -EMSGSIZE if anything did not fit. */
int pkt4_out_finish(pkt4_out_t *o);
