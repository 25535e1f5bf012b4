/* IPv4 text <-> host-order uint32 and prefix math. The only place (with
 * wire.h and daemon/sock.c) where byte order is converted. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define INADDR_STRLEN 16

/** Strict dotted quad "a.b.c.d" -> host order. 0 or -EINVAL. */
int inaddr_parse(const char *s, uint32_t *ret);
/** "10.0.0.0/8" -> network (host bits must be zero unless @lenient) and length. */
int inaddr_prefix_parse(const char *s, uint32_t *ret_net, uint8_t *ret_plen);
/** Format into buf (>= INADDR_STRLEN); returns buf. */
const char *inaddr_fmt(uint32_t addr, char *buf);
/** Netmask for a prefix length 0..32. */
static inline uint32_t inaddr_mask(uint8_t plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}
