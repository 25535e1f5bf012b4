/* The parameters of libdhcp_ha.so (Dhcp4.hooks-libraries[].parameters
 * .high-availability[0]) as Kea 2.2/2.4 accept them. Parsed and validated by
 * cfg-load-ha.c; the HA module (src/ha/) reads it from the config snapshot. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum cfg_ha_mode {
	CFG_HA_LOAD_BALANCING,
	CFG_HA_HOT_STANDBY,
	CFG_HA_PASSIVE_BACKUP,
} cfg_ha_mode_t;

typedef enum cfg_ha_role {
	CFG_HA_PRIMARY,
	CFG_HA_SECONDARY,
	CFG_HA_STANDBY,
	CFG_HA_BACKUP,
} cfg_ha_role_t;

/* The states of Kea's HA state machine, names as on the wire (cfg_ha_state_name). */
typedef enum cfg_ha_state {
	CFG_HA_ST_BACKUP,
	CFG_HA_ST_COMMUNICATION_RECOVERY,
	CFG_HA_ST_HOT_STANDBY,
	CFG_HA_ST_LOAD_BALANCING,
	CFG_HA_ST_IN_MAINTENANCE,
	CFG_HA_ST_PARTNER_DOWN,
	CFG_HA_ST_PARTNER_IN_MAINTENANCE,
	CFG_HA_ST_PASSIVE_BACKUP,
	CFG_HA_ST_READY,
	CFG_HA_ST_SYNCING,
	CFG_HA_ST_TERMINATED,
	CFG_HA_ST_WAITING,
	_CFG_HA_ST_MAX,
} cfg_ha_state_t;

/* state-machine.states[].pause */
typedef enum cfg_ha_pause {
	CFG_HA_PAUSE_NEVER,
	CFG_HA_PAUSE_ONCE,
	CFG_HA_PAUSE_ALWAYS,
} cfg_ha_pause_t;

/* trust-anchor / cert-file / key-file: all set or all NULL (empty = unset). */
typedef struct cfg_ha_tls {
	char *trust_anchor;
	char *cert_file;
	char *key_file;
} cfg_ha_tls_t;

typedef struct cfg_ha_peer {
	char *name;
	char *url;                      /* as configured */
	char *host;                     /* the URL's IP address literal (IPv6 without brackets) */
	uint16_t port;                  /* the URL's port, 80/443 when absent */
	bool https;
	cfg_ha_role_t role;
	bool auto_failover;
	char *basic_auth_user;          /* NULL: no basic auth */
	char *basic_auth_password;      /* from -password or the first line of -password-file */
	cfg_ha_tls_t tls;               /* the peer's own, else the global one */
} cfg_ha_peer_t;

typedef struct cfg_ha {
	char *this_server_name;
	cfg_ha_mode_t mode;
	uint32_t heartbeat_delay;       /* ms, <= 65535 as Kea parses it */
	uint32_t max_response_delay;    /* ms, <= 65535 */
	uint32_t max_ack_delay;         /* ms, <= 65535 */
	uint32_t max_unacked_clients;
	uint32_t max_rejected_lease_updates;    /* Kea 2.4 */
	uint32_t delayed_updates_limit;
	uint32_t sync_timeout;          /* ms */
	uint32_t sync_page_limit;
	bool send_lease_updates;
	bool sync_leases;
	bool wait_backup_ack;
	bool require_client_certs;
	bool restrict_commands;
	cfg_ha_tls_t tls;               /* the global TLS parameters */
	bool mt_enabled;                /* multi-threading.enable-multi-threading */
	bool mt_dedicated_listener;     /* multi-threading.http-dedicated-listener */
	uint32_t mt_listener_threads;
	uint32_t mt_client_threads;
	cfg_ha_pause_t pause[_CFG_HA_ST_MAX];
	cfg_ha_peer_t *peers;
	size_t n_peers;
	size_t self;                    /* index of this-server-name in peers */
	/* Kea tags every query with class HA_<name of the scope's owner>: the
	 * indexes of HA_<primary> and HA_<secondary> in cfg->classes when the
	 * configuration refers to them (pool/subnet guards, member()), else
	 * CFG_CLASS_NONE (an unreferenced class cannot change anything). */
	int scope_class[2];
} cfg_ha_t;

/** Wire name of @st ("hot-standby", …). */
const char *cfg_ha_state_name(cfg_ha_state_t st);

/** Wire name of @m ("load-balancing", "hot-standby", "passive-backup"). */
const char *cfg_ha_mode_name(cfg_ha_mode_t m);

/** Wire name of @r ("primary", "secondary", "standby", "backup"). */
const char *cfg_ha_role_name(cfg_ha_role_t r);

/** Free @ha and everything it owns. NULL-safe. */
void cfg_ha_free(cfg_ha_t *ha);
