/* Configuration model: Kea's Dhcp4 JSON turned into lookup-ready structures.
 * Immutable once published (see cfg-current.h); every inherited parameter is
 * resolved at load time, so the packet path never walks global -> shared
 * network -> subnet. All addresses in host byte order. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg/cfg-ha.h"
#include "cfg/cfg-push.h"
#include "class/class.h"
#include "dhcp/pkt4.h"
#include "lease/store.h"
#include "util/macro.h"
#include "util/sanitize.h"

/* ---- options ---- */

/* One option-data entry, already encoded to wire bytes (csv-format applied). */
typedef struct cfg_option {
	uint8_t code;
	bool always_send;
	bool never_send;
	uint16_t len;                   /* may exceed 255: split on output (RFC 3396) */
	uint8_t *data;
	uint32_t vendor;                /* cfg_optset_t.vend only: the enterprise number */
} cfg_option_t;

/* Options of one scope (global, shared network, subnet, pool, class, host),
 * sorted by code, one entry per code (dhcp4 space); and the sub-options of
 * the vendor-<enterprise> spaces (option 125, RFC 3925), sorted by
 * (enterprise, code), one entry per pair. */
typedef struct cfg_optset {
	cfg_option_t *v;
	size_t n;
	cfg_option_t *vend;
	size_t n_vend;
} cfg_optset_t;

/** The option with @code in @set, or NULL. */
const cfg_option_t *cfg_optset_find(const cfg_optset_t *set, uint8_t code);
/** Sub-option @code of space vendor-@vendor in @set, or NULL. */
const cfg_option_t *cfg_optset_find_vendor(const cfg_optset_t *set, uint32_t vendor, uint8_t code);

/* ---- client classes ---- */

#define CFG_CLASS_NONE (-1)

/* Built-in classes have fixed indexes in cfg_t.classes[]. */
enum {
	CFG_CLASS_ALL = 0,
	CFG_CLASS_KNOWN = 1,
	CFG_CLASS_UNKNOWN = 2,
	CFG_CLASS_DROP = 3,
	_CFG_CLASS_BUILTIN_MAX,
};

struct class_expr;                      /* compiled test, owned by class/ */

typedef struct cfg_class {
	char *name;
	struct class_expr *test;        /* NULL: no test (member only by reservation/builtin) */
	bool only_if_required;
	bool depends_on_known;          /* test uses known/unknown/member of such: evaluated late */
	bool builtin;                   /* ALL, KNOWN, ... or a referenced VENDOR_CLASS_... name */
	cfg_optset_t opts;
	bool has_next_server;
	uint32_t next_server;
	char *server_hostname;          /* NULL = not set */
	char *boot_file_name;
	bool has_valid_lft;
	uint32_t valid_lft, min_valid_lft, max_valid_lft;
} cfg_class_t;

/* A list of class indexes (require-client-classes). */
typedef struct cfg_class_list {
	uint16_t *idx;
	size_t n;
} cfg_class_list_t;

/* ---- pools, subnets, shared networks ---- */

typedef struct cfg_pool {
	uint32_t first;
	uint32_t last;                  /* inclusive */
	uint32_t pool_id;
	int client_class;               /* guard: class index or CFG_CLASS_NONE */
	cfg_class_list_t require;
	cfg_optset_t opts;
} cfg_pool_t;

typedef struct cfg_lifetimes {
	uint32_t valid, min_valid, max_valid;
	bool has_renew, has_rebind;
	uint32_t renew, rebind;
	bool calculate_tee_times;
	double t1_percent, t2_percent;
} cfg_lifetimes_t;

typedef enum cfg_allocator {
	CFG_ALLOC_ITERATIVE,
	CFG_ALLOC_RANDOM,
	CFG_ALLOC_FLQ,
} cfg_allocator_t;

struct cfg_shared_network;

/* ddns-replace-client-name (Kea's D2ClientConfig::ReplaceClientNameMode). */
typedef enum cfg_replace_name {
	CFG_REPLACE_NEVER,
	CFG_REPLACE_ALWAYS,
	CFG_REPLACE_WHEN_PRESENT,
	CFG_REPLACE_WHEN_NOT_PRESENT,
} cfg_replace_name_t;

/* The client-name parameters of a subnet (Kea's DdnsParams; DDNS itself is
 * always off in lessor), resolved global -> shared network -> subnet. */
typedef struct cfg_names {
	cfg_replace_name_t replace;
	const char *prefix;             /* ddns-generated-prefix; borrowed from cfg_t.json */
	const char *suffix;             /* ddns-qualifying-suffix, "" = none; borrowed */
	const sanitize_t *sanitizer;    /* hostname-char-set; NULL when "" (owned by cfg_t) */
} cfg_names_t;

typedef struct cfg_subnet4 {
	uint32_t id;
	uint32_t net;                   /* network address */
	uint8_t plen;
	uint32_t mask;
	cfg_pool_t *pools;
	size_t n_pools;
	cfg_optset_t opts;
	cfg_lifetimes_t lft;            /* resolved: global -> shared network -> subnet */
	bool authoritative;
	bool match_client_id;
	cfg_allocator_t allocator;
	uint32_t *relay_addrs;          /* relay.ip-addresses (own or inherited) */
	size_t n_relay_addrs;
	char *interface;                /* NULL if none */
	int client_class;               /* guard, resolved with inheritance */
	cfg_class_list_t require;       /* subnet's own require-client-classes */
	bool has_next_server;
	uint32_t next_server;           /* 0.0.0.0 = do not send */
	char *server_hostname;
	char *boot_file_name;
	bool reservations_global, reservations_in_subnet, reservations_out_of_pool;
	bool store_extended_info;       /* option 82 kept in the lease's user-context */
	bool has_cache_threshold, has_cache_max_age; /* Kea 2.2's lease cache (alloc.c) */
	double cache_threshold;         /* share of the valid lifetime, (0, 1) */
	uint32_t cache_max_age;         /* seconds */
	bool has_server_id;             /* option 54 configured at this level (resolved) */
	uint32_t server_id;
	cfg_names_t names;
	struct cfg_shared_network *network;  /* NULL when not in a shared network */
	json_t *user_context;           /* borrowed from cfg_t.json */
} cfg_subnet4_t;

typedef struct cfg_shared_network {
	char *name;
	cfg_subnet4_t **subnets;        /* borrowed; in configuration order */
	size_t n_subnets;
	cfg_optset_t opts;
	cfg_class_list_t require;
	int client_class;
} cfg_shared_network_t;

/* ---- host reservations ---- */

struct cfg;                            /* defined below; the lookups take it */

typedef enum cfg_host_id_type {
	CFG_HOST_ID_HWADDR = 0,         /* Kea's host_identifier_type codes */
	CFG_HOST_ID_DUID = 1,
	CFG_HOST_ID_CIRCUIT_ID = 2,
	CFG_HOST_ID_CLIENT_ID = 3,
	CFG_HOST_ID_FLEX_ID = 4,
	_CFG_HOST_ID_MAX,
} cfg_host_id_type_t;

typedef struct cfg_host {
	cfg_host_id_type_t id_type;
	uint8_t id[128];
	uint8_t id_len;
	uint32_t subnet_id;             /* 0 = global reservation */
	uint32_t addr;                  /* 0 = no address reserved */
	char *hostname;                 /* NULL = none */
	cfg_optset_t opts;
	cfg_class_list_t classes;
	bool has_next_server;
	uint32_t next_server;
	char *server_hostname;
	char *boot_file_name;
} cfg_host_t;

/** Reservation for (@subnet_id, identifier) or NULL. subnet_id 0 = global. O(1). */
const cfg_host_t *cfg_host_find(const struct cfg *cfg, uint32_t subnet_id, cfg_host_id_type_t type,
                                const uint8_t *id, size_t len);
/** Reservation of @addr in @subnet_id, or NULL. O(1). */
const cfg_host_t *cfg_host_find_by_addr(const struct cfg *cfg, uint32_t subnet_id, uint32_t addr);

/* ---- process-level sections ---- */

typedef enum cfg_socket_type {
	CFG_SOCKET_RAW,                 /* Kea's default: direct clients answered by packet socket */
	CFG_SOCKET_UDP,
} cfg_socket_type_t;

typedef struct cfg_interfaces {
	char **names;                   /* "*", "eth0" or "eth0/192.0.2.1" */
	size_t n_names;
	cfg_socket_type_t socket_type;
	bool outbound_use_routing;
} cfg_interfaces_t;

typedef struct cfg_expired {
	uint32_t reclaim_timer_wait_time;       /* s, default 10 */
	uint32_t flush_reclaimed_timer_wait_time; /* s, default 25 */
	uint32_t hold_reclaimed_time;           /* s, default 3600 */
	uint32_t max_reclaim_leases;            /* default 100 */
	uint32_t max_reclaim_time;              /* ms, default 250 */
	uint32_t unwarned_reclaim_cycles;       /* default 5 */
} cfg_expired_t;

typedef struct cfg_log_output {
	char *output;                   /* "stdout", "stderr", "syslog[:name]" or a file path */
	bool flush;
	uint64_t maxsize;
	uint32_t maxver;
	char *pattern;                  /* NULL = Kea's default pattern */
} cfg_log_output_t;

typedef struct cfg_logger {
	char *name;                     /* "kea-dhcp4", "kea-dhcp4.packets", ... */
	int severity;                   /* LOG_SEV_* from util/log.h */
	int debuglevel;                 /* 0..99 */
	cfg_log_output_t *outputs;
	size_t n_outputs;
} cfg_logger_t;

typedef struct cfg_mt {
	bool enabled;                   /* default true (Kea 2.4) */
	uint32_t thread_pool_size;      /* 0 = auto */
	uint32_t packet_queue_size;     /* default 64 */
} cfg_mt_t;

typedef struct cfg_control_socket {
	char *socket_type;              /* "unix"; NULL if the section is absent */
	char *socket_name;
} cfg_control_socket_t;

typedef struct cfg_hooks {
	bool lease_cmds;                /* libdhcp_lease_cmds.so listed */
	bool stat_cmds;                 /* libdhcp_stat_cmds.so listed */
	bool ha;                        /* libdhcp_ha.so listed */
	json_t *ha_params;              /* borrowed: its "parameters" object, or NULL */
} cfg_hooks_t;

/* ---- the whole configuration ---- */

typedef struct cfg {
	int refcount;                   /* atomic; see cfg-current.h */
	json_t *json;                   /* the Dhcp4 object as given (comments stripped), for config-get */

	cfg_subnet4_t *subnets;         /* sorted by id (Kea's selection order) */
	size_t n_subnets;
	cfg_shared_network_t *networks;
	size_t n_networks;
	cfg_optset_t opts;              /* global option-data */
	cfg_class_t *classes;           /* builtins first, then in configuration order */
	size_t n_classes;
	cfg_host_t *hosts;
	size_t n_hosts;
	cfg_host_id_type_t host_ids[_CFG_HOST_ID_MAX];   /* host-reservation-identifiers order */
	size_t n_host_ids;
	void *host_index;               /* private to cfg/host.c */
	bool ip_res_unique;             /* ip-reservations-unique */
	void *subnet_index;             /* private to cfg/subnet.c */

	uint32_t decline_probation_period;
	bool echo_client_id;
	bool early_global_reservations_lookup; /* global hosts' classes before subnet selection */
	bool has_server_id;             /* global option 54 */
	uint32_t server_id;
	char *server_tag;
	uint32_t parked_packet_limit;   /* Kea's (0: no limit); meaningful when _set */
	bool parked_packet_limit_set;   /* configured (else lessor's own default, ha.h) */
	cfg_expired_t expired;
	cfg_interfaces_t interfaces;
	lease_store_cfg_t lease_db;     /* strings point into json */
	lease_store_cfg_t *hosts_dbs;   /* hosts-database(s): lease/hostdb.h reads them */
	size_t n_hosts_dbs;
	bool hosts_db_lookup;           /* the engine asks hosts_dbs per packet (the daemon
	                                 * sets it with cfg_hosts_db_prepare()) */
	struct optdef_set *hosts_db_defs; /* option-defs for their rows; private to cfg */
	cfg_mt_t mt;
	cfg_logger_t *loggers;
	size_t n_loggers;
	cfg_control_socket_t control_socket;
	cfg_hooks_t hooks;
	cfg_ha_t *ha;                   /* libdhcp_ha.so parameters; NULL without HA */
	cfg_push_t push;                /* lessor-metrics (strings point into json) */
	sanitize_t **sanitizers;        /* one per distinct (char set, replacement) */
	size_t n_sanitizers;
} cfg_t;

/* Where a configuration error was found. */
typedef struct cfg_err {
	char path[512];                 /* "Dhcp4.subnet4[3].pools[0].pool" */
	int line;                       /* 1-based line in the source text, 0 if unknown */
	char msg[512];
} cfg_err_t;

/** Parse Kea-style JSON text (with //, # and C comments) holding {"Dhcp4": {...}}
 *  and build a validated cfg_t with refcount 1. On failure returns a negative
 *  code and fills @reterr (path, line, message). Any thread; allocates. */
int cfg_load_text(const char *text, size_t len, cfg_t **ret_cfg, cfg_err_t *reterr);
/** Read a file and cfg_load_text() it; a read failure is reported in @reterr. */
int cfg_load_file(const char *path, cfg_t **ret_cfg, cfg_err_t *reterr);
/** Build from an already-parsed {"Dhcp4": ...} object (config-set). Errors have line 0. */
int cfg_load_json(json_t *root, cfg_t **ret_cfg, cfg_err_t *reterr);
/** Format "PATH (line N): MSG" into buf. */
const char *cfg_err_format(const cfg_err_t *err, char *buf, size_t size);

/* A hosts-database reservation that cfg_hosts_add_json() leaves out: its
 * host_id and why (a JSON path into the reservation and Kea's words). */
typedef void (*cfg_host_skip_fn)(void *ud, int64_t host_id, const char *why);

/** Add reservations read from a hosts database to a loaded, unpublished @cfg
 *  and rebuild its host index. @arr holds {"host-id": N, "subnet-id": N,
 *  "identifier-type": N (Kea's host_identifier_type), "identifier": "hex",
 *  "reservation": {Kea reservation map without the identifier}}; the
 *  identifier is added to the reservation map under Kea's key. The configuration wins, as in Kea's
 *  HostMgr (config file first, then the databases): an identifier it already
 *  reserves in that subnet is skipped silently; a reservation that does not
 *  parse, names an unknown subnet's address outside it, or breaks
 *  ip-reservations-unique goes to @skip and is left out. Returns the number
 *  added or -ENOMEM. Not thread-safe on @cfg. */
int cfg_hosts_add_json(cfg_t *cfg, json_t *arr, cfg_host_skip_fn skip, void *ud);

/** Ready unpublished @cfg for per-packet hosts-database lookups: parses its
 *  option-defs once for cfg_host_parse_json() and sets hosts_db_lookup.
 *  0 or -ENOMEM. */
int cfg_hosts_db_prepare(cfg_t *cfg);
/** Free what cfg_hosts_db_prepare() made (cfg_free does it). */
void cfg_hosts_db_done(cfg_t *cfg);
/** Parse one item in cfg_hosts_add_json()'s form against published @cfg into
 *  @h: 1 = parsed (the caller cfg_host_done()s it), 0 = left out (a bad row
 *  goes to @skip; a host of an unconfigured subnet silently), -ENOMEM.
 *  Reads @cfg only, so any worker may call it; a client class @cfg does not
 *  know is dropped from the host (nothing in @cfg can refer to it). */
int cfg_host_parse_json(const cfg_t *cfg, json_t *item, cfg_host_t *h, cfg_host_skip_fn skip,
                        void *ud);

/** Free what a host owns (cfg_free does it for cfg->hosts). */
void cfg_host_done(cfg_host_t *h);

/** Free a cfg_t regardless of refcount (cfg-current.c uses the refcount). NULL-safe. */
void cfg_free(cfg_t *cfg);
DEFINE_FREEP(cfg_t, cfg_free)

/** Subnet with @id or NULL (binary search). */
const cfg_subnet4_t *cfg_subnet_by_id(const cfg_t *cfg, uint32_t id);

static inline bool cfg_subnet4_contains(const cfg_subnet4_t *s, uint32_t addr)
{
	return (addr & s->mask) == s->net;
}

/** Pool of @s containing @addr, or NULL. */
const cfg_pool_t *cfg_subnet_pool_of(const cfg_subnet4_t *s, uint32_t addr);

/** Index of class @name in cfg->classes, or CFG_CLASS_NONE. */
int cfg_class_find(const cfg_t *cfg, const char *name);
