/* Human-readable packet summaries for logs and test failures. */
#pragma once

#include <stddef.h>

#include "dhcp/pkt4.h"

/* Enough for every field and a typical option list; longer lists end in "...". */
#define PKT4_DUMP_LINE_MAX 512

/** "DHCPDISCOVER" ... "DHCPLEASEACTIVE" for 1..13, "BOOTP" for 0 (no option
 *  53), "UNKNOWN" otherwise. Static string. Any thread. */
const char *pkt4_dump_msg_type_name(int type);

/** One-line summary of @pkt into buf[0..size), e.g.
 *    DHCPREQUEST xid=0x11223344 hw=1/00:11:22:33:44:55 ciaddr=0.0.0.0
 *    yiaddr=0.0.0.0 giaddr=10.0.0.2 hops=1 opts=50,53,54,55,61,82
 *  (one line). Repeated options show their instance count ("12x3"), a used
 *  overload shows as "ovl=N". Always NUL-terminated when size > 0; a line that
 *  does not fit ends in "...". Returns @buf so it can be passed to a log call.
 *  Any thread. */
const char *pkt4_dump_line(const pkt4_t *pkt, char *buf, size_t size);

/** Kea 2.2's Pkt4::toText() of @pkt, received on @local:@lport from
 *  @remote:@rport (the text of DHCP4_PACKET_DROP_0010 / 0013): the header line,
 *  then "options:" and one "  type=053, len=001: 1 (uint8)" line per option
 *  in code order. Option 53 is shown as Kea does; the others as Kea shows an
 *  option without a definition (colon-separated hex), which for a defined one
 *  (e.g. 55, 61) is not Kea's wording. Cut with "..." when @size is short.
 *  Any thread. */
const char *pkt4_dump_kea(const pkt4_t *pkt, uint32_t local, uint16_t lport, uint32_t remote,
                          uint16_t rport, char *buf, size_t size);
