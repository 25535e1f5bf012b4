/* statistic-get-all -> the metrics of one push (push/sample.h). */
#include "push/sample.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/inaddr.h"

bool push_skipped(const char *name)
{
	static const char *const skip[] = {
		"pkt4-sent",       "pkt4-inform-received",         "pkt4-parse-failed",
		"pkt4-received",   "declined-reclaimed-addresses", "total-addresses",
	};

	if (strncmp(name, "subnet[", 7) == 0) {
		return true;
	}
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		if (strcmp(name, skip[i]) == 0) {
			return true;
		}
	}
	return false;
}

/* The newest value of one statistic: [[value, "time"], ...]. */
static bool latest(const json_t *samples, double *ret)
{
	const json_t *v = json_array_get(json_array_get(samples, 0), 0);

	if (!json_is_number(v)) {
		return false;
	}
	*ret = json_number_value(v);
	return true;
}

typedef struct fill {
	uint32_t id;
	double pct;
} fill_t;

static int by_fill(const void *a, const void *b)
{
	const fill_t *x = a, *y = b;

	if (x->pct != y->pct) {
		return x->pct < y->pct ? 1 : -1;
	}
	return x->id < y->id ? -1 : x->id > y->id;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const push_metric_t *)a)->name, ((const push_metric_t *)b)->name);
}

/* Utilisation of every subnet that has both gauges and addresses; *ret malloc'd. */
static int fills(const json_t *stats, fill_t **ret, size_t *ret_n)
{
	const char *key;
	json_t *v;
	size_t n = 0, cap = 0;
	fill_t *f = NULL;

	json_object_foreach((json_t *)stats, key, v)
	{
		unsigned id;
		int off = 0;
		char other[64];
		double total, assigned;

		if (sscanf(key, "subnet[%u].%n", &id, &off) != 1 || off == 0 ||
		    strcmp(key + off, "total-addresses") != 0 || !latest(v, &total) || total <= 0) {
			continue;
		}
		snprintf(other, sizeof(other), "subnet[%u].assigned-addresses", id);
		if (!latest(json_object_get(stats, other), &assigned)) {
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			fill_t *nf = realloc(f, cap * sizeof(*f));
			if (nf == NULL) {
				free(f);
				return -ENOMEM;
			}
			f = nf;
		}
		f[n++] = (fill_t){ .id = id, .pct = 100.0 * assigned / total };
	}
	if (n > 1) {
		qsort(f, n, sizeof(*f), by_fill);
	}
	*ret = f;
	*ret_n = n;
	return 0;
}

int push_sample_build(const json_t *stats, const cfg_t *cfg, uint32_t top, int64_t ts_ms,
                      push_sample_t *ret)
{
	fill_t *f = NULL;
	size_t nf = 0, n = 0;
	const char *key;
	json_t *v;

	if (fills(stats, &f, &nf) < 0) {
		return -ENOMEM;
	}
	if (nf > top) {
		nf = top;
	}
	push_metric_t *m = calloc(json_object_size(stats) + nf + 1, sizeof(*m));
	if (m == NULL) {
		free(f);
		return -ENOMEM;
	}
	json_object_foreach((json_t *)stats, key, v)
	{
		if (!push_skipped(key) && strlen(key) < sizeof(m[n].name) && latest(v, &m[n].value)) {
			strcpy(m[n++].name, key);
		}
	}
	if (n > 1) {
		qsort(m, n, sizeof(*m), by_name);
	}
	for (size_t i = 0; i < nf; i++, n++) {
		const cfg_subnet4_t *s = cfg != NULL ? cfg_subnet_by_id(cfg, f[i].id) : NULL;
		char a[INADDR_STRLEN];

		strcpy(m[n].name, "lease-percent-used");
		m[n].value = f[i].pct;
		m[n].percent = true;
		if (s != NULL) {
			snprintf(m[n].subnet, sizeof(m[n].subnet), "%s/%u", inaddr_fmt(s->net, a), s->plen);
		} else {
			snprintf(m[n].subnet, sizeof(m[n].subnet), "subnet-%u", f[i].id);
		}
	}
	free(f);
	*ret = (push_sample_t){ .m = m, .n = n, .ts_ms = ts_ms };
	return 0;
}

void push_sample_done(push_sample_t *s)
{
	free(s->m);
	*s = (push_sample_t){ 0 };
}
