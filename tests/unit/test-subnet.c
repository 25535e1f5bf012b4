/* Subnet selection (cfg/subnet.c): Kea's order and the index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "fixture.h"
#include "cfg/subnet.h"

#define IP(a, b, c, d)                                                                             \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static uint32_t sel_id(const cfg_t *cfg, const subnet_sel_t *sel)
{
	const cfg_subnet4_t *s = subnet_select(cfg, sel);
	return s != NULL ? s->id : 0;
}

static const char *cfg_text =
	"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []},\n"
	"\"lease-database\": {\"type\": \"memfile\", \"name\": \"/tmp/x.csv\"},\n"
	"\"client-classes\": [{\"name\": \"gold\", \"test\": \"member('ALL')\"}],\n"
	"\"shared-networks\": [{\"name\": \"n\", \"relay\": {\"ip-addresses\": [\"172.16.0.1\"]},\n"
	"   \"subnet4\": [{\"id\": 40, \"subnet\": \"172.16.0.0/24\"}, {\"id\": 41, \"subnet\": \"172.16.1.0/24\"}]}],\n"
	"\"subnet4\": [\n"
	" {\"id\": 5, \"subnet\": \"10.0.0.0/16\"},\n"
	" {\"id\": 3, \"subnet\": \"10.0.1.0/24\"},\n"
	" {\"id\": 7, \"subnet\": \"10.0.2.0/24\", \"client-class\": \"gold\"},\n"
	" {\"id\": 9, \"subnet\": \"10.0.2.0/23\"},\n"
	" {\"id\": 2, \"subnet\": \"192.168.50.0/24\", \"relay\": {\"ip-addresses\": [\"10.0.1.1\"]}, \"client-class\": \"gold\"},\n"
	" {\"id\": 8, \"subnet\": \"192.168.60.0/24\", \"relay\": {\"ip-addresses\": [\"10.0.1.1\"]}},\n"
	" {\"id\": 11, \"subnet\": \"192.0.2.0/24\", \"interface\": \"eth7\"},\n"
	" {\"id\": 12, \"subnet\": \"198.51.100.0/24\"}\n"
	"]}}";

static void test_order(void **state)
{
	(void)state;
	cfg_t *cfg = fixture_cfg_load(cfg_text);
	class_set_t none = { 0 }, gold = { 0 };
	class_set_add(&gold, cfg_class_find(cfg, "gold"));

	/* nested prefixes: the lowest id containing the address wins */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.giaddr = IP(10, 0, 1, 77), .classes = &none}),
	                 3);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.giaddr = IP(10, 0, 9, 77), .classes = &none}),
	                 5);
	/* 10.0.2.x: id 5 (/16) is lower than 7 and 9 */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.giaddr = IP(10, 0, 2, 1), .classes = &gold}),
	                 5);

	/* relay match first, in id order, honouring guards */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.giaddr = IP(10, 0, 1, 1), .classes = &gold}),
	                 2);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.giaddr = IP(10, 0, 1, 1), .classes = &none}),
	                 8);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.giaddr = IP(10, 0, 1, 1), .classes = NULL}),
	                 8);
	/* network relay applies to its members: the lowest member id */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .giaddr = IP(172, 16, 0, 1) }), 40);

	/* link-selection beats option 118 beats giaddr; no fallback */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .link_select = IP(198, 51, 100, 4),
	                                              .subnet_select = IP(10, 0, 1, 4),
	                                              .giaddr = IP(10, 0, 1, 1) }), 12);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .subnet_select = IP(10, 0, 1, 4),
	                                              .giaddr = IP(10, 0, 9, 1) }), 3);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .subnet_select = IP(1, 2, 3, 4),
	                                              .giaddr = IP(10, 0, 9, 1) }), 0);

	/* ciaddr, then source, unless received on the broadcast address */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.ciaddr = IP(198, 51, 100, 9),
	                                             .src_addr = IP(10, 0, 1, 9)}),
	                 12);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .src_addr = IP(10, 0, 1, 9) }), 3);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){.ciaddr = IP(198, 51, 100, 9),
	                                             .from_broadcast = true,
	                                             .ifname = "eth7",
	                                             .iface_addr = IP(10, 0, 1, 1)}),
	                 11);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .from_broadcast = true, .ifname = "eth0",
	                                              .iface_addr = IP(10, 0, 1, 1) }), 3);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .from_broadcast = true, .ifname = "eth0" }), 0);
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ 0 }), 0);
	/* outside everything */
	assert_int_equal(sel_id(cfg, &(subnet_sel_t){ .giaddr = IP(8, 8, 8, 8) }), 0);
	cfg_free(cfg);
}

/* Kea's algorithm as a plain scan over the id-sorted subnets. */
static const cfg_subnet4_t *reference(const cfg_t *cfg, const subnet_sel_t *sel)
{
	uint32_t addr;

	if (sel->link_select != 0 || sel->subnet_select != 0) {
		addr = sel->link_select != 0 ? sel->link_select : sel->subnet_select;
		goto by_addr;
	}
	if (sel->giaddr != 0) {
		for (size_t i = 0; i < cfg->n_subnets; i++) {
			const cfg_subnet4_t *s = &cfg->subnets[i];
			for (size_t j = 0; j < s->n_relay_addrs; j++) {
				if (s->relay_addrs[j] == sel->giaddr &&
				    subnet_class_allows(s->client_class, sel->classes)) {
					return s;
				}
			}
		}
		addr = sel->giaddr;
	} else if (sel->ciaddr != 0 && !sel->from_broadcast) {
		addr = sel->ciaddr;
	} else if (sel->src_addr != 0 && !sel->from_broadcast) {
		addr = sel->src_addr;
	} else {
		for (size_t i = 0; sel->ifname != NULL && i < cfg->n_subnets; i++) {
			const cfg_subnet4_t *s = &cfg->subnets[i];
			if (s->interface != NULL && strcmp(s->interface, sel->ifname) == 0 &&
			    subnet_class_allows(s->client_class, sel->classes)) {
				return s;
			}
		}
		addr = sel->iface_addr;
	}
	if (addr == 0) {
		return NULL;
	}
by_addr:
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		const cfg_subnet4_t *s = &cfg->subnets[i];
		if (cfg_subnet4_contains(s, addr) &&
		    subnet_class_allows(s->client_class, sel->classes)) {
			return s;
		}
	}
	return NULL;
}

static uint32_t rnd(uint64_t *st)
{
	*st = *st * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*st >> 32);
}

static void test_index_matches_scan(void **state)
{
	(void)state;
	size_t cap = 1 << 20, n = 0;
	char *t = malloc(cap);
	uint64_t st = 42;

	assert_non_null(t);
	n += (size_t)snprintf(t + n, cap - n,
	                      "{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []}, \"client-classes\": ["
	                      "{\"name\": \"a\", \"test\": \"member('ALL')\"}, {\"name\": \"b\", \"test\": \"member('ALL')\"}],"
	                      " \"subnet4\": [");
	/* 900 subnets with nesting: prefixes of length 12..28 inside 10.0.0.0/8
	 * and 10.16.0.0/12, random unique ids, some guards, relays, interfaces */
	int made = 0;
	for (int i = 0; made < 900 && i < 100000; i++) {
		uint8_t plen = (uint8_t)(12 + rnd(&st) % 17);
		uint32_t net =
		        (IP(10, 0, 0, 0) | (rnd(&st) & 0x001fffffu)) & (0xffffffffu << (32 - plen));
		char extra[128] = "";
		uint32_t r = rnd(&st) % 10;
		if (r == 0) {
			snprintf(extra, sizeof(extra), ", \"client-class\": \"a\"");
		} else if (r == 1) {
			snprintf(extra, sizeof(extra), ", \"client-class\": \"b\"");
		} else if (r == 2) {
			snprintf(extra, sizeof(extra), ", \"relay\": {\"ip-addresses\": [\"10.0.0.%u\"]}", rnd(&st) % 8 + 1);
		} else if (r == 3) {
			snprintf(extra, sizeof(extra), ", \"interface\": \"eth%u\"", rnd(&st) % 4);
		}
		/* skip duplicates of (net, plen): the loader rejects them */
		char key[64];
		snprintf(key, sizeof(key), "\"%u.%u.%u.%u/%u\"", net >> 24, (net >> 16) & 255, (net >> 8) & 255, net & 255, plen);
		if (strstr(t, key) != NULL) {
			continue;
		}
		n += (size_t)snprintf(t + n, cap - n, "%s{\"id\": %u, \"subnet\": %s%s}", made ? "," : "",
		                      (rnd(&st) % 100000) * 1000 + (uint32_t)made + 1, key, extra);
		made++;
	}
	snprintf(t + n, cap - n, "]}}");
	cfg_t *cfg = fixture_cfg_load(t);
	free(t);
	assert_int_equal(cfg->n_subnets, 900);

	class_set_t sets[4] = { 0 };
	class_set_add(&sets[1], cfg_class_find(cfg, "a"));
	class_set_add(&sets[2], cfg_class_find(cfg, "b"));
	class_set_add(&sets[3], cfg_class_find(cfg, "a"));
	class_set_add(&sets[3], cfg_class_find(cfg, "b"));
	static const char *ifn[] = { "eth0", "eth1", "eth2", "eth3", "lo", NULL };
	size_t hits = 0;
	for (int i = 0; i < 60000; i++) {
		subnet_sel_t sel = { .classes = &sets[rnd(&st) % 4] };
		uint32_t a = (IP(10, 0, 0, 0) | (rnd(&st) & 0x001fffffu));
		switch (rnd(&st) % 6) {
		case 0:
			sel.giaddr = IP(10, 0, 0, rnd(&st) % 10);
			break;
		case 1:
			sel.giaddr = a;
			break;
		case 2:
			sel.link_select = a;
			break;
		case 3:
			sel.ciaddr = a;
			sel.from_broadcast = rnd(&st) & 1;
			sel.ifname = ifn[rnd(&st) % 6];
			break;
		case 4:
			sel.src_addr = a;
			sel.from_broadcast = true;
			sel.ifname = ifn[rnd(&st) % 6];
			sel.iface_addr = rnd(&st) & 1 ? a : 0;
			break;
		default:
			sel.subnet_select = rnd(&st) & 1 ? a : IP(192, 0, 2, 1);
			break;
		}
		const cfg_subnet4_t *want = reference(cfg, &sel), *got = subnet_select(cfg, &sel);
		if (want != got) {
			fail_msg("iteration %d: want id %u got id %u", i, want ? want->id : 0, got ? got->id : 0);
		}
		hits += got != NULL;
	}
	/* the random addresses must exercise real matches */
	assert_true(hits > 15000);
	cfg_free(cfg);
}

static void test_empty(void **state)
{
	(void)state;
	cfg_t *cfg = fixture_cfg_load("{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []}}}");
	assert_null(subnet_select(cfg, &(subnet_sel_t){ .giaddr = IP(10, 0, 0, 1) }));
	assert_null(cfg_subnet_by_id(cfg, 1));
	cfg_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_index_matches_scan),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
