#include "dhcp/optdef.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/hex.h"
#include "util/macro.h"
#include "util/inaddr.h"

#define R(...)                                                                                     \
	.n_fields = (uint8_t)(sizeof((optdef_type_t[]){__VA_ARGS__}) / sizeof(optdef_type_t)),     \
	.fields = {__VA_ARGS__}

/* Kea 2.4 STANDARD_V4_OPTION_DEFINITIONS (src/lib/dhcp/std_option_defs.h) plus
 * the last-resort definition of 43. Kea types options 15 domain-name as a
 * plain string on the wire (not DNS wire format): verified against the
 * source and against tshark captures of Kea 2.2 replies. */
static const optdef_t std_defs[] = {
	{ .name = "subnet-mask", .code = 1, .type = OPTDEF_IPV4 },
	{ .name = "time-offset", .code = 2, .type = OPTDEF_INT32 },
	{ .name = "routers", .code = 3, .type = OPTDEF_IPV4, .array = true },
	{ .name = "time-servers", .code = 4, .type = OPTDEF_IPV4, .array = true },
	{ .name = "name-servers", .code = 5, .type = OPTDEF_IPV4, .array = true },
	{ .name = "domain-name-servers", .code = 6, .type = OPTDEF_IPV4, .array = true },
	{ .name = "log-servers", .code = 7, .type = OPTDEF_IPV4, .array = true },
	{ .name = "cookie-servers", .code = 8, .type = OPTDEF_IPV4, .array = true },
	{ .name = "lpr-servers", .code = 9, .type = OPTDEF_IPV4, .array = true },
	{ .name = "impress-servers", .code = 10, .type = OPTDEF_IPV4, .array = true },
	{ .name = "resource-location-servers", .code = 11, .type = OPTDEF_IPV4, .array = true },
	{ .name = "host-name", .code = 12, .type = OPTDEF_STRING },
	{ .name = "boot-size", .code = 13, .type = OPTDEF_UINT16 },
	{ .name = "merit-dump", .code = 14, .type = OPTDEF_STRING },
	{ .name = "domain-name", .code = 15, .type = OPTDEF_STRING },
	{ .name = "swap-server", .code = 16, .type = OPTDEF_IPV4 },
	{ .name = "root-path", .code = 17, .type = OPTDEF_STRING },
	{ .name = "extensions-path", .code = 18, .type = OPTDEF_STRING },
	{ .name = "ip-forwarding", .code = 19, .type = OPTDEF_BOOLEAN },
	{ .name = "non-local-source-routing", .code = 20, .type = OPTDEF_BOOLEAN },
	{ .name = "policy-filter", .code = 21, .type = OPTDEF_IPV4, .array = true },
	{ .name = "max-dgram-reassembly", .code = 22, .type = OPTDEF_UINT16 },
	{ .name = "default-ip-ttl", .code = 23, .type = OPTDEF_UINT8 },
	{ .name = "path-mtu-aging-timeout", .code = 24, .type = OPTDEF_UINT32 },
	{ .name = "path-mtu-plateau-table", .code = 25, .type = OPTDEF_UINT16, .array = true },
	{ .name = "interface-mtu", .code = 26, .type = OPTDEF_UINT16 },
	{ .name = "all-subnets-local", .code = 27, .type = OPTDEF_BOOLEAN },
	{ .name = "broadcast-address", .code = 28, .type = OPTDEF_IPV4 },
	{ .name = "perform-mask-discovery", .code = 29, .type = OPTDEF_BOOLEAN },
	{ .name = "mask-supplier", .code = 30, .type = OPTDEF_BOOLEAN },
	{ .name = "router-discovery", .code = 31, .type = OPTDEF_BOOLEAN },
	{ .name = "router-solicitation-address", .code = 32, .type = OPTDEF_IPV4 },
	{ .name = "static-routes", .code = 33, .type = OPTDEF_IPV4, .array = true },
	{ .name = "trailer-encapsulation", .code = 34, .type = OPTDEF_BOOLEAN },
	{ .name = "arp-cache-timeout", .code = 35, .type = OPTDEF_UINT32 },
	{ .name = "ieee802-3-encapsulation", .code = 36, .type = OPTDEF_BOOLEAN },
	{ .name = "default-tcp-ttl", .code = 37, .type = OPTDEF_UINT8 },
	{ .name = "tcp-keepalive-interval", .code = 38, .type = OPTDEF_UINT32 },
	{ .name = "tcp-keepalive-garbage", .code = 39, .type = OPTDEF_BOOLEAN },
	{ .name = "nis-domain", .code = 40, .type = OPTDEF_STRING },
	{ .name = "nis-servers", .code = 41, .type = OPTDEF_IPV4, .array = true },
	{ .name = "ntp-servers", .code = 42, .type = OPTDEF_IPV4, .array = true },
	{ .name = "vendor-encapsulated-options", .code = 43, .type = OPTDEF_EMPTY,
	  .encapsulate = "vendor-encapsulated-options-space" },
	{ .name = "netbios-name-servers", .code = 44, .type = OPTDEF_IPV4, .array = true },
	{ .name = "netbios-dd-server", .code = 45, .type = OPTDEF_IPV4, .array = true },
	{ .name = "netbios-node-type", .code = 46, .type = OPTDEF_UINT8 },
	{ .name = "netbios-scope", .code = 47, .type = OPTDEF_STRING },
	{ .name = "font-servers", .code = 48, .type = OPTDEF_IPV4, .array = true },
	{ .name = "x-display-manager", .code = 49, .type = OPTDEF_IPV4, .array = true },
	{ .name = "dhcp-requested-address", .code = 50, .type = OPTDEF_IPV4 },
	{ .name = "dhcp-lease-time", .code = 51, .type = OPTDEF_UINT32 },
	{ .name = "dhcp-option-overload", .code = 52, .type = OPTDEF_UINT8 },
	{ .name = "dhcp-message-type", .code = 53, .type = OPTDEF_UINT8 },
	{ .name = "dhcp-server-identifier", .code = 54, .type = OPTDEF_IPV4 },
	{ .name = "dhcp-parameter-request-list", .code = 55, .type = OPTDEF_UINT8, .array = true },
	{ .name = "dhcp-message", .code = 56, .type = OPTDEF_STRING },
	{ .name = "dhcp-max-message-size", .code = 57, .type = OPTDEF_UINT16 },
	{ .name = "dhcp-renewal-time", .code = 58, .type = OPTDEF_UINT32 },
	{ .name = "dhcp-rebinding-time", .code = 59, .type = OPTDEF_UINT32 },
	{ .name = "vendor-class-identifier", .code = 60, .type = OPTDEF_STRING },
	{ .name = "dhcp-client-identifier", .code = 61, .type = OPTDEF_BINARY },
	{ .name = "nwip-domain-name", .code = 62, .type = OPTDEF_STRING },
	{ .name = "nwip-suboptions", .code = 63, .type = OPTDEF_BINARY },
	{ .name = "nisplus-domain-name", .code = 64, .type = OPTDEF_STRING },
	{ .name = "nisplus-servers", .code = 65, .type = OPTDEF_IPV4, .array = true },
	{ .name = "tftp-server-name", .code = 66, .type = OPTDEF_STRING },
	{ .name = "boot-file-name", .code = 67, .type = OPTDEF_STRING },
	{ .name = "mobile-ip-home-agent", .code = 68, .type = OPTDEF_IPV4, .array = true },
	{ .name = "smtp-server", .code = 69, .type = OPTDEF_IPV4, .array = true },
	{ .name = "pop-server", .code = 70, .type = OPTDEF_IPV4, .array = true },
	{ .name = "nntp-server", .code = 71, .type = OPTDEF_IPV4, .array = true },
	{ .name = "www-server", .code = 72, .type = OPTDEF_IPV4, .array = true },
	{ .name = "finger-server", .code = 73, .type = OPTDEF_IPV4, .array = true },
	{ .name = "irc-server", .code = 74, .type = OPTDEF_IPV4, .array = true },
	{ .name = "streettalk-server", .code = 75, .type = OPTDEF_IPV4, .array = true },
	{ .name = "streettalk-directory-assistance-server", .code = 76, .type = OPTDEF_IPV4,
	  .array = true },
	{ .name = "user-class", .code = 77, .type = OPTDEF_BINARY },
	{ .name = "slp-directory-agent", .code = 78, .type = OPTDEF_RECORD, .array = true,
	  R(OPTDEF_BOOLEAN, OPTDEF_IPV4) },
	{ .name = "slp-service-scope", .code = 79, .type = OPTDEF_RECORD,
	  R(OPTDEF_BOOLEAN, OPTDEF_STRING) },
	{ .name = "fqdn", .code = 81, .type = OPTDEF_RECORD,
	  R(OPTDEF_UINT8, OPTDEF_UINT8, OPTDEF_UINT8, OPTDEF_FQDN) },
	{ .name = "dhcp-agent-options", .code = 82, .type = OPTDEF_EMPTY,
	  .encapsulate = "dhcp-agent-options-space" },
	{ .name = "nds-servers", .code = 85, .type = OPTDEF_IPV4, .array = true },
	{ .name = "nds-tree-name", .code = 86, .type = OPTDEF_STRING },
	{ .name = "nds-context", .code = 87, .type = OPTDEF_STRING },
	{ .name = "bcms-controller-names", .code = 88, .type = OPTDEF_FQDN, .array = true },
	{ .name = "bcms-controller-address", .code = 89, .type = OPTDEF_IPV4, .array = true },
	{ .name = "authenticate", .code = 90, .type = OPTDEF_BINARY },
	{ .name = "client-last-transaction-time", .code = 91, .type = OPTDEF_UINT32 },
	{ .name = "associated-ip", .code = 92, .type = OPTDEF_IPV4, .array = true },
	{ .name = "client-system", .code = 93, .type = OPTDEF_UINT16, .array = true },
	{ .name = "client-ndi", .code = 94, .type = OPTDEF_RECORD,
	  R(OPTDEF_UINT8, OPTDEF_UINT8, OPTDEF_UINT8) },
	{ .name = "uuid-guid", .code = 97, .type = OPTDEF_RECORD, R(OPTDEF_UINT8, OPTDEF_BINARY) },
	{ .name = "uap-servers", .code = 98, .type = OPTDEF_STRING },
	{ .name = "geoconf-civic", .code = 99, .type = OPTDEF_BINARY },
	{ .name = "pcode", .code = 100, .type = OPTDEF_STRING },
	{ .name = "tcode", .code = 101, .type = OPTDEF_STRING },
	{ .name = "v6-only-preferred", .code = 108, .type = OPTDEF_UINT32 },
	{ .name = "netinfo-server-address", .code = 112, .type = OPTDEF_IPV4, .array = true },
	{ .name = "netinfo-server-tag", .code = 113, .type = OPTDEF_STRING },
	{ .name = "v4-captive-portal", .code = 114, .type = OPTDEF_STRING },
	{ .name = "default-url", .code = 114, .type = OPTDEF_STRING },
	{ .name = "auto-config", .code = 116, .type = OPTDEF_UINT8 },
	{ .name = "name-service-search", .code = 117, .type = OPTDEF_UINT16, .array = true },
	{ .name = "subnet-selection", .code = 118, .type = OPTDEF_IPV4 },
	{ .name = "domain-search", .code = 119, .type = OPTDEF_FQDN, .array = true },
	{ .name = "vivco-suboptions", .code = 124, .type = OPTDEF_RECORD,
	  R(OPTDEF_UINT32, OPTDEF_BINARY) },
	{ .name = "vivso-suboptions", .code = 125, .type = OPTDEF_UINT32 },
	{ .name = "pana-agent", .code = 136, .type = OPTDEF_IPV4, .array = true },
	{ .name = "v4-lost", .code = 137, .type = OPTDEF_FQDN },
	{ .name = "capwap-ac-v4", .code = 138, .type = OPTDEF_IPV4, .array = true },
	{ .name = "sip-ua-cs-domains", .code = 141, .type = OPTDEF_FQDN, .array = true },
	/* RFC 8572 tuples carry 2-byte lengths; configured as hex for now. */
	{ .name = "v4-sztp-redirect", .code = 143, .type = OPTDEF_BINARY },
	{ .name = "rdnss-selection", .code = 146, .type = OPTDEF_RECORD, .array = true,
	  R(OPTDEF_UINT8, OPTDEF_IPV4, OPTDEF_IPV4, OPTDEF_FQDN) },
	{ .name = "v4-portparams", .code = 159, .type = OPTDEF_RECORD,
	  R(OPTDEF_UINT8, OPTDEF_UINT8, OPTDEF_UINT16) },
	/* RFC 9463 DNR: Kea parses a dedicated syntax; hex only here. */
	{ .name = "v4-dnr", .code = 162, .type = OPTDEF_BINARY },
	{ .name = "option-6rd", .code = 212, .type = OPTDEF_RECORD, .array = true,
	  R(OPTDEF_UINT8, OPTDEF_UINT8, OPTDEF_IPV6, OPTDEF_IPV4) },
	{ .name = "v4-access-domain", .code = 213, .type = OPTDEF_FQDN },
};

static const char *const type_names[_OPTDEF_TYPE_MAX] = {
	[OPTDEF_EMPTY] = "empty",
	[OPTDEF_BINARY] = "binary",
	[OPTDEF_BOOLEAN] = "boolean",
	[OPTDEF_INT8] = "int8",
	[OPTDEF_INT16] = "int16",
	[OPTDEF_INT32] = "int32",
	[OPTDEF_UINT8] = "uint8",
	[OPTDEF_UINT16] = "uint16",
	[OPTDEF_UINT32] = "uint32",
	[OPTDEF_IPV4] = "ipv4-address",
	[OPTDEF_IPV6] = "ipv6-address",
	[OPTDEF_IPV6_PREFIX] = "ipv6-prefix",
	[OPTDEF_PSID] = "psid",
	[OPTDEF_FQDN] = "fqdn",
	[OPTDEF_STRING] = "string",
	[OPTDEF_TUPLE] = "tuple",
	[OPTDEF_RECORD] = "record",
};

const optdef_t *optdef_std_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(std_defs) / sizeof(std_defs[0]); i++) {
		if (strcmp(std_defs[i].name, name) == 0) {
			return &std_defs[i];
		}
	}
	return NULL;
}

const optdef_t *optdef_std_by_code(uint8_t code)
{
	for (size_t i = 0; i < sizeof(std_defs) / sizeof(std_defs[0]); i++) {
		if (std_defs[i].code == code) {
			return &std_defs[i];
		}
	}
	return NULL;
}

bool optdef_space_is_dhcp4(const char *space)
{
	return space == NULL || space[0] == '\0' || strcmp(space, "dhcp4") == 0;
}

static bool same_space(const char *a, const char *b)
{
	if (optdef_space_is_dhcp4(a)) {
		return optdef_space_is_dhcp4(b);
	}
	return !optdef_space_is_dhcp4(b) && strcmp(a, b) == 0;
}

/* Kea's DOCSIS3_V4_OPTION_DEFINITIONS: the standard sub-options of the
 * CableLabs space vendor-4491 (option 125, enterprise 4491). */
static const optdef_t docsis3_v4[] = {
	{ .name = "oro", .code = 1, .type = OPTDEF_UINT8, .array = true, .space = "vendor-4491" },
	{ .name = "tftp-servers", .code = 2, .type = OPTDEF_IPV4, .array = true,
	  .space = "vendor-4491" },
};

static const optdef_t *docsis3_find(const char *space, const char *name, int code)
{
	if (strcmp(space, "vendor-4491") != 0) {
		return NULL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(docsis3_v4); i++) {
		if (name != NULL ? strcmp(docsis3_v4[i].name, name) == 0 : docsis3_v4[i].code == code) {
			return &docsis3_v4[i];
		}
	}
	return NULL;
}

const optdef_t *optdef_find_space_name(const optdef_set_t *custom, const char *space,
                                       const char *name)
{
	if (optdef_space_is_dhcp4(space)) {
		return optdef_find_name(custom, name);
	}
	for (size_t i = 0; custom != NULL && i < custom->n; i++) {
		if (same_space(custom->v[i].space, space) && strcmp(custom->v[i].name, name) == 0) {
			return &custom->v[i];
		}
	}
	return docsis3_find(space, name, -1);
}

const optdef_t *optdef_find_space_code(const optdef_set_t *custom, const char *space,
                                       uint8_t code)
{
	if (optdef_space_is_dhcp4(space)) {
		return optdef_find_code(custom, code);
	}
	for (size_t i = 0; custom != NULL && i < custom->n; i++) {
		if (same_space(custom->v[i].space, space) && custom->v[i].code == code) {
			return &custom->v[i];
		}
	}
	return docsis3_find(space, NULL, code);
}

const optdef_t *optdef_find_name(const optdef_set_t *custom, const char *name)
{
	if (custom != NULL) {
		for (size_t i = 0; i < custom->n; i++) {
			if (optdef_space_is_dhcp4(custom->v[i].space) &&
			    strcmp(custom->v[i].name, name) == 0) {
				return &custom->v[i];
			}
		}
	}
	return optdef_std_by_name(name);
}

const optdef_t *optdef_find_code(const optdef_set_t *custom, uint8_t code)
{
	if (custom != NULL) {
		for (size_t i = 0; i < custom->n; i++) {
			if (optdef_space_is_dhcp4(custom->v[i].space) && custom->v[i].code == code) {
				return &custom->v[i];
			}
		}
	}
	return optdef_std_by_code(code);
}

optdef_type_t optdef_type_from_string(const char *s)
{
	for (int t = 0; t < _OPTDEF_TYPE_MAX; t++) {
		if (strcmp(type_names[t], s) == 0) {
			return (optdef_type_t)t;
		}
	}
	return _OPTDEF_TYPE_INVALID;
}

/* Wire size of the fixed-size types, 0 for the variable ones. */
size_t optdef_type_fixed_len(optdef_type_t t)
{
	switch (t) {
	case OPTDEF_BOOLEAN:
	case OPTDEF_INT8:
	case OPTDEF_UINT8:
		return 1;
	case OPTDEF_INT16:
	case OPTDEF_UINT16:
		return 2;
	case OPTDEF_PSID:
		return 3;
	case OPTDEF_INT32:
	case OPTDEF_UINT32:
	case OPTDEF_IPV4:
		return 4;
	case OPTDEF_IPV6:
		return 16;
	default:
		return 0;
	}
}

const char *optdef_type_to_string(optdef_type_t t)
{
	if ((int)t < 0 || t >= _OPTDEF_TYPE_MAX) {
		return "invalid";
	}
	return type_names[t];
}

int optdef_set_add(optdef_set_t *set, const optdef_t *def)
{
	for (size_t i = 0; i < set->n; i++) {
		if (same_space(set->v[i].space, def->space) &&
		    (set->v[i].code == def->code || strcmp(set->v[i].name, def->name) == 0)) {
			return -EEXIST;
		}
	}
	optdef_t *v = realloc(set->v, (set->n + 1) * sizeof(*v));
	if (v == NULL) {
		return -ENOMEM;
	}
	v[set->n++] = *def;
	set->v = v;
	return 0;
}

void optdef_set_done(optdef_set_t *set)
{
	free(set->v);
	set->v = NULL;
	set->n = 0;
}

bool optdef_is_server_controlled(uint8_t code)
{
	switch (code) {
	case 1: case 12: case 50: case 51: case 53: case 55: case 58: case 59: case 61: case 81:
	case 82: case 118:
		return true;
	default:
		return false;
	}
}

int optdef_encode_hex(const char *data, uint8_t *out, size_t cap)
{
	const char *p = data;

	while (isspace((unsigned char)*p)) {
		p++;
	}
	if (*p == '\0') {
		return 0;
	}
	return hex_parse(p, out, cap);
}

int optdef_encode_fqdn(const char *name, uint8_t *out, size_t cap)
{
	size_t n = 0;
	const char *p = name;

	if (*p == '\0') {
		return -EINVAL;
	}
	/* A lone "." is the root name. */
	if (strcmp(p, ".") == 0) {
		p++;
	}
	while (*p != '\0') {
		const char *dot = strchr(p, '.');
		size_t l = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (l == 0 || l > 63) {
			return -EINVAL;
		}
		if (n + 1 + l > cap) {
			return -ENOSPC;
		}
		out[n++] = (uint8_t)l;
		memcpy(out + n, p, l);
		n += l;
		p += l;
		if (*p == '.') {
			p++;
		}
	}
	if (n + 1 > cap || n + 1 > 255) {
		return n + 1 > 255 ? -EINVAL : -ENOSPC;
	}
	out[n++] = 0;
	return (int)n;
}

/* ---- csv tokenizing ---- */

/* Split @data on unescaped commas; "\," stays a comma in the token. */
static int split_csv(const char *data, char ***ret, size_t *ret_n)
{
	size_t n = 0, cap = 4;
	char **v = calloc(cap, sizeof(*v));
	size_t len = strlen(data);
	char *cur = malloc(len + 1);
	size_t cl = 0;

	if (v == NULL || cur == NULL) {
		free(v);
		free(cur);
		return -ENOMEM;
	}
	for (size_t i = 0;; i++) {
		char c = data[i];
		if (c == '\\' && data[i + 1] == ',') {
			cur[cl++] = ',';
			i++;
			continue;
		}
		if (c == ',' || c == '\0') {
			/* Kea's str::tokens() drops empty tokens ("a,,b" = "a,b";
			 * "" = no token); a blank token survives and is trimmed. */
			if (cl == 0) {
				if (c == '\0') {
					break;
				}
				continue;
			}
			cur[cl] = '\0';
			/* trim */
			char *b = cur;
			while (isspace((unsigned char)*b)) {
				b++;
			}
			size_t bl = strlen(b);
			while (bl > 0 && isspace((unsigned char)b[bl - 1])) {
				b[--bl] = '\0';
			}
			if (n == cap) {
				cap *= 2;
				char **nv = realloc(v, cap * sizeof(*v));
				if (nv == NULL) {
					goto oom;
				}
				v = nv;
			}
			v[n] = strdup(b);
			if (v[n] == NULL) {
				goto oom;
			}
			n++;
			cl = 0;
			if (c == '\0') {
				break;
			}
			continue;
		}
		cur[cl++] = c;
	}
	free(cur);
	*ret = v;
	*ret_n = n;
	return 0;
oom:
	for (size_t i = 0; i < n; i++) {
		free(v[i]);
	}
	free(v);
	free(cur);
	return -ENOMEM;
}

static void free_toks(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i]);
	}
	free(v);
}

static int parse_int(const char *s, int64_t lo, int64_t hi, int64_t *ret)
{
	char *end;
	long long v;

	if (*s == '\0') {
		return -EINVAL;
	}
	errno = 0;
	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ||
	    (s[0] == '-' && s[1] == '0' && (s[2] == 'x' || s[2] == 'X'))) {
		v = strtoll(s, &end, 16);
	} else {
		v = strtoll(s, &end, 10);
	}
	if (errno != 0 || *end != '\0' || v < lo || v > hi) {
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

#define ERR(...) (snprintf(reterr, errsz, __VA_ARGS__), -EINVAL)

/* Encode one field of type @t from token @s; returns bytes written. */
static int encode_field(optdef_type_t t, const char *s, uint8_t *out, size_t cap, char *reterr,
                        size_t errsz)
{
	int64_t v;
	size_t need;

	switch (t) {
	case OPTDEF_BOOLEAN:
		if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0) {
			v = 1;
		} else if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0) {
			v = 0;
		} else {
			return ERR("unable to convert the value '%s' to boolean data type", s);
		}
		need = 1;
		break;
	case OPTDEF_INT8:
		if (parse_int(s, INT8_MIN, INT8_MAX, &v) < 0) {
			return ERR("unable to convert '%s' to numeric type. This value is expected to be in the range of -128..127", s);
		}
		need = 1;
		break;
	case OPTDEF_UINT8:
		if (parse_int(s, 0, UINT8_MAX, &v) < 0) {
			return ERR("unable to convert '%s' to numeric type. This value is expected to be in the range of 0..255", s);
		}
		need = 1;
		break;
	case OPTDEF_INT16:
		if (parse_int(s, INT16_MIN, INT16_MAX, &v) < 0) {
			return ERR("unable to convert '%s' to numeric type. This value is expected to be in the range of -32768..32767", s);
		}
		need = 2;
		break;
	case OPTDEF_UINT16:
		if (parse_int(s, 0, UINT16_MAX, &v) < 0) {
			return ERR("unable to convert '%s' to numeric type. This value is expected to be in the range of 0..65535", s);
		}
		need = 2;
		break;
	case OPTDEF_INT32:
		if (parse_int(s, INT32_MIN, INT32_MAX, &v) < 0) {
			return ERR("unable to convert '%s' to numeric type. This value is expected to be in the range of -2147483648..2147483647", s);
		}
		need = 4;
		break;
	case OPTDEF_UINT32:
		if (parse_int(s, 0, UINT32_MAX, &v) < 0) {
			return ERR("unable to convert '%s' to numeric type. This value is expected to be in the range of 0..4294967295", s);
		}
		need = 4;
		break;
	case OPTDEF_IPV4: {
		uint32_t a;
		if (inaddr_parse(s, &a) < 0) {
			return ERR("Failed to convert string to address '%s': Invalid argument", s);
		}
		v = a;
		need = 4;
		break;
	}
	case OPTDEF_IPV6: {
		if (cap < 16) {
			return -ENOSPC;
		}
		if (inet_pton(AF_INET6, s, out) != 1) {
			return ERR("'%s' is not a valid IPv6 address", s);
		}
		return 16;
	}
	case OPTDEF_IPV6_PREFIX: {
		char buf[64];
		const char *slash = strchr(s, '/');
		uint8_t a6[16];
		int64_t plen;
		if (slash == NULL || (size_t)(slash - s) >= sizeof(buf) ||
		    parse_int(slash + 1, 0, 128, &plen) < 0) {
			return ERR("'%s' is not a valid IPv6 prefix", s);
		}
		memcpy(buf, s, (size_t)(slash - s));
		buf[slash - s] = '\0';
		if (inet_pton(AF_INET6, buf, a6) != 1) {
			return ERR("'%s' is not a valid IPv6 prefix", s);
		}
		size_t nb = (size_t)(plen + 7) / 8;
		if (cap < 1 + nb) {
			return -ENOSPC;
		}
		out[0] = (uint8_t)plen;
		memcpy(out + 1, a6, nb);
		return (int)(1 + nb);
	}
	case OPTDEF_PSID: {
		/* Kea's text form "psid/psid-len" (RFC 7597 §4.5). */
		const char *slash = strchr(s, '/');
		char buf[32];
		int64_t psid, plen;
		if (slash == NULL || (size_t)(slash - s) >= sizeof(buf)) {
			return ERR("'%s' is not a valid PSID (psid/len)", s);
		}
		memcpy(buf, s, (size_t)(slash - s));
		buf[slash - s] = '\0';
		if (parse_int(buf, 0, UINT16_MAX, &psid) < 0 ||
		    parse_int(slash + 1, 0, 16, &plen) < 0 || (plen < 16 && psid >= (1 << plen))) {
			return ERR("'%s' is not a valid PSID (psid/len)", s);
		}
		if (cap < 3) {
			return -ENOSPC;
		}
		uint16_t w = plen == 0 ? 0 : (uint16_t)(psid << (16 - plen));
		out[0] = (uint8_t)plen;
		out[1] = (uint8_t)(w >> 8);
		out[2] = (uint8_t)w;
		return 3;
	}
	case OPTDEF_FQDN: {
		int r = optdef_encode_fqdn(s, out, cap);
		if (r == -EINVAL) {
			return ERR("'%s' is not a valid domain name", s);
		}
		return r;
	}
	case OPTDEF_STRING: {
		size_t l = strlen(s);
		if (l == 0) {
			return ERR("no option value specified");
		}
		if (l > cap) {
			return -ENOSPC;
		}
		memcpy(out, s, l);
		return (int)l;
	}
	case OPTDEF_TUPLE: {
		size_t l = strlen(s);
		if (l > 255) {
			return ERR("tuple '%s' longer than 255 bytes", s);
		}
		if (l + 1 > cap) {
			return -ENOSPC;
		}
		out[0] = (uint8_t)l;
		memcpy(out + 1, s, l);
		return (int)(l + 1);
	}
	case OPTDEF_BINARY: {
		int r = optdef_encode_hex(s, out, cap);
		if (r == -EINVAL) {
			return ERR("unable to cast %s to binary data type", s);
		}
		return r;
	}
	default:
		return ERR("attempt to write invalid option data field type into the option buffer");
	}
	if (cap < need) {
		return -ENOSPC;
	}
	uint32_t u = (uint32_t)v;
	for (size_t i = 0; i < need; i++) {
		out[i] = (uint8_t)(u >> (8 * (need - 1 - i)));
	}
	return (int)need;
}

int optdef_encode_csv(const optdef_t *def, const char *data, uint8_t *out, size_t cap,
                      char *reterr, size_t errsz)
{
	char **toks = NULL;
	size_t n = 0, used = 0;
	int r;

	if (cap > 65535) {
		cap = 65535;
	}
	reterr[0] = '\0';
	if (def->type == OPTDEF_EMPTY) {
		/* Kea: no data at all is fine (the payload is the encapsulated
		 * sub-options), any csv value is refused. */
		if (data[0] != '\0') {
			return ERR("attempt to write invalid option data field type into the option buffer: 0");
		}
		return 0;
	}
	r = split_csv(data, &toks, &n);
	if (r < 0) {
		return r;
	}
	if (def->type == OPTDEF_RECORD) {
		size_t nf = def->n_fields;
		/* Kea: too few values is an error, extra values of a non-array
		 * record are ignored. */
		if (nf == 0 || n < nf) {
			free_toks(toks, n);
			return ERR("number of data fields for the option type '%u' is greater than number of values provided", def->code);
		}
		size_t use = def->array ? n : nf;
		for (size_t i = 0; i < use; i++) {
			optdef_type_t t = def->fields[i < nf ? i : nf - 1];
			r = encode_field(t, toks[i], out + used, cap - used, reterr, errsz);
			if (r < 0) {
				break;
			}
			used += (size_t)r;
		}
	} else if (def->array) {
		/* An empty data string gives an empty array (Kea 2.2 accepts it). */
		for (size_t i = 0; i < n; i++) {
			r = encode_field(def->type, toks[i], out + used, cap - used, reterr, errsz);
			if (r < 0) {
				break;
			}
			used += (size_t)r;
		}
	} else if (n == 0) {
		r = ERR("no option value specified");
	} else {
		/* Kea writes only the first value of a scalar option ("a,b" -> "a"). */
		r = encode_field(def->type, toks[0], out, cap, reterr, errsz);
		if (r >= 0) {
			used = (size_t)r;
		}
	}
	free_toks(toks, n);
	if (r == -ENOSPC && reterr[0] == '\0') {
		snprintf(reterr, errsz, "option data too long");
	}
	return r < 0 ? r : (int)used;
}
