/* Kea-flavoured JSON text helpers for the configuration loader: comment
 * stripping (Kea accepts //, # and C comments) and a locator that maps a JSON
 * path back to a line of the original text (jansson records no positions for
 * values). */
#pragma once

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/** Overwrite every comment in @text (@len bytes) with spaces, in place,
 *  keeping newlines so byte offsets and line numbers are preserved. Comment
 *  markers inside strings are left alone. */
void cfg_json_strip_comments(char *text, size_t len);

/** 1-based line where the member named by @path starts in @text (comments
 *  already stripped). @path looks like "Dhcp4.subnet4[3].pools[0].pool"; the
 *  line is that of the member's value, or of the key when the value is on a
 *  later line. If a component is missing, the line of the deepest component
 *  found is returned; 0 if nothing matched or the text is not JSON. */
int cfg_json_locate(const char *text, size_t len, const char *path);

/** Kea's Element::str() of @v written to @f: "{ "a": 1, "b": [ 2 ] }", map
 *  keys in byte order (Kea's maps are std::map). */
void cfg_json_kea_write(FILE *f, const json_t *v);
/** The same, malloc'd; NULL on -ENOMEM. */
char *cfg_json_kea_str(const json_t *v);
/** @s (@len bytes) as a JSON string literal, escaped as Kea escapes it. */
void cfg_json_write_string(FILE *f, const char *s, size_t len);
/** strcmp() for qsort() of an array of strings. */
int cfg_json_strcmpp(const void *a, const void *b);
