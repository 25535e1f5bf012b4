/* Kea's HA state machine as pure decisions (ha_service.cc's handlers, the ARM's
 * scope table, communication_state.cc's failure detection). The HA thread
 * (ha.c, not written yet) feeds it what it learnt from heartbeats and acts
 * on the answer. No I/O, no clock: any thread. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cfg/cfg-ha.h"

/* The partner's state as last learnt, or this pseudo-state when it does not answer. */
#define HA_PARTNER_UNAVAILABLE ((int)_CFG_HA_ST_MAX)

typedef struct ha_fsm_in {
	cfg_ha_mode_t mode;
	cfg_ha_role_t role;             /* this server's */
	cfg_ha_state_t state;           /* this server's current state */
	int partner;                    /* cfg_ha_state_t or HA_PARTNER_UNAVAILABLE */
	bool sync_leases;
	bool interrupted;               /* no exchange with the partner for max-response-delay */
	bool partner_down_due;          /* ha_fsm_should_partner_down() */
	bool delayed_updates;           /* delayed-updates-limit > 0 */
	bool sync_done;                 /* syncing: the lease sync succeeded */
	bool partner_unsent_changed;    /* partner-down: its unsent-update-count moved */
	bool terminate;                 /* clock skew > 60 s or too many rejected updates */
	int recovery;                   /* communication-recovery: HA_RECOVERY_* */
} ha_fsm_in_t;

/* communication-recovery with the partner back: its backlog of updates was */
enum {
	HA_RECOVERY_PENDING,            /* not replayed yet */
	HA_RECOVERY_DONE,               /* replayed: load-balancing again */
	HA_RECOVERY_RESET,              /* too long or failed: ha-reset sent, both resync */
};

/** The state to move to (the current one to stay). */
cfg_ha_state_t ha_fsm_next(const ha_fsm_in_t *in);

/** The normal state of @mode: hot-standby, load-balancing or passive-backup. */
cfg_ha_state_t ha_fsm_normal(cfg_ha_mode_t mode);

/** Kea's shouldPartnerDown(): communication interrupted and, for a server with DHCP
 *  enabled that load-balances or is the standby, failure detected by unacked clients. */
bool ha_fsm_should_partner_down(bool interrupted, bool dhcp_enabled, cfg_ha_mode_t mode,
                                cfg_ha_role_t role, bool failure_detected);

/** Kea's failureDetected(): max-unacked-clients 0, or more unacked clients than it. */
bool ha_fsm_failure_detected(uint32_t max_unacked_clients, uint32_t unacked);

/** The query's secs as Kea reads it (byte-swapped when > 255 with a zero low byte). */
uint16_t ha_fsm_secs(uint16_t secs);

/** True when a client that sent @secs counts as unacked (secs * 1000 > max-ack-delay). */
bool ha_fsm_unacked(uint16_t secs, uint32_t max_ack_delay);

/** Scopes served in @state: @serve[0] the primary's, @serve[1] the secondary's. */
void ha_fsm_scopes(cfg_ha_mode_t mode, cfg_ha_role_t role, bool auto_failover,
                   cfg_ha_state_t state, bool serve[2]);

/** True when DHCP is served in @state (Kea's adjustNetworkState()). */
bool ha_fsm_dhcp_enabled(cfg_ha_state_t state);
