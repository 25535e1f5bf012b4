/* lessor-lease4-batch: lessor's own command between two lessor HA peers
 * (src/ha/README.md "Throughput"). Kea 2.2 has no lease4 bulk command, so a
 * Kea partner gets one lease4-update / lease4-del per lease; a lessor partner
 * (version-get says "lessor") gets many in one request:
 *
 *   {"command": "lessor-lease4-batch", "arguments": {"leases": [
 *        {"command": "lease4-update", "arguments": {...}},
 *        {"command": "lease4-del", "arguments": {...}}, ...]}}
 *
 * Each item is applied with Kea's per-lease semantics (the very code of
 * lease4-update / lease4-del) on one lease connection, which is synced once:
 * one fdatasync (memfile group commit) or one transaction (SQL) for the batch,
 * still durable before the answer. The answer lists each item's own answer
 * map, in order: {"result": 0, "arguments": {"results": [{"result": R,
 * "text": T}, ...]}}. A failed sync fails the whole batch (nothing in it is
 * acknowledged). */
#include <errno.h>
#include <string.h>

#include "ctl/ctl-int.h"

/* A partner sends at most HA_BATCH_MAX (ha-int.h); more is hostile. */
#define CTL_LEASE_BATCH_MAX 1024

static json_t *one(ctl_t *ctl, lease_conn_t *c, json_t *item)
{
	const char *cmd = json_string_value(json_object_get(item, "command"));
	json_t *args = json_object_get(item, "arguments");

	if (cmd == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "batch item without a 'command' string");
	}
	if (strcmp(cmd, "lease4-update") == 0) {
		return ctl_lease4_update_on(ctl, c, args);
	}
	if (strcmp(cmd, "lease4-del") == 0) {
		return ctl_lease4_del_on(ctl, c, args);
	}
	return ctl_answer(CTL_RESULT_UNSUPPORTED, NULL, "'%.64s' is not a batch command", cmd);
}

json_t *ctl_cmd_lessor_lease4_batch(ctl_t *ctl, json_t *args)
{
	json_t *list = json_object_get(args, "leases");
	size_t i;
	json_t *item;

	if (!json_is_array(list)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'leases' must be a list");
	}
	if (json_array_size(list) > CTL_LEASE_BATCH_MAX) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "more than %d leases in one batch",
		                  CTL_LEASE_BATCH_MAX);
	}
	if (ctl->env.store == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "lease database is not available");
	}
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	int r = lease_conn_open(ctl->env.store, &c);
	if (r < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "unable to open lease database: %s",
		                  strerror(-r));
	}
	json_t *results = json_array();
	if (results == NULL) {
		return NULL;
	}
	json_array_foreach(list, i, item)
	{
		json_t *ans = json_is_object(item) ? one(ctl, c, item)
		                                   : ctl_answer(CTL_RESULT_ERROR, NULL, "batch item is not a map");

		if (ans == NULL || json_array_append_new(results, ans) < 0) {
			json_decref(results);
			return NULL;
		}
	}
	if (ctl_sync_later != NULL && *ctl_sync_later == NULL) {
		/* the dedicated listener syncs it after the ctl lock, beside the
		 * other lanes' batches, and fails the whole answer if that fails */
		*ctl_sync_later = TAKE_PTR(c);
		r = 0;
	} else {
		r = lease_conn_sync(c);
	}
	if (r < 0) {
		json_decref(results);
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s", strerror(-r));
	}
	return ctl_answer(CTL_RESULT_SUCCESS, json_pack("{s:o}", "results", results),
	                  "%zu leases applied", json_array_size(list));
}

json_t *ctl_lease4_get_many(ctl_t *ctl, const uint32_t *addrs, size_t n)
{
	_cleanup_(lease_conn_closep) lease_conn_t *c = NULL;
	json_t *out = json_array();

	pthread_mutex_lock(&ctl->lock);
	int r = out != NULL && ctl->env.store != NULL ? lease_conn_open(ctl->env.store, &c) : -ENOMEM;
	for (size_t i = 0; r == 0 && i < n; i++) {
		lease4_t l;
		int g = lease_get_by_addr(c, addrs[i], &l);
		json_t *j = g == 0 ? ctl_lease4_json(&l) : g == -ENOENT ? json_null() : NULL;

		/* a lease that cannot be read is no reason to tell the partner to delete it */
		r = j != NULL && json_array_append_new(out, j) == 0 ? 0 : -EIO;
	}
	pthread_mutex_unlock(&ctl->lock);
	if (r < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}
