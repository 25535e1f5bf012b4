/* lessor-probe's protocol half: the client messages of one DORA (+ RELEASE)
 * and the reading of a server's reply. No sockets here (src/probe-main.c has
 * them), so the unit tests drive it with bytes. Any thread. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROBE_PKT_MAX 576

typedef struct probe_client {
	uint8_t mac[6];
	uint32_t xid;
	uint32_t giaddr;        /* host order; 0 = directly connected */
	bool broadcast;         /* set the BROADCAST flag */
} probe_client_t;

/** Build a DISCOVER, a REQUEST (SELECTING: @server_id and @addr; INIT-REBOOT
 *  when @server_id is 0) or a RELEASE (ciaddr @addr, @server_id) into @buf
 *  (PROBE_PKT_MAX bytes). Returns the length. */
size_t probe_build(const probe_client_t *c, int msg_type, uint32_t addr, uint32_t server_id,
                   uint8_t *buf);

typedef struct probe_reply {
	int msg_type;           /* DHCPOFFER, DHCPACK, DHCPNAK, ... */
	uint32_t yiaddr;        /* host order */
	uint32_t server_id;     /* option 54, 0 if absent */
	uint32_t lease_time;    /* option 51, 0 if absent */
	uint32_t mask;          /* option 1, 0 if absent */
	uint32_t router;        /* first of option 3, 0 if absent */
	char message[256];      /* option 56 (NAK reason), "" if absent */
} probe_reply_t;

/** Is @buf (@len bytes; hostile) a reply to @c's exchange (BOOTREPLY, same xid
 *  and chaddr)? 0 with *ret filled, -EBADMSG when it is not. */
int probe_parse_reply(const probe_client_t *c, const uint8_t *buf, size_t len, probe_reply_t *ret);

/** Parse "02:00:00:00:00:01" (also '-' separated). 0 or -EINVAL. */
int probe_parse_mac(const char *s, uint8_t mac[6]);
