/* Published configuration snapshots (cfg/cfg-current.c): acquire/release
 * against concurrent publishes. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/cfg-current.h"
#include "cfg/cfg.h"
#include "fixture.h"

#define BASE "\"interfaces-config\": {\"interfaces\": []}, " \
	     "\"lease-database\": {\"type\": \"memfile\", \"name\": \"/tmp/x.csv\"}"

/* Readers hammer acquire/release while the main thread publishes new
 * snapshots: ASan flags any use of a freed snapshot. */
static cfg_t *tiny(uint32_t valid)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "{\"Dhcp4\": {" BASE ", \"valid-lifetime\": %u, \"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/24\"}]}}", valid);
	return fixture_cfg_load(buf);
}

static volatile int stop_readers;

static void *reader(void *arg)
{
	unsigned long *seen = arg;

	while (!__atomic_load_n(&stop_readers, __ATOMIC_RELAXED)) {
		const cfg_t *c = cfg_acquire();
		if (c != NULL) {
			*seen += c->subnets[0].lft.valid >= 100;
		}
		cfg_release(c);
	}
	return NULL;
}

static void test_current(void **state)
{
	(void)state;
	pthread_t th[3];
	unsigned long seen[3] = { 0 };

	assert_null(cfg_acquire());
	cfg_release(NULL);
	cfg_publish(tiny(100));
	const cfg_t *held = cfg_acquire();
	assert_non_null(held);
	assert_int_equal(held->subnets[0].lft.valid, 100);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(pthread_create(&th[i], NULL, reader, &seen[i]), 0);
	}
	for (uint32_t v = 101; v < 160; v++) {
		cfg_publish(tiny(v));
	}
	__atomic_store_n(&stop_readers, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
	}
	/* the old snapshot stays valid while held */
	assert_int_equal(held->subnets[0].lft.valid, 100);
	cfg_release(held);
	const cfg_t *now = cfg_acquire();
	assert_int_equal(now->subnets[0].lft.valid, 159);
	cfg_release(now);
	cfg_publish(NULL);
	assert_null(cfg_acquire());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
