/* Fuzz the configuration loader: arbitrary bytes as Kea-style JSON text
 * through cfg_load_text(). Seeds: tests/fixtures/cfg/{good,bad}. Properties
 * checked (a violation traps):
 *   - the result is 0 with a cfg_t, or a negative code with no cfg_t and a
 *     NUL-terminated error message, which cfg_err_format() can format;
 *   - an accepted config is internally consistent: subnets sorted by id and
 *     found by cfg_subnet_by_id(), masks match prefix lengths, pools lie in
 *     their subnet and are found by cfg_subnet_pool_of(), option sets are
 *     sorted with one entry per code and found by cfg_optset_find(), class
 *     names are found by cfg_class_find(), every reservation is found by its
 *     identifier (and by address when it reserves one), shared networks and
 *     their subnets point at each other;
 *   - acceptance is stable: the stored Dhcp4 JSON, dumped and loaded again,
 *     is accepted too. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg.h"
#include "util/log.h"

#define CHECK(cond)                       \
	do {                              \
		if (!(cond)) {            \
			__builtin_trap(); \
		}                         \
	} while (0)

/* Larger inputs only make every iteration slower; JSON nesting is what matters. */
#define INPUT_MAX (64 * 1024)

static bool str_ok(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static void check_optset(const cfg_optset_t *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const cfg_option_t *o = &set->v[i];

		CHECK(i == 0 || set->v[i - 1].code < o->code);
		CHECK(o->len == 0 || o->data != NULL);
		CHECK(cfg_optset_find(set, o->code) == o);
	}
}

static void check_class_list(const cfg_t *cfg, const cfg_class_list_t *l)
{
	for (size_t i = 0; i < l->n; i++) {
		CHECK(l->idx[i] < cfg->n_classes);
	}
}

static void check_class_idx(const cfg_t *cfg, int idx)
{
	CHECK(idx == CFG_CLASS_NONE || (idx >= 0 && (size_t)idx < cfg->n_classes));
}

static void check_subnet(const cfg_t *cfg, const cfg_subnet4_t *s)
{
	CHECK(s->plen <= 32);
	CHECK(s->mask == (s->plen == 0 ? 0 : UINT32_MAX << (32 - s->plen)));
	CHECK((s->net & s->mask) == s->net);
	CHECK(cfg_subnet_by_id(cfg, s->id) == s);
	check_optset(&s->opts);
	check_class_idx(cfg, s->client_class);
	check_class_list(cfg, &s->require);
	CHECK(s->n_relay_addrs == 0 || s->relay_addrs != NULL);
	for (size_t p = 0; p < s->n_pools; p++) {
		const cfg_pool_t *pool = &s->pools[p];

		CHECK(pool->first <= pool->last);
		CHECK(cfg_subnet4_contains(s, pool->first) && cfg_subnet4_contains(s, pool->last));
		CHECK(cfg_subnet_pool_of(s, pool->first) != NULL);
		CHECK(cfg_subnet_pool_of(s, pool->last) != NULL);
		check_optset(&pool->opts);
		check_class_idx(cfg, pool->client_class);
		check_class_list(cfg, &pool->require);
	}
	if (s->network != NULL) {
		const cfg_shared_network_t *n = s->network;
		bool found = false;

		CHECK(n >= cfg->networks && n < cfg->networks + cfg->n_networks);
		for (size_t i = 0; i < n->n_subnets; i++) {
			found = found || n->subnets[i] == s;
		}
		CHECK(found);
	}
}

static void check_cfg(const cfg_t *cfg)
{
	CHECK(cfg->json != NULL && json_is_object(cfg->json));
	CHECK(cfg->n_classes >= _CFG_CLASS_BUILTIN_MAX);
	CHECK(cfg->n_host_ids <= _CFG_HOST_ID_MAX);
	check_optset(&cfg->opts);

	for (size_t i = 0; i < cfg->n_subnets; i++) {
		CHECK(i == 0 || cfg->subnets[i - 1].id < cfg->subnets[i].id);
		check_subnet(cfg, &cfg->subnets[i]);
	}
	for (size_t i = 0; i < cfg->n_networks; i++) {
		const cfg_shared_network_t *n = &cfg->networks[i];

		CHECK(n->name != NULL);
		check_optset(&n->opts);
		check_class_list(cfg, &n->require);
		check_class_idx(cfg, n->client_class);
		for (size_t j = 0; j < n->n_subnets; j++) {
			const cfg_subnet4_t *s = n->subnets[j];

			CHECK(s >= cfg->subnets && s < cfg->subnets + cfg->n_subnets);
			CHECK(s->network == n);
		}
	}
	for (size_t i = 0; i < cfg->n_classes; i++) {
		const cfg_class_t *c = &cfg->classes[i];

		CHECK(c->name != NULL);
		CHECK(cfg_class_find(cfg, c->name) == (int)i);
		check_optset(&c->opts);
	}
	for (size_t i = 0; i < cfg->n_hosts; i++) {
		const cfg_host_t *h = &cfg->hosts[i];

		CHECK(h->id_type < _CFG_HOST_ID_MAX);
		CHECK(h->id_len <= sizeof(h->id));
		CHECK(h->subnet_id == 0 || cfg_subnet_by_id(cfg, h->subnet_id) != NULL);
		CHECK(cfg_host_find(cfg, h->subnet_id, h->id_type, h->id, h->id_len) != NULL);
		if (h->addr != 0) {
			CHECK(cfg_host_find_by_addr(cfg, h->subnet_id, h->addr) != NULL);
		}
		check_optset(&h->opts);
		check_class_list(cfg, &h->classes);
	}
}

/* What was accepted once must be accepted again from its own JSON. */
static void check_reload(const cfg_t *cfg)
{
	json_t *root = json_pack("{s:O}", "Dhcp4", cfg->json);
	char *text;
	cfg_t *again = NULL;
	cfg_err_t err = { 0 };

	if (root == NULL) {
		return;
	}
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (text == NULL) {
		return;
	}
	int r = cfg_load_text(text, strlen(text), &again, &err);
	free(text);
	if (r == -ENOMEM) {
		return;
	}
	CHECK(r == 0 && again != NULL);
	CHECK(again->n_subnets == cfg->n_subnets && again->n_hosts == cfg->n_hosts &&
	      again->n_classes == cfg->n_classes && again->n_networks == cfg->n_networks);
	cfg_free(again);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char name[] = "kea-dhcp4";
	static char out[] = "stderr";
	cfg_log_output_t o = { .output = out };
	cfg_logger_t lg = { .name = name, .severity = LOG_SEV_NONE, .outputs = &o, .n_outputs = 1 };

	(void)argc;
	(void)argv;
	(void)log_configure(&lg, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cfg_t *cfg = NULL;
	cfg_err_t err;
	char buf[sizeof(err.path) + sizeof(err.msg) + 64];

	if (size > INPUT_MAX) {
		return 0;
	}
	memset(&err, 0, sizeof(err));
	int r = cfg_load_text((const char *)data, size, &cfg, &err);
	if (r < 0) {
		CHECK(cfg == NULL);
		CHECK(str_ok(err.path, sizeof(err.path)) && str_ok(err.msg, sizeof(err.msg)));
		CHECK(err.msg[0] != '\0');
		CHECK(err.line >= 0);
		const char *s = cfg_err_format(&err, buf, sizeof(buf));
		CHECK(s != NULL && strlen(s) < sizeof(buf));
		return 0;
	}
	CHECK(r == 0 && cfg != NULL);
	check_cfg(cfg);
	check_reload(cfg);
	cfg_free(cfg);
	return 0;
}
