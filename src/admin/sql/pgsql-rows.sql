-- Kea 2.4's PostgreSQL schema 18.0: enumeration rows and the version (db-init, step 3).

INSERT INTO lease_state VALUES (0, 'default'), (1, 'declined'), (2, 'expired-reclaimed');
INSERT INTO lease6_types VALUES (0, 'IA_NA'), (1, 'IA_TA'), (2, 'IA_PD');
INSERT INTO lease_hwaddr_source VALUES (0, 'HWADDR_SOURCE_UNKNOWN'), (1, 'HWADDR_SOURCE_RAW'),
	(2, 'HWADDR_SOURCE_IPV6_LINK_LOCAL'), (4, 'HWADDR_SOURCE_DUID'),
	(8, 'HWADDR_SOURCE_CLIENT_ADDR_RELAY_OPTION'), (16, 'HWADDR_SOURCE_REMOTE_ID'),
	(32, 'HWADDR_SOURCE_SUBSCRIBER_ID'), (64, 'HWADDR_SOURCE_DOCSIS_CMTS'),
	(128, 'HWADDR_SOURCE_DOCSIS_MODEM');
INSERT INTO host_identifier_type VALUES (0, 'hw-address'), (1, 'duid'), (2, 'circuit-id'),
	(3, 'client-id'), (4, 'flex-id');
INSERT INTO dhcp_option_scope VALUES (0, 'global'), (1, 'subnet'), (2, 'client-class'),
	(3, 'host'), (4, 'shared-network'), (5, 'pool'), (6, 'pd-pool');
INSERT INTO modification (id, modification_type) VALUES (0, 'create'), (1, 'update'), (2, 'delete');
INSERT INTO parameter_data_type VALUES (0, 'integer'), (1, 'real'), (2, 'boolean'), (4, 'string');
INSERT INTO ddns_replace_client_name_types VALUES (0, 'RCM_NEVER'), (1, 'RCM_ALWAYS'),
	(2, 'RCM_WHEN_PRESENT'), (3, 'RCM_WHEN_NOT_PRESENT');
-- The config backend's "all servers" tag, without an audit entry.
SELECT set_config('kea.disable_audit', 'true', true);
INSERT INTO dhcp4_server (id, tag, description) VALUES (1, 'all', 'special type: all servers');
INSERT INTO dhcp6_server (id, tag, description) VALUES (1, 'all', 'special type: all servers');
SELECT setval('dhcp4_server_id_seq', 1);
SELECT setval('dhcp6_server_id_seq', 1);
SELECT set_config('kea.disable_audit', 'false', true);

INSERT INTO schema_version (version, minor) VALUES (18, 0);
