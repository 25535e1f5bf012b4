/* Kea's HA state machine as pure decisions; see ha-fsm.h and
 * /work/shared/reference/kea-ha-protocol.md §3-4. */
#include "ha/ha-fsm.h"

cfg_ha_state_t ha_fsm_normal(cfg_ha_mode_t mode)
{
	switch (mode) {
	case CFG_HA_LOAD_BALANCING:
		return CFG_HA_ST_LOAD_BALANCING;
	case CFG_HA_PASSIVE_BACKUP:
		return CFG_HA_ST_PASSIVE_BACKUP;
	default:
		return CFG_HA_ST_HOT_STANDBY;
	}
}

/* A partner in a normal state of the other mode: the pair is misconfigured or
 * the partner restarted with another mode; Kea goes back to waiting. */
static bool inconsistent(const ha_fsm_in_t *in)
{
	if (in->mode == CFG_HA_HOT_STANDBY) {
		return in->partner == CFG_HA_ST_LOAD_BALANCING ||
		       in->partner == CFG_HA_ST_COMMUNICATION_RECOVERY;
	}
	return in->mode == CFG_HA_LOAD_BALANCING && in->partner == CFG_HA_ST_HOT_STANDBY;
}

static cfg_ha_state_t from_waiting(const ha_fsm_in_t *in)
{
	cfg_ha_state_t start = in->sync_leases ? CFG_HA_ST_SYNCING : CFG_HA_ST_READY;

	if (in->role == CFG_HA_BACKUP) {
		return CFG_HA_ST_BACKUP;
	}
	if (in->mode == CFG_HA_PASSIVE_BACKUP) {
		return CFG_HA_ST_PASSIVE_BACKUP;
	}
	switch (in->partner) {
	case CFG_HA_ST_COMMUNICATION_RECOVERY:
	case CFG_HA_ST_HOT_STANDBY:
	case CFG_HA_ST_LOAD_BALANCING:
	case CFG_HA_ST_IN_MAINTENANCE:
	case CFG_HA_ST_PARTNER_DOWN:
	case CFG_HA_ST_PARTNER_IN_MAINTENANCE:
	case CFG_HA_ST_READY:
		return start;
	case CFG_HA_ST_WAITING:
		/* both waiting: the primary goes first, the other waits for it */
		return in->role == CFG_HA_PRIMARY ? start : CFG_HA_ST_WAITING;
	case HA_PARTNER_UNAVAILABLE:
		return in->partner_down_due ? CFG_HA_ST_PARTNER_DOWN : CFG_HA_ST_WAITING;
	default:
		return CFG_HA_ST_WAITING;       /* syncing, terminated, backup states */
	}
}

static cfg_ha_state_t from_syncing(const ha_fsm_in_t *in)
{
	if (in->partner == HA_PARTNER_UNAVAILABLE) {
		return in->partner_down_due ? CFG_HA_ST_PARTNER_DOWN : CFG_HA_ST_SYNCING;
	}
	return in->sync_done ? CFG_HA_ST_READY : CFG_HA_ST_SYNCING;
}

static cfg_ha_state_t from_ready(const ha_fsm_in_t *in)
{
	switch (in->partner) {
	case CFG_HA_ST_HOT_STANDBY:
	case CFG_HA_ST_LOAD_BALANCING:
	case CFG_HA_ST_COMMUNICATION_RECOVERY:
		return ha_fsm_normal(in->mode);
	case CFG_HA_ST_READY:
		return in->role == CFG_HA_PRIMARY ? ha_fsm_normal(in->mode) : CFG_HA_ST_READY;
	case CFG_HA_ST_IN_MAINTENANCE:
		return CFG_HA_ST_PARTNER_IN_MAINTENANCE;
	case CFG_HA_ST_PARTNER_IN_MAINTENANCE:
		return CFG_HA_ST_IN_MAINTENANCE;
	case HA_PARTNER_UNAVAILABLE:
		return in->partner_down_due ? CFG_HA_ST_PARTNER_DOWN : CFG_HA_ST_READY;
	default:
		return CFG_HA_ST_READY;
	}
}

/* hot-standby, load-balancing and communication-recovery */
static cfg_ha_state_t from_normal(const ha_fsm_in_t *in)
{
	switch (in->partner) {
	case CFG_HA_ST_PARTNER_DOWN:
		return CFG_HA_ST_WAITING;       /* the partner took over: resync */
	case CFG_HA_ST_PARTNER_IN_MAINTENANCE:
		return CFG_HA_ST_IN_MAINTENANCE;
	case CFG_HA_ST_IN_MAINTENANCE:
		return CFG_HA_ST_PARTNER_IN_MAINTENANCE;
	case HA_PARTNER_UNAVAILABLE:
		if (in->partner_down_due) {
			return CFG_HA_ST_PARTNER_DOWN;
		}
		if (in->mode == CFG_HA_LOAD_BALANCING && in->delayed_updates) {
			return CFG_HA_ST_COMMUNICATION_RECOVERY;
		}
		return in->state;
	case CFG_HA_ST_LOAD_BALANCING:
	case CFG_HA_ST_COMMUNICATION_RECOVERY:
		/* Kea's communicationRecoveryHandler(): the partner answers again;
		 * the delayed updates go first (ha.c replays them) */
		if (in->state == CFG_HA_ST_COMMUNICATION_RECOVERY) {
			return in->recovery == HA_RECOVERY_DONE    ? CFG_HA_ST_LOAD_BALANCING
			       : in->recovery == HA_RECOVERY_RESET ? CFG_HA_ST_WAITING
			                                           : in->state;
		}
		return ha_fsm_normal(in->mode);
	default:
		return ha_fsm_normal(in->mode);
	}
}

static cfg_ha_state_t from_partner_down(const ha_fsm_in_t *in)
{
	switch (in->partner) {
	case CFG_HA_ST_COMMUNICATION_RECOVERY:
	case CFG_HA_ST_PARTNER_DOWN:
	case CFG_HA_ST_PARTNER_IN_MAINTENANCE:
		return CFG_HA_ST_WAITING;
	case CFG_HA_ST_READY:
		return in->partner_unsent_changed ? CFG_HA_ST_WAITING : ha_fsm_normal(in->mode);
	default:
		return CFG_HA_ST_PARTNER_DOWN;
	}
}

cfg_ha_state_t ha_fsm_next(const ha_fsm_in_t *in)
{
	cfg_ha_state_t st = in->state;

	if (st == CFG_HA_ST_TERMINATED || st == CFG_HA_ST_BACKUP || st == CFG_HA_ST_PASSIVE_BACKUP ||
	    st == CFG_HA_ST_IN_MAINTENANCE) {
		return st;      /* left only by a restart, a reconfiguration or a command */
	}
	if (in->terminate) {
		return CFG_HA_ST_TERMINATED;
	}
	if (st != CFG_HA_ST_WAITING && inconsistent(in)) {
		return CFG_HA_ST_WAITING;
	}
	switch (st) {
	case CFG_HA_ST_WAITING:
		return from_waiting(in);
	case CFG_HA_ST_SYNCING:
		return from_syncing(in);
	case CFG_HA_ST_READY:
		return from_ready(in);
	case CFG_HA_ST_HOT_STANDBY:
	case CFG_HA_ST_LOAD_BALANCING:
	case CFG_HA_ST_COMMUNICATION_RECOVERY:
		return from_normal(in);
	case CFG_HA_ST_PARTNER_DOWN:
		return from_partner_down(in);
	case CFG_HA_ST_PARTNER_IN_MAINTENANCE:
		return in->interrupted ? CFG_HA_ST_PARTNER_DOWN : st;
	default:
		return st;
	}
}

bool ha_fsm_should_partner_down(bool interrupted, bool dhcp_enabled, cfg_ha_mode_t mode,
                                cfg_ha_role_t role, bool failure_detected)
{
	if (!interrupted) {
		return false;
	}
	/* A primary in hot-standby, or a server not serving, cannot watch the
	 * partner's clients: interrupted communication is enough. */
	if (!dhcp_enabled || (mode != CFG_HA_LOAD_BALANCING && role != CFG_HA_STANDBY)) {
		return true;
	}
	return failure_detected;
}

bool ha_fsm_failure_detected(uint32_t max_unacked_clients, uint32_t unacked)
{
	return max_unacked_clients == 0 || unacked > max_unacked_clients;
}

uint16_t ha_fsm_secs(uint16_t secs)
{
	/* some clients (Windows) send secs little-endian */
	if (secs > 255 && (secs & 0xff) == 0) {
		return (uint16_t)((secs >> 8) | (secs << 8));
	}
	return secs;
}

bool ha_fsm_unacked(uint16_t secs, uint32_t max_ack_delay)
{
	return (uint64_t)ha_fsm_secs(secs) * 1000 > max_ack_delay;
}

bool ha_fsm_dhcp_enabled(cfg_ha_state_t state)
{
	switch (state) {
	case CFG_HA_ST_WAITING:
	case CFG_HA_ST_SYNCING:
	case CFG_HA_ST_READY:
	case CFG_HA_ST_IN_MAINTENANCE:
	case CFG_HA_ST_BACKUP:
		return false;
	default:
		return true;
	}
}

void ha_fsm_scopes(cfg_ha_mode_t mode, cfg_ha_role_t role, bool auto_failover,
                   cfg_ha_state_t state, bool serve[2])
{
	/* default scopes: the primary and the secondary serve their own */
	bool own0 = role == CFG_HA_PRIMARY, own1 = role == CFG_HA_SECONDARY;

	serve[0] = serve[1] = false;
	switch (state) {
	case CFG_HA_ST_HOT_STANDBY:
	case CFG_HA_ST_LOAD_BALANCING:
	case CFG_HA_ST_COMMUNICATION_RECOVERY:
	case CFG_HA_ST_TERMINATED:
		serve[0] = own0;
		serve[1] = own1;
		break;
	case CFG_HA_ST_PARTNER_DOWN:
	case CFG_HA_ST_PARTNER_IN_MAINTENANCE:
	case CFG_HA_ST_PASSIVE_BACKUP:
		if (auto_failover && role != CFG_HA_BACKUP) {
			serve[0] = true;
			serve[1] = mode == CFG_HA_LOAD_BALANCING;
		} else {
			serve[0] = own0;
			serve[1] = own1;
		}
		break;
	default:
		break;          /* waiting, syncing, ready, in-maintenance, backup: none */
	}
}
