/* Option access for the expression evaluator: finding options and sub-options in
 * a parsed packet as Kea 2.2 parses them, and rendering option values as text the
 * way Kea's TokenOption does. */
#include "class/eval-int.h"
#include "dhcp/optdef.h"
#include "dhcp/proto.h"
#include "util/macro.h"
#include "util/wire.h"

/* Find sub-option @code in a TLV list (option 82, option[N].option[M], the
 * sub-options of 125). Inside an encapsulated space Kea 2.2 gives codes 0
 * and 255 no PAD/END meaning: they are sub-options with a length byte
 * (checked with kea-dhcp4 2.2: relay4[2] after a 0 byte is not found). A
 * truncated entry ends the list, keeping what came before, as Kea's partial
 * parse does. The first instance wins. */
bool ev_tlv_find(const uint8_t *p, size_t n, uint8_t code, const uint8_t **ret_p, size_t *ret_n)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = p[i];

		if (n - i < 2 || p[i + 1] > n - i - 2) {
			return false;
		}
		if (c == code) {
			*ret_p = p + i + 2;
			*ret_n = p[i + 1];
			return true;
		}
		i += 2 + (size_t)p[i + 1];
	}
	return false;
}

bool ev_opt_get(const pkt4_t *pkt, uint8_t code, const uint8_t **ret_p, size_t *ret_n)
{
	const opt_view_t *v = &pkt->opts[code];

	if (v->count == 0) {
		return false;
	}
	const uint8_t *p = v->data != NULL ? v->data : s_empty;
	size_t n = v->data != NULL ? v->len : 0;

	/* OptionString::unpack trims trailing NULs; toBinary() and toString()
	 * both see the trimmed value. */
	if (class_opt_is_string(code)) {
		while (n > 0 && p[n - 1] == 0) {
			n--;
		}
	}
	*ret_p = p;
	*ret_n = n;
	return true;
}

/* Option::headerToText(0): "type=077, len=007" (3-digit fields for v4). */
static size_t fmt_header(uint8_t *o, uint8_t code, size_t n)
{
	size_t k = 5;

	memcpy(o, "type=", 5);
	o[k++] = (uint8_t)('0' + code / 100);
	o[k++] = (uint8_t)('0' + code / 10 % 10);
	o[k++] = (uint8_t)('0' + code % 10);
	memcpy(o + k, ", len=", 6);
	k += 6;
	if (n >= 1000) {
		char tmp[8];
		int d = 0;
		size_t v = n;
		while (v > 0) {
			tmp[d++] = (char)('0' + v % 10);
			v /= 10;
		}
		while (d > 0) {
			o[k++] = (uint8_t)tmp[--d];
		}
	} else {
		o[k++] = (uint8_t)('0' + n / 100);
		o[k++] = (uint8_t)('0' + n / 10 % 10);
		o[k++] = (uint8_t)('0' + n % 10);
	}
	o[k++] = ':';
	return k;
}

/* Integer option types (Kea's OptionInt), 0 for the others. */
static size_t int_type_size(optdef_type_t t)
{
	bool is_int = t == OPTDEF_INT8 || t == OPTDEF_UINT8 || t == OPTDEF_INT16 ||
	              t == OPTDEF_UINT16 || t == OPTDEF_INT32 || t == OPTDEF_UINT32;

	return is_int ? optdef_type_fixed_len(t) : 0;
}

static int64_t int_value(optdef_type_t t, const uint8_t *p)
{
	switch (t) {
	case OPTDEF_INT8:
		return (int8_t)p[0];
	case OPTDEF_UINT8:
		return p[0];
	case OPTDEF_INT16:
		return (int16_t)be16_load(p);
	case OPTDEF_UINT16:
		return be16_load(p);
	case OPTDEF_INT32:
		return (int32_t)be32_load(p);
	default:
		return be32_load(p);
	}
}

static size_t fmt_str(uint8_t *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return n;
}

static size_t fmt_ipv4(uint8_t *o, const uint8_t *p)
{
	size_t k = 0;

	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			o[k++] = '.';
		}
		k += ev_fmt_i64(o + k, p[i]);
	}
	return k;
}

/* Kea's toText(0) for standard options with a typed class, checked with
 * kea-dhcp4 2.2: OptionInt "type=051, len=004: 3600 (uint32)", OptionIntArray
 * "type=055, len=004: 1(uint8) 3(uint8)", Option4AddrLst "type=003,
 * len=008: 10.0.0.1 10.0.0.2", OptionCustom (single ipv4-address, boolean)
 * "type=050, len=004: 10.0.1.5 (ipv4-address)". Returns the length written
 * at @o (room for 32 + 24 * n bytes), or 0 when the option has no such
 * class or a malformed payload (the generic form is used then). */
static size_t fmt_typed_text(uint8_t *o, uint8_t code, const uint8_t *p, size_t n)
{
	const optdef_t *def = optdef_std_by_code(code);
	size_t sz, k;

	if (def == NULL || n == 0) {
		return 0;
	}
	sz = int_type_size(def->type);
	if (sz > 0 && !def->array && n == sz) {
		k = fmt_header(o, code, n);
		o[k++] = ' ';
		k += ev_fmt_i64(o + k, int_value(def->type, p));
		o[k++] = ' ';
		o[k++] = '(';
		k += fmt_str(o + k, optdef_type_to_string(def->type));
		o[k++] = ')';
		return k;
	}
	if (sz > 0 && def->array && n % sz == 0) {
		k = fmt_header(o, code, n);
		for (size_t i = 0; i < n; i += sz) {
			o[k++] = ' ';
			k += ev_fmt_i64(o + k, int_value(def->type, p + i));
			o[k++] = '(';
			k += fmt_str(o + k, optdef_type_to_string(def->type));
			o[k++] = ')';
		}
		return k;
	}
	if (def->type == OPTDEF_IPV4 && def->array && n % 4 == 0) {
		k = fmt_header(o, code, n);
		for (size_t i = 0; i < n; i += 4) {
			o[k++] = ' ';
			k += fmt_ipv4(o + k, p + i);
		}
		return k;
	}
	if (def->type == OPTDEF_IPV4 && !def->array && n == 4) {
		k = fmt_header(o, code, n);
		o[k++] = ' ';
		k += fmt_ipv4(o + k, p);
		k += fmt_str(o + k, " (ipv4-address)");
		return k;
	}
	if (def->type == OPTDEF_BOOLEAN && !def->array && n == 1 && p[0] <= 1) {
		k = fmt_header(o, code, n);
		k += fmt_str(o + k, p[0] ? " true (boolean)" : " false (boolean)");
		return k;
	}
	return 0;
}

/* Option::toText(0) for an option without a specialised class:
 * "type=077, len=007: 57:31:30". @typed: try the typed forms first (only for
 * top-level standard options; sub-options are binary unless noted). */
static bool push_generic_text(ev_t *ev, uint8_t code, const uint8_t *p, size_t n, bool typed)
{
	uint8_t *o = ev->top;
	size_t k;

	if (typed && 32 + 24 * n <= heap_left(ev)) {
		k = fmt_typed_text(o, code, p, n);
		if (k > 0) {
			return push_new(ev, k);
		}
	}
	if (32 + 3 * n > heap_left(ev)) {
		return false;
	}
	k = fmt_header(o, code, n);
	o[k++] = ' ';
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			o[k++] = ':';
		}
		o[k++] = (uint8_t)hexdig[p[i] >> 4];
		o[k++] = (uint8_t)hexdig[p[i] & 0xf];
	}
	return push_new(ev, k);
}

/* TokenOption::evaluate for a found (@found) or missing option value. */
bool ev_push_option(ev_t *ev, uint8_t rep, bool found, uint8_t code, bool is_string,
                    bool typed, const uint8_t *p, size_t n)
{
	if (rep == CLASS_REP_EXISTS) {
		return push_bool(ev, found);
	}
	if (!found) {
		return push_view(ev, s_empty, 0);
	}
	if (rep == CLASS_REP_HEX || is_string) {
		return push_view(ev, p, n);
	}
	return push_generic_text(ev, code, p, n, typed);
}

/* Option 125 (RFC 3925 §4): enterprise-number, data-len, then sub-options.
 * Kea's OptionVendor reads only the first enterprise block. */
bool ev_vendor_get(const pkt4_t *pkt, uint32_t *ret_ent, const uint8_t **ret_sub,
                   size_t *ret_subn)
{
	const opt_view_t *v = &pkt->opts[DHO_VIVSO_SUBOPTIONS];

	if (v->count == 0 || v->data == NULL || v->len < 4) {
		return false;
	}
	*ret_ent = be32_load(v->data);
	*ret_sub = s_empty;
	*ret_subn = 0;
	if (v->len > 4) {
		size_t dlen = v->data[4];
		if (dlen <= (size_t)v->len - 5) {
			*ret_sub = v->data + 5;
			*ret_subn = dlen;
		}
	}
	return true;
}

/* Option 124 (RFC 3925 §3) as Kea's OptionVendorClass::unpack reads it:
 * enterprise id, then tuples (1-byte length + data), each later tuple
 * preceded by another enterprise id that is ignored. A malformed option
 * (Kea throws, dropping the packet) is treated as absent. Finds tuple @idx. */
bool ev_vclass_get(const pkt4_t *pkt, uint32_t *ret_ent, uint32_t idx, const uint8_t **ret_p,
                   size_t *ret_n, bool *ret_found)
{
	const opt_view_t *v = &pkt->opts[DHO_VIVCO_SUBOPTIONS];

	if (v->count == 0 || v->data == NULL || v->len < 5) {
		return false;
	}
	const uint8_t *b = v->data + 4;
	size_t n = (size_t)v->len - 4;
	size_t off = 0;
	uint32_t t = 0;

	*ret_found = false;
	while (off < n) {
		size_t tl = b[off];
		if (tl > n - off - 1) {
			return false;
		}
		if (t == idx) {
			*ret_p = b + off + 1;
			*ret_n = tl;
			*ret_found = true;
		}
		t++;
		off += 1 + tl;
		if (off != n) {
			off += 4;
			if (off + 1 >= n) {
				return false;
			}
		}
	}
	*ret_ent = be32_load(v->data);
	return true;
}

size_t ev_fmt_i64(uint8_t *o, int64_t v)
{
	char tmp[24];
	int d = 0;
	size_t k = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		tmp[d++] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0) {
		o[k++] = '-';
	}
	while (d > 0) {
		o[k++] = (uint8_t)tmp[--d];
	}
	return k;
}
