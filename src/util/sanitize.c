/* StringSanitizer as Kea 2.2 builds it (std::regex::extended, replace every
 * match). Kea's default set gets a byte table: it matches single bytes only,
 * and it is what almost every configuration uses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"

#define DEFAULT_SET "[^A-Za-z0-9.-]"

int sanitize_init(sanitize_t *s, const char *char_set, const char *replacement)
{
	*s = (sanitize_t){0};
	if (strlen(char_set) > SANITIZE_DATA_MAX || strlen(replacement) > SANITIZE_DATA_MAX) {
		return -EINVAL;
	}
	if (regcomp(&s->re, char_set, REG_EXTENDED) != 0) {
		return -EINVAL;
	}
	s->char_set = strdup(char_set);
	s->replacement = strdup(replacement);
	if (s->char_set == NULL || s->replacement == NULL) {
		sanitize_done(s);
		return -ENOMEM;
	}
	s->repl_len = strlen(replacement);
	if (strcmp(char_set, DEFAULT_SET) == 0) {
		s->table = true;
		for (unsigned c = 0; c < 256; c++) {
			s->keep[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			             (c >= '0' && c <= '9') || c == '.' || c == '-';
		}
	}
	return 0;
}

void sanitize_done(sanitize_t *s)
{
	if (s->char_set != NULL) {
		regfree(&s->re);
	}
	free(s->char_set);
	free(s->replacement);
	*s = (sanitize_t){0};
}

static bool put(char *out, size_t cap, size_t *o, const char *p, size_t n)
{
	if (cap - *o <= n) {
		return false;
	}
	memcpy(out + *o, p, n);
	*o += n;
	return true;
}

int sanitize_scrub(const sanitize_t *s, const char *in, size_t len, char *out, size_t cap)
{
	size_t o = 0, pos = 0;

	if (cap == 0) {
		return -ENOSPC;
	}
	if (s->table) {
		for (size_t i = 0; i < len; i++) {
			bool ok = s->keep[(unsigned char)in[i]]
			                  ? put(out, cap, &o, in + i, 1)
			                  : put(out, cap, &o, s->replacement, s->repl_len);
			if (!ok) {
				return -ENOSPC;
			}
		}
		out[o] = '\0';
		return (int)o;
	}
	/* regex_replace: copy up to each match, then the replacement; an empty
	 * match consumes one input byte so the walk always advances. */
	while (pos <= len) {
		regmatch_t m = {.rm_so = (regoff_t)pos, .rm_eo = (regoff_t)len};

		if (regexec(&s->re, in, 1, &m, REG_STARTEND | (pos > 0 ? REG_NOTBOL : 0)) != 0) {
			if (!put(out, cap, &o, in + pos, len - pos)) {
				return -ENOSPC;
			}
			break;
		}
		size_t so = (size_t)m.rm_so, eo = (size_t)m.rm_eo;

		if (!put(out, cap, &o, in + pos, so - pos) ||
		    !put(out, cap, &o, s->replacement, s->repl_len)) {
			return -ENOSPC;
		}
		if (eo == so) {
			if (so < len && !put(out, cap, &o, in + so, 1)) {
				return -ENOSPC;
			}
			pos = so + 1;
		} else {
			pos = eo;
		}
	}
	out[o] = '\0';
	return (int)o;
}
