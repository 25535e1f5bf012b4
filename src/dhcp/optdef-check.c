/* Option data given as hex (csv-format false) checked against its option
 * definition the way Kea 2.2 builds the option from it
 * (OptionDefinition::optionFactory()): the class Kea picks for a type decides
 * what is too short and which words the error has. Every rule and text here
 * was read off `kea-dhcp4 -t` on such configurations (tests/system/
 * test_differential.py CHECKS "hex-*"). Trailing bytes past what a type
 * needs are ignored, as Kea ignores them. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dhcp/optdef.h"

typedef struct chk {
	const uint8_t *p;
	size_t len, pos;
	uint8_t code;
	char *err;
	size_t errsz;
} chk_t;

static int fail(chk_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(chk_t *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errsz, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static size_t rest(const chk_t *c)
{
	return c->len - c->pos;
}

/* Length of one label byte in Name::toText(): special characters get a
 * backslash, unprintable ones \DDD. */
static size_t text_len(uint8_t ch)
{
	if (ch <= 0x20 || ch >= 0x7f) {
		return 4;
	}
	switch (ch) {
	case '.': case '\\': case '"': case '(': case ')': case ';': case '$': case '@':
		return 2;
	default:
		return 1;
	}
}

/* One DNS wire-format name at p[at..] as isc::dns::Name(InputBuffer) reads
 * it: a compression pointer must point before where the name (or the last
 * pointer) started, within @p. Stores in @txt the length of its text form
 * ("abc." 4, root "." 1) and in @used the bytes it takes at @at. */
static int read_name(chk_t *c, const uint8_t *p, size_t len, size_t at, size_t *txt, size_t *used)
{
	size_t pos = at, limit = at, t = 0;
	bool jumped = false;

	for (;;) {
		if (pos >= len) {
			return fail(c, "incomplete wire-format name");
		}
		uint8_t l = p[pos];
		if (l == 0) {
			if (!jumped) {
				*used = pos + 1 - at;
			}
			*txt = t == 0 ? 1 : t;
			return 0;
		}
		if (l >= 0xc0) {
			if (pos + 1 >= len) {
				return fail(c, "incomplete wire-format name");
			}
			size_t to = (size_t)(l & 0x3f) << 8 | p[pos + 1];
			if (to >= limit) {
				return fail(c, "bad compression pointer (out of range): %zu", to);
			}
			if (!jumped) {
				*used = pos + 2 - at;
			}
			jumped = true;
			limit = pos = to;
			continue;
		}
		if (l > 63) {
			return fail(c, "unknown label character: %u", l);
		}
		if (pos + 1 + l > len) {
			return fail(c, "incomplete wire-format name");
		}
		for (size_t i = 0; i < l; i++) {
			t += text_len(p[pos + 1 + i]);
		}
		t++;
		pos += 1 + (size_t)l;
	}
}

/* An FQDN field of OptionCustom: read from a copy of the remaining bytes
 * (so no pointer is valid), and it takes "text length + 1" bytes, which for
 * the root name is 2, one more than its wire form. */
static int custom_fqdn(chk_t *c)
{
	size_t txt, used;

	if (rest(c) == 0) {
		return fail(c, "unable to read FQDN from a buffer. The buffer is empty.");
	}
	if (read_name(c, c->p + c->pos, rest(c), 0, &txt, &used) < 0) {
		return -EINVAL;
	}
	if (rest(c) < txt + 1) {
		return fail(c, "option buffer truncated");
	}
	c->pos += txt + 1;
	return 0;
}

static int custom_tuple(chk_t *c)
{
	if (rest(c) == 0) {
		return fail(c, "unable to read data from the buffer as tuple (length). Invalid buffer size: 0");
	}
	uint8_t l = c->p[c->pos];
	if (rest(c) < 1 + (size_t)l) {
		return fail(c, "unable to read data from the buffer as tuple (length %u). Invalid buffer size: %zu",
		            l, rest(c));
	}
	c->pos += 1 + (size_t)l;
	return 0;
}

static int custom_prefix(chk_t *c)
{
	if (rest(c) == 0) {
		return fail(c, "option buffer truncated");
	}
	uint8_t bits = c->p[c->pos];
	if (rest(c) < 1 + ((size_t)bits + 7) / 8) {
		return fail(c, "unable to read a prefix having length of %u from a truncated buffer", bits);
	}
	c->pos += 1 + ((size_t)bits + 7) / 8;
	return 0;
}

/* One value of OptionCustom (a record field, or the whole of a single-value
 * option). A prefix field of a record may be absent (Kea 2.2 accepts it). */
static int custom_value(chk_t *c, optdef_type_t t, bool in_record)
{
	size_t fl = optdef_type_fixed_len(t);

	if (fl > 0) {
		if (rest(c) < fl) {
			return fail(c, "option buffer truncated");
		}
		c->pos += fl;
		return 0;
	}
	switch (t) {
	case OPTDEF_FQDN:
		return custom_fqdn(c);
	case OPTDEF_TUPLE:
		return custom_tuple(c);
	case OPTDEF_IPV6_PREFIX:
		return in_record && rest(c) == 0 ? 0 : custom_prefix(c);
	default: /* string, binary: the rest */
		c->pos = c->len;
		return 0;
	}
}

/* A record: every field once; with "array" the last field repeats while
 * whole values fit (Kea 2.2 repeats only the last field). */
static int custom_record(chk_t *c, const optdef_t *d)
{
	for (size_t i = 0; i < d->n_fields; i++) {
		if (custom_value(c, d->fields[i], true) < 0) {
			return -EINVAL;
		}
	}
	size_t fl = d->n_fields > 0 ? optdef_type_fixed_len(d->fields[d->n_fields - 1]) : 0;
	while (d->array && fl > 0 && rest(c) >= fl) {
		c->pos += fl;
	}
	return 0;
}

/* A list of FQDNs (119 domain-search and the like): one name after the
 * other in one buffer, so a pointer back to an earlier name is valid; a
 * name that does not fit its text size ends the list. */
static int fqdn_list(chk_t *c)
{
	if (c->len == 0) {
		return fail(c, "FQDN list option has invalid length of 0");
	}
	while (c->pos < c->len) {
		size_t txt, used;
		if (read_name(c, c->p, c->len, c->pos, &txt, &used) < 0) {
			return -EINVAL;
		}
		if (rest(c) < txt + 1) {
			break;
		}
		c->pos += txt + 1;
	}
	return 0;
}

/* One length-prefixed tuple of OptionOpaqueDataTuples / OptionVendorClass
 * (OpaqueDataTuple::unpack()); @c is at its length byte. */
static int opaque_tuple(chk_t *c)
{
	uint8_t l = c->p[c->pos++];

	if (rest(c) < l) {
		return fail(c, "unable to parse the opaque data tuple, the buffer length is %zu, but the tuple length is %u",
		            rest(c), l);
	}
	c->pos += l;
	return 0;
}

/* OptionOpaqueDataTuples (array of tuple). */
static int tuple_list(chk_t *c)
{
	if (c->len < 2) {
		return fail(c, "parsed data tuples option data truncated to size %zu", c->len);
	}
	while (c->pos < c->len) {
		if (opaque_tuple(c) < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

static int custom_array(chk_t *c, optdef_type_t t)
{
	size_t fl = optdef_type_fixed_len(t);

	if (t == OPTDEF_FQDN) {
		return fqdn_list(c);
	}
	if (t == OPTDEF_TUPLE) {
		return tuple_list(c);
	}
	if (fl > 0) {
		return c->len < fl ? fail(c, "option buffer truncated") : 0;
	}
	while (t == OPTDEF_IPV6_PREFIX && c->pos < c->len) {
		if (custom_prefix(c) < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

/* 124: enterprise id, a tuple, then (enterprise id, tuple) pairs
 * (Kea 2.2 OptionVendorClass). */
static int vivco(chk_t *c)
{
	if (c->len < 4) {
		return fail(c, "parsed Vendor Class option data truncated to size %zu", c->len);
	}
	for (c->pos = 4; c->pos < c->len;) {
		if (c->pos > 4) {
			if (rest(c) < 5) {
				return fail(c, "truncated DHCPv4 V-I Vendor Class option - it should contain enterprise id followed by opaque data field tuple");
			}
			c->pos += 4;
		}
		if (opaque_tuple(c) < 0) {
			return -EINVAL;
		}
	}
	return 0;
}

/* 125: enterprise id, data-len, sub-options within data-len; Kea 2.2 reads
 * the first block only (OptionVendor, LibDHCP::unpackVendorOptions4()). */
static int vivso(chk_t *c)
{
	if (c->len < 4) {
		return fail(c, "Truncated vendor-specific information option, length=%zu", c->len);
	}
	const uint8_t *b = c->p + 4;
	size_t n = c->len - 4, off = 0;
	if (n == 0) {
		return 0;
	}
	size_t end = 1 + (size_t)b[off++];
	if (end > n) {
		return fail(c, "Attempt to parse truncated vendor option");
	}
	while (off < end) {
		uint8_t code = b[off++];
		if (off + 1 > end) {
			return fail(c, "Attempt to parse truncated vendor option %u", code);
		}
		uint8_t l = b[off++];
		if (off + l > end) {
			return fail(c, "Option parse failed. Tried to parse %zu bytes from %zu-byte long buffer.",
			            off + l, n);
		}
		off += l;
	}
	return 0;
}

/* 81 (Option4ClientFqdn): flags, rcode1, rcode2, then the name, in wire
 * format when the E flag is set (a name without its root label is a partial
 * name), as text otherwise. */
static int client_fqdn(chk_t *c)
{
	static const char pre[] = "failed to parse the domain-name in DHCPv4 Client FQDN Option: ";
	uint8_t name[256];
	size_t n = c->len - 3, txt, used;

	if (c->len < 3) {
		return fail(c, "DHCPv4 Client FQDN Option (81) is truncated");
	}
	if (n == 0 || n >= sizeof(name)) {
		return 0;
	}
	memcpy(name, c->p + 3, n);
	if ((c->p[0] & 0x04) == 0) {
		for (size_t i = 0; i + 1 < n; i++) {
			if (name[i] == '.' && name[i + 1] == '.') {
				return fail(c, "%sduplicate period in %.*s", pre, (int)n, (const char *)name);
			}
		}
		return 0;
	}
	if (name[n - 1] != 0) {
		name[n++] = 0;
	}
	if (read_name(c, name, n, 0, &txt, &used) < 0) {
		char inner[128];
		snprintf(inner, sizeof(inner), "%s", c->err);
		return fail(c, "%s%s", pre, inner);
	}
	return 0;
}

/* Options with their own class in Kea (factorySpecialFormatOption()), dhcp4
 * space only: 1 when @c was one of them (its verdict in @r). */
static int special(chk_t *c, const optdef_t *d, int *r)
{
	if (d->space[0] != '\0') {
		return 0;
	}
	switch (d->code) {
	case 79:
		if (c->len == 0) {
			*r = fail(c, "SLP Service Scope option (79) truncated");
		} else if (c->p[0] > 1) {
			*r = fail(c, "unable to read the buffer as boolean value. Invalid value %u", c->p[0]);
		} else {
			*r = 0;
		}
		return 1;
	case 81:
		*r = client_fqdn(c);
		return 1;
	case 124:
		*r = vivco(c);
		return 1;
	case 125:
		*r = vivso(c);
		return 1;
	default:
		return 0;
	}
}

/* Types Kea builds with a class of their own (OptionInt, OptionIntArray,
 * Option4AddrLst, Option6AddrLst, OptionString); 1 when @d is one. */
static int own_class(chk_t *c, const optdef_t *d, int *r)
{
	size_t fl = optdef_type_fixed_len(d->type);

	switch (d->type) {
	case OPTDEF_INT8: case OPTDEF_INT16: case OPTDEF_INT32:
	case OPTDEF_UINT8: case OPTDEF_UINT16: case OPTDEF_UINT32:
		if (d->array && c->len == 0) {
			*r = fail(c, "option %u empty", d->code);
		} else if (d->array && c->len % fl != 0) {
			*r = fail(c, "OptionIntArray %u truncated", d->code);
		} else {
			*r = !d->array && c->len < fl ? fail(c, "OptionInt %u truncated", d->code) : 0;
		}
		return 1;
	case OPTDEF_IPV4:
	case OPTDEF_IPV6:
		if (!d->array) {
			return 0;
		}
		if (c->len % fl == 0) {
			*r = 0;
		} else if (fl == 4) {
			*r = fail(c, "DHCPv4 Option4AddrLst %u has invalid length=%zu, must be divisible by 4.",
			          d->code, c->len);
		} else {
			*r = fail(c, "Option %u malformed: len=%zu is not divisible by 16.", d->code, c->len);
		}
		return 1;
	case OPTDEF_STRING: {
		size_t n = c->len;
		while (n > 0 && c->p[n - 1] == 0) {
			n--;
		}
		*r = n == 0 ? fail(c, "failed to parse an option '%u' holding string value' was empty or contained only nuls",
		                   d->code) : 0;
		return 1;
	}
	case OPTDEF_EMPTY:
	case OPTDEF_BINARY:
		*r = 0;
		return 1;
	default:
		return 0;
	}
}

int optdef_check_wire(const optdef_t *def, const uint8_t *data, size_t len, char *err, size_t errsz)
{
	chk_t c = { .p = data, .len = len, .code = def->code, .err = err, .errsz = errsz };
	int r = 0;

	if (special(&c, def, &r) || own_class(&c, def, &r)) {
		return r;
	}
	if (def->type == OPTDEF_RECORD) {
		return custom_record(&c, def);
	}
	return def->array ? custom_array(&c, def->type) : custom_value(&c, def->type, false);
}
