/* DHCPv4 option definitions: the standard table Kea 2.4 knows (names, codes,
 * data types; src/lib/dhcp/std_option_defs.h), custom `option-def`s, and the
 * csv-format text -> wire encoder used by the configuration loader.
 * Wire format only: no policy, no config objects. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum optdef_type {
	OPTDEF_EMPTY,
	OPTDEF_BINARY,
	OPTDEF_BOOLEAN,
	OPTDEF_INT8,
	OPTDEF_INT16,
	OPTDEF_INT32,
	OPTDEF_UINT8,
	OPTDEF_UINT16,
	OPTDEF_UINT32,
	OPTDEF_IPV4,
	OPTDEF_IPV6,
	OPTDEF_IPV6_PREFIX,
	OPTDEF_PSID,
	OPTDEF_FQDN,
	OPTDEF_STRING,
	OPTDEF_TUPLE,
	OPTDEF_RECORD,
	_OPTDEF_TYPE_MAX,
	_OPTDEF_TYPE_INVALID = -22,
} optdef_type_t;

#define OPTDEF_RECORD_MAX 8
#define OPTDEF_NAME_MAX 64

typedef struct optdef {
	char name[OPTDEF_NAME_MAX];
	uint8_t code;
	optdef_type_t type;
	bool array;                     /* record + array: the last field repeats */
	uint8_t n_fields;               /* record only */
	optdef_type_t fields[OPTDEF_RECORD_MAX];
	char encapsulate[OPTDEF_NAME_MAX]; /* "" = none */
	char space[OPTDEF_NAME_MAX];    /* "" = dhcp4 (custom definitions only) */
} optdef_t;

/* Custom definitions (option-def), of any option space (optdef_t.space). */
typedef struct optdef_set {
	optdef_t *v;
	size_t n;
} optdef_set_t;

/** Standard definition of @name, or NULL. */
const optdef_t *optdef_std_by_name(const char *name);
/** Standard definition of @code, or NULL. */
const optdef_t *optdef_std_by_code(uint8_t code);

/** Look @name up in @custom's dhcp4-space definitions (@custom may be NULL)
 *  first, then the standard table. */
const optdef_t *optdef_find_name(const optdef_set_t *custom, const char *name);
/** Look @code up in @custom's dhcp4-space definitions (@custom may be NULL)
 *  first, then the standard table. */
const optdef_t *optdef_find_code(const optdef_set_t *custom, uint8_t code);

/** Look @name up in option space @space: for "dhcp4" as optdef_find_name();
 *  for any other space only @custom's definitions of that space count (Kea
 *  has no standard definitions in vendor-encapsulated-options-space). */
const optdef_t *optdef_find_space_name(const optdef_set_t *custom, const char *space,
                                       const char *name);
/** Look @code up in option space @space; see optdef_find_space_name(). */
const optdef_t *optdef_find_space_code(const optdef_set_t *custom, const char *space,
                                       uint8_t code);
/** True when @space names the dhcp4 space ("dhcp4" or ""). */
bool optdef_space_is_dhcp4(const char *space);

/** Kea's type name ("uint8", "ipv4-address", "record", ...) -> type, or _OPTDEF_TYPE_INVALID. */
optdef_type_t optdef_type_from_string(const char *s);
/** Type -> Kea's name. */
const char *optdef_type_to_string(optdef_type_t t);
/* Wire size of a fixed-size type (boolean 1, psid 3, ipv4-address 4, ...), 0 for the
 * variable ones. */
size_t optdef_type_fixed_len(optdef_type_t t);

/** Append a copy of @def to @set; -EEXIST if its name or code is already
 *  there in the same option space, -ENOMEM. */
int optdef_set_add(optdef_set_t *set, const optdef_t *def);
void optdef_set_done(optdef_set_t *set);

/** Options the server builds itself (1 subnet-mask, 12 host-name, 50, 51, 53,
 *  55, 58, 59, 61, 81, 82, 118). Kea 2.2 accepts them in option-data (checked
 *  with kea-dhcp4 -t) but the server's own value wins in replies; the engine
 *  uses this to skip configured copies. */
bool optdef_is_server_controlled(uint8_t code);

/** Encode csv-format @data per @def into @out (capacity @cap, at most 65535).
 *  Fields are separated by commas ("\\," is a literal comma) and trimmed.
 *  Returns the byte count, or -EINVAL with a message in @reterr (size
 *  @errsz), or -ENOSPC. Any thread. */
int optdef_encode_csv(const optdef_t *def, const char *data, uint8_t *out, size_t cap,
                      char *reterr, size_t errsz);

/** Encode csv-format=false @data: hex digits with optional "0x" prefix and
 *  ':' / ' ' separators; "" gives zero bytes. Returns the count or -EINVAL/-ENOSPC. */
int optdef_encode_hex(const char *data, uint8_t *out, size_t cap);

/** Check csv-format=false data (@data, @len bytes) of an option defined by
 *  @def as Kea 2.2 builds the option from it: 0, or -EINVAL with Kea's words
 *  in @err (size @errsz), e.g. "OptionInt 26 truncated". Any thread. */
int optdef_check_wire(const optdef_t *def, const uint8_t *data, size_t len, char *err, size_t errsz);

/** DNS wire format (RFC 1035 §3.1, uncompressed) of @name ("a.b.c" or
 *  "a.b.c."). Returns the count or -EINVAL / -ENOSPC. */
int optdef_encode_fqdn(const char *name, uint8_t *out, size_t cap);
