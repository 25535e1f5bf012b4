/* Argument checks that answer with the texts of Kea's SimpleParser, IOAddress
 * and Element::str(), shared by the lease and stat commands. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg/cfg-json.h"
#include "ctl/ctl-int.h"
#include "util/inaddr.h"

json_t *ctl_arg_uint(json_t *args, const char *key, json_int_t max, json_int_t *ret)
{
	json_t *v = json_object_get(args, key);

	if (!json_is_integer(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "invalid type specified for parameter '%s'", key);
	}
	json_int_t n = json_integer_value(v);
	if (n < 0 || n > max) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "out of range value (%lld) specified for parameter '%s'",
		                  (long long)n, key);
	}
	*ret = n;
	return NULL;
}

int ctl_addr_parse(const char *s, uint32_t *ret, char v6[INET6_ADDRSTRLEN])
{
	struct in6_addr a6;

	if (inaddr_parse(s, ret) == 0) {
		return 4;
	}
	if (inet_pton(AF_INET6, s, &a6) == 1) {
		inet_ntop(AF_INET6, &a6, v6, INET6_ADDRSTRLEN);
		return 6;
	}
	return 0;
}

/* Kea's isc::data::prettyPrint(): maps one key a line (sorted), lists of
 * scalars on one line, lists of maps or lists one element a line. */
static void kea_pretty(FILE *f, const json_t *v, unsigned indent)
{
	size_t i, n;
	json_t *x;

	if (json_is_array(v) && json_array_size(v) == 0) {
		fputs("[ ]", f);
	} else if (json_is_array(v) && !json_is_object(json_array_get(v, 0)) &&
	           !json_is_array(json_array_get(v, 0))) {
		cfg_json_kea_write(f, v);
	} else if (json_is_array(v)) {
		fputs("[\n", f);
		json_array_foreach((json_t *)v, i, x)
		{
			fprintf(f, "%s%*s", i > 0 ? ",\n" : "", (int)indent + 2, "");
			kea_pretty(f, x, indent + 2);
		}
		fprintf(f, "\n%*s]", (int)indent, "");
	} else if (json_is_object(v) && (n = json_object_size(v)) > 0) {
		_cleanup_free_ const char **keys = calloc(n, sizeof(*keys));
		const char *key;
		size_t k = 0;

		if (keys == NULL) {
			return;
		}
		json_object_foreach((json_t *)v, key, x)
		{
			keys[k++] = key;
		}
		qsort(keys, k, sizeof(*keys), cfg_json_strcmpp);
		fputs("{\n", f);
		for (i = 0; i < k; i++) {
			fprintf(f, "%s%*s", i > 0 ? ",\n" : "", (int)indent + 2, "");
			cfg_json_write_string(f, keys[i], strlen(keys[i]));
			fputs(": ", f);
			kea_pretty(f, json_object_get(v, keys[i]), indent + 2);
		}
		fprintf(f, "\n%*s}", (int)indent, "");
	} else if (json_is_object(v)) {
		fputs("{ }", f);
	} else {
		cfg_json_kea_write(f, v);
	}
}

char *ctl_kea_pretty(const json_t *v)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL) {
		return NULL;
	}
	kea_pretty(f, v, 0);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static int hexdigit(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Kea's str::decodeFormattedHexString(): ':'-separated, else ' '-separated
 * groups of 1 or 2 digits, else a run of digits (odd: a leading 0 implied,
 * optional 0x). The byte count, or -1. */
static int decode_formatted(const char *s, uint8_t *out, size_t cap)
{
	char sep = strchr(s, ':') != NULL ? ':' : strchr(s, ' ') != NULL ? ' ' : 0;
	size_t n = 0;

	if (sep != 0) {
		for (const char *p = s;; p++) {
			const char *e = strchr(p, sep);
			size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
			int hi = len >= 1 ? hexdigit(p[0]) : -1, lo = len == 2 ? hexdigit(p[1]) : 0;

			if (len < 1 || len > 2 || hi < 0 || lo < 0 || n >= cap) {
				return -1;
			}
			out[n++] = (uint8_t)(len == 2 ? hi * 16 + lo : hi);
			if (e == NULL) {
				return (int)n;
			}
			p = e;
		}
	}
	size_t len = strlen(s);
	bool odd = len % 2 != 0;
	if (len > 2 && s[0] == '0' && s[1] == 'x') {
		s += 2;
		len -= 2;
	}
	for (size_t i = 0; i < len;) {
		int hi = odd && i == 0 ? 0 : hexdigit(s[i++]);
		int lo = i < len ? hexdigit(s[i++]) : -1;

		if (hi < 0 || lo < 0 || n >= cap) {
			return -1;
		}
		out[n++] = (uint8_t)(hi * 16 + lo);
	}
	return (int)n;
}

json_t *ctl_client_id_parse(const char *s, uint8_t *out, size_t cap, size_t *ret_len)
{
	int n = decode_formatted(s, out, cap);

	if (n < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'%s' is not a valid string of hexadecimal digits", s);
	}
	if (n == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Empty DUIDs are not allowed");
	}
	if (n < 2) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "client-id is too short (%d), at least 2 is required", n);
	}
	*ret_len = (size_t)n;
	return NULL;
}

json_t *ctl_hwaddr_parse(const char *s, uint8_t *out, size_t cap, size_t *ret_len)
{
	/* Kea's HWAddr::fromText(): split at ':', pad 1-digit tokens with 0,
	 * refuse empty tokens and tokens over 2 digits, then decode the hex. */
	_cleanup_free_ char *joined = malloc(2 * strlen(s) + 1);
	bool many = strchr(s, ':') != NULL;
	size_t j = 0;

	if (joined == NULL) {
		return NULL;
	}
	for (const char *p = s;; p++) {
		const char *e = strchr(p, ':');
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		if (many && len == 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "two consecutive separators (':') specified in a decoded "
			                  "string '%s'",
			                  s);
		}
		if (len > 2) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "invalid format of the decoded string '%s'", s);
		}
		if (len == 1) {
			joined[j++] = '0';
		}
		memcpy(joined + j, p, len);
		j += len;
		if (e == NULL) {
			break;
		}
		p = e;
	}
	joined[j] = '\0';
	for (size_t i = 0; i < j; i++) {
		if (hexdigit(joined[i]) < 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "'%c' is not a valid hexadecimal digit in decoded string "
			                  "'%s'",
			                  joined[i], joined);
		}
	}
	if (j / 2 > cap || j / 2 > 20) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "address vector size exceeds MAX_HWADDR_LEN");
	}
	for (size_t i = 0; i < j; i += 2) {
		out[i / 2] = (uint8_t)(hexdigit(joined[i]) * 16 + hexdigit(joined[i + 1]));
	}
	*ret_len = j / 2;
	return NULL;
}

json_t *ctl_duid_parse(const char *s, uint8_t *out, size_t cap, size_t *ret_len)
{
	int n = decode_formatted(s, out, cap);

	if (n < 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "'%s' is not a valid string of hexadecimal digits", s);
	}
	if (n == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Empty DUIDs are not allowed");
	}
	*ret_len = (size_t)n;
	return NULL;
}

static const char *const key_type_names[] = {
        [CTL_KEY_ADDR] = "address",
        [CTL_KEY_HWADDR] = "hw-address",
        [CTL_KEY_DUID] = "duid",
        [CTL_KEY_CLIENT_ID] = "client-id",
};

json_t *ctl_lease_key_parse(json_t *args, int fam, const char *verb, ctl_lease_key_t *ret)
{
	json_t *v = json_object_get(args, "ip-address");
	json_t *err = NULL;
	char v6[INET6_ADDRSTRLEN];

	memset(ret, 0, sizeof(*ret));
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Parameters missing or are not a map.");
	}
	if (v != NULL) {
		if (!json_is_string(v)) {
			return ctl_answer(CTL_RESULT_ERROR, NULL, "'ip-address' is not a string.");
		}
		const char *s = json_string_value(v);
		int got = ctl_addr_parse(s, &ret->addr, v6);
		if (got == 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "Failed to convert string to address '%s': Invalid argument",
			                  s);
		}
		if (got != fam) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "Invalid IPv%d address specified: %s", fam, s);
		}
		ret->type = CTL_KEY_ADDR;
		return NULL;
	}
	json_t *sid = json_object_get(args, "subnet-id");
	json_t *t = json_object_get(args, "identifier-type");
	json_t *id = json_object_get(args, "identifier");
	if (sid == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Mandatory 'subnet-id' parameter missing.");
	}
	if (!json_is_integer(sid)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'subnet-id' parameter is not integer.");
	}
	if (!json_is_string(t)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "No 'ip-address' provided and "
		                  "'identifier-type' is either missing or not a string.");
	}
	if (!json_is_string(id)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "No 'ip-address' provided and "
		                  "'identifier' is either missing or not a string.");
	}
	const char *ts = json_string_value(t), *is = json_string_value(id);
	ret->type = -1;
	for (size_t i = 0; i < ARRAY_SIZE(key_type_names); i++) {
		if (strcmp(ts, key_type_names[i]) == 0) {
			ret->type = (int)i;
		}
	}
	switch (ret->type) {
	case CTL_KEY_HWADDR:
		err = ctl_hwaddr_parse(is, ret->id, sizeof(ret->id), &ret->id_len);
		break;
	case CTL_KEY_CLIENT_ID:
		err = ctl_client_id_parse(is, ret->id, sizeof(ret->id), &ret->id_len);
		break;
	case CTL_KEY_DUID:
		err = ctl_duid_parse(is, ret->id, sizeof(ret->id), &ret->id_len);
		break;
	default:
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "Incorrect identifier type: %s, the only supported values are: "
		                  "address, hw-address, duid",
		                  ts);
	}
	if (err != NULL) {
		return err;
	}
	/* the handler's check: v4 has no DUID lookups, v6 only DUID ones */
	if ((fam == 4) == (ret->type == CTL_KEY_DUID)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "%s by %s is not allowed in v%d.", verb, ts,
		                  fam);
	}
	json_int_t sv = json_integer_value(sid);
	ret->subnet_ok = sv >= 0 && sv <= UINT32_MAX; /* else Kea's SubnetID cast: no match */
	ret->subnet_id = (uint32_t)sv;
	return NULL;
}

json_t *ctl_page_args(json_t *args, int fam, uint32_t *ret_after, uint32_t *ret_limit)
{
	char v6[INET6_ADDRSTRLEN];

	*ret_after = 0;
	if (args == NULL || json_is_null(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "no parameters specified for the lease%d-get-page command", fam);
	}
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "get(string) called on a non-map Element in");
	}
	json_t *from = json_object_get(args, "from");
	if (from == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'from' parameter not specified");
	}
	if (!json_is_string(from)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'from' parameter must be a string");
	}
	const char *fs = json_string_value(from);
	if (strcmp(fs, "start") != 0) {
		int got = ctl_addr_parse(fs, ret_after, v6);

		if (got == 0) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "'from' parameter value is neither 'start' keyword nor a "
			                  "valid IPv%d address",
			                  fam);
		}
		if (got != fam) {
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "'from' parameter value %s is not an IPv%d address",
			                  got == 6 ? v6 : fs, fam);
		}
	}
	json_t *lim = json_object_get(args, "limit");
	if (lim == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'limit' parameter not specified");
	}
	if (!json_is_integer(lim)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'limit' parameter must be a number");
	}
	/* Kea: static_cast<size_t>(intValue()) into LeasePageSize */
	uint64_t limit = (uint64_t)json_integer_value(lim);
	if (limit == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "page size of retrieved leases must not be 0");
	}
	if (limit > UINT32_MAX) {
		return ctl_answer(CTL_RESULT_ERROR, NULL,
		                  "page size of retrieved leases must not be greater than %u",
		                  UINT32_MAX);
	}
	*ret_limit = (uint32_t)limit;
	return NULL;
}

json_t *ctl_subnets_arg(json_t *args, uint32_t **ret_ids, size_t *ret_n)
{
	size_t i;
	json_t *v;

	*ret_ids = NULL;
	*ret_n = 0;
	if (args == NULL) {
		return NULL;
	}
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "get(string) called on a non-map Element in");
	}
	json_t *subnets = json_object_get(args, "subnets");
	if (subnets == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'subnets' parameter not specified");
	}
	if (!json_is_array(subnets)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'subnets' parameter must be a list");
	}
	uint32_t *ids = calloc(json_array_size(subnets) + 1, sizeof(*ids));
	if (ids == NULL) {
		return NULL;
	}
	json_array_foreach(subnets, i, v)
	{
		if (!json_is_integer(v)) {
			free(ids);
			return ctl_answer(CTL_RESULT_ERROR, NULL,
			                  "listed subnet identifiers must be numbers");
		}
		ids[i] = (uint32_t)json_integer_value(v);
	}
	*ret_ids = ids;
	*ret_n = json_array_size(subnets);
	return NULL;
}

json_t *ctl_get_by_arg(json_t *args, const char *key, const char **ret)
{
	if (!json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Command arguments missing or a not a map.");
	}
	json_t *v = json_object_get(args, key);
	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'%s' parameter not specified", key);
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'%s' parameter must be a string", key);
	}
	*ret = json_string_value(v);
	if (strcmp(key, "hostname") == 0 && **ret == '\0') {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'hostname' parameter is empty");
	}
	return NULL;
}

json_t *ctl_resend_ddns(json_t *args, int fam)
{
	char v6[INET6_ADDRSTRLEN];
	uint32_t a4;

	if (!json_is_object(args)) {
		/* Kea 2.2 aborts on a missing "arguments" here; answer as for a list */
		return ctl_answer(CTL_RESULT_ERROR, NULL, "get(string) called on a non-map Element in");
	}
	json_t *v = json_object_get(args, "ip-address");
	if (v == NULL) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'ip-address' parameter is missing.");
	}
	if (!json_is_string(v)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'ip-address' is not a string.");
	}
	int got = ctl_addr_parse(json_string_value(v), &a4, v6);
	if (got == 0) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "'%s' is not a valid IP address.",
		                  json_string_value(v));
	}
	if (got != fam) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "Invalid IPv%d address specified: %s", fam,
		                  json_string_value(v));
	}
	/* lessor has no DHCP-DDNS client */
	return ctl_answer(CTL_RESULT_ERROR, NULL, "DDNS updating is not enabled");
}
