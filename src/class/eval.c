/* Evaluate a compiled expression against a parsed packet (Kea 2.2's
 * src/lib/eval/token.cc semantics). Values are byte strings; booleans are the
 * strings "true"/"false". A value is a view: into the packet, the program's
 * literal pool, or the caller's scratch, where computed values are bump
 * allocated in stack order so popping reclaims them. No allocation, every
 * length bounded by the scratch; any evaluation error makes the whole
 * expression false (Kea logs EVAL_RESULT errors and treats them as no match).
 *
 * Like Kea 2.2, every instruction runs (no short-circuit): an error in the
 * untaken side of `or`/`and`/ifelse still makes the expression false. */
#include <arpa/inet.h>
#include <stdalign.h>
#include <string.h>

#include "class/class-int.h"
#include "dhcp/optdef.h"
#include "dhcp/proto.h"
#include "util/macro.h"
#include "util/wire.h"

/* Kea's DHCPV4_PKT_HDR_LEN, used by Pkt4::len() (pkt.len). */
#define KEA_PKT4_HDR_LEN 236

typedef struct val {
	const uint8_t *p;
	uint32_t len;
} val_t;

typedef struct ev {
	const class_eval_ctx_t *ctx;
	val_t *st;
	uint32_t sp;
	uint32_t cap;
	uint8_t *heap;                  /* computed values live in [heap, top) */
	uint8_t *top;
	uint8_t *end;
} ev_t;

static const uint8_t s_true[] = "true";
static const uint8_t s_false[] = "false";
static const uint8_t s_empty[1] = { 0 };

/* Standard DHCPv4 options Kea 2.2 defines as OPT_STRING_TYPE (OptionString). */
bool class_opt_is_string(uint8_t code)
{
	switch (code) {
	case 12:  /* host-name */
	case 14:  /* merit-dump */
	case 15:  /* domain-name */
	case 17:  /* root-path */
	case 18:  /* extensions-path */
	case 40:  /* nis-domain */
	case 47:  /* netbios-scope */
	case 56:  /* dhcp-message */
	case 60:  /* vendor-class-identifier */
	case 62:  /* nwip-domain-name */
	case 64:  /* nisplus-domain-name */
	case 66:  /* tftp-server-name */
	case 67:  /* boot-file-name */
	case 86:  /* nds-tree-name */
	case 87:  /* nds-context */
	case 98:  /* uap-servers */
	case 100: /* pcode */
	case 101: /* tcode */
	case 113: /* netinfo-server-tag */
	case 114: /* v4-captive-portal */
		return true;
	default:
		return false;
	}
}

static bool in_heap(const ev_t *ev, const uint8_t *p)
{
	return p >= ev->heap && p < ev->end;
}

static size_t heap_left(const ev_t *ev)
{
	return (size_t)(ev->end - ev->top);
}

static bool push_view(ev_t *ev, const uint8_t *p, size_t len)
{
	if (ev->sp >= ev->cap || len > UINT32_MAX) {
		return false;
	}
	ev->st[ev->sp++] = (val_t){ .p = len > 0 ? p : s_empty, .len = (uint32_t)len };
	return true;
}

static bool push_bool(ev_t *ev, bool b)
{
	return b ? push_view(ev, s_true, 4) : push_view(ev, s_false, 5);
}

/* Push the @len bytes just written at ev->top. */
static bool push_new(ev_t *ev, size_t len)
{
	uint8_t *p = ev->top;

	if (len > heap_left(ev) || !push_view(ev, p, len)) {
		return false;
	}
	ev->top += len;
	return true;
}

/* Pop @k values into out[0..k) (bottom first). Returns the lowest scratch
 * address any of them occupies (ev->top if none): everything from there up is
 * garbage once the result is pushed, because scratch values sit in stack order. */
static uint8_t *pop(ev_t *ev, uint32_t k, val_t *out)
{
	uint8_t *mark = ev->top;

	ev->sp -= k;
	for (uint32_t i = 0; i < k; i++) {
		out[i] = ev->st[ev->sp + i];
		if (in_heap(ev, out[i].p) && out[i].len > 0 && out[i].p < mark) {
			mark = (uint8_t *)(uintptr_t)out[i].p;
		}
	}
	return mark;
}

/* Push a result after pop(): a result in scratch (a computed value at the old
 * top, or a view into a popped operand) is moved down to @mark. */
static bool push_result(ev_t *ev, uint8_t *mark, const uint8_t *p, size_t len)
{
	if (in_heap(ev, p) && len > 0) {
		memmove(mark, p, len);
		ev->top = mark + len;
		return push_view(ev, mark, len);
	}
	ev->top = mark;
	return push_view(ev, p, len);
}

static bool to_bool(const val_t *v, bool *ret)
{
	if (v->len == 4 && memcmp(v->p, "true", 4) == 0) {
		*ret = true;
		return true;
	}
	if (v->len == 5 && memcmp(v->p, "false", 5) == 0) {
		*ret = false;
		return true;
	}
	return false;                   /* EvalTypeError */
}

/* ---- option access ---- */

/* Find sub-option @code in a TLV list (option 82, option[N].option[M], the
 * sub-options of 125). Inside an encapsulated space Kea 2.2 gives codes 0
 * and 255 no PAD/END meaning: they are sub-options with a length byte
 * (checked with kea-dhcp4 2.2: relay4[2] after a 0 byte is not found). A
 * truncated entry ends the list, keeping what came before, as Kea's partial
 * parse does. The first instance wins. */
static bool tlv_find(const uint8_t *p, size_t n, uint8_t code, const uint8_t **ret_p, size_t *ret_n)
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

static bool opt_get(const pkt4_t *pkt, uint8_t code, const uint8_t **ret_p, size_t *ret_n)
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

static const char hexdig[] = "0123456789abcdef";

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

static size_t fmt_i64(uint8_t *o, int64_t v);

static size_t int_type_size(optdef_type_t t)
{
	switch (t) {
	case OPTDEF_INT8:
	case OPTDEF_UINT8:
		return 1;
	case OPTDEF_INT16:
	case OPTDEF_UINT16:
		return 2;
	case OPTDEF_INT32:
	case OPTDEF_UINT32:
		return 4;
	default:
		return 0;
	}
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
		k += fmt_i64(o + k, p[i]);
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
		k += fmt_i64(o + k, int_value(def->type, p));
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
			k += fmt_i64(o + k, int_value(def->type, p + i));
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
static bool push_option(ev_t *ev, uint8_t rep, bool found, uint8_t code, bool is_string,
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
static bool vendor_get(const pkt4_t *pkt, uint32_t *ret_ent, const uint8_t **ret_sub,
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
static bool vclass_get(const pkt4_t *pkt, uint32_t *ret_ent, uint32_t idx, const uint8_t **ret_p,
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

/* ---- conversions ---- */

static size_t fmt_i64(uint8_t *o, int64_t v)
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

/* int8totext ... uint32totext: an empty operand stays empty, a wrong size is
 * an error (TokenInt8ToText etc.). */
static bool op_int_to_text(ev_t *ev, class_op_t op)
{
	val_t v;
	uint8_t *mark = pop(ev, 1, &v);
	size_t want;
	int64_t x;

	if (v.len == 0) {
		return push_result(ev, mark, v.p, 0);
	}
	switch (op) {
	case CLASS_OP_INT8TOTEXT:
	case CLASS_OP_UINT8TOTEXT:
		want = 1;
		break;
	case CLASS_OP_INT16TOTEXT:
	case CLASS_OP_UINT16TOTEXT:
		want = 2;
		break;
	default:
		want = 4;
		break;
	}
	if (v.len != want) {
		return false;
	}
	switch (op) {
	case CLASS_OP_INT8TOTEXT:
		x = (int8_t)v.p[0];
		break;
	case CLASS_OP_UINT8TOTEXT:
		x = v.p[0];
		break;
	case CLASS_OP_INT16TOTEXT:
		x = (int16_t)be16_load(v.p);
		break;
	case CLASS_OP_UINT16TOTEXT:
		x = be16_load(v.p);
		break;
	case CLASS_OP_INT32TOTEXT:
		x = (int32_t)be32_load(v.p);
		break;
	default:
		x = be32_load(v.p);
		break;
	}
	if (heap_left(ev) < 24) {
		return false;
	}
	size_t k = fmt_i64(ev->top, x);
	return push_result(ev, mark, ev->top, k);
}

static bool op_addr_to_text(ev_t *ev)
{
	val_t v;
	uint8_t *mark = pop(ev, 1, &v);
	char buf[INET6_ADDRSTRLEN];
	uint8_t a[16];

	if (v.len == 0) {
		return push_result(ev, mark, v.p, 0);
	}
	if (v.len != 4 && v.len != 16) {
		return false;
	}
	memcpy(a, v.p, v.len);
	if (inet_ntop(v.len == 4 ? AF_INET : AF_INET6, a, buf, sizeof(buf)) == NULL) {
		return false;
	}
	size_t k = strlen(buf);
	if (heap_left(ev) < k) {
		return false;
	}
	memcpy(ev->top, buf, k);
	return push_result(ev, mark, ev->top, k);
}

/* TokenSubstring::evaluate */
static bool op_substring(ev_t *ev, const class_insn_t *in)
{
	val_t s;
	uint8_t *mark = pop(ev, 1, &s);
	int64_t slen = s.len;
	int64_t start, length;

	if (slen == 0) {
		return push_result(ev, mark, s.p, 0);
	}
	if (in->flags & CLASS_F_BAD_INT) {
		return false;           /* lexical_cast<int> failed */
	}
	start = (int32_t)in->a;
	length = (in->flags & CLASS_F_LEN_ALL) ? slen : (int64_t)(int32_t)in->b;
	if (start < -slen || start >= slen) {
		return push_result(ev, mark, s.p, 0);
	}
	if (start < 0) {
		start += slen;
	}
	if (length == INT32_MIN) {
		/* Kea negates the int and overflows; substr() then throws
		 * (kea-dhcp4 2.2: "get exception?"), so this is an error. */
		return false;
	}
	if (length < 0) {
		length = -length;
		if (length <= start) {
			start -= length;
		} else {
			length = start;
			start = 0;
		}
	}
	if (length > slen - start) {
		length = slen - start;
	}
	return push_result(ev, mark, s.p + start, (size_t)length);
}

/* TokenSplit::evaluate: field n (1-based) of s split at any byte of delims. */
static bool op_split(ev_t *ev, const class_insn_t *in)
{
	val_t v[2];
	uint8_t *mark = pop(ev, 2, v);
	const val_t *s = &v[0], *d = &v[1];

	if (s->len == 0) {
		return push_result(ev, mark, s->p, 0);
	}
	if (in->flags & CLASS_F_BAD_INT) {
		return false;
	}
	if (d->len == 0) {
		return push_result(ev, mark, s->p, s->len);
	}
	int64_t field = (int32_t)in->a;
	int64_t cur = 1;
	uint32_t begin = 0;

	if (field < 1) {
		return push_result(ev, mark, s->p, 0);
	}
	for (uint32_t i = 0; i <= s->len; i++) {
		bool delim = i < s->len && memchr(d->p, s->p[i], d->len) != NULL;
		if (i == s->len || delim) {
			if (cur == field) {
				return push_result(ev, mark, s->p + begin, i - begin);
			}
			cur++;
			begin = i + 1;
		}
	}
	return push_result(ev, mark, s->p, 0);
}

/* TokenToHexString: two lower-case digits per byte, @sep between bytes. */
static bool op_tohex(ev_t *ev)
{
	val_t v[2];
	uint8_t *mark = pop(ev, 2, v);
	const val_t *bin = &v[0], *sep = &v[1];
	size_t need;

	if (bin->len == 0) {
		return push_result(ev, mark, s_empty, 0);
	}
	need = 2 * (size_t)bin->len + (size_t)sep->len * (bin->len - 1);
	if (need > heap_left(ev)) {
		return false;
	}
	uint8_t *o = ev->top;
	size_t k = 0;
	for (uint32_t i = 0; i < bin->len; i++) {
		if (i > 0) {
			memcpy(o + k, sep->p, sep->len);
			k += sep->len;
		}
		o[k++] = (uint8_t)hexdig[bin->p[i] >> 4];
		o[k++] = (uint8_t)hexdig[bin->p[i] & 0xf];
	}
	return push_result(ev, mark, o, k);
}

static bool op_concat(ev_t *ev)
{
	val_t v[2];
	uint8_t *mark = pop(ev, 2, v);
	size_t n = (size_t)v[0].len + v[1].len;

	if (v[1].len == 0) {
		return push_result(ev, mark, v[0].p, v[0].len);
	}
	if (v[0].len == 0) {
		return push_result(ev, mark, v[1].p, v[1].len);
	}
	if (n > heap_left(ev)) {
		return false;
	}
	memcpy(ev->top, v[0].p, v[0].len);
	memcpy(ev->top + v[0].len, v[1].p, v[1].len);
	return push_result(ev, mark, ev->top, n);
}

static bool op_case(ev_t *ev, bool upper)
{
	val_t v;
	uint8_t *mark = pop(ev, 1, &v);

	if (v.len > heap_left(ev)) {
		return false;
	}
	uint8_t *o = ev->top;
	for (uint32_t i = 0; i < v.len; i++) {
		uint8_t c = v.p[i];
		if (upper && c >= 'a' && c <= 'z') {
			c = (uint8_t)(c - 'a' + 'A');
		} else if (!upper && c >= 'A' && c <= 'Z') {
			c = (uint8_t)(c - 'A' + 'a');
		}
		o[i] = c;
	}
	return push_result(ev, mark, o, v.len);
}

/* ---- packet fields ---- */

static bool push_u32(ev_t *ev, uint32_t x)
{
	if (heap_left(ev) < 4) {
		return false;
	}
	be32_store(ev->top, x);
	return push_new(ev, 4);
}

/* Length of option @code as Kea re-packs it (Option::len()): a string
 * option after trimming NULs, option 82 as the sum of the sub-options it
 * parsed (a truncated tail dropped), anything else as received. Checked
 * against kea-dhcp4 2.2's pkt.len. */
static uint32_t opt_packed_len(const pkt4_t *pkt, uint8_t code)
{
	const opt_view_t *v = &pkt->opts[code];
	const uint8_t *p;
	size_t n;

	if (code == DHO_DHCP_AGENT_OPTIONS && opt_get(pkt, code, &p, &n)) {
		uint32_t len = 2;
		size_t i = 0;
		while (i < n) {
			if (n - i < 2 || p[i + 1] > n - i - 2) {
				break;
			}
			len += 2u + p[i + 1];
			i += 2 + (size_t)p[i + 1];
		}
		return len;
	}
	if (class_opt_is_string(code) && opt_get(pkt, code, &p, &n)) {
		return 2u + (uint32_t)n;
	}
	return 2u * v->count + v->len;
}

static bool op_pkt(ev_t *ev, uint8_t mode)
{
	const class_eval_ctx_t *ctx = ev->ctx;
	const pkt4_t *pkt = ctx->pkt;

	switch (mode) {
	case CLASS_PKT_IFACE:
		if (ctx->ifname == NULL) {
			return push_view(ev, s_empty, 0);
		}
		return push_view(ev, (const uint8_t *)ctx->ifname, strnlen(ctx->ifname, 256));
	case CLASS_PKT_SRC:
		return push_u32(ev, ctx->src_addr);
	case CLASS_PKT_DST:
		return push_u32(ev, ctx->dst_addr);
	case CLASS_PKT_LEN: {
		/* Pkt4::len(): the 236-byte header plus each option's packed
		 * length (no cookie, no PAD/END), not the datagram size. */
		uint32_t len = KEA_PKT4_HDR_LEN;
		for (unsigned c = 1; c < DHO_END; c++) {
			if (pkt->opts[c].count > 0) {
				len += opt_packed_len(pkt, (uint8_t)c);
			}
		}
		return push_u32(ev, len);
	}
	default:
		return false;
	}
}

static bool op_pkt4(ev_t *ev, uint8_t mode)
{
	const pkt4_t *pkt = ev->ctx->pkt;

	switch (mode) {
	case CLASS_PKT4_MAC:
		return push_view(ev, pkt->chaddr, MIN(pkt->hlen, (size_t)DHCP_CHADDR_LEN));
	case CLASS_PKT4_HLEN:
		return push_u32(ev, pkt->hlen);
	case CLASS_PKT4_HTYPE:
		return push_u32(ev, pkt->htype);
	case CLASS_PKT4_CIADDR:
		return push_u32(ev, pkt->ciaddr);
	case CLASS_PKT4_GIADDR:
		return push_u32(ev, pkt->giaddr);
	case CLASS_PKT4_YIADDR:
		return push_u32(ev, pkt->yiaddr);
	case CLASS_PKT4_SIADDR:
		return push_u32(ev, pkt->siaddr);
	case CLASS_PKT4_MSGTYPE:
		/* Pkt4::getType(): 0 (DHCP_NOTYPE) without option 53. */
		return push_u32(ev, (uint32_t)pkt4_msg_type(pkt));
	case CLASS_PKT4_TRANSID:
		return push_u32(ev, pkt->xid);
	default:
		return false;
	}
}

static bool op_vendor(ev_t *ev, const class_insn_t *in)
{
	uint32_t ent = 0;
	const uint8_t *sub = NULL, *p = NULL;
	size_t subn = 0, n = 0;

	if (!vendor_get(ev->ctx->pkt, &ent, &sub, &subn) || (in->a != 0 && in->a != ent)) {
		/* TokenOption::pushFailure */
		return push_option(ev, in->rep, false, 0, false, false, NULL, 0);
	}
	switch (in->mode) {
	case CLASS_VF_ENTERPRISE:
		return push_u32(ev, ent);
	case CLASS_VF_EXISTS:
		return push_bool(ev, true);
	case CLASS_VF_SUBOPTION: {
		bool found = tlv_find(sub, subn, (uint8_t)in->sub, &p, &n);
		return push_option(ev, in->rep, found, (uint8_t)in->sub, false, false, p, found ? n : 0);
	}
	default:
		return false;
	}
}

static bool op_vclass(ev_t *ev, const class_insn_t *in)
{
	uint32_t ent = 0;
	const uint8_t *p = NULL;
	size_t n = 0;
	bool found = false;

	if (!vclass_get(ev->ctx->pkt, &ent, in->b, &p, &n, &found) || (in->a != 0 && in->a != ent)) {
		return push_option(ev, in->rep, false, 0, false, false, NULL, 0);
	}
	switch (in->mode) {
	case CLASS_VF_ENTERPRISE:
		return push_u32(ev, ent);
	case CLASS_VF_EXISTS:
		return push_bool(ev, true);
	case CLASS_VF_DATA:
		return found ? push_view(ev, p, n) : push_view(ev, s_empty, 0);
	default:
		return false;
	}
}

static bool step(ev_t *ev, const class_expr_t *e, const class_insn_t *in)
{
	const pkt4_t *pkt = ev->ctx->pkt;
	const uint8_t *p = NULL;
	size_t n = 0;
	val_t v[3];
	uint8_t *mark;
	bool b1, b2;

	switch ((class_op_t)in->op) {
	case CLASS_OP_LIT:
		return push_view(ev, e->pool + in->a, in->b);
	case CLASS_OP_TRUE:
		return push_bool(ev, true);
	case CLASS_OP_OPTION: {
		bool found = opt_get(pkt, (uint8_t)in->code, &p, &n);
		return push_option(ev, in->rep, found, (uint8_t)in->code,
		                   class_opt_is_string((uint8_t)in->code), true, p, n);
	}
	case CLASS_OP_SUBOPTION:
	case CLASS_OP_RELAY4: {
		uint8_t code = in->op == CLASS_OP_RELAY4 ? DHO_DHCP_AGENT_OPTIONS : (uint8_t)in->code;
		const uint8_t *sp = NULL;
		size_t sn = 0;
		bool found = opt_get(pkt, code, &p, &n) &&
		             tlv_find(p, n, (uint8_t)in->sub, &sp, &sn);
		/* RFC 3046 §2.0 sub-option 6 (subscriber-id) is a string in
		 * Kea's dhcp-agent-options-space. */
		bool is_string = code == DHO_DHCP_AGENT_OPTIONS && in->sub == 6;
		if (found && is_string) {
			while (sn > 0 && sp[sn - 1] == 0) {
				sn--;
			}
		}
		return push_option(ev, in->rep, found, (uint8_t)in->sub, is_string, false,
		                   found ? sp : NULL, found ? sn : 0);
	}
	case CLASS_OP_PKT:
		return op_pkt(ev, in->mode);
	case CLASS_OP_PKT4:
		return op_pkt4(ev, in->mode);
	case CLASS_OP_VENDOR:
		return op_vendor(ev, in);
	case CLASS_OP_VCLASS:
		return op_vclass(ev, in);
	case CLASS_OP_MEMBER:
		return push_bool(ev, ev->ctx->classes != NULL &&
		                             class_set_has(ev->ctx->classes, (int)(int32_t)in->a));
	case CLASS_OP_EQUAL:
		mark = pop(ev, 2, v);
		ev->top = mark;
		return push_bool(ev, v[0].len == v[1].len && memcmp(v[0].p, v[1].p, v[0].len) == 0);
	case CLASS_OP_AND:
	case CLASS_OP_OR:
		mark = pop(ev, 2, v);
		ev->top = mark;
		if (!to_bool(&v[0], &b1) || !to_bool(&v[1], &b2)) {
			return false;
		}
		return push_bool(ev, in->op == CLASS_OP_AND ? (b1 && b2) : (b1 || b2));
	case CLASS_OP_NOT:
		mark = pop(ev, 1, v);
		ev->top = mark;
		if (!to_bool(&v[0], &b1)) {
			return false;
		}
		return push_bool(ev, !b1);
	case CLASS_OP_CONCAT:
		return op_concat(ev);
	case CLASS_OP_IFELSE:
		mark = pop(ev, 3, v);
		if (!to_bool(&v[0], &b1)) {
			return false;
		}
		return b1 ? push_result(ev, mark, v[1].p, v[1].len)
		          : push_result(ev, mark, v[2].p, v[2].len);
	case CLASS_OP_TOHEX:
		return op_tohex(ev);
	case CLASS_OP_SUBSTRING:
		return op_substring(ev, in);
	case CLASS_OP_SPLIT:
		return op_split(ev, in);
	case CLASS_OP_ADDRTOTEXT:
		return op_addr_to_text(ev);
	case CLASS_OP_INT8TOTEXT:
	case CLASS_OP_INT16TOTEXT:
	case CLASS_OP_INT32TOTEXT:
	case CLASS_OP_UINT8TOTEXT:
	case CLASS_OP_UINT16TOTEXT:
	case CLASS_OP_UINT32TOTEXT:
		return op_int_to_text(ev, (class_op_t)in->op);
	case CLASS_OP_LCASE:
		return op_case(ev, false);
	case CLASS_OP_UCASE:
		return op_case(ev, true);
	default:
		return false;
	}
}

bool class_expr_eval(const class_expr_t *e, const class_eval_ctx_t *ctx)
{
	if (e == NULL || ctx == NULL || ctx->pkt == NULL || ctx->scratch == NULL) {
		return false;
	}

	/* Value descriptors first (aligned), computed bytes after them. */
	uintptr_t base = (uintptr_t)ctx->scratch;
	uintptr_t aligned = (base + alignof(val_t) - 1) & ~(uintptr_t)(alignof(val_t) - 1);
	size_t stack_bytes = (size_t)e->max_depth * sizeof(val_t);

	if (aligned - base + stack_bytes > ctx->scratch_size) {
		return false;
	}

	ev_t ev = {
		.ctx = ctx,
		.st = (val_t *)(void *)aligned,
		.cap = e->max_depth,
		.heap = (uint8_t *)(aligned + stack_bytes),
		.end = ctx->scratch + ctx->scratch_size,
	};
	ev.top = ev.heap;

	for (uint32_t i = 0; i < e->n_insn; i++) {
		const class_insn_t *in = &e->insn[i];

		/* No underflow check: class_expr_compile() proved every
		 * instruction finds its operands and the program ends with one
		 * value; push_view() still bounds the stack by max_depth. */
		if (!step(&ev, e, in)) {
			return false;
		}
	}

	bool result = false;
	return ev.sp == 1 && to_bool(&ev.st[0], &result) && result;
}
