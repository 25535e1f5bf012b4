/* Hex formatting and parsing of identifiers (hwaddr, client-id, option data). */
#pragma once

#include <stddef.h>
#include <stdint.h>

/** "aa:bb:cc" (lower case, @sep between bytes, 0 = none) into buf; returns buf.
 *  buf must hold 3 * len + 1 bytes. */
char *hex_fmt(const uint8_t *data, size_t len, char sep, char *buf);

/** Parse hex with optional ':' ' ' or '-' separators (each separated group of
 *  1 or 2 digits is one byte) or a plain even/odd run, optional "0x" prefix.
 *  Returns the byte count, or -EINVAL / -ENOSPC (more than @cap bytes). */
int hex_parse(const char *s, uint8_t *out, size_t cap);
