/* The expression parser's base: the token cursor, errors worded as bison words
 * them, appending instructions and literals to the program, and the terminal
 * arguments (option codes, enterprise ids, integers, representations). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class/parser-int.h"
#include "util/macro.h"

int cp_fail_at(parser_t *p, uint32_t pos, int r, const char *fmt, ...)
{
	if (p->r == 0) {
		p->r = r;
		if (p->err != NULL) {
			va_list ap;

			p->err->column = (int)pos + 1;
			va_start(ap, fmt);
			vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
			va_end(ap);
		}
	}
	return PARSE_FAIL;
}

/* Bison's display name: string aliases lose their quotes unless they hold a
 * comma (yytnamerr), so ',' shows as "," and ')' as ). */
static const char *disp(class_tok_type_t t)
{
	return t == CLASS_TOK_COMMA ? "\",\"" : class_tok_name(t);
}

int cp_syntax_error_exp(parser_t *p, const class_tok_t *t, const char *expecting)
{
	if (expecting != NULL) {
		return cp_fail_at(p, t->pos, -EINVAL, "syntax error, unexpected %s, expecting %s",
		                  disp(t->type), expecting);
	}
	return cp_fail_at(p, t->pos, -EINVAL, "syntax error, unexpected %s", disp(t->type));
}

int cp_syntax_error(parser_t *p, const class_tok_t *t)
{
	return cp_syntax_error_exp(p, t, NULL);
}

void cp_advance(parser_t *p)
{
	if (p->r != 0) {
		return;
	}
	int r = class_lex_next(&p->lx, &p->tok, p->err);
	if (r < 0) {
		p->r = r;
	}
}

bool cp_accept(parser_t *p, class_tok_type_t t)
{
	if (p->r == 0 && p->tok.type == t) {
		cp_advance(p);
		return true;
	}
	return false;
}

int cp_expect(parser_t *p, class_tok_type_t t)
{
	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (p->tok.type != t) {
		return cp_syntax_error_exp(p, &p->tok, disp(t));
	}
	cp_advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

int cp_emit(parser_t *p, class_insn_t in)
{
	class_ast_t *a = p->ast;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (a->n_insn >= CLASS_INSN_MAX) {
		return cp_fail_at(p, p->tok.pos, -EINVAL, "expression too complex");
	}
	if (a->n_insn == a->cap_insn) {
		uint32_t cap = a->cap_insn ? a->cap_insn * 2 : 16;
		class_insn_t *v = realloc(a->insn, cap * sizeof(*v));
		if (v == NULL) {
			return cp_fail_at(p, p->tok.pos, -ENOMEM, "out of memory");
		}
		a->insn = v;
		a->cap_insn = cap;
	}
	a->insn[a->n_insn++] = in;
	return 0;
}

int cp_emit_op(parser_t *p, class_op_t op)
{
	return cp_emit(p, (class_insn_t){ .op = op });
}

/* Append @n bytes to the literal pool; *ret_off receives their offset. */
static int pool_add(parser_t *p, const void *data, size_t n, uint32_t *ret_off)
{
	class_ast_t *a = p->ast;

	if (n > CLASS_POOL_MAX - a->pool_len) {
		return cp_fail_at(p, p->tok.pos, -EINVAL, "expression too large");
	}
	if (a->pool_len + n > a->pool_cap) {
		uint32_t cap = a->pool_cap ? a->pool_cap : 64;
		while (cap < a->pool_len + n) {
			cap *= 2;
		}
		uint8_t *v = realloc(a->pool, cap);
		if (v == NULL) {
			return cp_fail_at(p, p->tok.pos, -ENOMEM, "out of memory");
		}
		a->pool = v;
		a->pool_cap = cap;
	}
	if (n > 0) {
		memcpy(a->pool + a->pool_len, data, n);
	}
	*ret_off = a->pool_len;
	a->pool_len += (uint32_t)n;
	return 0;
}

int cp_emit_lit(parser_t *p, const void *data, size_t n)
{
	uint32_t off = 0;

	if (pool_add(p, data, n, &off) < 0) {
		return PARSE_FAIL;
	}
	return cp_emit(p, (class_insn_t){ .op = CLASS_OP_LIT, .a = off, .b = (uint32_t)n });
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	return c - 'A' + 10;
}

/* TokenHexString: an odd number of digits gets a leading zero nibble. */
int cp_emit_hexstring(parser_t *p, const class_tok_t *t)
{
	size_t nd = t->val_len;
	size_t nb = (nd + 1) / 2;
	_cleanup_free_ uint8_t *buf = malloc(nb > 0 ? nb : 1);
	size_t i = 0, o = 0;

	if (buf == NULL) {
		return cp_fail_at(p, t->pos, -ENOMEM, "out of memory");
	}
	if (nd % 2 == 1) {
		buf[o++] = (uint8_t)hexval(t->val[i++]);
	}
	while (i < nd) {
		buf[o++] = (uint8_t)(hexval(t->val[i]) << 4 | hexval(t->val[i + 1]));
		i += 2;
	}
	return cp_emit_lit(p, buf, o);
}

/* Copy a token's value into a NUL-terminated buffer; false if too long. */
bool cp_tok_cstr(const class_tok_t *t, char *buf, size_t cap)
{
	if (t->val_len >= cap) {
		return false;
	}
	memcpy(buf, t->val, t->val_len);
	buf[t->val_len] = '\0';
	return true;
}

/* EvalContext::convertUint32 */
int cp_conv_uint32(parser_t *p, const class_tok_t *t, uint32_t *ret)
{
	if (t->ival < 0 || t->ival > (int64_t)UINT32_MAX) {
		return cp_fail_at(p, t->pos, -EINVAL, "Invalid value in %.*s. Allowed range: 0..4294967295",
		                  (int)t->len, t->val);
	}
	*ret = (uint32_t)t->ival;
	return 0;
}

/* EvalContext::convertOptionCode, DHCPv4 range. */
static int conv_option_code(parser_t *p, const class_tok_t *t, uint16_t *ret)
{
	if (t->ival < 0 || t->ival > 255) {
		return cp_fail_at(p, t->pos, -EINVAL,
		                  "Option code has invalid value in %.*s. Allowed range: 0..255",
		                  (int)t->len, t->val);
	}
	*ret = (uint16_t)t->ival;
	return 0;
}

/* option_code: INTEGER | OPTION_NAME (resolved through the option defs). */
int cp_option_code(parser_t *p, uint16_t *ret)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type == CLASS_TOK_INTEGER) {
		if (conv_option_code(p, &t, ret) < 0) {
			return PARSE_FAIL;
		}
		cp_advance(p);
		return p->r == 0 ? 0 : PARSE_FAIL;
	}
	if (t.type == CLASS_TOK_OPTION_NAME) {
		char name[256];
		int code = -1;

		if (cp_tok_cstr(&t, name, sizeof(name)) && p->res != NULL &&
		    p->res->option_code != NULL) {
			code = p->res->option_code(p->res->userdata, name);
		}
		if (code < 0 || code > 255) {
			return cp_fail_at(p, t.pos, -EINVAL, "option '%.*s' is not defined",
			                  (int)MIN(t.val_len, 200u), t.val);
		}
		*ret = (uint16_t)code;
		cp_advance(p);
		return p->r == 0 ? 0 : PARSE_FAIL;
	}
	return cp_syntax_error(p, &t);
}

/* sub_option_code: INTEGER only. */
int cp_sub_code(parser_t *p, uint16_t *ret)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type != CLASS_TOK_INTEGER) {
		return cp_syntax_error_exp(p, &t, "integer");
	}
	if (conv_option_code(p, &t, ret) < 0) {
		return PARSE_FAIL;
	}
	cp_advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

/* enterprise_id: INTEGER (uint32) | '*' (= 0, any). */
int cp_enterprise(parser_t *p, uint32_t *ret)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type == CLASS_TOK_ANY) {
		*ret = 0;
		cp_advance(p);
		return p->r == 0 ? 0 : PARSE_FAIL;
	}
	if (t.type != CLASS_TOK_INTEGER) {
		return cp_syntax_error(p, &t);
	}
	if (cp_conv_uint32(p, &t, ret) < 0) {
		return PARSE_FAIL;
	}
	cp_advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

/* A literal INTEGER argument (substring start/length, split field). Kea keeps
 * it as text and converts with lexical_cast<int> at evaluation, so a value
 * outside int32 is an evaluation error, not a parse error. */
int cp_int_arg(parser_t *p, uint32_t *ret, uint8_t *flags)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type != CLASS_TOK_INTEGER) {
		return cp_syntax_error_exp(p, &t, "integer");
	}
	if (t.ival < INT32_MIN || t.ival > INT32_MAX) {
		*flags |= CLASS_F_BAD_INT;
		*ret = 0;
	} else {
		*ret = (uint32_t)(int32_t)t.ival;
	}
	cp_advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

/* .hex | .text | .exists after option[...] and friends; *ret_rep set.
 * @expecting: bison's list for an unexpected token here (NULL = none). */
int cp_repr_exp(parser_t *p, bool allow_exists, uint8_t *ret_rep, const char *expecting)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	switch (t.type) {
	case CLASS_TOK_HEX:
		*ret_rep = CLASS_REP_HEX;
		break;
	case CLASS_TOK_TEXT:
		*ret_rep = CLASS_REP_TEXT;
		break;
	case CLASS_TOK_EXISTS:
		if (!allow_exists) {
			return cp_syntax_error_exp(p, &t, expecting);
		}
		*ret_rep = CLASS_REP_EXISTS;
		break;
	default:
		return cp_syntax_error_exp(p, &t, expecting);
	}
	cp_advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

int cp_repr(parser_t *p, bool allow_exists, uint8_t *ret_rep)
{
	return cp_repr_exp(p, allow_exists, ret_rep, NULL);
}

int cp_rep_type(uint8_t rep)
{
	return rep == CLASS_REP_EXISTS ? CLASS_T_BOOL : CLASS_T_STRING;
}
