/* Packet worker: one thread with its own SO_REUSEPORT socket, arena, stats
 * shard, lease-store connection and send batch. The loop:
 *
 *   recvmmsg (up to a batch, timeout so a stop is noticed)
 *   cfg_acquire()                                 once per batch
 *   for each datagram: interface filter, arena_reset, dhcp4_process
 *   lease_conn_sync()                             once, BEFORE any reply leaves:
 *                                                 a lease is durable before its ACK
 *   send the batch's replies (UDP / broadcast / packet socket)
 *   cfg_release()
 *
 * Nothing here is shared with another thread except the stop flag and the
 * counters that the main thread reads with relaxed atomics. */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* cfg.h uses "struct cfg" in prototypes before defining it. */
struct cfg;
#include "cfg/cfg.h"
#include "lease/store.h"
#include "stats/stats.h"

#define WORKER_BATCH_MAX 64
/* Group commit window (µs): a batch that changed leases waits this long for more
 * requests before its one fdatasync. 0 disables it. See docs/architecture.md. */
#define WORKER_COMMIT_WINDOW_US 2000
#define WORKER_RCVTIMEO_MS 100

typedef struct worker worker_t;

typedef struct worker_cfg {
	unsigned id;                    /* 1..N: logs; the allocator starts worker k at k/N */
	unsigned n_workers;             /* N */
	uint16_t server_port;           /* -p, default 67 */
	uint16_t client_port;           /* -P, default 68 */
	/* interfaces-config the sockets are opened for: SO_BINDTODEVICE when it
	 * names exactly one interface; a packet socket when the type is raw.
	 * Borrowed for worker_new() only. */
	const cfg_interfaces_t *ifaces;
	lease_store_t *store;           /* borrowed; outlives the worker */
	stats_shard_t *stats;           /* borrowed; this worker is its only writer */
	unsigned batch;                 /* datagrams per recvmmsg, 1..WORKER_BATCH_MAX */
	const _Atomic bool *dhcp_disabled; /* dhcp-disable flag, read per batch; may be NULL */
	_Atomic bool *hosts_lost;       /* set when a hosts database is lost; may be NULL */
	struct ha *ha;                  /* the HA service (ha_filter, ha_park); may be NULL */
	unsigned commit_window_us;      /* group commit window, 0 = sync each batch at once */
	unsigned max_age_ms;            /* queries older than this are dropped, 0 = never */
	bool steer_by_chaddr;           /* spread clients over the workers (SQL stores) */
	struct allocator_shared *alloc_shared; /* shared address cursors; NULL = the worker's own */
	uint32_t alloc_spread;          /* own cursors start this fraction (/2^32) further on */
} worker_cfg_t;

/** Open the worker's sockets and lease connection and allocate its buffers. The
 *  thread is not started. Returns 0, or a negative errno with a message in
 *  @reterr (size @errlen) naming what failed. Main thread. */
int worker_new(const worker_cfg_t *wc, worker_t **ret, char *reterr, size_t errlen);

/** The device the workers' sockets bind to for @ifaces (SO_BINDTODEVICE when
 *  exactly one interface is named, as "eth0" or "eth0/ADDR"), written into
 *  @buf; NULL when they bind to none. */
const char *worker_bind_dev(const cfg_interfaces_t *ifaces, char *buf, size_t size);

/** Start the thread. 0 or a negative errno. Main thread. */
int worker_start(worker_t *w);

/** Ask the thread to stop after its current batch (returns at once). Any thread. */
void worker_request_stop(worker_t *w);

/** Stop (if running) and join the thread, close the lease connection (after a
 *  final sync) and the sockets, free everything. NULL-safe; returns NULL. Main
 *  thread. */
worker_t *worker_free(worker_t *w);
DEFINE_FREEP(worker_t, worker_free)

/** Loop iterations so far: a heartbeat for the watchdog (an idle worker
 *  iterates every WORKER_RCVTIMEO_MS). Any thread. */
uint64_t worker_beats(const worker_t *w);

/** Replies that could not be sent (sendmsg/packet socket errors). Any thread. */
uint64_t worker_send_failures(const worker_t *w);
/** true when the raw (packet socket) path is available. */
bool worker_has_raw(const worker_t *w);
