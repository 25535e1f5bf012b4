-- Kea 2.4's MySQL schema 19.0: tables, keys and foreign keys (lessor-admin db-init, step 1 of 3).
-- Written for lessor from the schema catalogue (tests/system/data/kea-schema/); a
-- database made from these files reads back like one that Kea 2.4's kea-admin made, so Kea's
-- own tools can take it over. Columns keep the order Kea's upgrades leave them in.
-- Step 2 is mysql-routines.sql (routines and triggers), step 3 mysql-rows.sql (enumerations).

CREATE TABLE dhcp4_audit (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	object_type VARCHAR(256) NOT NULL,
	object_id BIGINT UNSIGNED NOT NULL,
	modification_type TINYINT(1) NOT NULL,
	revision_id BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (id),
	KEY fk_dhcp4_audit_modification_type (modification_type),
	KEY fk_dhcp4_audit_revision (revision_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_audit_revision (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	modification_ts TIMESTAMP NOT NULL,
	log_message TEXT,
	server_id BIGINT UNSIGNED DEFAULT NULL,
	PRIMARY KEY (id),
	KEY key_dhcp4_audit_revision_by_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_client_class (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name VARCHAR(128) NOT NULL,
	test TEXT,
	next_server INT UNSIGNED DEFAULT NULL,
	server_hostname VARCHAR(128) DEFAULT NULL,
	boot_file_name VARCHAR(512) DEFAULT NULL,
	only_if_required TINYINT NOT NULL DEFAULT 0,
	valid_lifetime INT DEFAULT NULL,
	min_valid_lifetime INT DEFAULT NULL,
	max_valid_lifetime INT DEFAULT NULL,
	depend_on_known_directly TINYINT NOT NULL DEFAULT 0,
	follow_class_name VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL,
	user_context LONGTEXT,
	offer_lifetime INT DEFAULT NULL,
	PRIMARY KEY (id),
	UNIQUE KEY id_unique (id),
	KEY key_dhcp4_client_class_modification_ts (modification_ts),
	UNIQUE KEY name_unique (name)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_client_class_dependency (
	class_id BIGINT UNSIGNED NOT NULL,
	dependency_id BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (class_id, dependency_id),
	KEY dhcp4_client_class_dependency_id_idx (dependency_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_client_class_order (
	class_id BIGINT UNSIGNED NOT NULL,
	order_index BIGINT UNSIGNED NOT NULL,
	depend_on_known_indirectly TINYINT NOT NULL DEFAULT 0,
	PRIMARY KEY (class_id),
	KEY key_dhcp4_client_class_order_index (order_index)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_client_class_server (
	class_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP DEFAULT NULL,
	PRIMARY KEY (class_id, server_id),
	KEY fk_dhcp4_client_class_server_id (server_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_global_parameter (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name VARCHAR(128) NOT NULL,
	value LONGTEXT NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	parameter_type TINYINT UNSIGNED NOT NULL,
	PRIMARY KEY (id),
	KEY fk_dhcp4_global_parameter_type (parameter_type),
	KEY key_dhcp4_global_parameter_modification_ts (modification_ts),
	KEY key_dhcp4_global_parameter_name (name)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_global_parameter_server (
	parameter_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (parameter_id, server_id),
	KEY fk_dhcp4_global_parameter_server_server_id (server_id),
	KEY key_dhcp4_global_parameter_server (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_option_def (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	code SMALLINT UNSIGNED NOT NULL,
	name VARCHAR(128) NOT NULL,
	space VARCHAR(128) NOT NULL,
	type TINYINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	is_array TINYINT(1) NOT NULL,
	encapsulate VARCHAR(128) NOT NULL,
	record_types VARCHAR(512) DEFAULT NULL,
	user_context LONGTEXT,
	class_id BIGINT UNSIGNED DEFAULT NULL,
	PRIMARY KEY (id),
	KEY fk_dhcp4_option_def_client_class_id (class_id),
	KEY key_dhcp4_option_def_code_space (code, space),
	KEY key_dhcp4_option_def_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_option_def_server (
	option_def_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (option_def_id, server_id),
	KEY fk_dhcp4_option_def_server_server_id_idx (server_id),
	KEY key_dhcp4_option_def_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_options (
	option_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	code TINYINT UNSIGNED NOT NULL,
	value BLOB,
	formatted_value TEXT,
	space VARCHAR(128) DEFAULT NULL,
	persistent TINYINT(1) NOT NULL DEFAULT 0,
	dhcp_client_class VARCHAR(128) DEFAULT NULL,
	dhcp4_subnet_id INT UNSIGNED DEFAULT NULL,
	host_id INT UNSIGNED DEFAULT NULL,
	scope_id TINYINT UNSIGNED NOT NULL,
	user_context TEXT,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	pool_id BIGINT UNSIGNED DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	cancelled TINYINT(1) NOT NULL DEFAULT 0,
	PRIMARY KEY (option_id),
	KEY fk_dhcp4_option_scope (scope_id),
	KEY fk_dhcp4_options_client_class (dhcp_client_class),
	KEY fk_dhcp4_options_pool (pool_id),
	KEY fk_dhcp4_options_shared_network (shared_network_name),
	KEY fk_dhcp4_options_subnet (dhcp4_subnet_id),
	KEY fk_options_host1_idx (host_id),
	UNIQUE KEY option_id_unique (option_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_options_server (
	option_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (option_id, server_id),
	KEY fk_dhcp4_options_server_server_id (server_id),
	KEY key_dhcp4_options_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_pool (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	start_address INT UNSIGNED NOT NULL,
	end_address INT UNSIGNED NOT NULL,
	subnet_id INT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	require_client_classes LONGTEXT,
	user_context LONGTEXT,
	PRIMARY KEY (id),
	KEY fk_dhcp4_pool_subnet_id (subnet_id),
	KEY key_dhcp4_pool_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_server (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	tag VARCHAR(64) NOT NULL,
	description TEXT,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (id),
	UNIQUE KEY dhcp4_server_tag_unique (tag),
	KEY key_dhcp4_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_shared_network (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name VARCHAR(128) NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	match_client_id TINYINT(1) DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL,
	rebind_timer INT DEFAULT NULL,
	relay LONGTEXT,
	renew_timer INT DEFAULT NULL,
	require_client_classes LONGTEXT,
	user_context LONGTEXT,
	valid_lifetime INT DEFAULT NULL,
	authoritative TINYINT(1) DEFAULT NULL,
	calculate_tee_times TINYINT(1) DEFAULT NULL,
	t1_percent FLOAT DEFAULT NULL,
	t2_percent FLOAT DEFAULT NULL,
	boot_file_name VARCHAR(512) DEFAULT NULL,
	next_server INT UNSIGNED DEFAULT NULL,
	server_hostname VARCHAR(512) DEFAULT NULL,
	min_valid_lifetime INT DEFAULT NULL,
	max_valid_lifetime INT DEFAULT NULL,
	ddns_send_updates TINYINT(1) DEFAULT NULL,
	ddns_override_no_update TINYINT(1) DEFAULT NULL,
	ddns_override_client_update TINYINT(1) DEFAULT NULL,
	ddns_replace_client_name TINYINT DEFAULT NULL,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global TINYINT(1) DEFAULT NULL,
	reservations_in_subnet TINYINT(1) DEFAULT NULL,
	reservations_out_of_pool TINYINT(1) DEFAULT NULL,
	cache_threshold FLOAT DEFAULT NULL,
	cache_max_age INT DEFAULT NULL,
	allocator TEXT,
	offer_lifetime INT DEFAULT NULL,
	PRIMARY KEY (id),
	KEY key_dhcp4_shared_network_modification_ts (modification_ts),
	UNIQUE KEY name_unique (name)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_shared_network_server (
	shared_network_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (shared_network_id, server_id),
	KEY fk_dhcp4_shared_network_server_server_id (server_id),
	KEY key_dhcp4_shared_network_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_subnet (
	subnet_id INT UNSIGNED NOT NULL,
	subnet_prefix VARCHAR(32) NOT NULL,
	4o6_interface VARCHAR(128) DEFAULT NULL,
	4o6_interface_id VARCHAR(128) DEFAULT NULL,
	4o6_subnet VARCHAR(64) DEFAULT NULL,
	boot_file_name VARCHAR(512) DEFAULT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	match_client_id TINYINT(1) DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL,
	next_server INT UNSIGNED DEFAULT NULL,
	rebind_timer INT DEFAULT NULL,
	relay LONGTEXT,
	renew_timer INT DEFAULT NULL,
	require_client_classes LONGTEXT,
	server_hostname VARCHAR(512) DEFAULT NULL,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	user_context LONGTEXT,
	valid_lifetime INT DEFAULT NULL,
	authoritative TINYINT(1) DEFAULT NULL,
	calculate_tee_times TINYINT(1) DEFAULT NULL,
	t1_percent FLOAT DEFAULT NULL,
	t2_percent FLOAT DEFAULT NULL,
	min_valid_lifetime INT DEFAULT NULL,
	max_valid_lifetime INT DEFAULT NULL,
	ddns_send_updates TINYINT(1) DEFAULT NULL,
	ddns_override_no_update TINYINT(1) DEFAULT NULL,
	ddns_override_client_update TINYINT(1) DEFAULT NULL,
	ddns_replace_client_name TINYINT DEFAULT NULL,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global TINYINT(1) DEFAULT NULL,
	reservations_in_subnet TINYINT(1) DEFAULT NULL,
	reservations_out_of_pool TINYINT(1) DEFAULT NULL,
	cache_threshold FLOAT DEFAULT NULL,
	cache_max_age INT DEFAULT NULL,
	allocator TEXT,
	offer_lifetime INT DEFAULT NULL,
	PRIMARY KEY (subnet_id),
	KEY fk_dhcp4_subnet_shared_network (shared_network_name),
	KEY key_dhcp4_subnet_modification_ts (modification_ts),
	UNIQUE KEY subnet4_subnet_prefix (subnet_prefix)
) ENGINE = InnoDB;

CREATE TABLE dhcp4_subnet_server (
	subnet_id INT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (subnet_id, server_id),
	KEY fk_dhcp4_subnet_server_server_id_idx (server_id),
	KEY key_dhcp4_subnet_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_audit (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	object_type VARCHAR(256) NOT NULL,
	object_id BIGINT UNSIGNED NOT NULL,
	modification_type TINYINT(1) NOT NULL,
	revision_id BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (id),
	KEY fk_dhcp6_audit_modification_type (modification_type),
	KEY fk_dhcp6_audit_revision (revision_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_audit_revision (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	modification_ts TIMESTAMP NOT NULL,
	log_message TEXT,
	server_id BIGINT UNSIGNED DEFAULT NULL,
	PRIMARY KEY (id),
	KEY key_dhcp6_audit_revision_by_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_client_class (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name VARCHAR(128) NOT NULL,
	test TEXT,
	only_if_required TINYINT NOT NULL DEFAULT 0,
	valid_lifetime INT DEFAULT NULL,
	min_valid_lifetime INT DEFAULT NULL,
	max_valid_lifetime INT DEFAULT NULL,
	depend_on_known_directly TINYINT NOT NULL DEFAULT 0,
	follow_class_name VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL,
	preferred_lifetime INT DEFAULT NULL,
	min_preferred_lifetime INT DEFAULT NULL,
	max_preferred_lifetime INT DEFAULT NULL,
	user_context LONGTEXT,
	PRIMARY KEY (id),
	UNIQUE KEY id_unique (id),
	KEY key_dhcp6_client_class_modification_ts (modification_ts),
	UNIQUE KEY name_unique (name)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_client_class_dependency (
	class_id BIGINT UNSIGNED NOT NULL,
	dependency_id BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (class_id, dependency_id),
	KEY dhcp6_client_class_dependency_id_idx (dependency_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_client_class_order (
	class_id BIGINT UNSIGNED NOT NULL,
	order_index BIGINT UNSIGNED NOT NULL,
	depend_on_known_indirectly TINYINT NOT NULL DEFAULT 0,
	PRIMARY KEY (class_id),
	KEY key_dhcp6_client_class_order_index (order_index)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_client_class_server (
	class_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP DEFAULT NULL,
	PRIMARY KEY (class_id, server_id),
	KEY fk_dhcp6_client_class_server_id (server_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_global_parameter (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name VARCHAR(128) NOT NULL,
	value LONGTEXT NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	parameter_type TINYINT UNSIGNED NOT NULL,
	PRIMARY KEY (id),
	KEY fk_dhcp6_global_parameter_type (parameter_type),
	KEY key_dhcp6_global_parameter_modification_ts (modification_ts),
	KEY key_dhcp6_global_parameter_name (name)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_global_parameter_server (
	parameter_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (parameter_id, server_id),
	KEY fk_dhcp6_global_parameter_server_server_id (server_id),
	KEY key_dhcp6_global_parameter_server (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_option_def (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	code SMALLINT UNSIGNED NOT NULL,
	name VARCHAR(128) NOT NULL,
	space VARCHAR(128) NOT NULL,
	type TINYINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	is_array TINYINT(1) NOT NULL,
	encapsulate VARCHAR(128) NOT NULL,
	record_types VARCHAR(512) DEFAULT NULL,
	user_context LONGTEXT,
	class_id BIGINT UNSIGNED DEFAULT NULL,
	PRIMARY KEY (id),
	KEY fk_dhcp6_option_def_client_class_id (class_id),
	KEY key_dhcp6_option_def_code_space (code, space),
	KEY key_dhcp6_option_def_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_option_def_server (
	option_def_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (option_def_id, server_id),
	KEY fk_dhcp6_option_def_server_server_id_idx (server_id),
	KEY key_dhcp6_option_def_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_options (
	option_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	code SMALLINT UNSIGNED NOT NULL,
	value BLOB,
	formatted_value TEXT,
	space VARCHAR(128) DEFAULT NULL,
	persistent TINYINT(1) NOT NULL DEFAULT 0,
	dhcp_client_class VARCHAR(128) DEFAULT NULL,
	dhcp6_subnet_id INT UNSIGNED DEFAULT NULL,
	host_id INT UNSIGNED DEFAULT NULL,
	scope_id TINYINT UNSIGNED NOT NULL,
	user_context TEXT,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	pool_id BIGINT UNSIGNED DEFAULT NULL,
	pd_pool_id BIGINT UNSIGNED DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
	cancelled TINYINT(1) NOT NULL DEFAULT 0,
	PRIMARY KEY (option_id),
	KEY fk_dhcp6_option_scope (scope_id),
	KEY fk_dhcp6_options_client_class (dhcp_client_class),
	KEY fk_dhcp6_options_pd_pool (pd_pool_id),
	KEY fk_dhcp6_options_pool (pool_id),
	KEY fk_dhcp6_options_shared_network (shared_network_name),
	KEY fk_dhcp6_options_subnet (dhcp6_subnet_id),
	KEY fk_options_host1_idx (host_id),
	UNIQUE KEY option_id_unique (option_id)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_options_server (
	option_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (option_id, server_id),
	KEY fk_dhcp6_options_server_server_id_idx (server_id),
	KEY key_dhcp6_options_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_pd_pool (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	prefix VARCHAR(45) NOT NULL,
	prefix_length TINYINT NOT NULL,
	delegated_prefix_length TINYINT NOT NULL,
	subnet_id INT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	excluded_prefix VARCHAR(45) DEFAULT NULL,
	excluded_prefix_length TINYINT NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	require_client_classes LONGTEXT,
	user_context LONGTEXT,
	PRIMARY KEY (id),
	KEY fk_dhcp6_pd_pool_subnet_id (subnet_id),
	KEY key_dhcp6_pd_pool_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_pool (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	start_address VARCHAR(45) NOT NULL,
	end_address VARCHAR(45) NOT NULL,
	subnet_id INT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	require_client_classes LONGTEXT,
	user_context LONGTEXT,
	PRIMARY KEY (id),
	KEY fk_dhcp6_pool_subnet_id (subnet_id),
	KEY key_dhcp6_pool_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_server (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	tag VARCHAR(64) NOT NULL,
	description TEXT,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (id),
	UNIQUE KEY dhcp6_server_tag_unique (tag),
	KEY key_dhcp6_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_shared_network (
	id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
	name VARCHAR(128) NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL,
	preferred_lifetime INT DEFAULT NULL,
	rapid_commit TINYINT(1) DEFAULT NULL,
	rebind_timer INT DEFAULT NULL,
	relay LONGTEXT,
	renew_timer INT DEFAULT NULL,
	require_client_classes LONGTEXT,
	user_context LONGTEXT,
	valid_lifetime INT DEFAULT NULL,
	calculate_tee_times TINYINT(1) DEFAULT NULL,
	t1_percent FLOAT DEFAULT NULL,
	t2_percent FLOAT DEFAULT NULL,
	interface_id VARBINARY(128) DEFAULT NULL,
	min_preferred_lifetime INT DEFAULT NULL,
	max_preferred_lifetime INT DEFAULT NULL,
	min_valid_lifetime INT DEFAULT NULL,
	max_valid_lifetime INT DEFAULT NULL,
	ddns_send_updates TINYINT(1) DEFAULT NULL,
	ddns_override_no_update TINYINT(1) DEFAULT NULL,
	ddns_override_client_update TINYINT(1) DEFAULT NULL,
	ddns_replace_client_name TINYINT DEFAULT NULL,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global TINYINT(1) DEFAULT NULL,
	reservations_in_subnet TINYINT(1) DEFAULT NULL,
	reservations_out_of_pool TINYINT(1) DEFAULT NULL,
	cache_threshold FLOAT DEFAULT NULL,
	cache_max_age INT DEFAULT NULL,
	allocator TEXT,
	pd_allocator TEXT,
	PRIMARY KEY (id),
	KEY key_dhcp6_shared_network_modification_ts (modification_ts),
	UNIQUE KEY name_unique (name)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_shared_network_server (
	shared_network_id BIGINT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (shared_network_id, server_id),
	KEY fk_dhcp6_shared_network_server_server_id_idx (server_id),
	KEY key_dhcp6_shared_network_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_subnet (
	subnet_id INT UNSIGNED NOT NULL,
	subnet_prefix VARCHAR(64) NOT NULL,
	client_class VARCHAR(128) DEFAULT NULL,
	interface VARCHAR(128) DEFAULT NULL,
	modification_ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	preferred_lifetime INT DEFAULT NULL,
	rapid_commit TINYINT(1) DEFAULT NULL,
	rebind_timer INT DEFAULT NULL,
	relay LONGTEXT,
	renew_timer INT DEFAULT NULL,
	require_client_classes LONGTEXT,
	shared_network_name VARCHAR(128) DEFAULT NULL,
	user_context LONGTEXT,
	valid_lifetime INT DEFAULT NULL,
	calculate_tee_times TINYINT(1) DEFAULT NULL,
	t1_percent FLOAT DEFAULT NULL,
	t2_percent FLOAT DEFAULT NULL,
	interface_id VARBINARY(128) DEFAULT NULL,
	min_preferred_lifetime INT DEFAULT NULL,
	max_preferred_lifetime INT DEFAULT NULL,
	min_valid_lifetime INT DEFAULT NULL,
	max_valid_lifetime INT DEFAULT NULL,
	ddns_send_updates TINYINT(1) DEFAULT NULL,
	ddns_override_no_update TINYINT(1) DEFAULT NULL,
	ddns_override_client_update TINYINT(1) DEFAULT NULL,
	ddns_replace_client_name TINYINT DEFAULT NULL,
	ddns_generated_prefix VARCHAR(255) DEFAULT NULL,
	ddns_qualifying_suffix VARCHAR(255) DEFAULT NULL,
	reservations_global TINYINT(1) DEFAULT NULL,
	reservations_in_subnet TINYINT(1) DEFAULT NULL,
	reservations_out_of_pool TINYINT(1) DEFAULT NULL,
	cache_threshold FLOAT DEFAULT NULL,
	cache_max_age INT DEFAULT NULL,
	allocator TEXT,
	pd_allocator TEXT,
	PRIMARY KEY (subnet_id),
	KEY fk_dhcp6_subnet_shared_network (shared_network_name),
	KEY key_dhcp6_subnet_modification_ts (modification_ts),
	KEY subnet6_subnet_prefix (subnet_prefix),
	UNIQUE KEY subnet_prefix_unique (subnet_prefix)
) ENGINE = InnoDB;

CREATE TABLE dhcp6_subnet_server (
	subnet_id INT UNSIGNED NOT NULL,
	server_id BIGINT UNSIGNED NOT NULL,
	modification_ts TIMESTAMP NOT NULL,
	PRIMARY KEY (subnet_id, server_id),
	KEY fk_dhcp6_subnet_server_server_id (server_id),
	KEY key_dhcp6_subnet_server_modification_ts (modification_ts)
) ENGINE = InnoDB;

CREATE TABLE dhcp_option_scope (
	scope_id TINYINT UNSIGNED NOT NULL,
	scope_name VARCHAR(32) DEFAULT NULL,
	PRIMARY KEY (scope_id)
) ENGINE = InnoDB;

CREATE TABLE host_identifier_type (
	type TINYINT NOT NULL,
	name VARCHAR(32) DEFAULT NULL,
	PRIMARY KEY (type)
) ENGINE = InnoDB;

CREATE TABLE hosts (
	host_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	dhcp_identifier VARBINARY(255) NOT NULL,
	dhcp_identifier_type TINYINT NOT NULL,
	dhcp4_subnet_id INT UNSIGNED DEFAULT NULL,
	dhcp6_subnet_id INT UNSIGNED DEFAULT NULL,
	ipv4_address INT UNSIGNED DEFAULT NULL,
	hostname VARCHAR(255) DEFAULT NULL,
	dhcp4_client_classes VARCHAR(255) DEFAULT NULL,
	dhcp6_client_classes VARCHAR(255) DEFAULT NULL,
	dhcp4_next_server INT UNSIGNED DEFAULT NULL,
	dhcp4_server_hostname VARCHAR(64) DEFAULT NULL,
	dhcp4_boot_file_name VARCHAR(128) DEFAULT NULL,
	user_context TEXT,
	auth_key VARCHAR(32) DEFAULT NULL,
	PRIMARY KEY (host_id),
	KEY fk_host_identifier_type (dhcp_identifier_type),
	KEY hosts_by_hostname (hostname),
	UNIQUE KEY key_dhcp4_identifier_subnet_id (dhcp_identifier, dhcp_identifier_type, dhcp4_subnet_id),
	KEY key_dhcp4_ipv4_address_subnet_id_identifier (ipv4_address, dhcp4_subnet_id),
	UNIQUE KEY key_dhcp6_identifier_subnet_id (dhcp_identifier, dhcp_identifier_type, dhcp6_subnet_id)
) ENGINE = InnoDB;

CREATE TABLE ipv6_reservations (
	reservation_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	address BINARY(16) NOT NULL,
	prefix_len TINYINT UNSIGNED NOT NULL DEFAULT 128,
	type TINYINT UNSIGNED NOT NULL DEFAULT 0,
	dhcp6_iaid INT UNSIGNED DEFAULT NULL,
	host_id INT UNSIGNED NOT NULL,
	PRIMARY KEY (reservation_id),
	KEY fk_ipv6_reservations_host_idx (host_id),
	KEY key_dhcp6_address_prefix_len (address, prefix_len)
) ENGINE = InnoDB;

CREATE TABLE lease4 (
	address INT UNSIGNED NOT NULL,
	hwaddr VARBINARY(20) DEFAULT NULL,
	client_id VARBINARY(255) DEFAULT NULL,
	valid_lifetime INT UNSIGNED DEFAULT NULL,
	expire TIMESTAMP DEFAULT NULL,
	subnet_id INT UNSIGNED DEFAULT NULL,
	fqdn_fwd TINYINT(1) DEFAULT NULL,
	fqdn_rev TINYINT(1) DEFAULT NULL,
	hostname VARCHAR(255) DEFAULT NULL,
	state INT UNSIGNED DEFAULT 0,
	user_context TEXT,
	relay_id VARBINARY(255) DEFAULT NULL,
	remote_id VARBINARY(255) DEFAULT NULL,
	pool_id INT UNSIGNED NOT NULL DEFAULT 0,
	PRIMARY KEY (address),
	KEY fk_lease4_state (state),
	KEY lease4_by_client_id_subnet_id (client_id, subnet_id),
	KEY lease4_by_expire_state (expire, state),
	KEY lease4_by_hostname (hostname),
	KEY lease4_by_hwaddr_subnet_id (hwaddr, subnet_id),
	KEY lease4_by_relay_id (relay_id),
	KEY lease4_by_remote_id (remote_id),
	KEY lease4_by_subnet_id (subnet_id)
) ENGINE = InnoDB;

CREATE TABLE lease4_pool_stat (
	subnet_id INT UNSIGNED NOT NULL,
	pool_id INT UNSIGNED NOT NULL,
	state INT UNSIGNED NOT NULL,
	leases BIGINT DEFAULT NULL,
	PRIMARY KEY (subnet_id, pool_id, state)
) ENGINE = InnoDB;

CREATE TABLE lease4_stat (
	subnet_id INT UNSIGNED NOT NULL,
	state INT UNSIGNED NOT NULL,
	leases BIGINT DEFAULT NULL,
	PRIMARY KEY (subnet_id, state)
) ENGINE = InnoDB;

CREATE TABLE lease4_stat_by_client_class (
	client_class VARCHAR(128) NOT NULL,
	leases BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (client_class)
) ENGINE = InnoDB;

CREATE TABLE lease6 (
	address BINARY(16) NOT NULL,
	duid VARBINARY(130) DEFAULT NULL,
	valid_lifetime INT UNSIGNED DEFAULT NULL,
	expire TIMESTAMP DEFAULT NULL,
	subnet_id INT UNSIGNED DEFAULT NULL,
	pref_lifetime INT UNSIGNED DEFAULT NULL,
	lease_type TINYINT DEFAULT NULL,
	iaid INT UNSIGNED DEFAULT NULL,
	prefix_len TINYINT UNSIGNED DEFAULT NULL,
	fqdn_fwd TINYINT(1) DEFAULT NULL,
	fqdn_rev TINYINT(1) DEFAULT NULL,
	hostname VARCHAR(255) DEFAULT NULL,
	hwaddr VARBINARY(20) DEFAULT NULL,
	hwtype SMALLINT UNSIGNED DEFAULT NULL,
	hwaddr_source INT UNSIGNED DEFAULT NULL,
	state INT UNSIGNED DEFAULT 0,
	user_context TEXT,
	pool_id INT UNSIGNED NOT NULL DEFAULT 0,
	PRIMARY KEY (address),
	KEY fk_lease6_hwaddr_source (hwaddr_source),
	KEY fk_lease6_state (state),
	KEY fk_lease6_type (lease_type),
	KEY lease6_by_duid_iaid_subnet_id (duid, iaid, subnet_id),
	KEY lease6_by_expire_state (expire, state),
	KEY lease6_by_hostname (hostname),
	KEY lease6_by_subnet_id_lease_type (subnet_id, lease_type)
) ENGINE = InnoDB;

CREATE TABLE lease6_pool_stat (
	subnet_id INT UNSIGNED NOT NULL,
	pool_id INT UNSIGNED NOT NULL,
	lease_type INT UNSIGNED NOT NULL,
	state INT UNSIGNED NOT NULL,
	leases BIGINT DEFAULT NULL,
	PRIMARY KEY (subnet_id, pool_id, lease_type, state)
) ENGINE = InnoDB;

CREATE TABLE lease6_relay_id (
	extended_info_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	relay_id VARBINARY(130) NOT NULL,
	lease_addr BINARY(16) NOT NULL,
	PRIMARY KEY (extended_info_id),
	KEY key_lease6_relay_id_by_address (lease_addr),
	KEY key_lease6_relay_id_by_id (relay_id, lease_addr)
) ENGINE = InnoDB;

CREATE TABLE lease6_remote_id (
	extended_info_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	remote_id VARBINARY(255) NOT NULL,
	lease_addr BINARY(16) NOT NULL,
	PRIMARY KEY (extended_info_id),
	KEY key_lease6_remote_id_by_address (lease_addr),
	KEY key_lease6_remote_id_by_id (remote_id, lease_addr)
) ENGINE = InnoDB;

CREATE TABLE lease6_stat (
	subnet_id INT UNSIGNED NOT NULL,
	lease_type INT UNSIGNED NOT NULL,
	state INT UNSIGNED NOT NULL,
	leases BIGINT DEFAULT NULL,
	PRIMARY KEY (subnet_id, lease_type, state)
) ENGINE = InnoDB;

CREATE TABLE lease6_stat_by_client_class (
	client_class VARCHAR(128) NOT NULL,
	lease_type TINYINT NOT NULL,
	leases BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (client_class, lease_type),
	KEY fk_lease6_stat_by_client_class_lease_type (lease_type)
) ENGINE = InnoDB;

CREATE TABLE lease6_types (
	lease_type TINYINT NOT NULL,
	name VARCHAR(5) DEFAULT NULL,
	PRIMARY KEY (lease_type)
) ENGINE = InnoDB;

CREATE TABLE lease_hwaddr_source (
	hwaddr_source INT UNSIGNED NOT NULL,
	name VARCHAR(40) DEFAULT NULL,
	PRIMARY KEY (hwaddr_source)
) ENGINE = InnoDB;

CREATE TABLE lease_state (
	state INT UNSIGNED NOT NULL,
	name VARCHAR(64) NOT NULL,
	PRIMARY KEY (state)
) ENGINE = InnoDB;

CREATE TABLE logs (
	timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
	address VARCHAR(43) DEFAULT NULL,
	log TEXT NOT NULL,
	id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	PRIMARY KEY (id),
	KEY timestamp_index (timestamp)
) ENGINE = InnoDB;

CREATE TABLE modification (
	id TINYINT NOT NULL,
	modification_type VARCHAR(32) NOT NULL,
	PRIMARY KEY (id)
) ENGINE = InnoDB;

CREATE TABLE parameter_data_type (
	id TINYINT UNSIGNED NOT NULL,
	name VARCHAR(32) NOT NULL,
	PRIMARY KEY (id)
) ENGINE = InnoDB;

CREATE TABLE schema_version (
	version INT NOT NULL,
	minor INT DEFAULT NULL,
	PRIMARY KEY (version)
) ENGINE = InnoDB;

-- Foreign keys last, so that the tables may be created in any order.
ALTER TABLE dhcp4_audit ADD CONSTRAINT fk_dhcp4_audit_modification_type FOREIGN KEY (modification_type) REFERENCES modification (id)
	ON UPDATE NO ACTION ON DELETE NO ACTION;
ALTER TABLE dhcp4_audit ADD CONSTRAINT fk_dhcp4_audit_revision FOREIGN KEY (revision_id) REFERENCES dhcp4_audit_revision (id)
	ON UPDATE CASCADE ON DELETE NO ACTION;
ALTER TABLE dhcp4_client_class_dependency ADD CONSTRAINT dhcp4_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class (id)
	ON UPDATE RESTRICT ON DELETE CASCADE;
ALTER TABLE dhcp4_client_class_dependency ADD CONSTRAINT dhcp4_client_class_dependency_id FOREIGN KEY (dependency_id) REFERENCES dhcp4_client_class (id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp4_client_class_order ADD CONSTRAINT fk_dhcp4_client_class_order_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class (id)
	ON UPDATE RESTRICT ON DELETE CASCADE;
ALTER TABLE dhcp4_client_class_server ADD CONSTRAINT fk_dhcp4_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class (id)
	ON UPDATE RESTRICT ON DELETE CASCADE;
ALTER TABLE dhcp4_client_class_server ADD CONSTRAINT fk_dhcp4_client_class_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server (id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp4_global_parameter ADD CONSTRAINT fk_dhcp4_global_parameter_type FOREIGN KEY (parameter_type) REFERENCES parameter_data_type (id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp4_global_parameter_server ADD CONSTRAINT fk_dhcp4_global_parameter_server_parameter_id FOREIGN KEY (parameter_id) REFERENCES dhcp4_global_parameter (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_global_parameter_server ADD CONSTRAINT fk_dhcp4_global_parameter_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def ADD CONSTRAINT fk_dhcp4_option_def_client_class_id FOREIGN KEY (class_id) REFERENCES dhcp4_client_class (id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT fk_dhcp4_option_def_server_option_def_id FOREIGN KEY (option_def_id) REFERENCES dhcp4_option_def (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_option_def_server ADD CONSTRAINT fk_dhcp4_option_def_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_option_scope FOREIGN KEY (scope_id) REFERENCES dhcp_option_scope (scope_id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_client_class FOREIGN KEY (dhcp_client_class) REFERENCES dhcp4_client_class (name)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_host FOREIGN KEY (host_id) REFERENCES hosts (host_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_pool FOREIGN KEY (pool_id) REFERENCES dhcp4_pool (id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp4_shared_network (name)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_dhcp4_options_subnet FOREIGN KEY (dhcp4_subnet_id) REFERENCES dhcp4_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp4_options ADD CONSTRAINT fk_options_host1 FOREIGN KEY (host_id) REFERENCES hosts (host_id)
	ON UPDATE NO ACTION ON DELETE NO ACTION;
ALTER TABLE dhcp4_options_server ADD CONSTRAINT fk_dhcp4_options_server_option_id FOREIGN KEY (option_id) REFERENCES dhcp4_options (option_id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_options_server ADD CONSTRAINT fk_dhcp4_options_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_pool ADD CONSTRAINT fk_dhcp4_pool_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp4_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE NO ACTION;
ALTER TABLE dhcp4_shared_network_server ADD CONSTRAINT fk_dhcp4_shared_network_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_shared_network_server ADD CONSTRAINT fk_dhcp4_shared_network_server_shared_network_id FOREIGN KEY (shared_network_id) REFERENCES dhcp4_shared_network (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_subnet ADD CONSTRAINT fk_dhcp4_subnet_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp4_shared_network (name)
	ON UPDATE NO ACTION ON DELETE NO ACTION;
ALTER TABLE dhcp4_subnet_server ADD CONSTRAINT fk_dhcp4_subnet_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp4_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp4_subnet_server ADD CONSTRAINT fk_dhcp4_subnet_server_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp4_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_audit ADD CONSTRAINT fk_dhcp6_audit_modification_type FOREIGN KEY (modification_type) REFERENCES modification (id)
	ON UPDATE NO ACTION ON DELETE NO ACTION;
ALTER TABLE dhcp6_audit ADD CONSTRAINT fk_dhcp6_audit_revision FOREIGN KEY (revision_id) REFERENCES dhcp6_audit_revision (id)
	ON UPDATE CASCADE ON DELETE NO ACTION;
ALTER TABLE dhcp6_client_class_dependency ADD CONSTRAINT dhcp6_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class (id)
	ON UPDATE RESTRICT ON DELETE CASCADE;
ALTER TABLE dhcp6_client_class_dependency ADD CONSTRAINT dhcp6_client_class_dependency_id FOREIGN KEY (dependency_id) REFERENCES dhcp6_client_class (id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp6_client_class_order ADD CONSTRAINT fk_dhcp6_client_class_order_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class (id)
	ON UPDATE RESTRICT ON DELETE CASCADE;
ALTER TABLE dhcp6_client_class_server ADD CONSTRAINT fk_dhcp6_client_class_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class (id)
	ON UPDATE RESTRICT ON DELETE CASCADE;
ALTER TABLE dhcp6_client_class_server ADD CONSTRAINT fk_dhcp6_client_class_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server (id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp6_global_parameter ADD CONSTRAINT fk_dhcp6_global_parameter_type FOREIGN KEY (parameter_type) REFERENCES parameter_data_type (id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp6_global_parameter_server ADD CONSTRAINT fk_dhcp6_global_parameter_server_parameter_id FOREIGN KEY (parameter_id) REFERENCES dhcp6_global_parameter (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_global_parameter_server ADD CONSTRAINT fk_dhcp6_global_parameter_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def ADD CONSTRAINT fk_dhcp6_option_def_client_class_id FOREIGN KEY (class_id) REFERENCES dhcp6_client_class (id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT fk_dhcp6_option_def_server_option_def_id FOREIGN KEY (option_def_id) REFERENCES dhcp6_option_def (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_option_def_server ADD CONSTRAINT fk_dhcp6_option_def_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_option_scope FOREIGN KEY (scope_id) REFERENCES dhcp_option_scope (scope_id)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_client_class FOREIGN KEY (dhcp_client_class) REFERENCES dhcp6_client_class (name)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_host FOREIGN KEY (host_id) REFERENCES hosts (host_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_pd_pool FOREIGN KEY (pd_pool_id) REFERENCES dhcp6_pd_pool (id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_pool FOREIGN KEY (pool_id) REFERENCES dhcp6_pool (id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp6_shared_network (name)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_dhcp6_options_subnet FOREIGN KEY (dhcp6_subnet_id) REFERENCES dhcp6_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE dhcp6_options ADD CONSTRAINT fk_options_host10 FOREIGN KEY (host_id) REFERENCES hosts (host_id)
	ON UPDATE NO ACTION ON DELETE NO ACTION;
ALTER TABLE dhcp6_options_server ADD CONSTRAINT fk_dhcp6_options_server_option_id FOREIGN KEY (option_id) REFERENCES dhcp6_options (option_id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_options_server ADD CONSTRAINT fk_dhcp6_options_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_pd_pool ADD CONSTRAINT fk_dhcp6_pd_pool_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp6_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE NO ACTION;
ALTER TABLE dhcp6_pool ADD CONSTRAINT fk_dhcp6_pool_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp6_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE NO ACTION;
ALTER TABLE dhcp6_shared_network_server ADD CONSTRAINT fk_dhcp6_shared_network_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_shared_network_server ADD CONSTRAINT fk_dhcp6_shared_network_server_shared_network_id FOREIGN KEY (shared_network_id) REFERENCES dhcp6_shared_network (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_subnet ADD CONSTRAINT fk_dhcp6_subnet_shared_network FOREIGN KEY (shared_network_name) REFERENCES dhcp6_shared_network (name)
	ON UPDATE NO ACTION ON DELETE NO ACTION;
ALTER TABLE dhcp6_subnet_server ADD CONSTRAINT fk_dhcp6_subnet_server_server_id FOREIGN KEY (server_id) REFERENCES dhcp6_server (id)
	ON UPDATE NO ACTION ON DELETE CASCADE;
ALTER TABLE dhcp6_subnet_server ADD CONSTRAINT fk_dhcp6_subnet_server_subnet_id FOREIGN KEY (subnet_id) REFERENCES dhcp6_subnet (subnet_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE hosts ADD CONSTRAINT fk_host_identifier_type FOREIGN KEY (dhcp_identifier_type) REFERENCES host_identifier_type (type)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE ipv6_reservations ADD CONSTRAINT fk_ipv6_reservations_host FOREIGN KEY (host_id) REFERENCES hosts (host_id)
	ON UPDATE CASCADE ON DELETE CASCADE;
ALTER TABLE lease4 ADD CONSTRAINT fk_lease4_state FOREIGN KEY (state) REFERENCES lease_state (state)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE lease6 ADD CONSTRAINT fk_lease6_hwaddr_source FOREIGN KEY (hwaddr_source) REFERENCES lease_hwaddr_source (hwaddr_source)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE lease6 ADD CONSTRAINT fk_lease6_state FOREIGN KEY (state) REFERENCES lease_state (state)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE lease6 ADD CONSTRAINT fk_lease6_type FOREIGN KEY (lease_type) REFERENCES lease6_types (lease_type)
	ON UPDATE RESTRICT ON DELETE RESTRICT;
ALTER TABLE lease6_stat_by_client_class ADD CONSTRAINT fk_lease6_stat_by_client_class_lease_type FOREIGN KEY (lease_type) REFERENCES lease6_types (lease_type)
	ON UPDATE RESTRICT ON DELETE RESTRICT;

