/* lessor-probe: one real DORA against a DHCPv4 server, as a health check.
 *
 *   lessor-probe [-4] -l GIADDR [-b mac=MAC] [-W USEC] [--release] SERVER
 *       relayed: bind GIADDR:67 (as perfdhcp does), send to SERVER:67
 *   lessor-probe [-4] -l IFACE [-b mac=MAC] [-W USEC] [--release] [SERVER]
 *       a directly connected client on IFACE (packet socket, broadcast;
 *       SERVER, if given, receives the RELEASE)
 *   --request ADDR skips the DISCOVER (INIT-REBOOT for ADDR).
 *
 * Prints each step with its time, then "result: ACK ADDR ..." and exits 0
 * only on an ACK; exits 1 with "result: FAIL reason" when the server does not
 * answer (or, what looks the same on the wire, has no free address: Kea and
 * lessor stay silent), NAKs, or answers something else; 2 on a usage error.
 * See man/lessor.8 (LESSOR-PROBE). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "daemon/sock.h"
#include "dhcp/proto.h"
#include "probe/probe.h"

#define EXIT_ACK 0
#define EXIT_FAIL 1
#define EXIT_USAGE 2

typedef struct link {
	bool direct;
	int fd;
	int ifindex;
	uint32_t giaddr;        /* host order */
	uint32_t server;        /* host order; direct: 0 = broadcast */
	uint8_t server_mac[6];
	bool have_server_mac;
} link_t;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *ip(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = htonl(a) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static int open_relayed(link_t *l)
{
	struct sockaddr_in sin;
	int one = 1;

	l->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (l->fd < 0) {
		return -errno;
	}
	setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sock_sin(&sin, l->giaddr, DHCP_SERVER_PORT);
	if (bind(l->fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		return -errno;
	}
	return 0;
}

static int open_direct(link_t *l, const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP) };

	l->ifindex = (int)if_nametoindex(ifname);
	if (l->ifindex == 0) {
		return -ENODEV;
	}
	l->fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_IP));
	if (l->fd < 0) {
		return -errno;
	}
	sll.sll_ifindex = l->ifindex;
	if (bind(l->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		return -errno;
	}
	return 0;
}

/* Send one message: relayed to SERVER:67; direct as a raw frame from
 * @src_ip:68, broadcast unless @unicast (then to the server's address and MAC). */
static int link_send(link_t *l, const uint8_t *msg, size_t len, uint32_t src_ip, bool unicast)
{
	if (!l->direct) {
		struct sockaddr_in sin;

		sock_sin(&sin, l->server, DHCP_SERVER_PORT);
		return sendto(l->fd, msg, len, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? -errno : 0;
	}
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t dgram[PROBE_PKT_MAX + 64];
	bool uc = unicast && l->server != 0 && l->have_server_mac;
	int n = sock_ipv4_udp_build(dgram, sizeof(dgram), src_ip, uc ? l->server : 0xffffffffu,
	                            DHCP_CLIENT_PORT, DHCP_SERVER_PORT, msg, len);

	if (n < 0) {
		return n;
	}
	return sock_raw_send(l->fd, l->ifindex, uc ? l->server_mac : bcast, 6, dgram, (size_t)n);
}

/* The BOOTP payload of a received IPv4/UDP datagram to port 68, or NULL. */
static const uint8_t *udp_payload(const uint8_t *p, size_t n, size_t *len)
{
	if (n < 28 || (p[0] >> 4) != 4 || p[9] != IPPROTO_UDP) {
		return NULL;
	}
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || n < ihl + 8 || (p[ihl + 2] << 8 | p[ihl + 3]) != DHCP_CLIENT_PORT) {
		return NULL;
	}
	size_t ulen = (size_t)(p[ihl + 4] << 8 | p[ihl + 5]);
	if (ulen < 8 || ihl + ulen > n) {
		return NULL;
	}
	*len = ulen - 8;
	return p + ihl + 8;
}

/* Wait up to @timeout_ms for a reply to @c; 0 with *ret, or -ETIMEDOUT. */
static int link_recv(link_t *l, const probe_client_t *c, int timeout_ms, probe_reply_t *ret)
{
	double end = now_ms() + timeout_ms;
	uint8_t buf[2048];

	for (;;) {
		int left = (int)(end - now_ms());
		struct pollfd pfd = { .fd = l->fd, .events = POLLIN };

		if (left <= 0) {
			return -ETIMEDOUT;
		}
		if (poll(&pfd, 1, left) <= 0) {
			continue;
		}
		struct sockaddr_ll sll;
		socklen_t sl = sizeof(sll);
		ssize_t n = recvfrom(l->fd, buf, sizeof(buf), 0, (struct sockaddr *)&sll, &sl);
		if (n <= 0) {
			continue;
		}
		const uint8_t *msg = buf;
		size_t len = (size_t)n;
		if (l->direct && (msg = udp_payload(buf, (size_t)n, &len)) == NULL) {
			continue;
		}
		if (probe_parse_reply(c, msg, len, ret) == 0) {
			if (l->direct && sll.sll_halen == 6) {
				memcpy(l->server_mac, sll.sll_addr, 6);
				l->have_server_mac = true;
			}
			return 0;
		}
	}
}

static const char *type_name(int t)
{
	static const char *const names[] = { "?", "DISCOVER", "OFFER", "REQUEST", "DECLINE", "ACK", "NAK",
		                             "RELEASE", "INFORM" };

	return t > 0 && t <= DHCPINFORM ? names[t] : "unknown";
}

static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	printf("result: FAIL ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return EXIT_FAIL;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: lessor-probe [-4] -l GIADDR|IFACE [-b mac=MAC] [-W USEC] [--release] [SERVER]\n"
	        "  -l GIADDR: relayed, from GIADDR:67 (binds it) to SERVER:67 (required)\n"
	        "  -l IFACE: a directly connected client on IFACE (packet socket, needs CAP_NET_RAW)\n"
	        "  -b mac=MAC: the client's hardware address (default 02:00:00:00:00:01)\n"
	        "  -W USEC: how long to wait for each reply, in microseconds (default 2000000)\n"
	        "  --release: release the lease after the ACK\n"
	        "  --request ADDR: skip DISCOVER, ask for ADDR (INIT-REBOOT: is my old address still mine?)\n"
	        "Exit 0 only on an ACK; 1 (with the reason) when there is no ACK; 2 on usage errors.\n");
}

typedef struct args {
	const char *local;
	const char *server;
	probe_client_t c;
	int wait_ms;
	bool release;
	uint32_t request;       /* --request ADDR: INIT-REBOOT, no DISCOVER */
} args_t;

static int parse_args(int argc, char **argv, args_t *a)
{
	static const struct option longopts[] = {
		{ "release", no_argument, NULL, 'R' },
		{ "request", required_argument, NULL, 'Q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int o;

	while ((o = getopt_long(argc, argv, "4l:b:W:h", longopts, NULL)) != -1) {
		switch (o) {
		case '4':
			break;
		case 'l':
			a->local = optarg;
			break;
		case 'b':
			if (strncmp(optarg, "mac=", 4) != 0 || probe_parse_mac(optarg + 4, a->c.mac) < 0) {
				fprintf(stderr, "lessor-probe: -b takes mac=XX:XX:XX:XX:XX:XX: %s\n", optarg);
				return -EINVAL;
			}
			break;
		case 'W': {
			char *end;
			long us = strtol(optarg, &end, 10);
			if (*end != '\0' || us < 1000 || us > 60000000) {
				fprintf(stderr, "lessor-probe: -W takes 1000-60000000 microseconds: %s\n", optarg);
				return -EINVAL;
			}
			a->wait_ms = (int)(us / 1000);
			break;
		}
		case 'R':
			a->release = true;
			break;
		case 'Q': {
			struct in_addr in;
			if (inet_pton(AF_INET, optarg, &in) != 1) {
				fprintf(stderr, "lessor-probe: --request takes an IPv4 address: %s\n", optarg);
				return -EINVAL;
			}
			a->request = ntohl(in.s_addr);
			break;
		}
		case 'h':
			usage(stdout);
			exit(EXIT_ACK);
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		a->server = argv[optind++];
	}
	if (a->local == NULL || optind < argc) {
		return -EINVAL;
	}
	return 0;
}

/* One exchange step: send @type, wait for a reply; prints both. */
static int step(link_t *l, probe_client_t *c, int type, uint32_t addr, uint32_t sid, int wait_ms,
                probe_reply_t *rep, double *ms)
{
	uint8_t msg[PROBE_PKT_MAX];
	size_t len = probe_build(c, type, addr, sid, msg);
	char b1[INET_ADDRSTRLEN];
	int r;

	double t0 = now_ms();
	r = link_send(l, msg, len, 0, false);
	if (r < 0) {
		printf("%s: send failed: %s\n", type_name(type), strerror(-r));
		return r;
	}
	printf("%s sent (xid 0x%08x)\n", type_name(type), c->xid);
	r = link_recv(l, c, wait_ms, rep);
	*ms = now_ms() - t0;
	if (r == 0) {
		printf("%s %s from server %s in %.1f ms\n", type_name(rep->msg_type), ip(rep->yiaddr, b1),
		       ip(rep->server_id, (char[INET_ADDRSTRLEN]){ 0 }), *ms);
	}
	return r;
}

int main(int argc, char **argv)
{
	args_t a = { .c = { .mac = { 0x02, 0, 0, 0, 0, 0x01 } }, .wait_ms = 2000 };
	link_t l = { .fd = -1 };
	struct in_addr in;
	probe_reply_t offer, ack;
	char b1[INET_ADDRSTRLEN];
	double t_offer, t_ack;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &a) < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (a.server != NULL) {
		if (inet_pton(AF_INET, a.server, &in) != 1) {
			fprintf(stderr, "lessor-probe: not an IPv4 address: %s\n", a.server);
			return EXIT_USAGE;
		}
		l.server = ntohl(in.s_addr);
	}
	if (inet_pton(AF_INET, a.local, &in) == 1) {
		l.giaddr = ntohl(in.s_addr);
		if (l.server == 0) {
			fprintf(stderr, "lessor-probe: a relayed probe (-l GIADDR) needs the SERVER address\n");
			return EXIT_USAGE;
		}
		r = open_relayed(&l);
	} else {
		l.direct = true;
		r = open_direct(&l, a.local);
	}
	if (r < 0) {
		return fail("cannot open the %s socket on %s: %s", l.direct ? "packet" : "relay", a.local,
		            strerror(-r));
	}
	srand((unsigned)(now_ms() * 1000) ^ (unsigned)getpid());
	a.c.xid = (uint32_t)rand() ^ ((uint32_t)rand() << 16);
	a.c.giaddr = l.giaddr;
	a.c.broadcast = l.direct;
	printf("probing %s %s as %02x:%02x:%02x:%02x:%02x:%02x\n",
	       l.direct ? "directly on" : "relayed from", a.local, a.c.mac[0], a.c.mac[1], a.c.mac[2],
	       a.c.mac[3], a.c.mac[4], a.c.mac[5]);

	if (a.request != 0) {
		offer = (probe_reply_t){ .msg_type = DHCPOFFER, .yiaddr = a.request };
		t_offer = 0;
		r = 0;
	} else {
		r = step(&l, &a.c, DHCPDISCOVER, 0, 0, a.wait_ms, &offer, &t_offer);
	}
	if (r == -ETIMEDOUT) {
		return fail("no OFFER within %.1f s: the server is not answering, or has no free address "
		            "for this client (servers stay silent then)", a.wait_ms / 1e3);
	}
	if (r < 0) {
		return fail("DISCOVER not sent: %s", strerror(-r));
	}
	if (offer.msg_type != DHCPOFFER) {
		return fail("the answer to DISCOVER was %s, not OFFER", type_name(offer.msg_type));
	}
	r = step(&l, &a.c, DHCPREQUEST, offer.yiaddr, offer.server_id, a.wait_ms, &ack, &t_ack);
	if (r == -ETIMEDOUT) {
		return fail("no ACK to the REQUEST for %s within %.1f s", ip(offer.yiaddr, b1), a.wait_ms / 1e3);
	}
	if (r < 0) {
		return fail("REQUEST not sent: %s", strerror(-r));
	}
	if (ack.msg_type == DHCPNAK) {
		return fail("NAK for %s: %s", ip(offer.yiaddr, b1),
		            ack.message[0] != '\0' ? ack.message : "(no message)");
	}
	if (ack.msg_type != DHCPACK) {
		return fail("the answer to REQUEST was %s, not ACK", type_name(ack.msg_type));
	}
	printf("lease %s: lifetime %u s, mask %s", ip(ack.yiaddr, b1), ack.lease_time,
	       ip(ack.mask, (char[INET_ADDRSTRLEN]){ 0 }));
	printf(", router %s\n", ip(ack.router, (char[INET_ADDRSTRLEN]){ 0 }));
	if (a.release) {
		uint8_t msg[PROBE_PKT_MAX];
		size_t len = probe_build(&a.c, DHCPRELEASE, ack.yiaddr, ack.server_id, msg);

		if (l.server == 0) {
			l.server = ack.server_id;
		}
		r = link_send(&l, msg, len, ack.yiaddr, true);
		printf("RELEASE %s %s\n", ip(ack.yiaddr, b1), r == 0 ? "sent" : strerror(-r));
	}
	printf("result: ACK %s (DISCOVER-OFFER %.1f ms, REQUEST-ACK %.1f ms, total %.1f ms)\n",
	       ip(ack.yiaddr, b1), t_offer, t_ack, t_offer + t_ack);
	close(l.fd);
	return EXIT_ACK;
}
