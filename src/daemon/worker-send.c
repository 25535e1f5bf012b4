/* A worker's send side: a batch's replies by UDP (sendmmsg) or, to a directly
 * connected client with no address yet, on the packet socket to its MAC. */
#include <errno.h>
#include <linux/if_packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/worker-int.h"
#include "dhcp/proto.h"
#include "util/inaddr.h"
#include "util/log.h"
#include "util/wire.h"

static int send_udp(worker_t *w, const dhcp4_tx_t *tx, uint32_t dst, uint16_t dport, int ifindex)
{
	struct sockaddr_in to;
	_Alignas(struct cmsghdr) uint8_t cbuf[SOCK_CMSG_SPACE];
	struct iovec iov = { .iov_base = tx->buf, .iov_len = tx->len };
	struct msghdr msg = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov, .msg_iovlen = 1 };

	sock_sin(&to, dst, dport);
	if (tx->src_addr != 0 || ifindex != 0) {
		sock_msg_set_pktinfo(&msg, cbuf, tx->src_addr, ifindex);
	}
	if (sendmsg(w->fd, &msg, 0) >= 0) {
		return 0;
	}
	if (errno == EINVAL && msg.msg_control != NULL && ifindex == 0) {
		/* the source address is not local (e.g. a configured server id):
		 * let routing pick one rather than not answering */
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		if (sendmsg(w->fd, &msg, 0) >= 0) {
			return 0;
		}
	}
	return -errno;
}

/* Take every copy queued on the packet socket into the ring (bounded, so a
 * flood cannot keep a worker here). Called once per batch, before its sends:
 * the kernel queues a frame's copy before the UDP socket gets the datagram. */
static void l2_drain(worker_t *w)
{
	enum { N = 16 };
	uint8_t buf[N][SOCK_L2SRC_SNAP];
	struct sockaddr_ll sll[N];
	struct iovec iov[N];
	struct mmsghdr mm[N];

	for (unsigned round = 0; w->l2_fd >= 0 && round < 64; round++) {
		for (unsigned i = 0; i < N; i++) {
			iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = sizeof(buf[i]) };
			mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &sll[i], .msg_namelen = sizeof(sll[i]),
			                                       .msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		int n = recvmmsg(w->l2_fd, mm, N, MSG_DONTWAIT, NULL);
		if (n <= 0) {
			return;
		}
		for (int i = 0; i < n; i++) {
			sock_l2src_t e;

			if (sock_l2src_parse(buf[i], MIN((size_t)mm[i].msg_len, sizeof(buf[i])), &sll[i], &e) == 0) {
				w->l2[w->l2_next] = e;
				w->l2_next = (w->l2_next + 1) % WORKER_L2SRC_MAX;
			}
		}
		if (n < N) {
			return;
		}
	}
}

/* Where a frame to a directly connected client goes: the source MAC of its
 * query, as Kea's packet filter answers (checked on Kea 2.2 with a client
 * whose frames carry another MAC than chaddr), else chaddr when it is an
 * Ethernet address. NULL: no link-layer address to use. */
static const uint8_t *link_dst(const worker_t *w, const dhcp4_tx_t *tx, const slot_t *s)
{
	uint32_t xid = be32_load(s->rx + 4);
	const uint8_t *chaddr = s->rx + 28;

	for (unsigned k = 1; w->l2_fd >= 0 && k <= WORKER_L2SRC_MAX; k++) {
		const sock_l2src_t *e = &w->l2[(w->l2_next + WORKER_L2SRC_MAX - k) % WORKER_L2SRC_MAX];

		if (e->ifindex == 0) {
			break;          /* the ring was never filled this far */
		}
		if (e->ifindex == tx->ifindex && e->xid == xid && memcmp(e->chaddr, chaddr, 16) == 0) {
			return e->mac;
		}
	}
	return tx->hlen == 6 && tx->len >= 2 && tx->buf[1] == 1 ? tx->chaddr : NULL;
}

/* A frame to @mac carrying an IPv4/UDP datagram built here: how a client
 * without an address, or whose ciaddr is not on the link yet, is reached
 * without ARP (RFC 2131 §4.1). The DHCP payload already sits after the header
 * room in the slot's tx buffer. */
static int send_raw(worker_t *w, const dhcp4_tx_t *tx, const uint8_t *mac, uint32_t src, uint32_t dst,
                    uint16_t dport)
{
	uint8_t *hdr = tx->buf - SOCK_IPUDP_HDR_LEN;
	int n = sock_ipv4_udp_build(hdr, SOCK_IPUDP_HDR_LEN + DHCP_PKT_MAX, src, dst, w->server_port, dport,
	                            tx->buf, tx->len);

	if (n < 0) {
		return n;
	}
	return sock_raw_send(w->raw_fd, tx->ifindex, mac, 6, hdr, (size_t)n);
}

/* -p / -P: the engine addresses Kea's standard ports; map them to the ports
 * this server was started with. */
uint16_t worker_map_port(const worker_t *w, uint16_t port)
{
	if (port == DHCP_CLIENT_PORT) {
		return w->client_port;
	}
	if (port == DHCP_SERVER_PORT) {
		return w->server_port;
	}
	return port;
}

static void send_failed(worker_t *w, const dhcp4_tx_t *tx, int r)
{
	char label[256];

	atomic_fetch_add_explicit(&w->send_fail, 1, memory_order_relaxed);
	log_error(LOGGER_PACKETS, "DHCP4_PACKET_SEND_FAIL", "%s: failed to send DHCPv4 packet: %s",
	          worker_log_label(tx->buf, tx->len, label, sizeof(label)), strerror(-r));
}

static const char *tx_ifname(const worker_t *w, const dhcp4_tx_t *tx)
{
	const sock_iface_t *ifc = sock_ifaces_by_index(&w->ifs, tx->ifindex);

	return ifc != NULL ? ifc->name : "*";
}

/* Send one reply on its own (broadcast, packet socket, or a UDP reply that
 * sendmmsg could not send). @logged: DHCP4_PACKET_SEND was already written.
 * pkt4-sent and pkt4-<type>-sent are counted by the engine when it builds the
 * reply (dhcp4.c); only failures are counted here. */
static void send_one(worker_t *w, const dhcp4_tx_t *tx, const slot_t *s, bool logged)
{
	const char *ifname = tx_ifname(w, tx);
	uint32_t src = tx->src_addr != 0 ? tx->src_addr : s->iface_addr;
	uint16_t dport = w->client_port;
	const uint8_t *mac;
	int r;

	switch (tx->kind) {
	case DHCP4_TX_UDP:
		dport = worker_map_port(w, tx->dst_port);
		if (!logged) {
			worker_log_send(w, tx, tx->src_addr, tx->dst_addr, dport, ifname);
		}
		r = send_udp(w, tx, tx->dst_addr, dport, 0);
		break;
	case DHCP4_TX_BROADCAST:
		worker_log_send(w, tx, src, INADDR_BROADCAST, dport, ifname);
		r = send_udp(w, tx, INADDR_BROADCAST, dport, tx->ifindex);
		break;
	case DHCP4_TX_LINK:
		worker_log_send(w, tx, src, tx->dst_addr, dport, ifname);
		mac = w->raw_fd >= 0 && tx->ifindex > 0 ? link_dst(w, tx, s) : NULL;
		if (mac != NULL) {
			r = send_raw(w, tx, mac, src, tx->dst_addr, dport);
		} else if (tx->dst_addr == INADDR_BROADCAST || s->from.sin_addr.s_addr == 0) {
			/* no packet socket (no CAP_NET_RAW): a client without
			 * an address is reached by broadcast (RFC 2131 §4.1) */
			r = send_udp(w, tx, INADDR_BROADCAST, dport, tx->ifindex);
		} else {
			r = send_udp(w, tx, tx->dst_addr, dport, 0);
		}
		break;
	default:
		r = -EINVAL;
		break;
	}
	if (r < 0) {
		send_failed(w, tx, r);
	}
}

/* Send the batch's replies: plain UDP ones (every relayed reply) with one
 * sendmmsg, the rest one by one. A message sendmmsg stops at is retried alone
 * (send_udp() knows how to recover from a non-local source address). */
void worker_send_batch(worker_t *w, unsigned n_tx)
{
	struct mmsghdr mm[WORKER_BATCH_MAX];
	struct sockaddr_in to[WORKER_BATCH_MAX];
	struct iovec iov[WORKER_BATCH_MAX];
	unsigned idx[WORKER_BATCH_MAX];
	unsigned nu = 0;

	l2_drain(w);
	for (unsigned k = 0; k < n_tx; k++) {
		dhcp4_tx_t *tx = &w->tx[k];
		slot_t *s = &w->slots[w->tx_slot[k]];

		if (tx->kind != DHCP4_TX_UDP) {
			send_one(w, tx, s, false);
			continue;
		}
		uint16_t dport = worker_map_port(w, tx->dst_port);

		worker_log_send(w, tx, tx->src_addr, tx->dst_addr, dport, tx_ifname(w, tx));
		sock_sin(&to[nu], tx->dst_addr, dport);
		iov[nu] = (struct iovec){ .iov_base = tx->buf, .iov_len = tx->len };
		mm[nu] = (struct mmsghdr){ .msg_hdr = { .msg_name = &to[nu], .msg_namelen = sizeof(to[nu]),
		                                         .msg_iov = &iov[nu], .msg_iovlen = 1 } };
		if (tx->src_addr != 0) {
			/* the slot's receive control buffer is free again: reuse it */
			sock_msg_set_pktinfo(&mm[nu].msg_hdr, s->cbuf, tx->src_addr, 0);
		}
		idx[nu++] = k;
	}

	unsigned done = 0;
	while (done < nu) {
		int r = sendmmsg(w->fd, mm + done, nu - done, 0);

		if (r > 0) {
			done += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR) {
			continue;
		}
		/* the first unsent message failed: handle it alone, go on after it */
		send_one(w, &w->tx[idx[done]], &w->slots[w->tx_slot[idx[done]]], true);
		done++;
	}
}
