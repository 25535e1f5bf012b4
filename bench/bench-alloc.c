/* ns per DISCOVER + REQUEST through dhcp4_process() against a memfile store
 * with persist=false, for a one-subnet config and (like the deployment) an
 * 829-subnet relayed config. Single worker, fixed clock.
 *
 *   bench-alloc [exchanges]        (default 100000) */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfg/cfg.h"
#include "dhcp/proto.h"
#include "engine/allocator.h"
#include "engine/dhcp4.h"
#include "lease/store.h"
#include "stats/stats.h"
#include "util/log.h"
#include "util/wire.h"

#define SERVER_ADDR 0xc0000201u

typedef struct pkt {
	uint8_t buf[512];
	size_t len;
} pkt_t;

static void pkt_build(pkt_t *p, uint8_t type, uint32_t client, uint32_t giaddr, uint32_t req_addr)
{
	memset(p->buf, 0, 240);
	p->buf[0] = BOOTREQUEST;
	p->buf[1] = 1;
	p->buf[2] = 6;
	be32_store(p->buf + 4, client);
	be32_store(p->buf + 24, giaddr);
	p->buf[28] = 0x02;
	be32_store(p->buf + 30, client);
	be32_store(p->buf + 236, DHCP_MAGIC_COOKIE);
	size_t n = 240;
	p->buf[n++] = DHO_DHCP_MESSAGE_TYPE;
	p->buf[n++] = 1;
	p->buf[n++] = type;
	if (req_addr != 0) {
		p->buf[n++] = DHO_DHCP_REQUESTED_ADDRESS;
		p->buf[n++] = 4;
		be32_store(p->buf + n, req_addr);
		n += 4;
		p->buf[n++] = DHO_DHCP_SERVER_IDENTIFIER;
		p->buf[n++] = 4;
		be32_store(p->buf + n, SERVER_ADDR);
		n += 4;
	}
	static const uint8_t prl[] = {DHO_DHCP_PARAMETER_REQUEST_LIST, 4, 1, 3, 6, 15};
	memcpy(p->buf + n, prl, sizeof(prl));
	n += sizeof(prl);
	p->buf[n++] = DHO_END;
	p->len = n;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static char *config_many(unsigned n_subnets)
{
	size_t cap = 256 + (size_t)n_subnets * 256;
	char *s = malloc(cap);
	size_t len = 0;

	if (s == NULL) {
		return NULL;
	}
	len += (size_t)snprintf(
	        s + len, cap - len,
	        "{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"*\"]},"
	        "\"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
	        "\"option-data\": [{\"name\": \"domain-name-servers\", \"data\": \"192.0.2.53\"}],"
	        "\"subnet4\": [");
	for (unsigned i = 0; i < n_subnets; i++) {
		unsigned a = 10 + i / 250, b = i % 250;
		len += (size_t)snprintf(
		        s + len, cap - len,
		        "%s{\"id\": %u, \"subnet\": \"%u.%u.0.0/16\", \"pools\": [{\"pool\": "
		        "\"%u.%u.1.1 - %u.%u.4.254\"}], \"option-data\": [{\"name\": "
		        "\"routers\", \"data\": \"%u.%u.0.1\"}]}",
		        i == 0 ? "" : ",", 1000 + i, a, b, a, b, a, b, a, b);
	}
	snprintf(s + len, cap - len, "]}}");
	return s;
}

static int run(const char *label, const char *json, unsigned n_subnets, unsigned n, bool shared)
{
	cfg_t *cfg = NULL;
	cfg_err_t err;
	lease_store_t *store = NULL;
	lease_conn_t *conn = NULL;
	stats_t st;
	arena_t arena;
	allocator_t *alloc = NULL;
	allocator_shared_t *sh = NULL;
	char *msg = NULL;
	static uint8_t txbuf[DHCP_PKT_MAX];
	double t0, t_load;
	unsigned acks = 0;

	t0 = now_ns();
	if (cfg_load_text(json, strlen(json), &cfg, &err) < 0) {
		char b[1200];
		fprintf(stderr, "config: %s\n", cfg_err_format(&err, b, sizeof(b)));
		return 1;
	}
	t_load = now_ns() - t0;
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	if (lease_store_open(&lcfg, &store, &msg) < 0 || lease_conn_open(store, &conn) < 0 ||
	    stats_init(&st, 1) < 0 || arena_init(&arena, 1 << 20) < 0 ||
	    allocator_new(0, 1, &alloc) < 0 || (shared && allocator_shared_new(&sh) < 0)) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	allocator_share(alloc, sh);
	dhcp4_ctx_t ctx = {
	        .cfg = cfg,
	        .conn = conn,
	        .stats = &st.shards[0],
	        .arena = &arena,
	        .now = 1700000000,
	        .allocator = alloc,
	};
	dhcp4_rx_t rx = {
	        .src_port = 67, .dst_addr = SERVER_ADDR, .ifindex = 2, .iface_addr = SERVER_ADDR};
	dhcp4_tx_t tx = {.buf = txbuf};
	pkt_t p;
	verdict_t v;

	t0 = now_ns();
	for (unsigned i = 0; i < n; i++) {
		unsigned sn = n_subnets > 1 ? i % n_subnets : 0;
		uint32_t gi = n_subnets > 1 ? ((10u + sn / 250) << 24 | (sn % 250) << 16 | 2)
		                            : (10u << 24 | 2);

		rx.src_addr = gi;
		pkt_build(&p, DHCPDISCOVER, i + 1, gi, 0);
		rx.buf = p.buf;
		rx.len = p.len;
		arena_reset(&arena);
		if (dhcp4_process(&ctx, &rx, &tx, &v) < 0 || v != VERDICT_REPLY) {
			continue;
		}
		uint32_t yiaddr = be32_load(txbuf + 16);
		pkt_build(&p, DHCPREQUEST, i + 1, gi, yiaddr);
		rx.len = p.len;
		arena_reset(&arena);
		if (dhcp4_process(&ctx, &rx, &tx, &v) == 0 && v == VERDICT_REPLY &&
		    txbuf[242] == DHCPACK) {
			acks++;
		}
	}
	double dt = now_ns() - t0;
	printf("%-28s subnets=%-4u exchanges=%u acks=%u  %.0f ns/DORA (%.0f DORA/s)  cfg load %.1f "
	       "ms\n",
	       label, n_subnets, n, acks, dt / n, n / (dt / 1e9), t_load / 1e6);
	allocator_free(alloc);
	allocator_shared_free(sh);
	arena_done(&arena);
	stats_done(&st);
	lease_conn_close(conn);
	lease_store_close(store);
	cfg_free(cfg);
	free(msg);
	return acks == n ? 0 : 2;
}

/* allocator_pick() alone: own cursors against one shared cursor, with 1 and 2
 * threads picking from the same pool at once (the contended case). */
typedef struct pick_arg {
	const cfg_t *cfg;
	allocator_shared_t *sh;
	unsigned worker, n_workers, n;
	double ns;
} pick_arg_t;

static void *pick_main(void *p)
{
	pick_arg_t *a = p;
	allocator_t *al = NULL;
	volatile uint32_t sink = 0;

	if (allocator_new(a->worker, a->n_workers, &al) < 0) {
		return NULL;
	}
	allocator_share(al, a->sh);
	(void)allocator_bind(al, a->cfg);
	double t0 = now_ns();
	for (unsigned i = 0; i < a->n; i++) {
		sink += allocator_pick(al, a->cfg, &a->cfg->subnets[0], 0);
	}
	a->ns = (now_ns() - t0) / a->n;
	(void)sink;
	allocator_free(al);
	return NULL;
}

static void picks(const char *json, unsigned threads, bool shared, unsigned n)
{
	cfg_t *cfg = NULL;
	cfg_err_t err;
	allocator_shared_t *sh = NULL;
	pthread_t t[2];
	pick_arg_t a[2];

	if (cfg_load_text(json, strlen(json), &cfg, &err) < 0 || (shared && allocator_shared_new(&sh) < 0)) {
		return;
	}
	for (unsigned i = 0; i < threads; i++) {
		a[i] = (pick_arg_t){ .cfg = cfg, .sh = sh, .worker = i, .n_workers = threads, .n = n };
		pthread_create(&t[i], NULL, pick_main, &a[i]);
	}
	double sum = 0;
	for (unsigned i = 0; i < threads; i++) {
		pthread_join(t[i], NULL);
		sum += a[i].ns;
	}
	printf("allocator_pick %-6s cursor, %u thread(s): %.1f ns/pick\n", shared ? "shared" : "own",
	       threads, sum / threads);
	allocator_shared_free(sh);
	cfg_free(cfg);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
	static char lname[] = "kea-dhcp4", lout[] = "stdout";
	cfg_log_output_t lo = {.output = lout};
	cfg_logger_t lg = {.name = lname, .severity = LOG_SEV_NONE, .outputs = &lo, .n_outputs = 1};

	/* Per-lease INFO lines off: this measures the engine, not the logger. */
	if (getenv("BENCH_LOG") == NULL) {
		log_configure(&lg, 1);
	}
	static const char one[] =
	        "{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": [\"*\"]},"
	        "\"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
	        "\"option-data\": [{\"name\": \"domain-name-servers\", \"data\": \"192.0.2.53\"}],"
	        "\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/8\", \"pools\": [{\"pool\": "
	        "\"10.1.0.0 - 10.255.255.254\"}], \"option-data\": [{\"name\": \"routers\", "
	        "\"data\": "
	        "\"10.0.0.1\"}]}]}}";
	int rc = run("one subnet", one, 1, n, false);
	rc |= run("one subnet, shared cursor", one, 1, n, true);
	for (unsigned th = 1; th <= 2; th++) {
		picks(one, th, false, 20 * n);
		picks(one, th, true, 20 * n);
	}
	char *many = config_many(829);

	if (many == NULL) {
		return 1;
	}
	rc |= run("829 relayed subnets", many, 829, n, false);
	rc |= run("829 subnets, shared cursor", many, 829, n, true);
	free(many);
	return rc;
}
