/* Where the configuration comes from: a path, an http(s):// URL or
 * s3://bucket/key (source/s3.h), its placeholders filled (source/template.h)
 * before the loader sees it. With a poll interval the daemon fetches again
 * (conditional GET: If-None-Match / If-Modified-Since) and reloads only when
 * the filled text's SHA-256 differs from the one in force. Keeps the state
 * status-get reports. source_fetch() and source_note_*() run on the main
 * thread (or a ctl thread under the ctl lock); source_status() on any thread. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg.h"
#include "stats/stats.h"

typedef enum source_kind {
	SOURCE_FILE,
	SOURCE_HTTP,
	SOURCE_S3,
} source_kind_t;

typedef struct source source_t;

/** A source for @location (copied). @poll_s: seconds between polls, 0 never.
 *  0 or -ENOMEM. */
int source_new(const char *location, unsigned poll_s, source_t **ret);
source_t *source_free(source_t *s);

source_kind_t source_kind(const source_t *s);
const char *source_location(const source_t *s);
unsigned source_poll_interval(const source_t *s);

/** Is a poll due at monotonic second @mono? */
bool source_poll_due(const source_t *s, int64_t mono);

typedef enum source_result {
	SOURCE_CHANGED = 0,       /* *text is new (its hash differs from the one in force) */
	SOURCE_UNCHANGED = 1,     /* 304, or the same filled text */
} source_result_t;

/** Fetch and fill. @conditional: a poll (may answer SOURCE_UNCHANGED);
 *  otherwise always SOURCE_CHANGED on success. *text (malloc'd, NUL-terminated)
 *  and *hash (64 hex) are set for SOURCE_CHANGED. Negative with @err: the fetch
 *  failed (-EIO, -ENOENT for a missing file or credentials) or a placeholder
 *  has no value (-EINVAL, counted as rejected; the message names it). Counts and remembers the
 *  outcome, so status-get shows it. */
int source_fetch(source_t *s, bool conditional, int64_t mono, stats_shard_t *sh, char **text,
                 size_t *len, char hash[65], char *err, size_t errlen);

/** source_fetch() then cfg_load_text(): SOURCE_CHANGED with a new *cfg,
 *  SOURCE_UNCHANGED, or negative with @err (a fetch failure in err->msg, a
 *  loader error as the loader reports it; counted as rejected). Logs each
 *  outcome (LESSOR_CONFIG_SOURCE_*). The caller applies *cfg and then calls
 *  source_note_applied() or source_note_rejected(). */
int source_load(source_t *s, bool conditional, int64_t mono, stats_shard_t *sh, cfg_t **cfg,
                char hash[65], cfg_err_t *err);

/** The filled text of the last configuration the loader accepted (borrowed;
 *  NULL before), e.g. for the control socket settings. */
const char *source_text(const source_t *s);

/** The text with @hash is in force now (loaded and applied). */
void source_note_applied(source_t *s, stats_shard_t *sh, const char hash[65]);
/** The text with @hash was refused by the loader (@why): the old one stays. */
void source_note_rejected(source_t *s, stats_shard_t *sh, const char *why);

/** {"location", "kind", "poll-interval", "last-fetch" (ISO time or null),
 *  "last-result", "hash" (in force), "last-error" (or null), "fetches",
 *  "applied", "unchanged", "failed", "rejected"}; NULL on ENOMEM. */
json_t *source_status(source_t *s);

/** Count the first fetch (made before the statistics existed) into @sh. */
void source_count_start(source_t *s, stats_shard_t *sh);

typedef struct source_counts {
	uint64_t fetches, applied, unchanged, failed, rejected;
} source_counts_t;
void source_counts(source_t *s, source_counts_t *ret);
