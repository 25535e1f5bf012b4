-- Kea 2.4's PostgreSQL schema 18.0: tables, constraints, indexes (lessor-admin db-init, step 1
-- of 3). Written for lessor from the schema catalogue; a database made from these files reads
-- back like one that Kea 2.4's kea-admin made. SERIAL columns create their sequences
-- (<table>_<column>_seq). Step 2 is pgsql-routines.sql, step 3 pgsql-rows.sql.

CREATE TABLE ddns_replace_client_name_types (
	type BIGINT NOT NULL,
	name VARCHAR(32)
);

CREATE TABLE dhcp4_audit (
	id SERIAL,
	object_type VARCHAR(256) NOT NULL,
	object_id BIGINT NOT NULL,
	modification_type SMALLINT NOT NULL,
	revision_id BIGINT NOT NULL
);

CREATE TABLE dhcp4_audit_revision (
	id SERIAL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	log_message TEXT,
	server_id BIGINT
);

CREATE TABLE dhcp4_client_class (
	id SERIAL,
	name VARCHAR(128) NOT NULL,
	test TEXT,
	next_server INET,
	server_hostname VARCHAR(128) DEFAULT NULL,
	boot_file_name VARCHAR(512) DEFAULT NULL,
	only_if_required BOOLEAN NOT NULL DEFAULT false,
	valid_lifetime BIGINT,
	min_valid_lifetime BIGINT,
	max_valid_lifetime BIGINT,
	depend_on_known_directly BOOLEAN NOT NULL DEFAULT false,
	follow_class_name VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	user_context JSON,
	offer_lifetime BIGINT
);

CREATE TABLE dhcp4_client_class_dependency (
	class_id BIGINT NOT NULL,
	dependency_id BIGINT NOT NULL
);

CREATE TABLE dhcp4_client_class_order (
	class_id BIGINT NOT NULL,
	order_index BIGINT NOT NULL,
	depend_on_known_indirectly BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE dhcp4_client_class_server (
	class_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE
);

CREATE TABLE dhcp4_global_parameter (
	id SERIAL,
	name VARCHAR(128) NOT NULL,
	value TEXT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	parameter_type SMALLINT NOT NULL
);

CREATE TABLE dhcp4_global_parameter_server (
	parameter_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp4_option_def (
	id SERIAL,
	code SMALLINT NOT NULL,
	name VARCHAR(128) NOT NULL,
	space VARCHAR(128) NOT NULL,
	type SMALLINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	is_array BOOLEAN NOT NULL,
	encapsulate VARCHAR(128) NOT NULL,
	record_types VARCHAR,
	user_context JSON,
	class_id BIGINT
);

CREATE TABLE dhcp4_option_def_server (
	option_def_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp4_options (
	option_id SERIAL,
	code SMALLINT NOT NULL,
	value BYTEA,
	formatted_value TEXT,
	space VARCHAR(128) DEFAULT NULL,
	persistent BOOLEAN NOT NULL DEFAULT false,
	dhcp_client_class VARCHAR(128) DEFAULT NULL,
	dhcp4_subnet_id BIGINT,
	host_id INTEGER,
	scope_id SMALLINT NOT NULL,
	user_context TEXT,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	pool_id BIGINT,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	cancelled BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE dhcp4_options_server (
	option_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp4_pool (
	id SERIAL,
	start_address INET NOT NULL,
	end_address INET NOT NULL,
	subnet_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	client_class VARCHAR(128) DEFAULT NULL,
	require_client_classes TEXT,
	user_context JSON
);

CREATE TABLE dhcp4_server (
	id SERIAL,
	tag VARCHAR(64) NOT NULL,
	description TEXT,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp4_shared_network (
	id SERIAL,
	name VARCHAR(128) NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	match_client_id BOOLEAN,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	rebind_timer BIGINT,
	relay TEXT,
	renew_timer BIGINT,
	require_client_classes TEXT,
	user_context JSON,
	valid_lifetime BIGINT,
	authoritative BOOLEAN,
	calculate_tee_times BOOLEAN,
	t1_percent DOUBLE PRECISION,
	t2_percent DOUBLE PRECISION,
	boot_file_name VARCHAR(128) DEFAULT NULL,
	next_server INET,
	server_hostname VARCHAR(64) DEFAULT NULL,
	min_valid_lifetime BIGINT,
	max_valid_lifetime BIGINT,
	ddns_send_updates BOOLEAN,
	ddns_override_no_update BOOLEAN,
	ddns_override_client_update BOOLEAN,
	ddns_replace_client_name BIGINT,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global BOOLEAN,
	reservations_in_subnet BOOLEAN,
	reservations_out_of_pool BOOLEAN,
	cache_threshold DOUBLE PRECISION,
	cache_max_age BIGINT,
	allocator TEXT,
	offer_lifetime BIGINT
);

CREATE TABLE dhcp4_shared_network_server (
	shared_network_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp4_subnet (
	subnet_id BIGINT NOT NULL,
	subnet_prefix VARCHAR(64) NOT NULL,
	interface_4o6 VARCHAR(128) DEFAULT NULL,
	interface_id_4o6 VARCHAR(128) DEFAULT NULL,
	subnet_4o6 VARCHAR(64) DEFAULT NULL,
	boot_file_name VARCHAR(128) DEFAULT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	match_client_id BOOLEAN,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	next_server INET,
	rebind_timer BIGINT,
	relay TEXT,
	renew_timer BIGINT,
	require_client_classes TEXT,
	server_hostname VARCHAR(64) DEFAULT NULL,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	user_context JSON,
	valid_lifetime BIGINT,
	authoritative BOOLEAN,
	calculate_tee_times BOOLEAN,
	t1_percent DOUBLE PRECISION,
	t2_percent DOUBLE PRECISION,
	min_valid_lifetime BIGINT,
	max_valid_lifetime BIGINT,
	ddns_send_updates BOOLEAN,
	ddns_override_no_update BOOLEAN,
	ddns_override_client_update BOOLEAN,
	ddns_replace_client_name BIGINT,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global BOOLEAN,
	reservations_in_subnet BOOLEAN,
	reservations_out_of_pool BOOLEAN,
	cache_threshold DOUBLE PRECISION,
	cache_max_age BIGINT,
	allocator TEXT,
	offer_lifetime BIGINT
);

CREATE TABLE dhcp4_subnet_server (
	subnet_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp6_audit (
	id SERIAL,
	object_type VARCHAR(256) NOT NULL,
	object_id BIGINT NOT NULL,
	modification_type SMALLINT NOT NULL,
	revision_id BIGINT NOT NULL
);

CREATE TABLE dhcp6_audit_revision (
	id SERIAL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	log_message TEXT,
	server_id BIGINT
);

CREATE TABLE dhcp6_client_class (
	id SERIAL,
	name VARCHAR(128) NOT NULL,
	test TEXT,
	only_if_required BOOLEAN NOT NULL DEFAULT false,
	valid_lifetime BIGINT,
	min_valid_lifetime BIGINT,
	max_valid_lifetime BIGINT,
	depend_on_known_directly BOOLEAN NOT NULL DEFAULT false,
	follow_class_name VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	preferred_lifetime BIGINT,
	min_preferred_lifetime BIGINT,
	max_preferred_lifetime BIGINT,
	user_context JSON
);

CREATE TABLE dhcp6_client_class_dependency (
	class_id BIGINT NOT NULL,
	dependency_id BIGINT NOT NULL
);

CREATE TABLE dhcp6_client_class_order (
	class_id BIGINT NOT NULL,
	order_index BIGINT NOT NULL,
	depend_on_known_indirectly BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE dhcp6_client_class_server (
	class_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE
);

CREATE TABLE dhcp6_global_parameter (
	id SERIAL,
	name VARCHAR(128) NOT NULL,
	value TEXT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	parameter_type SMALLINT NOT NULL
);

CREATE TABLE dhcp6_global_parameter_server (
	parameter_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp6_option_def (
	id SERIAL,
	code SMALLINT NOT NULL,
	name VARCHAR(128) NOT NULL,
	space VARCHAR(128) NOT NULL,
	type SMALLINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	is_array BOOLEAN NOT NULL,
	encapsulate VARCHAR(128) NOT NULL,
	record_types VARCHAR,
	user_context JSON,
	class_id BIGINT
);

CREATE TABLE dhcp6_option_def_server (
	option_def_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp6_options (
	option_id SERIAL,
	code INTEGER NOT NULL,
	value BYTEA,
	formatted_value TEXT,
	space VARCHAR(128) DEFAULT NULL,
	persistent BOOLEAN NOT NULL DEFAULT false,
	dhcp_client_class VARCHAR(128) DEFAULT NULL,
	dhcp6_subnet_id BIGINT,
	host_id INTEGER,
	scope_id SMALLINT NOT NULL,
	user_context TEXT,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	pool_id BIGINT,
	pd_pool_id BIGINT,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	cancelled BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE dhcp6_options_server (
	option_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp6_pd_pool (
	id SERIAL,
	prefix VARCHAR(45) NOT NULL,
	prefix_length SMALLINT NOT NULL,
	delegated_prefix_length SMALLINT NOT NULL,
	subnet_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	excluded_prefix VARCHAR(45) DEFAULT NULL,
	excluded_prefix_length SMALLINT NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	require_client_classes TEXT,
	user_context JSON
);

CREATE TABLE dhcp6_pool (
	id SERIAL,
	start_address INET NOT NULL,
	end_address INET NOT NULL,
	subnet_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	client_class VARCHAR(128) DEFAULT NULL,
	require_client_classes TEXT,
	user_context JSON
);

CREATE TABLE dhcp6_server (
	id SERIAL,
	tag VARCHAR(64) NOT NULL,
	description TEXT,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp6_shared_network (
	id SERIAL,
	name VARCHAR(128) NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	preferred_lifetime BIGINT,
	rapid_commit BOOLEAN,
	rebind_timer BIGINT,
	relay TEXT,
	renew_timer BIGINT,
	require_client_classes TEXT,
	user_context JSON,
	valid_lifetime BIGINT,
	calculate_tee_times BOOLEAN,
	t1_percent DOUBLE PRECISION,
	t2_percent DOUBLE PRECISION,
	interface_id BYTEA,
	min_preferred_lifetime BIGINT,
	max_preferred_lifetime BIGINT,
	min_valid_lifetime BIGINT,
	max_valid_lifetime BIGINT,
	ddns_send_updates BOOLEAN,
	ddns_override_no_update BOOLEAN,
	ddns_override_client_update BOOLEAN,
	ddns_replace_client_name BIGINT,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global BOOLEAN,
	reservations_in_subnet BOOLEAN,
	reservations_out_of_pool BOOLEAN,
	cache_threshold DOUBLE PRECISION,
	cache_max_age BIGINT,
	allocator TEXT,
	pd_allocator TEXT
);

CREATE TABLE dhcp6_shared_network_server (
	shared_network_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp6_subnet (
	subnet_id BIGINT NOT NULL,
	subnet_prefix VARCHAR(64) NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
	preferred_lifetime BIGINT,
	rapid_commit BOOLEAN,
	rebind_timer BIGINT,
	relay TEXT,
	renew_timer BIGINT,
	require_client_classes TEXT,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	user_context JSON,
	valid_lifetime BIGINT,
	calculate_tee_times BOOLEAN,
	t1_percent DOUBLE PRECISION,
	t2_percent DOUBLE PRECISION,
	interface_id BYTEA,
	min_preferred_lifetime BIGINT,
	max_preferred_lifetime BIGINT,
	min_valid_lifetime BIGINT,
	max_valid_lifetime BIGINT,
	ddns_send_updates BOOLEAN,
	ddns_override_no_update BOOLEAN,
	ddns_override_client_update BOOLEAN,
	ddns_replace_client_name BIGINT,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global BOOLEAN,
	reservations_in_subnet BOOLEAN,
	reservations_out_of_pool BOOLEAN,
	cache_threshold DOUBLE PRECISION,
	cache_max_age BIGINT,
	allocator TEXT,
	pd_allocator TEXT
);

CREATE TABLE dhcp6_subnet_server (
	subnet_id BIGINT NOT NULL,
	server_id BIGINT NOT NULL,
	modification_ts TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE dhcp_option_scope (
	scope_id SMALLINT NOT NULL,
	scope_name VARCHAR(32) DEFAULT NULL
);

CREATE TABLE host_identifier_type (
	type SMALLINT NOT NULL,
	name VARCHAR(32) DEFAULT NULL
);

CREATE TABLE hosts (
	host_id SERIAL,
	dhcp_identifier BYTEA NOT NULL,
	dhcp_identifier_type SMALLINT NOT NULL,
	dhcp4_subnet_id BIGINT,
	dhcp6_subnet_id BIGINT,
	ipv4_address BIGINT,
	hostname VARCHAR(255) DEFAULT NULL,
	dhcp4_client_classes VARCHAR(255) DEFAULT NULL,
	dhcp6_client_classes VARCHAR(255) DEFAULT NULL,
	dhcp4_next_server BIGINT,
	dhcp4_server_hostname VARCHAR(64) DEFAULT NULL,
	dhcp4_boot_file_name VARCHAR(128) DEFAULT NULL,
	user_context TEXT,
	auth_key VARCHAR(32) DEFAULT NULL
);

CREATE TABLE ipv6_reservations (
	reservation_id SERIAL,
	address INET NOT NULL,
	prefix_len SMALLINT NOT NULL DEFAULT '128',
	type SMALLINT NOT NULL DEFAULT '0',
	dhcp6_iaid INTEGER,
	host_id INTEGER NOT NULL
);

CREATE TABLE lease4 (
	address BIGINT NOT NULL,
	hwaddr BYTEA,
	client_id BYTEA,
	valid_lifetime BIGINT,
	expire TIMESTAMP WITH TIME ZONE,
	subnet_id BIGINT,
	fqdn_fwd BOOLEAN,
	fqdn_rev BOOLEAN,
	hostname VARCHAR(255),
	state BIGINT DEFAULT 0,
	user_context TEXT,
	relay_id BYTEA,
	remote_id BYTEA,
	pool_id BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE lease4_pool_stat (
	subnet_id BIGINT NOT NULL,
	pool_id BIGINT NOT NULL,
	state BIGINT NOT NULL,
	leases BIGINT
);

CREATE TABLE lease4_stat (
	subnet_id BIGINT NOT NULL,
	state BIGINT NOT NULL,
	leases BIGINT
);

CREATE TABLE lease4_stat_by_client_class (
	client_class VARCHAR(128) NOT NULL,
	leases BIGINT NOT NULL
);

CREATE TABLE lease6 (
	address INET NOT NULL,
	duid BYTEA,
	valid_lifetime BIGINT,
	expire TIMESTAMP WITH TIME ZONE,
	subnet_id BIGINT,
	pref_lifetime BIGINT,
	lease_type SMALLINT,
	iaid INTEGER,
	prefix_len SMALLINT,
	fqdn_fwd BOOLEAN,
	fqdn_rev BOOLEAN,
	hostname VARCHAR(255),
	state BIGINT DEFAULT 0,
	hwaddr BYTEA,
	hwtype SMALLINT,
	hwaddr_source SMALLINT,
	user_context TEXT,
	pool_id BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE lease6_pool_stat (
	subnet_id BIGINT NOT NULL,
	pool_id BIGINT NOT NULL,
	lease_type SMALLINT NOT NULL,
	state BIGINT NOT NULL,
	leases BIGINT
);

CREATE TABLE lease6_relay_id (
	extended_info_id SERIAL,
	relay_id BYTEA NOT NULL,
	lease_addr BYTEA NOT NULL
);

CREATE TABLE lease6_remote_id (
	extended_info_id SERIAL,
	remote_id BYTEA NOT NULL,
	lease_addr BYTEA NOT NULL
);

CREATE TABLE lease6_stat (
	subnet_id BIGINT NOT NULL,
	lease_type SMALLINT NOT NULL,
	state BIGINT NOT NULL,
	leases BIGINT
);

CREATE TABLE lease6_stat_by_client_class (
	client_class VARCHAR(128) NOT NULL,
	lease_type SMALLINT NOT NULL,
	leases BIGINT NOT NULL
);

CREATE TABLE lease6_types (
	lease_type SMALLINT NOT NULL,
	name VARCHAR(5)
);

CREATE TABLE lease_hwaddr_source (
	hwaddr_source INTEGER NOT NULL,
	name VARCHAR(40) DEFAULT NULL
);

CREATE TABLE lease_state (
	state BIGINT NOT NULL,
	name VARCHAR(64) NOT NULL
);

CREATE TABLE logs (
	"timestamp" TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
	address VARCHAR(43),
	log TEXT NOT NULL
);

CREATE TABLE modification (
	id SMALLINT NOT NULL,
	modification_type VARCHAR(32) NOT NULL
);

CREATE TABLE parameter_data_type (
	id SMALLINT NOT NULL,
	name VARCHAR(32) NOT NULL
);

CREATE TABLE schema_version (
	version INTEGER NOT NULL,
	minor INTEGER
);

ALTER TABLE ddns_replace_client_name_types ADD CONSTRAINT ddns_replace_client_name_types_pkey PRIMARY KEY (type);
ALTER TABLE dhcp4_audit_revision ADD CONSTRAINT dhcp4_audit_revision_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_client_class ADD CONSTRAINT dhcp4_client_class_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_client_class_dependency ADD CONSTRAINT dhcp4_client_class_dependency_pkey PRIMARY KEY (class_id, dependency_id);
ALTER TABLE dhcp4_client_class_order ADD CONSTRAINT dhcp4_client_class_order_pkey PRIMARY KEY (class_id);
ALTER TABLE dhcp4_client_class_server ADD CONSTRAINT dhcp4_client_class_server_pkey PRIMARY KEY (class_id, server_id);
ALTER TABLE dhcp4_global_parameter ADD CONSTRAINT dhcp4_global_parameter_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_global_parameter_server ADD CONSTRAINT dhcp4_global_parameter_server_pkey PRIMARY KEY (parameter_id, server_id);
ALTER TABLE dhcp4_option_def ADD CONSTRAINT dhcp4_option_def_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT dhcp4_option_def_server_pkey PRIMARY KEY (option_def_id, server_id);
ALTER TABLE dhcp4_options ADD CONSTRAINT dhcp4_options_pkey PRIMARY KEY (option_id);
ALTER TABLE dhcp4_options_server ADD CONSTRAINT dhcp4_options_server_pkey PRIMARY KEY (option_id, server_id);
ALTER TABLE dhcp4_pool ADD CONSTRAINT dhcp4_pool_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_server ADD CONSTRAINT dhcp4_server_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_shared_network ADD CONSTRAINT dhcp4_shared_network_pkey PRIMARY KEY (id);
ALTER TABLE dhcp4_shared_network_server ADD CONSTRAINT dhcp4_shared_network_server_pkey PRIMARY KEY (shared_network_id, server_id);
ALTER TABLE dhcp4_subnet ADD CONSTRAINT dhcp4_subnet_pkey PRIMARY KEY (subnet_id);
ALTER TABLE dhcp4_subnet_server ADD CONSTRAINT dhcp4_subnet_server_pkey PRIMARY KEY (subnet_id, server_id);
ALTER TABLE dhcp6_audit_revision ADD CONSTRAINT dhcp6_audit_revision_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_client_class ADD CONSTRAINT dhcp6_client_class_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_client_class_dependency ADD CONSTRAINT dhcp6_client_class_dependency_pkey PRIMARY KEY (class_id, dependency_id);
ALTER TABLE dhcp6_client_class_order ADD CONSTRAINT dhcp6_client_class_order_pkey PRIMARY KEY (class_id);
ALTER TABLE dhcp6_client_class_server ADD CONSTRAINT dhcp6_client_class_server_pkey PRIMARY KEY (class_id, server_id);
ALTER TABLE dhcp6_global_parameter ADD CONSTRAINT dhcp6_global_parameter_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_global_parameter_server ADD CONSTRAINT dhcp6_global_parameter_server_pkey PRIMARY KEY (parameter_id, server_id);
ALTER TABLE dhcp6_option_def ADD CONSTRAINT dhcp6_option_def_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT dhcp6_option_def_server_pkey PRIMARY KEY (option_def_id, server_id);
ALTER TABLE dhcp6_options ADD CONSTRAINT dhcp6_options_pkey PRIMARY KEY (option_id);
ALTER TABLE dhcp6_options_server ADD CONSTRAINT dhcp6_options_server_pkey PRIMARY KEY (option_id, server_id);
ALTER TABLE dhcp6_pd_pool ADD CONSTRAINT dhcp6_pd_pool_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_pool ADD CONSTRAINT dhcp6_pool_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_server ADD CONSTRAINT dhcp6_server_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_shared_network ADD CONSTRAINT dhcp6_shared_network_pkey PRIMARY KEY (id);
ALTER TABLE dhcp6_shared_network_server ADD CONSTRAINT dhcp6_shared_network_server_pkey PRIMARY KEY (shared_network_id, server_id);
ALTER TABLE dhcp6_subnet ADD CONSTRAINT dhcp6_subnet_pkey PRIMARY KEY (subnet_id);
ALTER TABLE dhcp6_subnet_server ADD CONSTRAINT dhcp6_subnet_server_pkey PRIMARY KEY (subnet_id, server_id);
ALTER TABLE dhcp_option_scope ADD CONSTRAINT dhcp_option_scope_pkey PRIMARY KEY (scope_id);
ALTER TABLE host_identifier_type ADD CONSTRAINT host_identifier_type_pkey PRIMARY KEY (type);
ALTER TABLE hosts ADD CONSTRAINT hosts_pkey PRIMARY KEY (host_id);
ALTER TABLE ipv6_reservations ADD CONSTRAINT ipv6_reservations_pkey PRIMARY KEY (reservation_id);
ALTER TABLE lease4 ADD CONSTRAINT lease4_pkey PRIMARY KEY (address);
ALTER TABLE lease4_pool_stat ADD CONSTRAINT lease4_pool_stat_pkey PRIMARY KEY (subnet_id, pool_id, state);
ALTER TABLE lease4_stat ADD CONSTRAINT lease4_stat_pkey PRIMARY KEY (subnet_id, state);
ALTER TABLE lease4_stat_by_client_class ADD CONSTRAINT lease4_stat_by_client_class_pkey PRIMARY KEY (client_class);
ALTER TABLE lease6 ADD CONSTRAINT lease6_pkey PRIMARY KEY (address);
ALTER TABLE lease6_pool_stat ADD CONSTRAINT lease6_pool_stat_pkey PRIMARY KEY (subnet_id, pool_id, lease_type, state);
ALTER TABLE lease6_relay_id ADD CONSTRAINT lease6_relay_id_pkey PRIMARY KEY (extended_info_id);
ALTER TABLE lease6_remote_id ADD CONSTRAINT lease6_remote_id_pkey PRIMARY KEY (extended_info_id);
ALTER TABLE lease6_stat ADD CONSTRAINT lease6_stat_pkey PRIMARY KEY (subnet_id, lease_type, state);
ALTER TABLE lease6_stat_by_client_class ADD CONSTRAINT lease6_stat_by_client_class_pkey PRIMARY KEY (client_class, lease_type);
ALTER TABLE lease6_types ADD CONSTRAINT lease6_types_pkey PRIMARY KEY (lease_type);
ALTER TABLE lease_hwaddr_source ADD CONSTRAINT lease_hwaddr_source_pkey PRIMARY KEY (hwaddr_source);
ALTER TABLE lease_state ADD CONSTRAINT lease_state_pkey PRIMARY KEY (state);
ALTER TABLE modification ADD CONSTRAINT modification_pkey PRIMARY KEY (id);
ALTER TABLE parameter_data_type ADD CONSTRAINT parameter_data_type_pkey PRIMARY KEY (id);
ALTER TABLE schema_version ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);
ALTER TABLE dhcp4_audit ADD CONSTRAINT dhcp4_audit_id_key UNIQUE (id);
ALTER TABLE dhcp4_client_class ADD CONSTRAINT dhcp4_client_class_name_key UNIQUE (name);
ALTER TABLE dhcp4_server ADD CONSTRAINT dhcp4_server_tag_key UNIQUE (tag);
ALTER TABLE dhcp4_shared_network ADD CONSTRAINT dhcp4_shared_network_name_key UNIQUE (name);
ALTER TABLE dhcp4_subnet ADD CONSTRAINT dhcp4_subnet_subnet_prefix_key UNIQUE (subnet_prefix);
ALTER TABLE dhcp6_audit ADD CONSTRAINT dhcp6_audit_id_key UNIQUE (id);
ALTER TABLE dhcp6_client_class ADD CONSTRAINT dhcp6_client_class_name_key UNIQUE (name);
ALTER TABLE dhcp6_server ADD CONSTRAINT dhcp6_server_tag_key UNIQUE (tag);
ALTER TABLE dhcp6_shared_network ADD CONSTRAINT dhcp6_shared_network_name_key UNIQUE (name);
ALTER TABLE dhcp6_subnet ADD CONSTRAINT dhcp6_subnet_subnet_prefix_key UNIQUE (subnet_prefix);
ALTER TABLE dhcp4_audit ADD CONSTRAINT fk_dhcp4_audit_modification_type FOREIGN KEY (modification_type) REFERENCES modification(id);
ALTER TABLE dhcp4_audit ADD CONSTRAINT fk_dhcp4_audit_revision FOREIGN KEY (revision_id) REFERENCES dhcp4_audit_revision(id) ON UPDATE CASCADE;
ALTER TABLE dhcp4_client_class_dependency ADD CONSTRAINT dhcp4_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_client_class_dependency ADD CONSTRAINT dhcp4_client_class_dependency_id FOREIGN KEY (dependency_id) REFERENCES dhcp4_client_class(id);
ALTER TABLE dhcp4_client_class_order ADD CONSTRAINT fk_dhcp4_client_class_order_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_client_class_server ADD CONSTRAINT fk_dhcp4_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_client_class_server ADD CONSTRAINT fk_dhcp4_client_class_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server(id);
ALTER TABLE dhcp4_global_parameter ADD CONSTRAINT fk_dhcp6_global_parameter_type FOREIGN KEY (parameter_type) REFERENCES parameter_data_type(id);
ALTER TABLE dhcp4_global_parameter_server ADD CONSTRAINT fk_dhcp4_global_parameter_server_parameter_id FOREIGN KEY (parameter_id) REFERENCES dhcp4_global_parameter(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_global_parameter_server ADD CONSTRAINT fk_dhcp4_global_parameter_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def ADD CONSTRAINT fk_dhcp4_option_def_client_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT dhcp4_option_def_server_option_def_id_fkey FOREIGN KEY (option_def_id) REFERENCES dhcp4_option_def(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT dhcp4_option_def_server_server_id_fkey FOREIGN KEY (server_id) REFERENCES dhcp4_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT fk_dhcp4_option_def_server_option_def_id FOREIGN KEY (option_def_id) REFERENCES dhcp4_option_def(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT fk_dhcp4_option_def_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server(id);
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_option_scode FOREIGN KEY (scope_id) REFERENCES dhcp_option_scope(scope_id) ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_pool FOREIGN KEY (pool_id) REFERENCES dhcp4_pool(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp4_shared_network(name) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_subnet FOREIGN KEY (dhcp4_subnet_id) REFERENCES dhcp4_subnet(subnet_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_options_host1 FOREIGN KEY (host_id) REFERENCES hosts(host_id) ON DELETE CASCADE;
ALTER TABLE dhcp4_options_server ADD CONSTRAINT fk_dhcp4_options_server_option_id FOREIGN KEY (option_id) REFERENCES dhcp4_options(option_id) ON DELETE CASCADE;
ALTER TABLE dhcp4_options_server ADD CONSTRAINT fk_dhcp4_options_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_pool ADD CONSTRAINT fk_dhcp4_pool_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp4_subnet(subnet_id);
ALTER TABLE dhcp4_shared_network ADD CONSTRAINT fk_ddns_replace_client_name FOREIGN KEY (ddns_replace_client_name) REFERENCES ddns_replace_client_name_types(type);
ALTER TABLE dhcp4_shared_network_server ADD CONSTRAINT fk_dhcp4_shared_network_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_shared_network_server ADD CONSTRAINT fk_dhcp4_shared_network_server_shared_network_id FOREIGN KEY (shared_network_id) REFERENCES dhcp4_shared_network(id) ON DELETE CASCADE;
ALTER TABLE dhcp4_subnet ADD CONSTRAINT fk_ddns_replace_client_name FOREIGN KEY (ddns_replace_client_name) REFERENCES ddns_replace_client_name_types(type);
ALTER TABLE dhcp4_subnet ADD CONSTRAINT fk_dhcp4_subnet_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp4_shared_network(name);
ALTER TABLE dhcp4_subnet_server ADD CONSTRAINT fk_dhcp4_subnet_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_subnet_server ADD CONSTRAINT fk_dhcp4_subnet_server_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp4_subnet(subnet_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_audit ADD CONSTRAINT fk_dhcp6_audit_modification_type FOREIGN KEY (modification_type) REFERENCES modification(id);
ALTER TABLE dhcp6_audit ADD CONSTRAINT fk_dhcp6_audit_revision FOREIGN KEY (revision_id) REFERENCES dhcp6_audit_revision(id) ON UPDATE CASCADE;
ALTER TABLE dhcp6_client_class_dependency ADD CONSTRAINT dhcp6_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_client_class_dependency ADD CONSTRAINT dhcp6_client_class_dependency_id FOREIGN KEY (dependency_id) REFERENCES dhcp6_client_class(id);
ALTER TABLE dhcp6_client_class_order ADD CONSTRAINT fk_dhcp6_client_class_order_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_client_class_server ADD CONSTRAINT fk_dhcp6_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_client_class_server ADD CONSTRAINT fk_dhcp6_client_class_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server(id);
ALTER TABLE dhcp6_global_parameter ADD CONSTRAINT fk_dhcp6_global_parameter_type FOREIGN KEY (parameter_type) REFERENCES parameter_data_type(id);
ALTER TABLE dhcp6_global_parameter_server ADD CONSTRAINT fk_dhcp6_global_parameter_server_parameter_id FOREIGN KEY (parameter_id) REFERENCES dhcp6_global_parameter(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_global_parameter_server ADD CONSTRAINT fk_dhcp6_global_parameter_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def ADD CONSTRAINT fk_dhcp6_option_def_client_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT dhcp6_option_def_server_option_def_id_fkey FOREIGN KEY (option_def_id) REFERENCES dhcp6_option_def(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT dhcp6_option_def_server_server_id_fkey FOREIGN KEY (server_id) REFERENCES dhcp6_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT fk_dhcp6_option_def_server_option_def_id FOREIGN KEY (option_def_id) REFERENCES dhcp6_option_def(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT fk_dhcp6_option_def_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server(id);
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_option_scode FOREIGN KEY (scope_id) REFERENCES dhcp_option_scope(scope_id) ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_pd_pool FOREIGN KEY (pd_pool_id) REFERENCES dhcp6_pd_pool(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_pool FOREIGN KEY (pool_id) REFERENCES dhcp6_pool(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp6_shared_network(name) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_subnet FOREIGN KEY (dhcp6_subnet_id) REFERENCES dhcp6_subnet(subnet_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_options_host10 FOREIGN KEY (host_id) REFERENCES hosts(host_id) ON DELETE CASCADE;
ALTER TABLE dhcp6_options_server ADD CONSTRAINT fk_dhcp6_options_server_option_id FOREIGN KEY (option_id) REFERENCES dhcp6_options(option_id) ON DELETE CASCADE;
ALTER TABLE dhcp6_options_server ADD CONSTRAINT fk_dhcp6_options_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_pd_pool ADD CONSTRAINT fk_dhcp6_pd_pool_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp6_subnet(subnet_id);
ALTER TABLE dhcp6_pool ADD CONSTRAINT fk_dhcp6_pool_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp6_subnet(subnet_id);
ALTER TABLE dhcp6_shared_network ADD CONSTRAINT fk_ddns_replace_client_name FOREIGN KEY (ddns_replace_client_name) REFERENCES ddns_replace_client_name_types(type);
ALTER TABLE dhcp6_shared_network_server ADD CONSTRAINT fk_dhcp6_shared_network_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_shared_network_server ADD CONSTRAINT fk_dhcp6_shared_network_server_shared_network_id FOREIGN KEY (shared_network_id) REFERENCES dhcp6_shared_network(id) ON DELETE CASCADE;
ALTER TABLE dhcp6_subnet ADD CONSTRAINT fk_ddns_replace_client_name FOREIGN KEY (ddns_replace_client_name) REFERENCES ddns_replace_client_name_types(type);
ALTER TABLE dhcp6_subnet ADD CONSTRAINT fk_dhcp6_subnet_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp6_shared_network(name);
ALTER TABLE dhcp6_subnet_server ADD CONSTRAINT fk_dhcp6_subnet_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server(id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_subnet_server ADD CONSTRAINT fk_dhcp6_subnet_server_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp6_subnet(subnet_id) ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE hosts ADD CONSTRAINT fk_host_identifier_type FOREIGN KEY (dhcp_identifier_type) REFERENCES host_identifier_type(type) ON DELETE CASCADE;
ALTER TABLE ipv6_reservations ADD CONSTRAINT fk_ipv6_reservations_host FOREIGN KEY (host_id) REFERENCES hosts(host_id) ON DELETE CASCADE;
ALTER TABLE lease4 ADD CONSTRAINT fk_lease4_state FOREIGN KEY (state) REFERENCES lease_state(state);
ALTER TABLE lease6 ADD CONSTRAINT fk_lease6_state FOREIGN KEY (state) REFERENCES lease_state(state);
ALTER TABLE lease6 ADD CONSTRAINT fk_lease6_type FOREIGN KEY (lease_type) REFERENCES lease6_types(lease_type);
ALTER TABLE lease6_stat_by_client_class ADD CONSTRAINT fk_lease6_stat_by_client_class_lease_type FOREIGN KEY (lease_type) REFERENCES lease6_types(lease_type);

CREATE INDEX dhcp4_audit_idx1 ON dhcp4_audit USING btree (modification_type);
CREATE INDEX dhcp4_audit_idx2 ON dhcp4_audit USING btree (revision_id);
CREATE INDEX key_dhcp4_client_class_modification_ts ON dhcp4_client_class USING btree (modification_ts);
CREATE INDEX dhcp4_client_class_dependency_id_idx ON dhcp4_client_class_dependency USING btree (dependency_id);
CREATE INDEX key_dhcp4_client_class_order_index ON dhcp4_client_class_order USING btree (order_index);
CREATE INDEX fk_dhcp4_client_class_server_id ON dhcp4_client_class_server USING btree (server_id);
CREATE INDEX dhcp4_global_parameter_idx1 ON dhcp4_global_parameter USING btree (modification_ts);
CREATE INDEX dhcp4_global_parameter_idx2 ON dhcp4_global_parameter USING btree (name);
CREATE INDEX fk_dhcp4_global_parameter_server_server_id ON dhcp4_global_parameter_server USING btree (server_id);
CREATE INDEX key_dhcp4_global_parameter_idx1 ON dhcp4_global_parameter_server USING btree (modification_ts);
CREATE INDEX dhcp4_option_def_idx1 ON dhcp4_option_def USING btree (modification_ts);
CREATE INDEX dhcp4_option_def_idx2 ON dhcp4_option_def USING btree (code, space);
CREATE INDEX fk_dhcp4_option_def_client_class_id ON dhcp4_option_def USING btree (class_id);
CREATE INDEX fk_dhcp4_option_def_server_server_id ON dhcp4_option_def_server USING btree (server_id);
CREATE INDEX fk_dhcp4_options_host1_idx ON dhcp4_options USING btree (host_id);
CREATE INDEX fk_dhcp4_options_pool ON dhcp4_options USING btree (pool_id);
CREATE INDEX fk_dhcp4_options_scope_idx ON dhcp4_options USING btree (scope_id);
CREATE INDEX fk_dhcp4_options_shared_network ON dhcp4_options USING btree (shared_network_name);
CREATE INDEX fk_dhcp4_options_subnet ON dhcp4_options USING btree (dhcp4_subnet_id);
CREATE INDEX dhcp4_options_server_idx1 ON dhcp4_options_server USING btree (server_id);
CREATE INDEX dhcp4_options_server_idx2 ON dhcp4_options_server USING btree (modification_ts);
CREATE INDEX dhcp4_pool_idx1 ON dhcp4_pool USING btree (modification_ts);
CREATE INDEX dhcp4_pool_idx2 ON dhcp4_pool USING btree (subnet_id);
CREATE UNIQUE INDEX dhcp4_shared_network_idx1 ON dhcp4_shared_network USING btree (name);
CREATE INDEX dhcp4_shared_network_idx2 ON dhcp4_shared_network USING btree (modification_ts);
CREATE INDEX dhcp4_shared_network_server_idx1 ON dhcp4_shared_network_server USING btree (modification_ts);
CREATE INDEX dhcp4_shared_network_server_idx2 ON dhcp4_shared_network_server USING btree (server_id);
CREATE INDEX dhcp4_subnet_idx1 ON dhcp4_subnet USING btree (modification_ts);
CREATE INDEX dhcp4_subnet_idx2 ON dhcp4_subnet USING btree (shared_network_name);
CREATE INDEX dhcp4_subnet_server_idx1 ON dhcp4_subnet_server USING btree (server_id);
CREATE INDEX dhcp4_subnet_server_idx2 ON dhcp4_subnet_server USING btree (modification_ts);
CREATE INDEX dhcp6_audit_idx1 ON dhcp6_audit USING btree (modification_type);
CREATE INDEX dhcp6_audit_idx2 ON dhcp6_audit USING btree (revision_id);
CREATE INDEX key_dhcp6_client_class_modification_ts ON dhcp6_client_class USING btree (modification_ts);
CREATE INDEX dhcp6_client_class_dependency_id_idx ON dhcp6_client_class_dependency USING btree (dependency_id);
CREATE INDEX key_dhcp6_client_class_order_index ON dhcp6_client_class_order USING btree (order_index);
CREATE INDEX fk_dhcp6_client_class_server_id ON dhcp6_client_class_server USING btree (server_id);
CREATE INDEX key_dhcp6_global_parameter_idx1 ON dhcp6_global_parameter USING btree (modification_ts);
CREATE INDEX key_dhcp6_global_parameter_idx2 ON dhcp6_global_parameter USING btree (name);
CREATE INDEX fk_dhcp6_global_parameter_server_server_id ON dhcp6_global_parameter_server USING btree (server_id);
CREATE INDEX key_dhcp6_global_parameter_server_idx1 ON dhcp6_global_parameter_server USING btree (modification_ts);
CREATE INDEX dhcp6_option_def_idx1 ON dhcp6_option_def USING btree (modification_ts);
CREATE INDEX dhcp6_option_def_idx2 ON dhcp6_option_def USING btree (code, space);
CREATE INDEX fk_dhcp6_option_def_client_class_id ON dhcp6_option_def USING btree (class_id);
CREATE INDEX fk_dhcp6_option_def_server_server_id ON dhcp6_option_def_server USING btree (server_id);
CREATE INDEX fk_dhcp6_options_host1_idx ON dhcp6_options USING btree (host_id);
CREATE INDEX fk_dhcp6_options_pd_pool ON dhcp6_options USING btree (pd_pool_id);
CREATE INDEX fk_dhcp6_options_pool ON dhcp6_options USING btree (pool_id);
CREATE INDEX fk_dhcp6_options_scope_idx ON dhcp6_options USING btree (scope_id);
CREATE INDEX fk_dhcp6_options_shared_network ON dhcp6_options USING btree (shared_network_name);
CREATE INDEX fk_dhcp6_options_subnet ON dhcp6_options USING btree (dhcp6_subnet_id);
CREATE INDEX dhcp6_options_server_idx1 ON dhcp6_options_server USING btree (server_id);
CREATE INDEX dhcp6_options_server_idx2 ON dhcp6_options_server USING btree (modification_ts);
CREATE INDEX dhcp6_pd_pool_idx1 ON dhcp6_pd_pool USING btree (modification_ts);
CREATE INDEX dhcp6_pd_pool_idx2 ON dhcp6_pd_pool USING btree (subnet_id);
CREATE INDEX dhcp6_pool_idx1 ON dhcp6_pool USING btree (modification_ts);
CREATE INDEX dhcp6_pool_idx2 ON dhcp6_pool USING btree (subnet_id);
CREATE INDEX dhcp4_server_modification_ts ON dhcp6_server USING btree (modification_ts);
CREATE INDEX dhcp6_server_idx1 ON dhcp6_server USING btree (modification_ts);
CREATE UNIQUE INDEX dhcp6_server_idx2 ON dhcp6_server USING btree (tag);
CREATE INDEX dhcp6_shared_network_idx1 ON dhcp6_shared_network USING btree (name);
CREATE INDEX dhcp6_shared_network_server_idx1 ON dhcp6_shared_network_server USING btree (modification_ts);
CREATE INDEX dhcp6_shared_network_server_idx2 ON dhcp6_shared_network_server USING btree (server_id);
CREATE INDEX dhcp6_subnet_idx1 ON dhcp6_subnet USING btree (modification_ts);
CREATE INDEX dhcp6_subnet_idx2 ON dhcp6_subnet USING btree (shared_network_name);
CREATE INDEX dhcp6_subnet_server_idx1 ON dhcp6_subnet_server USING btree (server_id);
CREATE INDEX dhcp6_subnet_server_idx2 ON dhcp6_subnet_server USING btree (modification_ts);
CREATE INDEX fk_host_identifier_type ON hosts USING btree (dhcp_identifier_type);
CREATE INDEX hosts_by_hostname ON hosts USING btree (lower((hostname)::text)) WHERE (hostname IS NOT NULL);
CREATE UNIQUE INDEX key_dhcp4_identifier_subnet_id ON hosts USING btree (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id) WHERE (dhcp4_subnet_id IS NOT NULL);
CREATE INDEX key_dhcp4_ipv4_address_subnet_id ON hosts USING btree (ipv4_address, dhcp4_subnet_id);
CREATE UNIQUE INDEX key_dhcp6_identifier_subnet_id ON hosts USING btree (dhcp_identifier, dhcp_identifier_type, dhcp6_subnet_id) WHERE (dhcp6_subnet_id IS NOT NULL);
CREATE INDEX key_dhcp_identifier ON hosts USING btree (dhcp_identifier, dhcp_identifier_type);
CREATE INDEX fk_ipv6_reservations_host_idx ON ipv6_reservations USING btree (host_id);
CREATE INDEX key_dhcp6_address_prefix_len ON ipv6_reservations USING btree (address, prefix_len);
CREATE INDEX lease4_by_client_id_subnet_id ON lease4 USING btree (client_id, subnet_id);
CREATE INDEX lease4_by_hostname ON lease4 USING btree (lower((hostname)::text)) WHERE (hostname IS NOT NULL);
CREATE INDEX lease4_by_hwaddr_subnet_id ON lease4 USING btree (hwaddr, subnet_id);
CREATE INDEX lease4_by_relay_id ON lease4 USING btree (relay_id);
CREATE INDEX lease4_by_remote_id ON lease4 USING btree (remote_id);
CREATE INDEX lease4_by_state_expire ON lease4 USING btree (state, expire);
CREATE INDEX lease4_by_subnet_id ON lease4 USING btree (subnet_id);
CREATE INDEX lease6_by_duid_iaid_subnet_id ON lease6 USING btree (duid, iaid, subnet_id);
CREATE INDEX lease6_by_hostname ON lease6 USING btree (lower((hostname)::text)) WHERE (hostname IS NOT NULL);
CREATE INDEX lease6_by_state_expire ON lease6 USING btree (state, expire);
CREATE INDEX lease6_by_subnet_id_lease_type ON lease6 USING btree (subnet_id, lease_type);
CREATE INDEX lease6_relay_id_by_address ON lease6_relay_id USING btree (lease_addr);
CREATE INDEX lease6_relay_id_by_id ON lease6_relay_id USING btree (relay_id, lease_addr);
CREATE INDEX lease6_remote_id_by_address ON lease6_remote_id USING btree (lease_addr);
CREATE INDEX lease6_remote_id_by_id ON lease6_remote_id USING btree (remote_id, lease_addr);
CREATE INDEX address_id ON logs USING btree (address);
CREATE INDEX timestamp_id ON logs USING btree ("timestamp");

