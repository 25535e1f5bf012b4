/* Client classification; see classify.h. */
#include <stdio.h>
#include <string.h>

#include "dhcp/proto.h"
#include "engine/classify.h"
#include "util/log.h"

/* Whether EVAL_RESULT at INFO is written, asked at most once per pass and only
 * once a class matched: with INFO off globally that is one relaxed atomic
 * load, and a pass where nothing matches never asks. -1 = not asked yet. */
typedef struct eval_log {
	int8_t info_on;
} eval_log_t;

#define EVAL_LOG_INIT ((eval_log_t){.info_on = -1})

/* Kea 2.2 Dhcpv4Srv::evaluateClasses(): a match is logged as EVAL_RESULT at
 * INFO on kea-dhcp4.options ("Expression <class> evaluated to 1"), a miss at
 * DEBUG 50 (DBG_DHCP4_DETAIL); no packet label (checked against Kea 2.2).
 * Kept out of line so the evaluation loop stays small. */
__attribute__((noinline)) static void eval_log(const cfg_class_t *cl, bool r, eval_log_t *lg)
{
	if (r) {
		if (lg->info_on < 0) {
			lg->info_on = log_enabled(LOGGER_OPTIONS, LOG_SEV_INFO, 0) ? 1 : 0;
		}
		if (lg->info_on > 0) {
			log_info(LOGGER_OPTIONS, "EVAL_RESULT", "Expression %s evaluated to 1",
			         cl->name);
		}
	} else {
		log_debug(LOGGER_OPTIONS, LOG_DBG_DETAIL, "EVAL_RESULT",
		          "Expression %s evaluated to 0", cl->name);
	}
}

static inline bool eval_class(const cfg_class_t *cl, const class_eval_ctx_t *ec, eval_log_t *lg)
{
	if (cl->test == NULL || ec->scratch == NULL) {
		return false;
	}
	bool r = class_expr_eval(cl->test, ec);

	eval_log(cl, r, lg);
	return r;
}

/* Kea classifyByVendor(): "VENDOR_CLASS_" + option 60 content. Only a
 * class the configuration defines or references can matter (options,
 * member()), so an undefined name is not recorded. */
static void classify_vendor(const cfg_t *cfg, const pkt4_t *pkt, class_set_t *set)
{
	static const char prefix[] = "VENDOR_CLASS_";
	const opt_view_t *o = pkt4_opt(pkt, DHO_VENDOR_CLASS_IDENTIFIER);
	char name[sizeof(prefix) + DHCP_OPT_LEN_MAX];

	if (o == NULL || o->len == 0 || o->len > DHCP_OPT_LEN_MAX || memchr(o->data, 0, o->len)) {
		return;
	}
	memcpy(name, prefix, sizeof(prefix) - 1);
	memcpy(name + sizeof(prefix) - 1, o->data, o->len);
	name[sizeof(prefix) - 1 + o->len] = '\0';
	class_set_add(set, cfg_class_find(cfg, name));
}

static void eval_pass(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                      bool known_pass)
{
	eval_log_t lg = EVAL_LOG_INIT;

	for (size_t i = _CFG_CLASS_BUILTIN_MAX; i < cfg->n_classes; i++) {
		const cfg_class_t *cl = &cfg->classes[i];

		/* Kea evaluates a pass's classes again even when joined already
		 * (and logs them again); a false result never leaves a class. */
		if (cl->builtin || cl->only_if_required || cl->depends_on_known != known_pass) {
			continue;
		}
		if (eval_class(cl, ec, &lg)) {
			class_set_add(set, (int)i);
		}
	}
	/* DROP is a built-in index with a user-supplied test. */
	const cfg_class_t *drop =
	        cfg->n_classes > CFG_CLASS_DROP ? &cfg->classes[CFG_CLASS_DROP] : NULL;
	if (drop != NULL && drop->depends_on_known == known_pass && eval_class(drop, ec, &lg)) {
		class_set_add(set, CFG_CLASS_DROP);
	}
}

void classify_early(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set)
{
	class_set_add(set, CFG_CLASS_ALL);
	classify_vendor(cfg, ec->pkt, set);
	eval_pass(cfg, ec, set, false);
}

static void add_host_classes(const cfg_t *cfg, class_set_t *set, const cfg_host_t *host)
{
	for (size_t i = 0; i < host->classes.n; i++) {
		if (host->classes.idx[i] < cfg->n_classes) {
			class_set_add(set, host->classes.idx[i]);
		}
	}
}

/* Kea removeDependentEvaluatedClasses(): every class joined by a test
 * leaves, so a reservation's classes can change what the tests give (a
 * "not member('x')" class); the order of the others is kept. */
static void remove_evaluated(const cfg_t *cfg, class_set_t *set)
{
	uint16_t n = 0;

	for (uint16_t i = 0; i < set->n; i++) {
		uint16_t idx = set->idx[i];

		if (idx >= cfg->n_classes || cfg->classes[idx].test == NULL) {
			set->idx[n++] = idx;
		}
	}
	set->n = n;
}

/* A reservation's classes with the first pass again (Kea 2.2). */
static void reserved_reeval(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                            const cfg_host_t *host)
{
	remove_evaluated(cfg, set);
	add_host_classes(cfg, set, host);
	eval_pass(cfg, ec, set, false);
}

void classify_early_host(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                         const cfg_host_t *host)
{
	if (host->classes.n > 0) {
		reserved_reeval(cfg, ec, set, host);
	}
	class_set_add(set, CFG_CLASS_KNOWN);
	eval_pass(cfg, ec, set, true);
}

void classify_late(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                   const cfg_host_t *host, bool known, bool reeval)
{
	if (host != NULL && reeval && host->classes.n > 0) {
		reserved_reeval(cfg, ec, set, host);
	} else if (host != NULL) {
		add_host_classes(cfg, set, host);
	}
	class_set_add(set, host != NULL || known ? CFG_CLASS_KNOWN : CFG_CLASS_UNKNOWN);
	eval_pass(cfg, ec, set, true);
}

bool classify_is_drop(const class_set_t *set)
{
	return class_set_has(set, CFG_CLASS_DROP);
}

static void eval_required_list(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                               const cfg_class_list_t *list, eval_log_t *lg)
{
	for (size_t i = 0; i < list->n; i++) {
		uint16_t idx = list->idx[i];

		if (idx >= cfg->n_classes || class_set_has(set, idx)) {
			continue;
		}
		if (eval_class(&cfg->classes[idx], ec, lg)) {
			class_set_add(set, idx);
		}
	}
}

void classify_required(const cfg_t *cfg, const class_eval_ctx_t *ec, class_set_t *set,
                       const cfg_subnet4_t *subnet, const cfg_pool_t *pool)
{
	eval_log_t lg = EVAL_LOG_INIT;

	if (subnet == NULL) {
		return;
	}
	if (subnet->network != NULL) {
		eval_required_list(cfg, ec, set, &subnet->network->require, &lg);
	}
	eval_required_list(cfg, ec, set, &subnet->require, &lg);
	if (pool != NULL) {
		eval_required_list(cfg, ec, set, &pool->require, &lg);
	}
}
