/* Configuration loader: option-data (definitions, option spaces,
 * encapsulation) and option-def. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "dhcp/optdef.h"

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

/* "vendor-<enterprise-id>": the option 125 sub-option spaces (RFC 3925);
 * the enterprise number into *ret. */
static bool vendor_space(const char *space, uint32_t *ret)
{
	char *end;

	if (strncmp(space, "vendor-", 7) != 0 || space[7] < '0' || space[7] > '9') {
		return false;
	}
	errno = 0;
	unsigned long v = strtoul(space + 7, &end, 10);
	if (*end != '\0' || errno != 0 || v > UINT32_MAX) {
		return false;
	}
	*ret = (uint32_t)v;
	return true;
}

/* Class-level definitions (while parsing a class) win over the global and
 * standard ones (Kea OptionDataParser::findOptionDefinition()). */
static const optdef_t *cdef_find(const ld_t *ld, const char *space, const char *name, int code)
{
	/* class definitions are dhcp4-space only (load_parse_optdef()) */
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

	if ((r = load_check_keys(ld, o, "option-data", option_keys, NULL)) < 0 ||
	         (r = load_get_str(ld, o, "name", &name)) < 0 || (r = load_get_str(ld, o, "space", &space)) < 0 ||
	         (r = load_get_str(ld, o, "data", &data)) < 0 || (r = load_get_u32(ld, o, "code", &code, &has_code)) < 0 ||
	         (r = load_get_bool(ld, o, "csv-format", &csv, NULL)) < 0 ||
	         (r = load_get_bool(ld, o, "always-send", &always, NULL)) < 0 ||
	         (r = load_get_bool(ld, o, "never-send", &never, NULL)) < 0) {
		return r;
	}
	if (space[0] == '\0') {
		return load_fail(ld, "space", "invalid option space name ''");
	}
	if (has_code) {
		/* PAD and END are reserved in the dhcp4 space only (Kea) */
		if (code == 0 && optdef_space_is_dhcp4(space)) {
			return load_fail(ld, "code", "invalid option code '0': reserved for PAD");
		}
		if (code == 255 && optdef_space_is_dhcp4(space)) {
			return load_fail(ld, "code", "invalid option code '255': reserved for END");
		}
		if (code > 255) {
			return load_fail(ld, "code", "invalid option code '%u', it must not be greater than '255'", code);
		}
	}
	if (name != NULL) {
		def = def_by_name(ld, space, name);
		if (def == NULL) {
			return load_fail(ld, "name", "definition for the option '%s.%s' does not exist", space, name);
		}
		if (has_code && def->code != code) {
			const optdef_t *other = def_by_code(ld, space, (uint8_t)code);
			return load_fail(ld, "name", "specified option name '%s' does not match the option definition: '%s.%s'",
			                 name, space, other != NULL ? other->name : "(none)");
		}
		code = def->code;
	} else if (has_code) {
		def = def_by_code(ld, space, (uint8_t)code);
		/* Kea's csv-format defaults to true, and csv needs a definition */
		if (def == NULL && csv) {
			return load_fail(ld, "code", "definition for the option '%s.' having code '%u' does not exist",
			                 space, code);
		}
	} else {
		return load_fail(ld, NULL, "option data configuration requires one of 'code' or 'name' parameters to be specified");
	}

	if (!csv || def == NULL) {
		r = optdef_encode_hex(data, ld->scratch, OPT_SCRATCH);
		if (r == -EINVAL) {
			return load_fail(ld, "data", "option data is not a valid string of hexadecimal digits: %s", data);
		}
		if (r >= 0 && def != NULL && optdef_check_wire(def, ld->scratch, (size_t)r, ebuf, sizeof(ebuf)) < 0) {
			return load_fail(ld, "data", "option data does not match option definition (space: %s, code: %u): %s",
			                 space, code, ebuf);
		}
	} else {
		r = optdef_encode_csv(def, data, ld->scratch, OPT_SCRATCH, ebuf, sizeof(ebuf));
		if (r < 0) {
			return load_fail(ld, "data", "option data does not match option definition (space: %s, code: %u): %s",
			                 space, code, ebuf);
		}
	}
	if (r < 0) {
		return load_fail(ld, "data", "option data too long");
	}
	pend_opt_t *v = realloc(set->v, (set->n + 1) * sizeof(*v));
	if (v == NULL) {
		return load_oom(ld);
	}
	set->v = v;
	pend_opt_t *opt = &v[set->n];
	*opt = (pend_opt_t){ .space = optdef_space_is_dhcp4(space) ? "dhcp4" : space, .def = def,
	                     .code = (uint8_t)code, .always_send = always, .never_send = never,
	                     .len = (uint16_t)r, .seq = set->n };
	opt->data = malloc(r > 0 ? (size_t)r : 1);
	if (opt->data == NULL) {
		return load_oom(ld);
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
                        const uint8_t *data, size_t len, int depth, uint8_t top, ebuf_t *out);

/* A sub-option unpacked from hex data is built with its definition when
 * the space has one: a fixed-size value that does not fit is a configuration
 * error in Kea, reported against the top-level option @top ("(space: dhcp4,
 * code: 43): OptionInt 5 truncated"). Only the fixed-size types: Kea skips a
 * sub-option whose string is empty rather than refusing. */
static int check_sub(ld_t *ld, const char *encap, uint8_t top, const uint8_t *tlv)
{
	const optdef_t *d = def_by_code(ld, encap, tlv[0]);
	char err[192];

	if (d == NULL || d->type == OPTDEF_STRING || d->type == OPTDEF_BINARY || d->type == OPTDEF_EMPTY ||
	    d->type == OPTDEF_RECORD || optdef_check_wire(d, tlv + 2, tlv[1], err, sizeof(err)) == 0) {
		return 0;
	}
	return load_fail(ld, "data", "option data does not match option definition (space: dhcp4, code: %u): %s",
	                 top, err);
}

/* Append one sub-option (code, len, payload with its own encapsulation). A
 * payload longer than fits is split into several instances of the code, as
 * Kea 2.2's LibDHCP::splitOptions4() does: 255 minus the headers of the
 * enclosing options and its own (251 bytes directly under a top-level
 * option, checked against Kea with a 300-byte sub-option of 43). */
static int encap_sub(ld_t *ld, const pend_set_t *set, const pend_opt_t *s, uint8_t code,
                     const uint8_t *data, size_t len, int depth, uint8_t top, ebuf_t *out)
{
	ebuf_t pl = { 0 };
	int r;

	if (s != NULL && s->def != NULL && s->def->encapsulate[0] != '\0') {
		bool unpack = s->def->type == OPTDEF_EMPTY;

		r = encap_option(ld, set, s->def->encapsulate, unpack, data, len, depth + 1, top, &pl);
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
	return r == -ENOMEM ? load_oom(ld) : r;
}

/* Kea CfgOption::encapsulate(): the option's own data, then the sub-options
 * of space @encap configured in the SAME scope, in code order, one per code
 * (the first configured wins). Data of an empty-typed option (hex-configured
 * 43) is unpacked as sub-options first (LibDHCP::unpackOptions4(): PAD
 * skipped, END or a truncated tail ends it) and merged by code; a code it
 * carries is not added again from the configuration (checked against Kea
 * 2.2). */
static int encap_option(ld_t *ld, const pend_set_t *set, const char *encap, bool unpack,
                        const uint8_t *data, size_t len, int depth, uint8_t top, ebuf_t *out)
{
	size_t own_off[128], n_own = 0;
	bool tlv = unpack && len > 0;
	int r;

	if (depth > 4) {
		return load_fail(ld, NULL, "option space '%s' encapsulation nests too deeply", encap);
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
			return load_fail(ld, NULL, "too many sub-options in option data");
		}
		if ((r = check_sub(ld, encap, top, data + off)) < 0) {
			return r;
		}
		own_off[n_own++] = off;
	}
	if (!tlv && (r = ebuf_put(out, data, len)) < 0) {
		return load_oom(ld);
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
			if ((r = encap_sub(ld, set, NULL, d[0], d + 2, d[1], depth, top, out)) < 0) {
				return r;
			}
		}
		if (last == s->code) {
			continue;
		}
		last = s->code;
		if ((r = encap_sub(ld, set, s, s->code, s->data, s->len, depth, top, out)) < 0) {
			return r;
		}
	}
	for (; oi < n_own; oi++) {
		const uint8_t *d = data + own_off[oi];
		if ((r = encap_sub(ld, set, NULL, d[0], d + 2, d[1], depth, top, out)) < 0) {
			return r;
		}
	}
	return 0;
}

/* A sub-option of a vendor-<enterprise> space goes to set->vend, the first
 * configured one of a code (Kea's lookups return that one). Returns 1 when
 * @p was such a sub-option, 0 when not, or a load error. */
static int keep_vendor(ld_t *ld, pend_opt_t *p, const pend_opt_t *prev, cfg_optset_t *set)
{
	uint32_t vendor;

	if (!vendor_space(p->space, &vendor)) {
		return 0;
	}
	if (prev != NULL && strcmp(prev->space, p->space) == 0 && prev->code == p->code) {
		return 1;
	}
	cfg_option_t *v = realloc(set->vend, (set->n_vend + 1) * sizeof(*v));
	if (v == NULL) {
		return load_oom(ld);
	}
	set->vend = v;
	v[set->n_vend++] = (cfg_option_t){ .code = p->code, .always_send = p->always_send,
		                           .never_send = p->never_send, .len = p->len,
		                           .data = TAKE_PTR(p->data), .vendor = vendor };
	return 1;
}

int load_parse_options(ld_t *ld, json_t *obj, cfg_optset_t *set)
{
	json_t *arr;
	pend_set_t pend = { 0 };
	int r = load_get_array(ld, obj, "option-data", &arr);

	if (r < 0 || arr == NULL) {
		return r;
	}
	size_t mark = load_push_key(ld, "option-data");
	for (size_t i = 0; i < json_array_size(arr); i++) {
		size_t m2 = load_push_idx(ld, i);
		json_t *o = json_array_get(arr, i);
		r = load_need_object(ld, o, NULL);
		if (r >= 0) {
			r = parse_option(ld, o, &pend);
		}
		if (r < 0) {
			pend_done(&pend);
			return r;
		}
		load_pop(ld, m2);
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

		if ((r = keep_vendor(ld, p, prev, set)) != 0) {
			if (r < 0) {
				pend_done(&pend);
				return r;
			}
			continue;
		}
		if (strcmp(p->space, "dhcp4") != 0 ||
		    (prev != NULL && strcmp(prev->space, "dhcp4") == 0 && prev->code == p->code)) {
			continue;
		}
		cfg_option_t *v = realloc(set->v, (set->n + 1) * sizeof(*v));
		if (v == NULL) {
			pend_done(&pend);
			return load_oom(ld);
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
			                 opt->len, 0, p->code, &eb);
			if (r >= 0 && eb.n > 65535) {
				r = load_fail(ld, NULL, "option %u with its sub-options is too long", p->code);
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
				return load_oom(ld);
			}
		}
	}
	pend_done(&pend);
	load_pop(ld, mark);
	if (set->n > 1) {
		/* stable enough: codes are unique within a scope */
		qsort(set->v, set->n, sizeof(set->v[0]), opt_cmp);
	}
	return 0;
}

bool load_optset_server_id(const cfg_optset_t *set, uint32_t *ret)
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
int load_parse_optdef(ld_t *ld, json_t *o, optdef_set_t *set, bool class_level)
{
	const char *name = NULL, *type = NULL, *rtypes = "", *space = "dhcp4", *encap = "";
	uint32_t code = 0;
	bool has_code = false, array = false;
	optdef_t d = { 0 };
	int r;

	if ((r = load_check_keys(ld, o, "option-def", optdef_keys, NULL)) < 0 ||
	         (r = load_get_str(ld, o, "name", &name)) < 0 || (r = load_get_str(ld, o, "type", &type)) < 0 ||
	         (r = load_get_str(ld, o, "record-types", &rtypes)) < 0 ||
	         (r = load_get_str(ld, o, "space", &space)) < 0 ||
	         (r = load_get_str(ld, o, "encapsulate", &encap)) < 0 ||
	         (r = load_get_u32(ld, o, "code", &code, &has_code)) < 0 ||
	         (r = load_get_bool(ld, o, "array", &array, NULL)) < 0) {
		return r;
	}
	if (name == NULL) {
		return load_fail(ld, NULL, "missing parameter 'name'");
	}
	if (!has_code) {
		return load_fail(ld, NULL, "missing parameter 'code'");
	}
	if (type == NULL) {
		return load_fail(ld, NULL, "missing parameter 'type'");
	}
	if (!valid_space_name(space)) {
		return load_fail(ld, "space", "invalid option space name '%s'", space);
	}
	if (encap[0] != '\0' && !valid_space_name(encap)) {
		return load_fail(ld, "encapsulate", "invalid encapsulated option space name: '%s'", encap);
	}
	if (encap[0] != '\0' && array) {
		return load_fail(ld, "encapsulate", "option '%s', which is an array, cannot encapsulate other options", name);
	}
	bool dhcp4 = optdef_space_is_dhcp4(space);
	if (code > 255 || (dhcp4 && (code == 0 || code == 255))) {
		return load_fail(ld, "code", "invalid option code '%u': it must be between 1 and 254", code);
	}
	if (encap[0] != '\0' && strcmp(encap, dhcp4 ? "dhcp4" : space) == 0) {
		return load_fail(ld, "encapsulate", "option must not encapsulate an option space it belongs to: '%s.%s' is set to encapsulate '%s'",
		                 space, name, encap);
	}
	if (class_level && (!dhcp4 || (code != 43 && code < 224))) {
		return load_fail(ld, NULL, "Not allowed option definition for code '%u' in space '%s'", code, space);
	}
	if (strlen(name) == 0 || strlen(name) >= OPTDEF_NAME_MAX ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(name)) {
		return load_fail(ld, "name", "invalid option name '%s'", name);
	}
	const optdef_t *std = dhcp4 ? optdef_std_by_code((uint8_t)code) : NULL;
	if (std != NULL && code != 43) {
		return load_fail(ld, "code", "it is not allowed to redefine standard option '%s' (code %u) in the dhcp4 space",
		                 std->name, code);
	}
	const optdef_t *std_named = dhcp4 ? optdef_std_by_name(name) : NULL;
	/* a class may redefine 43 under its standard name (Kea 2.2 accepts it) */
	if (std_named != NULL && !(class_level && std_named->code == 43)) {
		if (class_level) {
			return load_fail(ld, "name", "unable to override definition of option '%s' in standard option space 'dhcp4'",
			                 name);
		}
		return load_fail(ld, "name", "it is not allowed to redefine standard option '%s'", name);
	}
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.encapsulate, sizeof(d.encapsulate), "%s", encap);
	snprintf(d.space, sizeof(d.space), "%s", dhcp4 ? "" : space);
	d.code = (uint8_t)code;
	d.array = array;
	d.type = optdef_type_from_string(type);
	if (d.type == _OPTDEF_TYPE_INVALID) {
		return load_fail(ld, "type", "unknown option type '%s'", type);
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
				return load_fail(ld, "record-types", "invalid record field type '%s'", t);
			}
			if (d.n_fields >= OPTDEF_RECORD_MAX) {
				return load_fail(ld, "record-types", "too many record fields");
			}
			d.fields[d.n_fields++] = ft;
		}
		if (d.n_fields == 0) {
			return load_fail(ld, "record-types", "a record option definition needs 'record-types'");
		}
	} else if (rtypes[0] != '\0') {
		return load_fail(ld, "record-types", "'record-types' is only valid with type 'record'");
	}
	if (array &&
	    (d.type == OPTDEF_EMPTY || d.type == OPTDEF_STRING || d.type == OPTDEF_BINARY)) {
		return load_fail(ld, "array", "an option of type '%s' cannot be an array", type);
	}
	r = optdef_set_add(set, &d);
	if (r == -EEXIST) {
		return load_fail(ld, NULL, "option definition with name '%s' or code %u already exists", name, code);
	}
	if (r < 0) {
		return load_oom(ld);
	}
	return 0;
}
