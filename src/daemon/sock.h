/* Socket helpers for the packet workers: the UDP service socket (SO_REUSEPORT,
 * IP_PKTINFO), the packet socket that reaches clients without an address, the
 * hand-built IPv4+UDP datagram it sends, and interface discovery.
 * With util/wire.h and util/inaddr.c, the only place that converts byte order:
 * everything in and out of this API is host order. */
#pragma once

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SOCK_IFACE_ADDRS_MAX 8
#define SOCK_IPUDP_HDR_LEN 28           /* IPv4 header without options + UDP header */

/* ---- interfaces ---- */

typedef struct sock_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	uint32_t addrs[SOCK_IFACE_ADDRS_MAX];   /* IPv4, host order; [0] is the primary */
	uint32_t masks[SOCK_IFACE_ADDRS_MAX];
	size_t n_addrs;
	bool loopback;
	bool up;
} sock_iface_t;

typedef struct sock_ifaces {
	sock_iface_t *v;
	size_t n;
} sock_ifaces_t;

/** Snapshot every interface with its IPv4 addresses (getifaddrs + if_nametoindex).
 *  Fills caller storage; 0 or a negative errno. Any thread. */
int sock_ifaces_load(sock_ifaces_t *ret);
/** Release a table; the struct is zeroed and may be loaded again. NULL-safe. */
void sock_ifaces_done(sock_ifaces_t *t);
/** Interface with @ifindex / @name, or NULL. */
const sock_iface_t *sock_ifaces_by_index(const sock_ifaces_t *t, int ifindex);
const sock_iface_t *sock_ifaces_by_name(const sock_ifaces_t *t, const char *name);

/** Does the interfaces-config entry @spec ("*", "eth0" or "eth0/192.0.2.1") select
 *  interface @ifc? "*" selects every interface except loopback (as Kea does);
 *  a loopback interface is selected only by name. For "eth0/ADDR", *ret_addr
 *  (optional) receives ADDR when the interface has it, else 0. */
bool sock_iface_spec_match(const char *spec, const sock_iface_t *ifc, uint32_t *ret_addr);

/** Is @addr the limited broadcast (255.255.255.255) or the directed broadcast
 *  of one of @ifc's subnets? */
bool sock_iface_is_bcast(const sock_iface_t *ifc, uint32_t addr);

/* ---- the UDP service socket ---- */

/** Spread the datagrams of @fd's SO_REUSEPORT group over its @n sockets by
 *  client (chaddr), not by source address: every relayed client arrives from
 *  the relay's one address and port, which the kernel's hash would send to
 *  one socket. A client's packets keep going to one socket. 0 or -errno. */
int sock_steer_by_chaddr(int fd, unsigned n);

/** Open a UDP socket bound to 0.0.0.0:@port with SO_REUSEADDR, SO_REUSEPORT (one
 *  per worker; the kernel spreads datagrams by flow hash), SO_BROADCAST,
 *  IP_PKTINFO, SO_TIMESTAMPNS, a receive timeout of @rcvtimeo_ms (so a worker notices a stop
 *  request) and, when @bind_dev is not NULL, SO_BINDTODEVICE. Returns 0 and the
 *  descriptor in *ret_fd, or a negative errno. */
int sock_udp_open(uint16_t port, const char *bind_dev, int rcvtimeo_ms, int *ret_fd);

/** Is UDP @port (on @bind_dev, NULL = any) free? Binds a probe socket without
 *  SO_REUSEPORT: 0 when nobody else listens, -EADDRINUSE when another socket
 *  (another server, or a second lessor, which SO_REUSEPORT would otherwise let
 *  share the port silently) holds it, or another negative errno. */
int sock_udp_probe(uint16_t port, const char *bind_dev);

/** Open an AF_PACKET/SOCK_DGRAM socket used only to send (protocol 0: it receives
 *  nothing). Needs CAP_NET_RAW. 0 or a negative errno. */
int sock_raw_open(int *ret_fd);

/* ---- the link-layer source of direct queries ---- */

struct sockaddr_ll;

/* What the packet socket learned about one query from a directly connected
 * client: the frame's source address, which Kea answers (not chaddr). */
typedef struct sock_l2src {
	int ifindex;
	uint32_t xid;
	uint8_t chaddr[16];
	uint8_t mac[6];
} sock_l2src_t;

/** Snap length of a direct query's copy: an IPv4 header with options, UDP and
 *  the BOOTP fields up to chaddr. */
#define SOCK_L2SRC_SNAP 128

/** Open a non-blocking AF_PACKET/SOCK_DGRAM socket for ETH_P_IP that receives a
 *  SOCK_L2SRC_SNAP-byte copy of every unfragmented IPv4/UDP datagram to @port
 *  with giaddr 0 (a kernel filter drops everything else, relayed traffic
 *  included), to learn the source MAC of direct queries. Needs CAP_NET_RAW. */
int sock_l2src_open(uint16_t port, int *ret_fd);

/** Parse one copy (@dgram: IPv4 header onwards, @len bytes; hostile) received
 *  from @sll into *ret. Returns 0, or -EBADMSG when it is not an Ethernet
 *  frame's IPv4/UDP datagram holding a BOOTP header up to chaddr. */
int sock_l2src_parse(const uint8_t *dgram, size_t len, const struct sockaddr_ll *sll,
                     sock_l2src_t *ret);

/* Addresses of one datagram, host order. */
typedef struct sock_meta {
	uint32_t src_addr;
	uint16_t src_port;
	uint32_t dst_addr;              /* IP header destination (IP_PKTINFO ipi_addr) */
	uint32_t local_addr;            /* local address routing picked (ipi_spec_dst) */
	int ifindex;                    /* receiving interface, 0 if unknown */
	int64_t rx_ns;                  /* kernel receive time (CLOCK_REALTIME ns), 0 if unknown */
} sock_meta_t;

/** Size of the control buffer one datagram's IP_PKTINFO and SCM_TIMESTAMPNS
 *  need (32 + 32 bytes, with room to spare). Declare such buffers
 *  _Alignas(struct cmsghdr). */
#define SOCK_CMSG_SPACE 96

/** Extract addresses from a received message (msg_name = sockaddr_in, control
 *  = IP_PKTINFO, SCM_TIMESTAMPNS). Fields that are absent are zero. */
void sock_meta_from_msg(const struct msghdr *msg, sock_meta_t *ret);

/** Fill a sockaddr_in. */
void sock_sin(struct sockaddr_in *sin, uint32_t addr, uint16_t port);

/** Prepare @msg->msg_control (@cbuf, SOCK_CMSG_SPACE bytes) with IP_PKTINFO that
 *  sends from @src_addr (0 = routing decides) out of @ifindex (0 = routing). */
void sock_msg_set_pktinfo(struct msghdr *msg, uint8_t *cbuf, uint32_t src_addr, int ifindex);

/* ---- raw IPv4 + UDP (packet socket path) ---- */

/** Internet checksum (RFC 1071) of @len bytes, folded, not complemented, added
 *  to @sum. */
uint32_t sock_csum_add(uint32_t sum, const uint8_t *p, size_t len);
uint16_t sock_csum_fold(uint32_t sum);

/** Write an IPv4 header (no options; TOS low-delay, DF, TTL 128, id 0, as Kea's
 *  writeIpUdpHeader) and a UDP header in front of @payload into @buf, with both
 *  checksums (RFC 791 §3.1; RFC 768, a computed 0 is sent as 0xffff).
 *  @payload may already sit at buf + SOCK_IPUDP_HDR_LEN (it is then not copied).
 *  Returns the datagram length, or -EMSGSIZE if it does not fit @cap or 65535. */
int sock_ipv4_udp_build(uint8_t *buf, size_t cap, uint32_t src, uint32_t dst, uint16_t sport,
                        uint16_t dport, const uint8_t *payload, size_t len);

/** Send an IPv4 datagram built by sock_ipv4_udp_build() in a link-layer frame to
 *  @mac (@mac_len bytes, 6 for Ethernet) out of @ifindex; the kernel adds the
 *  link-layer header. 0 or a negative errno. */
int sock_raw_send(int fd, int ifindex, const uint8_t *mac, size_t mac_len, const uint8_t *dgram,
                  size_t len);
