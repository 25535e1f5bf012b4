/* log-get (lessor's own command; the console's log view): the latest warnings and errors
 * the log wrote, newest first, from util/log-ring.c.
 *   {"command": "log-get", "arguments": {"limit": N}}   N in 1..LOG_RING_SIZE, default all
 * -> {"entries": [{"time", "level", "logger", "id", "message", "seq"}, ...], "total": T}
 * where T counts every such line since start (more than the ring holds once it wrapped). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctl/ctl-int.h"
#include "util/log.h"

static json_t *entry_json(const log_entry_t *e)
{
	struct tm tm;
	char ts[40];
	char when[64];

	localtime_r(&e->tv.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(when, sizeof(when), "%s.%03ld", ts, (long)(e->tv.tv_usec / 1000 % 1000));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "time", when, "level",
	                 log_sev_name(e->sev), "logger",
	                 e->logger, "id", e->msgid, "message", e->text, "seq", (json_int_t)e->seq);
}

json_t *ctl_cmd_log_get(ctl_t *ctl, json_t *args)
{
	json_int_t limit = LOG_RING_SIZE;

	(void)ctl;
	if (args != NULL && !json_is_object(args)) {
		return ctl_answer(CTL_RESULT_ERROR, NULL, "arguments must be a map");
	}
	if (args != NULL && json_object_get(args, "limit") != NULL) {
		json_t *err = ctl_arg_uint(args, "limit", LOG_RING_SIZE, &limit);

		if (err != NULL) {
			return err;
		}
	}
	log_entry_t *es = calloc(LOG_RING_SIZE, sizeof(*es));
	json_t *list = json_array();
	if (es == NULL || list == NULL) {
		free(es);
		json_decref(list);
		return NULL;
	}
	size_t n = log_recent(es, (size_t)limit);
	for (size_t i = 0; i < n; i++) {
		json_t *j = entry_json(&es[i]);

		if (j == NULL || json_array_append_new(list, j) < 0) {
			free(es);
			json_decref(list);
			return NULL;
		}
	}
	json_int_t total = n > 0 ? (json_int_t)es[0].seq : 0;
	free(es);
	return ctl_answer(CTL_RESULT_SUCCESS, json_pack("{s:o, s:I}", "entries", list, "total", total),
	                  "%zu warnings and errors", n);
}
