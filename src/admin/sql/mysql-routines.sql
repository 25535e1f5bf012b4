-- Kea 2.4's MySQL schema 19.0: routines and triggers (lessor-admin db-init step 2, and
-- db-upgrade, which drops 14.0's and runs this file again, so both end with the same bodies).
-- Written for lessor. What lessor (and Kea's lease code) rely on is the lease part: the
-- triggers keep lease4_stat / lease4_pool_stat / lease4_stat_by_client_class (and the v6
-- tables), counting states 0 (default) and 1 (declined) only, clamping at 0; lease-dump's
-- lease4DumpHeader/lease4DumpData. The configuration-backend part (audit, option, client
-- class order) keeps Kea's names and signatures so that Kea's tools can take the database over;
-- lessor does not use Kea's config backend.
-- Portable to MySQL 8 (no CREATE OR REPLACE for routines): every object is dropped first.

DROP TRIGGER IF EXISTS dhcp4_client_class_ADEL;
DROP TRIGGER IF EXISTS dhcp4_client_class_AINS;
DROP TRIGGER IF EXISTS dhcp4_client_class_AUPD;
DROP TRIGGER IF EXISTS dhcp4_client_class_check_dependency_BINS;
DROP TRIGGER IF EXISTS dhcp4_client_class_dependency_AINS;
DROP TRIGGER IF EXISTS dhcp4_global_parameter_ADEL;
DROP TRIGGER IF EXISTS dhcp4_global_parameter_AINS;
DROP TRIGGER IF EXISTS dhcp4_global_parameter_AUPD;
DROP TRIGGER IF EXISTS dhcp4_option_def_ADEL;
DROP TRIGGER IF EXISTS dhcp4_option_def_AINS;
DROP TRIGGER IF EXISTS dhcp4_option_def_AUPD;
DROP TRIGGER IF EXISTS dhcp4_options_ADEL;
DROP TRIGGER IF EXISTS dhcp4_options_AINS;
DROP TRIGGER IF EXISTS dhcp4_options_AUPD;
DROP TRIGGER IF EXISTS dhcp4_pool_BDEL;
DROP TRIGGER IF EXISTS dhcp4_server_ADEL;
DROP TRIGGER IF EXISTS dhcp4_server_AINS;
DROP TRIGGER IF EXISTS dhcp4_server_AUPD;
DROP TRIGGER IF EXISTS dhcp4_shared_network_AINS;
DROP TRIGGER IF EXISTS dhcp4_shared_network_AUPD;
DROP TRIGGER IF EXISTS dhcp4_shared_network_BDEL;
DROP TRIGGER IF EXISTS dhcp4_subnet_AINS;
DROP TRIGGER IF EXISTS dhcp4_subnet_AUPD;
DROP TRIGGER IF EXISTS dhcp4_subnet_BDEL;
DROP TRIGGER IF EXISTS dhcp6_client_class_ADEL;
DROP TRIGGER IF EXISTS dhcp6_client_class_AINS;
DROP TRIGGER IF EXISTS dhcp6_client_class_AUPD;
DROP TRIGGER IF EXISTS dhcp6_client_class_check_dependency_BINS;
DROP TRIGGER IF EXISTS dhcp6_client_class_dependency_AINS;
DROP TRIGGER IF EXISTS dhcp6_global_parameter_ADEL;
DROP TRIGGER IF EXISTS dhcp6_global_parameter_AINS;
DROP TRIGGER IF EXISTS dhcp6_global_parameter_AUPD;
DROP TRIGGER IF EXISTS dhcp6_option_def_ADEL;
DROP TRIGGER IF EXISTS dhcp6_option_def_AINS;
DROP TRIGGER IF EXISTS dhcp6_option_def_AUPD;
DROP TRIGGER IF EXISTS dhcp6_options_ADEL;
DROP TRIGGER IF EXISTS dhcp6_options_AINS;
DROP TRIGGER IF EXISTS dhcp6_options_AUPD;
DROP TRIGGER IF EXISTS dhcp6_pd_pool_BDEL;
DROP TRIGGER IF EXISTS dhcp6_pool_BDEL;
DROP TRIGGER IF EXISTS dhcp6_server_ADEL;
DROP TRIGGER IF EXISTS dhcp6_server_AINS;
DROP TRIGGER IF EXISTS dhcp6_server_AUPD;
DROP TRIGGER IF EXISTS dhcp6_shared_network_AINS;
DROP TRIGGER IF EXISTS dhcp6_shared_network_AUPD;
DROP TRIGGER IF EXISTS dhcp6_shared_network_BDEL;
DROP TRIGGER IF EXISTS dhcp6_subnet_AINS;
DROP TRIGGER IF EXISTS dhcp6_subnet_AUPD;
DROP TRIGGER IF EXISTS dhcp6_subnet_BDEL;
DROP TRIGGER IF EXISTS lease4_ADEL;
DROP TRIGGER IF EXISTS lease4_AINS;
DROP TRIGGER IF EXISTS lease4_AUPD;
DROP TRIGGER IF EXISTS lease6_ADEL;
DROP TRIGGER IF EXISTS lease6_AINS;
DROP TRIGGER IF EXISTS lease6_AUPD;
DROP PROCEDURE IF EXISTS checkdhcpv4clientclassdependency;
DROP PROCEDURE IF EXISTS checkdhcpv4clientclassknowndependencychange;
DROP PROCEDURE IF EXISTS checkdhcpv6clientclassdependency;
DROP PROCEDURE IF EXISTS checkdhcpv6clientclassknowndependencychange;
DROP FUNCTION IF EXISTS checklease4limits;
DROP FUNCTION IF EXISTS checklease6limits;
DROP FUNCTION IF EXISTS colonseparatedhex;
DROP PROCEDURE IF EXISTS createauditentrydhcp4;
DROP PROCEDURE IF EXISTS createauditentrydhcp6;
DROP PROCEDURE IF EXISTS createauditrevisiondhcp4;
DROP PROCEDURE IF EXISTS createauditrevisiondhcp6;
DROP PROCEDURE IF EXISTS createoptionauditdhcp4;
DROP PROCEDURE IF EXISTS createoptionauditdhcp6;
DROP FUNCTION IF EXISTS isjsonsupported;
DROP PROCEDURE IF EXISTS lease4_adel_lease4_pool_stat;
DROP PROCEDURE IF EXISTS lease4_adel_lease4_stat;
DROP PROCEDURE IF EXISTS lease4_adel_lease4_stat_by_client_class;
DROP PROCEDURE IF EXISTS lease4_ains_lease4_pool_stat;
DROP PROCEDURE IF EXISTS lease4_ains_lease4_stat;
DROP PROCEDURE IF EXISTS lease4_ains_lease4_stat_by_client_class;
DROP PROCEDURE IF EXISTS lease4_aupd_lease4_pool_stat;
DROP PROCEDURE IF EXISTS lease4_aupd_lease4_stat;
DROP PROCEDURE IF EXISTS lease4_aupd_lease4_stat_by_client_class;
DROP PROCEDURE IF EXISTS lease4dumpdata;
DROP PROCEDURE IF EXISTS lease4dumpheader;
DROP PROCEDURE IF EXISTS lease4upload;
DROP PROCEDURE IF EXISTS lease6_adel_lease6_pool_stat;
DROP PROCEDURE IF EXISTS lease6_adel_lease6_stat;
DROP PROCEDURE IF EXISTS lease6_adel_lease6_stat_by_client_class;
DROP PROCEDURE IF EXISTS lease6_ains_lease6_pool_stat;
DROP PROCEDURE IF EXISTS lease6_ains_lease6_stat;
DROP PROCEDURE IF EXISTS lease6_ains_lease6_stat_by_client_class;
DROP PROCEDURE IF EXISTS lease6_aupd_lease6_pool_stat;
DROP PROCEDURE IF EXISTS lease6_aupd_lease6_stat;
DROP PROCEDURE IF EXISTS lease6_aupd_lease6_stat_by_client_class;
DROP PROCEDURE IF EXISTS lease6dumpdata;
DROP PROCEDURE IF EXISTS lease6dumpheader;
DROP PROCEDURE IF EXISTS lease6upload;
DROP PROCEDURE IF EXISTS setclientclass4order;
DROP PROCEDURE IF EXISTS setclientclass6order;
DROP PROCEDURE IF EXISTS updatedhcpv4clientclassknowndependency;
DROP PROCEDURE IF EXISTS updatedhcpv6clientclassknowndependency;

DELIMITER $$

-- ---------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------

-- Whether the server has the JSON functions the client-class counters need (MySQL >= 5.7.8,
-- MariaDB >= 10.2): probed, not guessed from the version string.
CREATE FUNCTION isJsonSupported() RETURNS BOOL NOT DETERMINISTIC READS SQL DATA
BEGIN
	DECLARE probe INT DEFAULT NULL;
	DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET probe = NULL;
	SET probe = JSON_VALID('{}');
	RETURN probe IS NOT NULL;
END $$

-- "aabbcc" -> "aa:bb:cc" (lease dumps print hardware addresses and client ids so).
CREATE FUNCTION colonSeparatedHex(hex VARCHAR(1024)) RETURNS VARCHAR(1536) DETERMINISTIC
BEGIN
	DECLARE i INT DEFAULT 3;
	DECLARE result VARCHAR(1536) DEFAULT '';
	IF hex IS NULL OR hex = '' THEN
		RETURN '';
	END IF;
	SET result = SUBSTRING(hex, 1, 2);
	WHILE i <= LENGTH(hex) DO
		SET result = CONCAT(result, ':', SUBSTRING(hex, i, 2));
		SET i = i + 2;
	END WHILE;
	RETURN LOWER(result);
END $$

-- ---------------------------------------------------------------------------------------
-- lease4 statistics, kept by the lease4 triggers below. Only states 0 (default) and
-- 1 (declined) are counted; a decrement never goes below 0.
-- ---------------------------------------------------------------------------------------

CREATE PROCEDURE lease4_AINS_lease4_stat(IN new_state TINYINT, IN new_subnet_id INT UNSIGNED)
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease4_stat (subnet_id, state, leases) VALUES (new_subnet_id, new_state, 1)
			ON DUPLICATE KEY UPDATE leases = leases + 1;
	END IF;
END $$

CREATE PROCEDURE lease4_ADEL_lease4_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED)
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease4_stat SET leases = IF(leases > 0, leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND state = old_state;
	END IF;
END $$

CREATE PROCEDURE lease4_AUPD_lease4_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                         IN new_state TINYINT, IN new_subnet_id INT UNSIGNED)
BEGIN
	IF old_subnet_id != new_subnet_id OR old_state != new_state THEN
		CALL lease4_ADEL_lease4_stat(old_state, old_subnet_id);
		CALL lease4_AINS_lease4_stat(new_state, new_subnet_id);
	END IF;
END $$

CREATE PROCEDURE lease4_AINS_lease4_pool_stat(IN new_state TINYINT, IN new_subnet_id INT UNSIGNED,
                                              IN new_pool_id INT UNSIGNED)
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease4_pool_stat (subnet_id, pool_id, state, leases)
			VALUES (new_subnet_id, new_pool_id, new_state, 1)
			ON DUPLICATE KEY UPDATE leases = leases + 1;
	END IF;
END $$

CREATE PROCEDURE lease4_ADEL_lease4_pool_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                              IN old_pool_id INT UNSIGNED)
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease4_pool_stat SET leases = IF(leases > 0, leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND pool_id = old_pool_id AND state = old_state;
	END IF;
END $$

CREATE PROCEDURE lease4_AUPD_lease4_pool_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                              IN old_pool_id INT UNSIGNED, IN new_state TINYINT,
                                              IN new_subnet_id INT UNSIGNED,
                                              IN new_pool_id INT UNSIGNED)
BEGIN
	IF old_subnet_id != new_subnet_id OR old_pool_id != new_pool_id OR old_state != new_state THEN
		CALL lease4_ADEL_lease4_pool_stat(old_state, old_subnet_id, old_pool_id);
		CALL lease4_AINS_lease4_pool_stat(new_state, new_subnet_id, new_pool_id);
	END IF;
END $$

-- Lease limiting (Kea's limits hook): leases per client class, from the classes a lease's
-- user context lists under ISC.client-classes. Only state 0 leases are counted.
CREATE PROCEDURE lease4_AINS_lease4_stat_by_client_class(IN new_state TINYINT,
                                                         IN new_user_context TEXT)
BEGIN
	DECLARE classes JSON DEFAULT NULL;
	DECLARE i INT DEFAULT 0;
	IF new_state = 0 AND new_user_context IS NOT NULL AND JSON_VALID(new_user_context) THEN
		SET classes = JSON_EXTRACT(new_user_context, '$."ISC"."client-classes"');
		WHILE classes IS NOT NULL AND i < JSON_LENGTH(classes) DO
			INSERT INTO lease4_stat_by_client_class (client_class, leases)
				VALUES (JSON_UNQUOTE(JSON_EXTRACT(classes, CONCAT('$[', i, ']'))), 1)
				ON DUPLICATE KEY UPDATE leases = leases + 1;
			SET i = i + 1;
		END WHILE;
	END IF;
END $$

CREATE PROCEDURE lease4_ADEL_lease4_stat_by_client_class(IN old_state TINYINT,
                                                         IN old_user_context TEXT)
BEGIN
	DECLARE classes JSON DEFAULT NULL;
	DECLARE i INT DEFAULT 0;
	IF old_state = 0 AND old_user_context IS NOT NULL AND JSON_VALID(old_user_context) THEN
		SET classes = JSON_EXTRACT(old_user_context, '$."ISC"."client-classes"');
		WHILE classes IS NOT NULL AND i < JSON_LENGTH(classes) DO
			UPDATE lease4_stat_by_client_class SET leases = IF(leases > 0, leases - 1, 0)
				WHERE client_class = JSON_UNQUOTE(JSON_EXTRACT(classes, CONCAT('$[', i, ']')));
			SET i = i + 1;
		END WHILE;
	END IF;
END $$

CREATE PROCEDURE lease4_AUPD_lease4_stat_by_client_class(IN old_state TINYINT,
                                                         IN old_user_context TEXT,
                                                         IN new_state TINYINT,
                                                         IN new_user_context TEXT)
BEGIN
	IF old_state != new_state OR NOT (old_user_context <=> new_user_context) THEN
		CALL lease4_ADEL_lease4_stat_by_client_class(old_state, old_user_context);
		CALL lease4_AINS_lease4_stat_by_client_class(new_state, new_user_context);
	END IF;
END $$

-- Kea's limits hook: '' when the lease's ISC.limits allow another lease, else the first limit
-- that is reached (as JSON text).
CREATE FUNCTION checkLease4Limits(user_context TEXT) RETURNS TEXT READS SQL DATA
BEGIN
	DECLARE limits JSON DEFAULT NULL;
	DECLARE lim JSON;
	DECLARE i INT DEFAULT 0;
	DECLARE cap BIGINT;
	DECLARE cls VARCHAR(128);
	DECLARE sid INT UNSIGNED;
	DECLARE used BIGINT;
	IF user_context IS NULL OR NOT JSON_VALID(user_context) THEN
		RETURN '';
	END IF;
	SET limits = JSON_EXTRACT(user_context, '$."ISC"."limits"');
	WHILE limits IS NOT NULL AND i < JSON_LENGTH(limits) DO
		SET lim = JSON_EXTRACT(limits, CONCAT('$[', i, ']'));
		SET cap = JSON_EXTRACT(lim, '$."address-limit"');
		SET cls = JSON_UNQUOTE(JSON_EXTRACT(lim, '$."client-class"'));
		SET sid = JSON_EXTRACT(lim, '$."subnet-id"');
		SET used = NULL;
		IF cap IS NOT NULL AND cls IS NOT NULL THEN
			SELECT leases INTO used FROM lease4_stat_by_client_class WHERE client_class = cls;
		ELSEIF cap IS NOT NULL AND sid IS NOT NULL THEN
			SELECT SUM(leases) INTO used FROM lease4_stat WHERE subnet_id = sid AND state = 0;
		END IF;
		IF cap IS NOT NULL AND IFNULL(used, 0) >= cap THEN
			RETURN lim;
		END IF;
		SET i = i + 1;
	END WHILE;
	RETURN '';
END $$

-- ---------------------------------------------------------------------------------------
-- lease6 statistics: as lease4's, keyed by lease type too.
-- ---------------------------------------------------------------------------------------

CREATE PROCEDURE lease6_AINS_lease6_stat(IN new_state TINYINT, IN new_subnet_id INT UNSIGNED,
                                         IN new_lease_type TINYINT)
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease6_stat (subnet_id, lease_type, state, leases)
			VALUES (new_subnet_id, new_lease_type, new_state, 1)
			ON DUPLICATE KEY UPDATE leases = leases + 1;
	END IF;
END $$

CREATE PROCEDURE lease6_ADEL_lease6_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                         IN old_lease_type TINYINT)
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease6_stat SET leases = IF(leases > 0, leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND lease_type = old_lease_type
			AND state = old_state;
	END IF;
END $$

CREATE PROCEDURE lease6_AUPD_lease6_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                         IN old_lease_type TINYINT, IN new_state TINYINT,
                                         IN new_subnet_id INT UNSIGNED, IN new_lease_type TINYINT)
BEGIN
	IF old_subnet_id != new_subnet_id OR old_lease_type != new_lease_type
	   OR old_state != new_state THEN
		CALL lease6_ADEL_lease6_stat(old_state, old_subnet_id, old_lease_type);
		CALL lease6_AINS_lease6_stat(new_state, new_subnet_id, new_lease_type);
	END IF;
END $$

CREATE PROCEDURE lease6_AINS_lease6_pool_stat(IN new_state TINYINT, IN new_subnet_id INT UNSIGNED,
                                              IN new_pool_id INT UNSIGNED,
                                              IN new_lease_type TINYINT)
BEGIN
	IF new_state = 0 OR new_state = 1 THEN
		INSERT INTO lease6_pool_stat (subnet_id, pool_id, lease_type, state, leases)
			VALUES (new_subnet_id, new_pool_id, new_lease_type, new_state, 1)
			ON DUPLICATE KEY UPDATE leases = leases + 1;
	END IF;
END $$

CREATE PROCEDURE lease6_ADEL_lease6_pool_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                              IN old_pool_id INT UNSIGNED,
                                              IN old_lease_type TINYINT)
BEGIN
	IF old_state = 0 OR old_state = 1 THEN
		UPDATE lease6_pool_stat SET leases = IF(leases > 0, leases - 1, 0)
			WHERE subnet_id = old_subnet_id AND pool_id = old_pool_id
			AND lease_type = old_lease_type AND state = old_state;
	END IF;
END $$

CREATE PROCEDURE lease6_AUPD_lease6_pool_stat(IN old_state TINYINT, IN old_subnet_id INT UNSIGNED,
                                              IN old_pool_id INT UNSIGNED,
                                              IN old_lease_type TINYINT, IN new_state TINYINT,
                                              IN new_subnet_id INT UNSIGNED,
                                              IN new_pool_id INT UNSIGNED,
                                              IN new_lease_type TINYINT)
BEGIN
	IF old_subnet_id != new_subnet_id OR old_pool_id != new_pool_id
	   OR old_lease_type != new_lease_type OR old_state != new_state THEN
		CALL lease6_ADEL_lease6_pool_stat(old_state, old_subnet_id, old_pool_id, old_lease_type);
		CALL lease6_AINS_lease6_pool_stat(new_state, new_subnet_id, new_pool_id, new_lease_type);
	END IF;
END $$

CREATE PROCEDURE lease6_AINS_lease6_stat_by_client_class(IN new_state TINYINT,
                                                         IN new_user_context TEXT,
                                                         IN new_lease_type TINYINT)
BEGIN
	DECLARE classes JSON DEFAULT NULL;
	DECLARE i INT DEFAULT 0;
	IF new_state = 0 AND new_user_context IS NOT NULL AND JSON_VALID(new_user_context) THEN
		SET classes = JSON_EXTRACT(new_user_context, '$."ISC"."client-classes"');
		WHILE classes IS NOT NULL AND i < JSON_LENGTH(classes) DO
			INSERT INTO lease6_stat_by_client_class (client_class, lease_type, leases)
				VALUES (JSON_UNQUOTE(JSON_EXTRACT(classes, CONCAT('$[', i, ']'))),
				        new_lease_type, 1)
				ON DUPLICATE KEY UPDATE leases = leases + 1;
			SET i = i + 1;
		END WHILE;
	END IF;
END $$

CREATE PROCEDURE lease6_ADEL_lease6_stat_by_client_class(IN old_state TINYINT,
                                                         IN old_user_context TEXT,
                                                         IN old_lease_type TINYINT)
BEGIN
	DECLARE classes JSON DEFAULT NULL;
	DECLARE i INT DEFAULT 0;
	IF old_state = 0 AND old_user_context IS NOT NULL AND JSON_VALID(old_user_context) THEN
		SET classes = JSON_EXTRACT(old_user_context, '$."ISC"."client-classes"');
		WHILE classes IS NOT NULL AND i < JSON_LENGTH(classes) DO
			UPDATE lease6_stat_by_client_class SET leases = IF(leases > 0, leases - 1, 0)
				WHERE client_class = JSON_UNQUOTE(JSON_EXTRACT(classes, CONCAT('$[', i, ']')))
				AND lease_type = old_lease_type;
			SET i = i + 1;
		END WHILE;
	END IF;
END $$

CREATE PROCEDURE lease6_AUPD_lease6_stat_by_client_class(IN old_state TINYINT,
                                                         IN old_user_context TEXT,
                                                         IN old_lease_type TINYINT,
                                                         IN new_state TINYINT,
                                                         IN new_user_context TEXT,
                                                         IN new_lease_type TINYINT)
BEGIN
	IF old_state != new_state OR old_lease_type != new_lease_type
	   OR NOT (old_user_context <=> new_user_context) THEN
		CALL lease6_ADEL_lease6_stat_by_client_class(old_state, old_user_context, old_lease_type);
		CALL lease6_AINS_lease6_stat_by_client_class(new_state, new_user_context, new_lease_type);
	END IF;
END $$

-- As checkLease4Limits; "address-limit" counts IA_NA leases (type 0), "prefix-limit" IA_PD (2).
CREATE FUNCTION checkLease6Limits(user_context TEXT) RETURNS TEXT READS SQL DATA
BEGIN
	DECLARE limits JSON DEFAULT NULL;
	DECLARE lim JSON;
	DECLARE i INT DEFAULT 0;
	DECLARE t INT DEFAULT 0;
	DECLARE cap BIGINT;
	DECLARE cls VARCHAR(128);
	DECLARE sid INT UNSIGNED;
	DECLARE used BIGINT;
	IF user_context IS NULL OR NOT JSON_VALID(user_context) THEN
		RETURN '';
	END IF;
	SET limits = JSON_EXTRACT(user_context, '$."ISC"."limits"');
	WHILE limits IS NOT NULL AND i < JSON_LENGTH(limits) DO
		SET lim = JSON_EXTRACT(limits, CONCAT('$[', i, ']'));
		SET cls = JSON_UNQUOTE(JSON_EXTRACT(lim, '$."client-class"'));
		SET sid = JSON_EXTRACT(lim, '$."subnet-id"');
		SET t = 0;
		WHILE t <= 2 DO
			SET cap = JSON_EXTRACT(lim, IF(t = 0, '$."address-limit"', '$."prefix-limit"'));
			SET used = NULL;
			IF cap IS NOT NULL AND cls IS NOT NULL THEN
				SELECT leases INTO used FROM lease6_stat_by_client_class
					WHERE client_class = cls AND lease_type = t;
			ELSEIF cap IS NOT NULL AND sid IS NOT NULL THEN
				SELECT SUM(leases) INTO used FROM lease6_stat
					WHERE subnet_id = sid AND lease_type = t AND state = 0;
			END IF;
			IF cap IS NOT NULL AND IFNULL(used, 0) >= cap THEN
				RETURN lim;
			END IF;
			SET t = t + 2;
		END WHILE;
		SET i = i + 1;
	END WHILE;
	RETURN '';
END $$

-- ---------------------------------------------------------------------------------------
-- Lease dump and upload (kea-admin lease-dump / lease-upload): the memfile CSV columns, with
-- the CSV separator in hostname and user_context escaped as &#x2c.
-- ---------------------------------------------------------------------------------------

CREATE PROCEDURE lease4DumpHeader()
BEGIN
	SELECT 'address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,user_context,pool_id';
END $$

CREATE PROCEDURE lease4DumpData()
BEGIN
	SELECT INET_NTOA(address), colonSeparatedHex(HEX(hwaddr)), colonSeparatedHex(HEX(client_id)),
	       valid_lifetime, UNIX_TIMESTAMP(expire), subnet_id, fqdn_fwd, fqdn_rev,
	       REPLACE(hostname, ',', '&#x2c'), state,
	       IFNULL(REPLACE(user_context, ',', '&#x2c'), ''), pool_id
	FROM lease4 ORDER BY address;
END $$

CREATE PROCEDURE lease6DumpHeader()
BEGIN
	SELECT 'address,duid,valid_lifetime,expire,subnet_id,pref_lifetime,lease_type,iaid,prefix_len,fqdn_fwd,fqdn_rev,hostname,hwaddr,state,user_context,hwtype,hwaddr_source,pool_id';
END $$

CREATE PROCEDURE lease6DumpData()
BEGIN
	SELECT INET6_NTOA(address), colonSeparatedHex(HEX(duid)), valid_lifetime,
	       UNIX_TIMESTAMP(expire), subnet_id, pref_lifetime, lease_type, iaid, prefix_len,
	       fqdn_fwd, fqdn_rev, REPLACE(hostname, ',', '&#x2c'), colonSeparatedHex(HEX(hwaddr)),
	       state, IFNULL(REPLACE(user_context, ',', '&#x2c'), ''), hwtype, hwaddr_source, pool_id
	FROM lease6 ORDER BY address;
END $$

CREATE PROCEDURE lease4Upload(IN address VARCHAR(15), IN hwaddr VARCHAR(20),
                              IN client_id VARCHAR(128), IN valid_lifetime INT UNSIGNED,
                              IN expire BIGINT UNSIGNED, IN subnet_id INT UNSIGNED,
                              IN fqdn_fwd TINYINT, IN fqdn_rev TINYINT, IN hostname VARCHAR(255),
                              IN state INT UNSIGNED, IN user_context TEXT,
                              IN pool_id INT UNSIGNED)
BEGIN
	INSERT INTO lease4 (address, hwaddr, client_id, valid_lifetime, expire, subnet_id, fqdn_fwd,
	                    fqdn_rev, hostname, state, user_context, pool_id)
	VALUES (INET_ATON(address), UNHEX(REPLACE(hwaddr, ':', '')),
	        UNHEX(REPLACE(client_id, ':', '')), valid_lifetime, FROM_UNIXTIME(expire), subnet_id,
	        fqdn_fwd, fqdn_rev, REPLACE(hostname, '&#x2c', ','), state,
	        REPLACE(user_context, '&#x2c', ','), pool_id);
END $$

CREATE PROCEDURE lease6Upload(IN address VARCHAR(39), IN duid VARCHAR(390),
                              IN valid_lifetime INT UNSIGNED, IN expire BIGINT UNSIGNED,
                              IN subnet_id INT UNSIGNED, IN pref_lifetime INT UNSIGNED,
                              IN lease_type TINYINT, IN iaid INT UNSIGNED,
                              IN prefix_len TINYINT UNSIGNED, IN fqdn_fwd TINYINT,
                              IN fqdn_rev TINYINT, IN hostname VARCHAR(255),
                              IN hwaddr VARCHAR(64), IN state INT UNSIGNED, IN user_context TEXT,
                              IN hwtype SMALLINT, IN hwaddr_source INT UNSIGNED,
                              IN pool_id INT UNSIGNED)
BEGIN
	INSERT INTO lease6 (address, duid, valid_lifetime, expire, subnet_id, pref_lifetime,
	                    lease_type, iaid, prefix_len, fqdn_fwd, fqdn_rev, hostname, hwaddr,
	                    state, user_context, hwtype, hwaddr_source, pool_id)
	VALUES (INET6_ATON(address), UNHEX(REPLACE(duid, ':', '')), valid_lifetime,
	        FROM_UNIXTIME(expire), subnet_id, pref_lifetime, lease_type, iaid, prefix_len,
	        fqdn_fwd, fqdn_rev, REPLACE(hostname, '&#x2c', ','), UNHEX(REPLACE(hwaddr, ':', '')),
	        state, REPLACE(user_context, '&#x2c', ','), hwtype, hwaddr_source, pool_id);
END $$

-- ---------------------------------------------------------------------------------------
-- Lease triggers
-- ---------------------------------------------------------------------------------------

CREATE TRIGGER lease4_AINS AFTER INSERT ON lease4 FOR EACH ROW
BEGIN
	CALL lease4_AINS_lease4_stat(NEW.state, NEW.subnet_id);
	CALL lease4_AINS_lease4_pool_stat(NEW.state, NEW.subnet_id, NEW.pool_id);
	IF isJsonSupported() THEN
		CALL lease4_AINS_lease4_stat_by_client_class(NEW.state, NEW.user_context);
	END IF;
END $$

CREATE TRIGGER lease4_AUPD AFTER UPDATE ON lease4 FOR EACH ROW
BEGIN
	CALL lease4_AUPD_lease4_stat(OLD.state, OLD.subnet_id, NEW.state, NEW.subnet_id);
	CALL lease4_AUPD_lease4_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id,
	                                  NEW.state, NEW.subnet_id, NEW.pool_id);
	IF isJsonSupported() THEN
		CALL lease4_AUPD_lease4_stat_by_client_class(OLD.state, OLD.user_context,
		                                             NEW.state, NEW.user_context);
	END IF;
END $$

CREATE TRIGGER lease4_ADEL AFTER DELETE ON lease4 FOR EACH ROW
BEGIN
	CALL lease4_ADEL_lease4_stat(OLD.state, OLD.subnet_id);
	CALL lease4_ADEL_lease4_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id);
	IF isJsonSupported() THEN
		CALL lease4_ADEL_lease4_stat_by_client_class(OLD.state, OLD.user_context);
	END IF;
END $$

CREATE TRIGGER lease6_AINS AFTER INSERT ON lease6 FOR EACH ROW
BEGIN
	CALL lease6_AINS_lease6_stat(NEW.state, NEW.subnet_id, NEW.lease_type);
	CALL lease6_AINS_lease6_pool_stat(NEW.state, NEW.subnet_id, NEW.pool_id, NEW.lease_type);
	IF isJsonSupported() THEN
		CALL lease6_AINS_lease6_stat_by_client_class(NEW.state, NEW.user_context,
		                                             NEW.lease_type);
	END IF;
END $$

CREATE TRIGGER lease6_AUPD AFTER UPDATE ON lease6 FOR EACH ROW
BEGIN
	CALL lease6_AUPD_lease6_stat(OLD.state, OLD.subnet_id, OLD.lease_type,
	                             NEW.state, NEW.subnet_id, NEW.lease_type);
	CALL lease6_AUPD_lease6_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id, OLD.lease_type,
	                                  NEW.state, NEW.subnet_id, NEW.pool_id, NEW.lease_type);
	IF isJsonSupported() THEN
		CALL lease6_AUPD_lease6_stat_by_client_class(OLD.state, OLD.user_context,
		                                             OLD.lease_type, NEW.state,
		                                             NEW.user_context, NEW.lease_type);
	END IF;
END $$

CREATE TRIGGER lease6_ADEL AFTER DELETE ON lease6 FOR EACH ROW
BEGIN
	CALL lease6_ADEL_lease6_stat(OLD.state, OLD.subnet_id, OLD.lease_type);
	CALL lease6_ADEL_lease6_pool_stat(OLD.state, OLD.subnet_id, OLD.pool_id, OLD.lease_type);
	IF isJsonSupported() THEN
		CALL lease6_ADEL_lease6_stat_by_client_class(OLD.state, OLD.user_context,
		                                             OLD.lease_type);
	END IF;
END $$

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv4: audit trail. A config-backend transaction first calls
-- createAuditRevisionDHCP4 (one dhcp4_audit_revision row, remembered in @audit_revision_id);
-- the triggers then add one dhcp4_audit row per changed object. @disable_audit = 1 turns the
-- trail off; @cascade_transaction = 1 stops option changes from also touching their owner.
-- ---------------------------------------------------------------------------------------

CREATE PROCEDURE createAuditRevisionDHCP4(IN audit_ts TIMESTAMP, IN server_tag VARCHAR(64),
                                          IN audit_log_message TEXT,
                                          IN cascade_transaction TINYINT(1))
BEGIN
	DECLARE srv_id BIGINT UNSIGNED DEFAULT NULL;
	IF @disable_audit IS NULL OR @disable_audit = 0 THEN
		SELECT id INTO srv_id FROM dhcp4_server WHERE tag = server_tag;
		INSERT INTO dhcp4_audit_revision (modification_ts, server_id, log_message)
			VALUES (audit_ts, srv_id, audit_log_message);
		SET @audit_revision_id = LAST_INSERT_ID();
		SET @cascade_transaction = cascade_transaction;
	END IF;
END $$

CREATE PROCEDURE createAuditEntryDHCP4(IN object_type_val VARCHAR(256),
                                       IN object_id_val BIGINT UNSIGNED,
                                       IN modification_type_val VARCHAR(32))
BEGIN
	IF @disable_audit IS NULL OR @disable_audit = 0 THEN
		INSERT INTO dhcp4_audit (object_type, object_id, modification_type, revision_id)
			VALUES (object_type_val, object_id_val,
			        (SELECT id FROM modification WHERE modification_type = modification_type_val),
			        @audit_revision_id);
	END IF;
END $$

-- An option changed: audit it where it lives. A global option is an object of its own; a
-- subnet's, shared network's or pool's option is a change of that owner (touching the owner's
-- modification_ts fires the owner's update trigger). Host options are not audited.
CREATE PROCEDURE createOptionAuditDHCP4(IN modification_type VARCHAR(32),
                                        IN scope_id TINYINT UNSIGNED,
                                        IN option_id BIGINT UNSIGNED,
                                        IN p_subnet_id INT UNSIGNED,
                                        IN p_host_id INT UNSIGNED,
                                        IN network_name VARCHAR(128),
                                        IN p_pool_id BIGINT,
                                        IN p_modification_ts TIMESTAMP)
BEGIN
	DECLARE sid INT UNSIGNED DEFAULT NULL;
	IF @cascade_transaction IS NULL OR @cascade_transaction = 0 THEN
		IF scope_id = 0 THEN
			CALL createAuditEntryDHCP4('dhcp4_options', option_id, modification_type);
		ELSEIF scope_id = 1 THEN
			UPDATE dhcp4_subnet SET modification_ts = p_modification_ts
				WHERE subnet_id = p_subnet_id;
		ELSEIF scope_id = 4 THEN
			UPDATE dhcp4_shared_network SET modification_ts = p_modification_ts
				WHERE name = network_name;
		ELSEIF scope_id = 5 THEN
			SELECT subnet_id INTO sid FROM dhcp4_pool WHERE id = p_pool_id;
			UPDATE dhcp4_subnet SET modification_ts = p_modification_ts WHERE subnet_id = sid;
		END IF;
	END IF;
END $$

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv4: client class order and dependencies. Classes are evaluated
-- in dhcp4_client_class_order.order_index order; a class may only depend on classes before
-- it; depend_on_known_indirectly records that a class depends on KNOWN/UNKNOWN through
-- another class.
-- ---------------------------------------------------------------------------------------

-- Place class @id after @follow_class_name (or last when NULL), shifting the later classes.
CREATE PROCEDURE setClientClass4Order(IN id BIGINT UNSIGNED,
                                      IN follow_class_name VARCHAR(128),
                                      IN old_follow_class_name VARCHAR(128))
BEGIN
	DECLARE idx BIGINT UNSIGNED DEFAULT NULL;
	IF follow_class_name IS NULL THEN
		SELECT IFNULL(MAX(order_index) + 1, 0) INTO idx FROM dhcp4_client_class_order
			WHERE class_id != id;
	ELSE
		SELECT o.order_index + 1 INTO idx FROM dhcp4_client_class_order AS o
			JOIN dhcp4_client_class AS c ON c.id = o.class_id
			WHERE c.name = follow_class_name;
		IF idx IS NULL THEN
			SIGNAL SQLSTATE '45000'
				SET MESSAGE_TEXT = 'Class on which selected class depends doesn''t exist.';
		END IF;
		UPDATE dhcp4_client_class_order SET order_index = order_index + 1
			WHERE order_index >= idx AND class_id != id ORDER BY order_index DESC;
	END IF;
	INSERT INTO dhcp4_client_class_order (class_id, order_index) VALUES (id, idx)
		ON DUPLICATE KEY UPDATE order_index = idx;
END $$

CREATE PROCEDURE checkDHCPv4ClientClassDependency(IN class_id BIGINT UNSIGNED,
                                                  IN dependency_id BIGINT UNSIGNED)
BEGIN
	DECLARE class_index BIGINT UNSIGNED DEFAULT NULL;
	DECLARE dependency_index BIGINT UNSIGNED DEFAULT NULL;
	IF class_id IS NULL OR dependency_id IS NULL THEN
		SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'client class id and dependency id must not be NULL';
	END IF;
	SELECT order_index INTO class_index FROM dhcp4_client_class_order AS o
		WHERE o.class_id = class_id;
	SELECT order_index INTO dependency_index FROM dhcp4_client_class_order AS o
		WHERE o.class_id = dependency_id;
	IF dependency_index IS NULL OR class_index IS NULL OR dependency_index >= class_index THEN
		SIGNAL SQLSTATE '45000'
			SET MESSAGE_TEXT = 'Unable to set client class dependency: the dependency must be defined before the class.';
	END IF;
END $$

CREATE PROCEDURE updateDHCPv4ClientClassKnownDependency(IN child_id BIGINT UNSIGNED,
                                                        IN parent_id BIGINT UNSIGNED)
BEGIN
	DECLARE known INT DEFAULT 0;
	SELECT IF(c.depend_on_known_directly OR o.depend_on_known_indirectly, 1, 0) INTO known
		FROM dhcp4_client_class AS c JOIN dhcp4_client_class_order AS o ON o.class_id = c.id
		WHERE c.id = parent_id;
	IF known = 1 THEN
		UPDATE dhcp4_client_class_order SET depend_on_known_indirectly = 1
			WHERE class_id = child_id;
	END IF;
END $$

-- A class that others depend on may not change whether it depends on KNOWN: the dependants'
-- evaluation order would silently change. The update trigger records the change in
-- @depend_on_known_changed_class (the class id) for this check.
CREATE PROCEDURE checkDHCPv4ClientClassKnownDependencyChange()
BEGIN
	DECLARE dependants INT DEFAULT 0;
	IF @depend_on_known_changed_class IS NOT NULL THEN
		SELECT COUNT(*) INTO dependants FROM dhcp4_client_class_dependency
			WHERE dependency_id = @depend_on_known_changed_class;
		SET @depend_on_known_changed_class = NULL;
		IF dependants > 0 THEN
			SIGNAL SQLSTATE '45000'
				SET MESSAGE_TEXT = 'Unable to change the dependency on KNOWN/UNKNOWN of a class that other classes depend on.';
		END IF;
	END IF;
END $$

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv4: triggers
-- ---------------------------------------------------------------------------------------

CREATE TRIGGER dhcp4_server_AINS AFTER INSERT ON dhcp4_server FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_server', NEW.id, 'create') $$
CREATE TRIGGER dhcp4_server_AUPD AFTER UPDATE ON dhcp4_server FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_server', NEW.id, 'update') $$
CREATE TRIGGER dhcp4_server_ADEL AFTER DELETE ON dhcp4_server FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_server', OLD.id, 'delete') $$

CREATE TRIGGER dhcp4_global_parameter_AINS AFTER INSERT ON dhcp4_global_parameter FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_global_parameter', NEW.id, 'create') $$
CREATE TRIGGER dhcp4_global_parameter_AUPD AFTER UPDATE ON dhcp4_global_parameter FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_global_parameter', NEW.id, 'update') $$
CREATE TRIGGER dhcp4_global_parameter_ADEL AFTER DELETE ON dhcp4_global_parameter FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_global_parameter', OLD.id, 'delete') $$

CREATE TRIGGER dhcp4_option_def_AINS AFTER INSERT ON dhcp4_option_def FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_option_def', NEW.id, 'create') $$
CREATE TRIGGER dhcp4_option_def_AUPD AFTER UPDATE ON dhcp4_option_def FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_option_def', NEW.id, 'update') $$
CREATE TRIGGER dhcp4_option_def_ADEL AFTER DELETE ON dhcp4_option_def FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_option_def', OLD.id, 'delete') $$

CREATE TRIGGER dhcp4_options_AINS AFTER INSERT ON dhcp4_options FOR EACH ROW
	CALL createOptionAuditDHCP4('create', NEW.scope_id, NEW.option_id, NEW.dhcp4_subnet_id,
	                            NEW.host_id, NEW.shared_network_name, NEW.pool_id,
	                            NEW.modification_ts) $$
CREATE TRIGGER dhcp4_options_AUPD AFTER UPDATE ON dhcp4_options FOR EACH ROW
	CALL createOptionAuditDHCP4('update', NEW.scope_id, NEW.option_id, NEW.dhcp4_subnet_id,
	                            NEW.host_id, NEW.shared_network_name, NEW.pool_id,
	                            NEW.modification_ts) $$
CREATE TRIGGER dhcp4_options_ADEL AFTER DELETE ON dhcp4_options FOR EACH ROW
	CALL createOptionAuditDHCP4('delete', OLD.scope_id, OLD.option_id, OLD.dhcp4_subnet_id,
	                            OLD.host_id, OLD.shared_network_name, OLD.pool_id, NOW()) $$

CREATE TRIGGER dhcp4_subnet_AINS AFTER INSERT ON dhcp4_subnet FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_subnet', NEW.subnet_id, 'create') $$
CREATE TRIGGER dhcp4_subnet_AUPD AFTER UPDATE ON dhcp4_subnet FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_subnet', NEW.subnet_id, 'update') $$
-- A subnet takes its pools and their options along (the pools' foreign key does not cascade).
CREATE TRIGGER dhcp4_subnet_BDEL BEFORE DELETE ON dhcp4_subnet FOR EACH ROW
BEGIN
	CALL createAuditEntryDHCP4('dhcp4_subnet', OLD.subnet_id, 'delete');
	DELETE FROM dhcp4_pool WHERE subnet_id = OLD.subnet_id;
END $$

CREATE TRIGGER dhcp4_pool_BDEL BEFORE DELETE ON dhcp4_pool FOR EACH ROW
	DELETE FROM dhcp4_options WHERE scope_id = 5 AND pool_id = OLD.id $$

CREATE TRIGGER dhcp4_shared_network_AINS AFTER INSERT ON dhcp4_shared_network FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_shared_network', NEW.id, 'create') $$
CREATE TRIGGER dhcp4_shared_network_AUPD AFTER UPDATE ON dhcp4_shared_network FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_shared_network', NEW.id, 'update') $$
CREATE TRIGGER dhcp4_shared_network_BDEL BEFORE DELETE ON dhcp4_shared_network FOR EACH ROW
BEGIN
	CALL createAuditEntryDHCP4('dhcp4_shared_network', OLD.id, 'delete');
	DELETE FROM dhcp4_options WHERE shared_network_name = OLD.name;
END $$

CREATE TRIGGER dhcp4_client_class_AINS AFTER INSERT ON dhcp4_client_class FOR EACH ROW
BEGIN
	CALL setClientClass4Order(NEW.id, NEW.follow_class_name, NULL);
	CALL createAuditEntryDHCP4('dhcp4_client_class', NEW.id, 'create');
END $$
CREATE TRIGGER dhcp4_client_class_AUPD AFTER UPDATE ON dhcp4_client_class FOR EACH ROW
BEGIN
	IF NOT (OLD.follow_class_name <=> NEW.follow_class_name) THEN
		CALL setClientClass4Order(NEW.id, NEW.follow_class_name, OLD.follow_class_name);
	END IF;
	IF OLD.depend_on_known_directly != NEW.depend_on_known_directly THEN
		SET @depend_on_known_changed_class = NEW.id;
	END IF;
	CALL checkDHCPv4ClientClassKnownDependencyChange();
	CALL createAuditEntryDHCP4('dhcp4_client_class', NEW.id, 'update');
END $$
CREATE TRIGGER dhcp4_client_class_ADEL AFTER DELETE ON dhcp4_client_class FOR EACH ROW
	CALL createAuditEntryDHCP4('dhcp4_client_class', OLD.id, 'delete') $$

CREATE TRIGGER dhcp4_client_class_check_dependency_BINS BEFORE INSERT
	ON dhcp4_client_class_dependency FOR EACH ROW
	CALL checkDHCPv4ClientClassDependency(NEW.class_id, NEW.dependency_id) $$
CREATE TRIGGER dhcp4_client_class_dependency_AINS AFTER INSERT
	ON dhcp4_client_class_dependency FOR EACH ROW
	CALL updateDHCPv4ClientClassKnownDependency(NEW.class_id, NEW.dependency_id) $$

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv6: as DHCPv4's above, plus prefix pools (option scope 6).
-- ---------------------------------------------------------------------------------------

CREATE PROCEDURE createAuditRevisionDHCP6(IN audit_ts TIMESTAMP, IN server_tag VARCHAR(64),
                                          IN audit_log_message TEXT,
                                          IN cascade_transaction TINYINT(1))
BEGIN
	DECLARE srv_id BIGINT UNSIGNED DEFAULT NULL;
	IF @disable_audit IS NULL OR @disable_audit = 0 THEN
		SELECT id INTO srv_id FROM dhcp6_server WHERE tag = server_tag;
		INSERT INTO dhcp6_audit_revision (modification_ts, server_id, log_message)
			VALUES (audit_ts, srv_id, audit_log_message);
		SET @audit_revision_id = LAST_INSERT_ID();
		SET @cascade_transaction = cascade_transaction;
	END IF;
END $$

CREATE PROCEDURE createAuditEntryDHCP6(IN object_type_val VARCHAR(256),
                                       IN object_id_val BIGINT UNSIGNED,
                                       IN modification_type_val VARCHAR(32))
BEGIN
	IF @disable_audit IS NULL OR @disable_audit = 0 THEN
		INSERT INTO dhcp6_audit (object_type, object_id, modification_type, revision_id)
			VALUES (object_type_val, object_id_val,
			        (SELECT id FROM modification WHERE modification_type = modification_type_val),
			        @audit_revision_id);
	END IF;
END $$

-- An option changed: audit it where it lives. A global option is an object of its own; a
-- subnet's, shared network's, pool's or prefix pool's option is a change of that owner (touching the owner's
-- modification_ts fires the owner's update trigger). Host options are not audited.
CREATE PROCEDURE createOptionAuditDHCP6(IN modification_type VARCHAR(32),
                                        IN scope_id TINYINT UNSIGNED,
                                        IN option_id BIGINT UNSIGNED,
                                        IN p_subnet_id INT UNSIGNED,
                                        IN p_host_id INT UNSIGNED,
                                        IN network_name VARCHAR(128),
                                        IN p_pool_id BIGINT,
                                        IN p_pd_pool_id BIGINT,
                                        IN p_modification_ts TIMESTAMP)
BEGIN
	DECLARE sid INT UNSIGNED DEFAULT NULL;
	IF @cascade_transaction IS NULL OR @cascade_transaction = 0 THEN
		IF scope_id = 0 THEN
			CALL createAuditEntryDHCP6('dhcp6_options', option_id, modification_type);
		ELSEIF scope_id = 1 THEN
			UPDATE dhcp6_subnet SET modification_ts = p_modification_ts
				WHERE subnet_id = p_subnet_id;
		ELSEIF scope_id = 4 THEN
			UPDATE dhcp6_shared_network SET modification_ts = p_modification_ts
				WHERE name = network_name;
		ELSEIF scope_id = 5 THEN
			SELECT subnet_id INTO sid FROM dhcp6_pool WHERE id = p_pool_id;
			UPDATE dhcp6_subnet SET modification_ts = p_modification_ts WHERE subnet_id = sid;
		ELSEIF scope_id = 6 THEN
			SELECT subnet_id INTO sid FROM dhcp6_pd_pool WHERE id = p_pd_pool_id;
			UPDATE dhcp6_subnet SET modification_ts = p_modification_ts WHERE subnet_id = sid;
		END IF;
	END IF;
END $$

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv6: client class order and dependencies. Classes are evaluated
-- in dhcp6_client_class_order.order_index order; a class may only depend on classes before
-- it; depend_on_known_indirectly records that a class depends on KNOWN/UNKNOWN through
-- another class.
-- ---------------------------------------------------------------------------------------

-- Place class @id after @follow_class_name (or last when NULL), shifting the later classes.
CREATE PROCEDURE setClientClass6Order(IN id BIGINT UNSIGNED,
                                      IN follow_class_name VARCHAR(128),
                                      IN old_follow_class_name VARCHAR(128))
BEGIN
	DECLARE idx BIGINT UNSIGNED DEFAULT NULL;
	IF follow_class_name IS NULL THEN
		SELECT IFNULL(MAX(order_index) + 1, 0) INTO idx FROM dhcp6_client_class_order
			WHERE class_id != id;
	ELSE
		SELECT o.order_index + 1 INTO idx FROM dhcp6_client_class_order AS o
			JOIN dhcp6_client_class AS c ON c.id = o.class_id
			WHERE c.name = follow_class_name;
		IF idx IS NULL THEN
			SIGNAL SQLSTATE '45000'
				SET MESSAGE_TEXT = 'Class on which selected class depends doesn''t exist.';
		END IF;
		UPDATE dhcp6_client_class_order SET order_index = order_index + 1
			WHERE order_index >= idx AND class_id != id ORDER BY order_index DESC;
	END IF;
	INSERT INTO dhcp6_client_class_order (class_id, order_index) VALUES (id, idx)
		ON DUPLICATE KEY UPDATE order_index = idx;
END $$

CREATE PROCEDURE checkDHCPv6ClientClassDependency(IN class_id BIGINT UNSIGNED,
                                                  IN dependency_id BIGINT UNSIGNED)
BEGIN
	DECLARE class_index BIGINT UNSIGNED DEFAULT NULL;
	DECLARE dependency_index BIGINT UNSIGNED DEFAULT NULL;
	IF class_id IS NULL OR dependency_id IS NULL THEN
		SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'client class id and dependency id must not be NULL';
	END IF;
	SELECT order_index INTO class_index FROM dhcp6_client_class_order AS o
		WHERE o.class_id = class_id;
	SELECT order_index INTO dependency_index FROM dhcp6_client_class_order AS o
		WHERE o.class_id = dependency_id;
	IF dependency_index IS NULL OR class_index IS NULL OR dependency_index >= class_index THEN
		SIGNAL SQLSTATE '45000'
			SET MESSAGE_TEXT = 'Unable to set client class dependency: the dependency must be defined before the class.';
	END IF;
END $$

CREATE PROCEDURE updateDHCPv6ClientClassKnownDependency(IN child_id BIGINT UNSIGNED,
                                                        IN parent_id BIGINT UNSIGNED)
BEGIN
	DECLARE known INT DEFAULT 0;
	SELECT IF(c.depend_on_known_directly OR o.depend_on_known_indirectly, 1, 0) INTO known
		FROM dhcp6_client_class AS c JOIN dhcp6_client_class_order AS o ON o.class_id = c.id
		WHERE c.id = parent_id;
	IF known = 1 THEN
		UPDATE dhcp6_client_class_order SET depend_on_known_indirectly = 1
			WHERE class_id = child_id;
	END IF;
END $$

-- A class that others depend on may not change whether it depends on KNOWN: the dependants'
-- evaluation order would silently change. The update trigger records the change in
-- @depend_on_known_changed_class (the class id) for this check.
CREATE PROCEDURE checkDHCPv6ClientClassKnownDependencyChange()
BEGIN
	DECLARE dependants INT DEFAULT 0;
	IF @depend_on_known_changed_class IS NOT NULL THEN
		SELECT COUNT(*) INTO dependants FROM dhcp6_client_class_dependency
			WHERE dependency_id = @depend_on_known_changed_class;
		SET @depend_on_known_changed_class = NULL;
		IF dependants > 0 THEN
			SIGNAL SQLSTATE '45000'
				SET MESSAGE_TEXT = 'Unable to change the dependency on KNOWN/UNKNOWN of a class that other classes depend on.';
		END IF;
	END IF;
END $$

-- ---------------------------------------------------------------------------------------
-- Configuration backend, DHCPv6: triggers
-- ---------------------------------------------------------------------------------------

CREATE TRIGGER dhcp6_server_AINS AFTER INSERT ON dhcp6_server FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_server', NEW.id, 'create') $$
CREATE TRIGGER dhcp6_server_AUPD AFTER UPDATE ON dhcp6_server FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_server', NEW.id, 'update') $$
CREATE TRIGGER dhcp6_server_ADEL AFTER DELETE ON dhcp6_server FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_server', OLD.id, 'delete') $$

CREATE TRIGGER dhcp6_global_parameter_AINS AFTER INSERT ON dhcp6_global_parameter FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_global_parameter', NEW.id, 'create') $$
CREATE TRIGGER dhcp6_global_parameter_AUPD AFTER UPDATE ON dhcp6_global_parameter FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_global_parameter', NEW.id, 'update') $$
CREATE TRIGGER dhcp6_global_parameter_ADEL AFTER DELETE ON dhcp6_global_parameter FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_global_parameter', OLD.id, 'delete') $$

CREATE TRIGGER dhcp6_option_def_AINS AFTER INSERT ON dhcp6_option_def FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_option_def', NEW.id, 'create') $$
CREATE TRIGGER dhcp6_option_def_AUPD AFTER UPDATE ON dhcp6_option_def FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_option_def', NEW.id, 'update') $$
CREATE TRIGGER dhcp6_option_def_ADEL AFTER DELETE ON dhcp6_option_def FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_option_def', OLD.id, 'delete') $$

CREATE TRIGGER dhcp6_options_AINS AFTER INSERT ON dhcp6_options FOR EACH ROW
	CALL createOptionAuditDHCP6('create', NEW.scope_id, NEW.option_id, NEW.dhcp6_subnet_id,
	                            NEW.host_id, NEW.shared_network_name, NEW.pool_id, NEW.pd_pool_id,
	                            NEW.modification_ts) $$
CREATE TRIGGER dhcp6_options_AUPD AFTER UPDATE ON dhcp6_options FOR EACH ROW
	CALL createOptionAuditDHCP6('update', NEW.scope_id, NEW.option_id, NEW.dhcp6_subnet_id,
	                            NEW.host_id, NEW.shared_network_name, NEW.pool_id, NEW.pd_pool_id,
	                            NEW.modification_ts) $$
CREATE TRIGGER dhcp6_options_ADEL AFTER DELETE ON dhcp6_options FOR EACH ROW
	CALL createOptionAuditDHCP6('delete', OLD.scope_id, OLD.option_id, OLD.dhcp6_subnet_id,
	                            OLD.host_id, OLD.shared_network_name, OLD.pool_id, OLD.pd_pool_id,
	                            NOW()) $$

CREATE TRIGGER dhcp6_subnet_AINS AFTER INSERT ON dhcp6_subnet FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_subnet', NEW.subnet_id, 'create') $$
CREATE TRIGGER dhcp6_subnet_AUPD AFTER UPDATE ON dhcp6_subnet FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_subnet', NEW.subnet_id, 'update') $$
-- A subnet takes its pools, prefix pools and their options along (the pools' foreign key does not cascade).
CREATE TRIGGER dhcp6_subnet_BDEL BEFORE DELETE ON dhcp6_subnet FOR EACH ROW
BEGIN
	CALL createAuditEntryDHCP6('dhcp6_subnet', OLD.subnet_id, 'delete');
	DELETE FROM dhcp6_pool WHERE subnet_id = OLD.subnet_id;
	DELETE FROM dhcp6_pd_pool WHERE subnet_id = OLD.subnet_id;
END $$

CREATE TRIGGER dhcp6_pool_BDEL BEFORE DELETE ON dhcp6_pool FOR EACH ROW
	DELETE FROM dhcp6_options WHERE scope_id = 5 AND pool_id = OLD.id $$

CREATE TRIGGER dhcp6_pd_pool_BDEL BEFORE DELETE ON dhcp6_pd_pool FOR EACH ROW
	DELETE FROM dhcp6_options WHERE scope_id = 6 AND pd_pool_id = OLD.id $$

CREATE TRIGGER dhcp6_shared_network_AINS AFTER INSERT ON dhcp6_shared_network FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_shared_network', NEW.id, 'create') $$
CREATE TRIGGER dhcp6_shared_network_AUPD AFTER UPDATE ON dhcp6_shared_network FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_shared_network', NEW.id, 'update') $$
CREATE TRIGGER dhcp6_shared_network_BDEL BEFORE DELETE ON dhcp6_shared_network FOR EACH ROW
BEGIN
	CALL createAuditEntryDHCP6('dhcp6_shared_network', OLD.id, 'delete');
	DELETE FROM dhcp6_options WHERE shared_network_name = OLD.name;
END $$

CREATE TRIGGER dhcp6_client_class_AINS AFTER INSERT ON dhcp6_client_class FOR EACH ROW
BEGIN
	CALL setClientClass6Order(NEW.id, NEW.follow_class_name, NULL);
	CALL createAuditEntryDHCP6('dhcp6_client_class', NEW.id, 'create');
END $$
CREATE TRIGGER dhcp6_client_class_AUPD AFTER UPDATE ON dhcp6_client_class FOR EACH ROW
BEGIN
	IF NOT (OLD.follow_class_name <=> NEW.follow_class_name) THEN
		CALL setClientClass6Order(NEW.id, NEW.follow_class_name, OLD.follow_class_name);
	END IF;
	IF OLD.depend_on_known_directly != NEW.depend_on_known_directly THEN
		SET @depend_on_known_changed_class = NEW.id;
	END IF;
	CALL checkDHCPv6ClientClassKnownDependencyChange();
	CALL createAuditEntryDHCP6('dhcp6_client_class', NEW.id, 'update');
END $$
CREATE TRIGGER dhcp6_client_class_ADEL AFTER DELETE ON dhcp6_client_class FOR EACH ROW
	CALL createAuditEntryDHCP6('dhcp6_client_class', OLD.id, 'delete') $$

CREATE TRIGGER dhcp6_client_class_check_dependency_BINS BEFORE INSERT
	ON dhcp6_client_class_dependency FOR EACH ROW
	CALL checkDHCPv6ClientClassDependency(NEW.class_id, NEW.dependency_id) $$
CREATE TRIGGER dhcp6_client_class_dependency_AINS AFTER INSERT
	ON dhcp6_client_class_dependency FOR EACH ROW
	CALL updateDHCPv6ClientClassKnownDependency(NEW.class_id, NEW.dependency_id) $$

DELIMITER ;
