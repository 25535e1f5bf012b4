#!/bin/sh
# First start: create the data directory, the database and its user from the official mariadb
# image's variables; then exec mariadbd as PID 1 (SIGTERM stops it cleanly).
set -eu
data=/var/lib/mysql
sock=/run/mysqld/mysqld.sock
install -d -o mysql -g mysql -m 0755 /run/mysqld
chown mysql:mysql "$data"
if [ ! -d "$data/mysql" ]; then
	mariadb-install-db --user=mysql --datadir="$data" --skip-test-db >/dev/null
	mariadbd --no-defaults --user=mysql --datadir="$data" --socket="$sock" \
	    --skip-networking &
	pid=$!
	i=0
	until mariadb-admin --socket="$sock" ping >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -lt 120 ] || { echo "dev-mariadb: bootstrap server did not start" >&2; exit 1; }
		sleep 0.5
	done
	db=${MARIADB_DATABASE:-}
	user=${MARIADB_USER:-}
	{
		if [ -n "${MARIADB_ROOT_PASSWORD:-}" ]; then
			echo "ALTER USER 'root'@'localhost' IDENTIFIED BY '$MARIADB_ROOT_PASSWORD';"
		fi
		if [ -n "$db" ]; then
			echo "CREATE DATABASE IF NOT EXISTS \`$db\`;"
		fi
		if [ -n "$user" ]; then
			for h in localhost %; do
				echo "CREATE USER '$user'@'$h' IDENTIFIED BY '${MARIADB_PASSWORD:-}';"
				[ -z "$db" ] || echo "GRANT ALL ON \`$db\`.* TO '$user'@'$h';"
			done
		fi
	} | mariadb --socket="$sock" -uroot
	kill "$pid"
	wait "$pid" || true
	echo "dev-mariadb: initialised ${db:-no database} for ${user:-no user}" >&2
fi
exec mariadbd --no-defaults --user=mysql --datadir="$data" --socket="$sock" --port=3306 \
    --bind-address=0.0.0.0 "$@"
