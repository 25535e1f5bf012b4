/* String operators of Kea's expression language (Kea 2.2 token.cc): integer and
 * address to text, substring, split, hexstring, concat, lcase/ucase. Each pops its
 * operands and pushes one result in the evaluator's scratch (eval-int.h). */
#include <arpa/inet.h>

#include "class/eval-int.h"
#include "util/macro.h"
#include "util/wire.h"

/* int8totext ... uint32totext: an empty operand stays empty, a wrong size is
 * an error (TokenInt8ToText etc.). */
bool ev_op_int_to_text(ev_t *ev, class_op_t op)
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
	size_t k = ev_fmt_i64(ev->top, x);
	return push_result(ev, mark, ev->top, k);
}

bool ev_op_addr_to_text(ev_t *ev)
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
bool ev_op_substring(ev_t *ev, const class_insn_t *in)
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
bool ev_op_split(ev_t *ev, const class_insn_t *in)
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
bool ev_op_tohex(ev_t *ev)
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

bool ev_op_concat(ev_t *ev)
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

bool ev_op_case(ev_t *ev, bool upper)
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
