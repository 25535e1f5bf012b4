#!/bin/sh
# The deployment's developer test (their `make test`: empty the lease database, perfdhcp
# DORAs from 10 clients, count the leases) against compose.yaml's deployment, from this host:
#   contrib/container/dev-test.sh [PROJECT]        # default lessor-dev
# perfdhcp relays from the host's address on the compose network (LESSOR_DEV_RELAY, default
# 172.1.0.1, the bridge's) to the primary (LESSOR_PRIMARY_IP, default 172.1.0.10), so giaddr
# selects the configuration's subnet. Exit 0 when lease4 then holds exactly N (10) leases.
# DB_CONTAINER names the MariaDB container (default PROJECT_db_1, podman-compose's name;
# docker compose v2 calls it PROJECT-db-1). perfdhcp's exit status is reported, not judged:
# the count of leases is the test, as theirs.
set -eu
project=${1:-lessor-dev}
primary=${LESSOR_PRIMARY_IP:-172.1.0.10}
relay=${LESSOR_DEV_RELAY:-172.1.0.1}
n=${N:-10}
db=${DB_CONTAINER:-${project}_db_1}
engine=${CONTAINER_ENGINE:-podman}

sql() {
	"$engine" exec "$db" mariadb -uroot -proot -N -B kea -e "$1"
}

sql "DELETE FROM lease4"
perfdhcp -4 -l "$relay" -r 2 -n "$n" -R "$n" -d 2 -W "${PERFDHCP_WAIT_US:-20000000}" "$primary" ||
	echo "dev-test: perfdhcp exited $?" >&2
got=$(sql "SELECT COUNT(*) FROM lease4 WHERE state = 0")
if [ "$got" != "$n" ]; then
	echo "dev-test: $got leases in lease4, want $n" >&2
	exit 1
fi
echo "dev-test: $n leases in lease4"
