/* Shared helpers of the configuration loader: the JSON path kept for error
 * messages, error recording and the typed member getters. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cfg/cfg-load-int.h"
#include "cfg/cfg.h"
#include "util/inaddr.h"

/* ---- paths and errors ---- */

size_t load_push_key(ld_t *ld, const char *key)
{
	size_t mark = ld->plen;
	int n = snprintf(ld->path + ld->plen, sizeof(ld->path) - ld->plen, "%s%s",
	                 ld->plen > 0 ? "." : "", key);
	if (n > 0) {
		ld->plen = MIN(ld->plen + (size_t)n, sizeof(ld->path) - 1);
	}
	return mark;
}

size_t load_push_idx(ld_t *ld, size_t i)
{
	size_t mark = ld->plen;
	int n = snprintf(ld->path + ld->plen, sizeof(ld->path) - ld->plen, "[%zu]", i);
	if (n > 0) {
		ld->plen = MIN(ld->plen + (size_t)n, sizeof(ld->path) - 1);
	}
	return mark;
}

void load_pop(ld_t *ld, size_t mark)
{
	ld->plen = mark;
	ld->path[mark] = '\0';
}

/* Record the error at the current path (+ ".@key" when given). */
__attribute__((format(printf, 3, 4)))
int load_fail(ld_t *ld, const char *key, const char *fmt, ...)
{
	va_list ap;
	cfg_err_t *e = ld->err;

	if (e->msg[0] != '\0') {
		return -EINVAL;
	}
	if (key != NULL) {
		/* a path longer than the buffer is cut; the message still names the key */
		if (snprintf(e->path, sizeof(e->path), "%s%s%s", ld->path, ld->plen > 0 ? "." : "", key) >=
		    (int)sizeof(e->path)) {
			e->path[sizeof(e->path) - 1] = '\0';
		}
	} else {
		snprintf(e->path, sizeof(e->path), "%s", ld->path);
	}
	e->line = 0;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int load_oom(ld_t *ld)
{
	load_fail(ld, NULL, "out of memory");
	return -ENOMEM;
}

bool load_in_list(const char *const *list, const char *key)
{
	for (size_t i = 0; list != NULL && list[i] != NULL; i++) {
		if (strcmp(list[i], key) == 0) {
			return true;
		}
	}
	return false;
}

/* A value that asks for nothing ("", false or null): what Kea's
 * config-get shows for a feature left unconfigured (e.g. "4o6-interface": ""),
 * so a config-get -> config-set round trip must pass. */
static bool asks_nothing(const json_t *v)
{
	return json_is_false(v) || json_is_null(v) ||
	       (json_is_string(v) && json_string_length(v) == 0);
}

/* Every key of @obj must be in @ok; keys in @unsup are refused politely,
 * unless their value asks for nothing. */
int load_check_keys(ld_t *ld, json_t *obj, const char *map, const char *const *ok,
                    const char *const *unsup)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		if (load_in_list(ok, key)) {
			continue;
		}
		if (load_in_list(unsup, key)) {
			if (asks_nothing(v)) {
				continue;
			}
			return load_fail(ld, key, "'%s' is not supported yet", key);
		}
		return load_fail(ld, key, "got unexpected keyword \"%s\" in %s map.", key, map);
	}
	return 0;
}

int load_need_object(ld_t *ld, json_t *v, const char *key)
{
	if (!json_is_object(v)) {
		return load_fail(ld, key, "expected a map");
	}
	return 0;
}

/* ---- typed getters: absent keys leave *ret alone and return 0 ---- */

int load_get_u32(ld_t *ld, json_t *obj, const char *key, uint32_t *ret, bool *ret_has)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > (json_int_t)UINT32_MAX) {
		return load_fail(ld, key, "'%s' must be an integer between 0 and 4294967295", key);
	}
	*ret = (uint32_t)json_integer_value(v);
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

int load_get_bool(ld_t *ld, json_t *obj, const char *key, bool *ret, bool *ret_has)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_boolean(v)) {
		return load_fail(ld, key, "'%s' must be a boolean", key);
	}
	*ret = json_is_true(v);
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

int load_get_str(ld_t *ld, json_t *obj, const char *key, const char **ret)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_string(v)) {
		return load_fail(ld, key, "'%s' parameter is not a string", key);
	}
	*ret = json_string_value(v);
	return 0;
}

int load_get_double(ld_t *ld, json_t *obj, const char *key, double *ret, bool *ret_has)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		return 0;
	}
	if (!json_is_number(v)) {
		return load_fail(ld, key, "'%s' must be a number", key);
	}
	*ret = json_number_value(v);
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

int load_get_array(ld_t *ld, json_t *obj, const char *key, json_t **ret)
{
	json_t *v = json_object_get(obj, key);

	*ret = NULL;
	if (v == NULL) {
		return 0;
	}
	if (!json_is_array(v)) {
		return load_fail(ld, key, "'%s' must be a list", key);
	}
	*ret = v;
	return 0;
}

int load_get_addr(ld_t *ld, json_t *obj, const char *key, uint32_t *ret, bool *ret_has)
{
	const char *s = NULL;
	int r = load_get_str(ld, obj, key, &s);

	if (r < 0 || s == NULL) {
		return r;
	}
	if (inaddr_parse(s, ret) < 0) {
		return load_fail(ld, key, "'%s' is not a valid IPv4 address", s);
	}
	if (ret_has != NULL) {
		*ret_has = true;
	}
	return 0;
}

char *load_dup_nonempty(const char *s)
{
	return s == NULL || s[0] == '\0' ? NULL : strdup(s);
}
