/* The MySQL script splitter: libmariadb runs one statement per call, and routine bodies hold
 * semicolons, so the files use the mysql client's DELIMITER convention. */
#include <ctype.h>
#include <string.h>

#include "admin/admin.h"

#define DELIM_MAX 16

static bool line_is(const char *l, size_t n, const char *word, size_t *ret_arg)
{
	size_t w = strlen(word);

	if (n <= w || strncasecmp(l, word, w) != 0 || !isspace((unsigned char)l[w])) {
		return false;
	}
	*ret_arg = w + 1;
	return true;
}

static bool blank_or_comment(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (isspace((unsigned char)s[i])) {
			i++;
		} else if (i + 1 < n && s[i] == '-' && s[i + 1] == '-') {
			while (i < n && s[i] != '\n') {
				i++;
			}
		} else {
			return false;
		}
	}
	return true;
}

int admin_sql_next(const char *sql, size_t len, size_t *pos, char *delim, const char **ret_start,
                   size_t *ret_len)
{
	size_t start = *pos;

	while (*pos < len) {
		const char *l = sql + *pos;
		const char *nl = memchr(l, '\n', len - *pos);
		size_t n = nl != NULL ? (size_t)(nl - l) : len - *pos;
		size_t end = n, arg;
		size_t dl = strlen(delim);

		*pos += n + (nl != NULL);
		while (end > 0 && isspace((unsigned char)l[end - 1])) {
			end--;
		}
		if (line_is(l, end, "DELIMITER", &arg)) {
			size_t an = end - arg;

			if (an > 0 && an < DELIM_MAX) {
				memcpy(delim, l + arg, an);
				delim[an] = '\0';
			}
			start = *pos;
			continue;
		}
		if (end >= dl && memcmp(l + end - dl, delim, dl) == 0) {
			size_t slen = (size_t)(l + end - dl - (sql + start));

			if (blank_or_comment(sql + start, slen)) {
				start = *pos;
				continue;
			}
			*ret_start = sql + start;
			*ret_len = slen;
			return 1;
		}
	}
	if (start < len && !blank_or_comment(sql + start, len - start)) {
		*ret_start = sql + start;
		*ret_len = len - start;
		return 1;
	}
	return 0;
}
