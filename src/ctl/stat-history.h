/* Kea's StatsMgr view of lessor's statistics: every statistic by its Kea name
 * with a sample history [[value, "YYYY-MM-DD HH:MM:SS.ffffff"], ...] (newest
 * first), limited by count (default 20) or by age, plus Kea's reset/remove
 * semantics layered over counters that only their owners may write: a reset
 * remembers an offset, a removal hides the statistic until its value moves.
 *
 * The values themselves are observed from outside (ctl_sample() reads the
 * stats shards, the lease store and the configuration). Not thread-safe: the
 * ctl mutex guards every call. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util/macro.h"

#define STAT_HISTORY_DEFAULT_COUNT 20   /* Kea's statistic-default-sample-count */
#define STAT_HISTORY_MAX_SAMPLES 100000 /* hard cap for age-limited statistics */

typedef struct stat_history stat_history_t;

/** New empty history. 0 or -ENOMEM. */
int stat_history_new(stat_history_t **ret);
/** NULL-safe; returns NULL. */
stat_history_t *stat_history_free(stat_history_t *h);
DEFINE_FREEP(stat_history_t, stat_history_free)

/** Start an observation round; returns its generation number. */
uint64_t stat_history_round(stat_history_t *h);
/** Record the current raw value of @name at @now (wall clock) in round @gen:
 *  a new sample when the displayed value changed, the statistic is new, or a
 *  removed statistic's value moved. 0 or -ENOMEM. */
int stat_history_observe(stat_history_t *h, const char *name, int64_t raw,
                         const struct timespec *now, uint64_t gen);
/** Forget every statistic not observed in round @gen (a subnet went away). */
void stat_history_sweep(stat_history_t *h, uint64_t gen);

/** {name: [[v, "ts"], ...]} for one statistic (empty object if unknown or
 *  removed), or for all (@name NULL). New reference, NULL on -ENOMEM. */
json_t *stat_history_json(const stat_history_t *h, const char *name);
/** Current displayed value of @name. 0 or -ENOENT (unknown or removed). */
int stat_history_value(const stat_history_t *h, const char *name, int64_t *ret);
/** Visit every visible statistic in name order. */
void stat_history_foreach(const stat_history_t *h,
                          void (*fn)(const char *name, int64_t value, void *ud), void *ud);

/** Kea statistic-reset: value back to 0 (one new sample). 0 or -ENOENT. */
int stat_history_reset(stat_history_t *h, const char *name, const struct timespec *now);
void stat_history_reset_all(stat_history_t *h, const struct timespec *now);
/** Kea statistic-remove. 0 or -ENOENT. */
int stat_history_remove(stat_history_t *h, const char *name);
void stat_history_remove_all(stat_history_t *h);
/** Limits (Kea: setting one kind disables the other). 0, -ENOENT or -EINVAL. */
int stat_history_set_max_count(stat_history_t *h, const char *name, uint32_t n);
int stat_history_set_max_age(stat_history_t *h, const char *name, uint32_t seconds);
int stat_history_set_max_count_all(stat_history_t *h, uint32_t n);
int stat_history_set_max_age_all(stat_history_t *h, uint32_t seconds);

/** Kea's clockToText: local time "YYYY-MM-DD HH:MM:SS.ffffff" into buf (>= 32). */
const char *stat_history_fmt_time(const struct timespec *ts, char *buf, size_t size);
