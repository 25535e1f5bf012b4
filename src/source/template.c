/* Placeholder filling; the rule is in source/template.h. */
#include "source/template.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env_lookup(const char *name, void *ud)
{
	(void)ud;
	return getenv(name);
}

static bool is_upper_name(char c, bool first)
{
	return (c >= 'A' && c <= 'Z') || (!first && ((c >= '0' && c <= '9') || c == '_'));
}

static bool is_name(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || c == '_' || is_upper_name(c, first);
}

/* Length of the placeholder at @p (0: none) and where its name is. */
static size_t match(const char *p, const char *end, const char **name, size_t *nlen)
{
	size_t i;

	if (p[0] == '$' && end - p >= 3 && p[1] == '{') {
		for (i = 2; p + i < end && is_name(p[i], i == 2); i++) {
		}
		if (i > 2 && p + i < end && p[i] == '}') {
			*name = p + 2;
			*nlen = i - 2;
			return i + 1;
		}
	} else if (p[0] == '<') {
		for (i = 1; p + i < end && is_upper_name(p[i], i == 1); i++) {
		}
		if (i > 1 && p + i < end && p[i] == '>') {
			*name = p + 1;
			*nlen = i - 1;
			return i + 1;
		}
	}
	return 0;
}

int tmpl_fill(const char *in, size_t len, tmpl_lookup_fn lookup, void *ud, char **ret,
              size_t *retlen, char *err, size_t errlen)
{
	const char *end = in + len;
	char *out = NULL;
	size_t olen = 0;
	FILE *m = open_memstream(&out, &olen);
	int line = 1;

	if (m == NULL) {
		return -ENOMEM;
	}
	if (lookup == NULL) {
		lookup = env_lookup;
	}
	for (const char *p = in; p < end;) {
		const char *name;
		size_t nlen, n;

		if (p[0] == '$' && end - p >= 3 && p[1] == '$' && p[2] == '{') {
			fputs("${", m);           /* "$${" escapes a literal "${" */
			p += 3;
			continue;
		}
		n = (*p == '$' || *p == '<') ? match(p, end, &name, &nlen) : 0;
		if (n == 0) {
			line += *p == '\n';
			fputc(*p++, m);
			continue;
		}
		char var[256];
		if (nlen >= sizeof(var)) {
			nlen = sizeof(var) - 1;
		}
		memcpy(var, name, nlen);
		var[nlen] = '\0';
		const char *v = lookup(var, ud);
		if (v == NULL) {
			snprintf(err, errlen, "(line %d): placeholder %.*s has no value (environment variable %s is not set)",
			         line, (int)n, p, var);
			fclose(m);
			free(out);
			return -ENOENT;
		}
		fputs(v, m);
		p += n;
	}
	if (fclose(m) != 0) {
		free(out);
		return -ENOMEM;
	}
	*ret = out;
	*retlen = olen;
	return 0;
}
