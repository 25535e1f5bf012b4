/* Configuration loader: the client-name parameters (ddns-replace-client-name,
 * ddns-generated-prefix, ddns-qualifying-suffix, hostname-char-set,
 * hostname-char-replacement) at global, shared-network and subnet level.
 * Kea 2.2 uses them for option 81 / option 12 answers even with DDNS off.
 * The other ddns-* keys only steer DNS updates, which lessor does not do,
 * and stay accepted as no-ops (cfg-load.c). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"

/* Kea 2.2's defaults (its global parameter defaults, shown by config-get). */
#define DEFAULT_PREFIX "myhost"
#define DEFAULT_CHAR_SET "[^A-Za-z0-9.-]"

static const char *const replace_names[] = {
        [CFG_REPLACE_NEVER] = "never",
        [CFG_REPLACE_ALWAYS] = "always",
        [CFG_REPLACE_WHEN_PRESENT] = "when-present",
        [CFG_REPLACE_WHEN_NOT_PRESENT] = "when-not-present",
};

static int parse_replace(ld_t *ld, json_t *o, lvl_t *l)
{
	json_t *v = json_object_get(o, "ddns-replace-client-name");

	if (v == NULL) {
		return 0;
	}
	if (json_is_boolean(v)) {
		return load_fail(
		        ld, "ddns-replace-client-name",
		        "boolean values for the replace-client-name are no longer supported");
	}
	if (!json_is_string(v)) {
		return load_fail(ld, "ddns-replace-client-name",
		                 "'ddns-replace-client-name' parameter is not a string");
	}
	/* Kea's lexer takes the four keywords in any case. */
	for (size_t i = 0; i < ARRAY_SIZE(replace_names); i++) {
		if (strcasecmp(json_string_value(v), replace_names[i]) == 0) {
			l->has_replace = true;
			l->replace = (cfg_replace_name_t)i;
			return 0;
		}
	}
	return load_fail(ld, "ddns-replace-client-name",
	                 "unsupported ddns-replace-client-name value '%s': use never, always, "
	                 "when-present or when-not-present",
	                 json_string_value(v));
}

int load_parse_names(ld_t *ld, json_t *o, lvl_t *l)
{
	sanitize_t probe;
	int r;

	if ((r = parse_replace(ld, o, l)) < 0 ||
	    (r = load_get_str(ld, o, "ddns-generated-prefix", &l->prefix)) < 0 ||
	    (r = load_get_str(ld, o, "ddns-qualifying-suffix", &l->suffix)) < 0 ||
	    (r = load_get_str(ld, o, "hostname-char-set", &l->char_set)) < 0 ||
	    (r = load_get_str(ld, o, "hostname-char-replacement", &l->char_repl)) < 0) {
		return r;
	}
	/* Kea checks the expression at shared-network and subnet level; a bad
	 * global one would fail every packet's name processing, so lessor
	 * refuses it too (docs/differences.md). */
	if (l->char_set != NULL && l->char_set[0] != '\0') {
		r = sanitize_init(&probe, l->char_set, l->char_repl != NULL ? l->char_repl : "");
		if (r == -ENOMEM) {
			return load_oom(ld);
		}
		if (r < 0) {
			return load_fail(ld, "hostname-char-set",
			                 "hostname-char-set '%s' is not a valid regular expression",
			                 l->char_set);
		}
		sanitize_done(&probe);
	}
	return 0;
}

static const char *pick(const char *s, const char *n, const char *g, const char *dflt)
{
	return s != NULL ? s : n != NULL ? n : g != NULL ? g : dflt;
}

/* Subnets share one compiled expression per distinct (set, replacement). */
static int sanitizer_get(ld_t *ld, const char *set, const char *repl, const sanitize_t **ret)
{
	cfg_t *cfg = ld->cfg;

	for (size_t i = 0; i < cfg->n_sanitizers; i++) {
		if (strcmp(cfg->sanitizers[i]->char_set, set) == 0 &&
		    strcmp(cfg->sanitizers[i]->replacement, repl) == 0) {
			*ret = cfg->sanitizers[i];
			return 0;
		}
	}
	sanitize_t **v = realloc(cfg->sanitizers, (cfg->n_sanitizers + 1) * sizeof(*v));
	if (v == NULL) {
		return load_oom(ld);
	}
	cfg->sanitizers = v;
	sanitize_t *s = malloc(sizeof(*s));
	if (s == NULL) {
		return load_oom(ld);
	}
	int r = sanitize_init(s, set, repl);
	if (r < 0) {
		free(s);
		return r == -ENOMEM
		               ? load_oom(ld)
		               : load_fail(
		                         ld, "hostname-char-set",
		                         "hostname-char-set '%s' is not a valid regular expression",
		                         set);
	}
	v[cfg->n_sanitizers++] = s;
	*ret = s;
	return 0;
}

int load_resolve_names(ld_t *ld, cfg_subnet4_t *s, const lvl_t *gl, const lvl_t *nl,
                       const lvl_t *sl)
{
	static const lvl_t none = {.client_class = CFG_CLASS_NONE};
	cfg_names_t *n = &s->names;

	if (nl == NULL) {
		nl = &none;
	}
	n->replace = sl->has_replace   ? sl->replace
	             : nl->has_replace ? nl->replace
	             : gl->has_replace ? gl->replace
	                               : CFG_REPLACE_NEVER;
	n->prefix = pick(sl->prefix, nl->prefix, gl->prefix, DEFAULT_PREFIX);
	n->suffix = pick(sl->suffix, nl->suffix, gl->suffix, "");
	const char *set = pick(sl->char_set, nl->char_set, gl->char_set, DEFAULT_CHAR_SET);
	const char *repl = pick(sl->char_repl, nl->char_repl, gl->char_repl, "");
	n->sanitizer = NULL;
	if (set[0] == '\0') {
		return 0;
	}
	return sanitizer_get(ld, set, repl, &n->sanitizer);
}
