-- Kea 2.4's PostgreSQL schema 18.0: functions and triggers (lessor-admin db-init step 2, and
-- db-upgrade, which drops 13.0's and runs this file again, so both end with the same bodies).
-- Written for lessor. What lessor (and Kea's lease code) rely on is the lease part: the
-- triggers keep lease4_stat / lease4_pool_stat / lease4_stat_by_client_class (and the v6
-- tables), counting states 0 (default) and 1 (declined) only, clamping at 0; lease-dump's
-- lease4DumpHeader/lease4DumpData. The configuration-backend part (audit, option, client
-- class order) keeps Kea's names and signatures so that Kea's tools can take the database over;
-- lessor does not use Kea's config backend.
-- Every function is dropped first (CASCADE takes its triggers, which are created again at the
-- end): CREATE OR REPLACE cannot change a result type or a parameter name.

DROP FUNCTION IF EXISTS checkdhcpv4clientclassdependency(bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS checkdhcpv4clientclassknowndependencychange() CASCADE;
DROP FUNCTION IF EXISTS checkdhcpv6clientclassdependency(bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS checkdhcpv6clientclassknowndependencychange() CASCADE;
DROP FUNCTION IF EXISTS checklease4limits(text) CASCADE;
DROP FUNCTION IF EXISTS checklease6limits(text) CASCADE;
DROP FUNCTION IF EXISTS colonseparatedhex(text) CASCADE;
DROP FUNCTION IF EXISTS createauditentrydhcp4(character varying, bigint, character varying) CASCADE;
DROP FUNCTION IF EXISTS createauditentrydhcp6(character varying, bigint, character varying) CASCADE;
DROP FUNCTION IF EXISTS createauditrevisiondhcp4(timestamp with time zone, character varying, text, boolean) CASCADE;
DROP FUNCTION IF EXISTS createauditrevisiondhcp6(timestamp with time zone, character varying, text, boolean) CASCADE;
DROP FUNCTION IF EXISTS createoptionauditdhcp4(character varying, smallint, integer, bigint, integer, character varying, bigint, timestamp with time zone) CASCADE;
DROP FUNCTION IF EXISTS createoptionauditdhcp6(character varying, smallint, integer, bigint, integer, character varying, bigint, bigint, timestamp with time zone) CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_client_class_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_client_class_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_client_class_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_client_class_check_dependency_bins() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_client_class_dependency_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_global_parameter_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_global_parameter_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_global_parameter_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_option_def_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_option_def_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_option_def_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_options_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_options_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_options_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_pool_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_server_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_server_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_server_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_shared_network_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_shared_network_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_shared_network_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_shared_network_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_subnet_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_subnet_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp4_subnet_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_client_class_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_client_class_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_client_class_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_client_class_check_dependency_bins() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_client_class_dependency_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_global_parameter_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_global_parameter_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_global_parameter_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_option_def_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_option_def_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_option_def_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_options_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_options_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_options_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_pd_pool_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_pool_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_server_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_server_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_server_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_shared_network_adel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_shared_network_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_shared_network_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_shared_network_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_subnet_ains() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_subnet_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_dhcp6_subnet_bdel() CASCADE;
DROP FUNCTION IF EXISTS func_lease4_adel() CASCADE;
DROP FUNCTION IF EXISTS func_lease4_ains() CASCADE;
DROP FUNCTION IF EXISTS func_lease4_aupd() CASCADE;
DROP FUNCTION IF EXISTS func_lease6_adel() CASCADE;
DROP FUNCTION IF EXISTS func_lease6_ains() CASCADE;
DROP FUNCTION IF EXISTS func_lease6_aupd() CASCADE;
DROP FUNCTION IF EXISTS get_session_big_int(text) CASCADE;
DROP FUNCTION IF EXISTS get_session_boolean(text) CASCADE;
DROP FUNCTION IF EXISTS get_session_value(text) CASCADE;
DROP FUNCTION IF EXISTS gmt_epoch(timestamp with time zone) CASCADE;
DROP FUNCTION IF EXISTS isjsonsupported() CASCADE;
DROP FUNCTION IF EXISTS json_cast(text) CASCADE;
DROP FUNCTION IF EXISTS lease4_adel_lease4_pool_stat(bigint, bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease4_adel_lease4_stat(bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease4_adel_lease4_stat_by_client_class(bigint, text) CASCADE;
DROP FUNCTION IF EXISTS lease4_ains_lease4_pool_stat(bigint, bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease4_ains_lease4_stat(bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease4_ains_lease4_stat_by_client_class(bigint, text) CASCADE;
DROP FUNCTION IF EXISTS lease4_aupd_lease4_pool_stat(bigint, bigint, bigint, bigint, bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease4_aupd_lease4_stat(bigint, bigint, bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease4_aupd_lease4_stat_by_client_class(bigint, text, bigint, text) CASCADE;
DROP FUNCTION IF EXISTS lease4dumpdata() CASCADE;
DROP FUNCTION IF EXISTS lease4dumpheader() CASCADE;
DROP FUNCTION IF EXISTS lease4upload(character varying, character varying, character varying, bigint, bigint, bigint, integer, integer, character varying, bigint, character varying) CASCADE;
DROP FUNCTION IF EXISTS lease4upload(character varying, character varying, character varying, bigint, bigint, bigint, integer, integer, character varying, bigint, character varying, bigint) CASCADE;
DROP FUNCTION IF EXISTS lease6_adel_lease6_pool_stat(bigint, bigint, bigint, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_adel_lease6_stat(bigint, bigint, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_adel_lease6_stat_by_client_class(bigint, text, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_ains_lease6_pool_stat(bigint, bigint, bigint, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_ains_lease6_stat(bigint, bigint, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_ains_lease6_stat_by_client_class(bigint, text, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_aupd_lease6_pool_stat(bigint, bigint, bigint, smallint, bigint, bigint, bigint, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_aupd_lease6_stat(bigint, bigint, smallint, bigint, bigint, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6_aupd_lease6_stat_by_client_class(bigint, text, smallint, bigint, text, smallint) CASCADE;
DROP FUNCTION IF EXISTS lease6dumpdata() CASCADE;
DROP FUNCTION IF EXISTS lease6dumpheader() CASCADE;
DROP FUNCTION IF EXISTS lease6upload(character varying, character varying, bigint, bigint, bigint, bigint, integer, integer, integer, integer, integer, character varying, character varying, bigint, character varying, integer, integer) CASCADE;
DROP FUNCTION IF EXISTS lease6upload(character varying, character varying, bigint, bigint, bigint, bigint, integer, integer, integer, integer, integer, character varying, character varying, bigint, character varying, integer, integer, bigint) CASCADE;
DROP FUNCTION IF EXISTS modification_ts_update() CASCADE;
DROP FUNCTION IF EXISTS proc_stat_lease4_delete() CASCADE;
DROP FUNCTION IF EXISTS proc_stat_lease4_insert() CASCADE;
DROP FUNCTION IF EXISTS proc_stat_lease4_update() CASCADE;
DROP FUNCTION IF EXISTS proc_stat_lease6_delete() CASCADE;
DROP FUNCTION IF EXISTS proc_stat_lease6_insert() CASCADE;
DROP FUNCTION IF EXISTS proc_stat_lease6_update() CASCADE;
DROP FUNCTION IF EXISTS set_session_value(text, bigint) CASCADE;
DROP FUNCTION IF EXISTS set_session_value(text, boolean) CASCADE;
DROP FUNCTION IF EXISTS set_session_value(text, text) CASCADE;
DROP FUNCTION IF EXISTS setclientclass4order(bigint, character varying, character varying) CASCADE;
DROP FUNCTION IF EXISTS setclientclass6order(bigint, character varying, character varying) CASCADE;
DROP FUNCTION IF EXISTS updatedhcpv4clientclassknowndependency(bigint, bigint) CASCADE;
DROP FUNCTION IF EXISTS updatedhcpv6clientclassknowndependency(bigint, bigint) CASCADE;

-- ---------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------

-- Session values of the config backend (MySQL's @variables): custom settings "kea.<name>".
CREATE FUNCTION set_session_value(name TEXT, value TEXT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config(name, value, false);
END;
$$;
CREATE FUNCTION set_session_value(name TEXT, value BIGINT) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config(name, CAST(value AS TEXT), false);
END;
$$;
CREATE FUNCTION set_session_value(name TEXT, value BOOLEAN) RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	PERFORM set_config(name, CAST(value AS TEXT), false);
END;
$$;
CREATE FUNCTION get_session_value(name TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
BEGIN
	RETURN NULLIF(current_setting(name, true), '');
END;
$$;
CREATE FUNCTION get_session_big_int(name TEXT) RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
	RETURN CAST(get_session_value(name) AS BIGINT);
END;
$$;
CREATE FUNCTION get_session_boolean(name TEXT) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
	RETURN COALESCE(CAST(get_session_value(name) AS BOOLEAN), false);
END;
$$;

-- Seconds since the epoch, whatever the session's time zone.
CREATE FUNCTION gmt_epoch(input_ts TIMESTAMP WITH TIME ZONE) RETURNS BIGINT LANGUAGE plpgsql AS $$
BEGIN
	RETURN CAST(EXTRACT(EPOCH FROM input_ts) AS BIGINT);
END;
$$;

-- The text as JSON, or NULL when it is not JSON (a bad user context must not fail a lease write).
CREATE FUNCTION json_cast(json_candidate TEXT) RETURNS JSON LANGUAGE plpgsql AS $$
BEGIN
	RETURN CAST(json_candidate AS JSON);
EXCEPTION WHEN others THEN
	RETURN NULL;
END;
$$;

-- JSON exists since PostgreSQL 9.2 (json_array_elements_text since 9.4).
CREATE FUNCTION isJsonSupported() RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
	RETURN CAST(current_setting('server_version_num') AS INT) >= 90400;
END;
$$;

-- "aabbcc" -> "aa:bb:cc" (lease dumps print hardware addresses and client ids so).
CREATE FUNCTION colonSeparatedHex(hex TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
BEGIN
	RETURN (SELECT string_agg(substr(hex, i, 2), ':' ORDER BY i)
	        FROM generate_series(1, length(hex), 2) AS i);
END;
$$;

CREATE FUNCTION modification_ts_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	NEW.modification_ts = CURRENT_TIMESTAMP;
	RETURN NEW;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- lease4 statistics, kept by the lease4 triggers below. Only states 0 (default) and
-- 1 (declined) are counted; a decrement never goes below 0.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION lease4_AINS_lease4_stat(new_state BIGINT, new_subnet_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease4_stat (subnet_id, state, leases) VALUES (new_subnet_id, new_state, 1)
			ON CONFLICT (subnet_id, state) DO UPDATE SET leases = lease4_stat.leases + 1;
	END IF;
END;
$$;

CREATE FUNCTION lease4_ADEL_lease4_stat(old_state BIGINT, old_subnet_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease4_stat SET leases = GREATEST(leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND state = old_state;
	END IF;
END;
$$;

CREATE FUNCTION lease4_AUPD_lease4_stat(old_state BIGINT, old_subnet_id BIGINT,
                                        new_state BIGINT, new_subnet_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_subnet_id != new_subnet_id OR old_state != new_state THEN
		PERFORM lease4_ADEL_lease4_stat(old_state, old_subnet_id);
		PERFORM lease4_AINS_lease4_stat(new_state, new_subnet_id);
	END IF;
END;
$$;

CREATE FUNCTION lease4_AINS_lease4_pool_stat(new_state BIGINT, new_subnet_id BIGINT,
                                             new_pool_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease4_pool_stat (subnet_id, pool_id, state, leases)
			VALUES (new_subnet_id, new_pool_id, new_state, 1)
			ON CONFLICT (subnet_id, pool_id, state)
			DO UPDATE SET leases = lease4_pool_stat.leases + 1;
	END IF;
END;
$$;

CREATE FUNCTION lease4_ADEL_lease4_pool_stat(old_state BIGINT, old_subnet_id BIGINT,
                                             old_pool_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease4_pool_stat SET leases = GREATEST(leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND pool_id = old_pool_id AND state = old_state;
	END IF;
END;
$$;

CREATE FUNCTION lease4_AUPD_lease4_pool_stat(old_state BIGINT, old_subnet_id BIGINT,
                                             old_pool_id BIGINT, new_state BIGINT,
                                             new_subnet_id BIGINT, new_pool_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_subnet_id != new_subnet_id OR old_pool_id != new_pool_id OR old_state != new_state THEN
		PERFORM lease4_ADEL_lease4_pool_stat(old_state, old_subnet_id, old_pool_id);
		PERFORM lease4_AINS_lease4_pool_stat(new_state, new_subnet_id, new_pool_id);
	END IF;
END;
$$;

-- Lease limiting (Kea's limits hook): leases per client class, from the classes a lease's
-- user context lists under ISC.client-classes. Only state 0 leases are counted.
CREATE FUNCTION lease4_AINS_lease4_stat_by_client_class(new_state BIGINT, new_user_context TEXT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	cls TEXT;
	classes JSON := json_cast(new_user_context)->'ISC'->'client-classes';
BEGIN
	IF new_state = 0 AND classes IS NOT NULL AND json_typeof(classes) = 'array' THEN
		FOR cls IN SELECT json_array_elements_text(classes) LOOP
			INSERT INTO lease4_stat_by_client_class (client_class, leases) VALUES (cls, 1)
				ON CONFLICT (client_class)
				DO UPDATE SET leases = lease4_stat_by_client_class.leases + 1;
		END LOOP;
	END IF;
END;
$$;

CREATE FUNCTION lease4_ADEL_lease4_stat_by_client_class(old_state BIGINT, old_user_context TEXT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	cls TEXT;
	classes JSON := json_cast(old_user_context)->'ISC'->'client-classes';
BEGIN
	IF old_state = 0 AND classes IS NOT NULL AND json_typeof(classes) = 'array' THEN
		FOR cls IN SELECT json_array_elements_text(classes) LOOP
			UPDATE lease4_stat_by_client_class SET leases = GREATEST(leases - 1, 0)
				WHERE client_class = cls;
		END LOOP;
	END IF;
END;
$$;

CREATE FUNCTION lease4_AUPD_lease4_stat_by_client_class(old_state BIGINT, old_user_context TEXT,
                                                        new_state BIGINT, new_user_context TEXT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_state != new_state OR old_user_context IS DISTINCT FROM new_user_context THEN
		PERFORM lease4_ADEL_lease4_stat_by_client_class(old_state, old_user_context);
		PERFORM lease4_AINS_lease4_stat_by_client_class(new_state, new_user_context);
	END IF;
END;
$$;

-- Kea's limits hook: '' when the lease's ISC.limits allow another lease, else the first limit
-- that is reached (as JSON text).
CREATE FUNCTION checkLease4Limits(user_context TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
	lim JSON;
	used BIGINT;
BEGIN
	FOR lim IN SELECT json_array_elements(json_cast(user_context)->'ISC'->'limits') LOOP
		used := NULL;
		IF lim->>'address-limit' IS NULL THEN
			CONTINUE;
		ELSIF lim->>'client-class' IS NOT NULL THEN
			SELECT leases INTO used FROM lease4_stat_by_client_class
				WHERE client_class = lim->>'client-class';
		ELSIF lim->>'subnet-id' IS NOT NULL THEN
			SELECT SUM(leases) INTO used FROM lease4_stat
				WHERE subnet_id = CAST(lim->>'subnet-id' AS BIGINT) AND state = 0;
		END IF;
		IF COALESCE(used, 0) >= CAST(lim->>'address-limit' AS BIGINT) THEN
			RETURN CAST(lim AS TEXT);
		END IF;
	END LOOP;
	RETURN '';
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN ''; -- ISC.limits is not an array
END;
$$;

-- ---------------------------------------------------------------------------------------
-- lease6 statistics: as lease4's, keyed by lease type too.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION lease6_AINS_lease6_stat(new_state BIGINT, new_subnet_id BIGINT,
                                        new_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease6_stat (subnet_id, lease_type, state, leases)
			VALUES (new_subnet_id, new_lease_type, new_state, 1)
			ON CONFLICT (subnet_id, lease_type, state)
			DO UPDATE SET leases = lease6_stat.leases + 1;
	END IF;
END;
$$;

CREATE FUNCTION lease6_ADEL_lease6_stat(old_state BIGINT, old_subnet_id BIGINT,
                                        old_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease6_stat SET leases = GREATEST(leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND lease_type = old_lease_type
			AND state = old_state;
	END IF;
END;
$$;

CREATE FUNCTION lease6_AUPD_lease6_stat(old_state BIGINT, old_subnet_id BIGINT,
                                        old_lease_type SMALLINT, new_state BIGINT,
                                        new_subnet_id BIGINT, new_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_subnet_id != new_subnet_id OR old_lease_type != new_lease_type
	   OR old_state != new_state THEN
		PERFORM lease6_ADEL_lease6_stat(old_state, old_subnet_id, old_lease_type);
		PERFORM lease6_AINS_lease6_stat(new_state, new_subnet_id, new_lease_type);
	END IF;
END;
$$;

CREATE FUNCTION lease6_AINS_lease6_pool_stat(new_state BIGINT, new_subnet_id BIGINT,
                                             new_pool_id BIGINT, new_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease6_pool_stat (subnet_id, pool_id, lease_type, state, leases)
			VALUES (new_subnet_id, new_pool_id, new_lease_type, new_state, 1)
			ON CONFLICT (subnet_id, pool_id, lease_type, state)
			DO UPDATE SET leases = lease6_pool_stat.leases + 1;
	END IF;
END;
$$;

CREATE FUNCTION lease6_ADEL_lease6_pool_stat(old_state BIGINT, old_subnet_id BIGINT,
                                             old_pool_id BIGINT, old_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease6_pool_stat SET leases = GREATEST(leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND pool_id = old_pool_id
			AND lease_type = old_lease_type AND state = old_state;
	END IF;
END;
$$;

CREATE FUNCTION lease6_AUPD_lease6_pool_stat(old_state BIGINT, old_subnet_id BIGINT,
                                             old_pool_id BIGINT, old_lease_type SMALLINT,
                                             new_state BIGINT, new_subnet_id BIGINT,
                                             new_pool_id BIGINT, new_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_subnet_id != new_subnet_id OR old_pool_id != new_pool_id
	   OR old_lease_type != new_lease_type OR old_state != new_state THEN
		PERFORM lease6_ADEL_lease6_pool_stat(old_state, old_subnet_id, old_pool_id,
		                                     old_lease_type);
		PERFORM lease6_AINS_lease6_pool_stat(new_state, new_subnet_id, new_pool_id,
		                                     new_lease_type);
	END IF;
END;
$$;

CREATE FUNCTION lease6_AINS_lease6_stat_by_client_class(new_state BIGINT, new_user_context TEXT,
                                                        new_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	cls TEXT;
	classes JSON := json_cast(new_user_context)->'ISC'->'client-classes';
BEGIN
	IF new_state = 0 AND classes IS NOT NULL AND json_typeof(classes) = 'array' THEN
		FOR cls IN SELECT json_array_elements_text(classes) LOOP
			INSERT INTO lease6_stat_by_client_class (client_class, lease_type, leases)
				VALUES (cls, new_lease_type, 1)
				ON CONFLICT (client_class, lease_type)
				DO UPDATE SET leases = lease6_stat_by_client_class.leases + 1;
		END LOOP;
	END IF;
END;
$$;

CREATE FUNCTION lease6_ADEL_lease6_stat_by_client_class(old_state BIGINT, old_user_context TEXT,
                                                        old_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	cls TEXT;
	classes JSON := json_cast(old_user_context)->'ISC'->'client-classes';
BEGIN
	IF old_state = 0 AND classes IS NOT NULL AND json_typeof(classes) = 'array' THEN
		FOR cls IN SELECT json_array_elements_text(classes) LOOP
			UPDATE lease6_stat_by_client_class SET leases = GREATEST(leases - 1, 0)
				WHERE client_class = cls AND lease_type = old_lease_type;
		END LOOP;
	END IF;
END;
$$;

CREATE FUNCTION lease6_AUPD_lease6_stat_by_client_class(old_state BIGINT, old_user_context TEXT,
                                                        old_lease_type SMALLINT,
                                                        new_state BIGINT, new_user_context TEXT,
                                                        new_lease_type SMALLINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF old_state != new_state OR old_lease_type != new_lease_type
	   OR old_user_context IS DISTINCT FROM new_user_context THEN
		PERFORM lease6_ADEL_lease6_stat_by_client_class(old_state, old_user_context,
		                                                old_lease_type);
		PERFORM lease6_AINS_lease6_stat_by_client_class(new_state, new_user_context,
		                                                new_lease_type);
	END IF;
END;
$$;

-- As checkLease4Limits; "address-limit" counts IA_NA leases (type 0), "prefix-limit" IA_PD (2).
CREATE FUNCTION checkLease6Limits(user_context TEXT) RETURNS TEXT LANGUAGE plpgsql AS $$
DECLARE
	lim JSON;
	used BIGINT;
	t SMALLINT;
	cap TEXT;
BEGIN
	FOR lim IN SELECT json_array_elements(json_cast(user_context)->'ISC'->'limits') LOOP
		FOREACH t IN ARRAY ARRAY[0, 2] LOOP
			cap := lim->>(CASE WHEN t = 0 THEN 'address-limit' ELSE 'prefix-limit' END);
			used := NULL;
			IF cap IS NULL THEN
				CONTINUE;
			ELSIF lim->>'client-class' IS NOT NULL THEN
				SELECT leases INTO used FROM lease6_stat_by_client_class
					WHERE client_class = lim->>'client-class' AND lease_type = t;
			ELSIF lim->>'subnet-id' IS NOT NULL THEN
				SELECT SUM(leases) INTO used FROM lease6_stat
					WHERE subnet_id = CAST(lim->>'subnet-id' AS BIGINT)
					AND lease_type = t AND state = 0;
			END IF;
			IF COALESCE(used, 0) >= CAST(cap AS BIGINT) THEN
				RETURN CAST(lim AS TEXT);
			END IF;
		END LOOP;
	END LOOP;
	RETURN '';
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN '';
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Lease triggers' functions. The proc_stat_* functions are the names from before schema
-- 13.0, kept (unattached) because Kea's own schemas still carry them.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION func_lease4_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4_AINS_lease4_stat(NEW.state, NEW.subnet_id);
	PERFORM lease4_AINS_lease4_pool_stat(NEW.state, NEW.subnet_id, NEW.pool_id);
	IF isJsonSupported() THEN
		PERFORM lease4_AINS_lease4_stat_by_client_class(NEW.state, NEW.user_context);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_lease4_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4_AUPD_lease4_stat(OLD.state, OLD.subnet_id, NEW.state, NEW.subnet_id);
	PERFORM lease4_AUPD_lease4_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id,
	                                     NEW.state, NEW.subnet_id, NEW.pool_id);
	IF isJsonSupported() THEN
		PERFORM lease4_AUPD_lease4_stat_by_client_class(OLD.state, OLD.user_context,
		                                                NEW.state, NEW.user_context);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_lease4_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4_ADEL_lease4_stat(OLD.state, OLD.subnet_id);
	PERFORM lease4_ADEL_lease4_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id);
	IF isJsonSupported() THEN
		PERFORM lease4_ADEL_lease4_stat_by_client_class(OLD.state, OLD.user_context);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_lease6_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6_AINS_lease6_stat(NEW.state, NEW.subnet_id, NEW.lease_type);
	PERFORM lease6_AINS_lease6_pool_stat(NEW.state, NEW.subnet_id, NEW.pool_id, NEW.lease_type);
	IF isJsonSupported() THEN
		PERFORM lease6_AINS_lease6_stat_by_client_class(NEW.state, NEW.user_context,
		                                                NEW.lease_type);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_lease6_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6_AUPD_lease6_stat(OLD.state, OLD.subnet_id, OLD.lease_type,
	                                NEW.state, NEW.subnet_id, NEW.lease_type);
	PERFORM lease6_AUPD_lease6_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id, OLD.lease_type,
	                                     NEW.state, NEW.subnet_id, NEW.pool_id, NEW.lease_type);
	IF isJsonSupported() THEN
		PERFORM lease6_AUPD_lease6_stat_by_client_class(OLD.state, OLD.user_context,
		                                                OLD.lease_type, NEW.state,
		                                                NEW.user_context, NEW.lease_type);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_lease6_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6_ADEL_lease6_stat(OLD.state, OLD.subnet_id, OLD.lease_type);
	PERFORM lease6_ADEL_lease6_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id, OLD.lease_type);
	IF isJsonSupported() THEN
		PERFORM lease6_ADEL_lease6_stat_by_client_class(OLD.state, OLD.user_context,
		                                                OLD.lease_type);
	END IF;
	RETURN NULL;
END;
$$;

CREATE FUNCTION proc_stat_lease4_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4_AINS_lease4_stat(NEW.state, NEW.subnet_id);
	RETURN NULL;
END;
$$;
CREATE FUNCTION proc_stat_lease4_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4_AUPD_lease4_stat(OLD.state, OLD.subnet_id, NEW.state, NEW.subnet_id);
	RETURN NULL;
END;
$$;
CREATE FUNCTION proc_stat_lease4_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4_ADEL_lease4_stat(OLD.state, OLD.subnet_id);
	RETURN NULL;
END;
$$;
CREATE FUNCTION proc_stat_lease6_insert() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6_AINS_lease6_stat(NEW.state, NEW.subnet_id, NEW.lease_type);
	RETURN NULL;
END;
$$;
CREATE FUNCTION proc_stat_lease6_update() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6_AUPD_lease6_stat(OLD.state, OLD.subnet_id, OLD.lease_type,
	                                NEW.state, NEW.subnet_id, NEW.lease_type);
	RETURN NULL;
END;
$$;
CREATE FUNCTION proc_stat_lease6_delete() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6_ADEL_lease6_stat(OLD.state, OLD.subnet_id, OLD.lease_type);
	RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Lease dump and upload (kea-admin lease-dump / lease-upload): the memfile CSV columns, with
-- the CSV separator in hostname and user_context escaped as &#x2c.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION lease4DumpHeader() RETURNS TEXT LANGUAGE sql AS $$
	SELECT CAST('address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id' AS TEXT);
$$;

CREATE FUNCTION lease4DumpData()
RETURNS TABLE (address INET, hwaddr VARCHAR, client_id VARCHAR, valid_lifetime BIGINT,
               expire BIGINT, subnet_id BIGINT, fqdn_fwd INT, fqdn_rev INT, hostname VARCHAR,
               state BIGINT, user_context VARCHAR, pool_id BIGINT)
LANGUAGE sql AS $$
	SELECT '0.0.0.0'::inet + l.address, colonSeparatedHex(encode(l.hwaddr, 'hex')),
	       colonSeparatedHex(encode(l.client_id, 'hex')), l.valid_lifetime, gmt_epoch(l.expire),
	       l.subnet_id, CAST(l.fqdn_fwd AS INT), CAST(l.fqdn_rev AS INT),
	       CAST(replace(l.hostname, ',', '&#x2c') AS VARCHAR), l.state,
	       CAST(replace(l.user_context, ',', '&#x2c') AS VARCHAR), l.pool_id
	FROM lease4 AS l ORDER BY l.address;
$$;

CREATE FUNCTION lease6DumpHeader() RETURNS TEXT LANGUAGE sql AS $$
	SELECT CAST('address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source,pool_id' AS TEXT);
$$;

CREATE FUNCTION lease6DumpData()
RETURNS TABLE (address VARCHAR, duid VARCHAR, valid_lifetime BIGINT, expire BIGINT,
               subnet_id BIGINT, pref_lifetime BIGINT, lease_type SMALLINT, iaid INT,
               prefix_len SMALLINT, fqdn_fwd INT, fqdn_rev INT, hostname VARCHAR,
               hwaddr VARCHAR, state BIGINT, user_context VARCHAR, hwtype SMALLINT,
               hwaddr_source SMALLINT, pool_id BIGINT)
LANGUAGE sql AS $$
	SELECT CAST(host(l.address) AS VARCHAR), colonSeparatedHex(encode(l.duid, 'hex')),
	       l.valid_lifetime, gmt_epoch(l.expire), l.subnet_id, l.pref_lifetime, l.lease_type,
	       l.iaid, l.prefix_len, CAST(l.fqdn_fwd AS INT), CAST(l.fqdn_rev AS INT),
	       CAST(replace(l.hostname, ',', '&#x2c') AS VARCHAR),
	       colonSeparatedHex(encode(l.hwaddr, 'hex')), l.state,
	       CAST(replace(l.user_context, ',', '&#x2c') AS VARCHAR), l.hwtype, l.hwaddr_source,
	       l.pool_id
	FROM lease6 AS l ORDER BY l.address;
$$;

-- The 2.2 form (no pool) and the 2.4 form, as Kea keeps both.
CREATE FUNCTION lease4Upload(IN address VARCHAR, IN hwaddr VARCHAR, IN client_id VARCHAR,
                             IN valid_lifetime BIGINT, IN expire BIGINT, IN subnet_id BIGINT,
                             IN fqdn_fwd INT, IN fqdn_rev INT, IN hostname VARCHAR,
                             IN state BIGINT, IN user_context VARCHAR, IN pool_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO lease4 (address, hwaddr, client_id, valid_lifetime, expire, subnet_id,
	                    fqdn_fwd, fqdn_rev, hostname, state, user_context, pool_id)
	VALUES (CAST(address AS INET) - '0.0.0.0'::inet,
	        decode(replace(hwaddr, ':', ''), 'hex'), decode(replace(client_id, ':', ''), 'hex'),
	        valid_lifetime, to_timestamp(expire), subnet_id, CAST(fqdn_fwd AS BOOLEAN),
	        CAST(fqdn_rev AS BOOLEAN), replace(hostname, '&#x2c', ','), state,
	        replace(user_context, '&#x2c', ','), pool_id);
END;
$$;

CREATE FUNCTION lease4Upload(IN address VARCHAR, IN hwaddr VARCHAR, IN client_id VARCHAR,
                             IN valid_lifetime BIGINT, IN expire BIGINT, IN subnet_id BIGINT,
                             IN fqdn_fwd INT, IN fqdn_rev INT, IN hostname VARCHAR,
                             IN state BIGINT, IN user_context VARCHAR)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease4Upload(address, hwaddr, client_id, valid_lifetime, expire, subnet_id,
	                     fqdn_fwd, fqdn_rev, hostname, state, user_context, CAST(0 AS BIGINT));
END;
$$;

CREATE FUNCTION lease6Upload(IN address VARCHAR, IN duid VARCHAR, IN valid_lifetime BIGINT,
                             IN expire BIGINT, IN subnet_id BIGINT, IN pref_lifetime BIGINT,
                             IN lease_type INT, IN iaid INT, IN prefix_len INT, IN fqdn_fwd INT,
                             IN fqdn_rev INT, IN hostname VARCHAR, IN hwaddr VARCHAR,
                             IN state BIGINT, IN user_context VARCHAR, IN hwtype INT,
                             IN hwaddr_source INT, IN pool_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO lease6 (address, duid, valid_lifetime, expire, subnet_id, pref_lifetime,
	                    lease_type, iaid, prefix_len, fqdn_fwd, fqdn_rev, hostname, hwaddr,
	                    state, user_context, hwtype, hwaddr_source, pool_id)
	VALUES (CAST(address AS INET), decode(replace(duid, ':', ''), 'hex'), valid_lifetime,
	        to_timestamp(expire), subnet_id, pref_lifetime, lease_type, iaid, prefix_len,
	        CAST(fqdn_fwd AS BOOLEAN), CAST(fqdn_rev AS BOOLEAN), replace(hostname, '&#x2c', ','),
	        decode(replace(hwaddr, ':', ''), 'hex'), state, replace(user_context, '&#x2c', ','),
	        hwtype, hwaddr_source, pool_id);
END;
$$;

CREATE FUNCTION lease6Upload(IN address VARCHAR, IN duid VARCHAR, IN valid_lifetime BIGINT,
                             IN expire BIGINT, IN subnet_id BIGINT, IN pref_lifetime BIGINT,
                             IN lease_type INT, IN iaid INT, IN prefix_len INT, IN fqdn_fwd INT,
                             IN fqdn_rev INT, IN hostname VARCHAR, IN hwaddr VARCHAR,
                             IN state BIGINT, IN user_context VARCHAR, IN hwtype INT,
                             IN hwaddr_source INT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	PERFORM lease6Upload(address, duid, valid_lifetime, expire, subnet_id, pref_lifetime,
	                     lease_type, iaid, prefix_len, fqdn_fwd, fqdn_rev, hostname, hwaddr,
	                     state, user_context, hwtype, hwaddr_source, CAST(0 AS BIGINT));
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv4: audit trail. A config-backend transaction first calls
-- createAuditRevisionDHCP4 (one dhcp4_audit_revision row, remembered in the session value
-- kea.audit_revision_id); the triggers then add one dhcp4_audit row per changed object.
-- kea.disable_audit turns the trail off; kea.cascade_transaction stops option changes from
-- also touching their owner.
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION createAuditRevisionDHCP4(audit_ts TIMESTAMP WITH TIME ZONE,
                                         server_tag VARCHAR(64), audit_log_message TEXT,
                                         cascade_transaction BOOLEAN)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	srv_id BIGINT;
	rev_id BIGINT;
BEGIN
	IF NOT get_session_boolean('kea.disable_audit') THEN
		SELECT id INTO srv_id FROM dhcp4_server WHERE tag = server_tag;
		INSERT INTO dhcp4_audit_revision (modification_ts, server_id, log_message)
			VALUES (audit_ts, srv_id, audit_log_message) RETURNING id INTO rev_id;
		PERFORM set_session_value('kea.audit_revision_id', rev_id);
		PERFORM set_session_value('kea.cascade_transaction', cascade_transaction);
	END IF;
END;
$$;

CREATE FUNCTION createAuditEntryDHCP4(object_type_val VARCHAR(256), object_id_val BIGINT,
                                      modification_type_val VARCHAR(32))
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF NOT get_session_boolean('kea.disable_audit') THEN
		INSERT INTO dhcp4_audit (object_type, object_id, modification_type, revision_id)
			VALUES (object_type_val, object_id_val,
			        (SELECT id FROM modification WHERE modification_type = modification_type_val),
			        get_session_big_int('kea.audit_revision_id'));
	END IF;
END;
$$;

-- An option changed: audit it where it lives. A global option is an object of its own; a
-- subnet's, shared network's or pool's option is a change of that owner (touching the owner's
-- modification_ts fires the owner's update trigger). Host options are not audited.
CREATE FUNCTION createOptionAuditDHCP4(p_modification_type VARCHAR, p_scope_id SMALLINT,
                                       p_option_id INT, p_subnet_id BIGINT, p_host_id INT,
                                       p_network_name VARCHAR, p_pool_id BIGINT,
                                       p_modification_ts TIMESTAMP WITH TIME ZONE)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF get_session_boolean('kea.cascade_transaction') THEN
		RETURN;
	END IF;
	IF p_scope_id = 0 THEN
		PERFORM createAuditEntryDHCP4('dhcp4_options', p_option_id, p_modification_type);
	ELSIF p_scope_id = 1 THEN
		UPDATE dhcp4_subnet SET modification_ts = p_modification_ts
			WHERE subnet_id = p_subnet_id;
	ELSIF p_scope_id = 4 THEN
		UPDATE dhcp4_shared_network SET modification_ts = p_modification_ts
			WHERE name = p_network_name;
	ELSIF p_scope_id = 5 THEN
		UPDATE dhcp4_subnet SET modification_ts = p_modification_ts
			WHERE subnet_id = (SELECT subnet_id FROM dhcp4_pool WHERE id = p_pool_id);
	END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv4: client class order and dependencies. Classes are evaluated
-- in dhcp4_client_class_order.order_index order; a class may only depend on classes before
-- it; depend_on_known_indirectly records that a class depends on KNOWN/UNKNOWN through
-- another class.
-- ---------------------------------------------------------------------------------------

-- Place class @p_id after @p_follow (or last when NULL), shifting the later classes.
CREATE FUNCTION setClientClass4Order(p_id BIGINT, p_follow VARCHAR(128), p_old_follow VARCHAR(128))
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	idx BIGINT;
BEGIN
	IF p_follow IS NULL THEN
		SELECT COALESCE(MAX(order_index) + 1, 0) INTO idx FROM dhcp4_client_class_order
			WHERE class_id != p_id;
	ELSE
		SELECT o.order_index + 1 INTO idx FROM dhcp4_client_class_order AS o
			JOIN dhcp4_client_class AS c ON c.id = o.class_id WHERE c.name = p_follow;
		IF idx IS NULL THEN
			RAISE EXCEPTION 'Class % on which selected class depends doesn''t exist.', p_follow;
		END IF;
		UPDATE dhcp4_client_class_order SET order_index = order_index + 1
			WHERE order_index >= idx AND class_id != p_id;
	END IF;
	INSERT INTO dhcp4_client_class_order (class_id, order_index) VALUES (p_id, idx)
		ON CONFLICT (class_id) DO UPDATE SET order_index = idx;
END;
$$;

CREATE FUNCTION checkDHCPv4ClientClassDependency(p_class_id BIGINT, p_dependency_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	class_index BIGINT;
	dependency_index BIGINT;
BEGIN
	IF p_class_id IS NULL OR p_dependency_id IS NULL THEN
		RAISE EXCEPTION 'client class id and dependency id must not be NULL';
	END IF;
	SELECT order_index INTO class_index FROM dhcp4_client_class_order WHERE class_id = p_class_id;
	SELECT order_index INTO dependency_index FROM dhcp4_client_class_order
		WHERE class_id = p_dependency_id;
	IF dependency_index IS NULL OR class_index IS NULL OR dependency_index >= class_index THEN
		RAISE EXCEPTION 'Unable to set client class dependency: the dependency must be defined before the class.';
	END IF;
END;
$$;

CREATE FUNCTION updateDHCPv4ClientClassKnownDependency(child_id BIGINT, parent_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM dhcp4_client_class AS c
	           JOIN dhcp4_client_class_order AS o ON o.class_id = c.id
	           WHERE c.id = parent_id
	           AND (c.depend_on_known_directly OR o.depend_on_known_indirectly)) THEN
		UPDATE dhcp4_client_class_order SET depend_on_known_indirectly = true
			WHERE class_id = child_id;
	END IF;
END;
$$;

-- A class that others depend on may not change whether it depends on KNOWN: the dependants'
-- evaluation order would silently change. The update trigger records the class in the session
-- value kea.depend_on_known_changed_class for this check.
CREATE FUNCTION checkDHCPv4ClientClassKnownDependencyChange() RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	changed BIGINT := get_session_big_int('kea.depend_on_known_changed_class');
BEGIN
	IF changed IS NOT NULL THEN
		PERFORM set_config('kea.depend_on_known_changed_class', '', false);
		IF EXISTS (SELECT 1 FROM dhcp4_client_class_dependency WHERE dependency_id = changed) THEN
			RAISE EXCEPTION 'Unable to change the dependency on KNOWN/UNKNOWN of a class that other classes depend on.';
		END IF;
	END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv4: the triggers' functions
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION func_dhcp4_server_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_server', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_server_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_server', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_server_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_server', OLD.id, 'delete');
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp4_global_parameter_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_global_parameter', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_global_parameter_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_global_parameter', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_global_parameter_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_global_parameter', OLD.id, 'delete');
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp4_option_def_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_option_def', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_option_def_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_option_def', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_option_def_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_option_def', OLD.id, 'delete');
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp4_options_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createOptionAuditDHCP4('create', NEW.scope_id, NEW.option_id, NEW.dhcp4_subnet_id,
	                               NEW.host_id, NEW.shared_network_name, NEW.pool_id,
	                               NEW.modification_ts);
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_options_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createOptionAuditDHCP4('update', NEW.scope_id, NEW.option_id, NEW.dhcp4_subnet_id,
	                               NEW.host_id, NEW.shared_network_name, NEW.pool_id,
	                               NEW.modification_ts);
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_options_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createOptionAuditDHCP4('delete', OLD.scope_id, OLD.option_id, OLD.dhcp4_subnet_id,
	                               OLD.host_id, OLD.shared_network_name, OLD.pool_id, now());
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp4_subnet_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_subnet', NEW.subnet_id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_subnet_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_subnet', NEW.subnet_id, 'update');
	RETURN NULL;
END;
$$;
-- A subnet takes its pools and their options along (the pools' foreign key does not cascade).
CREATE FUNCTION func_dhcp4_subnet_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_subnet', OLD.subnet_id, 'delete');
	DELETE FROM dhcp4_pool WHERE subnet_id = OLD.subnet_id;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp4_pool_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM dhcp4_options WHERE scope_id = 5 AND pool_id = OLD.id;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp4_shared_network_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_shared_network', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_shared_network_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_shared_network', NEW.id, 'update');
	RETURN NULL;
END;
$$;
-- Kept for its name; the delete is audited before the row goes (func_..._BDEL).
CREATE FUNCTION func_dhcp4_shared_network_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_shared_network', OLD.id, 'delete');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_shared_network_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_shared_network', OLD.id, 'delete');
	DELETE FROM dhcp4_options WHERE shared_network_name = OLD.name;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp4_client_class_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM setClientClass4Order(NEW.id, NEW.follow_class_name, NULL);
	PERFORM createAuditEntryDHCP4('dhcp4_client_class', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_client_class_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.follow_class_name IS DISTINCT FROM NEW.follow_class_name THEN
		PERFORM setClientClass4Order(NEW.id, NEW.follow_class_name, OLD.follow_class_name);
	END IF;
	IF OLD.depend_on_known_directly != NEW.depend_on_known_directly THEN
		PERFORM set_session_value('kea.depend_on_known_changed_class', CAST(NEW.id AS BIGINT));
	END IF;
	PERFORM checkDHCPv4ClientClassKnownDependencyChange();
	PERFORM createAuditEntryDHCP4('dhcp4_client_class', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_client_class_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP4('dhcp4_client_class', OLD.id, 'delete');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp4_client_class_check_dependency_BINS() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM checkDHCPv4ClientClassDependency(NEW.class_id, NEW.dependency_id);
	RETURN NEW;
END;
$$;
CREATE FUNCTION func_dhcp4_client_class_dependency_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM updateDHCPv4ClientClassKnownDependency(NEW.class_id, NEW.dependency_id);
	RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv6: as DHCPv4's above, plus prefix pools (option scope 6).
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION createAuditRevisionDHCP6(audit_ts TIMESTAMP WITH TIME ZONE,
                                         server_tag VARCHAR(64), audit_log_message TEXT,
                                         cascade_transaction BOOLEAN)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	srv_id BIGINT;
	rev_id BIGINT;
BEGIN
	IF NOT get_session_boolean('kea.disable_audit') THEN
		SELECT id INTO srv_id FROM dhcp6_server WHERE tag = server_tag;
		INSERT INTO dhcp6_audit_revision (modification_ts, server_id, log_message)
			VALUES (audit_ts, srv_id, audit_log_message) RETURNING id INTO rev_id;
		PERFORM set_session_value('kea.audit_revision_id', rev_id);
		PERFORM set_session_value('kea.cascade_transaction', cascade_transaction);
	END IF;
END;
$$;

CREATE FUNCTION createAuditEntryDHCP6(object_type_val VARCHAR(256), object_id_val BIGINT,
                                      modification_type_val VARCHAR(32))
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF NOT get_session_boolean('kea.disable_audit') THEN
		INSERT INTO dhcp6_audit (object_type, object_id, modification_type, revision_id)
			VALUES (object_type_val, object_id_val,
			        (SELECT id FROM modification WHERE modification_type = modification_type_val),
			        get_session_big_int('kea.audit_revision_id'));
	END IF;
END;
$$;

-- An option changed: audit it where it lives. A global option is an object of its own; a
-- subnet's, shared network's or pool's option is a change of that owner (touching the owner's
-- modification_ts fires the owner's update trigger). Host options are not audited.
CREATE FUNCTION createOptionAuditDHCP6(p_modification_type VARCHAR, p_scope_id SMALLINT,
                                       p_option_id INT, p_subnet_id BIGINT, p_host_id INT,
                                       p_network_name VARCHAR, p_pool_id BIGINT,
                                       p_pd_pool_id BIGINT,
                                       p_modification_ts TIMESTAMP WITH TIME ZONE)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF get_session_boolean('kea.cascade_transaction') THEN
		RETURN;
	END IF;
	IF p_scope_id = 0 THEN
		PERFORM createAuditEntryDHCP6('dhcp6_options', p_option_id, p_modification_type);
	ELSIF p_scope_id = 1 THEN
		UPDATE dhcp6_subnet SET modification_ts = p_modification_ts
			WHERE subnet_id = p_subnet_id;
	ELSIF p_scope_id = 4 THEN
		UPDATE dhcp6_shared_network SET modification_ts = p_modification_ts
			WHERE name = p_network_name;
	ELSIF p_scope_id = 5 THEN
		UPDATE dhcp6_subnet SET modification_ts = p_modification_ts
			WHERE subnet_id = (SELECT subnet_id FROM dhcp6_pool WHERE id = p_pool_id);
	ELSIF p_scope_id = 6 THEN
		UPDATE dhcp6_subnet SET modification_ts = p_modification_ts
			WHERE subnet_id = (SELECT subnet_id FROM dhcp6_pd_pool WHERE id = p_pd_pool_id);
	END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv6: client class order and dependencies. Classes are evaluated
-- in dhcp6_client_class_order.order_index order; a class may only depend on classes before
-- it; depend_on_known_indirectly records that a class depends on KNOWN/UNKNOWN through
-- another class.
-- ---------------------------------------------------------------------------------------

-- Place class @p_id after @p_follow (or last when NULL), shifting the later classes.
CREATE FUNCTION setClientClass6Order(p_id BIGINT, p_follow VARCHAR(128), p_old_follow VARCHAR(128))
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	idx BIGINT;
BEGIN
	IF p_follow IS NULL THEN
		SELECT COALESCE(MAX(order_index) + 1, 0) INTO idx FROM dhcp6_client_class_order
			WHERE class_id != p_id;
	ELSE
		SELECT o.order_index + 1 INTO idx FROM dhcp6_client_class_order AS o
			JOIN dhcp6_client_class AS c ON c.id = o.class_id WHERE c.name = p_follow;
		IF idx IS NULL THEN
			RAISE EXCEPTION 'Class % on which selected class depends doesn''t exist.', p_follow;
		END IF;
		UPDATE dhcp6_client_class_order SET order_index = order_index + 1
			WHERE order_index >= idx AND class_id != p_id;
	END IF;
	INSERT INTO dhcp6_client_class_order (class_id, order_index) VALUES (p_id, idx)
		ON CONFLICT (class_id) DO UPDATE SET order_index = idx;
END;
$$;

CREATE FUNCTION checkDHCPv6ClientClassDependency(p_class_id BIGINT, p_dependency_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	class_index BIGINT;
	dependency_index BIGINT;
BEGIN
	IF p_class_id IS NULL OR p_dependency_id IS NULL THEN
		RAISE EXCEPTION 'client class id and dependency id must not be NULL';
	END IF;
	SELECT order_index INTO class_index FROM dhcp6_client_class_order WHERE class_id = p_class_id;
	SELECT order_index INTO dependency_index FROM dhcp6_client_class_order
		WHERE class_id = p_dependency_id;
	IF dependency_index IS NULL OR class_index IS NULL OR dependency_index >= class_index THEN
		RAISE EXCEPTION 'Unable to set client class dependency: the dependency must be defined before the class.';
	END IF;
END;
$$;

CREATE FUNCTION updateDHCPv6ClientClassKnownDependency(child_id BIGINT, parent_id BIGINT)
RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM dhcp6_client_class AS c
	           JOIN dhcp6_client_class_order AS o ON o.class_id = c.id
	           WHERE c.id = parent_id
	           AND (c.depend_on_known_directly OR o.depend_on_known_indirectly)) THEN
		UPDATE dhcp6_client_class_order SET depend_on_known_indirectly = true
			WHERE class_id = child_id;
	END IF;
END;
$$;

-- A class that others depend on may not change whether it depends on KNOWN: the dependants'
-- evaluation order would silently change. The update trigger records the class in the session
-- value kea.depend_on_known_changed_class for this check.
CREATE FUNCTION checkDHCPv6ClientClassKnownDependencyChange() RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
	changed BIGINT := get_session_big_int('kea.depend_on_known_changed_class');
BEGIN
	IF changed IS NOT NULL THEN
		PERFORM set_config('kea.depend_on_known_changed_class', '', false);
		IF EXISTS (SELECT 1 FROM dhcp6_client_class_dependency WHERE dependency_id = changed) THEN
			RAISE EXCEPTION 'Unable to change the dependency on KNOWN/UNKNOWN of a class that other classes depend on.';
		END IF;
	END IF;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv6: the triggers' functions
-- ---------------------------------------------------------------------------------------

CREATE FUNCTION func_dhcp6_server_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_server', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_server_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_server', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_server_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_server', OLD.id, 'delete');
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp6_global_parameter_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_global_parameter', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_global_parameter_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_global_parameter', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_global_parameter_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_global_parameter', OLD.id, 'delete');
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp6_option_def_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_option_def', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_option_def_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_option_def', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_option_def_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_option_def', OLD.id, 'delete');
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp6_options_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createOptionAuditDHCP6('create', NEW.scope_id, NEW.option_id, NEW.dhcp6_subnet_id,
	                               NEW.host_id, NEW.shared_network_name, NEW.pool_id, NEW.pd_pool_id,
	                               NEW.modification_ts);
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_options_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createOptionAuditDHCP6('update', NEW.scope_id, NEW.option_id, NEW.dhcp6_subnet_id,
	                               NEW.host_id, NEW.shared_network_name, NEW.pool_id, NEW.pd_pool_id,
	                               NEW.modification_ts);
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_options_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createOptionAuditDHCP6('delete', OLD.scope_id, OLD.option_id, OLD.dhcp6_subnet_id,
	                               OLD.host_id, OLD.shared_network_name, OLD.pool_id, OLD.pd_pool_id,
	                               now());
	RETURN NULL;
END;
$$;

CREATE FUNCTION func_dhcp6_subnet_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_subnet', NEW.subnet_id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_subnet_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_subnet', NEW.subnet_id, 'update');
	RETURN NULL;
END;
$$;
-- A subnet takes its pools, prefix pools and their options along (the pools' foreign key does not cascade).
CREATE FUNCTION func_dhcp6_subnet_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_subnet', OLD.subnet_id, 'delete');
	DELETE FROM dhcp6_pool WHERE subnet_id = OLD.subnet_id;
	DELETE FROM dhcp6_pd_pool WHERE subnet_id = OLD.subnet_id;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp6_pool_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM dhcp6_options WHERE scope_id = 5 AND pool_id = OLD.id;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp6_pd_pool_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM dhcp6_options WHERE scope_id = 6 AND pd_pool_id = OLD.id;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp6_shared_network_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_shared_network', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_shared_network_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_shared_network', NEW.id, 'update');
	RETURN NULL;
END;
$$;
-- Kept for its name; the delete is audited before the row goes (func_..._BDEL).
CREATE FUNCTION func_dhcp6_shared_network_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_shared_network', OLD.id, 'delete');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_shared_network_BDEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_shared_network', OLD.id, 'delete');
	DELETE FROM dhcp6_options WHERE shared_network_name = OLD.name;
	RETURN OLD;
END;
$$;

CREATE FUNCTION func_dhcp6_client_class_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM setClientClass6Order(NEW.id, NEW.follow_class_name, NULL);
	PERFORM createAuditEntryDHCP6('dhcp6_client_class', NEW.id, 'create');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_client_class_AUPD() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.follow_class_name IS DISTINCT FROM NEW.follow_class_name THEN
		PERFORM setClientClass6Order(NEW.id, NEW.follow_class_name, OLD.follow_class_name);
	END IF;
	IF OLD.depend_on_known_directly != NEW.depend_on_known_directly THEN
		PERFORM set_session_value('kea.depend_on_known_changed_class', CAST(NEW.id AS BIGINT));
	END IF;
	PERFORM checkDHCPv6ClientClassKnownDependencyChange();
	PERFORM createAuditEntryDHCP6('dhcp6_client_class', NEW.id, 'update');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_client_class_ADEL() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM createAuditEntryDHCP6('dhcp6_client_class', OLD.id, 'delete');
	RETURN NULL;
END;
$$;
CREATE FUNCTION func_dhcp6_client_class_check_dependency_BINS() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM checkDHCPv6ClientClassDependency(NEW.class_id, NEW.dependency_id);
	RETURN NEW;
END;
$$;
CREATE FUNCTION func_dhcp6_client_class_dependency_AINS() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
	PERFORM updateDHCPv6ClientClassKnownDependency(NEW.class_id, NEW.dependency_id);
	RETURN NULL;
END;
$$;

-- ---------------------------------------------------------------------------------------
-- Triggers (created after their functions; the DROP ... CASCADE above removed old ones)
-- ---------------------------------------------------------------------------------------

CREATE TRIGGER dhcp4_audit_modification_ts_update AFTER UPDATE ON dhcp4_audit FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_audit_revision_modification_ts_update AFTER UPDATE ON dhcp4_audit_revision FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_client_class_adel AFTER DELETE ON dhcp4_client_class FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_client_class_adel();
CREATE TRIGGER dhcp4_client_class_ains AFTER INSERT ON dhcp4_client_class FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_client_class_ains();
CREATE TRIGGER dhcp4_client_class_aupd AFTER UPDATE ON dhcp4_client_class FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_client_class_aupd();
CREATE TRIGGER dhcp4_client_class_check_dependency_bins BEFORE INSERT ON dhcp4_client_class_dependency FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_client_class_check_dependency_bins();
CREATE TRIGGER dhcp4_client_class_dependency_ains AFTER INSERT ON dhcp4_client_class_dependency FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_client_class_dependency_ains();
CREATE TRIGGER dhcp4_global_parameter_adel AFTER DELETE ON dhcp4_global_parameter FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_global_parameter_adel();
CREATE TRIGGER dhcp4_global_parameter_ains AFTER INSERT ON dhcp4_global_parameter FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_global_parameter_ains();
CREATE TRIGGER dhcp4_global_parameter_aupd AFTER UPDATE ON dhcp4_global_parameter FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_global_parameter_aupd();
CREATE TRIGGER dhcp4_global_parameter_modification_ts_update AFTER UPDATE ON dhcp4_global_parameter FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_global_parameter_server_modification_ts_update AFTER UPDATE ON dhcp4_global_parameter_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_option_def_adel AFTER DELETE ON dhcp4_option_def FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_option_def_adel();
CREATE TRIGGER dhcp4_option_def_ains AFTER INSERT ON dhcp4_option_def FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_option_def_ains();
CREATE TRIGGER dhcp4_option_def_aupd AFTER UPDATE ON dhcp4_option_def FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_option_def_aupd();
CREATE TRIGGER dhcp4_option_def_modification_ts_update AFTER UPDATE ON dhcp4_option_def FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_option_def_server_modification_ts_update AFTER UPDATE ON dhcp4_option_def_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_options_adel AFTER DELETE ON dhcp4_options FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_options_adel();
CREATE TRIGGER dhcp4_options_ains AFTER INSERT ON dhcp4_options FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_options_ains();
CREATE TRIGGER dhcp4_options_aupd AFTER UPDATE ON dhcp4_options FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_options_aupd();
CREATE TRIGGER dhcp4_options_modification_ts_update AFTER UPDATE ON dhcp4_options FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_options_server_modification_ts_update AFTER UPDATE ON dhcp4_options_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_pool_bdel BEFORE DELETE ON dhcp4_pool FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_pool_bdel();
CREATE TRIGGER dhcp4_pool_modification_ts_update AFTER UPDATE ON dhcp4_pool FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_server_adel AFTER DELETE ON dhcp4_server FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_server_adel();
CREATE TRIGGER dhcp4_server_ains AFTER INSERT ON dhcp4_server FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_server_ains();
CREATE TRIGGER dhcp4_server_aupd AFTER UPDATE ON dhcp4_server FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_server_aupd();
CREATE TRIGGER dhcp4_server_modification_ts_update AFTER UPDATE ON dhcp4_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_shared_network_ains AFTER INSERT ON dhcp4_shared_network FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_shared_network_ains();
CREATE TRIGGER dhcp4_shared_network_aupd AFTER UPDATE ON dhcp4_shared_network FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_shared_network_aupd();
CREATE TRIGGER dhcp4_shared_network_bdel BEFORE DELETE ON dhcp4_shared_network FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_shared_network_bdel();
CREATE TRIGGER dhcp4_shared_network_modification_ts_update AFTER UPDATE ON dhcp4_shared_network FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_subnet_ains AFTER INSERT ON dhcp4_subnet FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_subnet_ains();
CREATE TRIGGER dhcp4_subnet_aupd AFTER UPDATE ON dhcp4_subnet FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_subnet_aupd();
CREATE TRIGGER dhcp4_subnet_bdel BEFORE DELETE ON dhcp4_subnet FOR EACH ROW EXECUTE PROCEDURE func_dhcp4_subnet_bdel();
CREATE TRIGGER dhcp4_subnet_modification_ts_update AFTER UPDATE ON dhcp4_subnet FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp4_subnet_server_modification_ts_update AFTER UPDATE ON dhcp4_subnet_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_audit_modification_ts_update AFTER UPDATE ON dhcp6_audit FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_audit_revision_modification_ts_update AFTER UPDATE ON dhcp6_audit_revision FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_client_class_adel AFTER DELETE ON dhcp6_client_class FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_client_class_adel();
CREATE TRIGGER dhcp6_client_class_ains AFTER INSERT ON dhcp6_client_class FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_client_class_ains();
CREATE TRIGGER dhcp6_client_class_aupd AFTER UPDATE ON dhcp6_client_class FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_client_class_aupd();
CREATE TRIGGER dhcp6_client_class_check_dependency_bins BEFORE INSERT ON dhcp6_client_class_dependency FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_client_class_check_dependency_bins();
CREATE TRIGGER dhcp6_client_class_dependency_ains AFTER INSERT ON dhcp6_client_class_dependency FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_client_class_dependency_ains();
CREATE TRIGGER dhcp6_global_parameter_adel AFTER DELETE ON dhcp6_global_parameter FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_global_parameter_adel();
CREATE TRIGGER dhcp6_global_parameter_ains AFTER INSERT ON dhcp6_global_parameter FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_global_parameter_ains();
CREATE TRIGGER dhcp6_global_parameter_aupd AFTER UPDATE ON dhcp6_global_parameter FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_global_parameter_aupd();
CREATE TRIGGER dhcp6_global_parameter_modification_ts_update AFTER UPDATE ON dhcp6_global_parameter FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_global_parameter_server_modification_ts_update AFTER UPDATE ON dhcp6_global_parameter_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_option_def_adel AFTER DELETE ON dhcp6_option_def FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_option_def_adel();
CREATE TRIGGER dhcp6_option_def_ains AFTER INSERT ON dhcp6_option_def FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_option_def_ains();
CREATE TRIGGER dhcp6_option_def_aupd AFTER UPDATE ON dhcp6_option_def FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_option_def_aupd();
CREATE TRIGGER dhcp6_option_def_modification_ts_update AFTER UPDATE ON dhcp6_option_def FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_option_def_server_modification_ts_update AFTER UPDATE ON dhcp6_option_def_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_options_adel AFTER DELETE ON dhcp6_options FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_options_adel();
CREATE TRIGGER dhcp6_options_ains AFTER INSERT ON dhcp6_options FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_options_ains();
CREATE TRIGGER dhcp6_options_aupd AFTER UPDATE ON dhcp6_options FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_options_aupd();
CREATE TRIGGER dhcp6_options_modification_ts_update AFTER UPDATE ON dhcp6_options FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_options_server_modification_ts_update AFTER UPDATE ON dhcp6_options_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_pd_pool_modification_ts_update AFTER UPDATE ON dhcp6_pd_pool FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_pool_bdel BEFORE DELETE ON dhcp6_pool FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_pool_bdel();
CREATE TRIGGER dhcp6_pool_modification_ts_update AFTER UPDATE ON dhcp6_pool FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_server_adel AFTER DELETE ON dhcp6_server FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_server_adel();
CREATE TRIGGER dhcp6_server_ains AFTER INSERT ON dhcp6_server FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_server_ains();
CREATE TRIGGER dhcp6_server_aupd AFTER UPDATE ON dhcp6_server FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_server_aupd();
CREATE TRIGGER dhcp6_server_modification_ts_update AFTER UPDATE ON dhcp6_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
-- Sic: Kea's schema puts this one on dhcp6_server; kept so that the catalogue is Kea's.
CREATE TRIGGER dhcp6_subnet_modification_ts_update AFTER UPDATE ON dhcp6_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_shared_network_ains AFTER INSERT ON dhcp6_shared_network FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_shared_network_ains();
CREATE TRIGGER dhcp6_shared_network_aupd AFTER UPDATE ON dhcp6_shared_network FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_shared_network_aupd();
CREATE TRIGGER dhcp6_shared_network_bdel BEFORE DELETE ON dhcp6_shared_network FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_shared_network_bdel();
CREATE TRIGGER dhcp6_shared_network_modification_ts_update AFTER UPDATE ON dhcp6_shared_network FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER dhcp6_subnet_ains AFTER INSERT ON dhcp6_subnet FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_subnet_ains();
CREATE TRIGGER dhcp6_subnet_aupd AFTER UPDATE ON dhcp6_subnet FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_subnet_aupd();
CREATE TRIGGER dhcp6_subnet_bdel BEFORE DELETE ON dhcp6_subnet FOR EACH ROW EXECUTE PROCEDURE func_dhcp6_subnet_bdel();
CREATE TRIGGER dhcp6_subnet_server_modification_ts_update AFTER UPDATE ON dhcp6_subnet_server FOR EACH ROW EXECUTE PROCEDURE modification_ts_update();
CREATE TRIGGER lease4_adel AFTER DELETE ON lease4 FOR EACH ROW EXECUTE PROCEDURE func_lease4_adel();
CREATE TRIGGER lease4_ains AFTER INSERT ON lease4 FOR EACH ROW EXECUTE PROCEDURE func_lease4_ains();
CREATE TRIGGER lease4_aupd AFTER UPDATE ON lease4 FOR EACH ROW EXECUTE PROCEDURE func_lease4_aupd();
CREATE TRIGGER lease6_adel AFTER DELETE ON lease6 FOR EACH ROW EXECUTE PROCEDURE func_lease6_adel();
CREATE TRIGGER lease6_ains AFTER INSERT ON lease6 FOR EACH ROW EXECUTE PROCEDURE func_lease6_ains();
CREATE TRIGGER lease6_aupd AFTER UPDATE ON lease6 FOR EACH ROW EXECUTE PROCEDURE func_lease6_aupd();
