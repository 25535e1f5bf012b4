/* Configuration loader: client-classes (Dhcp4.client-classes, class
 * references and class-name lists in other scopes). */
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "dhcp/optdef.h"

/* ---- classes ---- */

static const char *const builtin_prefixes[] = {
	"VENDOR_CLASS_", "HA_", "AFTER_", "EXTERNAL_", "SPAWN_", NULL,
};

static bool is_builtin_name(const char *name)
{
	for (size_t i = 0; builtin_prefixes[i] != NULL; i++) {
		if (strncmp(name, builtin_prefixes[i], strlen(builtin_prefixes[i])) == 0) {
			return true;
		}
	}
	return strcmp(name, "BOOTP") == 0 || strcmp(name, "SKIP_DDNS") == 0;
}

/* Append a class entry named @name; returns its index or a negative code. */
int load_class_append(ld_t *ld, const char *name, bool builtin)
{
	cfg_t *cfg = ld->cfg;

	if (cfg->n_classes >= UINT16_MAX) {
		return load_fail(ld, NULL, "too many client classes");
	}
	if (cfg->n_classes == ld->classes_cap) {
		size_t cap = ld->classes_cap == 0 ? 16 : ld->classes_cap * 2;
		cfg_class_t *v = realloc(cfg->classes, cap * sizeof(*v));
		if (v == NULL) {
			return load_oom(ld);
		}
		cfg->classes = v;
		ld->classes_cap = cap;
	}
	cfg_class_t *c = &cfg->classes[cfg->n_classes];
	*c = (cfg_class_t){ .builtin = builtin };
	c->name = strdup(name);
	if (c->name == NULL) {
		return load_oom(ld);
	}
	return (int)cfg->n_classes++;
}

/* Index of class @name for a guard/require/reservation reference: an unknown
 * builtin-prefixed name gets a builtin entry; any other unknown name gets an
 * empty placeholder (Kea accepts references to undefined classes; they can
 * only be joined through reservations). */
int load_class_ref(ld_t *ld, const char *name)
{
	int idx = cfg_class_find(ld->cfg, name);

	if (idx >= 0 || ld->frozen) {
		return idx >= 0 ? idx : -ENOENT;
	}
	return load_class_append(ld, name, is_builtin_name(name));
}

static int res_class_index(void *ud, const char *name)
{
	ld_t *ld = ud;
	int idx = cfg_class_find(ld->cfg, name);

	if (idx >= 0) {
		return idx;
	}
	if (is_builtin_name(name)) {
		return load_class_append(ld, name, true);
	}
	return -1;
}

static bool res_depends(void *ud, int idx)
{
	ld_t *ld = ud;

	if (idx < 0 || (size_t)idx >= ld->cfg->n_classes) {
		return false;
	}
	return ld->cfg->classes[idx].depends_on_known;
}

static int res_option_code(void *ud, const char *name)
{
	ld_t *ld = ud;
	const optdef_t *d = optdef_find_name(&ld->defs, name);

	return d != NULL ? d->code : -1;
}

int load_parse_class_list(ld_t *ld, json_t *obj, const char *key, cfg_class_list_t *ret)
{
	json_t *arr;
	int r = load_get_array(ld, obj, key, &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t mark = load_push_key(ld, key);
	size_t n = json_array_size(arr);
	ret->idx = calloc(n > 0 ? n : 1, sizeof(*ret->idx));
	if (ret->idx == NULL) {
		return load_oom(ld);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			size_t m2 = load_push_idx(ld, i);
			r = load_fail(ld, NULL, "a client class name must be a non-empty string");
			load_pop(ld, m2);
			return r;
		}
		int idx = load_class_ref(ld, json_string_value(v));
		if (idx == -ENOENT && ld->frozen) {
			continue;       /* a name nothing in the configuration refers to */
		}
		if (idx < 0) {
			return idx;
		}
		bool dup = false;
		for (size_t j = 0; j < ret->n; j++) {
			dup |= ret->idx[j] == idx;
		}
		if (!dup) {
			ret->idx[ret->n++] = (uint16_t)idx;
		}
	}
	load_pop(ld, mark);
	return 0;
}

/* ---- client classes ---- */

static const char *const class_keys[] = {
	"name", "test", "only-if-required", "option-data", "next-server", "server-hostname",
	"boot-file-name", "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime",
	"user-context", "comment", "option-def", NULL,
};
static const char *const class_unsup[] = {
	"template-test", "offer-lifetime", "preferred-lifetime", NULL,
};

static int parse_class(ld_t *ld, json_t *o)
{
	const char *name = NULL, *test = NULL, *sname = NULL, *file = NULL;
	int r;

	if ((r = load_check_keys(ld, o, "client-classes", class_keys, class_unsup)) < 0 ||
	         (r = load_get_str(ld, o, "name", &name)) < 0 || (r = load_get_str(ld, o, "test", &test)) < 0 ||
	         (r = load_get_str(ld, o, "server-hostname", &sname)) < 0 ||
	         (r = load_get_str(ld, o, "boot-file-name", &file)) < 0) {
		return r;
	}
	if (name == NULL || name[0] == '\0') {
		return load_fail(ld, NULL, "missing parameter 'name'");
	}
	int idx = cfg_class_find(ld->cfg, name);
	if (idx == CFG_CLASS_ALL || idx == CFG_CLASS_KNOWN || idx == CFG_CLASS_UNKNOWN) {
		return load_fail(ld, "name", "built-in client class '%s' cannot be redefined", name);
	}
	if (idx >= 0 && idx != CFG_CLASS_DROP && !ld->cfg->classes[idx].builtin) {
		return load_fail(ld, "name", "Client Class: %s has already been defined", name);
	}
	if (idx >= 0 && idx != CFG_CLASS_DROP) {
		return load_fail(ld, "name", "client class '%s' was referenced before its definition", name);
	}
	if (idx == CFG_CLASS_DROP && !ld->cfg->classes[idx].builtin) {
		return load_fail(ld, "name", "Client Class: %s has already been defined", name);
	}

	struct class_expr *expr = NULL;
	if (test != NULL) {
		class_resolver_t res = {
			.userdata = ld,
			.class_index = res_class_index,
			.class_depends_on_known = res_depends,
			.option_code = res_option_code,
			.known_idx = CFG_CLASS_KNOWN,
			.unknown_idx = CFG_CLASS_UNKNOWN,
		};
		class_err_t cerr = { 0 };
		r = class_expr_compile(test, &res, &expr, &cerr);
		if (r < 0) {
			if (ld->err->msg[0] != '\0') {
				return r;
			}
			return load_fail(ld, "test", "expression: [%s] error: column %d: %s", test, cerr.column,
			                 cerr.msg);
		}
	}
	if (idx < 0) {
		idx = load_class_append(ld, name, false);
		if (idx < 0) {
			class_expr_free(expr);
			return idx;
		}
	}
	cfg_class_t *c = &ld->cfg->classes[idx];
	c->test = expr;
	c->builtin = false;             /* a user-defined DROP is an ordinary class */
	c->depends_on_known = expr != NULL && class_expr_depends_on_known(expr);
	c->server_hostname = load_dup_nonempty(sname);
	c->boot_file_name = load_dup_nonempty(file);
	bool has_v = false, has_min = false, has_max = false;
	if ((r = load_get_bool(ld, o, "only-if-required", &c->only_if_required, NULL)) < 0 ||
	         (r = load_get_addr(ld, o, "next-server", &c->next_server, &c->has_next_server)) < 0 ||
	         (r = load_get_u32(ld, o, "valid-lifetime", &c->valid_lft, &has_v)) < 0 ||
	         (r = load_get_u32(ld, o, "min-valid-lifetime", &c->min_valid_lft, &has_min)) < 0 ||
	         (r = load_get_u32(ld, o, "max-valid-lifetime", &c->max_valid_lft, &has_max)) < 0) {
		return r;
	}
	/* Class-level option-def: used to encode this class's own option-data
	 * (Kea also re-parses the query's deferred options with it; lessor does
	 * not). */
	optdef_set_t cdefs = { 0 };
	json_t *darr;
	r = load_get_array(ld, o, "option-def", &darr);
	if (r >= 0 && darr != NULL) {
		size_t mark = load_push_key(ld, "option-def");
		for (size_t i = 0; i < json_array_size(darr) && r >= 0; i++) {
			size_t m2 = load_push_idx(ld, i);
			json_t *d = json_array_get(darr, i);
			r = load_need_object(ld, d, NULL);
			if (r >= 0) {
				r = load_parse_optdef(ld, d, &cdefs, true);
			}
			if (r >= 0) {
				load_pop(ld, m2);
			}
		}
		if (r >= 0) {
			load_pop(ld, mark);
		}
	}
	if (r >= 0) {
		ld->cdefs = &cdefs;
		r = load_parse_options(ld, o, &ld->cfg->classes[idx].opts);
		ld->cdefs = NULL;
	}
	optdef_set_done(&cdefs);
	if (r < 0) {
		return r;
	}
	c = &ld->cfg->classes[idx];
	if (has_v || has_min || has_max) {
		c->has_valid_lft = true;
		if (!has_v) {
			c->valid_lft = has_min ? c->min_valid_lft : c->max_valid_lft;
		}
		if (!has_min) {
			c->min_valid_lft = c->valid_lft;
		}
		if (!has_max) {
			c->max_valid_lft = c->valid_lft;
		}
		if (c->min_valid_lft > c->valid_lft || c->valid_lft > c->max_valid_lft) {
			return load_fail(ld, "valid-lifetime", "valid-lifetime %u is not between min-valid-lifetime %u and max-valid-lifetime %u",
			                 c->valid_lft, c->min_valid_lft, c->max_valid_lft);
		}
	}
	return 0;
}

int load_parse_classes(ld_t *ld, json_t *d4)
{
	json_t *arr;
	int r = load_get_array(ld, d4, "client-classes", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	/* Kea's grammar wants at least one class map here. */
	if (json_array_size(arr) == 0) {
		return load_fail(ld, "client-classes", "syntax error, unexpected ], expecting {");
	}
	size_t mark = load_push_key(ld, "client-classes");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		if ((r = load_need_object(ld, o, NULL)) < 0 || (r = parse_class(ld, o)) < 0) {
			return r;
		}
		load_pop(ld, m2);
	}
	load_pop(ld, mark);
	return 0;
}
