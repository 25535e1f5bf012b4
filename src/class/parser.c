/* Recursive-descent parser for Kea's expression language (grammar of Kea 2.2's
 * src/lib/eval/parser.yy). Precedence, lowest first: or, and, not, ==, +
 * (PLUS binds tighter than == because bison shifts it in the EQUAL rule's
 * conflict; `a == b + c` is `a == (b + c)`). Each construct is appended to the
 * program when complete, so the output is postfix like Kea's token vector.
 *
 * Types: every expression is a string or a boolean; and/or/not take booleans,
 * == and + take strings. A mismatch is a syntax error reported at the token
 * where bison would have stopped (the operator for a bad left operand, the
 * token after a bad right operand). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class/class-int.h"
#include "util/macro.h"

typedef struct parser {
	class_lexer_t lx;
	class_tok_t tok;                /* lookahead */
	const class_resolver_t *res;
	class_ast_t *ast;
	class_err_t *err;
	int depth;
	bool string_only;               /* current primary must be a string (operand of == or +) */
	int r;                          /* first error, sticky */
} parser_t;

/* Parse results: a class_vtype_t, or -1 after an error (p->r set). */
#define PARSE_FAIL (-1)

static int fail_at(parser_t *p, uint32_t pos, int r, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

static int fail_at(parser_t *p, uint32_t pos, int r, const char *fmt, ...)
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

static int syntax_error_exp(parser_t *p, const class_tok_t *t, const char *expecting)
{
	if (expecting != NULL) {
		return fail_at(p, t->pos, -EINVAL, "syntax error, unexpected %s, expecting %s",
		               disp(t->type), expecting);
	}
	return fail_at(p, t->pos, -EINVAL, "syntax error, unexpected %s", disp(t->type));
}

static int syntax_error(parser_t *p, const class_tok_t *t)
{
	return syntax_error_exp(p, t, NULL);
}

/* A string where a boolean is needed: bison wants the string to continue. */
#define EXPECT_STRING_OP "== or +"

static void advance(parser_t *p)
{
	if (p->r != 0) {
		return;
	}
	int r = class_lex_next(&p->lx, &p->tok, p->err);
	if (r < 0) {
		p->r = r;
	}
}

static bool accept(parser_t *p, class_tok_type_t t)
{
	if (p->r == 0 && p->tok.type == t) {
		advance(p);
		return true;
	}
	return false;
}

static int expect(parser_t *p, class_tok_type_t t)
{
	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (p->tok.type != t) {
		return syntax_error_exp(p, &p->tok, disp(t));
	}
	advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

static int emit(parser_t *p, class_insn_t in)
{
	class_ast_t *a = p->ast;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (a->n_insn >= CLASS_INSN_MAX) {
		return fail_at(p, p->tok.pos, -EINVAL, "expression too complex");
	}
	if (a->n_insn == a->cap_insn) {
		uint32_t cap = a->cap_insn ? a->cap_insn * 2 : 16;
		class_insn_t *v = realloc(a->insn, cap * sizeof(*v));
		if (v == NULL) {
			return fail_at(p, p->tok.pos, -ENOMEM, "out of memory");
		}
		a->insn = v;
		a->cap_insn = cap;
	}
	a->insn[a->n_insn++] = in;
	return 0;
}

static int emit_op(parser_t *p, class_op_t op)
{
	return emit(p, (class_insn_t){ .op = op });
}

/* Append @n bytes to the literal pool; *ret_off receives their offset. */
static int pool_add(parser_t *p, const void *data, size_t n, uint32_t *ret_off)
{
	class_ast_t *a = p->ast;

	if (n > CLASS_POOL_MAX - a->pool_len) {
		return fail_at(p, p->tok.pos, -EINVAL, "expression too large");
	}
	if (a->pool_len + n > a->pool_cap) {
		uint32_t cap = a->pool_cap ? a->pool_cap : 64;
		while (cap < a->pool_len + n) {
			cap *= 2;
		}
		uint8_t *v = realloc(a->pool, cap);
		if (v == NULL) {
			return fail_at(p, p->tok.pos, -ENOMEM, "out of memory");
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

static int emit_lit(parser_t *p, const void *data, size_t n)
{
	uint32_t off = 0;

	if (pool_add(p, data, n, &off) < 0) {
		return PARSE_FAIL;
	}
	return emit(p, (class_insn_t){ .op = CLASS_OP_LIT, .a = off, .b = (uint32_t)n });
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
static int emit_hexstring(parser_t *p, const class_tok_t *t)
{
	size_t nd = t->val_len;
	size_t nb = (nd + 1) / 2;
	_cleanup_free_ uint8_t *buf = malloc(nb > 0 ? nb : 1);
	size_t i = 0, o = 0;

	if (buf == NULL) {
		return fail_at(p, t->pos, -ENOMEM, "out of memory");
	}
	if (nd % 2 == 1) {
		buf[o++] = (uint8_t)hexval(t->val[i++]);
	}
	while (i < nd) {
		buf[o++] = (uint8_t)(hexval(t->val[i]) << 4 | hexval(t->val[i + 1]));
		i += 2;
	}
	return emit_lit(p, buf, o);
}

/* Copy a token's value into a NUL-terminated buffer; false if too long. */
static bool tok_cstr(const class_tok_t *t, char *buf, size_t cap)
{
	if (t->val_len >= cap) {
		return false;
	}
	memcpy(buf, t->val, t->val_len);
	buf[t->val_len] = '\0';
	return true;
}

/* EvalContext::convertUint32 */
static int conv_uint32(parser_t *p, const class_tok_t *t, uint32_t *ret)
{
	if (t->ival < 0 || t->ival > (int64_t)UINT32_MAX) {
		return fail_at(p, t->pos, -EINVAL, "Invalid value in %.*s. Allowed range: 0..4294967295",
		               (int)t->len, t->val);
	}
	*ret = (uint32_t)t->ival;
	return 0;
}

/* EvalContext::convertOptionCode, DHCPv4 range. */
static int conv_option_code(parser_t *p, const class_tok_t *t, uint16_t *ret)
{
	if (t->ival < 0 || t->ival > 255) {
		return fail_at(p, t->pos, -EINVAL,
		               "Option code has invalid value in %.*s. Allowed range: 0..255",
		               (int)t->len, t->val);
	}
	*ret = (uint16_t)t->ival;
	return 0;
}

/* option_code: INTEGER | OPTION_NAME (resolved through the option defs). */
static int parse_option_code(parser_t *p, uint16_t *ret)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type == CLASS_TOK_INTEGER) {
		if (conv_option_code(p, &t, ret) < 0) {
			return PARSE_FAIL;
		}
		advance(p);
		return p->r == 0 ? 0 : PARSE_FAIL;
	}
	if (t.type == CLASS_TOK_OPTION_NAME) {
		char name[256];
		int code = -1;

		if (tok_cstr(&t, name, sizeof(name)) && p->res != NULL &&
		    p->res->option_code != NULL) {
			code = p->res->option_code(p->res->userdata, name);
		}
		if (code < 0 || code > 255) {
			return fail_at(p, t.pos, -EINVAL, "option '%.*s' is not defined",
			               (int)MIN(t.val_len, 200u), t.val);
		}
		*ret = (uint16_t)code;
		advance(p);
		return p->r == 0 ? 0 : PARSE_FAIL;
	}
	return syntax_error(p, &t);
}

/* sub_option_code: INTEGER only. */
static int parse_sub_code(parser_t *p, uint16_t *ret)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type != CLASS_TOK_INTEGER) {
		return syntax_error_exp(p, &t, "integer");
	}
	if (conv_option_code(p, &t, ret) < 0) {
		return PARSE_FAIL;
	}
	advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

/* enterprise_id: INTEGER (uint32) | '*' (= 0, any). */
static int parse_enterprise(parser_t *p, uint32_t *ret)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type == CLASS_TOK_ANY) {
		*ret = 0;
		advance(p);
		return p->r == 0 ? 0 : PARSE_FAIL;
	}
	if (t.type != CLASS_TOK_INTEGER) {
		return syntax_error(p, &t);
	}
	if (conv_uint32(p, &t, ret) < 0) {
		return PARSE_FAIL;
	}
	advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

/* A literal INTEGER argument (substring start/length, split field). Kea keeps
 * it as text and converts with lexical_cast<int> at evaluation, so a value
 * outside int32 is an evaluation error, not a parse error. */
static int parse_int_arg(parser_t *p, uint32_t *ret, uint8_t *flags)
{
	class_tok_t t = p->tok;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	if (t.type != CLASS_TOK_INTEGER) {
		return syntax_error_exp(p, &t, "integer");
	}
	if (t.ival < INT32_MIN || t.ival > INT32_MAX) {
		*flags |= CLASS_F_BAD_INT;
		*ret = 0;
	} else {
		*ret = (uint32_t)(int32_t)t.ival;
	}
	advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

/* .hex | .text | .exists after option[...] and friends; *ret_rep set.
 * @expecting: bison's list for an unexpected token here (NULL = none). */
static int parse_repr_exp(parser_t *p, bool allow_exists, uint8_t *ret_rep, const char *expecting)
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
			return syntax_error_exp(p, &t, expecting);
		}
		*ret_rep = CLASS_REP_EXISTS;
		break;
	default:
		return syntax_error_exp(p, &t, expecting);
	}
	advance(p);
	return p->r == 0 ? 0 : PARSE_FAIL;
}

static int parse_repr(parser_t *p, bool allow_exists, uint8_t *ret_rep)
{
	return parse_repr_exp(p, allow_exists, ret_rep, NULL);
}

static int rep_type(uint8_t rep)
{
	return rep == CLASS_REP_EXISTS ? CLASS_T_BOOL : CLASS_T_STRING;
}

static int parse_or(parser_t *p);
static int parse_plus(parser_t *p, bool string_only);

/* One argument of a function: an expression of type @want, then @follow. A
 * string argument cannot hold and/or/not/== at its top, so it is parsed at
 * the + level, which also rejects member() etc. where bison does. */
static int parse_arg(parser_t *p, class_vtype_t want, class_tok_type_t follow)
{
	int t = want == CLASS_T_STRING ? parse_plus(p, true) : parse_or(p);

	if (t < 0) {
		return PARSE_FAIL;
	}
	if (t != (int)want) {
		return syntax_error_exp(p, &p->tok, t == CLASS_T_STRING ? EXPECT_STRING_OP : NULL);
	}
	return expect(p, follow);
}

static int parse_option(parser_t *p)
{
	uint16_t code = 0, sub = 0;
	uint8_t rep = 0;

	if (expect(p, CLASS_TOK_LBRACKET) < 0 || parse_option_code(p, &code) < 0 ||
	    expect(p, CLASS_TOK_RBRACKET) < 0 || expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	if (accept(p, CLASS_TOK_OPTION)) {
		if (expect(p, CLASS_TOK_LBRACKET) < 0 || parse_sub_code(p, &sub) < 0 ||
		    expect(p, CLASS_TOK_RBRACKET) < 0 || expect(p, CLASS_TOK_DOT) < 0 ||
		    parse_repr(p, !p->string_only, &rep) < 0) {
			return PARSE_FAIL;
		}
		if (emit(p, (class_insn_t){ .op = CLASS_OP_SUBOPTION, .code = code, .sub = sub,
		                            .rep = rep }) < 0) {
			return PARSE_FAIL;
		}
		return rep_type(rep);
	}
	if (parse_repr_exp(p, !p->string_only, &rep,
	                   p->string_only ? "option or text or hex" : NULL) < 0 ||
	    emit(p, (class_insn_t){ .op = CLASS_OP_OPTION, .code = code, .rep = rep }) < 0) {
		return PARSE_FAIL;
	}
	return rep_type(rep);
}

static int parse_relay4(parser_t *p)
{
	uint16_t sub = 0;
	uint8_t rep = 0;

	if (expect(p, CLASS_TOK_LBRACKET) < 0 || parse_sub_code(p, &sub) < 0 ||
	    expect(p, CLASS_TOK_RBRACKET) < 0 || expect(p, CLASS_TOK_DOT) < 0 ||
	    parse_repr(p, !p->string_only, &rep) < 0) {
		return PARSE_FAIL;
	}
	if (emit(p, (class_insn_t){ .op = CLASS_OP_RELAY4, .sub = sub, .rep = rep }) < 0) {
		return PARSE_FAIL;
	}
	return rep_type(rep);
}

static int parse_pkt(parser_t *p)
{
	uint8_t mode;

	if (expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	switch (p->tok.type) {
	case CLASS_TOK_IFACE:
		mode = CLASS_PKT_IFACE;
		break;
	case CLASS_TOK_SRC:
		mode = CLASS_PKT_SRC;
		break;
	case CLASS_TOK_DST:
		mode = CLASS_PKT_DST;
		break;
	case CLASS_TOK_LEN:
		mode = CLASS_PKT_LEN;
		break;
	default:
		return syntax_error_exp(p, &p->tok, "iface or src or dst or len");
	}
	advance(p);
	if (emit(p, (class_insn_t){ .op = CLASS_OP_PKT, .mode = mode }) < 0) {
		return PARSE_FAIL;
	}
	return CLASS_T_STRING;
}

static int parse_pkt4(parser_t *p)
{
	static const struct {
		class_tok_type_t t;
		uint8_t mode;
	} fields[] = {
		{ CLASS_TOK_MAC, CLASS_PKT4_MAC },         { CLASS_TOK_HLEN, CLASS_PKT4_HLEN },
		{ CLASS_TOK_HTYPE, CLASS_PKT4_HTYPE },     { CLASS_TOK_CIADDR, CLASS_PKT4_CIADDR },
		{ CLASS_TOK_GIADDR, CLASS_PKT4_GIADDR },   { CLASS_TOK_YIADDR, CLASS_PKT4_YIADDR },
		{ CLASS_TOK_SIADDR, CLASS_PKT4_SIADDR },   { CLASS_TOK_MSGTYPE, CLASS_PKT4_MSGTYPE },
		{ CLASS_TOK_TRANSID, CLASS_PKT4_TRANSID },
	};

	if (expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (p->tok.type == fields[i].t) {
			advance(p);
			if (emit(p, (class_insn_t){ .op = CLASS_OP_PKT4, .mode = fields[i].mode }) < 0) {
				return PARSE_FAIL;
			}
			return CLASS_T_STRING;
		}
	}
	return syntax_error(p, &p->tok);
}

/* vendor.enterprise | vendor[E].exists | vendor[E].option[M].(hex|text|exists) */
static int parse_vendor(parser_t *p)
{
	uint32_t ent;
	uint16_t sub = 0;
	uint8_t rep = 0;

	if (accept(p, CLASS_TOK_DOT)) {
		if (expect(p, CLASS_TOK_ENTERPRISE) < 0 ||
		    emit(p, (class_insn_t){ .op = CLASS_OP_VENDOR, .mode = CLASS_VF_ENTERPRISE,
		                            .rep = CLASS_REP_HEX }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_STRING;
	}
	if (expect(p, CLASS_TOK_LBRACKET) < 0 || parse_enterprise(p, &ent) < 0 ||
	    expect(p, CLASS_TOK_RBRACKET) < 0 || expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	if (!p->string_only && accept(p, CLASS_TOK_EXISTS)) {
		if (emit(p, (class_insn_t){ .op = CLASS_OP_VENDOR, .mode = CLASS_VF_EXISTS,
		                            .rep = CLASS_REP_EXISTS, .a = ent }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_BOOL;
	}
	if (p->r == 0 && p->tok.type != CLASS_TOK_OPTION) {
		return syntax_error_exp(p, &p->tok, p->string_only ? "option" : "option or exists");
	}
	if (expect(p, CLASS_TOK_OPTION) < 0 || expect(p, CLASS_TOK_LBRACKET) < 0 ||
	    parse_sub_code(p, &sub) < 0 || expect(p, CLASS_TOK_RBRACKET) < 0 ||
	    expect(p, CLASS_TOK_DOT) < 0 || parse_repr(p, !p->string_only, &rep) < 0) {
		return PARSE_FAIL;
	}
	if (emit(p, (class_insn_t){ .op = CLASS_OP_VENDOR, .mode = CLASS_VF_SUBOPTION, .rep = rep,
	                            .a = ent, .sub = sub }) < 0) {
		return PARSE_FAIL;
	}
	return rep_type(rep);
}

/* vendor-class.enterprise | vendor-class[E].exists | vendor-class[E].data[[i]] */
static int parse_vendor_class(parser_t *p)
{
	uint32_t ent = 0;
	uint32_t idx = 0;

	if (accept(p, CLASS_TOK_DOT)) {
		if (expect(p, CLASS_TOK_ENTERPRISE) < 0 ||
		    emit(p, (class_insn_t){ .op = CLASS_OP_VCLASS, .mode = CLASS_VF_ENTERPRISE,
		                            .rep = CLASS_REP_HEX }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_STRING;
	}
	if (expect(p, CLASS_TOK_LBRACKET) < 0 || parse_enterprise(p, &ent) < 0 ||
	    expect(p, CLASS_TOK_RBRACKET) < 0 || expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	if (!p->string_only && accept(p, CLASS_TOK_EXISTS)) {
		if (emit(p, (class_insn_t){ .op = CLASS_OP_VCLASS, .mode = CLASS_VF_EXISTS,
		                            .rep = CLASS_REP_EXISTS, .a = ent }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_BOOL;
	}
	if (expect(p, CLASS_TOK_DATA) < 0) {
		return PARSE_FAIL;
	}
	if (accept(p, CLASS_TOK_LBRACKET)) {
		class_tok_t t = p->tok;

		if (p->r != 0) {
			return PARSE_FAIL;
		}
		if (t.type != CLASS_TOK_INTEGER) {
			return syntax_error_exp(p, &t, "integer");
		}
		/* EvalContext::convertUint8 */
		if (t.ival < 0 || t.ival > 255) {
			return fail_at(p, t.pos, -EINVAL, "Invalid value in %.*s. Allowed range: 0..255",
			               (int)t.len, t.val);
		}
		idx = (uint32_t)t.ival;
		advance(p);
		if (expect(p, CLASS_TOK_RBRACKET) < 0) {
			return PARSE_FAIL;
		}
	}
	if (emit(p, (class_insn_t){ .op = CLASS_OP_VCLASS, .mode = CLASS_VF_DATA,
	                            .rep = CLASS_REP_HEX, .a = ent, .b = idx }) < 0) {
		return PARSE_FAIL;
	}
	return CLASS_T_STRING;
}

static int emit_member(parser_t *p, int idx)
{
	const class_resolver_t *res = p->res;

	if (res != NULL &&
	    (idx == res->known_idx || idx == res->unknown_idx ||
	     (res->class_depends_on_known != NULL && res->class_depends_on_known(res->userdata, idx)))) {
		p->ast->depends_on_known = true;
	}
	if (emit(p, (class_insn_t){ .op = CLASS_OP_MEMBER, .a = (uint32_t)idx }) < 0) {
		return PARSE_FAIL;
	}
	return CLASS_T_BOOL;
}

static int parse_member(parser_t *p)
{
	class_tok_t t;
	char name[256];
	int idx = -1;

	if (expect(p, CLASS_TOK_LPAREN) < 0) {
		return PARSE_FAIL;
	}
	t = p->tok;
	if (t.type != CLASS_TOK_STRING) {
		return syntax_error(p, &t);
	}
	advance(p);
	if (expect(p, CLASS_TOK_RPAREN) < 0) {
		return PARSE_FAIL;
	}
	if (tok_cstr(&t, name, sizeof(name)) && p->res != NULL && p->res->class_index != NULL) {
		idx = p->res->class_index(p->res->userdata, name);
	}
	if (idx < 0) {
		/* parser.yy MEMBER rule: only defined or built-in classes. */
		return fail_at(p, t.pos, -EINVAL, "Not defined client class '%.*s'",
		               (int)MIN(t.val_len, 200u), t.val);
	}
	return emit_member(p, idx);
}

/* name '(' string ')' for the one-argument conversion functions. */
static int parse_unary_fn(parser_t *p, class_op_t op)
{
	if (expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_RPAREN) < 0 ||
	    emit_op(p, op) < 0) {
		return PARSE_FAIL;
	}
	return CLASS_T_STRING;
}

static int parse_primary(parser_t *p, bool string_only)
{
	class_tok_t t = p->tok;
	uint32_t u = 0;
	int r;

	if (p->r != 0) {
		return PARSE_FAIL;
	}
	p->string_only = string_only;
	if (string_only && (t.type == CLASS_TOK_MEMBER || t.type == CLASS_TOK_KNOWN ||
	                    t.type == CLASS_TOK_UNKNOWN)) {
		return syntax_error(p, &t);
	}
	if (p->depth >= CLASS_PARSE_DEPTH_MAX) {
		return fail_at(p, t.pos, -EINVAL, "expression nested too deeply");
	}

	switch (t.type) {
	case CLASS_TOK_STRING:
		advance(p);
		return emit_lit(p, t.val, t.val_len) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	case CLASS_TOK_HEXSTRING:
		advance(p);
		return emit_hexstring(p, &t) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	case CLASS_TOK_IP_ADDRESS:
		advance(p);
		return emit_lit(p, t.ip, t.ip_len) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	case CLASS_TOK_INTEGER: {
		/* integer_expr: a 4-byte big-endian uint32 (EvalContext::fromUint32). */
		uint8_t b[4];

		if (conv_uint32(p, &t, &u) < 0) {
			return PARSE_FAIL;
		}
		advance(p);
		b[0] = (uint8_t)(u >> 24);
		b[1] = (uint8_t)(u >> 16);
		b[2] = (uint8_t)(u >> 8);
		b[3] = (uint8_t)u;
		return emit_lit(p, b, 4) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	}
	case CLASS_TOK_LPAREN:
		advance(p);
		p->depth++;
		r = parse_or(p);
		p->depth--;
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (p->tok.type != CLASS_TOK_RPAREN) {
			return syntax_error_exp(p, &p->tok,
			                        r == CLASS_T_BOOL ? ") or and or or" : ") or == or +");
		}
		advance(p);
		return p->r == 0 ? r : PARSE_FAIL;
	case CLASS_TOK_OPTION:
		advance(p);
		return parse_option(p);
	case CLASS_TOK_RELAY4:
		advance(p);
		return parse_relay4(p);
	case CLASS_TOK_RELAY6:
		/* convertNestLevelNumber() rejects every nest level in DHCPv4. */
		advance(p);
		if (expect(p, CLASS_TOK_LBRACKET) < 0) {
			return PARSE_FAIL;
		}
		if (p->tok.type == CLASS_TOK_INTEGER) {
			return fail_at(p, p->tok.pos, -EINVAL, "Nest level invalid for DHCPv4 packets");
		}
		return syntax_error(p, &p->tok);
	case CLASS_TOK_PKT6:
		advance(p);
		if (expect(p, CLASS_TOK_DOT) < 0) {
			return PARSE_FAIL;
		}
		if (p->tok.type != CLASS_TOK_MSGTYPE && p->tok.type != CLASS_TOK_TRANSID) {
			return syntax_error(p, &p->tok);
		}
		return fail_at(p, t.pos, -EINVAL, "pkt6 can only be used in DHCPv6.");
	case CLASS_TOK_PKT:
		advance(p);
		return parse_pkt(p);
	case CLASS_TOK_PKT4:
		advance(p);
		return parse_pkt4(p);
	case CLASS_TOK_VENDOR:
		advance(p);
		return parse_vendor(p);
	case CLASS_TOK_VENDOR_CLASS:
		advance(p);
		return parse_vendor_class(p);
	case CLASS_TOK_MEMBER:
		advance(p);
		return parse_member(p);
	case CLASS_TOK_KNOWN:
		advance(p);
		if (p->res == NULL) {
			return fail_at(p, t.pos, -EINVAL, "'known' needs a resolver");
		}
		p->ast->depends_on_known = true;
		return emit_member(p, p->res->known_idx);
	case CLASS_TOK_UNKNOWN:
		advance(p);
		if (p->res == NULL) {
			return fail_at(p, t.pos, -EINVAL, "'unknown' needs a resolver");
		}
		p->ast->depends_on_known = true;
		return emit_member(p, p->res->unknown_idx);
	default:
		break;
	}

	/* Functions: name '(' args ')'. */
	if (t.type < CLASS_TOK_SUBSTRING || t.type == CLASS_TOK_ALL || t.type > CLASS_TOK_UCASE ||
	    t.type == CLASS_TOK_NOT || t.type == CLASS_TOK_AND || t.type == CLASS_TOK_OR ||
	    t.type == CLASS_TOK_MEMBER || t.type == CLASS_TOK_KNOWN || t.type == CLASS_TOK_UNKNOWN) {
		return syntax_error(p, &t);
	}
	advance(p);
	p->depth++;
	r = PARSE_FAIL;
	switch (t.type) {
	case CLASS_TOK_SUBSTRING: {
		class_insn_t in = { .op = CLASS_OP_SUBSTRING };

		if (expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_int_arg(p, &in.a, &in.flags) < 0 || expect(p, CLASS_TOK_COMMA) < 0) {
			break;
		}
		if (accept(p, CLASS_TOK_ALL)) {
			in.flags |= CLASS_F_LEN_ALL;
		} else if (parse_int_arg(p, &in.b, &in.flags) < 0) {
			break;
		}
		if (expect(p, CLASS_TOK_RPAREN) < 0 || emit(p, in) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	}
	case CLASS_TOK_SPLIT: {
		class_insn_t in = { .op = CLASS_OP_SPLIT };

		if (expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_int_arg(p, &in.a, &in.flags) < 0 || expect(p, CLASS_TOK_RPAREN) < 0 ||
		    emit(p, in) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	}
	case CLASS_TOK_CONCAT:
	case CLASS_TOK_TOHEXSTRING:
		if (expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_RPAREN) < 0 ||
		    emit_op(p, t.type == CLASS_TOK_CONCAT ? CLASS_OP_CONCAT : CLASS_OP_TOHEX) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	case CLASS_TOK_IFELSE:
		if (expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_BOOL, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_RPAREN) < 0 || emit_op(p, CLASS_OP_IFELSE) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	case CLASS_TOK_ADDRTOTEXT:
		r = parse_unary_fn(p, CLASS_OP_ADDRTOTEXT);
		break;
	case CLASS_TOK_INT8TOTEXT:
		r = parse_unary_fn(p, CLASS_OP_INT8TOTEXT);
		break;
	case CLASS_TOK_INT16TOTEXT:
		r = parse_unary_fn(p, CLASS_OP_INT16TOTEXT);
		break;
	case CLASS_TOK_INT32TOTEXT:
		r = parse_unary_fn(p, CLASS_OP_INT32TOTEXT);
		break;
	case CLASS_TOK_UINT8TOTEXT:
		r = parse_unary_fn(p, CLASS_OP_UINT8TOTEXT);
		break;
	case CLASS_TOK_UINT16TOTEXT:
		r = parse_unary_fn(p, CLASS_OP_UINT16TOTEXT);
		break;
	case CLASS_TOK_UINT32TOTEXT:
		r = parse_unary_fn(p, CLASS_OP_UINT32TOTEXT);
		break;
	case CLASS_TOK_LCASE:
		r = parse_unary_fn(p, CLASS_OP_LCASE);
		break;
	case CLASS_TOK_UCASE:
		r = parse_unary_fn(p, CLASS_OP_UCASE);
		break;
	default:
		r = syntax_error(p, &t);
		break;
	}
	p->depth--;
	return r;
}

/* string_expr ('+' string_expr)* */
static int parse_plus(parser_t *p, bool string_only)
{
	int l = parse_primary(p, string_only);

	while (l >= 0 && p->tok.type == CLASS_TOK_PLUS) {
		class_tok_t op = p->tok;

		if (l != CLASS_T_STRING) {
			return syntax_error_exp(p, &op, p->depth == 0 ? "end of file" : NULL);
		}
		advance(p);
		int r = parse_primary(p, true);
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_STRING) {
			return syntax_error(p, &p->tok);
		}
		if (emit_op(p, CLASS_OP_CONCAT) < 0) {
			return PARSE_FAIL;
		}
	}
	return l;
}

/* string_expr '==' string_expr (not associative) */
static int parse_cmp(parser_t *p)
{
	int l = parse_plus(p, false);

	if (l >= 0 && p->tok.type == CLASS_TOK_EQUAL) {
		class_tok_t op = p->tok;

		if (l != CLASS_T_STRING) {
			return syntax_error(p, &op);
		}
		advance(p);
		int r = parse_plus(p, true);
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_STRING) {
			return syntax_error(p, &p->tok);
		}
		if (emit_op(p, CLASS_OP_EQUAL) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_BOOL;
	}
	return l;
}

static int parse_not(parser_t *p)
{
	if (p->r == 0 && p->tok.type == CLASS_TOK_NOT) {
		if (p->depth >= CLASS_PARSE_DEPTH_MAX) {
			return fail_at(p, p->tok.pos, -EINVAL, "expression nested too deeply");
		}
		advance(p);
		p->depth++;
		int r = parse_not(p);
		p->depth--;
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_BOOL) {
			return syntax_error_exp(p, &p->tok, EXPECT_STRING_OP);
		}
		return emit_op(p, CLASS_OP_NOT) < 0 ? PARSE_FAIL : CLASS_T_BOOL;
	}
	return parse_cmp(p);
}

static int parse_binary_bool(parser_t *p, class_tok_type_t tok, class_op_t op,
                             int (*next)(parser_t *))
{
	int l = next(p);

	while (l >= 0 && p->tok.type == tok) {
		class_tok_t o = p->tok;

		if (l != CLASS_T_BOOL) {
			return syntax_error_exp(p, &o, EXPECT_STRING_OP);
		}
		advance(p);
		int r = next(p);
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_BOOL) {
			return syntax_error_exp(p, &p->tok, EXPECT_STRING_OP);
		}
		if (emit_op(p, op) < 0) {
			return PARSE_FAIL;
		}
	}
	return l;
}

static int parse_and(parser_t *p)
{
	return parse_binary_bool(p, CLASS_TOK_AND, CLASS_OP_AND, parse_not);
}

static int parse_or(parser_t *p)
{
	return parse_binary_bool(p, CLASS_TOK_OR, CLASS_OP_OR, parse_and);
}

void class_ast_done(class_ast_t *ast)
{
	if (ast == NULL) {
		return;
	}
	free(ast->insn);
	free(ast->pool);
	*ast = (class_ast_t){ 0 };
}

int class_parse(const char *text, const class_resolver_t *res, class_ast_t *ret_ast,
                class_err_t *reterr)
{
	class_ast_t ast = { 0 };
	parser_t p = {
		.lx = { .src = text, .len = strlen(text) },
		.res = res,
		.ast = &ast,
		.err = reterr,
	};
	int t;

	advance(&p);
	t = parse_or(&p);
	if (t == CLASS_T_STRING) {
		/* 'test' must be boolean: bison wants == or + to continue. */
		syntax_error_exp(&p, &p.tok, EXPECT_STRING_OP);
	} else if (t >= 0 && p.tok.type != CLASS_TOK_END) {
		syntax_error_exp(&p, &p.tok, "end of file");
	}
	if (p.r != 0) {
		class_ast_done(&ast);
		return p.r;
	}
	*ret_ast = ast;
	return 0;
}
