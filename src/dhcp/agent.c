/* Relay agent information (option 82) sub-option parser. */
#include "dhcp/agent.h"

#include <errno.h>
#include <string.h>

#include "dhcp/proto.h"
#include "util/wire.h"

int agent_parse(const opt_view_t *o82, agent_t *ret)
{
	if (o82 == NULL || o82->count == 0) {
		return -ENOENT;
	}

	/* Validate first so that @ret is untouched on failure without paying
	 * for a 4 KiB copy on success. */
	const uint8_t *p = o82->data;
	size_t n = o82->len;
	size_t i = 0;

	while (i < n) {
		if (n - i < 2 || p[i + 1] > n - i - 2) {
			return -EBADMSG;
		}
		i += 2 + (size_t)p[i + 1];
	}

	memset(ret, 0, sizeof(*ret));
	for (i = 0; i < n; i += 2 + (size_t)p[i + 1]) {
		opt_view_t *v = &ret->sub[p[i]];

		if (v->count == 0) {
			*v = (opt_view_t){ .data = p + i + 2, .len = p[i + 1], .count = 1 };
		} else if (v->count < UINT8_MAX) {
			v->count++;
		}
	}
	return 0;
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
