/* Sample history and Kea's reset/remove semantics. See stat-history.h. */
#include "ctl/stat-history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stat_sample {
	int64_t value;
	struct timespec ts;
} stat_sample_t;

typedef struct stat_entry {
	char *name;
	int64_t offset; /* raw value at the last reset/remove */
	int64_t last_raw;
	bool removed;
	uint64_t gen;           /* round of the last observation */
	uint32_t max_count;     /* 0 = limited by age */
	uint32_t max_age;       /* seconds; used when max_count == 0 */
	stat_sample_t *samples; /* oldest first */
	size_t n_samples;
	size_t cap;
} stat_entry_t;

struct stat_history {
	stat_entry_t *v;
	size_t n;
	size_t cap;
	json_t *index; /* name -> integer index into v */
	uint64_t gen;
	uint32_t default_count; /* for statistics created later */
	uint32_t default_age;
};

int stat_history_new(stat_history_t **ret)
{
	stat_history_t *h = calloc(1, sizeof(*h));

	if (h == NULL) {
		return -ENOMEM;
	}
	h->index = json_object();
	if (h->index == NULL) {
		free(h);
		return -ENOMEM;
	}
	h->default_count = STAT_HISTORY_DEFAULT_COUNT;
	*ret = h;
	return 0;
}

static void entry_done(stat_entry_t *e)
{
	free(e->name);
	free(e->samples);
}

stat_history_t *stat_history_free(stat_history_t *h)
{
	if (h == NULL) {
		return NULL;
	}
	for (size_t i = 0; i < h->n; i++) {
		entry_done(&h->v[i]);
	}
	free(h->v);
	json_decref(h->index);
	free(h);
	return NULL;
}

static stat_entry_t *entry_find(const stat_history_t *h, const char *name)
{
	json_t *ix = json_object_get(h->index, name);

	if (ix == NULL) {
		return NULL;
	}
	return &h->v[json_integer_value(ix)];
}

uint64_t stat_history_round(stat_history_t *h)
{
	return ++h->gen;
}

/* Drop samples beyond the entry's limit (count, or age relative to @now). */
static void entry_trim(stat_entry_t *e, const struct timespec *now)
{
	size_t drop = 0;

	if (e->max_count > 0) {
		if (e->n_samples > e->max_count) {
			drop = e->n_samples - e->max_count;
		}
	} else {
		while (drop + 1 < e->n_samples &&
		       now->tv_sec - e->samples[drop].ts.tv_sec > (time_t)e->max_age) {
			drop++;
		}
		if (e->n_samples - drop > STAT_HISTORY_MAX_SAMPLES) {
			drop = e->n_samples - STAT_HISTORY_MAX_SAMPLES;
		}
	}
	if (drop > 0) {
		memmove(e->samples, e->samples + drop, (e->n_samples - drop) * sizeof(*e->samples));
		e->n_samples -= drop;
	}
}

static int entry_push(stat_entry_t *e, int64_t value, const struct timespec *now)
{
	if (e->n_samples == e->cap) {
		size_t ncap = e->cap == 0 ? 4 : e->cap * 2;
		stat_sample_t *ns = realloc(e->samples, ncap * sizeof(*ns));

		if (ns == NULL) {
			return -ENOMEM;
		}
		e->samples = ns;
		e->cap = ncap;
	}
	e->samples[e->n_samples++] = (stat_sample_t){.value = value, .ts = *now};
	entry_trim(e, now);
	return 0;
}

int stat_history_observe(stat_history_t *h, const char *name, int64_t raw,
                         const struct timespec *now, uint64_t gen)
{
	stat_entry_t *e = entry_find(h, name);

	if (e == NULL) {
		if (h->n == h->cap) {
			size_t ncap = h->cap == 0 ? 64 : h->cap * 2;
			stat_entry_t *nv = realloc(h->v, ncap * sizeof(*nv));

			if (nv == NULL) {
				return -ENOMEM;
			}
			h->v = nv;
			h->cap = ncap;
		}
		char *dup = strdup(name);
		if (dup == NULL) {
			return -ENOMEM;
		}
		if (json_object_set_new(h->index, name, json_integer((json_int_t)h->n)) < 0) {
			free(dup);
			return -ENOMEM;
		}
		e = &h->v[h->n++];
		*e = (stat_entry_t){.name = dup,
		                    .last_raw = raw,
		                    .gen = gen,
		                    .max_count = h->default_count,
		                    .max_age = h->default_age};
		return entry_push(e, raw, now);
	}

	e->gen = gen;
	if (e->removed) {
		/* Kea: a removed statistic comes back when its owner sets it again. */
		if (raw == e->last_raw) {
			return 0;
		}
		e->removed = false;
		e->offset = e->last_raw;
	}
	e->last_raw = raw;
	int64_t v = raw - e->offset;
	if (e->n_samples > 0 && e->samples[e->n_samples - 1].value == v) {
		return 0;
	}
	return entry_push(e, v, now);
}

void stat_history_sweep(stat_history_t *h, uint64_t gen)
{
	size_t w = 0;
	bool changed = false;

	for (size_t i = 0; i < h->n; i++) {
		if (h->v[i].gen != gen) {
			entry_done(&h->v[i]);
			changed = true;
			continue;
		}
		h->v[w++] = h->v[i];
	}
	h->n = w;
	if (!changed) {
		return;
	}
	json_object_clear(h->index);
	for (size_t i = 0; i < h->n; i++) {
		/* Cannot fail for lack of memory in a way we can recover from:
		 * on failure the entry just becomes invisible until re-added. */
		(void)json_object_set_new(h->index, h->v[i].name, json_integer((json_int_t)i));
	}
}

const char *stat_history_fmt_time(const struct timespec *ts, char *buf, size_t size)
{
	struct tm tm;
	char base[24];

	localtime_r(&ts->tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%d %H:%M:%S", &tm);
	/* tv_nsec < 1e9, so the microseconds always fit in six digits. */
	snprintf(buf, size, "%s.%06u", base, (unsigned)((ts->tv_nsec / 1000) % 1000000));
	return buf;
}

static json_t *entry_samples_json(const stat_entry_t *e)
{
	json_t *list = json_array();
	char tbuf[40];

	if (list == NULL) {
		return NULL;
	}
	for (size_t i = e->n_samples; i-- > 0;) {
		const stat_sample_t *s = &e->samples[i];
		json_t *pair = json_pack("[Is]", (json_int_t)s->value,
		                         stat_history_fmt_time(&s->ts, tbuf, sizeof(tbuf)));

		if (pair == NULL || json_array_append_new(list, pair) < 0) {
			json_decref(list);
			return NULL;
		}
	}
	return list;
}

json_t *stat_history_json(const stat_history_t *h, const char *name)
{
	json_t *out = json_object();

	if (out == NULL) {
		return NULL;
	}
	for (size_t i = 0; i < h->n; i++) {
		const stat_entry_t *e = &h->v[i];

		if (e->removed || (name != NULL && strcmp(name, e->name) != 0)) {
			continue;
		}
		json_t *s = entry_samples_json(e);
		if (s == NULL || json_object_set_new(out, e->name, s) < 0) {
			json_decref(out);
			return NULL;
		}
	}
	return out;
}

int stat_history_value(const stat_history_t *h, const char *name, int64_t *ret)
{
	const stat_entry_t *e = entry_find(h, name);

	if (e == NULL || e->removed) {
		return -ENOENT;
	}
	*ret = e->n_samples > 0 ? e->samples[e->n_samples - 1].value : 0;
	return 0;
}

static int entry_ptr_cmp(const void *a, const void *b)
{
	const stat_entry_t *const *x = a;
	const stat_entry_t *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

void stat_history_foreach(const stat_history_t *h,
                          void (*fn)(const char *name, int64_t value, void *ud), void *ud)
{
	_cleanup_free_ const stat_entry_t **sorted = NULL;

	if (h->n == 0) {
		return;
	}
	sorted = calloc(h->n, sizeof(*sorted));
	if (sorted == NULL) {
		return;
	}
	for (size_t i = 0; i < h->n; i++) {
		sorted[i] = &h->v[i];
	}
	qsort(sorted, h->n, sizeof(*sorted), entry_ptr_cmp);
	for (size_t i = 0; i < h->n; i++) {
		const stat_entry_t *e = sorted[i];

		if (!e->removed) {
			fn(e->name, e->n_samples > 0 ? e->samples[e->n_samples - 1].value : 0, ud);
		}
	}
}

static void entry_reset(stat_entry_t *e, const struct timespec *now)
{
	e->offset = e->last_raw;
	e->removed = false;
	e->n_samples = 0;
	(void)entry_push(e, 0, now); /* cap >= 1 after the first sample: cannot fail */
}

int stat_history_reset(stat_history_t *h, const char *name, const struct timespec *now)
{
	stat_entry_t *e = entry_find(h, name);

	if (e == NULL || e->removed) {
		return -ENOENT;
	}
	entry_reset(e, now);
	return 0;
}

void stat_history_reset_all(stat_history_t *h, const struct timespec *now)
{
	for (size_t i = 0; i < h->n; i++) {
		if (!h->v[i].removed) {
			entry_reset(&h->v[i], now);
		}
	}
}

int stat_history_remove(stat_history_t *h, const char *name)
{
	stat_entry_t *e = entry_find(h, name);

	if (e == NULL || e->removed) {
		return -ENOENT;
	}
	e->removed = true;
	e->n_samples = 0;
	return 0;
}

void stat_history_remove_all(stat_history_t *h)
{
	for (size_t i = 0; i < h->n; i++) {
		h->v[i].removed = true;
		h->v[i].n_samples = 0;
	}
}

static void entry_limit(stat_entry_t *e, uint32_t count, uint32_t age)
{
	struct timespec now;

	e->max_count = count;
	e->max_age = age;
	clock_gettime(CLOCK_REALTIME, &now);
	entry_trim(e, &now);
}

int stat_history_set_max_count(stat_history_t *h, const char *name, uint32_t n)
{
	stat_entry_t *e = entry_find(h, name);

	assert_return(n > 0, -EINVAL);
	if (e == NULL || e->removed) {
		return -ENOENT;
	}
	entry_limit(e, n, 0);
	return 0;
}

int stat_history_set_max_age(stat_history_t *h, const char *name, uint32_t seconds)
{
	stat_entry_t *e = entry_find(h, name);

	if (e == NULL || e->removed) {
		return -ENOENT;
	}
	entry_limit(e, 0, seconds);
	return 0;
}

int stat_history_set_max_count_all(stat_history_t *h, uint32_t n)
{
	assert_return(n > 0, -EINVAL);
	h->default_count = n;
	h->default_age = 0;
	for (size_t i = 0; i < h->n; i++) {
		entry_limit(&h->v[i], n, 0);
	}
	return 0;
}

int stat_history_set_max_age_all(stat_history_t *h, uint32_t seconds)
{
	h->default_count = 0;
	h->default_age = seconds;
	for (size_t i = 0; i < h->n; i++) {
		entry_limit(&h->v[i], 0, seconds);
	}
	return 0;
}
