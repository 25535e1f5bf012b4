-- lessor-admin db-upgrade, MySQL: Kea 2.2's schema 14.0 -> Kea 2.4's 19.0, step 1 of 3: the
-- tables. Step 2 drops every routine and trigger and creates 19.0's (mysql-routines.sql),
-- step 3 (mysql-upgrade-14.0-end.sql) derives the new statistics and sets the version.
-- Rows are kept; the IPv6 addresses change from text to 16 bytes in place.

ALTER TABLE dhcp4_options ADD COLUMN cancelled TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE dhcp6_options ADD COLUMN cancelled TINYINT(1) NOT NULL DEFAULT 0;

ALTER TABLE dhcp4_client_class ADD COLUMN offer_lifetime INT DEFAULT NULL;
ALTER TABLE dhcp4_shared_network ADD COLUMN offer_lifetime INT DEFAULT NULL;
ALTER TABLE dhcp4_subnet ADD COLUMN offer_lifetime INT DEFAULT NULL;

ALTER TABLE dhcp4_shared_network ADD COLUMN allocator TEXT;
ALTER TABLE dhcp4_subnet ADD COLUMN allocator TEXT;
ALTER TABLE dhcp6_shared_network ADD COLUMN allocator TEXT;
ALTER TABLE dhcp6_subnet ADD COLUMN allocator TEXT;
ALTER TABLE dhcp6_shared_network ADD COLUMN pd_allocator TEXT;
ALTER TABLE dhcp6_subnet ADD COLUMN pd_allocator TEXT;

-- Identifiers up to 255 bytes (client ids of RFC 4361 DUIDs).
ALTER TABLE hosts MODIFY COLUMN dhcp_identifier VARBINARY(255) NOT NULL;
ALTER TABLE lease4 MODIFY COLUMN client_id VARBINARY(255) DEFAULT NULL;
ALTER TABLE lease6 MODIFY COLUMN duid VARBINARY(130) DEFAULT NULL;

-- lease4: relay and remote ids (lease query), the pool a lease belongs to.
ALTER TABLE lease4 ADD COLUMN relay_id VARBINARY(255) DEFAULT NULL,
	ADD COLUMN remote_id VARBINARY(255) DEFAULT NULL,
	ADD COLUMN pool_id INT UNSIGNED NOT NULL DEFAULT 0,
	ADD KEY lease4_by_relay_id (relay_id),
	ADD KEY lease4_by_remote_id (remote_id);
ALTER TABLE lease6 ADD COLUMN pool_id INT UNSIGNED NOT NULL DEFAULT 0;

-- IPv6 addresses as 16 bytes: converted through a temporary column so no row is lost.
ALTER TABLE lease6 ADD COLUMN address_bin BINARY(16) DEFAULT NULL;
UPDATE lease6 SET address_bin = INET6_ATON(address);
ALTER TABLE lease6 DROP PRIMARY KEY, DROP COLUMN address;
ALTER TABLE lease6 CHANGE COLUMN address_bin address BINARY(16) NOT NULL FIRST,
	ADD PRIMARY KEY (address);
ALTER TABLE ipv6_reservations ADD COLUMN address_bin BINARY(16) DEFAULT NULL;
UPDATE ipv6_reservations SET address_bin = INET6_ATON(address);
ALTER TABLE ipv6_reservations DROP INDEX key_dhcp6_address_prefix_len, DROP COLUMN address;
ALTER TABLE ipv6_reservations CHANGE COLUMN address_bin address BINARY(16) NOT NULL AFTER reservation_id,
	ADD KEY key_dhcp6_address_prefix_len (address, prefix_len);

CREATE TABLE lease4_pool_stat (
	subnet_id INT UNSIGNED NOT NULL,
	pool_id INT UNSIGNED NOT NULL,
	state INT UNSIGNED NOT NULL,
	leases BIGINT DEFAULT NULL,
	PRIMARY KEY (subnet_id, pool_id, state)
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
	KEY key_lease6_relay_id_by_id (relay_id, lease_addr),
	KEY key_lease6_relay_id_by_address (lease_addr)
) ENGINE = InnoDB;

CREATE TABLE lease6_remote_id (
	extended_info_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	remote_id VARBINARY(255) NOT NULL,
	lease_addr BINARY(16) NOT NULL,
	PRIMARY KEY (extended_info_id),
	KEY key_lease6_remote_id_by_id (remote_id, lease_addr),
	KEY key_lease6_remote_id_by_address (lease_addr)
) ENGINE = InnoDB;
