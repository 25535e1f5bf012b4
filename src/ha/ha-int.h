/* Internals shared by the src/ha/ files (the service, its commands, the
 * peer client, parking and sync). Not for use outside src/ha/. */
#pragma once

#include <pthread.h>
#include <stdatomic.h>

#include "cfg/cfg.h"
#include "ha/ha-fsm.h"
#include "ha/ha-msg.h"
#include "ha/ha.h"

#define HA_LOGGER "kea-dhcp4.ha-hooks"  /* libdhcp_ha.so's logger */

/* Parked items sent per round trip to a lessor partner (lessor-lease4-batch;
 * its receiver takes up to 1024): the whole ring, so the workers refill it
 * while a batch is on the wire. 64 capped a pair at 64 per round trip: at
 * 3000 DORA/s offered the ring overflowed (22 % of the replies dropped). */
#define HA_BATCH_MAX HA_PARK_MAX

/* Whether the partner takes lessor-lease4-batch (ha->peer_batch). */
enum { HA_BATCH_UNKNOWN, HA_BATCH_NO, HA_BATCH_YES };

/* One HTTP client (a libcurl easy handle keeps its connection alive). Owned by
 * one thread. */
typedef struct ha_http {
	void *curl;
} ha_http_t;

struct ha {
	pthread_mutex_t lock;           /* everything below up to the ring */
	pthread_cond_t wake;            /* parked work or a command for the HA thread */
	pthread_t thread;
	bool running;
	bool stop;
	struct ctl *ctl;

	_Atomic unsigned filter;        /* HA_F_* published to the workers */
	_Atomic uint64_t unsent;        /* Kea's unsent-update-count */
	_Atomic int peer_batch;         /* HA_BATCH_*: version-get after a heartbeat */

	bool active;                    /* a configuration with HA is in force */
	json_t *params;                 /* a copy of its libdhcp_ha.so parameters */
	cfg_ha_state_t state;
	cfg_ha_state_t before_maintenance; /* where ha-maintenance-notify cancel returns */
	int partner;                    /* cfg_ha_state_t or HA_PARTNER_UNAVAILABLE */
	ha_heartbeat_t last_hb;         /* the partner's last answer */
	ha_skew_t skew;                 /* the clocks when it arrived */
	bool in_touch;                  /* the partner answered at least once */
	bool hb_warned;                 /* this outage's heartbeat failure is logged */
	uint64_t partner_unsent_at_down; /* its unsent-update-count when we went partner-down */
	int64_t last_ok_ms;             /* monotonic ms of the last successful exchange */
	int64_t last_hb_ms;             /* of the last heartbeat answer (status-get "age") */
	int64_t next_hb_ms;             /* when the next heartbeat is due */
	bool scopes_set;                /* ha-scopes chose the scopes until the next transition */
	bool serve[2];
	bool sync_done;                 /* syncing: the last sync succeeded */
	bool reset;                     /* ha-reset: back to waiting at the next round */
	bool maint_canceled;            /* Kea's isMaintenanceCanceled(): no decision on
	                                 * the partner's pre-cancel state until a heartbeat
	                                 * sent after maint_cancel_ms answers */
	int64_t maint_cancel_ms;
	bool paused;                    /* state-machine pause: no transition until ha-continue */
	unsigned paused_once;           /* bit per state: a "once" pause has happened */

	/* communication-recovery: lease changes the partner has not heard of
	 * (addresses, up to delayed-updates-limit), replayed when it is back */
	uint32_t *backlog;
	size_t n_backlog, backlog_cap;
	bool backlog_overflow;          /* more than delayed-updates-limit, or a replay failed */
	int recovery;                   /* HA_RECOVERY_* for the state machine */

	/* unacked-client analysis while the partner does not answer */
	struct ha_client {
		uint64_t key;
		int64_t first_ms;       /* monotonic ms it was first seen unserved */
		bool unacked;
	} *clients;
	size_t n_clients;
	size_t n_unacked;
	bool interrupted;               /* no exchange for max-response-delay (last round) */
	uint32_t max_ack_delay;         /* the configuration's, for the workers' reports */
	uint64_t analyzed;              /* status-get "analyzed-packets" */

	/* parked lease changes: a ring, HA_PARK_MAX entries */
	ha_parked_t *ring;
	size_t head, n;
	ha_parked_t *batch;             /* HA_BATCH_MAX, the HA thread's, off the ring */
};

/** CLOCK_MONOTONIC milliseconds. */
int64_t ha_now_ms(void);

/** The partner (the first peer that is neither this server nor a backup), or
 *  NULL (passive-backup primary, backup server). */
const cfg_ha_peer_t *ha_partner(const cfg_ha_t *h);

/** Whether lease changes go to the partner in the current state (hot-standby,
 *  load-balancing, partner-in-maintenance; send-lease-updates). Lock held. */
bool ha_to_partner_locked(const ha_t *ha, const cfg_ha_t *h);

/** Whether lease changes go to backup servers: send-lease-updates, backups
 *  configured, this server not one of them. Any thread. */
bool ha_has_backups(const cfg_ha_t *h);

/** Names of the primary's and the secondary's scopes (NULL when none). */
void ha_scope_names(const cfg_ha_t *h, const char *names[2]);

/** POST @cmd (borrowed) to @peer within @timeout_ms; *@ret = the answer map
 *  (element 0 of the list the peer must send; new reference). 0, or negative
 *  with Kea's reason in @err: transport failure, not JSON, a bare map, no
 *  list. The caller judges "result". Thread owning @c. */
int ha_http_post(ha_http_t *c, const cfg_ha_peer_t *peer, json_t *cmd, long timeout_ms,
                 json_t **ret, char *err, size_t errlen);
/** POST and return the whole body (the heartbeat parser wants the list). */
int ha_http_post_raw(ha_http_t *c, const cfg_ha_peer_t *peer, json_t *cmd, long timeout_ms,
                     json_t **ret, char *err, size_t errlen);
/** Close the connection. */
void ha_http_done(ha_http_t *c);

/** The "result" of an answer map, or -1 when absent. */
int ha_result(const json_t *ans);

/** Run one command on this server's control channel (lease4-get, lease4-update,
 *  dhcp-enable ...): the answer map, new reference, NULL on OOM. Any thread
 *  not holding ha->lock. */
json_t *ha_local(ha_t *ha, const char *cmd, json_t *args);

/** Send the partner lease4-update / lease4-del for @addr as the store now has
 *  it. 0 on the partner's success (or conflict, counted), negative otherwise.
 *  HA thread. */
int ha_send_lease(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, uint32_t addr);

/** Ask the partner's version-get whether it is a lessor (then updates go in
 *  lessor-lease4-batch); sets ha->peer_batch when it answers. HA thread. */
void ha_negotiate(ha_t *ha, ha_http_t *c, const cfg_ha_t *h);

/** In communication-recovery, queue the change at @addr for the partner
 *  (Kea's lease update backlog; past delayed-updates-limit it overflows).
 *  false in any other state. Any thread not holding ha->lock. */
bool ha_backlog_add(ha_t *ha, const cfg_ha_t *h, uint32_t addr);

/** communication-recovery with the partner back in load-balancing or
 *  communication-recovery: replay the backlog, or send the partner ha-reset
 *  when it overflowed or a replay failed; sets ha->recovery. HA thread. */
void ha_recover_if_due(ha_t *ha, ha_http_t *c, const cfg_ha_t *h);

/** Forget the backlog (entering or leaving communication-recovery). Lock held. */
void ha_backlog_clear_locked(ha_t *ha);

/** Take the parked items and send their updates (in batches of HA_BATCH_MAX
 *  to a lessor partner, one command per lease to Kea), then each one's reply
 *  (or drop it when its update failed). Returns how many failed. HA thread. */
unsigned ha_park_drain(ha_t *ha, ha_http_t *c, const cfg_ha_t *h);

/** Drop every parked item (HA went away). Any thread not holding ha->lock. */
void ha_park_drop_all(ha_t *ha);

/** Kea's lease sync from the partner: dhcp-disable (max-period), pages of
 *  lease4-get-page merged by cltt, then ha-sync-complete-notify (dhcp-enable
 *  on result 2, or on failure). @max_period_s: the partner's dhcp-disable
 *  period. 0 or negative with the reason in @err. Any thread not holding
 *  ha->lock (the HA thread, or the ctl thread for ha-sync). */
int ha_sync_run(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, uint32_t max_period_s, char *err,
                size_t errlen);

/** A transition (logs HA_STATE_TRANSITION, clears ha-scopes). Lock held. */
void ha_set_state_locked(ha_t *ha, const cfg_ha_t *h, cfg_ha_state_t st);

/** state-machine pause on entering the current state (Kea's
 *  conditionalPause()), logs HA_STATE_MACHINE_PAUSED. Lock held. */
void ha_pause_on_entry_locked(ha_t *ha, const cfg_ha_t *h);

/** Forget the analysed clients (communication is back). Lock held. */
void ha_clients_clear_locked(ha_t *ha);

/** Recompute and publish the filter word from the state. Lock held. */
void ha_publish_locked(ha_t *ha, const cfg_ha_t *h);
