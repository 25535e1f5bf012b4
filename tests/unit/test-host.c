/* Host reservation indexes (cfg/host.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cfg/cfg.h"
#include "fixture.h"

#define IP(a, b, c, d)                                                                             \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void test_lookups(void **state)
{
	(void)state;
	cfg_t *cfg = fixture_cfg_load(
		"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []},\n"
		"\"client-classes\": [{\"name\": \"vip\"}],\n"
		"\"reservations\": [{\"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": \"203.0.113.5\", \"hostname\": \"g\"}],\n"
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"reservations\": [\n"
		" {\"hw-address\": \"02-00-00-00-00-01\", \"ip-address\": \"10.0.0.5\", \"hostname\": \"a\",\n"
		"  \"client-classes\": [\"vip\"], \"next-server\": \"10.0.0.2\", \"boot-file-name\": \"f\",\n"
		"  \"option-data\": [{\"name\": \"routers\", \"data\": \"10.0.0.1\"}]},\n"
		" {\"circuit-id\": \"'port-7'\", \"ip-address\": \"10.0.0.6\"},\n"
		" {\"client-id\": \"01:02:00:00:00:00:09\"},\n"
		" {\"duid\": \"00:03:00:01:02:00:00:00:00:0a\", \"ip-address\": \"10.0.0.8\"},\n"
		" {\"flex-id\": \"0x666c6578\", \"ip-address\": \"10.0.0.9\"}]},\n"
		" {\"id\": 2, \"subnet\": \"10.0.1.0/24\", \"reservations\": [\n"
		" {\"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": \"10.0.1.5\"}]}]\n"
		"}}");
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };

	assert_int_equal(cfg->n_hosts, 7);
	const cfg_host_t *h = cfg_host_find(cfg, 1, CFG_HOST_ID_HWADDR, mac, 6);
	assert_non_null(h);
	assert_int_equal(h->addr, IP(10, 0, 0, 5));
	assert_string_equal(h->hostname, "a");
	assert_int_equal(h->classes.n, 1);
	assert_int_equal(h->classes.idx[0], cfg_class_find(cfg, "vip"));
	assert_true(h->has_next_server);
	assert_int_equal(h->next_server, IP(10, 0, 0, 2));
	assert_string_equal(h->boot_file_name, "f");
	assert_null(h->server_hostname);
	assert_non_null(cfg_optset_find(&h->opts, 3));
	assert_ptr_equal(cfg_host_find_by_addr(cfg, 1, IP(10, 0, 0, 5)), h);

	/* same MAC, other subnet and global */
	const cfg_host_t *h2 = cfg_host_find(cfg, 2, CFG_HOST_ID_HWADDR, mac, 6);
	assert_non_null(h2);
	assert_int_equal(h2->addr, IP(10, 0, 1, 5));
	const cfg_host_t *g = cfg_host_find(cfg, 0, CFG_HOST_ID_HWADDR, mac, 6);
	assert_non_null(g);
	assert_int_equal(g->subnet_id, 0);
	assert_string_equal(g->hostname, "g");
	assert_ptr_equal(cfg_host_find_by_addr(cfg, 0, IP(203, 0, 113, 5)), g);
	assert_null(cfg_host_find(cfg, 3, CFG_HOST_ID_HWADDR, mac, 6));
	/* the type is part of the key */
	assert_null(cfg_host_find(cfg, 1, CFG_HOST_ID_CLIENT_ID, mac, 6));
	assert_null(cfg_host_find(cfg, 1, CFG_HOST_ID_HWADDR, mac, 5));

	h = cfg_host_find(cfg, 1, CFG_HOST_ID_CIRCUIT_ID, (const uint8_t *)"port-7", 6);
	assert_non_null(h);
	assert_int_equal(h->addr, IP(10, 0, 0, 6));
	h = cfg_host_find(cfg, 1, CFG_HOST_ID_CLIENT_ID, (const uint8_t *)"\x01\x02\x00\x00\x00\x00\x09", 7);
	assert_non_null(h);
	assert_int_equal(h->addr, 0);
	assert_null(cfg_host_find_by_addr(cfg, 1, 0));
	h = cfg_host_find(cfg, 1, CFG_HOST_ID_DUID, (const uint8_t *)"\x00\x03\x00\x01\x02\x00\x00\x00\x00\x0a", 10);
	assert_non_null(h);
	h = cfg_host_find(cfg, 1, CFG_HOST_ID_FLEX_ID, (const uint8_t *)"flex", 4);
	assert_non_null(h);
	assert_int_equal(h->addr, IP(10, 0, 0, 9));
	assert_null(cfg_host_find_by_addr(cfg, 1, IP(10, 0, 0, 200)));
	assert_null(cfg_host_find_by_addr(cfg, 2, IP(10, 0, 0, 5)));
	cfg_free(cfg);
}

static void test_not_unique(void **state)
{
	(void)state;
	cfg_t *cfg = fixture_cfg_load(
		"{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []}, \"ip-reservations-unique\": false,\n"
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\", \"reservations\": [\n"
		" {\"hw-address\": \"02:00:00:00:00:01\", \"ip-address\": \"10.0.0.5\", \"hostname\": \"first\"},\n"
		" {\"hw-address\": \"02:00:00:00:00:02\", \"ip-address\": \"10.0.0.5\", \"hostname\": \"second\"}]}]}}");
	const cfg_host_t *h = cfg_host_find_by_addr(cfg, 1, IP(10, 0, 0, 5));
	assert_non_null(h);
	assert_string_equal(h->hostname, "first");
	cfg_free(cfg);
}

static void test_scale(void **state)
{
	(void)state;
	size_t cap = 4 << 20, n = 0;
	char *t = malloc(cap);

	assert_non_null(t);
	n += (size_t)snprintf(t + n, cap - n, "{\"Dhcp4\": {\"interfaces-config\": {\"interfaces\": []}, \"subnet4\": [");
	for (int s = 0; s < 60; s++) {
		n += (size_t)snprintf(t + n, cap - n, "%s{\"id\": %d, \"subnet\": \"10.%d.0.0/16\", \"reservations\": [",
		                      s ? "," : "", s + 1, s);
		for (int i = 0; i < 240; i++) {
			n += (size_t)snprintf(t + n, cap - n,
			                      "%s{\"hw-address\": \"0a:00:00:%02x:%02x:01\", \"ip-address\": \"10.%d.%d.%d\"}",
			                      i ? "," : "", s, i, s, i / 200, i % 200 + 1);
		}
		n += (size_t)snprintf(t + n, cap - n, "]}");
	}
	snprintf(t + n, cap - n, "]}}");
	cfg_t *cfg = fixture_cfg_load(t);
	free(t);
	assert_int_equal(cfg->n_hosts, 14400);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int rep = 0; rep < 10; rep++) {
		for (int s = 0; s < 60; s++) {
			for (int i = 0; i < 240; i++) {
				uint8_t mac[6] = { 0x0a, 0, 0, (uint8_t)s, (uint8_t)i, 1 };
				const cfg_host_t *h = cfg_host_find(cfg, (uint32_t)s + 1,
				                                    CFG_HOST_ID_HWADDR, mac, 6);
				assert_non_null(h);
				assert_int_equal(h->addr, IP(10, s, i / 200, i % 200 + 1));
				assert_ptr_equal(
				        cfg_host_find_by_addr(cfg, (uint32_t)s + 1, h->addr), h);
				mac[5] = 2;
				assert_null(cfg_host_find(cfg, (uint32_t)s + 1, CFG_HOST_ID_HWADDR,
				                          mac, 6));
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	print_message("432,000 reservation lookups in %.1f ms\n", ms);
	/* hashed: a scan would be ~10^9 comparisons */
	assert_true(ms < 2000.0);
	cfg_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_not_unique),
		cmocka_unit_test(test_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
