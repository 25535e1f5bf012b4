/* Fuzz the control channel: arbitrary bytes as a command body through both
 * envelopes (the UNIX socket's single map and the HTTP agent's array), against
 * a memfile store with persist=false and a fixed configuration. The daemon
 * callbacks are absent, so nothing can shut down, reconfigure or write files
 * (config-write refuses without a configuration path). Every answer must be
 * valid JSON of the right shape; anything else, a crash or a leak is a bug. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-current.h"
#include "ctl/ctl.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fz_cfg[] =
        "{ \"Dhcp4\": { \"valid-lifetime\": 4000,\n"
        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\" },\n"
        "    { \"library\": \"/usr/lib/kea/hooks/libdhcp_stat_cmds.so\" } ],\n"
        "  \"lease-database\": { \"type\": \"memfile\", \"persist\": false },\n"
        "  \"subnet4\": [ { \"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
        "      \"pools\": [ { \"pool\": \"192.0.2.100 - 192.0.2.200\" } ] },\n"
        "    { \"id\": 2, \"subnet\": \"10.0.0.0/16\",\n"
        "      \"pools\": [ { \"pool\": \"10.0.1.0 - 10.0.10.255\" } ] } ] } }\n";

typedef struct fz_env {
	lease_store_t *store;
	stats_t stats;
	ctl_t *ctl;
} fz_env_t;

static fz_env_t *fz_setup(void)
{
	static fz_env_t env; /* built once per process */
	static bool ready;
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char *msg = NULL;

	if (ready) {
		return &env;
	}
	/* every command is logged at INFO: keep the fuzzer quiet */
	cfg_logger_t quiet = {.name = (char *)"kea-dhcp4", .severity = LOG_SEV_NONE};
	(void)log_configure(&quiet, 1);
	if (cfg_load_text(fz_cfg, strlen(fz_cfg), &cfg, &err) < 0) {
		abort();
	}
	cfg_publish(cfg);
	if (lease_store_open(&lcfg, &env.store, &msg) < 0 || stats_init(&env.stats, 1) < 0) {
		abort();
	}
	ctl_env_t e = {.store = env.store, .stats = &env.stats};
	if (ctl_new(&e, &env.ctl) < 0) {
		abort();
	}
	ready = true;
	return &env;
}

static void check_answer(char *text, bool array)
{
	json_t *j;

	if (text == NULL) {
		abort(); /* only -ENOMEM may give NULL */
	}
	j = json_loads(text, 0, NULL);
	if (j == NULL) {
		abort();
	}
	json_t *m = array && json_is_array(j) ? json_array_get(j, 0) : j;
	if (!json_is_object(m) || !json_is_integer(json_object_get(m, "result"))) {
		abort();
	}
	json_decref(j);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_env_t *env = fz_setup();
	unsigned status = 0;
	lease_conn_t *c = NULL;

	check_answer(ctl_handle(env->ctl, (const char *)data, size), false);
	check_answer(ctl_handle_http(env->ctl, (const char *)data, size, &status), true);
	if (status != 200 && status != 400) {
		abort();
	}
	/* keep runs independent: forget leases the input added */
	if (lease_conn_open(env->store, &c) == 0) {
		(void)c->store->ops->wipe(c, 0);
		lease_conn_close(c);
	}
	return 0;
}
