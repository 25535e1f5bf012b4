/* store-extended-info (see extinfo.h). */
#include "engine/extinfo.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "cfg/cfg-json.h"
#include "dhcp/agent.h"
#include "util/macro.h"

int extinfo_set_relay(const opt_view_t *rai, char *uctx, size_t cap)
{
	uint8_t canon[DHCP_PKT_MAX];
	char hex[2 + 2 * sizeof(canon) + 1];
	int n = agent_canonical(rai, canon, sizeof(canon));

	if (n < 0) {
		return n;
	}
	/* Option::toHexString(): "0x" and the digits, or "" for no bytes */
	hex[0] = '\0';
	if (n > 0) {
		static const char digits[] = "0123456789ABCDEF";

		memcpy(hex, "0x", 2);
		for (int i = 0; i < n; i++) {
			hex[2 + 2 * i] = digits[canon[i] >> 4];
			hex[3 + 2 * i] = digits[canon[i] & 15];
		}
		hex[2 + 2 * n] = '\0';
	}
	_cleanup_(json_decrefp) json_t *ctx =
	        uctx[0] != '\0' ? json_loads(uctx, JSON_REJECT_DUPLICATES, NULL) : json_object();
	if (!json_is_object(ctx)) {
		return ctx == NULL && uctx[0] == '\0' ? -ENOMEM : -EINVAL;
	}
	json_t *isc = json_pack("{s:s}", "relay-agent-info", hex);
	if (isc == NULL || json_object_set_new(ctx, "ISC", isc) < 0) {
		return -ENOMEM;
	}
	_cleanup_free_ char *text = cfg_json_kea_str(ctx);
	if (text == NULL) {
		return -ENOMEM;
	}
	size_t len = strlen(text);
	if (len >= cap) {
		return -ENOSPC;
	}
	memcpy(uctx, text, len + 1);
	return 0;
}
