/* Domain names as Kea 2.2's isc::dns::Name reads and prints them (RFC 1035
 * §3.1 wire form, master-file text form with \X and \DDD escapes). Used for
 * the client FQDN option (RFC 4702) and for the hostname option's label
 * count. Pure functions on caller buffers: any thread, no allocation. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNSNAME_WIRE_MAX 255 /* RFC 1035 §3.1, terminating zero included */
#define DNSNAME_LABEL_MAX 63
#define DNSNAME_TEXT_MAX 1024 /* 4 text bytes per wire byte (\DDD) + NUL */

/** Parse master-file text @s[0..len) into wire form @wire (always absolute:
 *  a final root label is added), lower-casing ASCII letters as Kea's
 *  Name(text, true). Empty labels, a label over 63 bytes, a name over 255
 *  wire bytes, a bad or incomplete escape and the empty string are refused.
 *  Returns the number of labels including the root (1 for "."), or
 *  -EBADMSG; *@ret_len gets the wire length. */
int dnsname_from_text(const char *s, size_t len, uint8_t wire[DNSNAME_WIRE_MAX], size_t *ret_len);

/** Parse a wire-form name from @p[0..len) up to its first zero label, as
 *  Kea's Name(InputBuffer, true): bytes after the terminating zero are
 *  ignored, compression pointers and extended label types are refused, as
 *  is a name running past @len or over 255 bytes. Returns the label count
 *  (root included) or -EBADMSG; *@ret_len gets the wire length. */
int dnsname_from_wire(const uint8_t *p, size_t len, uint8_t wire[DNSNAME_WIRE_MAX],
                      size_t *ret_len);

/** Kea's Name::toText(@omit_final_dot) of a parsed name: labels joined by
 *  '.', special characters escaped with '\', bytes outside 0x21..0x7e as
 *  \DDD; the root alone is ".". @out must hold DNSNAME_TEXT_MAX. Returns
 *  the text length. */
size_t dnsname_to_text(const uint8_t *wire, bool omit_final_dot, char *out);

/** Kea's Name::toRawText(@omit_final_dot): the label bytes unescaped. @out
 *  must hold DNSNAME_WIRE_MAX + 1. Returns the length (may contain NULs). */
size_t dnsname_to_raw(const uint8_t *wire, bool omit_final_dot, char *out);
