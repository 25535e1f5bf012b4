/* The fake daemon environment the ctl unit tests run commands in: a memfile
 * store with persist=false, a published test configuration (ctl_fx_cfg) and
 * callbacks that record what the commands asked of the daemon. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "ctl/ctl-int.h"
#include "lease/store.h"
#include "stats/stats.h"

extern const char ctl_fx_cfg[];

typedef struct ctl_fx_fake {
	int reloads;
	int fail_reload;
	json_t *last_cfg;
	int shutdowns;
	int exit_value;
	int disables;
	uint32_t period;
	char origin[32];
	bool enabled;
	int reclaims;
	bool remove;
} ctl_fx_fake_t;

typedef struct env_state {
	ctl_fx_fake_t fake;
	ctl_env_t env;
	lease_store_t *store;
	stats_t stats;
	ctl_t *ctl;
} env_state_t;

/* cmocka setup/teardown: *state is an env_state_t. */
int ctl_fx_setup(void **state);
int ctl_fx_teardown(void **state);

/* Every command is logged at INFO (COMMAND_RECEIVED): keep test output short. */
void ctl_fx_quiet_logs(void);

/* Run @body through the UNIX-socket path; the answer must be a JSON map. */
json_t *ctl_fx_call(env_state_t *s, const char *body);
int ctl_fx_result(const json_t *ans);
const char *ctl_fx_text(const json_t *ans);
/* Assert result and (if @text non-NULL) exact text; returns the answer. */
json_t *ctl_fx_expect(env_state_t *s, const char *body, int result, const char *text);

/* Whether list-commands names @name. */
bool ctl_fx_listed(env_state_t *s, const char *name);

/* lease4-add of @ip for @hw with hostname @host; must succeed. */
void ctl_fx_add_lease(env_state_t *s, const char *ip, const char *hw, const char *host);

#define EXPECT(s, body, result, text) json_decref(ctl_fx_expect((s), (body), (result), (text)))
