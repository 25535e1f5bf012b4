/* The fake daemon environment of the ctl unit tests (helpers-ctl.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers-ctl.h"
#include "cfg/cfg-current.h"
#include "util/log.h"

const char ctl_fx_cfg[] =
        "{ \"Dhcp4\": {\n"
        "  \"valid-lifetime\": 4000,\n"
        "  \"hooks-libraries\": [ { \"library\": \"/usr/lib/kea/hooks/libdhcp_lease_cmds.so\" },\n"
        "    { \"library\": \"/usr/lib/kea/hooks/libdhcp_stat_cmds.so\" } ],\n"
        "  \"lease-database\": { \"type\": \"memfile\", \"persist\": false },\n"
        "  \"subnet4\": [\n"
        "    { \"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
        "      \"pools\": [ { \"pool\": \"192.0.2.100 - 192.0.2.200\" } ] },\n"
        "    { \"id\": 2, \"subnet\": \"10.0.0.0/16\",\n"
        "      \"pools\": [ { \"pool\": \"10.0.1.0 - 10.0.10.255\" } ] }\n"
        "  ]\n"
        "} }\n";


static int fake_reload(void *ud, json_t *new_cfg, char **reterr)
{
	ctl_fx_fake_t *f = ud;
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char buf[1200];
	int r;

	f->reloads++;
	if (f->fail_reload) {
		*reterr = strdup("Dhcp4.subnet4[0] (line 7): injected failure");
		return -EINVAL;
	}
	json_decref(f->last_cfg);
	f->last_cfg = json_incref(new_cfg);
	if (new_cfg == NULL) {
		r = cfg_load_text(ctl_fx_cfg, strlen(ctl_fx_cfg), &cfg, &err);
	} else {
		r = cfg_load_json(new_cfg, &cfg, &err);
	}
	if (r < 0) {
		*reterr = strdup(cfg_err_format(&err, buf, sizeof(buf)));
		return r;
	}
	cfg_publish(cfg);
	return 0;
}

static void fake_shutdown(void *ud, int exit_value)
{
	ctl_fx_fake_t *f = ud;

	f->shutdowns++;
	f->exit_value = exit_value;
}

static int fake_disable(void *ud, uint32_t max_period, const char *origin)
{
	ctl_fx_fake_t *f = ud;

	f->disables++;
	f->period = max_period;
	snprintf(f->origin, sizeof(f->origin), "%s", origin);
	f->enabled = false;
	return 0;
}

static int fake_enable(void *ud, const char *origin)
{
	ctl_fx_fake_t *f = ud;

	snprintf(f->origin, sizeof(f->origin), "%s", origin);
	f->enabled = true;
	return 0;
}

static bool fake_is_enabled(void *ud)
{
	return ((ctl_fx_fake_t *)ud)->enabled;
}

static int fake_reclaim(void *ud, bool remove)
{
	ctl_fx_fake_t *f = ud;

	f->reclaims++;
	f->remove = remove;
	return 0;
}

int ctl_fx_setup(void **state)
{
	env_state_t *s = calloc(1, sizeof(*s));
	lease_store_cfg_t lcfg = {.type = "memfile", .persist = false};
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char *msg = NULL;

	assert_non_null(s);
	assert_int_equal(cfg_load_text(ctl_fx_cfg, strlen(ctl_fx_cfg), &cfg, &err), 0);
	cfg_publish(cfg);
	assert_int_equal(lease_store_open(&lcfg, &s->store, &msg), 0);
	assert_int_equal(stats_init(&s->stats, 2), 0);
	s->fake.enabled = true;
	s->env = (ctl_env_t){
	        .ud = &s->fake,
	        .store = s->store,
	        .stats = &s->stats,
	        .config_path = NULL,
	        .reload = fake_reload,
	        .shutdown = fake_shutdown,
	        .dhcp_disable = fake_disable,
	        .dhcp_enable = fake_enable,
	        .dhcp_is_enabled = fake_is_enabled,
	        .leases_reclaim = fake_reclaim,
	};
	assert_int_equal(ctl_new(&s->env, &s->ctl), 0);
	*state = s;
	return 0;
}

int ctl_fx_teardown(void **state)
{
	env_state_t *s = *state;

	ctl_stop(s->ctl);
	lease_store_close(s->store);
	stats_done(&s->stats);
	json_decref(s->fake.last_cfg);
	cfg_publish(NULL);
	free(s);
	return 0;
}

/* Run @body through the UNIX-socket path; the answer must be a JSON map. */
json_t *ctl_fx_call(env_state_t *s, const char *body)
{
	_cleanup_free_ char *text = ctl_handle(s->ctl, body, strlen(body));
	json_error_t jerr;
	json_t *ans;

	assert_non_null(text);
	ans = json_loads(text, 0, &jerr);
	if (ans == NULL) {
		fail_msg("answer is not JSON: %s (%s)", text, jerr.text);
	}
	assert_true(json_is_object(ans));
	assert_true(json_is_integer(json_object_get(ans, "result")));
	return ans;
}

int ctl_fx_result(const json_t *ans)
{
	return (int)json_integer_value(json_object_get(ans, "result"));
}

const char *ctl_fx_text(const json_t *ans)
{
	const char *t = json_string_value(json_object_get(ans, "text"));

	return t != NULL ? t : "";
}

/* Assert result and (if @text non-NULL) exact text; returns the answer. */
json_t *ctl_fx_expect(env_state_t *s, const char *body, int result, const char *text)
{
	json_t *ans = ctl_fx_call(s, body);

	if (ctl_fx_result(ans) != result || (text != NULL && strcmp(ctl_fx_text(ans), text) != 0)) {
		char *dumped = json_dumps(ans, JSON_COMPACT);

		fail_msg("%s\n  -> %s\n  expected result %d text %s", body, dumped, result,
		         text != NULL ? text : "(any)");
	}
	return ans;
}

void ctl_fx_quiet_logs(void)
{
	cfg_logger_t quiet = {.name = (char *)"kea-dhcp4", .severity = LOG_SEV_WARN};

	(void)log_configure(&quiet, 1);
}

/* Whether list-commands names @name. */
bool ctl_fx_listed(env_state_t *s, const char *name)
{
	json_t *ans = ctl_fx_expect(s, "{\"command\":\"list-commands\"}", 0, NULL);
	json_t *v;
	size_t i;
	bool found = false;

	json_array_foreach(json_object_get(ans, "arguments"), i, v)
	{
		found = found || strcmp(json_string_value(v), name) == 0;
	}
	json_decref(ans);
	return found;
}

/* lease4-add of @ip for @hw with hostname @host; must succeed. */
void ctl_fx_add_lease(env_state_t *s, const char *ip, const char *hw, const char *host)
{
	char body[512];

	snprintf(body, sizeof(body),
	         "{\"command\":\"lease4-add\",\"arguments\":{\"ip-address\":\"%s\","
	         "\"hw-address\":\"%s\",\"hostname\":\"%s\"}}",
	         ip, hw, host);
	json_decref(ctl_fx_expect(s, body, 0, NULL));
}
