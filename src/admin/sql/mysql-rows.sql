-- Kea 2.4's MySQL schema 19.0: enumeration rows and the version (lessor-admin db-init, step 3).

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
-- The config backend's "all servers" tag; its audit trigger needs no revision for this row.
SET @disable_audit = 1;
INSERT INTO dhcp4_server (id, tag, description, modification_ts)
	VALUES (1, 'all', 'special type: all servers', NOW());
INSERT INTO dhcp6_server (id, tag, description, modification_ts)
	VALUES (1, 'all', 'special type: all servers', NOW());
SET @disable_audit = NULL;

INSERT INTO schema_version (version, minor) VALUES (19, 0);
