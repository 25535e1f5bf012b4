/* Kea's lease sync from the partner (kea-ha-protocol.md §2 "Sync"):
 * dhcp-disable before every page (a watchdog the partner expires), pages of
 * lease4-get-page by sync-page-limit, each lease merged by cltt, then
 * ha-sync-complete-notify (dhcp-enable when the partner does not know it, and
 * after a failure). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ha/ha-int.h"
#include "util/log.h"

/* One command to the partner; 0 when it answered @ok1 or @ok2 (result codes). */
static int ask(ha_http_t *c, const cfg_ha_peer_t *p, json_t *cmd, long timeout, json_t **ret, int ok1,
               int ok2, char *err, size_t errlen)
{
	json_t *ans = NULL;
	int r = cmd != NULL ? ha_http_post(c, p, cmd, timeout, &ans, err, errlen) : -ENOMEM;

	json_decref(cmd);
	if (r == 0 && ha_result(ans) != ok1 && ha_result(ans) != ok2) {
		json_t *t = json_object_get(ans, "text");

		snprintf(err, errlen, "%s", json_is_string(t) ? json_string_value(t) : "error");
		r = -EPROTO;
	}
	if (r == 0 && ret != NULL) {
		*ret = ans;
	} else {
		json_decref(ans);
	}
	return r;
}

/* Merge one of the partner's leases: insert when we have none, update when
 * ours is older (cltt), keep ours otherwise (Kea's asyncSyncLeasesInternal). */
static int merge(ha_t *ha, json_t *l)
{
	json_t *ip = json_object_get(l, "ip-address"), *cltt = json_object_get(l, "cltt");
	json_t *vl = json_object_get(l, "valid-lft");

	if (!json_is_string(ip) || !json_is_integer(cltt) || !json_is_integer(vl)) {
		return -EPROTO;
	}
	json_t *mine = ha_local(ha, "lease4-get", json_pack("{s:O}", "ip-address", ip));
	json_t *mcltt = json_object_get(json_object_get(mine, "arguments"), "cltt");
	bool newer = ha_result(mine) != 0 || !json_is_integer(mcltt) ||
	             json_integer_value(mcltt) < json_integer_value(cltt);

	json_decref(mine);
	if (!newer) {
		return 0;
	}
	json_t *args = json_deep_copy(l);
	if (args == NULL) {
		return -ENOMEM;
	}
	json_object_set_new(args, "expire", json_integer(json_integer_value(cltt) + json_integer_value(vl)));
	json_object_del(args, "cltt");
	json_object_set_new(args, "force-create", json_true());
	json_t *ans = ha_local(ha, "lease4-update", args);
	int r = ha_result(ans) == 0 ? 0 : -EIO;

	json_decref(ans);
	return r;
}

static int pages(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, const cfg_ha_peer_t *p, uint32_t period,
                 size_t *ret_n, char *err, size_t errlen)
{
	char from[64] = "start";
	int r;

	for (;;) {
		json_t *ans = NULL, *v;
		size_t i;

		r = ask(c, p, ha_msg_command("dhcp-disable", json_pack("{s:s, s:I}", "origin", "ha-partner",
		                                                          "max-period", (json_int_t)period)),
		        (long)h->sync_timeout, NULL, 0, 0, err, errlen);
		if (r < 0) {
			return r;
		}
		r = ask(c, p, ha_msg_command("lease4-get-page", json_pack("{s:s, s:I}", "from", from, "limit",
		                                                            (json_int_t)h->sync_page_limit)),
		        (long)h->sync_timeout, &ans, 0, 3, err, errlen);
		if (r < 0) {
			return r;
		}
		json_t *leases = json_object_get(json_object_get(ans, "arguments"), "leases");
		size_t n = json_is_array(leases) ? json_array_size(leases) : 0;
		json_array_foreach(leases, i, v) {
			if (r == 0 && (r = merge(ha, v)) < 0) {
				snprintf(err, errlen, "failed to store a lease received from %s", p->name);
			}
		}
		json_t *last = json_object_get(json_array_get(leases, n > 0 ? n - 1 : 0), "ip-address");
		if (r == 0 && n >= h->sync_page_limit && json_is_string(last)) {
			snprintf(from, sizeof(from), "%s", json_string_value(last));
		}
		*ret_n += n;
		json_decref(ans);
		if (r < 0 || n < h->sync_page_limit || !json_is_string(last)) {
			return r;
		}
	}
}

int ha_sync_run(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, uint32_t max_period_s, char *err,
                size_t errlen)
{
	const cfg_ha_peer_t *p = ha_partner(h);
	char e2[128];
	size_t n = 0;

	if (p == NULL) {
		snprintf(err, errlen, "no partner to synchronize with");
		return -ENOENT;
	}
	log_info(HA_LOGGER, "HA_SYNC_START", "%s: starting lease database synchronization with %s",
	         h->this_server_name, p->name);
	int r = pages(ha, c, h, p, max_period_s, &n, err, errlen);

	/* result 2: a partner older than ha-sync-complete-notify; enable it directly */
	if (r < 0 || ask(c, p, ha_msg_command("ha-sync-complete-notify", NULL), 10000, NULL, 0, 0, e2,
	                 sizeof(e2)) < 0) {
		(void)ask(c, p, ha_msg_command("dhcp-enable", json_pack("{s:s}", "origin", "ha-partner")),
		          10000, NULL, 0, 0, e2, sizeof(e2));
	}
	if (r == 0) {
		log_info(HA_LOGGER, "HA_SYNC_SUCCESSFUL",
		         "%s: lease database synchronization with %s completed successfully: %zu leases received",
		         h->this_server_name, p->name, n);
	}
	return r;
}
