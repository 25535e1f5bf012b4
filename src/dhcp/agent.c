/* Relay agent information (option 82) sub-option parser. */
#include "dhcp/agent.h"

#include <errno.h>
#include <string.h>

#include "dhcp/proto.h"
#include "util/macro.h"
#include "util/wire.h"

/* Where the sub-options end: Kea 2.2 stops at a sub-option that runs past
 * option 82 and keeps the ones before it (the packet is still answered). */
static size_t agent_end(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && n - i >= 2 && p[i + 1] <= n - i - 2) {
		i += 2 + (size_t)p[i + 1];
	}
	return i;
}

int agent_parse(const opt_view_t *o82, agent_t *ret)
{
	if (o82 == NULL || o82->count == 0) {
		return -ENOENT;
	}

	const uint8_t *p = o82->data;
	size_t n = agent_end(p, o82->len);

	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < n; i += 2 + (size_t)p[i + 1]) {
		opt_view_t *v = &ret->sub[p[i]];

		if (v->count == 0) {
			*v = (opt_view_t){ .data = p + i + 2, .len = p[i + 1], .count = 1 };
		} else if (v->count < UINT8_MAX) {
			v->count++;
		}
	}
	return 0;
}

int agent_canonical(const opt_view_t *o82, uint8_t *out, size_t cap)
{
	const uint8_t *p = o82->data;
	size_t n = agent_end(p, o82->len), total = 0;
	uint32_t sum[256] = { 0 };
	bool seen[256] = { false };
	size_t pos[256], fill[256] = { 0 };

	/* Pass 1: validate and add up each code's data (O(n) however many
	 * repeats), then place each code's block in code order. */
	for (size_t i = 0; i < n; i += 2 + (size_t)p[i + 1]) {
		sum[p[i]] += p[i + 1];
		seen[p[i]] = true;
	}
	for (unsigned c = 0; c < 256; c++) {
		/* an all-empty code still goes out once, empty */
		size_t pieces = !seen[c] ? 0 : sum[c] == 0 ? 1 : (sum[c] + 254) / 255;

		pos[c] = total;
		total += sum[c] + 2 * pieces;
	}
	if (total > cap) {
		return -ENOBUFS;
	}
	/* Pass 2: data byte d of code c goes after d / 255 + 1 headers. */
	for (size_t i = 0; i < n; i += 2 + (size_t)p[i + 1]) {
		uint8_t c = p[i];

		for (size_t k = 0; k < p[i + 1]; k++, fill[c]++) {
			out[pos[c] + fill[c] + 2 * (fill[c] / 255 + 1)] = p[i + 2 + k];
		}
	}
	for (unsigned c = 0; c < 256; c++) {
		size_t len = fill[c], at = pos[c];

		if (!seen[c]) {
			continue;
		}
		do {
			size_t piece = MIN(len, (size_t)255);

			out[at] = (uint8_t)c;
			out[at + 1] = (uint8_t)piece;
			at += 2 + piece;
			len -= piece;
		} while (len > 0);
	}
	return (int)total;
}

const opt_view_t *agent_circuit_id(const agent_t *a)
{
	return agent_sub(a, RAI_CIRCUIT_ID);
}

const opt_view_t *agent_remote_id(const agent_t *a)
{
	return agent_sub(a, RAI_REMOTE_ID);
}

static int sub_addr(const agent_t *a, uint8_t code, uint32_t *ret_addr)
{
	const opt_view_t *v = agent_sub(a, code);

	if (v == NULL) {
		return -ENOENT;
	}
	if (v->len != 4) {
		return -EBADMSG;
	}
	*ret_addr = be32_load(v->data);
	return 0;
}

int agent_link_selection(const agent_t *a, uint32_t *ret_addr)
{
	/* RFC 3527 §3: the sub-option carries one IPv4 address (length 4);
	 * anything else is ignored and giaddr selects the subnet. */
	return sub_addr(a, RAI_LINK_SELECTION, ret_addr);
}

int agent_server_id_override(const agent_t *a, uint32_t *ret_addr)
{
	/* RFC 5107 §4: length 4, the address the client will use as the
	 * server identifier. */
	return sub_addr(a, RAI_SERVER_ID_OVERRIDE, ret_addr);
}

bool agent_has_relay_port(const agent_t *a)
{
	return agent_sub(a, RAI_RELAY_PORT) != NULL;
}

uint16_t agent_reply_port(const agent_t *a, uint16_t relay_src_port)
{
	/* RFC 8357 §5.2: a relay that adds sub-option 19 listens on the port
	 * it sent from. Without it the reply goes to 67, even if the relay
	 * used another source port (docs: the 2021 relay-from-68 incident). */
	if (a != NULL && agent_has_relay_port(a) && relay_src_port != 0) {
		return relay_src_port;
	}
	return DHCP_SERVER_PORT;
}
