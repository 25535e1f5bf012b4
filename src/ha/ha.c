/* The HA service: its thread, heartbeats and the state machine's rounds; see
 * ha.h. Commands are in ha-cmd.c, lease updates in ha-park.c (sent by the
 * lanes of ha-lane.c), the sync in ha-sync.c, the peer client in ha-http.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl.h"
#include "ha/ha-int.h"
#include "ha/ha-lb.h"
#include "util/log.h"
#include "util/macro.h"

/* A round at least this often (ms): commands are signalled, but the state
 * machine also reacts to time passing (max-response-delay). */
#define HA_ROUND_MAX_MS 100
/* A request that returns this much later than its timeout was stalled with
 * the whole process (see heartbeat()). */
#define HA_STALL_MS 1000

int64_t ha_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

const cfg_ha_peer_t *ha_partner(const cfg_ha_t *h)
{
	if (h->peers[h->self].role == CFG_HA_BACKUP || h->mode == CFG_HA_PASSIVE_BACKUP) {
		return NULL;
	}
	for (size_t i = 0; i < h->n_peers; i++) {
		if (i != h->self && h->peers[i].role != CFG_HA_BACKUP) {
			return &h->peers[i];
		}
	}
	return NULL;
}

void ha_scope_names(const cfg_ha_t *h, const char *names[2])
{
	names[0] = names[1] = NULL;
	for (size_t i = 0; i < h->n_peers; i++) {
		if (h->peers[i].role == CFG_HA_PRIMARY) {
			names[0] = h->peers[i].name;
		} else if (h->peers[i].role == CFG_HA_SECONDARY) {
			names[1] = h->peers[i].name;
		}
	}
}

json_t *ha_local(ha_t *ha, const char *cmd, json_t *args)
{
	json_t *req = json_pack("{s:s}", "command", cmd);

	if (req == NULL || (args != NULL && json_object_set_new(req, "arguments", args) < 0)) {
		json_decref(req);
		return NULL;
	}
	json_t *ans = ha->ctl != NULL ? ctl_call(ha->ctl, req)
	                              : json_pack("{s:i, s:s}", "result", 1, "text", "no control channel");
	json_decref(req);
	return ans;
}

unsigned ha_filter(const ha_t *ha)
{
	return ha == NULL ? 0 : atomic_load_explicit(&((ha_t *)ha)->filter, memory_order_relaxed);
}

void ha_clients_clear_locked(ha_t *ha)
{
	ha->n_clients = 0;
	ha->n_unacked = 0;
}

/* Kea's CommunicationState4::analyzeMessage(): a client is unacked when its
 * secs exceed max-ack-delay. lessor also counts a client that has kept asking
 * for longer than max-ack-delay since it was first seen unserved: clients that
 * send secs 0 (many do) would otherwise never let the standby take over with
 * max-unacked-clients > 0 (Kea 2.2 stays in hot-standby for ever then). */
void ha_note_client(ha_t *ha, uint64_t client, uint16_t secs)
{
	int64_t now = ha_now_ms();
	struct ha_client *e = NULL;

	if ((ha_filter(ha) & HA_F_ANALYZE) == 0) {
		return;         /* a report from a batch before communication came back */
	}
	pthread_mutex_lock(&ha->lock);
	ha->analyzed++;
	for (size_t i = 0; i < ha->n_clients && e == NULL; i++) {
		if (ha->clients[i].key == client) {
			e = &ha->clients[i];
		}
	}
	if (e == NULL && ha->n_clients < HA_CLIENTS_MAX) {
		e = &ha->clients[ha->n_clients++];
		*e = (struct ha_client){ .key = client, .first_ms = now };
	}
	if (e != NULL && !e->unacked &&
	    (ha_fsm_unacked(secs, ha->max_ack_delay) || now - e->first_ms > (int64_t)ha->max_ack_delay)) {
		e->unacked = true;
		ha->n_unacked++;
	}
	pthread_mutex_unlock(&ha->lock);
}

void ha_note_unsent(ha_t *ha)
{
	atomic_fetch_add_explicit(&ha->unsent, 1, memory_order_relaxed);
}

static bool sends_updates(cfg_ha_state_t st)
{
	return st == CFG_HA_ST_HOT_STANDBY || st == CFG_HA_ST_LOAD_BALANCING ||
	       st == CFG_HA_ST_PARTNER_IN_MAINTENANCE;
}

bool ha_to_partner_locked(const ha_t *ha, const cfg_ha_t *h)
{
	return h->send_lease_updates && ha_partner(h) != NULL && sends_updates(ha->state);
}

bool ha_has_backups(const cfg_ha_t *h)
{
	if (!h->send_lease_updates || h->peers[h->self].role == CFG_HA_BACKUP) {
		return false;   /* Kea: a backup never sends updates */
	}
	for (size_t i = 0; i < h->n_peers; i++) {
		if (i != h->self && h->peers[i].role == CFG_HA_BACKUP) {
			return true;
		}
	}
	return false;
}

void ha_publish_locked(ha_t *ha, const cfg_ha_t *h)
{
	unsigned f = 0;

	if (ha->active && h != NULL) {
		bool serve[2];

		if (ha->scopes_set) {
			memcpy(serve, ha->serve, sizeof(serve));
		} else {
			ha_fsm_scopes(h->mode, h->peers[h->self].role, h->peers[h->self].auto_failover,
			              ha->state, serve);
		}
		f = HA_F_ON;
		/* Kea's adjustNetworkState(): no DHCP at all in waiting, syncing... */
		if (ha_fsm_dhcp_enabled(ha->state) || ha->scopes_set) {
			f |= (serve[0] ? HA_F_SERVE0 : 0) | (serve[1] ? HA_F_SERVE1 : 0);
		}
		/* Kea's leases4_committed: the reply waits for the partner in the
		 * states that update it, and for the backups with wait-backup-ack;
		 * backups hear of every change, in any state */
		bool backups = ha_has_backups(h);
		if (ha_to_partner_locked(ha, h) || (backups && h->wait_backup_ack)) {
			f |= HA_F_PARK;
		} else if (backups || (h->send_lease_updates && ha->state == CFG_HA_ST_COMMUNICATION_RECOVERY)) {
			f |= HA_F_SEND; /* communication-recovery: to the backlog */
		}
		if (ha->interrupted) {
			f |= HA_F_ANALYZE;
		}
		memcpy(ha->serve, serve, sizeof(serve));
	}
	atomic_store_explicit(&ha->filter, f, memory_order_relaxed);
}

static void upper(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < len; i++) {
		buf[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
	}
	buf[i] = '\0';
}

static const char *partner_name(int p)
{
	return p == HA_PARTNER_UNAVAILABLE ? "unavailable" : cfg_ha_state_name((cfg_ha_state_t)p);
}

void ha_set_state_locked(ha_t *ha, const cfg_ha_t *h, cfg_ha_state_t st)
{
	char from[32], to[32], ps[32];
	bool was = ha_fsm_dhcp_enabled(ha->state);

	upper(cfg_ha_state_name(ha->state), from, sizeof(from));
	upper(cfg_ha_state_name(st), to, sizeof(to));
	upper(partner_name(ha->partner), ps, sizeof(ps));
	log_info(HA_LOGGER, "HA_STATE_TRANSITION",
	         "%s: server transitions from %s to %s state, partner state is %s",
	         h->this_server_name, from, to, ps);
	if (st == CFG_HA_ST_PARTNER_DOWN) {
		ha->partner_unsent_at_down = ha->last_hb.unsent_update_count;
	}
	if (st == CFG_HA_ST_SYNCING) {
		ha->sync_done = false;
	}
	if (st == CFG_HA_ST_COMMUNICATION_RECOVERY || ha->state == CFG_HA_ST_COMMUNICATION_RECOVERY) {
		ha_backlog_clear_locked(ha);
	}
	if (st == CFG_HA_ST_TERMINATED && ha->state != st) {
		log_error(HA_LOGGER, "HA_TERMINATED", "%s: HA service terminated due to an unrecoverable "
		          "condition. Check previous error message(s), address the problem and restart!",
		          h->this_server_name);
	}
	ha->state = st;
	ha->scopes_set = false;   /* Kea: every transition serves the state's own scopes */
	if (was != ha_fsm_dhcp_enabled(st)) {
		log_info(HA_LOGGER, was ? "HA_LOCAL_DHCP_DISABLE" : "HA_LOCAL_DHCP_ENABLE",
		         "%s: local DHCP service is %s while the server is in the %s state",
		         h->this_server_name, was ? "disabled" : "enabled", to);
	}
	ha->paused = false;
	ha_pause_on_entry_locked(ha, h);
	ha_publish_locked(ha, h);
}

void ha_pause_on_entry_locked(ha_t *ha, const cfg_ha_t *h)
{
	cfg_ha_pause_t p = h->pause[ha->state];
	unsigned bit = 1u << ha->state;

	if (p == CFG_HA_PAUSE_NEVER || (p == CFG_HA_PAUSE_ONCE && (ha->paused_once & bit) != 0)) {
		return;
	}
	ha->paused_once |= bit;
	ha->paused = true;
	log_info(HA_LOGGER, "HA_STATE_MACHINE_PAUSED", "%s: state machine paused in state %s",
	         h->this_server_name, cfg_ha_state_name(ha->state));
}

static bool heartbeats_wanted(const cfg_ha_t *h, cfg_ha_state_t st)
{
	return ha_partner(h) != NULL && st != CFG_HA_ST_SYNCING && st != CFG_HA_ST_TERMINATED;
}

/* Requests to the partner end within max-response-delay (at most Kea's 10 s),
 * so a partner that stopped answering is judged by the configured figure. */
static long exchange_timeout(const cfg_ha_t *h)
{
	return MIN(MAX((long)h->max_response_delay, 100L), 10000L);
}

static void heartbeat(ha_t *ha, ha_http_t *c, const cfg_ha_t *h)
{
	const char *names[2];
	char err[256] = "";
	ha_heartbeat_t hb;
	json_t *body = NULL, *cmd = ha_msg_command("ha-heartbeat", NULL);
	long timeout = exchange_timeout(h);
	int64_t t0 = ha_now_ms();
	int r = cmd != NULL ? ha_http_post_raw(c, ha_partner(h), cmd, timeout, &body, err, sizeof(err))
	                    : -ENOMEM;

	/* Far past its timeout: this process did not run (SIGSTOP, a paused VM), the
	 * partner may be fine. Ask again rather than go partner-down beside a
	 * partner that took over meanwhile (both would serve). */
	if (r == -EIO && ha_now_ms() - t0 > timeout + HA_STALL_MS) {
		r = ha_http_post_raw(c, ha_partner(h), cmd, timeout, &body, err, sizeof(err));
	}

	ha_scope_names(h, names);
	if (r == 0) {
		r = ha_msg_parse_heartbeat(body, names, &hb, err, sizeof(err));
	}
	json_decref(cmd);
	json_decref(body);

	int64_t now = ha_now_ms();
	pthread_mutex_lock(&ha->lock);
	if (r == 0) {
		ha->maint_canceled = ha->maint_canceled && t0 <= ha->maint_cancel_ms;
		ha->partner = (int)hb.state;
		ha->last_hb = hb;
		ha->in_touch = true;
		ha->hb_warned = false;
		ha_clients_clear_locked(ha);
		ha->last_ok_ms = ha->last_hb_ms = now;
		/* judged when the answer arrives, as Kea (not against a stale date later) */
		time_t mine = time(NULL);
		ha->skew = ha_msg_skew(mine, hb.date_time);
		if (ha->skew == HA_SKEW_WARN) {
			log_warn(HA_LOGGER, "HA_HIGH_CLOCK_SKEW", "%s: partner's clock is %.0fs %s, please "
			         "synchronize clocks!", h->this_server_name, fabs(difftime(hb.date_time, mine)),
			         hb.date_time > mine ? "ahead" : "behind");
		} else if (ha->skew == HA_SKEW_TERMINATE && ha->state != CFG_HA_ST_TERMINATED) {
			log_error(HA_LOGGER, "HA_HIGH_CLOCK_SKEW_CAUSES_TERMINATION",
			          "%s: partner's clock is %.0fs %s, causing HA service to terminate",
			          h->this_server_name, fabs(difftime(hb.date_time, mine)),
			          hb.date_time > mine ? "ahead" : "behind");
		}
	} else {
		if (!ha->hb_warned) {
			ha->hb_warned = true;   /* once per outage, not every heartbeat-delay */
			log_warn(HA_LOGGER, "HA_HEARTBEAT_COMMUNICATIONS_FAILED",
			         "%s: failed to send heartbeat to %s (%s): %s", h->this_server_name,
			         ha_partner(h)->name, ha_partner(h)->url, err);
		}
		ha->partner = HA_PARTNER_UNAVAILABLE;
		/* what answers when it is back may be another implementation */
		atomic_store(&ha->peer_batch, HA_BATCH_UNKNOWN);
	}
	ha->next_hb_ms = now + h->heartbeat_delay;
	pthread_mutex_unlock(&ha->lock);
	if (r == 0 && atomic_load(&ha->peer_batch) == HA_BATCH_UNKNOWN) {
		ha_negotiate(ha, c, h);
	}
}

/* One step of the state machine on what the last heartbeat taught us. */
static void step_locked(ha_t *ha, const cfg_ha_t *h)
{
	const cfg_ha_peer_t *me = &h->peers[h->self];
	bool interrupted = ha_now_ms() - ha->last_ok_ms > (int64_t)h->max_response_delay;
	bool failure = ha_fsm_failure_detected(h->max_unacked_clients, (uint32_t)ha->n_unacked);

	ha->max_ack_delay = h->max_ack_delay;
	if (interrupted != ha->interrupted) {
		ha->interrupted = interrupted;
		if (!interrupted) {
			ha_clients_clear_locked(ha);
		}
		ha_publish_locked(ha, h);
	}
	ha_fsm_in_t in = {
		.mode = h->mode,
		.role = me->role,
		.state = ha->state,
		.partner = ha->partner,
		.sync_leases = h->sync_leases,
		.interrupted = interrupted,
		.partner_down_due = ha_fsm_should_partner_down(interrupted, ha_fsm_dhcp_enabled(ha->state),
		                                               h->mode, me->role, failure),
		.delayed_updates = h->delayed_updates_limit > 0,
		.sync_done = ha->sync_done,
		.partner_unsent_changed = ha->last_hb.unsent_update_count != ha->partner_unsent_at_down,
		.recovery = ha->recovery,
		.terminate = ha->partner != HA_PARTNER_UNAVAILABLE && ha->skew == HA_SKEW_TERMINATE,
	};
	cfg_ha_state_t next = ha->paused || ha->maint_canceled ? ha->state : ha_fsm_next(&in);

	if (next != ha->state) {
		ha_set_state_locked(ha, h, next);
	}
}

/* A configuration with HA appeared: start from waiting, as Kea does. */
static void activate_locked(ha_t *ha, const cfg_ha_t *h)
{
	int64_t now = ha_now_ms();

	ha->active = true;
	ha->state = CFG_HA_ST_WAITING;
	ha->partner = HA_PARTNER_UNAVAILABLE;
	ha->in_touch = false;
	ha->hb_warned = false;
	ha->interrupted = false;
	ha_clients_clear_locked(ha);
	ha->last_ok_ms = now;   /* Kea pokes the communication state at start */
	ha->next_hb_ms = now;
	memset(&ha->last_hb, 0, sizeof(ha->last_hb));
	ha->skew = HA_SKEW_OK;
	log_info(HA_LOGGER, "HA_SERVICE_STARTED", "%s: started high availability service in %s mode as %s server",
	         h->this_server_name, cfg_ha_mode_name(h->mode), cfg_ha_role_name(h->peers[h->self].role));
	/* Kea's service is new at every start: "once" pauses again */
	ha->paused = false;
	ha->paused_once = 0;
	ha_pause_on_entry_locked(ha, h);
	ha_publish_locked(ha, h);
}

/* A reload that changes libdhcp_ha.so's parameters restarts HA into waiting,
 * as Kea does on every reload; an unchanged section keeps the state (and does
 * not resync, unlike Kea). Compared every round (a small object; a snapshot's
 * address may be reused after it is freed). Lock held. */
static bool params_changed_locked(ha_t *ha, const cfg_t *cfg)
{
	if (ha->params != NULL && json_equal(ha->params, cfg->hooks.ha_params)) {
		return false;
	}
	json_decref(ha->params);
	ha->params = json_deep_copy(cfg->hooks.ha_params);
	return true;
}

static void sync_if_due(ha_t *ha, ha_http_t *c, const cfg_ha_t *h)
{
	char err[256] = "";

	pthread_mutex_lock(&ha->lock);
	bool due = ha->state == CFG_HA_ST_SYNCING && !ha->sync_done &&
	           ha->partner != HA_PARTNER_UNAVAILABLE && ha->partner != CFG_HA_ST_TERMINATED;
	pthread_mutex_unlock(&ha->lock);
	if (!due) {
		return;
	}
	int r = ha_sync_run(ha, c, h, MAX(h->sync_timeout / 1000, 1u), err, sizeof(err));

	pthread_mutex_lock(&ha->lock);
	ha->sync_done = r == 0;
	/* Kea restarts the heartbeat after the sync */
	ha->next_hb_ms = ha_now_ms();
	pthread_mutex_unlock(&ha->lock);
	if (r < 0) {
		log_error(HA_LOGGER, "HA_SYNC_FAILED", "%s: failed to synchronize leases with %s: %s",
		          h->this_server_name, ha_partner(h)->name, err);
	}
}

static void wait_locked(ha_t *ha, int64_t until_ms)
{
	int64_t now = ha_now_ms();
	int64_t end = MIN(until_ms, now + HA_ROUND_MAX_MS);

	if (ha->stop || end <= now) {
		return;
	}
	struct timespec ts = { .tv_sec = end / 1000, .tv_nsec = (end % 1000) * 1000000 };
	pthread_cond_timedwait(&ha->wake, &ha->lock, &ts);
}

static void round_once(ha_t *ha, ha_http_t *c)
{
	const cfg_t *cfg = cfg_acquire();
	const cfg_ha_t *h = cfg != NULL && cfg->hooks.ha ? cfg->ha : NULL;

	pthread_mutex_lock(&ha->lock);
	if (h == NULL) {
		bool was = ha->active;

		ha->active = false;
		json_decref(TAKE_PTR(ha->params));
		ha_publish_locked(ha, NULL);
		wait_locked(ha, ha_now_ms() + HA_ROUND_MAX_MS);
		pthread_mutex_unlock(&ha->lock);
		if (was) {
			ha_park_drop_all(ha);
		}
		cfg_release(cfg);
		return;
	}
	ha->park_limit = ha_park_limit(cfg);
	if (params_changed_locked(ha, cfg) || !ha->active) {
		activate_locked(ha, h);
	}
	if (ha->reset) {
		ha->reset = false;
		if (ha->state != CFG_HA_ST_WAITING) {
			ha_set_state_locked(ha, h, CFG_HA_ST_WAITING);
		}
	}
	bool hb_due = heartbeats_wanted(h, ha->state) && ha_now_ms() >= ha->next_hb_ms;
	pthread_mutex_unlock(&ha->lock);

	if (hb_due) {
		heartbeat(ha, c, h);
	}
	sync_if_due(ha, c, h);
	ha_recover_if_due(ha, c, h);

	pthread_mutex_lock(&ha->lock);
	step_locked(ha, h);
	wait_locked(ha, heartbeats_wanted(h, ha->state) ? ha->next_hb_ms : ha_now_ms() + HA_ROUND_MAX_MS);
	pthread_mutex_unlock(&ha->lock);
	cfg_release(cfg);
}

static void *ha_main(void *arg)
{
	ha_t *ha = arg;
	ha_http_t c = { 0 };

	for (;;) {
		pthread_mutex_lock(&ha->lock);
		bool stop = ha->stop;
		pthread_mutex_unlock(&ha->lock);
		if (stop) {
			break;
		}
		round_once(ha, &c);
	}
	ha_http_done(&c);
	return NULL;
}

int ha_new(ha_t **ret)
{
	ha_t *ha = calloc(1, sizeof(*ha));
	pthread_condattr_t ca;

	if (ha == NULL || (ha->clients = calloc(HA_CLIENTS_MAX, sizeof(*ha->clients))) == NULL ||
	    ha_lanes_init(ha) < 0) {
		if (ha != NULL) {
			ha_lanes_free(ha);
			free(ha->clients);
		}
		free(ha);
		return -ENOMEM;
	}
	pthread_mutex_init(&ha->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&ha->wake, &ca);
	pthread_condattr_destroy(&ca);
	ha->state = CFG_HA_ST_WAITING;
	ha->partner = HA_PARTNER_UNAVAILABLE;
	*ret = ha;
	return 0;
}

int ha_start(ha_t *ha, struct ctl *ctl)
{
	ha->ctl = ctl;
	int r = ha_lanes_start(ha);

	if (r < 0) {
		return r;
	}
	r = pthread_create(&ha->thread, NULL, ha_main, ha);
	if (r != 0) {
		ha_lanes_stop(ha);
		return -r;
	}
	ha->running = true;
	(void)pthread_setname_np(ha->thread, "lessor-ha");
	return 0;
}

void ha_stop(ha_t *ha)
{
	if (ha == NULL) {
		return;
	}
	if (ha->running) {
		pthread_mutex_lock(&ha->lock);
		ha->stop = true;
		pthread_cond_signal(&ha->wake);
		pthread_mutex_unlock(&ha->lock);
		pthread_join(ha->thread, NULL);
		ha->running = false;
	}
	ha_lanes_stop(ha);      /* after the HA thread: its flush waits for them */
	atomic_store(&ha->filter, 0u);
}

ha_t *ha_free(ha_t *ha)
{
	if (ha == NULL) {
		return NULL;
	}
	ha_stop(ha);
	ha_park_drop_all(ha);
	pthread_cond_destroy(&ha->wake);
	pthread_mutex_destroy(&ha->lock);
	json_decref(ha->params);
	ha_lanes_free(ha);
	free(ha->clients);
	free(ha->backlog);
	free(ha);
	return NULL;
}
