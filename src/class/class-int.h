/* Private to src/class/: tokens, the AST the parser builds and the compiled
 * program the evaluator runs. Nothing outside src/class/ includes this. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "class/class.h"

/* Tokens of Kea 2.2's src/lib/eval/lexer.ll, plus our extensions (known,
 * unknown, lcase, ucase). */
typedef enum class_tok_type {
	CLASS_TOK_END,
	CLASS_TOK_LPAREN,
	CLASS_TOK_RPAREN,
	CLASS_TOK_LBRACKET,
	CLASS_TOK_RBRACKET,
	CLASS_TOK_DOT,
	CLASS_TOK_COMMA,
	CLASS_TOK_ANY,
	CLASS_TOK_PLUS,
	CLASS_TOK_EQUAL,
	CLASS_TOK_STRING,
	CLASS_TOK_HEXSTRING,
	CLASS_TOK_INTEGER,
	CLASS_TOK_IP_ADDRESS,
	CLASS_TOK_OPTION_NAME,
	/* keywords, in the order of the keyword table in lexer.c */
	CLASS_TOK_OPTION,
	CLASS_TOK_RELAY4,
	CLASS_TOK_RELAY6,
	CLASS_TOK_PEERADDR,
	CLASS_TOK_LINKADDR,
	CLASS_TOK_TEXT,
	CLASS_TOK_HEX,
	CLASS_TOK_EXISTS,
	CLASS_TOK_PKT,
	CLASS_TOK_IFACE,
	CLASS_TOK_SRC,
	CLASS_TOK_DST,
	CLASS_TOK_LEN,
	CLASS_TOK_PKT4,
	CLASS_TOK_MAC,
	CLASS_TOK_HLEN,
	CLASS_TOK_HTYPE,
	CLASS_TOK_CIADDR,
	CLASS_TOK_GIADDR,
	CLASS_TOK_YIADDR,
	CLASS_TOK_SIADDR,
	CLASS_TOK_PKT6,
	CLASS_TOK_MSGTYPE,
	CLASS_TOK_TRANSID,
	CLASS_TOK_VENDOR,
	CLASS_TOK_VENDOR_CLASS,
	CLASS_TOK_DATA,
	CLASS_TOK_ENTERPRISE,
	CLASS_TOK_SUBSTRING,
	CLASS_TOK_SPLIT,
	CLASS_TOK_ALL,
	CLASS_TOK_CONCAT,
	CLASS_TOK_IFELSE,
	CLASS_TOK_TOHEXSTRING,
	CLASS_TOK_ADDRTOTEXT,
	CLASS_TOK_INT8TOTEXT,
	CLASS_TOK_INT16TOTEXT,
	CLASS_TOK_INT32TOTEXT,
	CLASS_TOK_UINT8TOTEXT,
	CLASS_TOK_UINT16TOTEXT,
	CLASS_TOK_UINT32TOTEXT,
	CLASS_TOK_NOT,
	CLASS_TOK_AND,
	CLASS_TOK_OR,
	CLASS_TOK_MEMBER,
	CLASS_TOK_KNOWN,
	CLASS_TOK_UNKNOWN,
	CLASS_TOK_LCASE,
	CLASS_TOK_UCASE,
	_CLASS_TOK_MAX,
} class_tok_type_t;

typedef struct class_tok {
	class_tok_type_t type;
	uint32_t pos;                   /* byte offset of the token's first character */
	uint32_t len;                   /* length of the token text */
	const char *val;                /* STRING: content without quotes; OPTION_NAME: name;
	                                 * HEXSTRING: digits after 0x; else token text */
	uint32_t val_len;
	int64_t ival;                   /* INTEGER */
	uint8_t ip[16];                 /* IP_ADDRESS */
	uint8_t ip_len;                 /* 4 or 16 */
} class_tok_t;

typedef struct class_lexer {
	const char *src;
	size_t len;
	size_t pos;
} class_lexer_t;

/** Scan the next token of @lx into @tok. Returns 0, or -EINVAL with @reterr
 *  set (column and Kea's message) for an invalid character, an integer that
 *  does not fit int64 or a malformed address literal. */
int class_lex_next(class_lexer_t *lx, class_tok_t *tok, class_err_t *reterr);

/** Bison-style display name of a token type ("end of file", ")", "option"). */
const char *class_tok_name(class_tok_type_t t);

/* ---- AST ---- */

typedef enum class_vtype {
	CLASS_T_STRING,
	CLASS_T_BOOL,
} class_vtype_t;

/* Operations, shared by AST nodes and program instructions. */
typedef enum class_op {
	CLASS_OP_LIT,           /* a = pool offset, b = length */
	CLASS_OP_TRUE,          /* internal constants */
	CLASS_OP_OPTION,        /* code, mode */
	CLASS_OP_SUBOPTION,     /* code, sub, mode */
	CLASS_OP_RELAY4,        /* sub, mode */
	CLASS_OP_PKT,           /* mode = CLASS_PKT_* */
	CLASS_OP_PKT4,          /* mode = CLASS_PKT4_* */
	CLASS_OP_VENDOR,        /* a = enterprise (0 any), mode = CLASS_VF_*, sub, rep */
	CLASS_OP_VCLASS,        /* a = enterprise, mode = CLASS_VF_*, b = data index */
	CLASS_OP_MEMBER,        /* a = class index (int) */
	CLASS_OP_EQUAL,
	CLASS_OP_AND,
	CLASS_OP_OR,
	CLASS_OP_NOT,
	CLASS_OP_CONCAT,
	CLASS_OP_IFELSE,
	CLASS_OP_TOHEX,
	CLASS_OP_SUBSTRING,     /* a = start (int32 bits), b = length (int32 bits), flags */
	CLASS_OP_SPLIT,         /* a = field (int32 bits), flags */
	CLASS_OP_ADDRTOTEXT,
	CLASS_OP_INT8TOTEXT,
	CLASS_OP_INT16TOTEXT,
	CLASS_OP_INT32TOTEXT,
	CLASS_OP_UINT8TOTEXT,
	CLASS_OP_UINT16TOTEXT,
	CLASS_OP_UINT32TOTEXT,
	CLASS_OP_LCASE,
	CLASS_OP_UCASE,
	_CLASS_OP_MAX,
} class_op_t;

/* Representation of an option value (TokenOption::RepresentationType). */
enum {
	CLASS_REP_HEX,
	CLASS_REP_TEXT,
	CLASS_REP_EXISTS,
};

enum {
	CLASS_PKT_IFACE,
	CLASS_PKT_SRC,
	CLASS_PKT_DST,
	CLASS_PKT_LEN,
};

enum {
	CLASS_PKT4_MAC,
	CLASS_PKT4_HLEN,
	CLASS_PKT4_HTYPE,
	CLASS_PKT4_CIADDR,
	CLASS_PKT4_GIADDR,
	CLASS_PKT4_YIADDR,
	CLASS_PKT4_SIADDR,
	CLASS_PKT4_MSGTYPE,
	CLASS_PKT4_TRANSID,
};

/* Vendor / vendor-class field (TokenVendor::FieldType). */
enum {
	CLASS_VF_EXISTS,
	CLASS_VF_ENTERPRISE,
	CLASS_VF_SUBOPTION,
	CLASS_VF_DATA,
};

/* Instruction flags. */
#define CLASS_F_LEN_ALL 0x1u    /* substring(..., all) */
#define CLASS_F_BAD_INT 0x2u    /* a literal argument does not fit int: evaluation error */

/* The parser emits the program directly in postfix order (each construct is
 * appended when it is complete, as Kea's bison actions push tokens), so the
 * "tree" is the instruction list itself. */
typedef struct class_insn {
	uint8_t op;                     /* class_op_t */
	uint8_t mode;
	uint8_t rep;
	uint8_t flags;
	uint16_t code;
	uint16_t sub;
	uint32_t a;
	uint32_t b;
} class_insn_t;

typedef struct class_ast {
	class_insn_t *insn;
	uint32_t n_insn;
	uint32_t cap_insn;
	uint8_t *pool;                  /* literal bytes */
	uint32_t pool_len;
	uint32_t pool_cap;
	bool depends_on_known;
} class_ast_t;

/* Limits that keep a hostile expression (config input, the fuzzer) from
 * exhausting the C stack at compile time or the scratch at evaluation. */
#define CLASS_PARSE_DEPTH_MAX 64
#define CLASS_INSN_MAX 4096
#define CLASS_POOL_MAX 65536

/** Parse @text into @ret_ast (caller storage, released with class_ast_done()).
 *  Resolves option names and member() classes through @res. Returns 0,
 *  -EINVAL with @reterr filled, or -ENOMEM. */
int class_parse(const char *text, const class_resolver_t *res, class_ast_t *ret_ast,
                class_err_t *reterr);
void class_ast_done(class_ast_t *ast);

/** Number of values @op pops off the evaluation stack (it always pushes one). */
int class_op_arity(class_op_t op);

/* ---- compiled program ---- */

/* One allocation: header, instructions, then the literal pool. */
struct class_expr {
	uint32_t n_insn;
	uint32_t max_depth;             /* deepest value stack the program reaches */
	uint32_t pool_len;
	bool depends_on_known;
	const uint8_t *pool;            /* points behind insn[] */
	class_insn_t insn[];
};

/** Whether standard DHCPv4 option @code is string-typed in Kea's
 *  std_option_defs.h (OptionString: trailing NULs trimmed, .text = value). */
bool class_opt_is_string(uint8_t code);
