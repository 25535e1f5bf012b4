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

/* Parked items sent per request to a lessor partner (lessor-lease4-batch;
 * its receiver takes up to 1024): what waits in the lane, so batches grow
 * with the load while a request is on the wire. */
#define HA_BATCH_MAX 1024

/* Lease updates in flight to the partner: one request per lane, each lane on
 * its own kept-alive connection and thread. An address always goes to the
 * same lane (ha_lane_of()) and a lane is first in, first out with one
 * request at a time, so two updates of one address are never reordered. */
#define HA_LANES 4

/* Whether the partner takes lessor-lease4-batch (ha->peer_batch). */
enum { HA_BATCH_UNKNOWN, HA_BATCH_NO, HA_BATCH_YES };

/* One HTTP client (a libcurl easy handle keeps its connection alive). Owned by
 * one thread. */
typedef struct ha_http {
	void *curl;
} ha_http_t;

/* ha_http_post()'s signature: the transport the lanes use (a seam for tests). */
typedef int ha_post_fn(ha_http_t *c, const cfg_ha_peer_t *peer, json_t *cmd, long timeout_ms,
                       json_t **ret, char *err, size_t errlen);

/* One sender of parked lease changes (see HA_LANES). Its ring grows by
 * doubling up to HA_PARK_CAP; ring, cap, head and n under ha->lock. */
typedef struct ha_lane {
	struct ha *ha;
	pthread_t thread;
	pthread_cond_t wake;            /* with ha->lock: parked work or stop */
	ha_parked_t *ring;
	size_t cap, head, n;
	ha_parked_t *batch;             /* HA_BATCH_MAX, the lane thread's, off the ring */
	uint64_t parked_seq, done_seq;  /* items ever parked here / finished (ha_park_flush) */
	ha_http_t http;
} ha_lane_t;

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

	/* parked lease changes, queued in lanes (ha-lane.c) */
	ha_lane_t lanes[HA_LANES];
	bool lanes_running, lanes_stop;
	pthread_cond_t lane_done;       /* with ha->lock: a lane finished a batch */
	size_t parked;                  /* queued or in flight: Kea's parking lot size */
	size_t park_limit;              /* parked-packet-limit in force (ha_park_limit()) */
	uint64_t park_full;             /* replies dropped at the limit since the last warning */
	int64_t park_full_warned_ms;
	ha_post_fn *post;               /* ha_http_post, or a test's */
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

/** Send the updates of @n parked items (in one lessor-lease4-batch to a
 *  lessor partner, one command per lease to Kea, and to the backups), then
 *  each one's reply, or drop it when its update failed; releases each item's
 *  parking space. Returns how many failed. A lane thread, owning @c. */
unsigned ha_park_send(ha_t *ha, ha_http_t *c, const cfg_ha_t *h, ha_parked_t *ps, size_t n);

/** Release @n parking spaces (the items are sent or dropped). Any thread not
 *  holding ha->lock. */
void ha_park_release(ha_t *ha, size_t n);

/** The lane of @addr. */
unsigned ha_lane_of(uint32_t addr);

/** The park limit for @cfg: its parked-packet-limit when configured (0: Kea's
 *  "no limit", bounded by HA_PARK_CAP), else HA_PARK_DEFAULT. */
size_t ha_park_limit(const cfg_t *cfg);

/** Create the lanes' rings and buffers: 0 or -ENOMEM. Start / stop their
 *  threads (stop: after the current request; what waits stays parked).
 *  Free them (after stop). Main thread. */
int ha_lanes_init(ha_t *ha);
int ha_lanes_start(ha_t *ha);
void ha_lanes_stop(ha_t *ha);
void ha_lanes_free(ha_t *ha);

/** Wait (up to @timeout_ms) until every item parked before the call is
 *  finished. 0 or -ETIMEDOUT. Any thread but a lane's, not holding ha->lock. */
int ha_park_flush(ha_t *ha, int64_t timeout_ms);

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
