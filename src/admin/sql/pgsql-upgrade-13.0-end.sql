-- lessor-admin db-upgrade, PostgreSQL 13.0 -> 18.0, step 3 of 3: the pool statistics did not
-- exist in 13.0, so they are counted from the leases (every existing lease is in pool 0), then
-- the version is set. The triggers keep them from here on.

INSERT INTO lease4_pool_stat (subnet_id, pool_id, state, leases)
	SELECT subnet_id, pool_id, state, COUNT(*) FROM lease4 WHERE state = 0 OR state = 1
	GROUP BY subnet_id, pool_id, state;
INSERT INTO lease6_pool_stat (subnet_id, pool_id, lease_type, state, leases)
	SELECT subnet_id, pool_id, lease_type, state, COUNT(*) FROM lease6
	WHERE state = 0 OR state = 1 GROUP BY subnet_id, pool_id, lease_type, state;

UPDATE schema_version SET version = 18, minor = 0;
