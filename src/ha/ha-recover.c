/* communication-recovery (Kea 2.2, load-balancing with delayed-updates-limit
 * > 0): while the partner does not answer but is not judged down, each server
 * serves its own scope, replies at once and keeps the lease changes the
 * partner missed; when the partner answers again they are replayed, or, when
 * there were more than delayed-updates-limit (or a replay failed), the
 * partner is sent ha-reset and both resync (kea-ha-protocol.md §2, §4). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ha/ha-int.h"
#include "util/log.h"
#include "util/macro.h"

void ha_backlog_clear_locked(ha_t *ha)
{
	ha->n_backlog = 0;
	ha->backlog_overflow = false;
	ha->recovery = HA_RECOVERY_PENDING;
}

/* Room for one more address, growing towards @limit. Lock held. */
static bool backlog_room_locked(ha_t *ha, uint32_t limit)
{
	if (ha->n_backlog >= limit) {
		return false;
	}
	if (ha->n_backlog < ha->backlog_cap) {
		return true;
	}
	size_t cap = MIN(MAX(ha->backlog_cap * 2, (size_t)64), (size_t)limit);
	uint32_t *b = realloc(ha->backlog, cap * sizeof(*b));

	if (b == NULL) {
		return false;   /* out of memory: an overflow, so both resync */
	}
	ha->backlog = b;
	ha->backlog_cap = cap;
	return true;
}

bool ha_backlog_add(ha_t *ha, const cfg_ha_t *h, uint32_t addr)
{
	pthread_mutex_lock(&ha->lock);
	bool queued = ha->state == CFG_HA_ST_COMMUNICATION_RECOVERY && h->send_lease_updates;

	if (queued && !ha->backlog_overflow) {
		if (backlog_room_locked(ha, h->delayed_updates_limit)) {
			ha->backlog[ha->n_backlog++] = addr;
		} else {
			ha->backlog_overflow = true;
			log_warn(HA_LOGGER, "HA_LEASE_UPDATE_DELAYED_LIMIT",
			         "%s: more than delayed-updates-limit %u lease updates for the partner: "
			         "the servers will resynchronize",
			         h->this_server_name, h->delayed_updates_limit);
		}
	}
	pthread_mutex_unlock(&ha->lock);
	return queued;
}

/* The partner goes back to waiting (and so do we, by the state machine). */
static int send_reset(ha_http_t *c, const cfg_ha_t *h)
{
	char err[256] = "";
	json_t *ans = NULL, *cmd = ha_msg_command("ha-reset", NULL);
	int r = cmd != NULL ? ha_http_post(c, ha_partner(h), cmd, MIN(MAX((long)h->max_response_delay, 100L), 10000L),
	                                   &ans, err, sizeof(err))
	                    : -ENOMEM;

	if (r == 0 && ha_result(ans) != 0) {
		r = -EPROTO;
	}
	if (r < 0) {
		log_warn(HA_LOGGER, "HA_RESET_COMMUNICATIONS_FAILED", "%s: failed to send ha-reset to %s: %s",
		         h->this_server_name, ha_partner(h)->name, err[0] != '\0' ? err : "refused");
	}
	json_decref(cmd);
	json_decref(ans);
	return r;
}

void ha_recover_if_due(ha_t *ha, ha_http_t *c, const cfg_ha_t *h)
{
	pthread_mutex_lock(&ha->lock);
	bool due = ha->state == CFG_HA_ST_COMMUNICATION_RECOVERY && ha->recovery == HA_RECOVERY_PENDING &&
	           (ha->partner == CFG_HA_ST_LOAD_BALANCING || ha->partner == CFG_HA_ST_COMMUNICATION_RECOVERY);
	pthread_mutex_unlock(&ha->lock);
	if (!due) {
		return;
	}
	/* changes parked while the heartbeat waited join the backlog first */
	(void)ha_park_flush(ha, 10000);
	pthread_mutex_lock(&ha->lock);
	bool overflow = ha->backlog_overflow;
	size_t n = ha->n_backlog;
	uint32_t *todo = NULL;

	if (!overflow && n > 0 && (todo = malloc(n * sizeof(*todo))) != NULL) {
		memcpy(todo, ha->backlog, n * sizeof(*todo));
	}
	pthread_mutex_unlock(&ha->lock);
	bool ok = !overflow && (n == 0 || todo != NULL);

	if (ok && n > 0) {
		log_info(HA_LOGGER, "HA_LEASES_BACKLOG_START", "%s: starting to send %zu outstanding lease updates to %s",
		         h->this_server_name, n, ha_partner(h)->name);
	}
	/* one command per lease, as the store has it now (Kea replays its queue) */
	for (size_t i = 0; ok && i < n; i++) {
		ok = ha_send_lease(ha, c, h, todo[i]) == 0;
	}
	free(todo);
	int rec = ok ? HA_RECOVERY_DONE : send_reset(c, h) == 0 ? HA_RECOVERY_RESET : HA_RECOVERY_PENDING;

	if (ok && n > 0) {
		log_info(HA_LOGGER, "HA_LEASES_BACKLOG_SUCCESS", "%s: sending lease updates from backlog to %s successful",
		         h->this_server_name, ha_partner(h)->name);
	}
	pthread_mutex_lock(&ha->lock);
	if (ha->state == CFG_HA_ST_COMMUNICATION_RECOVERY && ok && ha->n_backlog > n) {
		/* changes queued during the replay go next round */
		memmove(ha->backlog, ha->backlog + n, (ha->n_backlog - n) * sizeof(*ha->backlog));
		ha->n_backlog -= n;
	} else if (ha->state == CFG_HA_ST_COMMUNICATION_RECOVERY) {
		ha->recovery = rec;
		ha->backlog_overflow |= !ok;    /* retried as a reset next round */
	}
	pthread_mutex_unlock(&ha->lock);
}
