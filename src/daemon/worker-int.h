/* Internals of a packet worker, shared by worker.c (setup and the loop),
 * worker-send.c (the send side) and worker-log.c (packet log lines). */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "daemon/worker.h"
#include "daemon/sock.h"
#include "engine/allocator.h"
#include "engine/dhcp4.h"
#include "ha/ha.h"

/* The arena holds one packet's parse and processing state (pkt4_t alone is
 * ~4 KiB); 256 KiB leaves room for joined options and class evaluation. */
#define WORKER_ARENA_SIZE (256 * 1024)
#define WORKER_IFACES_REFRESH_S 30
/* Source MACs of the last direct queries the packet socket saw (every worker's
 * socket sees all of them; one worker answers each). A query is answered within
 * its batch, long before 256 newer direct queries can push it out. */
#define WORKER_L2SRC_MAX 256

/* A query that waited longer than --query-max-age in the socket's queue is
 * dropped unanswered (counted in pkt4-receive-drop). Under overload (per-packet SQL
 * host lookups at ~1,000/s, the 8 MiB queue holding thousands of queries) the
 * queue otherwise grows until every reply comes later than its client waits
 * (perfdhcp: 2 s here, 1 s by default; a client's first retransmission: 4 s
 * +- 1 s, RFC 2131 4.1) and the server answers no one. Dropping the stale ones keeps
 * the server answering fresh queries at its capacity, as Kea does with its
 * short queue. Ages above WORKER_STALE_MAX_MS are a clock step, not a wait. */
#define WORKER_STALE_MAX_MS 60000

/* One receive slot and the reply built for it. */
typedef struct slot {
	uint8_t rx[DHCP_PKT_MAX];
	uint8_t tx[SOCK_IPUDP_HDR_LEN + DHCP_PKT_MAX];  /* headroom for the raw path */
	struct sockaddr_in from;
	_Alignas(struct cmsghdr) uint8_t cbuf[SOCK_CMSG_SPACE];
	uint32_t iface_addr;            /* of the receiving interface, for raw sends */
} slot_t;

struct worker {
	unsigned id;
	uint16_t server_port;
	uint16_t client_port;
	unsigned batch;
	unsigned commit_window_us;
	unsigned max_age_ms;            /* --query-max-age, 0 = never drop */
	int fd;
	int raw_fd;                     /* -1: no packet socket (udp type or no CAP_NET_RAW) */
	int l2_fd;                      /* copies of direct queries (their source MAC), or -1 */
	sock_l2src_t l2[WORKER_L2SRC_MAX];
	unsigned l2_next;               /* ring position of the next entry */
	lease_store_t *store;
	lease_conn_t *conn;
	hostdb_conn_t *hosts;           /* per-packet hosts-database lookups */
	const _Atomic bool *dhcp_disabled;
	ha_t *ha;                       /* the HA service (NULL in tests without one) */
	uint32_t ha_dropped[WORKER_BATCH_MAX]; /* RELEASE/DECLINE of this batch the partner must hear of */
	unsigned n_ha_dropped;
	stats_shard_t *stats;
	arena_t arena;
	uint32_t rand_state;
	allocator_t *allocator;         /* this worker's address cursors */

	pthread_t thread;
	bool started;
	atomic_bool stop;
	_Atomic uint64_t send_fail;
	_Atomic uint64_t beats;         /* loop iterations (worker_beats) */
	const char *test_hang_path;     /* LESSOR_TEST_HANG_WORKER named this worker (environ) */

	sock_ifaces_t ifs;
	time_t ifs_loaded;

	slot_t *slots;                  /* batch entries */
	struct mmsghdr msgs[WORKER_BATCH_MAX];
	struct iovec iov[WORKER_BATCH_MAX];
	dhcp4_tx_t tx[WORKER_BATCH_MAX];
	unsigned tx_slot[WORKER_BATCH_MAX];
};

/* worker-send.c */
void worker_send_batch(worker_t *w, unsigned n_tx);
uint16_t worker_map_port(const worker_t *w, uint16_t port);

/* worker-log.c */
const char *worker_log_label(const uint8_t *p, size_t len, char *buf, size_t size);
void worker_log_send(worker_t *w, const dhcp4_tx_t *tx, uint32_t src, uint32_t dst, uint16_t dport,
                     const char *ifname);
void worker_log_query(worker_t *w, const dhcp4_rx_t *rx);
