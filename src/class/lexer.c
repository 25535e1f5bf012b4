/* Hand-written scanner for Kea's expression language. It reproduces flex's
 * rule selection in src/lib/eval/lexer.ll (Kea 2.2): the longest match wins,
 * ties go to the earlier rule, so "notmember('A')" is NOT then MEMBER, and an
 * identifier followed by optional blanks and ']' is an option name even when it
 * spells a keyword ("option[all]"). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "class/class-int.h"
#include "util/macro.h"

typedef struct kw {
	const char *s;
	class_tok_type_t t;
} kw_t;

static const kw_t keywords[] = {
	{ "option", CLASS_TOK_OPTION },
	{ "relay4", CLASS_TOK_RELAY4 },
	{ "relay6", CLASS_TOK_RELAY6 },
	{ "peeraddr", CLASS_TOK_PEERADDR },
	{ "linkaddr", CLASS_TOK_LINKADDR },
	{ "text", CLASS_TOK_TEXT },
	{ "hex", CLASS_TOK_HEX },
	{ "exists", CLASS_TOK_EXISTS },
	{ "pkt", CLASS_TOK_PKT },
	{ "iface", CLASS_TOK_IFACE },
	{ "src", CLASS_TOK_SRC },
	{ "dst", CLASS_TOK_DST },
	{ "len", CLASS_TOK_LEN },
	{ "pkt4", CLASS_TOK_PKT4 },
	{ "mac", CLASS_TOK_MAC },
	{ "hlen", CLASS_TOK_HLEN },
	{ "htype", CLASS_TOK_HTYPE },
	{ "ciaddr", CLASS_TOK_CIADDR },
	{ "giaddr", CLASS_TOK_GIADDR },
	{ "yiaddr", CLASS_TOK_YIADDR },
	{ "siaddr", CLASS_TOK_SIADDR },
	{ "pkt6", CLASS_TOK_PKT6 },
	{ "msgtype", CLASS_TOK_MSGTYPE },
	{ "transid", CLASS_TOK_TRANSID },
	{ "vendor", CLASS_TOK_VENDOR },
	{ "vendor-class", CLASS_TOK_VENDOR_CLASS },
	{ "data", CLASS_TOK_DATA },
	{ "enterprise", CLASS_TOK_ENTERPRISE },
	{ "substring", CLASS_TOK_SUBSTRING },
	{ "split", CLASS_TOK_SPLIT },
	{ "all", CLASS_TOK_ALL },
	{ "concat", CLASS_TOK_CONCAT },
	{ "ifelse", CLASS_TOK_IFELSE },
	{ "hexstring", CLASS_TOK_TOHEXSTRING },
	{ "addrtotext", CLASS_TOK_ADDRTOTEXT },
	{ "int8totext", CLASS_TOK_INT8TOTEXT },
	{ "int16totext", CLASS_TOK_INT16TOTEXT },
	{ "int32totext", CLASS_TOK_INT32TOTEXT },
	{ "uint8totext", CLASS_TOK_UINT8TOTEXT },
	{ "uint16totext", CLASS_TOK_UINT16TOTEXT },
	{ "uint32totext", CLASS_TOK_UINT32TOTEXT },
	{ "not", CLASS_TOK_NOT },
	{ "and", CLASS_TOK_AND },
	{ "or", CLASS_TOK_OR },
	{ "member", CLASS_TOK_MEMBER },
	/* Extensions: not in Kea 2.2's lexer (see kea-v4-features.md §6.1). */
	{ "known", CLASS_TOK_KNOWN },
	{ "unknown", CLASS_TOK_UNKNOWN },
	{ "lcase", CLASS_TOK_LCASE },
	{ "ucase", CLASS_TOK_UCASE },
};

const char *class_tok_name(class_tok_type_t t)
{
	static const char *const fixed[] = {
		[CLASS_TOK_END] = "end of file",
		[CLASS_TOK_LPAREN] = "(",
		[CLASS_TOK_RPAREN] = ")",
		[CLASS_TOK_LBRACKET] = "[",
		[CLASS_TOK_RBRACKET] = "]",
		[CLASS_TOK_DOT] = ".",
		[CLASS_TOK_COMMA] = ",",
		[CLASS_TOK_ANY] = "*",
		[CLASS_TOK_PLUS] = "+",
		[CLASS_TOK_EQUAL] = "==",
		[CLASS_TOK_STRING] = "constant string",
		[CLASS_TOK_HEXSTRING] = "constant hexstring",
		[CLASS_TOK_INTEGER] = "integer",
		[CLASS_TOK_IP_ADDRESS] = "ip address",
		[CLASS_TOK_OPTION_NAME] = "option name",
	};

	if ((size_t)t < ARRAY_SIZE(fixed) && fixed[t] != NULL) {
		return fixed[t];
	}
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++) {
		if (keywords[i].t == t) {
			return keywords[i].s;
		}
	}
	return "?";
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_xdigit(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static size_t span(const char *s, size_t n, bool (*pred)(char))
{
	size_t i = 0;

	while (i < n && pred(s[i])) {
		i++;
	}
	return i;
}

/* 0[xX]{hex} */
static size_t match_hex(const char *s, size_t n)
{
	if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
		return 0;
	}
	size_t d = span(s + 2, n - 2, is_xdigit);
	return d > 0 ? 2 + d : 0;
}

/* -?[0-9]+ */
static size_t match_int(const char *s, size_t n)
{
	size_t i = (n > 0 && s[0] == '-') ? 1 : 0;
	size_t d = span(s + i, n - i, is_digit);

	return d > 0 ? i + d : 0;
}

/* [0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ */
static size_t match_addr4(const char *s, size_t n)
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= n || s[i] != '.') {
				return 0;
			}
			i++;
		}
		size_t d = span(s + i, n - i, is_digit);
		if (d == 0) {
			return 0;
		}
		i += d;
	}
	return i;
}

static bool is_addr6_tail(char c)
{
	return is_xdigit(c) || c == ':' || c == '.';
}

/* [0-9a-fA-F]*\:[0-9a-fA-F]*\:[0-9a-fA-F:.]* */
static size_t match_addr6(const char *s, size_t n)
{
	size_t i = span(s, n, is_xdigit);

	if (i >= n || s[i] != ':') {
		return 0;
	}
	i++;
	i += span(s + i, n - i, is_xdigit);
	if (i >= n || s[i] != ':') {
		return 0;
	}
	i++;
	i += span(s + i, n - i, is_addr6_tail);
	return i;
}

static bool is_name_char(char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '_';
}

/* Kea: [A-Za-z]([-_A-Za-z0-9]*[A-Za-z0-9])?({blank}|\n)* with trailing context ']'.
 * Returns the match length including the trailing ']' (flex counts trailing
 * context when picking the longest match); *ret_name is the name length. */
static size_t match_option_name(const char *s, size_t n, size_t *ret_name)
{
	if (n == 0 || !is_alpha(s[0])) {
		return 0;
	}
	size_t i = 1 + span(s + 1, n - 1, is_name_char);
	if (s[i - 1] == '-' || s[i - 1] == '_') {
		return 0;
	}
	size_t name = i;
	i += span(s + i, n - i, is_blank);
	if (i >= n || s[i] != ']') {
		return 0;
	}
	*ret_name = name;
	return i + 1;
}

static int lex_error(class_err_t *reterr, size_t pos, const char *fmt, const char *arg, int arglen)
{
	if (reterr != NULL) {
		reterr->column = (int)pos + 1;
		snprintf(reterr->msg, sizeof(reterr->msg), fmt, arglen, arg);
	}
	return -EINVAL;
}

/* int64 range check of a decimal literal, as boost::lexical_cast<int64_t>. */
static bool parse_int64(const char *s, size_t n, int64_t *ret)
{
	bool neg = s[0] == '-';
	uint64_t v = 0;
	uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;

	for (size_t i = neg ? 1 : 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');
		if (v > (lim - d) / 10) {
			return false;
		}
		v = v * 10 + d;
	}
	if (neg) {
		*ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		*ret = (int64_t)v;
	}
	return true;
}

int class_lex_next(class_lexer_t *lx, class_tok_t *tok, class_err_t *reterr)
{
	const char *src = lx->src;

	while (lx->pos < lx->len && is_blank(src[lx->pos])) {
		lx->pos++;
	}

	const char *s = src + lx->pos;
	size_t n = lx->len - lx->pos;

	*tok = (class_tok_t){ .pos = (uint32_t)lx->pos, .val = s };
	if (n == 0) {
		tok->type = CLASS_TOK_END;
		return 0;
	}

	/* \'[^\'\n]*\' */
	if (s[0] == '\'') {
		size_t i = 1;
		while (i < n && s[i] != '\'' && s[i] != '\n') {
			i++;
		}
		if (i < n && s[i] == '\'') {
			tok->type = CLASS_TOK_STRING;
			tok->len = (uint32_t)(i + 1);
			tok->val = s + 1;
			tok->val_len = (uint32_t)(i - 1);
			lx->pos += i + 1;
			return 0;
		}
		return lex_error(reterr, lx->pos, "Invalid character: %.*s", s, 1);
	}

	/* Longest match over the pattern rules; ties go to the earlier rule. */
	size_t best = 0;
	class_tok_type_t best_t = CLASS_TOK_END;
	size_t name_len = 0;
	size_t m;

	m = match_hex(s, n);
	if (m > best) {
		best = m;
		best_t = CLASS_TOK_HEXSTRING;
	}
	m = match_int(s, n);
	if (m > best) {
		best = m;
		best_t = CLASS_TOK_INTEGER;
	}
	m = match_option_name(s, n, &name_len);
	if (m > best) {
		best = m;
		best_t = CLASS_TOK_OPTION_NAME;
	}
	m = MAX(match_addr4(s, n), match_addr6(s, n));
	if (m > best) {
		best = m;
		best_t = CLASS_TOK_IP_ADDRESS;
	}
	for (size_t k = 0; k < ARRAY_SIZE(keywords); k++) {
		size_t kl = strlen(keywords[k].s);
		if (kl > best && kl <= n && memcmp(s, keywords[k].s, kl) == 0) {
			best = kl;
			best_t = keywords[k].t;
		}
	}
	if (best < 2 && n >= 2 && s[0] == '=' && s[1] == '=') {
		best = 2;
		best_t = CLASS_TOK_EQUAL;
	}
	if (best == 0) {
		static const char punct[] = "()[].,*+";
		static const class_tok_type_t punct_t[] = {
			CLASS_TOK_LPAREN, CLASS_TOK_RPAREN, CLASS_TOK_LBRACKET, CLASS_TOK_RBRACKET,
			CLASS_TOK_DOT,    CLASS_TOK_COMMA,  CLASS_TOK_ANY,      CLASS_TOK_PLUS,
		};
		const char *p = s[0] != '\0' ? strchr(punct, s[0]) : NULL;
		if (p == NULL) {
			return lex_error(reterr, lx->pos, "Invalid character: %.*s", s, 1);
		}
		best = 1;
		best_t = punct_t[p - punct];
	}

	tok->type = best_t;
	tok->len = (uint32_t)best;
	tok->val_len = (uint32_t)best;

	switch (best_t) {
	case CLASS_TOK_HEXSTRING:
		tok->val = s + 2;
		tok->val_len = (uint32_t)(best - 2);
		break;
	case CLASS_TOK_OPTION_NAME:
		/* The trailing ']' is context, not part of the token. */
		tok->val_len = (uint32_t)name_len;
		tok->len = (uint32_t)(best - 1);
		best--;
		break;
	case CLASS_TOK_INTEGER:
		if (!parse_int64(s, best, &tok->ival)) {
			return lex_error(reterr, lx->pos, "Failed to convert %.*s to an integer.", s,
			                 (int)best);
		}
		break;
	case CLASS_TOK_IP_ADDRESS: {
		char buf[64];
		if (best >= sizeof(buf)) {
			return lex_error(reterr, lx->pos, "Failed to convert %.*s to an IP address.",
			                 s, (int)MIN(best, 100));
		}
		memcpy(buf, s, best);
		buf[best] = '\0';
		if (inet_pton(AF_INET, buf, tok->ip) == 1) {
			tok->ip_len = 4;
		} else if (inet_pton(AF_INET6, buf, tok->ip) == 1) {
			tok->ip_len = 16;
		} else {
			return lex_error(reterr, lx->pos, "Failed to convert %.*s to an IP address.",
			                 s, (int)best);
		}
		break;
	}
	default:
		break;
	}

	lx->pos += best;
	return 0;
}
