/* Compile a `test` string into one immutable allocation: header, postfix
 * instructions, literal pool. Evaluation then needs no allocation and no
 * locking, so one program serves every worker. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "class/class-int.h"
#include "util/macro.h"

int class_op_arity(class_op_t op)
{
	switch (op) {
	case CLASS_OP_EQUAL:
	case CLASS_OP_AND:
	case CLASS_OP_OR:
	case CLASS_OP_CONCAT:
	case CLASS_OP_TOHEX:
	case CLASS_OP_SPLIT:
		return 2;
	case CLASS_OP_IFELSE:
		return 3;
	case CLASS_OP_NOT:
	case CLASS_OP_SUBSTRING:
	case CLASS_OP_ADDRTOTEXT:
	case CLASS_OP_INT8TOTEXT:
	case CLASS_OP_INT16TOTEXT:
	case CLASS_OP_INT32TOTEXT:
	case CLASS_OP_UINT8TOTEXT:
	case CLASS_OP_UINT16TOTEXT:
	case CLASS_OP_UINT32TOTEXT:
	case CLASS_OP_LCASE:
	case CLASS_OP_UCASE:
		return 1;
	default:
		return 0;
	}
}

/* Walk the stack effects once: proves the program leaves exactly one value
 * and never underflows, and sizes the evaluation stack. */
static int stack_depth(const class_ast_t *ast, uint32_t *ret_max)
{
	uint32_t sp = 0, max = 0;

	for (uint32_t i = 0; i < ast->n_insn; i++) {
		uint32_t k = (uint32_t)class_op_arity(ast->insn[i].op);

		if (sp < k) {
			return -EINVAL;
		}
		sp = sp - k + 1;
		max = MAX(max, sp);
	}
	if (sp != 1) {
		return -EINVAL;
	}
	*ret_max = max;
	return 0;
}

int class_expr_compile(const char *text, const class_resolver_t *res, class_expr_t **ret_expr,
                       class_err_t *reterr)
{
	class_ast_t ast;
	uint32_t depth;
	int r;

	assert_return(text != NULL && ret_expr != NULL, -EINVAL);
	if (reterr != NULL) {
		*reterr = (class_err_t){ 0 };
	}

	r = class_parse(text, res, &ast, reterr);
	if (r < 0) {
		return r;
	}
	r = stack_depth(&ast, &depth);
	if (r < 0) {
		/* The parser only emits balanced programs; this is a bug guard. */
		if (reterr != NULL) {
			reterr->column = 1;
			snprintf(reterr->msg, sizeof(reterr->msg), "internal error: unbalanced program");
		}
		class_ast_done(&ast);
		return r;
	}

	size_t insn_bytes = (size_t)ast.n_insn * sizeof(class_insn_t);
	class_expr_t *e = malloc(sizeof(*e) + insn_bytes + ast.pool_len);
	if (e == NULL) {
		class_ast_done(&ast);
		return -ENOMEM;
	}
	e->n_insn = ast.n_insn;
	e->max_depth = depth;
	e->pool_len = ast.pool_len;
	e->depends_on_known = ast.depends_on_known;
	memcpy(e->insn, ast.insn, insn_bytes);
	e->pool = (const uint8_t *)e->insn + insn_bytes;
	if (ast.pool_len > 0) {
		memcpy((uint8_t *)e->insn + insn_bytes, ast.pool, ast.pool_len);
	}
	class_ast_done(&ast);

	*ret_expr = e;
	return 0;
}

void class_expr_free(class_expr_t *e)
{
	free(e);
}

bool class_expr_depends_on_known(const class_expr_t *e)
{
	return e != NULL && e->depends_on_known;
}
