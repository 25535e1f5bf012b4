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
#include <stdlib.h>
#include <string.h>

#include "class/parser-int.h"
#include "util/macro.h"

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
		return cp_syntax_error_exp(p, &p->tok, t == CLASS_T_STRING ? EXPECT_STRING_OP : NULL);
	}
	return cp_expect(p, follow);
}

static int parse_option(parser_t *p)
{
	uint16_t code = 0, sub = 0;
	uint8_t rep = 0;

	if (cp_expect(p, CLASS_TOK_LBRACKET) < 0 || cp_option_code(p, &code) < 0 ||
	    cp_expect(p, CLASS_TOK_RBRACKET) < 0 || cp_expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	if (cp_accept(p, CLASS_TOK_OPTION)) {
		if (cp_expect(p, CLASS_TOK_LBRACKET) < 0 || cp_sub_code(p, &sub) < 0 ||
		    cp_expect(p, CLASS_TOK_RBRACKET) < 0 || cp_expect(p, CLASS_TOK_DOT) < 0 ||
		    cp_repr(p, !p->string_only, &rep) < 0) {
			return PARSE_FAIL;
		}
		if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_SUBOPTION, .code = code, .sub = sub,
		                               .rep = rep }) < 0) {
			return PARSE_FAIL;
		}
		return cp_rep_type(rep);
	}
	if (cp_repr_exp(p, !p->string_only, &rep,
	                p->string_only ? "option or text or hex" : NULL) < 0 ||
	    cp_emit(p, (class_insn_t){ .op = CLASS_OP_OPTION, .code = code, .rep = rep }) < 0) {
		return PARSE_FAIL;
	}
	return cp_rep_type(rep);
}

static int parse_relay4(parser_t *p)
{
	uint16_t sub = 0;
	uint8_t rep = 0;

	if (cp_expect(p, CLASS_TOK_LBRACKET) < 0 || cp_sub_code(p, &sub) < 0 ||
	    cp_expect(p, CLASS_TOK_RBRACKET) < 0 || cp_expect(p, CLASS_TOK_DOT) < 0 ||
	    cp_repr(p, !p->string_only, &rep) < 0) {
		return PARSE_FAIL;
	}
	if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_RELAY4, .sub = sub, .rep = rep }) < 0) {
		return PARSE_FAIL;
	}
	return cp_rep_type(rep);
}

static int parse_pkt(parser_t *p)
{
	uint8_t mode;

	if (cp_expect(p, CLASS_TOK_DOT) < 0) {
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
		return cp_syntax_error_exp(p, &p->tok, "iface or src or dst or len");
	}
	cp_advance(p);
	if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_PKT, .mode = mode }) < 0) {
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

	if (cp_expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (p->tok.type == fields[i].t) {
			cp_advance(p);
			if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_PKT4, .mode = fields[i].mode }) < 0) {
				return PARSE_FAIL;
			}
			return CLASS_T_STRING;
		}
	}
	return cp_syntax_error(p, &p->tok);
}

/* vendor.enterprise | vendor[E].exists | vendor[E].option[M].(hex|text|exists) */
static int parse_vendor(parser_t *p)
{
	uint32_t ent;
	uint16_t sub = 0;
	uint8_t rep = 0;

	if (cp_accept(p, CLASS_TOK_DOT)) {
		if (cp_expect(p, CLASS_TOK_ENTERPRISE) < 0 ||
		    cp_emit(p, (class_insn_t){ .op = CLASS_OP_VENDOR, .mode = CLASS_VF_ENTERPRISE,
		                               .rep = CLASS_REP_HEX }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_STRING;
	}
	if (cp_expect(p, CLASS_TOK_LBRACKET) < 0 || cp_enterprise(p, &ent) < 0 ||
	    cp_expect(p, CLASS_TOK_RBRACKET) < 0 || cp_expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	if (!p->string_only && cp_accept(p, CLASS_TOK_EXISTS)) {
		if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_VENDOR, .mode = CLASS_VF_EXISTS,
		                               .rep = CLASS_REP_EXISTS, .a = ent }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_BOOL;
	}
	if (p->r == 0 && p->tok.type != CLASS_TOK_OPTION) {
		return cp_syntax_error_exp(p, &p->tok, p->string_only ? "option" : "option or exists");
	}
	if (cp_expect(p, CLASS_TOK_OPTION) < 0 || cp_expect(p, CLASS_TOK_LBRACKET) < 0 ||
	    cp_sub_code(p, &sub) < 0 || cp_expect(p, CLASS_TOK_RBRACKET) < 0 ||
	    cp_expect(p, CLASS_TOK_DOT) < 0 || cp_repr(p, !p->string_only, &rep) < 0) {
		return PARSE_FAIL;
	}
	if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_VENDOR, .mode = CLASS_VF_SUBOPTION, .rep = rep,
	                               .a = ent, .sub = sub }) < 0) {
		return PARSE_FAIL;
	}
	return cp_rep_type(rep);
}

/* vendor-class.enterprise | vendor-class[E].exists | vendor-class[E].data[[i]] */
static int parse_vendor_class(parser_t *p)
{
	uint32_t ent = 0;
	uint32_t idx = 0;

	if (cp_accept(p, CLASS_TOK_DOT)) {
		if (cp_expect(p, CLASS_TOK_ENTERPRISE) < 0 ||
		    cp_emit(p, (class_insn_t){ .op = CLASS_OP_VCLASS, .mode = CLASS_VF_ENTERPRISE,
		                               .rep = CLASS_REP_HEX }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_STRING;
	}
	if (cp_expect(p, CLASS_TOK_LBRACKET) < 0 || cp_enterprise(p, &ent) < 0 ||
	    cp_expect(p, CLASS_TOK_RBRACKET) < 0 || cp_expect(p, CLASS_TOK_DOT) < 0) {
		return PARSE_FAIL;
	}
	if (!p->string_only && cp_accept(p, CLASS_TOK_EXISTS)) {
		if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_VCLASS, .mode = CLASS_VF_EXISTS,
		                               .rep = CLASS_REP_EXISTS, .a = ent }) < 0) {
			return PARSE_FAIL;
		}
		return CLASS_T_BOOL;
	}
	if (cp_expect(p, CLASS_TOK_DATA) < 0) {
		return PARSE_FAIL;
	}
	if (cp_accept(p, CLASS_TOK_LBRACKET)) {
		class_tok_t t = p->tok;

		if (p->r != 0) {
			return PARSE_FAIL;
		}
		if (t.type != CLASS_TOK_INTEGER) {
			return cp_syntax_error_exp(p, &t, "integer");
		}
		/* EvalContext::convertUint8 */
		if (t.ival < 0 || t.ival > 255) {
			return cp_fail_at(p, t.pos, -EINVAL, "Invalid value in %.*s. Allowed range: 0..255",
			                  (int)t.len, t.val);
		}
		idx = (uint32_t)t.ival;
		cp_advance(p);
		if (cp_expect(p, CLASS_TOK_RBRACKET) < 0) {
			return PARSE_FAIL;
		}
	}
	if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_VCLASS, .mode = CLASS_VF_DATA,
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
	if (cp_emit(p, (class_insn_t){ .op = CLASS_OP_MEMBER, .a = (uint32_t)idx }) < 0) {
		return PARSE_FAIL;
	}
	return CLASS_T_BOOL;
}

static int parse_member(parser_t *p)
{
	class_tok_t t;
	char name[256];
	int idx = -1;

	if (cp_expect(p, CLASS_TOK_LPAREN) < 0) {
		return PARSE_FAIL;
	}
	t = p->tok;
	if (t.type != CLASS_TOK_STRING) {
		return cp_syntax_error(p, &t);
	}
	cp_advance(p);
	if (cp_expect(p, CLASS_TOK_RPAREN) < 0) {
		return PARSE_FAIL;
	}
	if (cp_tok_cstr(&t, name, sizeof(name)) && p->res != NULL && p->res->class_index != NULL) {
		idx = p->res->class_index(p->res->userdata, name);
	}
	if (idx < 0) {
		/* parser.yy MEMBER rule: only defined or built-in classes. */
		return cp_fail_at(p, t.pos, -EINVAL, "Not defined client class '%.*s'",
		                  (int)MIN(t.val_len, 200u), t.val);
	}
	return emit_member(p, idx);
}

/* name '(' string ')' for the one-argument conversion functions. */
static int parse_unary_fn(parser_t *p, class_op_t op)
{
	if (cp_expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_RPAREN) < 0 ||
	    cp_emit_op(p, op) < 0) {
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
		return cp_syntax_error(p, &t);
	}
	if (p->depth >= CLASS_PARSE_DEPTH_MAX) {
		return cp_fail_at(p, t.pos, -EINVAL, "expression nested too deeply");
	}

	switch (t.type) {
	case CLASS_TOK_STRING:
		cp_advance(p);
		return cp_emit_lit(p, t.val, t.val_len) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	case CLASS_TOK_HEXSTRING:
		cp_advance(p);
		return cp_emit_hexstring(p, &t) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	case CLASS_TOK_IP_ADDRESS:
		cp_advance(p);
		return cp_emit_lit(p, t.ip, t.ip_len) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	case CLASS_TOK_INTEGER: {
		/* integer_expr: a 4-byte big-endian uint32 (EvalContext::fromUint32). */
		uint8_t b[4];

		if (cp_conv_uint32(p, &t, &u) < 0) {
			return PARSE_FAIL;
		}
		cp_advance(p);
		b[0] = (uint8_t)(u >> 24);
		b[1] = (uint8_t)(u >> 16);
		b[2] = (uint8_t)(u >> 8);
		b[3] = (uint8_t)u;
		return cp_emit_lit(p, b, 4) < 0 ? PARSE_FAIL : CLASS_T_STRING;
	}
	case CLASS_TOK_LPAREN:
		cp_advance(p);
		p->depth++;
		r = parse_or(p);
		p->depth--;
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (p->tok.type != CLASS_TOK_RPAREN) {
			return cp_syntax_error_exp(p, &p->tok,
			                           r == CLASS_T_BOOL ? ") or and or or" : ") or == or +");
		}
		cp_advance(p);
		return p->r == 0 ? r : PARSE_FAIL;
	case CLASS_TOK_OPTION:
		cp_advance(p);
		return parse_option(p);
	case CLASS_TOK_RELAY4:
		cp_advance(p);
		return parse_relay4(p);
	case CLASS_TOK_RELAY6:
		/* convertNestLevelNumber() rejects every nest level in DHCPv4. */
		cp_advance(p);
		if (cp_expect(p, CLASS_TOK_LBRACKET) < 0) {
			return PARSE_FAIL;
		}
		if (p->tok.type == CLASS_TOK_INTEGER) {
			return cp_fail_at(p, p->tok.pos, -EINVAL, "Nest level invalid for DHCPv4 packets");
		}
		return cp_syntax_error(p, &p->tok);
	case CLASS_TOK_PKT6:
		cp_advance(p);
		if (cp_expect(p, CLASS_TOK_DOT) < 0) {
			return PARSE_FAIL;
		}
		if (p->tok.type != CLASS_TOK_MSGTYPE && p->tok.type != CLASS_TOK_TRANSID) {
			return cp_syntax_error(p, &p->tok);
		}
		return cp_fail_at(p, t.pos, -EINVAL, "pkt6 can only be used in DHCPv6.");
	case CLASS_TOK_PKT:
		cp_advance(p);
		return parse_pkt(p);
	case CLASS_TOK_PKT4:
		cp_advance(p);
		return parse_pkt4(p);
	case CLASS_TOK_VENDOR:
		cp_advance(p);
		return parse_vendor(p);
	case CLASS_TOK_VENDOR_CLASS:
		cp_advance(p);
		return parse_vendor_class(p);
	case CLASS_TOK_MEMBER:
		cp_advance(p);
		return parse_member(p);
	case CLASS_TOK_KNOWN:
		cp_advance(p);
		if (p->res == NULL) {
			return cp_fail_at(p, t.pos, -EINVAL, "'known' needs a resolver");
		}
		p->ast->depends_on_known = true;
		return emit_member(p, p->res->known_idx);
	case CLASS_TOK_UNKNOWN:
		cp_advance(p);
		if (p->res == NULL) {
			return cp_fail_at(p, t.pos, -EINVAL, "'unknown' needs a resolver");
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
		return cp_syntax_error(p, &t);
	}
	cp_advance(p);
	p->depth++;
	r = PARSE_FAIL;
	switch (t.type) {
	case CLASS_TOK_SUBSTRING: {
		class_insn_t in = { .op = CLASS_OP_SUBSTRING };

		if (cp_expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    cp_int_arg(p, &in.a, &in.flags) < 0 || cp_expect(p, CLASS_TOK_COMMA) < 0) {
			break;
		}
		if (cp_accept(p, CLASS_TOK_ALL)) {
			in.flags |= CLASS_F_LEN_ALL;
		} else if (cp_int_arg(p, &in.b, &in.flags) < 0) {
			break;
		}
		if (cp_expect(p, CLASS_TOK_RPAREN) < 0 || cp_emit(p, in) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	}
	case CLASS_TOK_SPLIT: {
		class_insn_t in = { .op = CLASS_OP_SPLIT };

		if (cp_expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    cp_int_arg(p, &in.a, &in.flags) < 0 || cp_expect(p, CLASS_TOK_RPAREN) < 0 ||
		    cp_emit(p, in) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	}
	case CLASS_TOK_CONCAT:
	case CLASS_TOK_TOHEXSTRING:
		if (cp_expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_RPAREN) < 0 ||
		    cp_emit_op(p, t.type == CLASS_TOK_CONCAT ? CLASS_OP_CONCAT : CLASS_OP_TOHEX) < 0) {
			break;
		}
		r = CLASS_T_STRING;
		break;
	case CLASS_TOK_IFELSE:
		if (cp_expect(p, CLASS_TOK_LPAREN) < 0 || parse_arg(p, CLASS_T_BOOL, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_COMMA) < 0 ||
		    parse_arg(p, CLASS_T_STRING, CLASS_TOK_RPAREN) < 0 || cp_emit_op(p, CLASS_OP_IFELSE) < 0) {
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
		r = cp_syntax_error(p, &t);
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
			return cp_syntax_error_exp(p, &op, p->depth == 0 ? "end of file" : NULL);
		}
		cp_advance(p);
		int r = parse_primary(p, true);
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_STRING) {
			return cp_syntax_error(p, &p->tok);
		}
		if (cp_emit_op(p, CLASS_OP_CONCAT) < 0) {
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
			return cp_syntax_error(p, &op);
		}
		cp_advance(p);
		int r = parse_plus(p, true);
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_STRING) {
			return cp_syntax_error(p, &p->tok);
		}
		if (cp_emit_op(p, CLASS_OP_EQUAL) < 0) {
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
			return cp_fail_at(p, p->tok.pos, -EINVAL, "expression nested too deeply");
		}
		cp_advance(p);
		p->depth++;
		int r = parse_not(p);
		p->depth--;
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_BOOL) {
			return cp_syntax_error_exp(p, &p->tok, EXPECT_STRING_OP);
		}
		return cp_emit_op(p, CLASS_OP_NOT) < 0 ? PARSE_FAIL : CLASS_T_BOOL;
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
			return cp_syntax_error_exp(p, &o, EXPECT_STRING_OP);
		}
		cp_advance(p);
		int r = next(p);
		if (r < 0) {
			return PARSE_FAIL;
		}
		if (r != CLASS_T_BOOL) {
			return cp_syntax_error_exp(p, &p->tok, EXPECT_STRING_OP);
		}
		if (cp_emit_op(p, op) < 0) {
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

	cp_advance(&p);
	t = parse_or(&p);
	if (t == CLASS_T_STRING) {
		/* 'test' must be boolean: bison wants == or + to continue. */
		cp_syntax_error_exp(&p, &p.tok, EXPECT_STRING_OP);
	} else if (t >= 0 && p.tok.type != CLASS_TOK_END) {
		cp_syntax_error_exp(&p, &p.tok, "end of file");
	}
	if (p.r != 0) {
		class_ast_done(&ast);
		return p.r;
	}
	*ret_ast = ast;
	return 0;
}
