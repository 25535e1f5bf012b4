/* Kea's Dhcp4 JSON -> cfg_t. Every value is validated here, every inherited
 * parameter resolved (global -> shared network -> subnet), so the packet path
 * only reads. Errors carry the JSON path of the offending member; for text
 * input cfg_load_text() adds the line via cfg_json_locate().
 *
 * Keys follow Kea 2.4's dhcp4_parser.yy: an unknown key is an error; a key
 * lessor knows but does not implement is refused with "not supported yet";
 * a key whose value is a no-op for lessor (ddns-* without dhcp-ddns, re-detect,
 * sanity-checks, ...) is accepted and stays in cfg->json for config-get. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfg/cfg-json.h"
#include "cfg/cfg.h"
#include "cfg/host.h"
#include "cfg/subnet.h"
#include "dhcp/optdef.h"
#include "util/hex.h"
#include "util/inaddr.h"
#include "util/log.h"

#define OPT_SCRATCH 65535

typedef struct ld {
	cfg_t *cfg;
	cfg_err_t *err;
	char path[512];
	size_t plen;
	optdef_set_t defs;
	const optdef_set_t *cdefs;      /* class-level option-def while parsing a class */
	uint8_t *scratch;
	bool ip_res_unique;
	size_t classes_cap;
} ld_t;

/* Parameters that may appear at global, shared-network and subnet level. */
typedef struct lvl {
	bool has_valid, has_min, has_max, has_renew, has_rebind, has_calc, has_t1, has_t2;
	uint32_t valid, min, max, renew, rebind;
	bool calc;
	double t1, t2;
	bool has_auth, auth, has_mcid, mcid, has_alloc;
	cfg_allocator_t alloc;
	bool has_rg, rg, has_ris, ris, has_roop, roop;
	bool has_ns;
	uint32_t ns;
	const char *sname, *file;       /* borrowed from json; NULL = not set */
	const char *iface;
	int client_class;
	uint32_t *relays;
	size_t n_relays;
	bool has_sid;
	uint32_t sid;
} lvl_t;

/* ---- paths and errors ---- */

static size_t push_key(ld_t *ld, const char *key)
{
	size_t mark = ld->plen;
	int n = snprintf(ld->path + ld->plen, sizeof(ld->path) - ld->plen, "%s%s",
	                 ld->plen > 0 ? "." : "", key);
	if (n > 0) {
		ld->plen = MIN(ld->plen + (size_t)n, sizeof(ld->path) - 1);
	}
	return mark;
}

static size_t push_idx(ld_t *ld, size_t i)
{
	size_t mark = ld->plen;
	int n = snprintf(ld->path + ld->plen, sizeof(ld->path) - ld->plen, "[%zu]", i);
	if (n > 0) {
		ld->plen = MIN(ld->plen + (size_t)n, sizeof(ld->path) - 1);
	}
	return mark;
}

static void pop(ld_t *ld, size_t mark)
{
	ld->plen = mark;
	ld->path[mark] = '\0';
}

/* Record the error at the current path (+ ".@key" when given). */
__attribute__((format(printf, 3, 4)))
static int fail(ld_t *ld, const char *key, const char *fmt, ...)
{
	va_list ap;
	cfg_err_t *e = ld->err;

	if (e->msg[0] != '\0') {
		return -EINVAL;
	}
	if (key != NULL) {
		/* a path longer than the buffer is cut; the message still names the key */
		if (snprintf(e->path, sizeof(e->path), "%s%s%s", ld->path, ld->plen > 0 ? "." : "", key) >=
		    (int)sizeof(e->path)) {
			e->path[sizeof(e->path) - 1] = '\0';
		}
	} else {
		snprintf(e->path, sizeof(e->path), "%s", ld->path);
	}
	e->line = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int oom(ld_t *ld)
{
	fail(ld, NULL, "out of memory");
	return -ENOMEM;
}

static bool in_list(const char *const *list, const char *key)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
		if (strcmp(list[i], key) == 0) {
			return true;
		}
	}
	return false;
}

/* Every key of @obj must be in @ok; keys in @unsup are refused politely. */
static int check_keys(ld_t *ld, json_t *obj, const char *map, const char *const *ok,
                      const char *const *unsup)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		if (in_list(ok, key)) {
			continue;
		}
		if (in_list(unsup, key)) {
			return fail(ld, key, "'%s' is not supported yet", key);
		}
		return fail(ld, key, "got unexpected keyword \"%s\" in %s map.", key, map);
	}
	return 0;
}

static int need_object(ld_t *ld, json_t *v, const char *key)
{
	if (!json_is_object(v)) {
		return fail(ld, key, "expected a map");
	}
	return 0;
}

/* ---- typed getters: absent keys leave *ret alone and return 0 ---- */

static int get_u32(ld_t *ld, json_t *obj, const char *key, uint32_t *ret, bool *ret_has)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)UINT32_MAX) {
		return fail(ld, key, "'%s' must be an integer between 0 and 4294967295", key);
	}
	*ret = (uint32_t)json_integer_value(v);
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

static int get_bool(ld_t *ld, json_t *obj, const char *key, bool *ret, bool *ret_has)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_boolean(v)) {
		return fail(ld, key, "'%s' must be a boolean", key);
	}
	*ret = json_is_true(v);
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

static int get_str(ld_t *ld, json_t *obj, const char *key, const char **ret)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_string(v)) {
		return fail(ld, key, "'%s' must be a string", key);
	}
	*ret = json_string_value(v);
	return 0;
}

static int get_double(ld_t *ld, json_t *obj, const char *key, double *ret, bool *ret_has)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_number(v)) {
		return fail(ld, key, "'%s' must be a number", key);
	}
	*ret = json_number_value(v);
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

static int get_array(ld_t *ld, json_t *obj, const char *key, json_t **ret)
{
	json_t *v = json_object_get(obj, key);

	*ret = NULL;
	if (v == NULL) {
		return 0;
	}
	if (!json_is_array(v)) {
		return fail(ld, key, "'%s' must be a list", key);
	}
	*ret = v;
	return 0;
}

static int get_addr(ld_t *ld, json_t *obj, const char *key, uint32_t *ret, bool *ret_has)
{
	const char *s = NULL;
	int r = get_str(ld, obj, key, &s);

	if (r < 0 || s == NULL) {
		return r;
	}
	if (inaddr_parse(s, ret) < 0) {
		return fail(ld, key, "'%s' is not a valid IPv4 address", s);
	}
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

static char *dup_nonempty(const char *s)
{
	return s == NULL || s[0] == '\0' ? NULL : strdup(s);
}

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
static int class_append(ld_t *ld, const char *name, bool builtin)
{
	cfg_t *cfg = ld->cfg;

	if (cfg->n_classes >= UINT16_MAX) {
		return fail(ld, NULL, "too many client classes");
	}
	if (cfg->n_classes == ld->classes_cap) {
		size_t cap = ld->classes_cap == 0 ? 16 : ld->classes_cap * 2;
		cfg_class_t *v = realloc(cfg->classes, cap * sizeof(*v));
		if (v == NULL) {
			return oom(ld);
		}
		cfg->classes = v;
		ld->classes_cap = cap;
	}
	cfg_class_t *c = &cfg->classes[cfg->n_classes];
	*c = (cfg_class_t){ .builtin = builtin };
	c->name = strdup(name);
	if (c->name == NULL) {
		return oom(ld);
	}
	return (int)cfg->n_classes++;
}

/* Index of class @name for a guard/require/reservation reference: an unknown
 * builtin-prefixed name gets a builtin entry; any other unknown name gets an
 * empty placeholder (Kea accepts references to undefined classes; they can
 * only be joined through reservations). */
static int class_ref(ld_t *ld, const char *name)
{
	int idx = cfg_class_find(ld->cfg, name);

	if (idx >= 0) {
		return idx;
	}
	return class_append(ld, name, is_builtin_name(name));
}

static int res_class_index(void *ud, const char *name)
{
	ld_t *ld = ud;
	int idx = cfg_class_find(ld->cfg, name);

	if (idx >= 0) {
		return idx;
	}
	if (is_builtin_name(name)) {
		return class_append(ld, name, true);
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

static int parse_class_list(ld_t *ld, json_t *obj, const char *key, cfg_class_list_t *ret)
{
	json_t *arr;
	int r = get_array(ld, obj, key, &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t mark = push_key(ld, key);
	size_t n = json_array_size(arr);
	ret->idx = calloc(n > 0 ? n : 1, sizeof(*ret->idx));
	if (ret->idx == NULL) {
		return oom(ld);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			size_t m2 = push_idx(ld, i);
			r = fail(ld, NULL, "a client class name must be a non-empty string");
			pop(ld, m2);
			return r;
		}
		int idx = class_ref(ld, json_string_value(v));
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
	pop(ld, mark);
	return 0;
}

/* ---- options ---- */

static const char *const option_keys[] = {
	"name", "code", "space", "data", "csv-format", "always-send", "never-send",
	"user-context", "comment", NULL,
};

static int opt_cmp(const void *a, const void *b)
{
	const cfg_option_t *x = a, *y = b;

	return (int)x->code - (int)y->code;
}

/* One option-data entry of a scope before encapsulation is resolved: every
 * option space, in configuration order (@seq). */
typedef struct pend_opt {
	const char *space;              /* borrowed from json; "dhcp4" for the main space */
	const optdef_t *def;            /* NULL: no definition (hex only) */
	uint8_t code;
	bool always_send, never_send;
	uint16_t len;
	size_t seq;
	uint8_t *data;
} pend_opt_t;

typedef struct pend_set {
	pend_opt_t *v;
	size_t n;
} pend_set_t;

static void pend_done(pend_set_t *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].data);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* "vendor-<enterprise-id>": the option 124/125 spaces (RFC 3925), which
 * lessor does not implement. */
static bool vendor_space(const char *space)
{
	return strncmp(space, "vendor-", 7) == 0 && space[7] != '\0' &&
	       strspn(space + 7, "0123456789") == strlen(space + 7);
}

/* Class-level definitions (while parsing a class) win over the global and
 * standard ones (Kea OptionDataParser::findOptionDefinition()). */
static const optdef_t *cdef_find(const ld_t *ld, const char *space, const char *name, int code)
{
	/* class definitions are dhcp4-space only (parse_optdef()) */
	if (ld->cdefs == NULL || !optdef_space_is_dhcp4(space)) {
		return NULL;
	}
	for (size_t i = 0; i < ld->cdefs->n; i++) {
		const optdef_t *d = &ld->cdefs->v[i];

		if (name != NULL ? strcmp(d->name, name) == 0 : d->code == code) {
			return d;
		}
	}
	return NULL;
}

static const optdef_t *def_by_name(const ld_t *ld, const char *space, const char *name)
{
	const optdef_t *d = cdef_find(ld, space, name, -1);

	return d != NULL ? d : optdef_find_space_name(&ld->defs, space, name);
}

static const optdef_t *def_by_code(const ld_t *ld, const char *space, uint8_t code)
{
	const optdef_t *d = cdef_find(ld, space, NULL, code);

	return d != NULL ? d : optdef_find_space_code(&ld->defs, space, code);
}

static int parse_option(ld_t *ld, json_t *o, pend_set_t *set)
{
	const char *name = NULL, *space = "dhcp4", *data = "";
	bool csv = true, always = false, never = false, has_code = false;
	uint32_t code = 0;
	const optdef_t *def = NULL;
	char ebuf[256];
	int r;

	if ((r = check_keys(ld, o, "option-data", option_keys, NULL)) < 0 ||
	    (r = get_str(ld, o, "name", &name)) < 0 || (r = get_str(ld, o, "space", &space)) < 0 ||
	    (r = get_str(ld, o, "data", &data)) < 0 || (r = get_u32(ld, o, "code", &code, &has_code)) < 0 ||
	    (r = get_bool(ld, o, "csv-format", &csv, NULL)) < 0 ||
	    (r = get_bool(ld, o, "always-send", &always, NULL)) < 0 ||
	    (r = get_bool(ld, o, "never-send", &never, NULL)) < 0) {
		return r;
	}
	if (space[0] == '\0') {
		return fail(ld, "space", "invalid option space name ''");
	}
	if (vendor_space(space)) {
		return fail(ld, "space", "option space '%s' is not supported yet", space);
	}
	if (has_code) {
		/* PAD and END are reserved in the dhcp4 space only (Kea) */
		if (code == 0 && optdef_space_is_dhcp4(space)) {
			return fail(ld, "code", "invalid option code '0': reserved for PAD");
		}
		if (code == 255 && optdef_space_is_dhcp4(space)) {
			return fail(ld, "code", "invalid option code '255': reserved for END");
		}
		if (code > 255) {
			return fail(ld, "code", "invalid option code '%u', it must not be greater than '255'", code);
		}
	}
	if (name != NULL) {
		def = def_by_name(ld, space, name);
		if (def == NULL) {
			return fail(ld, "name", "definition for the option '%s.%s' does not exist", space, name);
		}
		if (has_code && def->code != code) {
			const optdef_t *other = def_by_code(ld, space, (uint8_t)code);
			return fail(ld, "name", "specified option name '%s' does not match the option definition: '%s.%s'",
			            name, space, other != NULL ? other->name : "(none)");
		}
		code = def->code;
	} else if (has_code) {
		def = def_by_code(ld, space, (uint8_t)code);
		/* Kea's csv-format defaults to true, and csv needs a definition */
		if (def == NULL && csv) {
			return fail(ld, "code", "definition for the option '%s.' having code '%u' does not exist",
			            space, code);
		}
	} else {
		return fail(ld, NULL, "option data configuration requires one of 'code' or 'name' parameters to be specified");
	}

	if (!csv || def == NULL) {
		r = optdef_encode_hex(data, ld->scratch, OPT_SCRATCH);
		if (r == -EINVAL) {
			return fail(ld, "data", "option data is not a valid string of hexadecimal digits: %s", data);
		}
	} else {
		r = optdef_encode_csv(def, data, ld->scratch, OPT_SCRATCH, ebuf, sizeof(ebuf));
		if (r < 0) {
			return fail(ld, "data", "option data does not match option definition (space: %s, code: %u): %s",
			            space, code, ebuf);
		}
	}
	if (r < 0) {
		return fail(ld, "data", "option data too long");
	}
	pend_opt_t *v = realloc(set->v, (set->n + 1) * sizeof(*v));
	if (v == NULL) {
		return oom(ld);
	}
	set->v = v;
	pend_opt_t *opt = &v[set->n];
	*opt = (pend_opt_t){ .space = optdef_space_is_dhcp4(space) ? "dhcp4" : space, .def = def,
	                     .code = (uint8_t)code, .always_send = always, .never_send = never,
	                     .len = (uint16_t)r, .seq = set->n };
	opt->data = malloc(r > 0 ? (size_t)r : 1);
	if (opt->data == NULL) {
		return oom(ld);
	}
	memcpy(opt->data, ld->scratch, (size_t)r);
	set->n++;
	return 0;
}

static int pend_cmp(const void *a, const void *b)
{
	const pend_opt_t *x = a, *y = b;
	int c = strcmp(x->space, y->space);

	if (c != 0) {
		return c;
	}
	if (x->code != y->code) {
		return (int)x->code - (int)y->code;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* A growable byte buffer for encapsulated payloads. */
typedef struct ebuf {
	uint8_t *p;
	size_t n, cap;
} ebuf_t;

static int ebuf_put(ebuf_t *b, const void *data, size_t len)
{
	if (b->n + len > b->cap) {
		size_t cap = b->cap * 2 + len + 64;
		uint8_t *p = realloc(b->p, cap);
		if (p == NULL) {
			return -ENOMEM;
		}
		b->p = p;
		b->cap = cap;
	}
	if (len > 0) {
		memcpy(b->p + b->n, data, len);
	}
	b->n += len;
	return 0;
}

static int encap_option(ld_t *ld, const pend_set_t *set, const char *encap, bool unpack,
                        const uint8_t *data, size_t len, int depth, ebuf_t *out);

/* Size of a fixed-size option type, 0 for the others. */
static size_t fixed_size(optdef_type_t t)
{
	switch (t) {
	case OPTDEF_BOOLEAN:
	case OPTDEF_INT8:
	case OPTDEF_UINT8:
		return 1;
	case OPTDEF_INT16:
	case OPTDEF_UINT16:
		return 2;
	case OPTDEF_INT32:
	case OPTDEF_UINT32:
	case OPTDEF_IPV4:
		return 4;
	default:
		return 0;
	}
}

/* A sub-option unpacked from hex data is built with its definition when
 * the space has one: a fixed-size value that is too short is a configuration
 * error in Kea ("OptionInt 5 truncated"). */
static int check_sub(ld_t *ld, const char *encap, const uint8_t *tlv)
{
	const optdef_t *d = def_by_code(ld, encap, tlv[0]);
	size_t fs = d != NULL ? fixed_size(d->type) : 0;
	if (fs > 0 && (d->array ? tlv[1] % fs != 0 : tlv[1] < fs)) {
		return fail(ld, "data", "option data does not match option definition (space: %s, code: %u): sub-option %u truncated",
		            encap, tlv[0], tlv[0]);
	}
	return 0;
}

/* Append one sub-option (code, len, payload with its own encapsulation). A
 * payload longer than fits is split into several instances of the code, as
 * Kea 2.2's LibDHCP::splitOptions4() does: 255 minus the headers of the
 * enclosing options and its own (251 bytes directly under a top-level
 * option, checked against Kea with a 300-byte sub-option of 43). */
static int encap_sub(ld_t *ld, const pend_set_t *set, const pend_opt_t *s, uint8_t code,
                     const uint8_t *data, size_t len, int depth, ebuf_t *out)
{
	ebuf_t pl = { 0 };
	int r;

	if (s != NULL && s->def != NULL && s->def->encapsulate[0] != '\0') {
		bool unpack = s->def->type == OPTDEF_EMPTY;

		r = encap_option(ld, set, s->def->encapsulate, unpack, data, len, depth + 1, &pl);
	} else {
		r = ebuf_put(&pl, data, len);
	}
	size_t chunk = 251 - 2 * (size_t)depth, off = 0;
	do {
		size_t n = pl.n - off < chunk ? pl.n - off : chunk;
		uint8_t hdr[2] = { code, (uint8_t)n };
		if (r >= 0 && (r = ebuf_put(out, hdr, 2)) >= 0) {
			r = ebuf_put(out, n > 0 ? pl.p + off : NULL, n);
		}
		off += n;
	} while (r >= 0 && off < pl.n);
	free(pl.p);
	return r == -ENOMEM ? oom(ld) : r;
}

/* Kea CfgOption::encapsulate(): the option's own data, then the sub-options
 * of space @encap configured in the SAME scope, in code order, one per code
 * (the first configured wins). Data of an empty-typed option (hex-configured
 * 43) is unpacked as sub-options first (LibDHCP::unpackOptions4(): PAD
 * skipped, END or a truncated tail ends it) and merged by code; a code it
 * carries is not added again from the configuration (checked against Kea
 * 2.2). */
static int encap_option(ld_t *ld, const pend_set_t *set, const char *encap, bool unpack,
                        const uint8_t *data, size_t len, int depth, ebuf_t *out)
{
	size_t own_off[128], n_own = 0;
	bool tlv = unpack && len > 0;
	int r;

	if (depth > 4) {
		return fail(ld, NULL, "option space '%s' encapsulation nests too deeply", encap);
	}
	for (size_t off = 0; tlv && off < len; off += 2 + (size_t)data[off + 1]) {
		/* PAD is skipped, END stops, as in the dhcp4 space */
		while (off < len && data[off] == 0) {
			off++;
		}
		if (off + 2 > len || data[off] == 255 || off + 2 + data[off + 1] > len) {
			break;
		}
		if (n_own == ARRAY_SIZE(own_off)) {
			return fail(ld, NULL, "too many sub-options in option data");
		}
		if ((r = check_sub(ld, encap, data + off)) < 0) {
			return r;
		}
		own_off[n_own++] = off;
	}
	if (!tlv && (r = ebuf_put(out, data, len)) < 0) {
		return oom(ld);
	}
	/* Stable insertion sort of the own sub-options by code. */
	for (size_t i = 1; i < n_own; i++) {
		size_t k = own_off[i], j = i;
		while (j > 0 && data[own_off[j - 1]] > data[k]) {
			own_off[j] = own_off[j - 1];
			j--;
		}
		own_off[j] = k;
	}
	size_t oi = 0;
	int last = -1;
	for (size_t i = 0; i < set->n; i++) {
		const pend_opt_t *s = &set->v[i];

		if (strcmp(s->space, encap) != 0) {
			continue;
		}
		for (; oi < n_own && data[own_off[oi]] <= s->code; oi++) {
			last = data[own_off[oi]];
			const uint8_t *d = data + own_off[oi];
			if ((r = encap_sub(ld, set, NULL, d[0], d + 2, d[1], depth, out)) < 0) {
				return r;
			}
		}
		if (last == s->code) {
			continue;
		}
		last = s->code;
		if ((r = encap_sub(ld, set, s, s->code, s->data, s->len, depth, out)) < 0) {
			return r;
		}
	}
	for (; oi < n_own; oi++) {
		const uint8_t *d = data + own_off[oi];
		if ((r = encap_sub(ld, set, NULL, d[0], d + 2, d[1], depth, out)) < 0) {
			return r;
		}
	}
	return 0;
}

static int parse_options(ld_t *ld, json_t *obj, cfg_optset_t *set)
{
	json_t *arr;
	pend_set_t pend = { 0 };
	int r = get_array(ld, obj, "option-data", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t mark = push_key(ld, "option-data");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		r = need_object(ld, o, NULL);
		if (r >= 0) {
			r = parse_option(ld, o, &pend);
		}
		if (r < 0) {
			pend_done(&pend);
			return r;
		}
		pop(ld, m2);
	}
	if (pend.n > 1) {
		qsort(pend.v, pend.n, sizeof(pend.v[0]), pend_cmp);
	}
	/* Resolve encapsulation now, so replies only copy bytes. Kea keeps
	 * duplicates of a code in one scope; the first one is what its lookups
	 * return, so lessor keeps only that one. */
	for (size_t i = 0; i < pend.n; i++) {
		pend_opt_t *p = &pend.v[i];

		const pend_opt_t *prev = i > 0 ? &pend.v[i - 1] : NULL;

		if (strcmp(p->space, "dhcp4") != 0 ||
		    (prev != NULL && strcmp(prev->space, "dhcp4") == 0 && prev->code == p->code)) {
			continue;
		}
		cfg_option_t *v = realloc(set->v, (set->n + 1) * sizeof(*v));
		if (v == NULL) {
			pend_done(&pend);
			return oom(ld);
		}
		set->v = v;
		cfg_option_t *opt = &v[set->n];
		*opt = (cfg_option_t){ .code = p->code, .always_send = p->always_send,
		                       .never_send = p->never_send, .len = p->len,
		                       .data = TAKE_PTR(p->data) };
		set->n++;
		if (p->def != NULL && p->def->encapsulate[0] != '\0') {
			ebuf_t eb = { 0 };
			bool unpack = p->def->type == OPTDEF_EMPTY;

			r = encap_option(ld, &pend, p->def->encapsulate, unpack, opt->data,
			                 opt->len, 0, &eb);
			if (r >= 0 && eb.n > 65535) {
				r = fail(ld, NULL, "option %u with its sub-options is too long", p->code);
			}
			if (r < 0) {
				free(eb.p);
				pend_done(&pend);
				return r;
			}
			free(opt->data);
			opt->data = eb.p != NULL ? eb.p : malloc(1);
			opt->len = (uint16_t)eb.n;
			if (opt->data == NULL) {
				pend_done(&pend);
				return oom(ld);
			}
		}
	}
	pend_done(&pend);
	pop(ld, mark);
	if (set->n > 1) {
		/* stable enough: codes are unique within a scope */
		qsort(set->v, set->n, sizeof(set->v[0]), opt_cmp);
	}
	return 0;
}

static bool optset_server_id(const cfg_optset_t *set, uint32_t *ret)
{
	const cfg_option_t *o = cfg_optset_find(set, 54);

	if (o == NULL || o->len != 4) {
		return false;
	}
	*ret = (uint32_t)o->data[0] << 24 | (uint32_t)o->data[1] << 16 | (uint32_t)o->data[2] << 8 |
	       o->data[3];
	return true;
}

/* ---- option-def ---- */

static const char *const optdef_keys[] = {
	"name", "code", "type", "array", "record-types", "space", "encapsulate", "user-context",
	"comment", NULL,
};

/* Option space names as Kea's OptionSpace::validateName() accepts them. */
static bool valid_space_name(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < OPTDEF_NAME_MAX && s[0] != '-' && s[n - 1] != '-' &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

/* One option-def into @set (the global definitions, or a class's own when
 * @class_level: Kea allows only dhcp4 options 43 and 224-254 there, the
 * "deferred unpack" options of LibDHCP::shouldDeferOptionUnpack()). */
static int parse_optdef(ld_t *ld, json_t *o, optdef_set_t *set, bool class_level)
{
	const char *name = NULL, *type = NULL, *rtypes = "", *space = "dhcp4", *encap = "";
	uint32_t code = 0;
	bool has_code = false, array = false;
	optdef_t d = { 0 };
	int r;

	if ((r = check_keys(ld, o, "option-def", optdef_keys, NULL)) < 0 ||
	    (r = get_str(ld, o, "name", &name)) < 0 || (r = get_str(ld, o, "type", &type)) < 0 ||
	    (r = get_str(ld, o, "record-types", &rtypes)) < 0 ||
	    (r = get_str(ld, o, "space", &space)) < 0 ||
	    (r = get_str(ld, o, "encapsulate", &encap)) < 0 ||
	    (r = get_u32(ld, o, "code", &code, &has_code)) < 0 ||
	    (r = get_bool(ld, o, "array", &array, NULL)) < 0) {
		return r;
	}
	if (name == NULL) {
		return fail(ld, NULL, "missing parameter 'name'");
	}
	if (!has_code) {
		return fail(ld, NULL, "missing parameter 'code'");
	}
	if (type == NULL) {
		return fail(ld, NULL, "missing parameter 'type'");
	}
	if (!valid_space_name(space)) {
		return fail(ld, "space", "invalid option space name '%s'", space);
	}
	if (vendor_space(space)) {
		return fail(ld, "space", "option space '%s' is not supported yet", space);
	}
	if (encap[0] != '\0' && !valid_space_name(encap)) {
		return fail(ld, "encapsulate", "invalid encapsulated option space name: '%s'", encap);
	}
	if (encap[0] != '\0' && array) {
		return fail(ld, "encapsulate", "option '%s', which is an array, cannot encapsulate other options", name);
	}
	bool dhcp4 = optdef_space_is_dhcp4(space);
	if (code > 255 || (dhcp4 && (code == 0 || code == 255))) {
		return fail(ld, "code", "invalid option code '%u': it must be between 1 and 254", code);
	}
	if (encap[0] != '\0' && strcmp(encap, dhcp4 ? "dhcp4" : space) == 0) {
		return fail(ld, "encapsulate", "option must not encapsulate an option space it belongs to: '%s.%s' is set to encapsulate '%s'",
		            space, name, encap);
	}
	if (class_level && (!dhcp4 || (code != 43 && code < 224))) {
		return fail(ld, NULL, "Not allowed option definition for code '%u' in space '%s'", code, space);
	}
	if (strlen(name) == 0 || strlen(name) >= OPTDEF_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(name)) {
		return fail(ld, "name", "invalid option name '%s'", name);
	}
	const optdef_t *std = dhcp4 ? optdef_std_by_code((uint8_t)code) : NULL;
	if (std != NULL && code != 43) {
		return fail(ld, "code", "it is not allowed to redefine standard option '%s' (code %u) in the dhcp4 space",
		            std->name, code);
	}
	const optdef_t *std_named = dhcp4 ? optdef_std_by_name(name) : NULL;
	/* a class may redefine 43 under its standard name (Kea 2.2 accepts it) */
	if (std_named != NULL && !(class_level && std_named->code == 43)) {
		if (class_level) {
			return fail(ld, "name", "unable to override definition of option '%s' in standard option space 'dhcp4'",
			            name);
		}
		return fail(ld, "name", "it is not allowed to redefine standard option '%s'", name);
	}
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.encapsulate, sizeof(d.encapsulate), "%s", encap);
	snprintf(d.space, sizeof(d.space), "%s", dhcp4 ? "" : space);
	d.code = (uint8_t)code;
	d.array = array;
	d.type = optdef_type_from_string(type);
	if (d.type == _OPTDEF_TYPE_INVALID) {
		return fail(ld, "type", "unknown option type '%s'", type);
	}
	if (d.type == OPTDEF_RECORD) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", rtypes);
		char *save = NULL;
		for (char *t = strtok_r(buf, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save)) {
			while (*t == ' ') {
				t++;
			}
			size_t l = strlen(t);
			while (l > 0 && t[l - 1] == ' ') {
				t[--l] = '\0';
			}
			optdef_type_t ft = optdef_type_from_string(t);
			if (ft == _OPTDEF_TYPE_INVALID || ft == OPTDEF_RECORD ||
			    ft == OPTDEF_EMPTY) {
				return fail(ld, "record-types", "invalid record field type '%s'", t);
			}
			if (d.n_fields >= OPTDEF_RECORD_MAX) {
				return fail(ld, "record-types", "too many record fields");
			}
			d.fields[d.n_fields++] = ft;
		}
		if (d.n_fields == 0) {
			return fail(ld, "record-types", "a record option definition needs 'record-types'");
		}
	} else if (rtypes[0] != '\0') {
		return fail(ld, "record-types", "'record-types' is only valid with type 'record'");
	}
	if (array &&
	    (d.type == OPTDEF_EMPTY || d.type == OPTDEF_STRING || d.type == OPTDEF_BINARY)) {
		return fail(ld, "array", "an option of type '%s' cannot be an array", type);
	}
	r = optdef_set_add(set, &d);
	if (r == -EEXIST) {
		return fail(ld, NULL, "option definition with name '%s' or code %u already exists", name, code);
	}
	if (r < 0) {
		return oom(ld);
	}
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

	if ((r = check_keys(ld, o, "client-classes", class_keys, class_unsup)) < 0 ||
	    (r = get_str(ld, o, "name", &name)) < 0 || (r = get_str(ld, o, "test", &test)) < 0 ||
	    (r = get_str(ld, o, "server-hostname", &sname)) < 0 ||
	    (r = get_str(ld, o, "boot-file-name", &file)) < 0) {
		return r;
	}
	if (name == NULL || name[0] == '\0') {
		return fail(ld, NULL, "missing parameter 'name'");
	}
	int idx = cfg_class_find(ld->cfg, name);
	if (idx == CFG_CLASS_ALL || idx == CFG_CLASS_KNOWN || idx == CFG_CLASS_UNKNOWN) {
		return fail(ld, "name", "built-in client class '%s' cannot be redefined", name);
	}
	if (idx >= 0 && idx != CFG_CLASS_DROP && !ld->cfg->classes[idx].builtin) {
		return fail(ld, "name", "Client Class: %s has already been defined", name);
	}
	if (idx >= 0 && idx != CFG_CLASS_DROP) {
		return fail(ld, "name", "client class '%s' was referenced before its definition", name);
	}
	if (idx == CFG_CLASS_DROP && !ld->cfg->classes[idx].builtin) {
		return fail(ld, "name", "Client Class: %s has already been defined", name);
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
			return fail(ld, "test", "expression: [%s] error: column %d: %s", test, cerr.column,
			            cerr.msg);
		}
	}
	if (idx < 0) {
		idx = class_append(ld, name, false);
		if (idx < 0) {
			class_expr_free(expr);
			return idx;
		}
	}
	cfg_class_t *c = &ld->cfg->classes[idx];
	c->test = expr;
	c->builtin = false;             /* a user-defined DROP is an ordinary class */
	c->depends_on_known = expr != NULL && class_expr_depends_on_known(expr);
	c->server_hostname = dup_nonempty(sname);
	c->boot_file_name = dup_nonempty(file);
	bool has_v = false, has_min = false, has_max = false;
	if ((r = get_bool(ld, o, "only-if-required", &c->only_if_required, NULL)) < 0 ||
	    (r = get_addr(ld, o, "next-server", &c->next_server, &c->has_next_server)) < 0 ||
	    (r = get_u32(ld, o, "valid-lifetime", &c->valid_lft, &has_v)) < 0 ||
	    (r = get_u32(ld, o, "min-valid-lifetime", &c->min_valid_lft, &has_min)) < 0 ||
	    (r = get_u32(ld, o, "max-valid-lifetime", &c->max_valid_lft, &has_max)) < 0) {
		return r;
	}
	/* Class-level option-def: used to encode this class's own option-data
	 * (Kea also re-parses the query's deferred options with it; lessor does
	 * not). */
	optdef_set_t cdefs = { 0 };
	json_t *darr;
	r = get_array(ld, o, "option-def", &darr);
	if (r >= 0 && darr != NULL) {
		size_t mark = push_key(ld, "option-def");
		for (size_t i = 0; i < json_array_size(darr) && r >= 0; i++) {
			size_t m2 = push_idx(ld, i);
			json_t *d = json_array_get(darr, i);
			r = need_object(ld, d, NULL);
			if (r >= 0) {
				r = parse_optdef(ld, d, &cdefs, true);
			}
			if (r >= 0) {
				pop(ld, m2);
			}
		}
		if (r >= 0) {
			pop(ld, mark);
		}
	}
	if (r >= 0) {
		ld->cdefs = &cdefs;
		r = parse_options(ld, o, &ld->cfg->classes[idx].opts);
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
			return fail(ld, "valid-lifetime", "valid-lifetime %u is not between min-valid-lifetime %u and max-valid-lifetime %u",
			            c->valid_lft, c->min_valid_lft, c->max_valid_lft);
		}
	}
	return 0;
}

static int parse_classes(ld_t *ld, json_t *d4)
{
	json_t *arr;
	int r = get_array(ld, d4, "client-classes", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	/* Kea's grammar wants at least one class map here. */
	if (json_array_size(arr) == 0) {
		return fail(ld, "client-classes", "syntax error, unexpected ], expecting {");
	}
	size_t mark = push_key(ld, "client-classes");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		if ((r = need_object(ld, o, NULL)) < 0 || (r = parse_class(ld, o)) < 0) {
			return r;
		}
		pop(ld, m2);
	}
	pop(ld, mark);
	return 0;
}

/* ---- inheritable parameters ---- */

static int parse_relay(ld_t *ld, json_t *obj, lvl_t *l)
{
	json_t *rel = json_object_get(obj, "relay");
	static const char *const relay_keys[] = { "ip-addresses", "ip-address", NULL };
	int r;

	if (rel == NULL) {
		return 0;
	}
	if ((r = need_object(ld, rel, "relay")) < 0) {
		return r;
	}
	size_t mark = push_key(ld, "relay");
	json_t *arr = json_object_get(rel, "ip-addresses");
	json_t *one = json_object_get(rel, "ip-address");
	if ((r = check_keys(ld, rel, "relay", relay_keys, NULL)) < 0) {
		return r;
	}
	if (arr != NULL && one != NULL) {
		return fail(ld, NULL, "specify either ip-address or ip-addresses, not both");
	}
	if (arr != NULL && !json_is_array(arr)) {
		return fail(ld, "ip-addresses", "'ip-addresses' must be a list");
	}
	size_t n = arr != NULL ? json_array_size(arr) : one != NULL ? 1 : 0;
	l->relays = calloc(n > 0 ? n : 1, sizeof(uint32_t));
	if (l->relays == NULL) {
		return oom(ld);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = arr != NULL ? json_array_get(arr, i) : one;
		uint32_t a;
		if (!json_is_string(v) || inaddr_parse(json_string_value(v), &a) < 0) {
			if (arr != NULL) {
				push_key(ld, "ip-addresses");
				push_idx(ld, i);
				return fail(ld, NULL, "relay address is not a valid IPv4 address");
			}
			return fail(ld, "ip-address", "relay address is not a valid IPv4 address");
		}
		l->relays[l->n_relays++] = a;
	}
	pop(ld, mark);
	return 0;
}

static int parse_lvl(ld_t *ld, json_t *o, lvl_t *l)
{
	const char *alloc = NULL, *mode = NULL, *cls = NULL;
	int r;

	*l = (lvl_t){ .client_class = CFG_CLASS_NONE };
	if ((r = get_u32(ld, o, "valid-lifetime", &l->valid, &l->has_valid)) < 0 ||
	    (r = get_u32(ld, o, "min-valid-lifetime", &l->min, &l->has_min)) < 0 ||
	    (r = get_u32(ld, o, "max-valid-lifetime", &l->max, &l->has_max)) < 0 ||
	    (r = get_u32(ld, o, "renew-timer", &l->renew, &l->has_renew)) < 0 ||
	    (r = get_u32(ld, o, "rebind-timer", &l->rebind, &l->has_rebind)) < 0 ||
	    (r = get_bool(ld, o, "calculate-tee-times", &l->calc, &l->has_calc)) < 0 ||
	    (r = get_double(ld, o, "t1-percent", &l->t1, &l->has_t1)) < 0 ||
	    (r = get_double(ld, o, "t2-percent", &l->t2, &l->has_t2)) < 0 ||
	    (r = get_bool(ld, o, "authoritative", &l->auth, &l->has_auth)) < 0 ||
	    (r = get_bool(ld, o, "match-client-id", &l->mcid, &l->has_mcid)) < 0 ||
	    (r = get_bool(ld, o, "reservations-global", &l->rg, &l->has_rg)) < 0 ||
	    (r = get_bool(ld, o, "reservations-in-subnet", &l->ris, &l->has_ris)) < 0 ||
	    (r = get_bool(ld, o, "reservations-out-of-pool", &l->roop, &l->has_roop)) < 0 ||
	    (r = get_addr(ld, o, "next-server", &l->ns, &l->has_ns)) < 0 ||
	    (r = get_str(ld, o, "server-hostname", &l->sname)) < 0 ||
	    (r = get_str(ld, o, "boot-file-name", &l->file)) < 0 ||
	    (r = get_str(ld, o, "interface", &l->iface)) < 0 ||
	    (r = get_str(ld, o, "allocator", &alloc)) < 0 ||
	    (r = get_str(ld, o, "reservation-mode", &mode)) < 0 ||
	    (r = get_str(ld, o, "client-class", &cls)) < 0) {
		return r;
	}
	if (l->has_t1 && (l->t1 <= 0.0 || l->t1 >= 1.0)) {
		return fail(ld, "t1-percent", "t1-percent: %g is invalid, it must be greater than 0.0 and less than 1.0", l->t1);
	}
	if (l->has_t2 && (l->t2 <= 0.0 || l->t2 >= 1.0)) {
		return fail(ld, "t2-percent", "t2-percent: %g is invalid, it must be greater than 0.0 and less than 1.0", l->t2);
	}
	if (l->has_t1 && l->has_t2 && l->t1 >= l->t2) {
		return fail(ld, "t1-percent", "t1-percent: %g is invalid, it must be less than t2-percent: %g", l->t1, l->t2);
	}
	if (l->sname != NULL && strlen(l->sname) > 63) {
		return fail(ld, "server-hostname", "server-hostname must be at most 63 bytes long, it is %zu", strlen(l->sname));
	}
	if (l->file != NULL && strlen(l->file) > 127) {
		return fail(ld, "boot-file-name", "boot-file-name must be at most 127 bytes long, it is %zu", strlen(l->file));
	}
	if (alloc != NULL) {
		l->has_alloc = true;
		if (strcmp(alloc, "iterative") == 0) {
			l->alloc = CFG_ALLOC_ITERATIVE;
		} else if (strcmp(alloc, "random") == 0) {
			l->alloc = CFG_ALLOC_RANDOM;
		} else if (strcmp(alloc, "flq") == 0) {
			l->alloc = CFG_ALLOC_FLQ;
		} else {
			return fail(ld, "allocator", "supported allocators are: iterative, random and flq");
		}
	}
	if (mode != NULL) {
		/* Deprecated reservation-mode maps onto the three flags. */
		if (l->has_rg || l->has_ris || l->has_roop) {
			return fail(ld, "reservation-mode", "invalid use of both 'reservation-mode' and one of 'reservations-global', 'reservations-in-subnet' or 'reservations-out-of-pool' parameters");
		}
		l->has_rg = l->has_ris = l->has_roop = true;
		if (strcmp(mode, "all") == 0) {
			l->rg = false, l->ris = true, l->roop = false;
		} else if (strcmp(mode, "out-of-pool") == 0) {
			l->rg = false, l->ris = true, l->roop = true;
		} else if (strcmp(mode, "global") == 0) {
			l->rg = true, l->ris = false, l->roop = false;
		} else if (strcmp(mode, "disabled") == 0) {
			l->rg = false, l->ris = false, l->roop = false;
		} else {
			return fail(ld, "reservation-mode", "invalid reservation-mode parameter: '%s'", mode);
		}
	}
	if (cls != NULL && cls[0] != '\0') {
		l->client_class = class_ref(ld, cls);
		if (l->client_class < 0) {
			return l->client_class;
		}
	}
	/* no-op when off; refused when on */
	bool sei = false;
	uint32_t offer = 0;
	if ((r = get_bool(ld, o, "store-extended-info", &sei, NULL)) < 0 ||
	    (r = get_u32(ld, o, "offer-lifetime", &offer, NULL)) < 0) {
		return r;
	}
	if (sei) {
		return fail(ld, "store-extended-info", "'store-extended-info' true is not supported yet");
	}
	if (offer != 0) {
		return fail(ld, "offer-lifetime", "'offer-lifetime' is not supported yet");
	}
	return parse_relay(ld, o, l);
}

/* ---- pools ---- */

static const char *const pool_keys[] = {
	"pool", "pool-id", "option-data", "client-class", "require-client-classes",
	"user-context", "comment", NULL,
};

static int parse_range(const char *s, uint32_t *ret_first, uint32_t *ret_last)
{
	char buf[64];
	size_t n = 0;

	/* Kea strips all whitespace before looking for '-' or '/'. */
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t') {
			continue;
		}
		if (n + 1 >= sizeof(buf)) {
			return -EINVAL;
		}
		buf[n++] = *p;
	}
	buf[n] = '\0';
	char *dash = strchr(buf, '-');
	if (dash != NULL) {
		*dash = '\0';
		if (inaddr_parse(buf, ret_first) < 0 || inaddr_parse(dash + 1, ret_last) < 0) {
			return -EINVAL;
		}
		return *ret_first <= *ret_last ? 0 : -ERANGE;
	}
	uint32_t net;
	uint8_t plen;
	if (strchr(buf, '/') == NULL || inaddr_prefix_parse(buf, &net, &plen) < 0) {
		return -EINVAL;
	}
	*ret_first = net;
	*ret_last = net | ~inaddr_mask(plen);
	return 0;
}

static int parse_pool(ld_t *ld, json_t *o, cfg_subnet4_t *s, cfg_pool_t *p)
{
	const char *range = NULL, *cls = NULL;
	int r;

	*p = (cfg_pool_t){ .client_class = CFG_CLASS_NONE };
	if ((r = check_keys(ld, o, "pools", pool_keys, NULL)) < 0 ||
	    (r = get_str(ld, o, "pool", &range)) < 0 || (r = get_str(ld, o, "client-class", &cls)) < 0 ||
	    (r = get_u32(ld, o, "pool-id", &p->pool_id, NULL)) < 0) {
		return r;
	}
	if (range == NULL) {
		return fail(ld, NULL, "missing parameter 'pool'");
	}
	r = parse_range(range, &p->first, &p->last);
	if (r == -ERANGE) {
		return fail(ld, "pool", "'%s' is not an address range: the first address is greater than the last", range);
	}
	if (r < 0) {
		return fail(ld, "pool", "'%s' is not an address range", range);
	}
	if (!cfg_subnet4_contains(s, p->first) || !cfg_subnet4_contains(s, p->last)) {
		char nb[INADDR_STRLEN];
		return fail(ld, "pool", "pool '%s' does not match the prefix of subnet %s/%u", range,
		            inaddr_fmt(s->net, nb), s->plen);
	}
	if (cls != NULL && cls[0] != '\0') {
		p->client_class = class_ref(ld, cls);
		if (p->client_class < 0) {
			return p->client_class;
		}
	}
	if ((r = parse_class_list(ld, o, "require-client-classes", &p->require)) < 0 ||
	    (r = parse_options(ld, o, &p->opts)) < 0) {
		return r;
	}
	return 0;
}

/* ---- subnets ---- */

static const char *const subnet_keys[] = {
	"id", "subnet", "pools", "option-data", "interface", "client-class",
	"require-client-classes", "reservations", "relay", "valid-lifetime", "min-valid-lifetime",
	"max-valid-lifetime", "renew-timer", "rebind-timer", "calculate-tee-times", "t1-percent",
	"t2-percent", "match-client-id", "authoritative", "next-server", "server-hostname",
	"boot-file-name", "reservation-mode", "reservations-global", "reservations-in-subnet",
	"reservations-out-of-pool", "user-context", "comment", "allocator", "store-extended-info",
	"offer-lifetime", "ddns-send-updates", "ddns-override-no-update",
	"ddns-override-client-update", "ddns-replace-client-name", "ddns-generated-prefix",
	"ddns-qualifying-suffix", "ddns-update-on-renew", "ddns-use-conflict-resolution",
	"ddns-conflict-resolution-mode", "ddns-ttl-percent", "hostname-char-set",
	"hostname-char-replacement", NULL,
};
static const char *const subnet_unsup[] = {
	"4o6-interface", "4o6-interface-id", "4o6-subnet", "cache-threshold", "cache-max-age",
	"interface-id", NULL,
};
static const char *const network_keys[] = {
	"name", "subnet4", "interface", "client-class", "require-client-classes", "option-data",
	"relay", "valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer",
	"rebind-timer", "calculate-tee-times", "t1-percent", "t2-percent", "match-client-id",
	"authoritative", "next-server", "server-hostname", "boot-file-name", "reservation-mode",
	"reservations-global", "reservations-in-subnet", "reservations-out-of-pool",
	"user-context", "comment", "allocator", "store-extended-info", "offer-lifetime",
	"ddns-send-updates", "ddns-override-no-update", "ddns-override-client-update",
	"ddns-replace-client-name", "ddns-generated-prefix", "ddns-qualifying-suffix",
	"ddns-update-on-renew", "ddns-use-conflict-resolution", "ddns-conflict-resolution-mode",
	"ddns-ttl-percent", "hostname-char-set", "hostname-char-replacement", NULL,
};
static const char *const network_unsup[] = { "cache-threshold", "cache-max-age", NULL };

/* Per-subnet load-time bookkeeping (dropped after the load). */
typedef struct sub_src {
	json_t *json;
	char *path;
	int network;                    /* index in cfg->networks or -1 */
	bool has_id;
} sub_src_t;

#define PICK(field, has)                                                        \
	(sl->has ? sl->field : nl != NULL && nl->has ? nl->field : gl->has ? gl->field : dflt.field)
#define PICKB(field, has) (sl->has || (nl != NULL && nl->has) || gl->has)

static int resolve_subnet(ld_t *ld, cfg_subnet4_t *s, const lvl_t *gl, const lvl_t *nl,
                          const lvl_t *sl)
{
	static const lvl_t dflt = {
		.valid = 7200, .calc = false, .t1 = 0.5, .t2 = 0.875, .auth = false, .mcid = true,
		.alloc = CFG_ALLOC_ITERATIVE, .rg = false, .ris = true, .roop = false,
	};
	cfg_lifetimes_t *l = &s->lft;
	bool has_valid = PICKB(valid, has_valid), has_min = PICKB(min, has_min),
	     has_max = PICKB(max, has_max);

	l->valid = PICK(valid, has_valid);
	l->min_valid = has_min ? PICK(min, has_min) : 0;
	l->max_valid = has_max ? PICK(max, has_max) : 0;
	if (!has_valid && has_min) {
		l->valid = l->min_valid;
	}
	if (!has_min) {
		l->min_valid = l->valid;
	}
	if (!has_max) {
		l->max_valid = l->valid;
	}
	if (l->min_valid > l->valid) {
		return fail(ld, "valid-lifetime", "the value of min-valid-lifetime (%u) is greater than valid-lifetime (%u)",
		            l->min_valid, l->valid);
	}
	if (l->valid > l->max_valid) {
		return fail(ld, "valid-lifetime", "the value of valid-lifetime (%u) is greater than max-valid-lifetime (%u)",
		            l->valid, l->max_valid);
	}
	l->has_renew = PICKB(renew, has_renew);
	l->renew = l->has_renew ? PICK(renew, has_renew) : 0;
	l->has_rebind = PICKB(rebind, has_rebind);
	l->rebind = l->has_rebind ? PICK(rebind, has_rebind) : 0;
	l->calculate_tee_times = PICK(calc, has_calc);
	l->t1_percent = PICK(t1, has_t1);
	l->t2_percent = PICK(t2, has_t2);
	s->authoritative = PICK(auth, has_auth);
	s->match_client_id = PICK(mcid, has_mcid);
	s->allocator = PICK(alloc, has_alloc);
	s->reservations_global = PICK(rg, has_rg);
	s->reservations_in_subnet = PICK(ris, has_ris);
	s->reservations_out_of_pool = PICK(roop, has_roop);
	s->has_next_server = PICKB(ns, has_ns);
	s->next_server = s->has_next_server ? PICK(ns, has_ns) : 0;

	const char *sname = sl->sname != NULL                 ? sl->sname
	                    : nl != NULL && nl->sname != NULL ? nl->sname
	                                                      : gl->sname;
	const char *file = sl->file != NULL                 ? sl->file
	                   : nl != NULL && nl->file != NULL ? nl->file
	                                                    : gl->file;
	const char *iface = sl->iface != NULL ? sl->iface : nl != NULL ? nl->iface : NULL;
	if (sl->iface != NULL && nl != NULL && nl->iface != NULL &&
	    strcmp(sl->iface, nl->iface) != 0) {
		return fail(ld, "interface", "subnet interface '%s' does not match shared network interface '%s'",
		            sl->iface, nl->iface);
	}
	s->server_hostname = dup_nonempty(sname);
	s->boot_file_name = dup_nonempty(file);
	s->interface = dup_nonempty(iface);
	if ((sname != NULL && sname[0] != '\0' && s->server_hostname == NULL) ||
	    (file != NULL && file[0] != '\0' && s->boot_file_name == NULL) ||
	    (iface != NULL && iface[0] != '\0' && s->interface == NULL)) {
		return oom(ld);
	}
	/* The subnet's own guard; a shared network's guard applies when the
	 * subnet has none. Kea requires both when both are set; this model has
	 * one guard per subnet, so two different ones are refused. */
	if (sl->client_class != CFG_CLASS_NONE && nl != NULL &&
	    nl->client_class != CFG_CLASS_NONE && sl->client_class != nl->client_class) {
		return fail(ld, "client-class", "different client-class guards on a subnet and its shared network are not supported yet");
	}
	s->client_class = sl->client_class != CFG_CLASS_NONE ? sl->client_class
	                  : nl != NULL ? nl->client_class : CFG_CLASS_NONE;

	/* Kea matches giaddr against the subnet's and its network's relays. */
	size_t nr = sl->n_relays + (nl != NULL ? nl->n_relays : 0);
	if (nr > 0) {
		s->relay_addrs = calloc(nr, sizeof(uint32_t));
		if (s->relay_addrs == NULL) {
			return oom(ld);
		}
		for (size_t i = 0; i < sl->n_relays; i++) {
			s->relay_addrs[s->n_relay_addrs++] = sl->relays[i];
		}
		for (size_t i = 0; nl != NULL && i < nl->n_relays; i++) {
			s->relay_addrs[s->n_relay_addrs++] = nl->relays[i];
		}
	}
	if (sl->has_sid) {
		s->has_server_id = true, s->server_id = sl->sid;
	} else if (nl != NULL && nl->has_sid) {
		s->has_server_id = true, s->server_id = nl->sid;
	} else if (gl->has_sid) {
		s->has_server_id = true, s->server_id = gl->sid;
	}
	return 0;
}

static int pool_cmp(const void *a, const void *b)
{
	const cfg_pool_t *x = *(const cfg_pool_t *const *)a, *y = *(const cfg_pool_t *const *)b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int parse_subnet(ld_t *ld, json_t *o, cfg_subnet4_t *s, sub_src_t *src, const lvl_t *gl,
                        const lvl_t *nl)
{
	const char *prefix = NULL;
	lvl_t sl = { .client_class = CFG_CLASS_NONE };
	int r;

	*s = (cfg_subnet4_t){ .client_class = CFG_CLASS_NONE };
	if ((r = check_keys(ld, o, "subnet4", subnet_keys, subnet_unsup)) < 0 ||
	    (r = get_str(ld, o, "subnet", &prefix)) < 0 ||
	    (r = get_u32(ld, o, "id", &s->id, &src->has_id)) < 0) {
		return r;
	}
	if (src->has_id && s->id == 0) {
		src->has_id = false;    /* 0 = auto, as in Kea */
	}
	if (prefix == NULL) {
		return fail(ld, NULL, "missing parameter 'subnet'");
	}
	if (inaddr_prefix_parse(prefix, &s->net, &s->plen) < 0) {
		return fail(ld, "subnet", "'%s' is not a valid IPv4 prefix", prefix);
	}
	s->mask = inaddr_mask(s->plen);
	s->user_context = json_object_get(o, "user-context");

	r = parse_lvl(ld, o, &sl);
	if (r >= 0) {
		r = parse_class_list(ld, o, "require-client-classes", &s->require);
	}
	if (r >= 0) {
		r = parse_options(ld, o, &s->opts);
	}
	if (r >= 0) {
		sl.has_sid = optset_server_id(&s->opts, &sl.sid);
		r = resolve_subnet(ld, s, gl, nl, &sl);
	}
	free(sl.relays);
	if (r < 0) {
		return r;
	}

	json_t *pools;
	if ((r = get_array(ld, o, "pools", &pools)) < 0) {
		return r;
	}
	size_t np = pools != NULL ? json_array_size(pools) : 0;
	if (np > 0) {
		s->pools = calloc(np, sizeof(*s->pools));
		if (s->pools == NULL) {
			return oom(ld);
		}
		size_t mark = push_key(ld, "pools");
		for (size_t i = 0; i < np; i++) {
			size_t m2 = push_idx(ld, i);
			json_t *po = json_array_get(pools, i);
			if ((r = need_object(ld, po, NULL)) < 0) {
				return r;
			}
			r = parse_pool(ld, po, s, &s->pools[i]);
			s->n_pools = i + 1;
			if (r < 0) {
				return r;
			}
			pop(ld, m2);
		}
		/* Overlapping pools in one subnet are an error in Kea. */
		cfg_pool_t **sorted = calloc(np, sizeof(*sorted));
		if (sorted == NULL) {
			return oom(ld);
		}
		for (size_t i = 0; i < np; i++) {
			sorted[i] = &s->pools[i];
		}
		qsort(sorted, np, sizeof(*sorted), pool_cmp);
		for (size_t i = 1; i < np; i++) {
			if (sorted[i]->first <= sorted[i - 1]->last) {
				size_t bad = (size_t)(MAX(sorted[i], sorted[i - 1]) - s->pools);
				char a[INADDR_STRLEN], b[INADDR_STRLEN];
				free(sorted);
				push_idx(ld, bad);
				return fail(ld, "pool",
				            "a pool with range %s-%s overlaps with an existing "
				            "pool in the subnet",
				            inaddr_fmt(s->pools[bad].first, a),
				            inaddr_fmt(s->pools[bad].last, b));
			}
		}
		free(sorted);
		pop(ld, mark);
	}
	return 0;
}

/* ---- reservations ---- */

static const char *const host_keys[] = {
	"hw-address", "client-id", "circuit-id", "duid", "flex-id", "ip-address", "hostname",
	"option-data", "client-classes", "next-server", "server-hostname", "boot-file-name",
	"user-context", "comment", NULL,
};

static const char *const id_names[_CFG_HOST_ID_MAX] = {
	[CFG_HOST_ID_HWADDR] = "hw-address",
	[CFG_HOST_ID_DUID] = "duid",
	[CFG_HOST_ID_CIRCUIT_ID] = "circuit-id",
	[CFG_HOST_ID_CLIENT_ID] = "client-id",
	[CFG_HOST_ID_FLEX_ID] = "flex-id",
};

/* Identifier text: hex ("01:02:ab", "0102ab") or a quoted string ('text'). */
static int parse_identifier(const char *s, cfg_host_id_type_t t, uint8_t *out, size_t cap)
{
	size_t l = strlen(s);

	if (l >= 2 && s[0] == '\'' && s[l - 1] == '\'' && t != CFG_HOST_ID_HWADDR) {
		if (l - 2 > cap || l == 2) {
			return -EINVAL;
		}
		memcpy(out, s + 1, l - 2);
		return (int)(l - 2);
	}
	int r = hex_parse(s, out, cap);
	return r <= 0 ? -EINVAL : r;
}

static int parse_host(ld_t *ld, json_t *o, const cfg_subnet4_t *s, cfg_host_t *h)
{
	const char *hn = NULL, *sname = NULL, *file = NULL;
	int r, found = 0;

	*h = (cfg_host_t){ .subnet_id = s != NULL ? s->id : 0 };
	if ((r = check_keys(ld, o, "reservations", host_keys, NULL)) < 0) {
		return r;
	}
	for (int t = 0; t < _CFG_HOST_ID_MAX; t++) {
		json_t *v = json_object_get(o, id_names[t]);
		if (v == NULL) {
			continue;
		}
		if (found++ > 0) {
			return fail(ld, id_names[t], "the '%s' and '%s' are mutually exclusive",
			            id_names[h->id_type], id_names[t]);
		}
		h->id_type = (cfg_host_id_type_t)t;
		size_t cap = t == CFG_HOST_ID_HWADDR ? 20 : sizeof(h->id);
		r = json_is_string(v)
		            ? parse_identifier(json_string_value(v), h->id_type, h->id, cap)
		            : -EINVAL;
		if (r < 0) {
			return fail(ld, id_names[t], "invalid %s '%s'", id_names[t],
			            json_is_string(v) ? json_string_value(v) : "(not a string)");
		}
		h->id_len = (uint8_t)r;
	}
	if (found == 0) {
		return fail(ld, NULL, "one of the supported identifiers must be specified for host reservation: circuit-id, client-id, duid, flex-id, hw-address");
	}
	bool has_addr = false;
	if ((r = get_addr(ld, o, "ip-address", &h->addr, &has_addr)) < 0 ||
	    (r = get_str(ld, o, "hostname", &hn)) < 0 ||
	    (r = get_str(ld, o, "server-hostname", &sname)) < 0 ||
	    (r = get_str(ld, o, "boot-file-name", &file)) < 0 ||
	    (r = get_addr(ld, o, "next-server", &h->next_server, &h->has_next_server)) < 0) {
		return r;
	}
	if (has_addr && h->addr != 0 && s != NULL && !cfg_subnet4_contains(s, h->addr)) {
		char a[INADDR_STRLEN], n[INADDR_STRLEN];
		return fail(ld, "ip-address", "specified reservation '%s' is not within the IPv4 subnet '%s/%u'",
		            inaddr_fmt(h->addr, a), inaddr_fmt(s->net, n), s->plen);
	}
	if (sname != NULL && strlen(sname) > 63) {
		return fail(ld, "server-hostname", "server-hostname must be at most 63 bytes long");
	}
	if (file != NULL && strlen(file) > 127) {
		return fail(ld, "boot-file-name", "boot-file-name must be at most 127 bytes long");
	}
	h->hostname = dup_nonempty(hn);
	h->server_hostname = dup_nonempty(sname);
	h->boot_file_name = dup_nonempty(file);
	if ((r = parse_class_list(ld, o, "client-classes", &h->classes)) < 0 ||
	    (r = parse_options(ld, o, &h->opts)) < 0) {
		return r;
	}
	return 0;
}

typedef struct host_src {
	char *path;
} host_src_t;

static int parse_reservations(ld_t *ld, json_t *obj, const cfg_subnet4_t *s, char ***paths,
                              size_t *cap)
{
	json_t *arr;
	cfg_t *cfg = ld->cfg;
	int r = get_array(ld, obj, "reservations", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t n = json_array_size(arr);
	if (cfg->n_hosts + n > *cap) {
		size_t nc = MAX(*cap * 2, cfg->n_hosts + n);
		cfg_host_t *v = realloc(cfg->hosts, nc * sizeof(*v));
		if (v == NULL) {
			return oom(ld);
		}
		cfg->hosts = v;
		char **pv = realloc(*paths, nc * sizeof(*pv));
		if (pv == NULL) {
			return oom(ld);
		}
		*paths = pv;
		*cap = nc;
	}
	size_t mark = push_key(ld, "reservations");
	for (size_t i = 0; i < n; i++) {
		size_t m2 = push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		if ((r = need_object(ld, o, NULL)) < 0) {
			return r;
		}
		r = parse_host(ld, o, s, &cfg->hosts[cfg->n_hosts]);
		(*paths)[cfg->n_hosts] = strdup(ld->path);
		cfg->n_hosts++;
		if (r < 0) {
			return r;
		}
		if ((*paths)[cfg->n_hosts - 1] == NULL) {
			return oom(ld);
		}
		pop(ld, m2);
	}
	pop(ld, mark);
	return 0;
}

/* ---- process-level sections ---- */

static int parse_interfaces(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"interfaces", "dhcp-socket-type", "outbound-interface", "re-detect",
		"service-sockets-require-all", "service-sockets-max-retries",
		"service-sockets-retry-wait-time", "user-context", "comment", NULL,
	};
	json_t *o = json_object_get(d4, "interfaces-config");
	cfg_interfaces_t *ic = &ld->cfg->interfaces;
	const char *st = NULL, *out = NULL;
	json_t *arr;
	int r;

	if (o == NULL) {
		return 0;
	}
	if ((r = need_object(ld, o, "interfaces-config")) < 0) {
		return r;
	}
	size_t mark = push_key(ld, "interfaces-config");
	bool b;
	uint32_t u;
	if ((r = check_keys(ld, o, "interfaces-config", keys, NULL)) < 0 ||
	    (r = get_str(ld, o, "dhcp-socket-type", &st)) < 0 ||
	    (r = get_str(ld, o, "outbound-interface", &out)) < 0 ||
	    (r = get_bool(ld, o, "re-detect", &b, NULL)) < 0 ||
	    (r = get_bool(ld, o, "service-sockets-require-all", &b, NULL)) < 0 ||
	    (r = get_u32(ld, o, "service-sockets-max-retries", &u, NULL)) < 0 ||
	    (r = get_u32(ld, o, "service-sockets-retry-wait-time", &u, NULL)) < 0 ||
	    (r = get_array(ld, o, "interfaces", &arr)) < 0) {
		return r;
	}
	if (st != NULL) {
		if (strcmp(st, "raw") == 0) {
			ic->socket_type = CFG_SOCKET_RAW;
		} else if (strcmp(st, "udp") == 0) {
			ic->socket_type = CFG_SOCKET_UDP;
		} else {
			return fail(ld, "dhcp-socket-type", "unsupported socket type '%s' (expected raw or udp)", st);
		}
	}
	if (out != NULL) {
		if (strcmp(out, "same-as-inbound") == 0) {
			ic->outbound_use_routing = false;
		} else if (strcmp(out, "use-routing") == 0) {
			ic->outbound_use_routing = true;
		} else {
			return fail(ld, "outbound-interface", "unsupported outbound-interface '%s' (expected same-as-inbound or use-routing)", out);
		}
	}
	size_t n = arr != NULL ? json_array_size(arr) : 0;
	ic->names = calloc(n > 0 ? n : 1, sizeof(char *));
	if (ic->names == NULL) {
		return oom(ld);
	}
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_array_get(arr, i);
		size_t m2 = push_key(ld, "interfaces");
		push_idx(ld, i);
		if (!json_is_string(v) || json_string_length(v) == 0) {
			return fail(ld, NULL, "an interface name must be a non-empty string");
		}
		const char *name = json_string_value(v);
		const char *slash = strchr(name, '/');
		uint32_t a;
		if (slash != NULL && (slash == name || inaddr_parse(slash + 1, &a) < 0)) {
			return fail(ld, NULL, "'%s' is not an interface name or name/IPv4-address", name);
		}
		if (strlen(name) > 15 + (slash != NULL ? 16 : 0)) {
			return fail(ld, NULL, "interface name '%s' is too long", name);
		}
		ic->names[ic->n_names] = strdup(name);
		if (ic->names[ic->n_names] == NULL) {
			return oom(ld);
		}
		ic->n_names++;
		pop(ld, m2);
	}
	pop(ld, mark);
	return 0;
}

static int parse_lease_db(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"type", "name", "persist", "lfc-interval", "max-row-errors", "user-context", "comment",
		"host", "port", "user", "password", "connect-timeout", "read-timeout",
		"write-timeout", "tcp-user-timeout", "max-reconnect-tries", "reconnect-wait-time",
		"on-fail", "retry-on-startup", "trust-anchor", "cert-file", "key-file", "cipher-list",
		NULL,
	};
	static const char *const unsup[] = { "readonly", NULL };
	json_t *o = json_object_get(d4, "lease-database");
	lease_store_cfg_t *db = &ld->cfg->lease_db;
	int r;

	*db = (lease_store_cfg_t){
		.type = "memfile", .name = "/var/lib/kea/kea-leases4.csv", .persist = true,
		.lfc_interval = 3600, .max_row_errors = 0,
	};
	if (o == NULL) {
		return 0;
	}
	if ((r = need_object(ld, o, "lease-database")) < 0) {
		return r;
	}
	size_t mark = push_key(ld, "lease-database");
	const char *type = NULL;
	if ((r = check_keys(ld, o, "lease-database", keys, unsup)) < 0 ||
	    (r = get_str(ld, o, "type", &type)) < 0) {
		return r;
	}
	if (type == NULL) {
		return fail(ld, NULL, "database access parameters: missing parameter 'type'");
	}
	if (strcmp(type, "mysql") == 0 || strcmp(type, "postgresql") == 0) {
		return fail(ld, "type", "lease database type '%s' is not supported yet", type);
	}
	if (strcmp(type, "memfile") != 0) {
		return fail(ld, "type", "unknown lease database type '%s' (expected memfile, mysql or postgresql)", type);
	}
	uint32_t port = 0;
	if ((r = get_str(ld, o, "name", &db->name)) < 0 ||
	    (r = get_bool(ld, o, "persist", &db->persist, NULL)) < 0 ||
	    (r = get_u32(ld, o, "lfc-interval", &db->lfc_interval, NULL)) < 0 ||
	    (r = get_u32(ld, o, "max-row-errors", &db->max_row_errors, NULL)) < 0 ||
	    (r = get_str(ld, o, "host", &db->host)) < 0 || (r = get_str(ld, o, "user", &db->user)) < 0 ||
	    (r = get_str(ld, o, "password", &db->password)) < 0 ||
	    (r = get_u32(ld, o, "port", &port, NULL)) < 0) {
		return r;
	}
	if (port > 65535) {
		return fail(ld, "port", "port %u is out of range", port);
	}
	db->port = (uint16_t)port;
	if (db->name[0] == '\0') {
		return fail(ld, "name", "the lease file name must not be empty");
	}
	pop(ld, mark);
	return 0;
}

static int parse_expired(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"reclaim-timer-wait-time", "flush-reclaimed-timer-wait-time", "hold-reclaimed-time",
		"max-reclaim-leases", "max-reclaim-time", "unwarned-reclaim-cycles", "user-context",
		"comment", NULL,
	};
	cfg_expired_t *e = &ld->cfg->expired;
	json_t *o = json_object_get(d4, "expired-leases-processing");
	int r;

	*e = (cfg_expired_t){ 10, 25, 3600, 100, 250, 5 };
	if (o == NULL) {
		return 0;
	}
	if ((r = need_object(ld, o, "expired-leases-processing")) < 0) {
		return r;
	}
	size_t mark = push_key(ld, "expired-leases-processing");
	if ((r = check_keys(ld, o, "expired-leases-processing", keys, NULL)) < 0 ||
	    (r = get_u32(ld, o, "reclaim-timer-wait-time", &e->reclaim_timer_wait_time, NULL)) < 0 ||
	    (r = get_u32(ld, o, "flush-reclaimed-timer-wait-time", &e->flush_reclaimed_timer_wait_time, NULL)) < 0 ||
	    (r = get_u32(ld, o, "hold-reclaimed-time", &e->hold_reclaimed_time, NULL)) < 0 ||
	    (r = get_u32(ld, o, "max-reclaim-leases", &e->max_reclaim_leases, NULL)) < 0 ||
	    (r = get_u32(ld, o, "max-reclaim-time", &e->max_reclaim_time, NULL)) < 0 ||
	    (r = get_u32(ld, o, "unwarned-reclaim-cycles", &e->unwarned_reclaim_cycles, NULL)) < 0) {
		return r;
	}
	pop(ld, mark);
	return 0;
}

static int parse_mt(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"enable-multi-threading", "thread-pool-size", "packet-queue-size", "user-context",
		"comment", NULL,
	};
	json_t *o = json_object_get(d4, "multi-threading");
	cfg_mt_t *mt = &ld->cfg->mt;
	int r;

	*mt = (cfg_mt_t){ .enabled = true, .thread_pool_size = 0, .packet_queue_size = 64 };
	if (o == NULL) {
		return 0;
	}
	if ((r = need_object(ld, o, "multi-threading")) < 0) {
		return r;
	}
	size_t mark = push_key(ld, "multi-threading");
	if ((r = check_keys(ld, o, "multi-threading", keys, NULL)) < 0 ||
	    (r = get_bool(ld, o, "enable-multi-threading", &mt->enabled, NULL)) < 0 ||
	    (r = get_u32(ld, o, "thread-pool-size", &mt->thread_pool_size, NULL)) < 0 ||
	    (r = get_u32(ld, o, "packet-queue-size", &mt->packet_queue_size, NULL)) < 0) {
		return r;
	}
	if (mt->thread_pool_size > 65535) {
		return fail(ld, "thread-pool-size", "thread-pool-size %u is out of range", mt->thread_pool_size);
	}
	pop(ld, mark);
	return 0;
}

static int parse_loggers(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = {
		"name", "output_options", "output-options", "severity", "debuglevel", "user-context",
		"comment", NULL,
	};
	static const char *const okeys[] = { "output", "flush", "maxsize", "maxver", "pattern", NULL };
	cfg_t *cfg = ld->cfg;
	json_t *arr;
	int r = get_array(ld, d4, "loggers", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t n = json_array_size(arr);
	cfg->loggers = calloc(n > 0 ? n : 1, sizeof(*cfg->loggers));
	if (cfg->loggers == NULL) {
		return oom(ld);
	}
	size_t mark = push_key(ld, "loggers");
	for (size_t i = 0; i < n; i++) {
		size_t m2 = push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		cfg_logger_t *lg = &cfg->loggers[cfg->n_loggers++];
		const char *name = NULL, *sev = "INFO";
		uint32_t dbg = 0;
		json_t *outs = NULL;

		*lg = (cfg_logger_t){ .severity = LOG_SEV_INFO };
		if ((r = need_object(ld, o, NULL)) < 0 ||
		    (r = check_keys(ld, o, "loggers", keys, NULL)) < 0 ||
		    (r = get_str(ld, o, "name", &name)) < 0 || (r = get_str(ld, o, "severity", &sev)) < 0 ||
		    (r = get_u32(ld, o, "debuglevel", &dbg, NULL)) < 0 ||
		    (r = get_array(ld, o, "output_options", &outs)) < 0) {
			return r;
		}
		if (outs == NULL && (r = get_array(ld, o, "output-options", &outs)) < 0) {
			return r;
		}
		if (name == NULL) {
			return fail(ld, NULL, "missing parameter 'name'");
		}
		lg->name = strdup(name);
		if (lg->name == NULL) {
			return oom(ld);
		}
		log_sev_t s = log_sev_from_string(sev);
		if (s == _LOG_SEV_INVALID) {
			return fail(ld, "severity", "unsupported severity '%s'", sev);
		}
		lg->severity = s;
		if (dbg > 99) {
			return fail(ld, "debuglevel", "debuglevel must be between 0 and 99");
		}
		lg->debuglevel = (int)dbg;
		size_t no = outs != NULL ? json_array_size(outs) : 0;
		lg->outputs = calloc(no > 0 ? no : 1, sizeof(*lg->outputs));
		if (lg->outputs == NULL) {
			return oom(ld);
		}
		size_t m3 = push_key(ld, json_object_get(o, "output_options") != NULL ? "output_options" : "output-options");
		for (size_t j = 0; j < no; j++) {
			size_t m4 = push_idx(ld, j);
			json_t *oo = json_array_get(outs, j);
			cfg_log_output_t *out = &lg->outputs[lg->n_outputs++];
			const char *output = NULL, *pattern = NULL;
			uint32_t maxsize = 10240000;

			*out = (cfg_log_output_t){.flush = true, .maxsize = 10240000, .maxver = 1};
			if ((r = need_object(ld, oo, NULL)) < 0 ||
			    (r = check_keys(ld, oo, "output_options", okeys, NULL)) < 0 ||
			    (r = get_str(ld, oo, "output", &output)) < 0 ||
			    (r = get_str(ld, oo, "pattern", &pattern)) < 0 ||
			    (r = get_bool(ld, oo, "flush", &out->flush, NULL)) < 0 ||
			    (r = get_u32(ld, oo, "maxsize", &maxsize, NULL)) < 0 ||
			    (r = get_u32(ld, oo, "maxver", &out->maxver, NULL)) < 0) {
				return r;
			}
			if (output == NULL || output[0] == '\0') {
				return fail(ld, NULL, "missing parameter 'output'");
			}
			out->maxsize = maxsize;
			out->output = strdup(output);
			out->pattern = dup_nonempty(pattern);
			if (out->output == NULL) {
				return oom(ld);
			}
			pop(ld, m4);
		}
		pop(ld, m3);
		pop(ld, m2);
	}
	pop(ld, mark);
	return 0;
}

static int parse_control_socket(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = { "socket-type", "socket-name", "user-context", "comment", NULL };
	json_t *o = json_object_get(d4, "control-socket");
	const char *type = NULL, *name = NULL;
	int r;

	if (o == NULL) {
		return 0;
	}
	if ((r = need_object(ld, o, "control-socket")) < 0) {
		return r;
	}
	size_t mark = push_key(ld, "control-socket");
	if ((r = check_keys(ld, o, "control-socket", keys, NULL)) < 0 ||
	    (r = get_str(ld, o, "socket-type", &type)) < 0 ||
	    (r = get_str(ld, o, "socket-name", &name)) < 0) {
		return r;
	}
	if (type == NULL) {
		return fail(ld, NULL, "missing parameter 'socket-type'");
	}
	if (strcmp(type, "unix") != 0) {
		return fail(ld, "socket-type", "unsupported socket-type '%s' (expected unix)", type);
	}
	if (name == NULL || name[0] == '\0') {
		return fail(ld, NULL, "missing parameter 'socket-name'");
	}
	ld->cfg->control_socket.socket_type = strdup(type);
	ld->cfg->control_socket.socket_name = strdup(name);
	if (ld->cfg->control_socket.socket_type == NULL ||
	    ld->cfg->control_socket.socket_name == NULL) {
		return oom(ld);
	}
	pop(ld, mark);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0 && (a == b || s[a - b - 1] == '/');
}

static int parse_hooks(ld_t *ld, json_t *d4)
{
	static const char *const keys[] = { "library", "parameters", "user-context", "comment", NULL };
	cfg_hooks_t *hk = &ld->cfg->hooks;
	json_t *arr;
	int r = get_array(ld, d4, "hooks-libraries", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t mark = push_key(ld, "hooks-libraries");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		const char *lib = NULL;
		if ((r = need_object(ld, o, NULL)) < 0 ||
		    (r = check_keys(ld, o, "hooks-libraries", keys, NULL)) < 0 ||
		    (r = get_str(ld, o, "library", &lib)) < 0) {
			return r;
		}
		if (lib == NULL) {
			return fail(ld, NULL, "missing parameter 'library'");
		}
		json_t *params = json_object_get(o, "parameters");
		if (params != NULL && !json_is_object(params)) {
			return fail(ld, "parameters", "'parameters' must be a map");
		}
		if (ends_with(lib, "libdhcp_lease_cmds.so")) {
			hk->lease_cmds = true;
		} else if (ends_with(lib, "libdhcp_stat_cmds.so")) {
			hk->stat_cmds = true;
		} else if (ends_with(lib, "libdhcp_ha.so")) {
			hk->ha = true;
			hk->ha_params = params;
		} else {
			return fail(ld, "library", "hook library '%s' is not supported: lessor implements only libdhcp_lease_cmds.so, libdhcp_stat_cmds.so and libdhcp_ha.so (natively)", lib);
		}
		pop(ld, m2);
	}
	pop(ld, mark);
	return 0;
}

static int parse_host_ids(ld_t *ld, json_t *d4)
{
	static const cfg_host_id_type_t dflt[] = {
		CFG_HOST_ID_HWADDR, CFG_HOST_ID_DUID, CFG_HOST_ID_CIRCUIT_ID, CFG_HOST_ID_CLIENT_ID,
	};
	cfg_t *cfg = ld->cfg;
	json_t *arr;
	int r = get_array(ld, d4, "host-reservation-identifiers", &arr);

	if (r < 0) {
		return r;
	}
	if (arr == NULL) {
		memcpy(cfg->host_ids, dflt, sizeof(dflt));
		cfg->n_host_ids = ARRAY_SIZE(dflt);
		return 0;
	}
	size_t mark = push_key(ld, "host-reservation-identifiers");
	if (json_array_size(arr) == 0) {
		return fail(ld, NULL, "syntax error, unexpected ], expecting hw-address or duid or circuit-id or client-id or flex-id");
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		int t = -1;
		for (int k = 0; k < _CFG_HOST_ID_MAX && json_is_string(v); k++) {
			if (strcmp(json_string_value(v), id_names[k]) == 0) {
				t = k;
			}
		}
		size_t m2 = push_idx(ld, i);
		if (t < 0) {
			return fail(ld, NULL, "unsupported host reservation identifier");
		}
		for (size_t j = 0; j < cfg->n_host_ids; j++) {
			if (cfg->host_ids[j] == (cfg_host_id_type_t)t) {
				return fail(ld, NULL, "duplicate host reservation identifier '%s'", id_names[t]);
			}
		}
		cfg->host_ids[cfg->n_host_ids++] = (cfg_host_id_type_t)t;
		pop(ld, m2);
	}
	pop(ld, mark);
	return 0;
}

/* Accept a map whose flags are all off (no-op for lessor); refuse one on. */
static int check_off_flags(ld_t *ld, json_t *d4, const char *key, const char *const *flags,
                           const char *const *other_keys)
{
	json_t *o = json_object_get(d4, key);
	int r;

	if (o == NULL) {
		return 0;
	}
	if ((r = need_object(ld, o, key)) < 0) {
		return r;
	}
	size_t mark = push_key(ld, key);
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v) {
		if (in_list(flags, k)) {
			if (!json_is_boolean(v)) {
				return fail(ld, k, "'%s' must be a boolean", k);
			}
			if (json_is_true(v)) {
				return fail(ld, k, "'%s' enabled is not supported yet", k);
			}
		} else if (!in_list(other_keys, k)) {
			return fail(ld, k, "got unexpected keyword \"%s\" in %s map.", k, key);
		}
	}
	pop(ld, mark);
	return 0;
}

/* ---- the Dhcp4 map ---- */

static const char *const global_keys[] = {
	"valid-lifetime", "min-valid-lifetime", "max-valid-lifetime", "renew-timer",
	"rebind-timer", "calculate-tee-times", "t1-percent", "t2-percent",
	"decline-probation-period", "subnet4", "shared-networks", "interfaces-config",
	"lease-database", "host-reservation-identifiers", "client-classes", "option-def",
	"option-data", "expired-leases-processing", "dhcp4o6-port", "control-socket",
	"dhcp-queue-control", "echo-client-id", "match-client-id", "authoritative", "next-server",
	"server-hostname", "boot-file-name", "user-context", "comment", "sanity-checks",
	"reservations", "server-tag", "reservation-mode", "reservations-global",
	"reservations-in-subnet", "reservations-out-of-pool", "loggers", "hooks-libraries",
	"multi-threading", "allocator", "statistic-default-sample-count",
	"statistic-default-sample-age", "store-extended-info", "offer-lifetime",
	"early-global-reservations-lookup", "ip-reservations-unique", "reservations-lookup-first",
	"parked-packet-limit", "compatibility", "dhcp-ddns", "ddns-send-updates",
	"ddns-override-no-update", "ddns-override-client-update", "ddns-replace-client-name",
	"ddns-generated-prefix", "ddns-qualifying-suffix", "ddns-update-on-renew",
	"ddns-use-conflict-resolution", "ddns-conflict-resolution-mode", "ddns-ttl-percent",
	"hostname-char-set", "hostname-char-replacement", "interface", "client-class", "relay",
	NULL,
};
static const char *const global_unsup[] = {
	"hosts-database", "hosts-databases", "config-control", "cache-threshold", "cache-max-age",
	NULL,
};

static int parse_globals(ld_t *ld, json_t *d4, lvl_t *gl)
{
	cfg_t *cfg = ld->cfg;
	const char *tag = NULL;
	uint32_t u = 0;
	bool b = false;
	int r;

	/* "interface", "client-class" and "relay" are subnet/network-only in
	 * Kea's grammar; listed above only so their error is precise. */
	for (const char *const *k = (const char *const[]){ "interface", "client-class", "relay", NULL }; *k; k++) {
		if (json_object_get(d4, *k) != NULL) {
			return fail(ld, *k, "got unexpected keyword \"%s\" in Dhcp4 map.", *k);
		}
	}
	cfg->decline_probation_period = 86400;
	cfg->echo_client_id = true;
	if ((r = get_u32(ld, d4, "decline-probation-period", &cfg->decline_probation_period, NULL)) < 0 ||
	    (r = get_bool(ld, d4, "echo-client-id", &cfg->echo_client_id, NULL)) < 0 ||
	    (r = get_str(ld, d4, "server-tag", &tag)) < 0 ||
	    (r = get_u32(ld, d4, "dhcp4o6-port", &u, NULL)) < 0) {
		return r;
	}
	if (u != 0) {
		return fail(ld, "dhcp4o6-port", "DHCPv4-over-DHCPv6 is not supported yet");
	}
	cfg->server_tag = dup_nonempty(tag);
	ld->ip_res_unique = true;
	if ((r = get_bool(ld, d4, "ip-reservations-unique", &ld->ip_res_unique, NULL)) < 0 ||
	    (r = get_bool(ld, d4, "early-global-reservations-lookup", &b, NULL)) < 0) {
		return r;
	}
	if (b) {
		return fail(ld, "early-global-reservations-lookup", "'early-global-reservations-lookup' true is not supported yet");
	}
	if ((r = get_bool(ld, d4, "reservations-lookup-first", &b, NULL)) < 0 ||
	    (r = get_u32(ld, d4, "parked-packet-limit", &u, NULL)) < 0 ||
	    (r = get_u32(ld, d4, "statistic-default-sample-count", &u, NULL)) < 0 ||
	    (r = get_u32(ld, d4, "statistic-default-sample-age", &u, NULL)) < 0) {
		return r;
	}
	if ((r = check_off_flags(ld, d4, "compatibility",
	                         (const char *const[]){ "lenient-option-parsing", "ignore-dhcp-server-identifier",
	                                                "ignore-rai-link-selection", "exclude-first-last-24", NULL },
	                         NULL)) < 0 ||
	    (r = check_off_flags(ld, d4, "dhcp-queue-control", (const char *const[]){ "enable-queue", NULL },
	                         (const char *const[]){ "queue-type", "capacity", "user-context", "comment", NULL })) < 0 ||
	    (r = check_off_flags(ld, d4, "dhcp-ddns", (const char *const[]){ "enable-updates", NULL },
	                         (const char *const[]){ "server-ip", "server-port", "sender-ip", "sender-port",
	                                                "max-queue-size", "ncr-protocol", "ncr-format",
	                                                "user-context", "comment", "qualifying-suffix",
	                                                "override-no-update", "override-client-update",
	                                                "replace-client-name", "generated-prefix",
	                                                "hostname-char-set", "hostname-char-replacement", NULL })) < 0) {
		return r;
	}
	json_t *sc = json_object_get(d4, "sanity-checks");
	if (sc != NULL) {
		static const char *const sk[] = { "lease-checks", "extended-info-checks", NULL };
		if ((r = need_object(ld, sc, "sanity-checks")) < 0) {
			return r;
		}
		size_t mark = push_key(ld, "sanity-checks");
		const char *lc = NULL;
		if ((r = check_keys(ld, sc, "sanity-checks", sk, NULL)) < 0 ||
		    (r = get_str(ld, sc, "lease-checks", &lc)) < 0) {
			return r;
		}
		if (lc != NULL && !in_list((const char *const[]){ "none", "warn", "fix", "fix-del", "del", NULL }, lc)) {
			return fail(ld, "lease-checks", "unsupported lease-checks value '%s'", lc);
		}
		pop(ld, mark);
	}
	if ((r = parse_lvl(ld, d4, gl)) < 0 || (r = parse_options(ld, d4, &cfg->opts)) < 0) {
		return r;
	}
	gl->has_sid = optset_server_id(&cfg->opts, &gl->sid);
	cfg->has_server_id = gl->has_sid;
	cfg->server_id = gl->sid;
	return 0;
}

static int sub_id_cmp(const void *a, const void *b)
{
	const cfg_subnet4_t *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

typedef struct sort_ref {
	uint32_t key1, key2;
	size_t idx;
} sort_ref_t;

static int ref_cmp(const void *a, const void *b)
{
	const sort_ref_t *x = a, *y = b;

	if (x->key1 != y->key1) {
		return x->key1 < y->key1 ? -1 : 1;
	}
	if (x->key2 != y->key2) {
		return x->key2 < y->key2 ? -1 : 1;
	}
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Subnets from subnet4 and from every shared network, then ids, sorting,
 * duplicate checks and the reservations (which need final ids). */
static int parse_subnets(ld_t *ld, json_t *d4, const lvl_t *gl, char ***host_paths,
                         size_t *host_cap)
{
	cfg_t *cfg = ld->cfg;
	json_t *top, *nets;
	int r;

	if ((r = get_array(ld, d4, "subnet4", &top)) < 0 ||
	    (r = get_array(ld, d4, "shared-networks", &nets)) < 0) {
		return r;
	}
	size_t total = top != NULL ? json_array_size(top) : 0;
	size_t nn = nets != NULL ? json_array_size(nets) : 0;
	for (size_t i = 0; i < nn; i++) {
		json_t *sub = json_object_get(json_array_get(nets, i), "subnet4");
		total += json_is_array(sub) ? json_array_size(sub) : 0;
	}
	cfg->subnets = calloc(total > 0 ? total : 1, sizeof(*cfg->subnets));
	sub_src_t *src = calloc(total > 0 ? total : 1, sizeof(*src));
	lvl_t *nl = calloc(nn > 0 ? nn : 1, sizeof(*nl));
	cfg->networks = calloc(nn > 0 ? nn : 1, sizeof(*cfg->networks));
	sort_ref_t *refs = calloc(total > 0 ? total : 1, sizeof(*refs));
	if (cfg->subnets == NULL || src == NULL || nl == NULL || cfg->networks == NULL ||
	    refs == NULL) {
		free(src);
		free(nl);
		free(refs);
		return oom(ld);
	}

	/* shared networks first: they hold parameters their subnets inherit */
	size_t mark = push_key(ld, "shared-networks");
	for (size_t i = 0; i < nn && r >= 0; i++) {
		size_t m2 = push_idx(ld, i);
		json_t *o = json_array_get(nets, i);
		cfg_shared_network_t *net = &cfg->networks[i];
		const char *name = NULL;
		cfg->n_networks = i + 1;
		*net = (cfg_shared_network_t){ .client_class = CFG_CLASS_NONE };
		if ((r = need_object(ld, o, NULL)) < 0 ||
		    (r = check_keys(ld, o, "shared-networks", network_keys, network_unsup)) < 0 ||
		    (r = get_str(ld, o, "name", &name)) < 0) {
			break;
		}
		if (name == NULL || name[0] == '\0') {
			r = fail(ld, NULL, "missing parameter 'name'");
			break;
		}
		for (size_t j = 0; j < i; j++) {
			if (strcmp(cfg->networks[j].name, name) == 0) {
				r = fail(ld, "name", "a shared network with the name '%s' already exists", name);
				break;
			}
		}
		if (r < 0) {
			break;
		}
		net->name = strdup(name);
		if (net->name == NULL) {
			r = oom(ld);
			break;
		}
		if ((r = parse_lvl(ld, o, &nl[i])) < 0 ||
		    (r = parse_class_list(ld, o, "require-client-classes", &net->require)) < 0 ||
		    (r = parse_options(ld, o, &net->opts)) < 0) {
			break;
		}
		nl[i].has_sid = optset_server_id(&net->opts, &nl[i].sid);
		net->client_class = nl[i].client_class;
		pop(ld, m2);
	}
	if (r >= 0) {
		pop(ld, mark);
	}

	/* subnets: networks' members first, then top-level subnet4 */
	size_t k = 0;
	for (size_t i = 0; i < nn && r >= 0; i++) {
		json_t *sub;
		mark = push_key(ld, "shared-networks");
		push_idx(ld, i);
		if ((r = get_array(ld, json_array_get(nets, i), "subnet4", &sub)) < 0) {
			break;
		}
		push_key(ld, "subnet4");
		for (size_t j = 0; sub != NULL && j < json_array_size(sub); j++) {
			size_t m2 = push_idx(ld, j);
			json_t *o = json_array_get(sub, j);
			src[k].network = (int)i;
			src[k].json = o;
			src[k].path = strdup(ld->path);
			cfg->n_subnets = k + 1;
			if (src[k].path == NULL) {
				r = oom(ld);
				break;
			}
			if ((r = need_object(ld, o, NULL)) < 0 ||
			    (r = parse_subnet(ld, o, &cfg->subnets[k], &src[k], gl, &nl[i])) < 0) {
				break;
			}
			k++;
			pop(ld, m2);
		}
		if (r >= 0) {
			pop(ld, mark);
		}
	}
	if (r >= 0 && top != NULL) {
		mark = push_key(ld, "subnet4");
		for (size_t j = 0; j < json_array_size(top); j++) {
			size_t m2 = push_idx(ld, j);
			json_t *o = json_array_get(top, j);
			src[k].network = -1;
			src[k].json = o;
			src[k].path = strdup(ld->path);
			cfg->n_subnets = k + 1;
			if (src[k].path == NULL) {
				r = oom(ld);
				break;
			}
			if ((r = need_object(ld, o, NULL)) < 0 ||
			    (r = parse_subnet(ld, o, &cfg->subnets[k], &src[k], gl, NULL)) < 0) {
				break;
			}
			k++;
			pop(ld, m2);
		}
		if (r >= 0) {
			pop(ld, mark);
		}
	}
	for (size_t i = 0; i < nn; i++) {
		free(nl[i].relays);
	}
	free(nl);

	if (r >= 0) {
		/* Auto ids (absent or 0), as Kea 2.2 assigns them (checked with
		 * config-get): a counter from 1, one step per id-less subnet, in
		 * parse order (shared networks' subnets first: Kea walks the Dhcp4
		 * map alphabetically), without skipping explicit ids; a clash with
		 * an explicit id is the duplicate-id error below. */
		uint32_t next_id = 0;
		for (size_t i = 0; i < k; i++) {
			if (!src[i].has_id) {
				cfg->subnets[i].id = ++next_id;
			}
		}
	}
	if (r >= 0 && k > 0) {
		/* duplicate ids and prefixes: sort references, compare neighbours */
		for (int pass = 0; pass < 2 && r >= 0; pass++) {
			for (size_t i = 0; i < k; i++) {
				refs[i] = (sort_ref_t){
				        .key1 = pass == 0 ? cfg->subnets[i].id
				                          : cfg->subnets[i].net,
				        .key2 = pass == 0 ? 0 : cfg->subnets[i].plen,
				        .idx = i,
				};
			}
			qsort(refs, k, sizeof(*refs), ref_cmp);
			for (size_t i = 1; i < k; i++) {
				if (refs[i].key1 != refs[i - 1].key1 ||
				    refs[i].key2 != refs[i - 1].key2) {
					continue;
				}
				const cfg_subnet4_t *s = &cfg->subnets[refs[i].idx];
				char nb[INADDR_STRLEN];
				snprintf(ld->path, sizeof(ld->path), "%s", src[refs[i].idx].path);
				ld->plen = strlen(ld->path);
				if (pass == 0) {
					r = fail(ld, "id", "ID of the new IPv4 subnet '%u' is already in use", s->id);
				} else {
					r = fail(ld, "subnet", "subnet with the prefix of '%s/%u' already exists",
					         inaddr_fmt(s->net, nb), s->plen);
				}
				break;
			}
		}
	}
	if (r >= 0) {
		/* Sort by id (Kea's selection order) carrying the sources along;
		 * members of a network keep their configuration order, which is
		 * the original index order (networks were parsed first). */
		for (size_t i = 0; i < k; i++) {
			refs[i] = (sort_ref_t){ .key1 = cfg->subnets[i].id, .idx = i };
		}
		qsort(refs, k, sizeof(*refs), ref_cmp);
		sub_src_t *src2 = calloc(k > 0 ? k : 1, sizeof(*src2));
		size_t *newpos = calloc(k > 0 ? k : 1, sizeof(*newpos));
		int *orig_net = calloc(k > 0 ? k : 1, sizeof(*orig_net));
		if (src2 == NULL || newpos == NULL || orig_net == NULL) {
			r = oom(ld);
		} else {
			for (size_t i = 0; i < k; i++) {
				src2[i] = src[refs[i].idx];
				newpos[refs[i].idx] = i;
				orig_net[i] = src[i].network;
			}
			memcpy(src, src2, k * sizeof(*src));
			qsort(cfg->subnets, k, sizeof(*cfg->subnets), sub_id_cmp);
			for (size_t i = 0; i < nn && r >= 0; i++) {
				size_t cnt = 0;
				for (size_t j = 0; j < k; j++) {
					cnt += orig_net[j] == (int)i;
				}
				cfg->networks[i].subnets =
				        calloc(cnt > 0 ? cnt : 1, sizeof(cfg_subnet4_t *));
				if (cfg->networks[i].subnets == NULL) {
					r = oom(ld);
				}
			}
			for (size_t j = 0; j < k && r >= 0; j++) {
				if (orig_net[j] >= 0) {
					cfg_shared_network_t *net = &cfg->networks[orig_net[j]];
					net->subnets[net->n_subnets++] = &cfg->subnets[newpos[j]];
					cfg->subnets[newpos[j]].network = net;
				}
			}
		}
		free(src2);
		free(newpos);
		free(orig_net);
	}
	for (size_t i = 0; i < k && r >= 0; i++) {
		snprintf(ld->path, sizeof(ld->path), "%s", src[i].path);
		ld->plen = strlen(ld->path);
		r = parse_reservations(ld, src[i].json, &cfg->subnets[i], host_paths, host_cap);
	}
	if (r >= 0) {
		ld->path[0] = '\0';
		ld->plen = 0;
		push_key(ld, "Dhcp4");
	}
	for (size_t i = 0; i < total; i++) {
		free(src[i].path);
	}
	free(src);
	free(refs);
	return r;
}

static int load(json_t *root, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	ld_t ld = { .err = reterr };
	cfg_t *cfg;
	lvl_t gl = { .client_class = CFG_CLASS_NONE };
	char **host_paths = NULL;
	size_t host_cap = 0;
	int r = 0;

	if (!json_is_object(root)) {
		return fail(&ld, NULL, "the configuration must be a map");
	}
	json_t *d4 = json_object_get(root, "Dhcp4");
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		if (strcmp(key, "Dhcp4") != 0 && strcmp(key, "Dhcp6") != 0 && strcmp(key, "DhcpDdns") != 0 &&
		    strcmp(key, "Control-agent") != 0 && strcmp(key, "Netconf") != 0) {
			return fail(&ld, key, "got unexpected keyword \"%s\" in toplevel map.", key);
		}
	}
	if (d4 == NULL) {
		return fail(&ld, NULL, "missing mandatory 'Dhcp4' map");
	}
	push_key(&ld, "Dhcp4");
	if (!json_is_object(d4)) {
		return fail(&ld, NULL, "'Dhcp4' must be a map");
	}
	cfg = calloc(1, sizeof(*cfg));
	ld.scratch = malloc(OPT_SCRATCH);
	if (cfg == NULL || ld.scratch == NULL) {
		free(cfg);
		free(ld.scratch);
		return oom(&ld);
	}
	ld.cfg = cfg;
	cfg->refcount = 1;
	cfg->json = json_incref(d4);

	/* builtins at fixed indexes */
	static const char *const builtins[] = { "ALL", "KNOWN", "UNKNOWN", "DROP" };
	for (size_t i = 0; i < ARRAY_SIZE(builtins) && r >= 0; i++) {
		r = class_append(&ld, builtins[i], true);
	}

	json_t *defs;
	if (r >= 0) {
		r = check_keys(&ld, d4, "Dhcp4", global_keys, global_unsup);
	}
	if (r >= 0) {
		r = get_array(&ld, d4, "option-def", &defs);
		if (r >= 0 && defs != NULL) {
			size_t mark = push_key(&ld, "option-def");
			for (size_t i = 0; i < json_array_size(defs) && r >= 0; i++) {
				size_t m2 = push_idx(&ld, i);
				json_t *o = json_array_get(defs, i);
				r = need_object(&ld, o, NULL);
				if (r >= 0) {
					r = parse_optdef(&ld, o, &ld.defs, false);
				}
				if (r >= 0) {
					pop(&ld, m2);
				}
			}
			if (r >= 0) {
				pop(&ld, mark);
			}
		}
	}
	if (r >= 0) {
		r = parse_classes(&ld, d4);
	}
	if (r >= 0) {
		r = parse_globals(&ld, d4, &gl);
	}
	if (r >= 0) {
		r = parse_interfaces(&ld, d4);
	}
	if (r >= 0) {
		r = parse_lease_db(&ld, d4);
	}
	if (r >= 0) {
		r = parse_expired(&ld, d4);
	}
	if (r >= 0) {
		r = parse_mt(&ld, d4);
	}
	if (r >= 0) {
		r = parse_loggers(&ld, d4);
	}
	if (r >= 0) {
		r = parse_control_socket(&ld, d4);
	}
	if (r >= 0) {
		r = parse_hooks(&ld, d4);
	}
	if (r >= 0) {
		r = parse_host_ids(&ld, d4);
	}
	if (r >= 0) {
		r = parse_subnets(&ld, d4, &gl, &host_paths, &host_cap);
	}
	if (r >= 0) {
		r = parse_reservations(&ld, d4, NULL, &host_paths, &host_cap);
	}
	if (r >= 0) {
		size_t dup = 0;
		bool by_addr = false;
		r = host_index_build(cfg, ld.ip_res_unique, &dup, &by_addr);
		if (r == -EEXIST) {
			const cfg_host_t *h = &cfg->hosts[dup];
			char a[INADDR_STRLEN];
			snprintf(ld.path, sizeof(ld.path), "%s", host_paths[dup]);
			ld.plen = strlen(ld.path);
			if (by_addr) {
				r = fail(&ld, "ip-address", "there's already a reservation for address %s in subnet id %u",
				         inaddr_fmt(h->addr, a), h->subnet_id);
			} else {
				r = fail(&ld, id_names[h->id_type], "a host with this %s has already been added to subnet id %u",
				         id_names[h->id_type], h->subnet_id);
			}
		} else if (r < 0) {
			r = oom(&ld);
		}
	}
	if (r >= 0) {
		r = subnet_index_build(cfg);
		if (r < 0) {
			r = oom(&ld);
		}
	}
	for (size_t i = 0; i < cfg->n_hosts; i++) {
		free(host_paths[i]);
	}
	free(host_paths);
	free(gl.relays);
	free(ld.scratch);
	optdef_set_done(&ld.defs);
	if (r < 0) {
		cfg_free(cfg);
		return r;
	}
	*ret_cfg = cfg;
	return 0;
}

static cfg_err_t *err_or_dummy(cfg_err_t *e, cfg_err_t *dummy)
{
	cfg_err_t *x = e != NULL ? e : dummy;

	memset(x, 0, sizeof(*x));
	return x;
}

int cfg_load_json(json_t *root, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	cfg_err_t dummy;
	cfg_err_t *err = err_or_dummy(reterr, &dummy);

	assert_return(ret_cfg != NULL, -EINVAL);
	/* A private copy: borrowed pointers into cfg->json must not change
	 * under a published config when the caller reuses @root. */
	json_t *copy = json_deep_copy(root);
	if (copy == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	int r = load(copy, ret_cfg, err);
	json_decref(copy);
	return r;
}

int cfg_load_text(const char *text, size_t len, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	cfg_err_t dummy;
	cfg_err_t *err = err_or_dummy(reterr, &dummy);
	json_error_t je;

	assert_return(text != NULL && ret_cfg != NULL, -EINVAL);
	char *buf = malloc(len + 1);
	if (buf == NULL) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	cfg_json_strip_comments(buf, len);

	/* Kea's <?include "file"?> directive, at the start of a line. */
	for (const char *p = strstr(buf, "<?include"); p != NULL; p = strstr(p + 1, "<?include")) {
		const char *b = p;
		while (b > buf && (b[-1] == ' ' || b[-1] == '\t')) {
			b--;
		}
		if (b == buf || b[-1] == '\n') {
			int line = 1;
			for (const char *q = buf; q < p; q++) {
				line += *q == '\n';
			}
			err->line = line;
			snprintf(err->msg, sizeof(err->msg), "'<?include ...?>' is not supported yet");
			free(buf);
			return -EINVAL;
		}
	}

	/* Kea rejects duplicate keys ("duplicate X entries in Y map"). */
	json_t *root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		err->line = je.line > 0 ? je.line : 0;
		snprintf(err->path, sizeof(err->path), "%s", "");
		snprintf(err->msg, sizeof(err->msg), "syntax error: %s", je.text);
		free(buf);
		return -EBADMSG;
	}
	int r = load(root, ret_cfg, err);
	json_decref(root);
	if (r < 0 && err->path[0] != '\0') {
		err->line = cfg_json_locate(buf, len, err->path);
	}
	free(buf);
	return r;
}

int cfg_load_file(const char *path, cfg_t **ret_cfg, cfg_err_t *reterr)
{
	cfg_err_t dummy;
	cfg_err_t *err = err_or_dummy(reterr, &dummy);
	FILE *f = fopen(path, "re");
	int r;

	assert_return(path != NULL && ret_cfg != NULL, -EINVAL);
	if (f == NULL) {
		r = -errno;
		snprintf(err->msg, sizeof(err->msg), "cannot open '%s': %s", path, strerror(-r));
		return r;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 65536 > cap) {
			cap = cap == 0 ? 262144 : cap * 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				free(buf);
				fclose(f);
				snprintf(err->msg, sizeof(err->msg), "out of memory");
				return -ENOMEM;
			}
			buf = nb;
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0) {
			break;
		}
	}
	if (ferror(f)) {
		r = -EIO;
		snprintf(err->msg, sizeof(err->msg), "cannot read '%s'", path);
		free(buf);
		fclose(f);
		return r;
	}
	fclose(f);
	r = cfg_load_text(buf, len, ret_cfg, err);
	free(buf);
	return r;
}

const char *cfg_err_format(const cfg_err_t *err, char *buf, size_t size)
{
	if (err->path[0] != '\0' && err->line > 0) {
		snprintf(buf, size, "%s (line %d): %s", err->path, err->line, err->msg);
	} else if (err->path[0] != '\0') {
		snprintf(buf, size, "%s: %s", err->path, err->msg);
	} else if (err->line > 0) {
		snprintf(buf, size, "line %d: %s", err->line, err->msg);
	} else {
		snprintf(buf, size, "%s", err->msg);
	}
	return buf;
}
