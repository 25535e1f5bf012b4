/* Internals of the expression parser: the parser state, and the token cursor,
 * error reporting, program building and terminal arguments (parser-base.c)
 * that the grammar (parser.c) is written with. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "class/class-int.h"

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

/* A string where a boolean is needed: bison wants the string to continue. */
#define EXPECT_STRING_OP "== or +"

/* ---- errors: the first one sticks (p->r); each returns PARSE_FAIL ---- */
int cp_fail_at(parser_t *p, uint32_t pos, int r, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
/** "syntax error, unexpected X[, expecting @expecting]" at token @t. */
int cp_syntax_error_exp(parser_t *p, const class_tok_t *t, const char *expecting);
int cp_syntax_error(parser_t *p, const class_tok_t *t);

/* ---- token cursor ---- */
void cp_advance(parser_t *p);
/** Consume the lookahead if it is @t. */
bool cp_accept(parser_t *p, class_tok_type_t t);
/** Consume @t or fail with bison's "expecting" text; 0 or PARSE_FAIL. */
int cp_expect(parser_t *p, class_tok_type_t t);
/** Copy a token's value NUL-terminated into @buf; false if too long. */
bool cp_tok_cstr(const class_tok_t *t, char *buf, size_t cap);

/* ---- program building ---- */
int cp_emit(parser_t *p, class_insn_t in);
int cp_emit_op(parser_t *p, class_op_t op);
/** A literal from the pool (CLASS_OP_LIT). */
int cp_emit_lit(parser_t *p, const void *data, size_t n);
int cp_emit_hexstring(parser_t *p, const class_tok_t *t);

/* ---- terminal arguments: each consumes its token(s); 0 or PARSE_FAIL ---- */
int cp_conv_uint32(parser_t *p, const class_tok_t *t, uint32_t *ret);
int cp_option_code(parser_t *p, uint16_t *ret);
int cp_sub_code(parser_t *p, uint16_t *ret);
int cp_enterprise(parser_t *p, uint32_t *ret);
int cp_int_arg(parser_t *p, uint32_t *ret, uint8_t *flags);
int cp_repr_exp(parser_t *p, bool allow_exists, uint8_t *ret_rep, const char *expecting);
int cp_repr(parser_t *p, bool allow_exists, uint8_t *ret_rep);
/** The value type a representation yields (exists: bool, else string). */
int cp_rep_type(uint8_t rep);
