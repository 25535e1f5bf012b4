/* Relay agent information option (82, RFC 3046): sub-option index and the
 * sub-options the server acts on. Wire format only; what to do with them is
 * decided by cfg/subnet.c and the engine. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "dhcp/pkt4.h"

/* One view per sub-option code into the option 82 payload (zero-copy: the
 * views live as long as the packet). count == 0 means absent. A repeated
 * sub-option keeps its first instance and counts the others. */
typedef struct agent {
	opt_view_t sub[256];
} agent_t;

/** Index the sub-options of option 82 (@o82 is the packet's option view).
 *  Sub-options are plain code/length/value triples (RFC 3046 §2.0): codes 0
 *  and 255 are not PAD/END here. A sub-option running past the option ends
 *  the list; the ones before it count (Kea 2.2 answers such a packet).
 *  Returns 0, or -ENOENT if @o82 is NULL or absent. Any thread. */
int agent_parse(const opt_view_t *o82, agent_t *ret);

/** Sub-option @code, or NULL when absent. */
static inline const opt_view_t *agent_sub(const agent_t *a, uint8_t code)
{
	return a->sub[code].count > 0 ? &a->sub[code] : NULL;
}

/** Option 82's payload @o82 as Kea 2.2 sends it back: sub-options in
 *  ascending code order, the instances of a repeated code fused into one
 *  (their data concatenated in arrival order; a fused value over 255 bytes is
 *  cut into 255-byte instances); a sub-option running past the option and
 *  what follows it are left out, as agent_parse() does. Writes out[0..cap)
 *  and returns the length (0: nothing to echo), or -ENOBUFS if @cap is too
 *  small. Any thread. */
int agent_canonical(const opt_view_t *o82, uint8_t *out, size_t cap);

/** Circuit ID (sub-option 1, RFC 3046 §3.1), raw bytes, or NULL. */
const opt_view_t *agent_circuit_id(const agent_t *a);

/** Remote ID (sub-option 2, RFC 3046 §3.2), raw bytes, or NULL. */
const opt_view_t *agent_remote_id(const agent_t *a);

/** Link selection (sub-option 5, RFC 3527 §3): the subnet the client is on,
 *  host order. Used only when exactly 4 bytes, as Kea does. Returns 0,
 *  -ENOENT when absent, -EBADMSG when the length is not 4. */
int agent_link_selection(const agent_t *a, uint32_t *ret_addr);

/** Server identifier override (sub-option 11, RFC 5107 §4), host order.
 *  Returns 0, -ENOENT when absent, -EBADMSG when the length is not 4. */
int agent_server_id_override(const agent_t *a, uint32_t *ret_addr);

/** Relay source port (sub-option 19, RFC 8357 §5.1) present? */
bool agent_has_relay_port(const agent_t *a);

/** UDP port a reply to this relay goes to: with sub-option 19 the relay's
 *  source port (RFC 8357 §5.2), otherwise 67 (RFC 2131 §4.1), even when the
 *  relay sent from another port (Kea does the same). @a may be NULL. */
uint16_t agent_reply_port(const agent_t *a, uint16_t relay_src_port);
