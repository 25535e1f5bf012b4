-- lessor-admin db-upgrade, PostgreSQL: Kea 2.2's schema 13.0 -> Kea 2.4's 18.0, step 1 of 3:
-- the tables. Step 2 drops every function (with its triggers) and creates 18.0's
-- (pgsql-routines.sql), step 3 (pgsql-upgrade-13.0-end.sql) derives the new statistics and
-- sets the version. All three run in one transaction. Rows are kept; the IPv6 addresses
-- change from text to INET in place.

ALTER TABLE dhcp4_options ADD COLUMN cancelled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE dhcp6_options ADD COLUMN cancelled BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE dhcp4_client_class ADD COLUMN offer_lifetime BIGINT;
ALTER TABLE dhcp4_shared_network ADD COLUMN offer_lifetime BIGINT;
ALTER TABLE dhcp4_subnet ADD COLUMN offer_lifetime BIGINT;

ALTER TABLE dhcp4_shared_network ADD COLUMN allocator TEXT;
ALTER TABLE dhcp4_subnet ADD COLUMN allocator TEXT;
ALTER TABLE dhcp6_shared_network ADD COLUMN allocator TEXT;
ALTER TABLE dhcp6_subnet ADD COLUMN allocator TEXT;
ALTER TABLE dhcp6_shared_network ADD COLUMN pd_allocator TEXT;
ALTER TABLE dhcp6_subnet ADD COLUMN pd_allocator TEXT;

-- lease4: relay and remote ids (lease query), the pool a lease belongs to.
ALTER TABLE lease4 ADD COLUMN relay_id BYTEA DEFAULT NULL;
ALTER TABLE lease4 ADD COLUMN remote_id BYTEA DEFAULT NULL;
ALTER TABLE lease4 ADD COLUMN pool_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX lease4_by_relay_id ON lease4 USING btree (relay_id);
CREATE INDEX lease4_by_remote_id ON lease4 USING btree (remote_id);
ALTER TABLE lease6 ADD COLUMN pool_id BIGINT NOT NULL DEFAULT 0;

-- IPv6 addresses as INET (the primary key and indexes follow the column).
ALTER TABLE lease6 ALTER COLUMN address TYPE INET USING CAST(address AS INET);
ALTER TABLE ipv6_reservations ALTER COLUMN address TYPE INET USING CAST(address AS INET);

CREATE TABLE lease4_pool_stat (
	subnet_id BIGINT NOT NULL,
	pool_id BIGINT NOT NULL,
	state BIGINT NOT NULL,
	leases BIGINT
);
ALTER TABLE lease4_pool_stat ADD CONSTRAINT lease4_pool_stat_pkey
	PRIMARY KEY (subnet_id, pool_id, state);

CREATE TABLE lease6_pool_stat (
	subnet_id BIGINT NOT NULL,
	pool_id BIGINT NOT NULL,
	lease_type SMALLINT NOT NULL,
	state BIGINT NOT NULL,
	leases BIGINT
);
ALTER TABLE lease6_pool_stat ADD CONSTRAINT lease6_pool_stat_pkey
	PRIMARY KEY (subnet_id, pool_id, lease_type, state);

CREATE TABLE lease6_relay_id (
	extended_info_id SERIAL,
	relay_id BYTEA NOT NULL,
	lease_addr BYTEA NOT NULL
);
ALTER TABLE lease6_relay_id ADD CONSTRAINT lease6_relay_id_pkey PRIMARY KEY (extended_info_id);
CREATE INDEX lease6_relay_id_by_id ON lease6_relay_id USING btree (relay_id, lease_addr);
CREATE INDEX lease6_relay_id_by_address ON lease6_relay_id USING btree (lease_addr);

CREATE TABLE lease6_remote_id (
	extended_info_id SERIAL,
	remote_id BYTEA NOT NULL,
	lease_addr BYTEA NOT NULL
);
ALTER TABLE lease6_remote_id ADD CONSTRAINT lease6_remote_id_pkey PRIMARY KEY (extended_info_id);
CREATE INDEX lease6_remote_id_by_id ON lease6_remote_id USING btree (remote_id, lease_addr);
CREATE INDEX lease6_remote_id_by_address ON lease6_remote_id USING btree (lease_addr);
