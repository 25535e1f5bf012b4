/* The HA service (libdhcp_ha.so's HAService): one HA thread in the control
 * plane that sends heartbeats to the partner, runs Kea's state machine
 * (ha-fsm.c), publishes to the packet workers which scopes they serve, sends
 * the partner lease4-update / lease4-del for every committed lease change and
 * then sends the parked reply, and syncs the lease table from the partner.
 *
 * The service exists for the daemon's whole life and reads the HA parameters
 * from the published configuration on every round: a reload that keeps the
 * HA section keeps the state (Kea restarts into waiting), a configuration
 * without libdhcp_ha.so leaves it idle (no HA filtering, nothing parked).
 *
 * Threads: workers call ha_filter(), ha_park() and ha_note_unsent(); the ctl
 * thread calls ha_command() / ha_status(); the HA thread does all the network
 * I/O. Lock order: ctl lock before the HA mutex; the HA thread never holds its
 * mutex while it talks to the partner or to ctl. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/dhcp4.h"
#include "ha/ha-lb.h"
#include "util/macro.h"

struct ctl;
typedef struct ha ha_t;

/* Replies parked for the partner's ack (queued or in flight) when the
 * configuration has no parked-packet-limit: Kea's default is 256, which caps a
 * pair at 256 per partner round trip (under load here ~100-300 ms: 1,000-2,500
 * ACKs/s); a configured parked-packet-limit is honoured as Kea's. */
#define HA_PARK_DEFAULT 2048
/* The bound of a parked-packet-limit of 0 (Kea: no limit) or above it. */
#define HA_PARK_CAP 16384
/* Clients remembered by the unacked-client analysis (Kea: unbounded). */
#define HA_CLIENTS_MAX 1024

/* A committed lease change (and the reply that waits for the partner's ack). */
typedef struct ha_parked {
	uint32_t addr;                  /* the lease's address (host order) */
	bool has_reply;                 /* RELEASE/DECLINE have none */
	int fd;                         /* the worker's UDP socket, dup()ed; -1 without reply */
	dhcp4_tx_t tx;                  /* tx.buf points at buf */
	uint16_t dport;                 /* the destination port, -p/-P mapped */
	uint8_t buf[DHCP_PKT_MAX];
} ha_parked_t;

/** Create the service (idle until a configuration with HA is published).
 *  0 or -ENOMEM. Main thread. */
int ha_new(ha_t **ret);

/** Start the HA thread; @ctl (may be NULL: lease updates and sync fail) runs
 *  the lease commands on this server's store. 0 or -errno. Main thread. */
int ha_start(ha_t *ha, struct ctl *ctl);

/** Stop the HA thread (before the ctl it uses stops); workers may still park.
 *  NULL-safe. Main thread. */
void ha_stop(ha_t *ha);

/** Stop the thread, drop what is parked, free. NULL-safe; returns NULL. Main thread. */
ha_t *ha_free(ha_t *ha);
DEFINE_FREEP(ha_t, ha_free)

/** HA_F_* for the workers. 0 without HA. Any thread (relaxed atomic). */
unsigned ha_filter(const ha_t *ha);

/** Hand a lease change (and its reply) to the HA thread, which takes *@p
 *  (copied). false when the park limit is reached (Kea's parked-packet-limit:
 *  counted, logged): the caller drops the reply and closes p->fd. Worker. */
bool ha_park(ha_t *ha, const ha_parked_t *p);

/** A scoped DISCOVER/REQUEST this server did not serve while the partner does
 *  not answer (HA_F_ANALYZE): Kea's unacked-client analysis. @client: a hash
 *  of the client's hwaddr and client-id (ha_client_key()); @secs as Kea reads
 *  it (ha_fsm_secs()). Worker. */
void ha_note_client(ha_t *ha, uint64_t client, uint16_t secs);

/** A lease change the partner will not hear of (not in a state that sends
 *  updates): counted as Kea's unsent-update-count. Worker. */
void ha_note_unsent(ha_t *ha);

/** Run one ha-* command (ha-heartbeat, ha-scopes, ha-continue, ha-reset,
 *  ha-maintenance-start/-cancel/-notify, ha-sync, ha-sync-complete-notify).
 *  Returns a complete answer map (new reference), NULL on OOM. ctl thread,
 *  ctl lock held. */
json_t *ha_command(ha_t *ha, const char *name, json_t *args);

/** status-get's "high-availability" list as Kea 2.2 writes it, or NULL
 *  without HA. ctl thread. */
json_t *ha_status(ha_t *ha);
