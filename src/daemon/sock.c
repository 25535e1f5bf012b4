/* Socket helpers. See daemon/sock.h. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "daemon/sock.h"
#include "util/inaddr.h"
#include "util/macro.h"
#include "util/wire.h"

/* ---- interfaces ---- */

static sock_iface_t *ifaces_get(sock_ifaces_t *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].name, name) == 0) {
			return &t->v[i];
		}
	}
	sock_iface_t *nv = realloc(t->v, (t->n + 1) * sizeof(*nv));
	if (nv == NULL) {
		return NULL;
	}
	t->v = nv;
	sock_iface_t *ifc = &t->v[t->n++];
	*ifc = (sock_iface_t){ 0 };
	snprintf(ifc->name, sizeof(ifc->name), "%s", name);
	ifc->ifindex = (int)if_nametoindex(name);
	return ifc;
}

int sock_ifaces_load(sock_ifaces_t *ret)
{
	struct ifaddrs *ifa = NULL;
	sock_ifaces_t t = { 0 };

	assert_return(ret != NULL, -EINVAL);
	if (getifaddrs(&ifa) < 0) {
		return -errno;
	}
	for (struct ifaddrs *p = ifa; p != NULL; p = p->ifa_next) {
		if (p->ifa_name == NULL) {
			continue;
		}
		sock_iface_t *ifc = ifaces_get(&t, p->ifa_name);
		if (ifc == NULL) {
			freeifaddrs(ifa);
			sock_ifaces_done(&t);
			return -ENOMEM;
		}
		ifc->loopback = (p->ifa_flags & IFF_LOOPBACK) != 0;
		ifc->up = (p->ifa_flags & IFF_UP) != 0;
		if (p->ifa_addr == NULL || p->ifa_addr->sa_family != AF_INET ||
		    ifc->n_addrs >= SOCK_IFACE_ADDRS_MAX) {
			continue;
		}
		const struct sockaddr_in *a = (const struct sockaddr_in *)(const void *)p->ifa_addr;
		const struct sockaddr_in *m = (const struct sockaddr_in *)(const void *)p->ifa_netmask;
		ifc->addrs[ifc->n_addrs] = ntohl(a->sin_addr.s_addr);
		ifc->masks[ifc->n_addrs] = m != NULL ? ntohl(m->sin_addr.s_addr) : 0xffffffffu;
		ifc->n_addrs++;
	}
	freeifaddrs(ifa);
	*ret = t;
	return 0;
}

void sock_ifaces_done(sock_ifaces_t *t)
{
	if (t == NULL) {
		return;
	}
	free(t->v);
	*t = (sock_ifaces_t){ 0 };
}

const sock_iface_t *sock_ifaces_by_index(const sock_ifaces_t *t, int ifindex)
{
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].ifindex == ifindex) {
			return &t->v[i];
		}
	}
	return NULL;
}

const sock_iface_t *sock_ifaces_by_name(const sock_ifaces_t *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].name, name) == 0) {
			return &t->v[i];
		}
	}
	return NULL;
}

bool sock_iface_spec_match(const char *spec, const sock_iface_t *ifc, uint32_t *ret_addr)
{
	const char *slash;
	size_t nlen;

	if (ret_addr != NULL) {
		*ret_addr = 0;
	}
	if (spec == NULL || ifc == NULL) {
		return false;
	}
	if (strcmp(spec, "*") == 0) {
		return !ifc->loopback;
	}
	slash = strchr(spec, '/');
	nlen = slash != NULL ? (size_t)(slash - spec) : strlen(spec);
	if (nlen != strlen(ifc->name) || strncmp(spec, ifc->name, nlen) != 0) {
		return false;
	}
	if (slash != NULL && ret_addr != NULL) {
		uint32_t a;

		if (inaddr_parse(slash + 1, &a) == 0) {
			for (size_t i = 0; i < ifc->n_addrs; i++) {
				if (ifc->addrs[i] == a) {
					*ret_addr = a;
				}
			}
		}
	}
	return true;
}

bool sock_iface_is_bcast(const sock_iface_t *ifc, uint32_t addr)
{
	if (addr == INADDR_BROADCAST) {
		return true;
	}
	for (size_t i = 0; ifc != NULL && i < ifc->n_addrs; i++) {
		uint32_t m = ifc->masks[i];

		if (m != 0xffffffffu && m != 0xfffffffeu && addr == ((ifc->addrs[i] & m) | ~m)) {
			return true;
		}
	}
	return false;
}

/* ---- UDP ---- */

/* The kernel runs this on the UDP payload, i.e. the BOOTP header: the last
 * four bytes of chaddr (offset 28) modulo the group size pick the socket. A
 * datagram too short to hold them reads as 0 (socket 0). */
int sock_steer_by_chaddr(int fd, unsigned n)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 28 + 2),
		BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, n),
		BPF_STMT(BPF_RET | BPF_A, 0),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(code), .filter = code };

	assert_return(fd >= 0 && n > 0, -EINVAL);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_REUSEPORT_CBPF, &prog, sizeof(prog)) < 0) {
		return -errno;
	}
	return 0;
}

int sock_udp_open(uint16_t port, const char *bind_dev, int rcvtimeo_ms, int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_in sin;
	int one = 1;

	assert_return(ret_fd != NULL, -EINVAL);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0) {
		return -errno;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0) {
		return -errno;
	}
	/* The kernel's receive time of each datagram: a worker drops queries that
	 * waited in the queue longer than their client waits for the answer.
	 * Without it (never seen) nothing is dropped for age. */
	(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one));
	if (rcvtimeo_ms > 0) {
		struct timeval tv = { .tv_sec = rcvtimeo_ms / 1000, .tv_usec = (rcvtimeo_ms % 1000) * 1000 };

		if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
			return -errno;
		}
	}
	if (bind_dev != NULL &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, bind_dev, (socklen_t)strlen(bind_dev)) < 0) {
		return -errno;
	}
	/* A bigger receive buffer absorbs bursts (a relay replaying after an outage). */
	int rcvbuf = 4 << 20;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	sock_sin(&sin, INADDR_ANY, port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		return -errno;
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int sock_udp_probe(uint16_t port, const char *bind_dev)
{
	_cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	struct sockaddr_in sin;

	if (fd < 0) {
		return -errno;
	}
	if (bind_dev != NULL &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, bind_dev, (socklen_t)strlen(bind_dev)) < 0) {
		return -errno;
	}
	sock_sin(&sin, INADDR_ANY, port);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		return -errno;
	}
	return 0;
}

int sock_raw_open(int *ret_fd)
{
	assert_return(ret_fd != NULL, -EINVAL);
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	*ret_fd = fd;
	return 0;
}

/* ---- the link-layer source of direct queries ---- */

int sock_l2src_open(uint16_t port, int *ret_fd)
{
	/* Classic BPF over the IPv4 datagram (SOCK_DGRAM: no link header).
	 * Loads past the end fail the filter, which drops the packet. */
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),                  /* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 8),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),                  /* flags, fragment offset */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x3fff, 6, 0),     /* MF or an offset: drop */
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),                 /* X = IP header length */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),                  /* UDP destination port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_IND, 8 + 24),             /* giaddr */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SOCK_L2SRC_SNAP),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(code), .filter = code };
	int rcvbuf = 1 << 20;
	_cleanup_close_ int fd = -1;

	assert_return(ret_fd != NULL, -EINVAL);
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_IP));
	if (fd < 0) {
		return -errno;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0) {
		return -errno;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	/* Copies queued before the filter was attached may be anything. */
	uint8_t junk[SOCK_L2SRC_SNAP];
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) >= 0) {
	}
	*ret_fd = TAKE_FD(fd);
	return 0;
}

int sock_l2src_parse(const uint8_t *dgram, size_t len, const struct sockaddr_ll *sll,
                     sock_l2src_t *ret)
{
	size_t ihl;
	const uint8_t *bootp;

	if (sll->sll_hatype != ARPHRD_ETHER || sll->sll_halen != 6 || len < 20 ||
	    (dgram[0] >> 4) != 4 || dgram[9] != IPPROTO_UDP) {
		return -EBADMSG;
	}
	ihl = (size_t)(dgram[0] & 0x0f) * 4;
	if (ihl < 20 || len < ihl + 8 + 44) {
		return -EBADMSG;
	}
	bootp = dgram + ihl + 8;
	*ret = (sock_l2src_t){ .ifindex = sll->sll_ifindex, .xid = be32_load(bootp + 4) };
	memcpy(ret->chaddr, bootp + 28, sizeof(ret->chaddr));
	memcpy(ret->mac, sll->sll_addr, sizeof(ret->mac));
	return 0;
}

void sock_sin(struct sockaddr_in *sin, uint32_t addr, uint16_t port)
{
	*sin = (struct sockaddr_in){
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(addr),
	};
}

void sock_meta_from_msg(const struct msghdr *msg, sock_meta_t *ret)
{
	*ret = (sock_meta_t){ 0 };
	if (msg->msg_name != NULL && msg->msg_namelen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *sin = msg->msg_name;

		if (sin->sin_family == AF_INET) {
			ret->src_addr = ntohl(sin->sin_addr.s_addr);
			ret->src_port = ntohs(sin->sin_port);
		}
	}
	for (struct cmsghdr *c = CMSG_FIRSTHDR((struct msghdr *)msg); c != NULL;
	     c = CMSG_NXTHDR((struct msghdr *)msg, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct in_pktinfo))) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ret->dst_addr = ntohl(pi.ipi_addr.s_addr);
			ret->local_addr = ntohl(pi.ipi_spec_dst.s_addr);
			ret->ifindex = pi.ipi_ifindex;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		           c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			ret->rx_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
		}
	}
}

void sock_msg_set_pktinfo(struct msghdr *msg, uint8_t *cbuf, uint32_t src_addr, int ifindex)
{
	struct in_pktinfo pi = { 0 };
	struct cmsghdr *c;

	_Static_assert(CMSG_SPACE(sizeof(struct in_pktinfo)) <= SOCK_CMSG_SPACE, "cmsg space");
	memset(cbuf, 0, SOCK_CMSG_SPACE);
	msg->msg_control = cbuf;
	msg->msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo));
	c = CMSG_FIRSTHDR(msg);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	pi.ipi_ifindex = ifindex;
	pi.ipi_spec_dst.s_addr = htonl(src_addr);
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
}

/* ---- raw IPv4 + UDP ---- */

uint32_t sock_csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)((p[i] << 8) | p[i + 1]);
	}
	if (i < len) {
		sum += (uint32_t)(p[i] << 8);   /* odd length: pad with a zero byte */
	}
	return sum;
}

uint16_t sock_csum_fold(uint32_t sum)
{
	while (sum >> 16) {
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

int sock_ipv4_udp_build(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, uint16_t sport,
                        uint16_t dport, const uint8_t *payload, size_t len)
{
	size_t total = SOCK_IPUDP_HDR_LEN + len;
	uint8_t *ip = buf;
	uint8_t *udp = buf + 20;
	uint8_t pseudo[12];
	uint32_t sum;
	uint16_t c;

	if (buf == NULL || total > cap || total > 0xffff) {
		return -EMSGSIZE;
	}
	if (payload != buf + SOCK_IPUDP_HDR_LEN) {
		memmove(buf + SOCK_IPUDP_HDR_LEN, payload, len);
	}

	/* RFC 791 §3.1. Same field values as Kea's writeIpUdpHeader. */
	ip[0] = 0x45;                           /* version 4, IHL 5 words */
	ip[1] = IPTOS_LOWDELAY;
	be16_store(ip + 2, (uint16_t)total);
	be16_store(ip + 4, 0);                  /* identification */
	be16_store(ip + 6, 0x4000);             /* DF, fragment offset 0 */
	ip[8] = 128;                            /* TTL */
	ip[9] = IPPROTO_UDP;
	be16_store(ip + 10, 0);
	be32_store(ip + 12, src);
	be32_store(ip + 16, dst);
	be16_store(ip + 10, (uint16_t)~sock_csum_fold(sock_csum_add(0, ip, 20)));

	/* RFC 768: checksum over pseudo header (src, dst, 0, proto, UDP length),
	 * the UDP header and the data. */
	be16_store(udp + 0, sport);
	be16_store(udp + 2, dport);
	be16_store(udp + 4, (uint16_t)(8 + len));
	be16_store(udp + 6, 0);
	be32_store(pseudo + 0, src);
	be32_store(pseudo + 4, dst);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	be16_store(pseudo + 10, (uint16_t)(8 + len));
	sum = sock_csum_add(0, pseudo, sizeof(pseudo));
	sum = sock_csum_add(sum, udp, 8 + len);
	c = (uint16_t)~sock_csum_fold(sum);
	be16_store(udp + 6, c == 0 ? 0xffff : c);   /* 0 means "no checksum" */
	return (int)total;
}

int sock_raw_send(int fd, int ifindex, const uint8_t *mac, size_t mac_len, const uint8_t *dgram,
                  size_t len)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = ifindex,
	};

	if (mac_len == 0 || mac_len > sizeof(sll.sll_addr)) {
		return -EINVAL;
	}
	sll.sll_halen = (unsigned char)mac_len;
	memcpy(sll.sll_addr, mac, mac_len);
	if (sendto(fd, dgram, len, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		return -errno;
	}
	return 0;
}
