#include "cfg/cfg-json.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/macro.h"

void cfg_json_strip_comments(char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		char c = text[i];
		if (c == '"') {
			/* Skip the string, honouring backslash escapes. */
			i++;
			while (i < len && text[i] != '"' && text[i] != '\n') {
				if (text[i] == '\\' && i + 1 < len) {
					i++;
				}
				i++;
			}
			i++;
		} else if (c == '#' || (c == '/' && i + 1 < len && text[i + 1] == '/')) {
			while (i < len && text[i] != '\n') {
				text[i++] = ' ';
			}
		} else if (c == '/' && i + 1 < len && text[i + 1] == '*') {
			text[i++] = ' ';
			text[i++] = ' ';
			while (i < len && !(text[i] == '*' && i + 1 < len && text[i + 1] == '/')) {
				if (text[i] != '\n') {
					text[i] = ' ';
				}
				i++;
			}
			if (i < len) {
				text[i++] = ' ';
				text[i++] = ' ';
			}
		} else {
			i++;
		}
	}
}

/* ---- locator: a tiny tokenizer that walks values without building them ---- */

typedef struct cur {
	const char *s;
	size_t len;
	size_t pos;
	int line;
	int depth;
} cur_t;

static void skip_ws(cur_t *c)
{
	while (c->pos < c->len) {
		char ch = c->s[c->pos];
		if (ch == '\n') {
			c->line++;
		} else if (!isspace((unsigned char)ch)) {
			break;
		}
		c->pos++;
	}
}

/* Skip a string starting at '"'; on return pos is after the closing quote.
 * Returns the raw content bounds. */
static bool skip_string(cur_t *c, size_t *ret_b, size_t *ret_e)
{
	if (c->pos >= c->len || c->s[c->pos] != '"') {
		return false;
	}
	c->pos++;
	size_t b = c->pos;
	while (c->pos < c->len && c->s[c->pos] != '"') {
		if (c->s[c->pos] == '\n') {
			c->line++;
		}
		if (c->s[c->pos] == '\\') {
			c->pos++;
		}
		c->pos++;
	}
	if (c->pos >= c->len) {
		return false;
	}
	if (ret_b != NULL) {
		*ret_b = b;
		*ret_e = c->pos;
	}
	c->pos++;
	return true;
}

static bool skip_value(cur_t *c)
{
	skip_ws(c);
	if (c->pos >= c->len || ++c->depth > 512) {
		return false;
	}
	char ch = c->s[c->pos];
	bool ok = true;
	if (ch == '"') {
		ok = skip_string(c, NULL, NULL);
	} else if (ch == '{' || ch == '[') {
		char close = ch == '{' ? '}' : ']';
		c->pos++;
		skip_ws(c);
		if (c->pos < c->len && c->s[c->pos] == close) {
			c->pos++;
		} else {
			for (;;) {
				if (ch == '{') {
					skip_ws(c);
					if (!skip_string(c, NULL, NULL)) {
						ok = false;
						break;
					}
					skip_ws(c);
					if (c->pos >= c->len || c->s[c->pos] != ':') {
						ok = false;
						break;
					}
					c->pos++;
				}
				if (!skip_value(c)) {
					ok = false;
					break;
				}
				skip_ws(c);
				if (c->pos < c->len && c->s[c->pos] == ',') {
					c->pos++;
					continue;
				}
				if (c->pos < c->len && c->s[c->pos] == close) {
					c->pos++;
					break;
				}
				ok = false;
				break;
			}
		}
	} else {
		/* number, true, false, null */
		size_t b = c->pos;
		while (c->pos < c->len && (isalnum((unsigned char)c->s[c->pos]) ||
		                           strchr("+-.", c->s[c->pos]) != NULL)) {
			c->pos++;
		}
		ok = c->pos > b;
	}
	c->depth--;
	return ok;
}

/* Next path component: a key ("name") or an index ([n]). */
typedef struct comp {
	bool is_index;
	size_t index;
	const char *key;
	size_t key_len;
} comp_t;

static const char *next_comp(const char *p, comp_t *ret)
{
	if (*p == '.') {
		p++;
	}
	if (*p == '\0') {
		return NULL;
	}
	if (*p == '[') {
		char *end;
		ret->is_index = true;
		ret->index = strtoul(p + 1, &end, 10);
		if (*end != ']') {
			return NULL;
		}
		return end + 1;
	}
	ret->is_index = false;
	ret->key = p;
	while (*p != '\0' && *p != '.' && *p != '[') {
		p++;
	}
	ret->key_len = (size_t)(p - ret->key);
	return p;
}

int cfg_json_locate(const char *text, size_t len, const char *path)
{
	cur_t c = { .s = text, .len = len, .line = 1 };
	comp_t comp = { 0 };
	const char *p = path;
	int found_line;

	skip_ws(&c);
	if (c.pos >= c.len) {
		return 0;
	}
	found_line = c.line;
	while ((p = next_comp(p, &comp)) != NULL) {
		skip_ws(&c);
		if (c.pos >= c.len) {
			return found_line;
		}
		char ch = c.s[c.pos];
		bool hit = false;
		if (!comp.is_index && ch == '{') {
			c.pos++;
			skip_ws(&c);
			if (c.pos < c.len && c.s[c.pos] == '}') {
				return found_line;
			}
			for (;;) {
				size_t kb, ke;
				skip_ws(&c);
				int key_line = c.line;
				if (!skip_string(&c, &kb, &ke)) {
					return found_line;
				}
				skip_ws(&c);
				if (c.pos >= c.len || c.s[c.pos] != ':') {
					return found_line;
				}
				c.pos++;
				if (ke - kb == comp.key_len &&
				    memcmp(c.s + kb, comp.key, comp.key_len) == 0) {
					skip_ws(&c);
					/* Report the key's line when the value sits on a
					 * later line (an object or array opened below). */
					found_line = c.s[c.pos] == '{' || c.s[c.pos] == '['
					                     ? key_line
					                     : c.line;
					if (c.line == key_line) {
						found_line = key_line;
					}
					hit = true;
					break;
				}
				if (!skip_value(&c)) {
					return found_line;
				}
				skip_ws(&c);
				if (c.pos < c.len && c.s[c.pos] == ',') {
					c.pos++;
					continue;
				}
				return found_line;
			}
		} else if (comp.is_index && ch == '[') {
			c.pos++;
			for (size_t i = 0;; i++) {
				skip_ws(&c);
				if (c.pos >= c.len || c.s[c.pos] == ']') {
					return found_line;
				}
				if (i == comp.index) {
					found_line = c.line;
					hit = true;
					break;
				}
				if (!skip_value(&c)) {
					return found_line;
				}
				skip_ws(&c);
				if (c.pos < c.len && c.s[c.pos] == ',') {
					c.pos++;
					continue;
				}
				return found_line;
			}
		}
		if (!hit) {
			return found_line;
		}
	}
	return found_line;
}

/* ---- Kea's Element::str() ---- */

void cfg_json_write_string(FILE *f, const char *s, size_t len)
{
	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20) {
				fprintf(f, "\\u%04x", c);
			} else {
				fputc(c, f);
			}
		}
	}
	fputc('"', f);
}

void cfg_json_kea_write(FILE *f, const json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;
	bool first = true;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		/* Kea's maps are std::map: keys in byte order */
		fputs("{ ", f);
		{
			size_t n = json_object_size(v), k = 0;
			_cleanup_free_ const char **keys = calloc(n + 1, sizeof(*keys));

			json_object_foreach((json_t *)v, key, x)
			{
				if (keys != NULL) {
					keys[k++] = key;
				}
			}
			if (keys != NULL) {
				qsort(keys, k, sizeof(*keys), cfg_json_strcmpp);
			}
			for (i = 0; keys != NULL && i < k; i++) {
				fputs(first ? "" : ", ", f);
				first = false;
				cfg_json_write_string(f, keys[i], strlen(keys[i]));
				fputs(": ", f);
				cfg_json_kea_write(f, json_object_get(v, keys[i]));
			}
		}
		fputs(" }", f);
		break;
	case JSON_ARRAY:
		fputs("[ ", f);
		json_array_foreach((json_t *)v, i, x)
		{
			fputs(first ? "" : ", ", f);
			first = false;
			cfg_json_kea_write(f, x);
		}
		fputs(" ]", f);
		break;
	case JSON_STRING:
		cfg_json_write_string(f, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		fprintf(f, "%lld", (long long)json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(f, "%g", json_real_value(v));
		break;
	case JSON_TRUE: fputs("true", f); break;
	case JSON_FALSE: fputs("false", f); break;
	case JSON_NULL: fputs("null", f); break;
	}
}

int cfg_json_strcmpp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *cfg_json_kea_str(const json_t *v)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (f == NULL) {
		return NULL;
	}
	cfg_json_kea_write(f, v);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}
