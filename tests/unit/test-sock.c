/* daemon/sock.c: the hand-built IPv4+UDP datagram (checked byte for byte against
 * scapy's output for the same fields), checksums, interface matching, and a
 * loopback round trip through the UDP socket with IP_PKTINFO and SO_TIMESTAMPNS. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>

#include "daemon/sock.h"

/* scapy: IP(src="192.0.2.1", dst="10.0.0.5", tos=0x10, flags="DF", ttl=128, id=0)
 *        / UDP(sport=67, dport=68) / Raw(b"lessor test payload") */
static const char known1[] =
	"4510002f0000400080112ea8c00002010a00000500430044001b2ca8"
	"6c6573736f722074657374207061796c6f6164";
/* same header fields, payload bytes(range(0, 255, 3)) (85 bytes, odd length) */
static const char known2[] =
	"451000710000400080112e66c00002010a00000500430044005df3e5"
	"000306090c0f1215181b1e2124272a2d303336393c3f4245484b4e5154575a5d606366696c6f7275787b7e"
	"8184878a8d909396999c9fa2a5a8abaeb1b4b7babdc0c3c6c9cccfd2d5d8dbdee1e4e7eaedf0f3f6f9fc";

static size_t unhex(const char *s, uint8_t *out)
{
	size_t n = strlen(s) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static void check_known(const char *hexs, const uint8_t *payload, size_t plen)
{
	uint8_t want[512], got[512];
	size_t n = unhex(hexs, want);
	int r = sock_ipv4_udp_build(got, sizeof(got), 0xc0000201, 0x0a000005, 67, 68, payload, plen);

	assert_int_equal(r, (int)n);
	assert_memory_equal(got, want, n);
	/* a receiver's verification: the header sums to 0xffff */
	assert_int_equal(sock_csum_fold(sock_csum_add(0, got, 20)), 0xffff);
}

static void test_known_good(void **state)
{
	uint8_t pl2[85];

	(void)state;
	check_known(known1, (const uint8_t *)"lessor test payload", 19);
	for (int i = 0; i < 85; i++) {
		pl2[i] = (uint8_t)(i * 3);
	}
	check_known(known2, pl2, sizeof(pl2));
}

/* Payload already in place after the header room: no copy, same bytes. */
static void test_in_place(void **state)
{
	uint8_t buf[512], want[512];
	size_t n = unhex(known1, want);

	(void)state;
	memcpy(buf + SOCK_IPUDP_HDR_LEN, "lessor test payload", 19);
	assert_int_equal(sock_ipv4_udp_build(buf, sizeof(buf), 0xc0000201, 0x0a000005, 67, 68,
	                                     buf + SOCK_IPUDP_HDR_LEN, 19), (int)n);
	assert_memory_equal(buf, want, n);
}

static void test_too_big(void **state)
{
	uint8_t buf[64];

	(void)state;
	assert_int_equal(sock_ipv4_udp_build(buf, sizeof(buf), 1, 2, 67, 68, (const uint8_t *)"x", 37),
	                 -EMSGSIZE);
	assert_int_equal(sock_ipv4_udp_build(buf, sizeof(buf), 1, 2, 67, 68, (const uint8_t *)"x", 1), 29);
}

/* RFC 768: a UDP checksum that computes to zero is transmitted as all ones. */
static void test_zero_csum(void **state)
{
	uint8_t buf[64];
	uint8_t pl[2] = { 0, 0 };

	(void)state;
	/* find a 2-byte payload that makes the sum come out 0 */
	for (unsigned v = 0; v <= 0xffff; v++) {
		pl[0] = (uint8_t)(v >> 8);
		pl[1] = (uint8_t)v;
		assert_int_equal(sock_ipv4_udp_build(buf, sizeof(buf), 0x0a000001, 0x0a000002, 67, 68, pl, 2), 30);
		uint16_t c = (uint16_t)((buf[26] << 8) | buf[27]);
		assert_int_not_equal(c, 0);
		if (c == 0xffff) {
			return;
		}
	}
	fail_msg("no payload produced the all-ones checksum");
}

static void test_spec_match(void **state)
{
	sock_iface_t eth = { .ifindex = 2, .name = "eth0", .addrs = { 0xc0000201, 0x0a000001 }, .n_addrs = 2 };
	sock_iface_t lo = { .ifindex = 1, .name = "lo", .addrs = { 0x7f000001 }, .n_addrs = 1, .loopback = true };
	uint32_t a = 99;

	(void)state;
	assert_true(sock_iface_spec_match("*", &eth, &a));
	assert_int_equal(a, 0);
	assert_false(sock_iface_spec_match("*", &lo, NULL));
	assert_true(sock_iface_spec_match("lo", &lo, NULL));
	assert_true(sock_iface_spec_match("eth0", &eth, NULL));
	assert_false(sock_iface_spec_match("eth", &eth, NULL));
	assert_false(sock_iface_spec_match("eth00", &eth, NULL));
	assert_true(sock_iface_spec_match("eth0/10.0.0.1", &eth, &a));
	assert_int_equal(a, 0x0a000001);
	assert_true(sock_iface_spec_match("eth0/10.9.9.9", &eth, &a));
	assert_int_equal(a, 0);
	assert_false(sock_iface_spec_match("eth1/10.0.0.1", &eth, &a));
}

static void test_bcast(void **state)
{
	sock_iface_t eth = { .ifindex = 2, .name = "eth0", .addrs = { 0xc0000201, 0x0a000001 },
		             .masks = { 0xffffff00, 0xffff0000 }, .n_addrs = 2 };

	(void)state;
	assert_true(sock_iface_is_bcast(&eth, 0xffffffff));
	assert_true(sock_iface_is_bcast(&eth, 0xc00002ff));
	assert_true(sock_iface_is_bcast(&eth, 0x0a00ffff));
	assert_false(sock_iface_is_bcast(&eth, 0xc0000201));
	assert_false(sock_iface_is_bcast(&eth, 0x0a0000ff));
	assert_false(sock_iface_is_bcast(NULL, 0x0a0000ff));
	assert_true(sock_iface_is_bcast(NULL, 0xffffffff));
}

static void test_ifaces(void **state)
{
	sock_ifaces_t t = { 0 };

	(void)state;
	assert_int_equal(sock_ifaces_load(&t), 0);
	const sock_iface_t *lo = sock_ifaces_by_name(&t, "lo");
	assert_non_null(lo);
	assert_true(lo->loopback);
	assert_true(lo->ifindex > 0);
	assert_ptr_equal(sock_ifaces_by_index(&t, lo->ifindex), lo);
	assert_null(sock_ifaces_by_name(&t, "no-such-iface0"));
	sock_ifaces_done(&t);
	assert_int_equal(t.n, 0);
}

/* Loopback round trip: two SO_REUSEPORT sockets share a port; IP_PKTINFO reports
 * the destination address and the receiving interface. */
static void test_udp_pktinfo(void **state)
{
	int a = -1, b = -1, c;
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	(void)state;
	assert_int_equal(sock_udp_open(0, NULL, 200, &a), 0);
	assert_int_equal(getsockname(a, (struct sockaddr *)&sin, &sl), 0);
	uint16_t port = ntohs(sin.sin_port);
	assert_int_equal(sock_udp_open(port, NULL, 200, &b), 0);   /* SO_REUSEPORT */
	close(b);

	c = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(c >= 0);
	sock_sin(&sin, 0x7f000001, port);
	assert_int_equal(sendto(c, "hello", 5, 0, (struct sockaddr *)&sin, sizeof(sin)), 5);

	uint8_t buf[64];
	_Alignas(struct cmsghdr) uint8_t cbuf[SOCK_CMSG_SPACE];
	struct sockaddr_in from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
		              .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	assert_int_equal(recvmsg(a, &msg, 0), 5);
	sock_meta_t m;
	sock_meta_from_msg(&msg, &m);
	assert_int_equal(m.src_addr, 0x7f000001);
	assert_int_equal(m.dst_addr, 0x7f000001);
	assert_int_equal(m.ifindex, (int)if_nametoindex("lo"));
	assert_true(m.src_port != 0);
	/* SO_TIMESTAMPNS: the kernel's receive time, what the worker ages queries by */
	struct timespec now;
	assert_int_equal(clock_gettime(CLOCK_REALTIME, &now), 0);
	int64_t age_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec - m.rx_ns;
	assert_true(m.rx_ns != 0);
	assert_true(age_ns >= 0 && age_ns < 5000000000LL);

	/* reply with IP_PKTINFO source selection */
	struct sockaddr_in to;
	_Alignas(struct cmsghdr) uint8_t cb2[SOCK_CMSG_SPACE];
	sock_sin(&to, m.src_addr, m.src_port);
	struct iovec iov2 = { "world", 5 };
	struct msghdr out = { .msg_name = &to, .msg_namelen = sizeof(to), .msg_iov = &iov2, .msg_iovlen = 1 };
	sock_msg_set_pktinfo(&out, cb2, 0x7f000001, 0);
	assert_int_equal(sendmsg(a, &out, 0), 5);
	assert_int_equal(recv(c, buf, sizeof(buf), 0), 5);
	assert_memory_equal(buf, "world", 5);

	/* the receive timeout fires */
	assert_int_equal(recv(a, buf, sizeof(buf), 0), -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	close(a);
	close(c);
}

/* A direct query's copy from the packet socket: xid, chaddr and the frame's
 * source MAC; short, non-IPv4, non-UDP and non-Ethernet copies are refused. */
static void test_l2src_parse(void **state)
{
	uint8_t d[SOCK_L2SRC_SNAP] = { 0 };
	struct sockaddr_ll sll = { .sll_ifindex = 7, .sll_hatype = ARPHRD_ETHER, .sll_halen = 6,
	                           .sll_addr = { 2, 0, 0, 0, 0xcc, 1 } };
	sock_l2src_t e;

	(void)state;
	d[0] = 0x46;                    /* IPv4 with 4 bytes of options */
	d[9] = 17;
	uint8_t *b = d + 24 + 8;
	b[4] = 0x12, b[5] = 0x34, b[6] = 0x56, b[7] = 0x78;
	memset(b + 28, 0xab, 6);
	assert_int_equal(sock_l2src_parse(d, 24 + 8 + 44, &sll, &e), 0);
	assert_int_equal(e.ifindex, 7);
	assert_int_equal(e.xid, 0x12345678u);
	assert_int_equal(e.chaddr[5], 0xab);
	assert_int_equal(e.chaddr[6], 0);
	assert_int_equal(e.mac[4], 0xcc);

	assert_int_equal(sock_l2src_parse(d, 24 + 8 + 43, &sll, &e), -EBADMSG);
	assert_int_equal(sock_l2src_parse(d, 10, &sll, &e), -EBADMSG);
	d[9] = 6;
	assert_int_equal(sock_l2src_parse(d, sizeof(d), &sll, &e), -EBADMSG);
	d[9] = 17;
	d[0] = 0x44;                    /* IHL below 5 words */
	assert_int_equal(sock_l2src_parse(d, sizeof(d), &sll, &e), -EBADMSG);
	d[0] = 0x46;
	sll.sll_hatype = ARPHRD_LOOPBACK;
	assert_int_equal(sock_l2src_parse(d, sizeof(d), &sll, &e), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_good),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_zero_csum),
		cmocka_unit_test(test_spec_match),
		cmocka_unit_test(test_bcast),
		cmocka_unit_test(test_ifaces),
		cmocka_unit_test(test_udp_pktinfo),
		cmocka_unit_test(test_l2src_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
