/* ha-lane: lease updates in flight to the partner over HA_LANES lanes. The
 * lanes run for real; the partner is a fake transport (ha->post) that holds
 * requests to get several in flight, records which addresses each carried
 * and when, and can lose its connection. The held replies are real UDP
 * datagrams to a loopback socket of the test (an ephemeral port), each
 * carrying its item's number, so a reply sent twice or wrongly is seen. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cfg/cfg-current.h"
#include "ha/ha-int.h"
#include "ha/ha.h"

static const char test_cfg[] =
        "{ \"Dhcp4\": {\n"
        "  \"lease-database\": { \"type\": \"memfile\", \"persist\": false },\n%s"
        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"10.0.0.0/24\" } ],\n"
        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\" },\n"
        "    { \"library\": \"/usr/lib/kea/hooks/libdhcp_ha.so\", \"parameters\": {\n"
        "      \"high-availability\": [ { \"this-server-name\": \"primary\", \"mode\": \"hot-standby\",\n"
        "        \"peers\": [ { \"name\": \"primary\", \"url\": \"http://127.0.0.1:20191/\", \"role\": \"primary\" },\n"
        "                   { \"name\": \"standby\", \"url\": \"http://127.0.0.1:20192/\", \"role\": \"standby\" } ]\n"
        "      } ] } } ]\n"
        "} }\n";

#define MAX_ITEMS 512
#define MAX_CALLS 1024

/* The fake partner's record: one entry per request. */
static struct fake {
	pthread_mutex_t m;
	pthread_cond_t c;
	int in_flight, max_in_flight;
	int want_in_flight;             /* hold each request until this many are in flight */
	int hold_ms;                    /* or this long */
	bool fail_lane0;                /* the connection of lane 0's requests is lost */
	bool jitter;                    /* sleep a little in each request */
	int seq;                        /* event clock */
	int n_calls;
	struct call {
		uint32_t addr[HA_BATCH_MAX];
		size_t n;
		int start, end;
		bool failed;
	} calls[MAX_CALLS];
} F = { .m = PTHREAD_MUTEX_INITIALIZER, .c = PTHREAD_COND_INITIALIZER };

static uint32_t arg_addr(json_t *args)
{
	struct in_addr a;
	const char *s = json_string_value(json_object_get(args, "ip-address"));

	return s != NULL && inet_pton(AF_INET, s, &a) == 1 ? ntohl(a.s_addr) : 0;
}

static int fake_post(ha_http_t *c, const cfg_ha_peer_t *peer, json_t *cmd, long timeout_ms, json_t **ret,
                     char *err, size_t errlen)
{
	(void)c, (void)peer, (void)timeout_ms;
	const char *name = json_string_value(json_object_get(cmd, "command"));
	json_t *args = json_object_get(cmd, "arguments");
	bool batch = strcmp(name, "lessor-lease4-batch") == 0;
	struct call *k;

	pthread_mutex_lock(&F.m);
	assert_true(F.n_calls < MAX_CALLS);
	k = &F.calls[F.n_calls++];
	k->start = F.seq++;
	k->n = 0;
	if (batch) {
		size_t i;
		json_t *it;

		json_array_foreach(json_object_get(args, "leases"), i, it) {
			k->addr[k->n++] = arg_addr(json_object_get(it, "arguments"));
		}
	} else {
		k->addr[k->n++] = arg_addr(args);
	}
	F.in_flight++;
	F.max_in_flight = MAX(F.max_in_flight, F.in_flight);
	pthread_cond_broadcast(&F.c);
	int64_t end = ha_now_ms() + F.hold_ms;
	while (F.in_flight < F.want_in_flight && ha_now_ms() < end) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10 * 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++, ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&F.c, &F.m, &ts);
	}
	bool fail = F.fail_lane0 && ha_lane_of(k->addr[0]) == 0;
	pthread_mutex_unlock(&F.m);
	if (F.jitter) {
		usleep((unsigned)(rand() % 3) * 1000);
	}
	pthread_mutex_lock(&F.m);
	k->failed = fail;
	k->end = F.seq++;
	F.in_flight--;
	pthread_mutex_unlock(&F.m);
	if (fail) {
		snprintf(err, errlen, "Connection reset by peer");
		*ret = NULL;
		return -EIO;
	}
	json_t *results = json_array();
	for (size_t i = 0; batch && i < k->n; i++) {
		json_array_append_new(results, json_pack("{s:i, s:s}", "result", 0, "text", "ok"));
	}
	*ret = batch ? json_pack("{s:i, s:o}", "result", 0, "arguments", json_pack("{s:o}", "results", results))
	             : (json_decref(results), json_pack("{s:i}", "result", 0));
	return 0;
}

typedef struct env {
	ha_t *ha;
	int rx;                         /* the clients' socket: replies arrive here */
	int tx;                         /* the "worker's" socket */
	uint16_t port;
	uint32_t addr_of[MAX_ITEMS];    /* item -> its lease's address */
	int got[MAX_ITEMS];             /* replies received per item */
	int order[MAX_ITEMS];           /* items in the order their replies arrived */
	int n_order;
} env_t;

static env_t *env_new(bool lessor_partner, const char *extra)
{
	env_t *e = calloc(1, sizeof(*e));
	char text[sizeof(test_cfg) + 256];
	cfg_t *cfg = NULL;
	cfg_err_t err;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t sl = sizeof(sa);

	pthread_mutex_lock(&F.m);
	memset(&F.calls, 0, sizeof(F.calls));
	F.n_calls = F.seq = F.in_flight = F.max_in_flight = F.want_in_flight = 0;
	F.hold_ms = 2000;
	F.fail_lane0 = F.jitter = false;
	pthread_mutex_unlock(&F.m);
	snprintf(text, sizeof(text), test_cfg, extra);
	assert_int_equal(cfg_load_text(text, strlen(text), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(ha_new(&e->ha), 0);
	e->ha->post = fake_post;
	const cfg_t *cur = cfg_acquire();
	e->ha->park_limit = ha_park_limit(cur);
	cfg_release(cur);
	/* as if the heartbeats had found the partner (no HA thread here) */
	e->ha->state = CFG_HA_ST_HOT_STANDBY;
	e->ha->partner = CFG_HA_ST_HOT_STANDBY;
	atomic_store(&e->ha->peer_batch, lessor_partner ? HA_BATCH_YES : HA_BATCH_NO);
	e->rx = socket(AF_INET, SOCK_DGRAM, 0);
	e->tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(e->rx >= 0 && e->tx >= 0);
	assert_int_equal(bind(e->rx, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(e->rx, (struct sockaddr *)&sa, &sl), 0);
	e->port = ntohs(sa.sin_port);
	int big = 1 << 20;
	setsockopt(e->rx, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	return e;
}

static void env_free(env_t *e)
{
	ha_free(e->ha);
	cfg_publish(NULL);
	close(e->rx);
	close(e->tx);
	free(e);
}

/* Park item @i (lease @addr) with its reply; false at the limit. */
static bool park(env_t *e, int i, uint32_t addr)
{
	ha_parked_t p = { .addr = addr, .has_reply = true, .dport = e->port };
	uint32_t id = (uint32_t)i;

	e->addr_of[i] = addr;
	p.tx.kind = DHCP4_TX_UDP;
	p.tx.dst_addr = INADDR_LOOPBACK;
	p.tx.len = sizeof(id);
	memcpy(p.buf, &id, sizeof(id));
	p.fd = dup(e->tx);
	assert_true(p.fd >= 0);
	if (!ha_park(e->ha, &p)) {
		close(p.fd);
		return false;
	}
	return true;
}

/* Wait until nothing is parked (sent or dropped), then collect the replies. */
static void settle(env_t *e)
{
	for (int t = 0; t < 1000; t++) {
		pthread_mutex_lock(&e->ha->lock);
		size_t left = e->ha->parked;
		pthread_mutex_unlock(&e->ha->lock);
		if (left == 0) {
			break;
		}
		usleep(10000);
	}
	pthread_mutex_lock(&e->ha->lock);
	assert_int_equal(e->ha->parked, 0);
	pthread_mutex_unlock(&e->ha->lock);
	struct pollfd pfd = { .fd = e->rx, .events = POLLIN };
	while (poll(&pfd, 1, 200) > 0) {
		uint32_t id;

		assert_int_equal(recv(e->rx, &id, sizeof(id), 0), sizeof(id));
		assert_true(id < MAX_ITEMS);
		e->got[id]++;
		e->order[e->n_order++] = (int)id;
	}
}

/* Every request that carried @addr ended before the next one with it began. */
static void assert_addr_serial(uint32_t addr)
{
	int last_end = -1;

	for (int k = 0; k < F.n_calls; k++) {
		for (size_t j = 0; j < F.calls[k].n; j++) {
			if (F.calls[k].addr[j] == addr) {
				assert_true(F.calls[k].start > last_end);
				last_end = F.calls[k].end;
				break;
			}
		}
	}
}

/* An address in @lane, distinct for each @k. */
static uint32_t addr_in_lane(unsigned lane, unsigned k)
{
	uint32_t a = 0x0a000000u + k * 64;

	while (ha_lane_of(a) != lane) {
		a++;
	}
	return a;
}

/* Several requests in flight at once; every update of one address waits for
 * the previous one (same lane, one request at a time) and its replies leave in
 * the order they were parked; each reply exactly once. Both kinds of partner. */
static void run_ordering(bool lessor_partner)
{
	env_t *e = env_new(lessor_partner, "");
	const int n = 400;

	F.jitter = true;
	F.want_in_flight = 2;
	F.hold_ms = 20;
	assert_int_equal(ha_lanes_start(e->ha), 0);
	for (int i = 0; i < n; i++) {
		/* 12 addresses, each updated ~33 times, interleaved */
		assert_true(park(e, i, 0x0a000001u + (uint32_t)(i * 7 % 12)));
		if (i % 50 == 0) {
			usleep(2000);
		}
	}
	settle(e);
	for (int i = 0; i < n; i++) {
		assert_int_equal(e->got[i], 1);
	}
	for (uint32_t a = 0x0a000001u; a < 0x0a000001u + 12; a++) {
		assert_addr_serial(a);
		int last = -1;
		for (int k = 0; k < e->n_order; k++) {
			if (e->addr_of[e->order[k]] == a) {
				assert_true(e->order[k] > last);
				last = e->order[k];
			}
		}
	}
	print_message("%s partner: %d requests for %d items, at most %d in flight\n",
	              lessor_partner ? "lessor" : "Kea", F.n_calls, n, F.max_in_flight);
	assert_true(F.max_in_flight >= 2);
	if (lessor_partner) {
		assert_true(F.n_calls < n);     /* batched */
	} else {
		assert_int_equal(F.n_calls, n); /* one lease per command */
	}
	env_free(e);
}

static void test_ordering_lessor(void **state)
{
	(void)state;
	run_ordering(true);
}

static void test_ordering_kea(void **state)
{
	(void)state;
	run_ordering(false);
}

/* The connection of one lane is lost with HA_LANES requests in flight (Kea's
 * rule: a failed update drops its reply, the partner is then unavailable).
 * The other lanes' replies go out once each, the lost lane's never; what is
 * parked after the loss is dropped at once without a request (the partner is
 * gone) and counted in unsent-update-count; no reply twice. */
static void test_lost_connection(void **state)
{
	(void)state;
	env_t *e = env_new(true, "");
	const int per_lane = 8, first = HA_LANES * per_lane;

	F.want_in_flight = HA_LANES;
	F.fail_lane0 = true;
	for (int i = 0; i < first; i++) {
		/* all parked before the lanes start: one batch per lane */
		assert_true(park(e, i, addr_in_lane((unsigned)(i % HA_LANES), (unsigned)i)));
	}
	assert_int_equal(ha_lanes_start(e->ha), 0);
	settle(e);
	assert_int_equal(F.n_calls, HA_LANES);
	assert_int_equal(F.max_in_flight, HA_LANES);
	for (int i = 0; i < first; i++) {
		assert_int_equal(e->got[i], ha_lane_of(e->addr_of[i]) == 0 ? 0 : 1);
	}
	pthread_mutex_lock(&e->ha->lock);
	assert_int_equal(e->ha->partner, HA_PARTNER_UNAVAILABLE);
	pthread_mutex_unlock(&e->ha->lock);
	uint64_t unsent0 = atomic_load(&e->ha->unsent);
	for (int i = first; i < first + 8; i++) {
		assert_true(park(e, i, addr_in_lane((unsigned)(i % HA_LANES), (unsigned)i)));
	}
	settle(e);
	assert_int_equal(F.n_calls, HA_LANES);         /* nothing more was sent */
	for (int i = first; i < first + 8; i++) {
		assert_int_equal(e->got[i], 0);
	}
	assert_int_equal(atomic_load(&e->ha->unsent) - unsent0, 8);
	env_free(e);
}

/* parked-packet-limit as Kea means it: queued and in flight together; when
 * absent lessor's own default; 0 is "no limit" (bounded by HA_PARK_CAP). */
static void test_limit(void **state)
{
	(void)state;
	env_t *e = env_new(true, "  \"parked-packet-limit\": 10,\n");

	assert_int_equal(e->ha->park_limit, 10);
	F.want_in_flight = 100;                         /* hold the requests (2 s) */
	assert_int_equal(ha_lanes_start(e->ha), 0);
	int ok = 0;
	for (int i = 0; i < 30; i++) {
		ok += park(e, i, 0x0a000001u + (uint32_t)i);
		usleep(1000);
	}
	assert_int_equal(ok, 10);
	settle(e);
	int got = 0;
	for (int i = 0; i < 30; i++) {
		got += e->got[i];
	}
	assert_int_equal(got, 10);
	env_free(e);

	e = env_new(true, "  \"parked-packet-limit\": 0,\n");
	assert_int_equal(e->ha->park_limit, HA_PARK_CAP);
	env_free(e);
	e = env_new(true, "");
	assert_int_equal(e->ha->park_limit, HA_PARK_DEFAULT);
	env_free(e);
}

/* ha_park_flush() waits for what was parked before it, not after. */
static void test_flush(void **state)
{
	(void)state;
	env_t *e = env_new(true, "");

	assert_int_equal(ha_lanes_start(e->ha), 0);
	for (int i = 0; i < 20; i++) {
		assert_true(park(e, i, 0x0a000001u + (uint32_t)i));
	}
	assert_int_equal(ha_park_flush(e->ha, 5000), 0);
	for (size_t i = 0; i < HA_LANES; i++) {
		assert_true(e->ha->lanes[i].done_seq >= e->ha->lanes[i].parked_seq);
	}
	settle(e);
	env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_ordering_lessor),
	        cmocka_unit_test(test_ordering_kea),
	        cmocka_unit_test(test_lost_connection),
	        cmocka_unit_test(test_limit),
	        cmocka_unit_test(test_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
