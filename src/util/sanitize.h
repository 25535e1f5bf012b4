/* Kea's isc::util::str::StringSanitizer: every match of a POSIX extended
 * regular expression is replaced by a fixed string (hostname-char-set,
 * hostname-char-replacement). Compiled once at configuration load, used
 * read-only by every worker. */
#pragma once

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#define SANITIZE_DATA_MAX 255 /* Kea's StringSanitizer::MAX_DATA_SIZE */

typedef struct sanitize {
	char *char_set;
	char *replacement;
	size_t repl_len;
	bool table;     /* Kea's default set: a per-byte table, no regexec */
	bool keep[256]; /* with table: bytes the set does not match */
	regex_t re;
} sanitize_t;

/** Compile @char_set (non-empty) with @replacement into @s (caller storage).
 *  Returns 0, -EINVAL for an invalid expression or a value over 255 bytes,
 *  or -ENOMEM. On failure @s needs no sanitize_done(). Any thread. */
int sanitize_init(sanitize_t *s, const char *char_set, const char *replacement);

/** Release what sanitize_init() built. */
void sanitize_done(sanitize_t *s);

/** Replace every match in @in[0..len) (NULs allowed) into @out[0..cap).
 *  Returns the output length (NUL-terminated), or -ENOSPC when it does not
 *  fit. Any thread (regexec on a shared pattern is thread-safe in glibc). */
int sanitize_scrub(const sanitize_t *s, const char *in, size_t len, char *out, size_t cap);
