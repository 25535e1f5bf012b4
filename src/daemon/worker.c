/* Packet worker thread: setup and the loop (the send side is worker-send.c,
 * the packet log lines worker-log.c). See daemon/worker.h for the loop and its
 * invariants. */
#include <errno.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cfg/cfg-current.h"
#include "daemon/worker-int.h"
#include "daemon/sock.h"
#include "dhcp/pkt4-dump.h"
#include "dhcp/proto.h"
#include "engine/allocator.h"
#include "engine/dhcp4.h"
#include "ha/ha.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/macro.h"
#include "util/wire.h"

/* ---- setup ---- */

const char *worker_bind_dev(const cfg_interfaces_t *ifaces, char *buf, size_t size)
{
	/* RFC 2131 §4.1 lets a server restrict itself to some interfaces; binding
	 * to the device is only possible (and only useful) with exactly one. */
	if (ifaces->n_names != 1 || strcmp(ifaces->names[0], "*") == 0) {
		return NULL;
	}
	const char *name = ifaces->names[0];
	const char *slash = strchr(name, '/');
	size_t n = slash != NULL ? (size_t)(slash - name) : strlen(name);

	if (n == 0 || n >= size) {
		return NULL;
	}
	memcpy(buf, name, n);
	buf[n] = '\0';
	return buf;
}

int worker_new(const worker_cfg_t *wc, worker_t **ret, char *reterr, size_t errlen)
{
	worker_t *w;
	const char *bind_dev;
	char dev[IF_NAMESIZE];
	int r;

	assert_return(wc != NULL && ret != NULL && wc->store != NULL && wc->stats != NULL, -EINVAL);
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		return -ENOMEM;
	}
	w->id = wc->id;
	w->server_port = wc->server_port;
	w->client_port = wc->client_port;
	w->batch = wc->batch == 0 ? WORKER_BATCH_MAX : MIN(wc->batch, WORKER_BATCH_MAX);
	/* the window gathers writes for one sync; a store whose writes are
	 * durable at once would only hold its replies back */
	w->commit_window_us = wc->store->writes_durable ? 0 : wc->commit_window_us;
	w->max_age_ms = wc->max_age_ms;
	/* test-only (test_privdrop.test_watchdog_worker_stuck), "ID:PATH": worker
	 * ID hangs at its first batch once PATH exists, as a deadlocked one would */
	const char *hang = getenv("LESSOR_TEST_HANG_WORKER");
	char *end = NULL;
	if (hang != NULL && strtoul(hang, &end, 10) == wc->id && *end == ':') {
		w->test_hang_path = end + 1;
	}
	w->fd = -1;
	w->raw_fd = -1;
	w->l2_fd = -1;
	w->store = wc->store;
	w->stats = wc->stats;
	w->dhcp_disabled = wc->dhcp_disabled;
	w->ha = wc->ha;
	w->rand_state = (uint32_t)time(NULL) ^ (wc->id * 2654435761u);
	atomic_init(&w->stop, false);
	atomic_init(&w->send_fail, 0);

	w->slots = calloc(w->batch, sizeof(*w->slots));
	if (w->slots == NULL) {
		worker_free(w);
		return -ENOMEM;
	}
	r = arena_init(&w->arena, WORKER_ARENA_SIZE);
	if (r < 0) {
		worker_free(w);
		return r;
	}
	r = allocator_new(wc->id > 0 ? wc->id - 1 : 0, MAX(wc->n_workers, 1u), &w->allocator);
	if (r < 0) {
		worker_free(w);
		return r;
	}
	allocator_share(w->allocator, wc->alloc_shared);
	allocator_spread(w->allocator, wc->alloc_spread);

	bind_dev = wc->ifaces != NULL ? worker_bind_dev(wc->ifaces, dev, sizeof(dev)) : NULL;
	r = sock_udp_open(wc->server_port, bind_dev, WORKER_RCVTIMEO_MS, &w->fd);
	if (r < 0) {
		snprintf(reterr, errlen, "failed to open UDP socket on port %u%s%s: %s", wc->server_port,
		         bind_dev != NULL ? " bound to " : "", bind_dev != NULL ? bind_dev : "", strerror(-r));
		worker_free(w);
		return r;
	}
	/* One program per group: set again by each new worker, the last wins. */
	if (wc->steer_by_chaddr && wc->n_workers > 1) {
		r = sock_steer_by_chaddr(w->fd, wc->n_workers);
		if (r < 0 && wc->id == 1) {
			log_warn(LOGGER_DHCPSRV, "LESSOR_STEER_FAIL", "cannot spread clients over the "
			         "workers (SO_ATTACH_REUSEPORT_CBPF): %s", strerror(-r));
		}
	}
	if (wc->ifaces == NULL || wc->ifaces->socket_type == CFG_SOCKET_RAW) {
		r = sock_raw_open(&w->raw_fd);
		if (r < 0 && wc->id == 1) {
			log_warn(LOGGER_DHCPSRV, "DHCPSRV_OPEN_SOCKET_FAIL", "failed to open socket: %s",
			         "packet socket for direct replies unavailable, falling back to broadcast");
		}
		if (r == 0 && sock_l2src_open(wc->server_port, &w->l2_fd) < 0 && wc->id == 1) {
			log_warn(LOGGER_DHCPSRV, "DHCPSRV_OPEN_SOCKET_FAIL", "failed to open socket: %s",
			         "cannot learn the source MAC of direct queries, replying to chaddr");
		}
	}
	r = lease_conn_open(wc->store, &w->conn);
	if (r < 0) {
		snprintf(reterr, errlen, "failed to open a lease database connection: %s", strerror(-r));
		worker_free(w);
		return r;
	}
	w->hosts = hostdb_conn_new();
	if (w->hosts == NULL) {
		snprintf(reterr, errlen, "%s", strerror(ENOMEM));
		worker_free(w);
		return -ENOMEM;
	}
	hostdb_conn_set_lost_flag(w->hosts, wc->hosts_lost);
	(void)sock_ifaces_load(&w->ifs);
	w->ifs_loaded = time(NULL);

	for (unsigned i = 0; i < w->batch; i++) {
		w->iov[i] = (struct iovec){ .iov_base = w->slots[i].rx, .iov_len = sizeof(w->slots[i].rx) };
	}
	*ret = w;
	return 0;
}

/* ---- receive side ---- */

static void msgs_arm(worker_t *w)
{
	for (unsigned i = 0; i < w->batch; i++) {
		slot_t *s = &w->slots[i];

		w->msgs[i].msg_hdr = (struct msghdr){
			.msg_name = &s->from,
			.msg_namelen = sizeof(s->from),
			.msg_iov = &w->iov[i],
			.msg_iovlen = 1,
			.msg_control = s->cbuf,
			.msg_controllen = sizeof(s->cbuf),
		};
		w->msgs[i].msg_len = 0;
	}
}

/* The receiving interface, reloading the table when it is stale or the index is
 * unknown (an interface that appeared after start), at most once a second. */
static const sock_iface_t *iface_lookup(worker_t *w, int ifindex, time_t now)
{
	const sock_iface_t *ifc = sock_ifaces_by_index(&w->ifs, ifindex);

	if ((ifc == NULL && now != w->ifs_loaded) || now - w->ifs_loaded >= WORKER_IFACES_REFRESH_S) {
		sock_ifaces_t t = { 0 };

		w->ifs_loaded = now;
		if (sock_ifaces_load(&t) == 0) {
			sock_ifaces_done(&w->ifs);
			w->ifs = t;
		}
		ifc = sock_ifaces_by_index(&w->ifs, ifindex);
	}
	return ifc;
}

/* interfaces-config: accept only what arrives on a configured interface ("*" =
 * all but loopback). Relayed unicast arrives on some configured interface too,
 * so the same test covers it. Returns false to drop; *ret_addr gets the address
 * an "eth0/ADDR" entry pins, else the interface's primary address. */
static bool iface_allowed(const cfg_t *cfg, const sock_iface_t *ifc, uint32_t *ret_addr)
{
	for (size_t i = 0; i < cfg->interfaces.n_names; i++) {
		uint32_t pinned = 0;

		if (sock_iface_spec_match(cfg->interfaces.names[i], ifc, &pinned)) {
			*ret_addr = pinned != 0 ? pinned : (ifc->n_addrs > 0 ? ifc->addrs[0] : 0);
			return true;
		}
	}
	return false;
}

/* ---- the loop ---- */

/* The wall clock in ns (the kernel's receive stamps are CLOCK_REALTIME). */
static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Whether a query waited so long in the receive queue that its client has
 * likely given up on this copy (--query-max-age, see worker-int.h). @now_ns
 * is read once per receive batch: a batch takes far less than the limit. */
static bool query_stale(const worker_t *w, const sock_meta_t *meta, int64_t now_ns)
{
	if (w->max_age_ms == 0 || meta->rx_ns == 0) {
		return false;
	}
	int64_t age_ms = (now_ns - meta->rx_ns) / 1000000;
	return age_ms > (int64_t)w->max_age_ms && age_ms < WORKER_STALE_MAX_MS;
}

/* Process received slots [from, to) of the batch, received at @rx_now_ns;
 * replies are appended to w->tx from index n_tx on. Returns the new reply count. */
static unsigned batch_handle(worker_t *w, dhcp4_ctx_t *ctx, unsigned from, unsigned to,
                             unsigned n_tx, int64_t rx_now_ns)
{
	const cfg_t *cfg = ctx->cfg;
	time_t now = (time_t)ctx->now;
	int r;

	for (unsigned i = from; i < to; i++) {
		slot_t *s = &w->slots[i];
		struct msghdr *mh = &w->msgs[i].msg_hdr;
		sock_meta_t meta;
		const sock_iface_t *ifc;
		verdict_t verdict = VERDICT_DROP;

		sock_meta_from_msg(mh, &meta);
		ifc = iface_lookup(w, meta.ifindex, now);
		if (ifc == NULL || !iface_allowed(cfg, ifc, &s->iface_addr)) {
			continue;       /* Kea has no socket there: not even counted */
		}
		/* The kernel hands a copy of every broadcast datagram to each socket
		 * of the SO_REUSEPORT group (unicast goes to exactly one). Worker 1
		 * answers broadcasts, the others ignore their copies. */
		if (sock_iface_is_bcast(ifc, meta.dst_addr) &&
		    (w->id != 1 || cfg->interfaces.socket_type == CFG_SOCKET_UDP)) {
			/* dhcp-socket-type udp: Kea's UDP sockets are bound to
			 * the interface addresses, so it never receives a
			 * broadcast (checked on Kea 2.2): neither do we */
			continue;
		}
		if ((mh->msg_flags & MSG_TRUNC) != 0) {
			stats_inc(w->stats, STAT_PKT4_RECEIVED);
			stats_inc(w->stats, STAT_PKT4_RECEIVE_DROP);
			continue;
		}
		if (query_stale(w, &meta, rx_now_ns)) {
			stats_inc(w->stats, STAT_PKT4_RECEIVED);
			stats_inc(w->stats, STAT_PKT4_RECEIVE_DROP);
			log_debug(LOGGER_PACKETS, LOG_DBG_DETAIL, "LESSOR_PACKET_STALE",
			          "dropped a query that waited more than %u ms in the receive queue",
			          w->max_age_ms);
			continue;
		}

		dhcp4_rx_t rx = {
			.buf = s->rx,
			.len = w->msgs[i].msg_len,
			.src_addr = meta.src_addr,
			.src_port = meta.src_port,
			.dst_addr = meta.dst_addr,
			.ifindex = meta.ifindex,
			.iface_addr = s->iface_addr,
		};
		snprintf(rx.ifname, sizeof(rx.ifname), "%s", ifc->name);

		if (log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_DETAIL)) {
			char sa[INADDR_STRLEN], da[INADDR_STRLEN];

			log_emit(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_DETAIL, "DHCP4_BUFFER_RECEIVED",
			         "received buffer from %s:%u to %s:%u over interface %s",
			         inaddr_fmt(rx.src_addr, sa), rx.src_port, inaddr_fmt(rx.dst_addr, da),
			         w->server_port, rx.ifname);
		}

		if (log_enabled(LOGGER_PACKETS, LOG_SEV_DEBUG, LOG_DBG_TRACE_DATA)) {
			worker_log_query(w, &rx);
		}

		dhcp4_tx_t *tx = &w->tx[n_tx];
		*tx = (dhcp4_tx_t){ .buf = s->tx + SOCK_IPUDP_HDR_LEN };
		arena_reset(&w->arena);
		/* every reply of the batch waits for its sync; the last packet
		 * before it (no commit window to follow) may carry the sync */
		lease_conn_batch_hint(w->conn, i + 1 == to && w->commit_window_us == 0);
		r = dhcp4_process(ctx, &rx, tx, &verdict);
		arena_reset(&w->arena);
		if (r < 0) {
			stats_inc(w->stats, STAT_PKT4_RECEIVE_DROP);
			log_debug(LOGGER_PACKETS, LOG_DBG_TRACE, "DHCP4_PACKET_PROCESS_EXCEPTION",
			          "exception occurred during packet processing: %s", strerror(-r));
			continue;
		}
		if (verdict == VERDICT_REPLY && tx->len > 0 && tx->len <= DHCP_PKT_MAX) {
			w->tx_slot[n_tx] = i;
			n_tx++;
		} else if (tx->ha_addr != 0 && w->n_ha_dropped < WORKER_BATCH_MAX) {
			w->ha_dropped[w->n_ha_dropped++] = tx->ha_addr;
		} else if (tx->ha_client != 0 && w->ha != NULL) {
			ha_note_client(w->ha, tx->ha_client, tx->ha_secs);
		}
	}
	return n_tx;
}

/* Whether the batch holds an ACK, i.e. a lease change that needs an fsync. */
static bool batch_has_ack(const worker_t *w, unsigned n_tx)
{
	for (unsigned i = 0; i < n_tx; i++) {
		if (w->tx[i].msg_type == DHCPACK) {
			return true;
		}
	}
	return false;
}

/* Wait until @deadline for more datagrams and receive them into the free slots
 * from @n on. Returns how many arrived (0 when the window closed empty). */
static int batch_wait_more(worker_t *w, unsigned n, const struct timespec *deadline)
{
	struct timespec now;
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t left_ns = (deadline->tv_sec - now.tv_sec) * 1000000000LL +
	                  (deadline->tv_nsec - now.tv_nsec);
	if (left_ns <= 0) {
		return 0;
	}
	struct timespec left = { .tv_sec = left_ns / 1000000000LL, .tv_nsec = left_ns % 1000000000LL };
	if (ppoll(&pfd, 1, &left, NULL) <= 0) {
		return 0;
	}
	int m = recvmmsg(w->fd, &w->msgs[n], w->batch - n, MSG_DONTWAIT, NULL);
	return m > 0 ? m : 0;
}

/* Park one lease change (with its reply when @tx is not NULL) for the HA
 * thread; over the limit the reply is dropped. */
static void ha_park_one(worker_t *w, uint32_t addr, const dhcp4_tx_t *tx)
{
	ha_parked_t p = { .addr = addr, .fd = -1 };

	if (tx != NULL) {
		p.has_reply = true;
		p.tx = *tx;
		p.dport = worker_map_port(w, tx->kind == DHCP4_TX_UDP ? tx->dst_port : DHCP_CLIENT_PORT);
		memcpy(p.buf, tx->buf, tx->len);
		p.fd = dup(w->fd);      /* the worker may be replaced before the ack */
		if (p.fd < 0) {
			atomic_fetch_add_explicit(&w->send_fail, 1, memory_order_relaxed);
			return;
		}
	}
	if (!ha_park(w->ha, &p)) {
		/* Kea's parked-packet-limit: the reply is dropped, the client retries */
		stats_inc(w->stats, STAT_PKT4_RECEIVE_DROP);
		if (p.fd >= 0) {
			close(p.fd);
		}
	}
}

/* The batch's lease changes after their sync: with the partner in a state
 * that takes updates (or backups and wait-backup-ack), each ACK waits in the
 * HA thread for the ack (Kea's parking lot); with backups only, the change
 * follows its reply; otherwise they are counted as unsent. Replies to
 * directly connected clients through the packet socket are not parked (the
 * HA thread has no packet socket): they leave now, their update follows.
 * Returns how many replies remain to send now. */
static unsigned ha_hand_over(worker_t *w, unsigned filter, unsigned n_tx)
{
	bool park = (filter & HA_F_PARK) != 0;
	bool send = (filter & (HA_F_PARK | HA_F_SEND)) != 0;
	unsigned keep = 0;

	for (unsigned i = 0; i < w->n_ha_dropped; i++) {
		if (send) {
			ha_park_one(w, w->ha_dropped[i], NULL);
		} else {
			ha_note_unsent(w->ha);
		}
	}
	for (unsigned k = 0; k < n_tx; k++) {
		dhcp4_tx_t *tx = &w->tx[k];
		bool held = false;

		if (tx->ha_addr != 0 && !send) {
			ha_note_unsent(w->ha);
		} else if (tx->ha_addr != 0) {
			/* backups without wait-backup-ack: the update follows the reply */
			held = park && tx->kind != DHCP4_TX_LINK;
			ha_park_one(w, tx->ha_addr, held ? tx : NULL);
		}
		if (!held) {
			w->tx[keep] = *tx;
			w->tx_slot[keep] = w->tx_slot[k];
			keep++;
		}
	}
	return keep;
}

/* LESSOR_TEST_HANG_WORKER: once its file exists, no progress until asked to
 * stop. Returns whether it hung. */
static bool test_hang(worker_t *w)
{
	if (access(w->test_hang_path, F_OK) < 0) {
		return false;
	}
	while (!atomic_load_explicit(&w->stop, memory_order_relaxed)) {
		usleep(10000);
	}
	return true;
}

static void batch_process(worker_t *w, unsigned n)
{
	if (unlikely(w->test_hang_path != NULL) && test_hang(w)) {
		return;
	}
	const cfg_t *cfg = cfg_acquire();
	int64_t rx_now_ns = realtime_ns();
	int r;

	if (cfg == NULL) {
		/* not configured yet (cannot happen after start) */
		stats_add(w->stats, STAT_PKT4_RECEIVE_DROP, n);
		return;
	}

	dhcp4_ctx_t ctx = {
		.cfg = cfg,
		.conn = w->conn,
		.hosts = w->hosts,
		.stats = w->stats,
		.arena = &w->arena,
		.now = rx_now_ns / 1000000000,
		.rand_state = w->rand_state,
		.allocator = w->allocator,
		.dhcp_disabled = w->dhcp_disabled != NULL &&
		                 atomic_load_explicit(w->dhcp_disabled, memory_order_relaxed),
		.ha_filter = ha_filter(w->ha),
	};
	w->n_ha_dropped = 0;
	unsigned n_tx = batch_handle(w, &ctx, 0, n, 0, rx_now_ns);

	/* Group commit window: a batch that changed leases waits up to
	 * WORKER_COMMIT_WINDOW_US for more requests, so that one fdatasync covers
	 * them all. fsync is most of a durable exchange's CPU (the kernel's I/O
	 * path), and a DHCP client does not notice a reply 2 ms later. A full
	 * batch, or a window that stays quiet, ends the wait at once. */
	if (w->commit_window_us > 0 && n < w->batch && batch_has_ack(w, n_tx)) {
		struct timespec deadline;

		clock_gettime(CLOCK_MONOTONIC, &deadline);
		deadline.tv_nsec += (long)w->commit_window_us * 1000L;
		deadline.tv_sec += deadline.tv_nsec / 1000000000L;
		deadline.tv_nsec %= 1000000000L;
		while (n < w->batch) {
			int m = batch_wait_more(w, n, &deadline);
			if (m <= 0) {
				break;
			}
			n_tx = batch_handle(w, &ctx, n, n + (unsigned)m, n_tx, realtime_ns());
			n += (unsigned)m;
		}
	}
	w->rand_state = ctx.rand_state;

	/* Durability before the reply: every lease change this batch made reaches
	 * stable storage before any OFFER/ACK of the batch leaves. If that fails no
	 * reply may go out, since the client would hold a lease we could forget. */
	r = lease_conn_sync(w->conn);
	if (r < 0) {
		log_error(LOGGER_DHCPSRV, "LESSOR_LEASE_SYNC_FAIL",
		          "failed to make %u lease change(s) durable: %s; replies of this batch are dropped",
		          n_tx, strerror(-r));
		atomic_fetch_add_explicit(&w->send_fail, n_tx, memory_order_relaxed);
		n_tx = 0;
	}

	if (r == 0 && (ctx.ha_filter & HA_F_ON) != 0) {
		n_tx = ha_hand_over(w, ctx.ha_filter, n_tx);
	}
	worker_send_batch(w, n_tx);
	cfg_release(cfg);
}

static void *worker_main(void *arg)
{
	worker_t *w = arg;
	unsigned errors = 0;

	while (!atomic_load_explicit(&w->stop, memory_order_relaxed)) {
		atomic_fetch_add_explicit(&w->beats, 1, memory_order_relaxed);
		msgs_arm(w);
		/* Blocks for the first datagram (up to SO_RCVTIMEO), then takes what
		 * is already queued, up to a batch. */
		int n = recvmmsg(w->fd, w->msgs, w->batch, MSG_WAITFORONE, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
				continue;
			}
			if (errors++ < 10) {
				log_error(LOGGER_PACKETS, "DHCP4_BUFFER_RECEIVE_FAIL",
				          "error on attempt to receive packet: %s", strerror(errno));
			}
			usleep(10000);
			continue;
		}
		if (n == 0) {
			continue;
		}
		batch_process(w, (unsigned)n);
	}

	/* Stopping (shutdown, or a reload that replaces the sockets): answer what
	 * is already queued on this socket, since closing it would discard those
	 * datagrams. Bounded, so a flood cannot hold the stop up. */
	for (unsigned i = 0; i < 16; i++) {
		msgs_arm(w);
		int n = recvmmsg(w->fd, w->msgs, w->batch, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			break;
		}
		batch_process(w, (unsigned)n);
	}
	return NULL;
}

int worker_start(worker_t *w)
{
	int r;

	assert_return(w != NULL && !w->started, -EINVAL);
	r = pthread_create(&w->thread, NULL, worker_main, w);
	if (r != 0) {
		return -r;
	}
	w->started = true;
	char name[16];
	snprintf(name, sizeof(name), "lessor-w%u", w->id);
	(void)pthread_setname_np(w->thread, name);
	return 0;
}

void worker_request_stop(worker_t *w)
{
	if (w != NULL) {
		atomic_store(&w->stop, true);
	}
}

worker_t *worker_free(worker_t *w)
{
	if (w == NULL) {
		return NULL;
	}
	if (w->started) {
		worker_request_stop(w);
		pthread_join(w->thread, NULL);
		w->started = false;
	}
	if (w->conn != NULL) {
		(void)lease_conn_sync(w->conn);
		lease_conn_close(w->conn);
	}
	hostdb_conn_free(w->hosts);
	if (w->fd >= 0) {
		close(w->fd);
	}
	if (w->raw_fd >= 0) {
		close(w->raw_fd);
	}
	if (w->l2_fd >= 0) {
		close(w->l2_fd);
	}
	sock_ifaces_done(&w->ifs);
	allocator_free(w->allocator);
	arena_done(&w->arena);
	free(w->slots);
	free(w);
	return NULL;
}

uint64_t worker_beats(const worker_t *w)
{
	return atomic_load_explicit(&((worker_t *)w)->beats, memory_order_relaxed);
}

uint64_t worker_send_failures(const worker_t *w)
{
	return atomic_load_explicit(&((worker_t *)w)->send_fail, memory_order_relaxed);
}

bool worker_has_raw(const worker_t *w)
{
	return w->raw_fd >= 0;
}
