/* libdhcp_ha.so's commands and status-get's HA block as Kea 2.2 answers them
 * (ha_impl.cc, ha_service.cc); see ha.h. ctl thread, ctl lock held. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cfg/cfg-current.h"
#include "ha/ha-int.h"
#include "util/log.h"
#include "util/macro.h"

static json_t *answer(int result, json_t *args, const char *text)
{
	json_t *a = json_pack("{s:i, s:s}", "result", result, "text", text);

	if (a != NULL && args != NULL && json_object_set_new(a, "arguments", args) < 0) {
		json_decref(a);
		return NULL;
	}
	if (a == NULL) {
		json_decref(args);
	}
	return a;
}

/* The served scopes' names as a NULL-terminated list. Lock held. */
static void scope_list(const ha_t *ha, const cfg_ha_t *h, const char *out[3])
{
	const char *names[2];
	size_t n = 0;

	ha_scope_names(h, names);
	for (int k = 0; k < 2; k++) {
		if (ha->active && ha->serve[k] && names[k] != NULL &&
		    (ha_fsm_dhcp_enabled(ha->state) || ha->scopes_set)) {
			out[n++] = names[k];
		}
	}
	out[n] = NULL;
}

static json_t *cmd_heartbeat(ha_t *ha, const cfg_ha_t *h)
{
	const char *scopes[3];

	pthread_mutex_lock(&ha->lock);
	scope_list(ha, h, scopes);
	json_t *list = ha_msg_heartbeat_answer(ha->state, scopes, atomic_load(&ha->unsent), time(NULL));
	pthread_mutex_unlock(&ha->lock);
	json_t *a = json_incref(json_array_get(list, 0));
	json_decref(list);
	return a;
}

/* ha-scopes {"scopes": [names]}: serve exactly these until the next transition. */
static json_t *cmd_scopes(ha_t *ha, const cfg_ha_t *h, json_t *args)
{
	const char *names[2];
	bool serve[2] = { false, false };
	json_t *sc = json_is_object(args) ? json_object_get(args, "scopes") : NULL, *v;
	size_t i;

	if (!json_is_object(args)) {
		return answer(1, NULL, "arguments not found in the 'ha-scopes' command");
	}
	if (!json_is_array(sc)) {
		return answer(1, NULL, "'scopes' is mandatory for the 'ha-scopes' command");
	}
	ha_scope_names(h, names);
	json_array_foreach(sc, i, v) {
		int k = -1;

		if (!json_is_string(v)) {
			return answer(1, NULL, "scope name must be a string in the 'scopes' argument");
		}
		for (int j = 0; j < 2; j++) {
			if (names[j] != NULL && strcmp(names[j], json_string_value(v)) == 0) {
				k = j;
			}
		}
		if (k < 0) {
			char t[300];

			snprintf(t, sizeof(t), "invalid server name specified '%s' while enabling/disabling HA scopes",
			         json_string_value(v));
			return answer(1, NULL, t);
		}
		serve[k] = true;
	}
	pthread_mutex_lock(&ha->lock);
	memcpy(ha->serve, serve, sizeof(serve));
	ha->scopes_set = true;
	ha_publish_locked(ha, h);
	pthread_mutex_unlock(&ha->lock);
	return answer(0, NULL, "New HA scopes configured.");
}

/* The partner's last known state predates the cancel (it said in-maintenance
 * or partner-in-maintenance): acting on it would go straight back into
 * maintenance. Wait for a fresh heartbeat, soon. Lock held. */
static void maintenance_canceled_locked(ha_t *ha)
{
	ha->maint_canceled = true;
	ha->maint_cancel_ms = ha->next_hb_ms = ha_now_ms();
	pthread_cond_signal(&ha->wake);
}

/* ha-maintenance-notify {"cancel": bool}: the partner asks us into (or out
 * of) in-maintenance. */
static json_t *cmd_maintenance_notify(ha_t *ha, const cfg_ha_t *h, json_t *args)
{
	json_t *c = json_is_object(args) ? json_object_get(args, "cancel") : NULL;
	char t[200];

	if (!json_is_boolean(c)) {
		return answer(1, NULL, "'cancel' is mandatory for the 'ha-maintenance-notify' command");
	}
	pthread_mutex_lock(&ha->lock);
	cfg_ha_state_t st = ha->state;
	json_t *a;
	if (json_is_true(c)) {
		if (st == CFG_HA_ST_IN_MAINTENANCE) {
			ha_set_state_locked(ha, h, ha->before_maintenance);
			maintenance_canceled_locked(ha);
		}
		a = answer(0, NULL, "Server maintenance canceled.");
	} else if (st == CFG_HA_ST_BACKUP || st == CFG_HA_ST_PARTNER_IN_MAINTENANCE ||
	           st == CFG_HA_ST_PASSIVE_BACKUP || st == CFG_HA_ST_TERMINATED) {
		snprintf(t, sizeof(t), "Unable to transition the server from the %s to in-maintenance state.",
		         cfg_ha_state_name(st));
		a = answer(1, NULL, t);
	} else {
		if (st != CFG_HA_ST_IN_MAINTENANCE) {
			ha->before_maintenance = st;
			ha_set_state_locked(ha, h, CFG_HA_ST_IN_MAINTENANCE);
		}
		a = answer(0, NULL, "Server is in-maintenance state.");
	}
	pthread_mutex_unlock(&ha->lock);
	return a;
}

static int notify_partner(const cfg_ha_t *h, bool cancel, char *err, size_t errlen)
{
	ha_http_t c = { 0 };
	json_t *ans = NULL, *cmd = ha_msg_command("ha-maintenance-notify", json_pack("{s:b}", "cancel", cancel));
	int r = cmd != NULL ? ha_http_post(&c, ha_partner(h), cmd, 10000, &ans, err, errlen) : -ENOMEM;

	if (r == 0 && ha_result(ans) != 0) {
		json_t *t = json_object_get(ans, "text");

		snprintf(err, errlen, "%s", json_is_string(t) ? json_string_value(t) : "error");
		r = ha_result(ans) == 2 ? -EIO : -EPROTO;
	}
	json_decref(ans);
	json_decref(cmd);
	ha_http_done(&c);
	return r;
}

static json_t *cmd_maintenance_start(ha_t *ha, const cfg_ha_t *h)
{
	char err[256] = "";

	if (ha_partner(h) == NULL) {
		return answer(1, NULL, "Unable to transition to the partner-down state: no partner.");
	}
	int r = notify_partner(h, false, err, sizeof(err));

	pthread_mutex_lock(&ha->lock);
	json_t *a;
	if (r == -EPROTO) {
		a = answer(1, NULL, err);       /* the partner refused */
	} else if (r < 0) {
		ha_set_state_locked(ha, h, CFG_HA_ST_PARTNER_DOWN);
		a = answer(0, NULL, "Server is now in the partner-down state as its partner appears to be "
		                    "offline for maintenance.");
	} else {
		ha_set_state_locked(ha, h, CFG_HA_ST_PARTNER_IN_MAINTENANCE);
		a = answer(0, NULL, "Server is now in the partner-in-maintenance state and its partner is "
		                    "in-maintenance state. The partner can be now safely shut down.");
	}
	pthread_mutex_unlock(&ha->lock);
	return a;
}

static json_t *cmd_maintenance_cancel(ha_t *ha, const cfg_ha_t *h)
{
	char err[256] = "";

	pthread_mutex_lock(&ha->lock);
	bool ok = ha->state == CFG_HA_ST_PARTNER_IN_MAINTENANCE;
	pthread_mutex_unlock(&ha->lock);
	if (!ok) {
		return answer(1, NULL, "Unable to cancel the maintenance for the server not in the "
		                       "partner-in-maintenance state.");
	}
	if (notify_partner(h, true, err, sizeof(err)) < 0) {
		char t[400];

		snprintf(t, sizeof(t), "Unable to cancel maintenance. The partner server responded with "
		                       "the following message to the ha-maintenance-notify command: %s.", err);
		return answer(1, NULL, t);
	}
	pthread_mutex_lock(&ha->lock);
	ha_set_state_locked(ha, h, CFG_HA_ST_WAITING);
	maintenance_canceled_locked(ha);
	pthread_mutex_unlock(&ha->lock);
	return answer(0, NULL, "Server maintenance successfully canceled.");
}

/* ha-continue: Kea's unpauseModel(). */
static json_t *cmd_continue(ha_t *ha, const cfg_ha_t *h)
{
	pthread_mutex_lock(&ha->lock);
	bool was = ha->paused;
	ha->paused = false;
	pthread_cond_signal(&ha->wake);
	pthread_mutex_unlock(&ha->lock);
	if (was) {
		log_info(HA_LOGGER, "HA_STATE_MACHINE_CONTINUED", "%s: state machine is un-paused",
		         h->this_server_name);
	}
	return answer(0, NULL, was ? "HA state machine continues." : "HA state machine is not paused.");
}

static json_t *cmd_reset(ha_t *ha)
{
	pthread_mutex_lock(&ha->lock);
	bool waiting = ha->state == CFG_HA_ST_WAITING;
	ha->reset = !waiting;
	pthread_cond_signal(&ha->wake);
	pthread_mutex_unlock(&ha->lock);
	return answer(0, NULL, waiting ? "HA state machine already in WAITING state." : "HA state machine reset.");
}

/* ha-sync {"server-name", "max-period"}: a sync now, on the ctl thread, as Kea
 * runs it synchronously in the command. */
static json_t *cmd_sync(ha_t *ha, const cfg_ha_t *h, json_t *args)
{
	json_t *sn = json_is_object(args) ? json_object_get(args, "server-name") : NULL;
	json_t *mp = json_is_object(args) ? json_object_get(args, "max-period") : NULL;
	char err[256] = "";
	ha_http_t c = { 0 };

	if (!json_is_object(args)) {
		return answer(1, NULL, "arguments not found in the 'ha-sync' command");
	}
	if (!json_is_string(sn)) {
		return answer(1, NULL, "'server-name' is mandatory for the 'ha-sync' command");
	}
	if (mp != NULL && (!json_is_integer(mp) || json_integer_value(mp) <= 0 ||
	                   json_integer_value(mp) > UINT32_MAX)) {
		return answer(1, NULL, "'max-period' must be a positive integer in the 'ha-sync' command");
	}
	const cfg_ha_peer_t *p = ha_partner(h);
	if (p == NULL || strcmp(p->name, json_string_value(sn)) != 0) {
		char t[300];

		snprintf(t, sizeof(t), "server name '%s' not found in the HA configuration",
		         json_string_value(sn));
		return answer(1, NULL, t);
	}
	uint32_t period = mp != NULL ? (uint32_t)json_integer_value(mp) : MAX(h->sync_timeout / 1000, 1u);
	int r = ha_sync_run(ha, &c, h, period, err, sizeof(err));

	ha_http_done(&c);
	return r == 0 ? answer(0, NULL, "Lease database synchronization complete.") : answer(1, NULL, err);
}

/* The partner finished its sync: serve again (Kea waits for a heartbeat first
 * in partner-down; our next round's heartbeat does that). */
static json_t *cmd_sync_complete_notify(ha_t *ha)
{
	json_t *ans = ha_local(ha, "dhcp-enable", json_pack("{s:s}", "origin", "ha-partner"));
	int r = ha_result(ans);

	json_decref(ans);
	if (r != 0) {
		return answer(1, NULL, "unable to enable the DHCP service");
	}
	return answer(0, NULL, "Server successfully notified about the synchronization completion.");
}

json_t *ha_command(ha_t *ha, const char *name, json_t *args)
{
	const cfg_t *cfg = cfg_acquire();
	const cfg_ha_t *h = cfg != NULL && cfg->hooks.ha ? cfg->ha : NULL;
	json_t *a;

	if (h == NULL) {
		a = answer(1, NULL, "HA service is not configured");
	} else if (strcmp(name, "ha-heartbeat") == 0) {
		a = cmd_heartbeat(ha, h);
	} else if (strcmp(name, "ha-scopes") == 0) {
		a = cmd_scopes(ha, h, args);
	} else if (strcmp(name, "ha-continue") == 0) {
		a = cmd_continue(ha, h);
	} else if (strcmp(name, "ha-reset") == 0) {
		a = cmd_reset(ha);
	} else if (strcmp(name, "ha-maintenance-notify") == 0) {
		a = cmd_maintenance_notify(ha, h, args);
	} else if (strcmp(name, "ha-maintenance-start") == 0) {
		a = cmd_maintenance_start(ha, h);
	} else if (strcmp(name, "ha-maintenance-cancel") == 0) {
		a = cmd_maintenance_cancel(ha, h);
	} else if (strcmp(name, "ha-sync") == 0) {
		a = cmd_sync(ha, h, args);
	} else if (strcmp(name, "ha-sync-complete-notify") == 0) {
		a = cmd_sync_complete_notify(ha);
	} else {
		a = answer(2, NULL, "command not supported");
	}
	cfg_release(cfg);
	return a;
}

static json_t *scopes_json(const char *const *names)
{
	json_t *l = json_array();

	for (size_t i = 0; l != NULL && names[i] != NULL; i++) {
		json_array_append_new(l, json_string(names[i]));
	}
	return l;
}

json_t *ha_status(ha_t *ha)
{
	const cfg_t *cfg = cfg_acquire();
	const cfg_ha_t *h = cfg != NULL && cfg->hooks.ha ? cfg->ha : NULL;
	const cfg_ha_peer_t *p = h != NULL ? ha_partner(h) : NULL;
	const char *scopes[3], *names[2], *rs[3];
	json_t *out = NULL;

	if (h == NULL) {
		cfg_release(cfg);
		return NULL;
	}
	pthread_mutex_lock(&ha->lock);
	scope_list(ha, h, scopes);
	ha_scope_names(h, names);
	size_t n = 0;
	for (int k = 0; k < 2; k++) {
		if (ha->last_hb.scope[k] && names[k] != NULL) {
			rs[n++] = names[k];
		}
	}
	rs[n] = NULL;
	json_t *servers = json_pack("{s:{s:s, s:o, s:s}}", "local", "role",
	                            cfg_ha_role_name(h->peers[h->self].role), "scopes", scopes_json(scopes),
	                            "state", cfg_ha_state_name(ha->state));
	if (servers != NULL && p != NULL) {
		int64_t now = ha_now_ms();
		bool interrupted = now - ha->last_ok_ms > (int64_t)h->max_response_delay;
		const char *last = ha->in_touch && ha->partner != HA_PARTNER_UNAVAILABLE
		                           ? cfg_ha_state_name((cfg_ha_state_t)ha->partner)
		                           : ha->in_touch ? "unavailable" : "";

		/* Kea: how many more unacked clients make it take over (0 unless interrupted) */
		json_int_t left = interrupted && h->max_unacked_clients + 1 > ha->n_unacked
		                          ? (json_int_t)(h->max_unacked_clients + 1 - ha->n_unacked)
		                          : 0;

		json_object_set_new(servers, "remote",
		                    json_pack("{s:I, s:I, s:b, s:I, s:b, s:o, s:s, s:s, s:I, s:I}", "age",
		                              (json_int_t)(ha->in_touch ? (now - ha->last_hb_ms) / 1000 : 0),
		                              "analyzed-packets", (json_int_t)ha->analyzed,
		                              "communication-interrupted", interrupted, "connecting-clients",
		                              (json_int_t)ha->n_clients, "in-touch", ha->in_touch, "last-scopes",
		                              scopes_json(rs), "last-state", last, "role", cfg_ha_role_name(p->role),
		                              "unacked-clients", (json_int_t)ha->n_unacked,
		                              "unacked-clients-left", left));
	}
	pthread_mutex_unlock(&ha->lock);
	if (servers != NULL) {
		out = json_pack("[{s:s, s:o}]", "ha-mode", cfg_ha_mode_name(h->mode), "ha-servers", servers);
	}
	cfg_release(cfg);
	return out;
}
