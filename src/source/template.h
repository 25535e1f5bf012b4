/* Placeholders in a configuration text, filled from the environment before it
 * is parsed (the deployment's entry point did this with sed). The exact rule:
 *
 *   ${NAME}   NAME = [A-Za-z_][A-Za-z0-9_]*, anywhere in the text.
 *             "$${" stands for a literal "${" (nothing is looked up).
 *   <NAME>    NAME = [A-Z][A-Z0-9_]* (upper case, the deployment's style:
 *             "<DB_HOST>"), anywhere in the text.
 *
 * Anything else is copied unchanged: "<?include ...?>", "<b>", "a < b",
 * "<lower>", "<A B>", a "$" not followed by "{". So an expression or string
 * that must contain a literal "<UPPER_CASE>" cannot be written; none of Kea's
 * syntax needs one. A placeholder whose variable is unset is an error naming
 * it (an empty value is a value). Pure functions; any thread. */
#pragma once

#include <stddef.h>

/* Looks NAME up; NULL when it has no value. */
typedef const char *(*tmpl_lookup_fn)(const char *name, void *ud);

/** Fill every placeholder of @in (@len bytes) with @lookup (NULL: getenv).
 *  On success *ret is a malloc'd NUL-terminated text of *retlen bytes and 0 is
 *  returned; -ENOENT with @err = "placeholder <NAME> has no value (environment
 *  variable NAME is not set)" (line included) or -ENOMEM. */
int tmpl_fill(const char *in, size_t len, tmpl_lookup_fn lookup, void *ud, char **ret,
              size_t *retlen, char *err, size_t errlen);
