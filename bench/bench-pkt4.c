/* Micro-benchmark of the DHCPv4 wire codec: pkt4_parse() and a typical
 * OFFER/ACK build (header, 8 options, option 82 echoed, END) over every
 * fixture packet. Prints ns/op; speed is measured here, never asserted.
 *
 *   bench-pkt4 [FIXTURE_PKT_DIR] [ITERATIONS]
 *
 * The directory defaults to $LESSOR_FIXTURE_DIR/pkt, else to
 * tests/fixtures/pkt next to this source file. Build with the release preset
 * (-O2) for meaningful numbers. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dhcp/agent.h"
#include "dhcp/pkt4.h"
#include "dhcp/proto.h"
#include "util/arena.h"

static const char *const fixtures[] = {
	"discover-minimal",
	"discover-relayed-82",
	"request-selecting",
	"request-init-reboot",
	"request-renewing",
	"release",
	"decline",
	"inform",
	"discover-overload",
	"discover-long-option",
	"bootp-no-53",
	"truncated-option",
	"request-relayed-82-override",
};

typedef struct packet {
	uint8_t data[DHCP_PKT_MAX];
	size_t len;
} packet_t;

/* Commented hex as written by tools/mkpkt.py: '#' to end of line is a comment. */
static int load_hex(const char *path, packet_t *ret)
{
	FILE *f = fopen(path, "r");
	int nib = -1;
	int c;

	if (f == NULL) {
		return -errno;
	}
	ret->len = 0;
	while ((c = fgetc(f)) != EOF) {
		int v = -1;

		if (c == '#') {
			while ((c = fgetc(f)) != EOF && c != '\n') {
			}
			continue;
		}
		if (c >= '0' && c <= '9') {
			v = c - '0';
		} else if (c >= 'a' && c <= 'f') {
			v = c - 'a' + 10;
		} else if (c >= 'A' && c <= 'F') {
			v = c - 'A' + 10;
		}
		if (v < 0) {
			continue;
		}
		if (nib < 0) {
			nib = v;
		} else if (ret->len < sizeof(ret->data)) {
			ret->data[ret->len++] = (uint8_t)(nib * 16 + v);
			nib = -1;
		} else {
			fclose(f);
			return -EMSGSIZE;
		}
	}
	fclose(f);
	return 0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* What the engine's reply assembly does for an ACK, minus the policy. */
static int build_ack(const pkt4_t *q, uint8_t *out, size_t cap)
{
	static const uint8_t type[] = { DHCPACK };
	static const uint8_t sid[] = { 192, 0, 2, 1 };
	static const uint8_t lt[] = { 0, 0, 0x0e, 0x10 };
	static const uint8_t t1[] = { 0, 0, 0x07, 0x08 };
	static const uint8_t t2[] = { 0, 0, 0x0c, 0x4e };
	static const uint8_t mask[] = { 255, 255, 255, 0 };
	static const uint8_t router[] = { 192, 0, 2, 1 };
	static const uint8_t dns[] = { 192, 0, 2, 53, 192, 0, 2, 54 };
	pkt4_out_t o;

	pkt4_out_init(&o, out, cap, q);
	pkt4_out_set_yiaddr(&o, 0xc000020a);
	pkt4_out_opt(&o, DHO_SUBNET_MASK, mask, sizeof(mask));
	pkt4_out_opt(&o, DHO_ROUTERS, router, sizeof(router));
	pkt4_out_opt(&o, DHO_DOMAIN_NAME_SERVERS, dns, sizeof(dns));
	pkt4_out_opt(&o, DHO_DOMAIN_NAME, "example.org", 11);
	pkt4_out_opt(&o, DHO_DHCP_LEASE_TIME, lt, sizeof(lt));
	pkt4_out_opt(&o, DHO_DHCP_MESSAGE_TYPE, type, sizeof(type));
	pkt4_out_opt(&o, DHO_DHCP_SERVER_IDENTIFIER, sid, sizeof(sid));
	pkt4_out_opt(&o, DHO_DHCP_RENEWAL_TIME, t1, sizeof(t1));
	pkt4_out_opt(&o, DHO_DHCP_REBINDING_TIME, t2, sizeof(t2));
	if (q->opts[DHO_DHCP_AGENT_OPTIONS].count > 0) {
		pkt4_out_opt(&o, DHO_DHCP_AGENT_OPTIONS, q->opts[DHO_DHCP_AGENT_OPTIONS].data,
			     q->opts[DHO_DHCP_AGENT_OPTIONS].len);
	}
	return pkt4_out_finish(&o);
}

int main(int argc, char **argv)
{
	static packet_t pkts[sizeof(fixtures) / sizeof(fixtures[0])];
	static pkt4_t pkt;
	static uint8_t out[1500];
	const size_t n_fix = sizeof(fixtures) / sizeof(fixtures[0]);
	char dir[4096];
	long iters = 1000000;
	volatile uint64_t sink = 0;
	arena_t arena;
	double tot_parse = 0, tot_build = 0, tot_agent = 0;

	if (argc > 1) {
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	} else if (getenv("LESSOR_FIXTURE_DIR") != NULL) {
		snprintf(dir, sizeof(dir), "%s/pkt", getenv("LESSOR_FIXTURE_DIR"));
	} else {
		/* __FILE__ is .../bench/bench-pkt4.c in a CMake build. */
		snprintf(dir, sizeof(dir), "%s", __FILE__);
		char *slash = strrchr(dir, '/');
		if (slash != NULL) {
			*slash = '\0';
		} else {
			snprintf(dir, sizeof(dir), ".");
		}
		strncat(dir, "/../tests/fixtures/pkt", sizeof(dir) - strlen(dir) - 1);
	}
	if (argc > 2) {
		iters = strtol(argv[2], NULL, 10);
		if (iters <= 0) {
			iters = 1;
		}
	}
	if (arena_init(&arena, 64 * 1024) < 0) {
		return 1;
	}

	for (size_t i = 0; i < n_fix; i++) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/%s.hex", dir, fixtures[i]);
		int r = load_hex(path, &pkts[i]);
		if (r < 0) {
			fprintf(stderr, "bench-pkt4: %s: %s\n", path, strerror(-r));
			return 1;
		}
	}

	printf("%-30s %5s %10s %10s %10s\n", "packet", "bytes", "parse", "build", "agent82");
	for (size_t i = 0; i < n_fix; i++) {
		const packet_t *p = &pkts[i];
		double t0, t1, t2, t3;
		agent_t a;

		t0 = now_ns();
		for (long k = 0; k < iters; k++) {
			arena_reset(&arena);
			int r = pkt4_parse(&pkt, &arena, p->data, p->len);
			sink += (uint64_t)r + pkt.xid + pkt.opts[DHO_DHCP_MESSAGE_TYPE].len;
		}
		t1 = now_ns();
		for (long k = 0; k < iters; k++) {
			int len = build_ack(&pkt, out, sizeof(out));
			sink += (uint64_t)len + out[len > 0 ? len - 1 : 0];
		}
		t2 = now_ns();
		for (long k = 0; k < iters; k++) {
			int r = agent_parse(pkt4_opt(&pkt, DHO_DHCP_AGENT_OPTIONS), &a);
			sink += (uint64_t)r;
		}
		t3 = now_ns();

		double parse = (t1 - t0) / (double)iters;
		double build = (t2 - t1) / (double)iters;
		double agent = (t3 - t2) / (double)iters;
		tot_parse += parse;
		tot_build += build;
		tot_agent += agent;
		printf("%-30s %5zu %7.1f ns %7.1f ns %7.1f ns\n", fixtures[i], p->len, parse, build, agent);
	}
	printf("%-30s %5s %7.1f ns %7.1f ns %7.1f ns\n", "mean", "", tot_parse / (double)n_fix,
	       tot_build / (double)n_fix, tot_agent / (double)n_fix);
	printf("(%ld iterations per cell, checksum %llu)\n", iters, (unsigned long long)sink);

	arena_done(&arena);
	return 0;
}
