/* URL path -> embedded console file. A fixed table, not a lookup of the path itself, so no
 * request can name anything but these files. */
#include <string.h>

#include "ctl/console.h"
#include "util/macro.h"

static const struct {
	const char *url;
	const char *file;
	const char *ctype;
} routes[] = {
	{"/", "index.html", "text/html; charset=utf-8"},
	{"/index.html", "index.html", "text/html; charset=utf-8"},
	{"/console.js", "console.js", "text/javascript; charset=utf-8"},
	{"/console.css", "console.css", "text/css; charset=utf-8"},
	/* declared by the page, so the browser does not ask for /favicon.ico (a 400) */
	{"/favicon.svg", "favicon.svg", "image/svg+xml"},
};

const ctl_asset_t *ctl_console_asset(const char *url, const char **ret_ctype)
{
	for (size_t i = 0; i < ARRAY_SIZE(routes); i++) {
		if (strcmp(url, routes[i].url) == 0) {
			*ret_ctype = routes[i].ctype;
			return ctl_asset_find(routes[i].file);
		}
	}
	return NULL;
}
