#!/bin/sh
# lessor's container entry point: the deployment's bootstrap script, minus the jobs lessor now
# does itself (fetching s3:// configs, filling <PLACEHOLDER>s, polling for changes, the HTTP
# control endpoint). What is left: choose the configuration by role, prepare the lease
# database schema, then exec lessor so that it is PID 1 and receives SIGTERM directly.
#
# Environment (the deployment's names; contrib/container/README.md):
#   LESSOR_CONFIG            a path or URL; overrides the role's choice below
#   SERVER_NAME=api          the API config (/etc/lessor/config_api.json)
#   LOCAL_DEVELOPMENT=true   the local development config
#   KEA_CONFIG_BUCKET_NAME   otherwise: s3://BUCKET/KEA_CONFIG_KEY (default config.json),
#                            polled every 300 s (LESSOR_CONFIG_POLL) by lessor itself
#   DB_HOST DB_USER DB_PASS DB_NAME [DB_PORT] [DB_TYPE=mysql|postgresql]
#                            the lease database whose schema is created or upgraded first;
#                            no DB_HOST: no schema step (memfile)
#   DB_WAIT                  seconds to wait for the database to come up (default 60)
#   LESSOR_AGENT_CONFIG      kea-ctrl-agent file for the HTTP listener (default: port 8000)
# Arguments are passed on to lessor (e.g. -d).
set -eu

log() {
	printf 'lessor-entrypoint: %s\n' "$*" >&2
}

choose_config() {
	if [ -n "${LESSOR_CONFIG:-}" ]; then
		CONFIG=$LESSOR_CONFIG
		log "configuration from LESSOR_CONFIG: $CONFIG"
	elif [ "${SERVER_NAME:-}" = api ]; then
		CONFIG=/etc/lessor/config_api.json
		log "booting as API: $CONFIG"
	elif [ "${LOCAL_DEVELOPMENT:-}" = true ]; then
		CONFIG=/etc/lessor/local_development_config.json
		log "booting local server ($SERVER_NAME): $CONFIG"
	elif [ -n "${KEA_CONFIG_BUCKET_NAME:-}" ]; then
		CONFIG="s3://$KEA_CONFIG_BUCKET_NAME/${KEA_CONFIG_KEY:-config.json}"
		log "booting HA peer server (${SERVER_NAME:-}): $CONFIG"
	else
		log "no configuration: set LESSOR_CONFIG, SERVER_NAME=api, LOCAL_DEVELOPMENT=true" \
		    "or KEA_CONFIG_BUCKET_NAME"
		exit 64
	fi
}

# The deployment's schema step (db-version, then db-init or db-upgrade), retried while the
# database is still starting. db-upgrade leaves a current schema alone, so it always runs
# after a successful db-version, as in the deployment. Two servers starting on one empty
# database race on db-init: the loser retries and finds the winner's schema.
prepare_db() {
	if [ -z "${DB_HOST:-}" ]; then
		log "DB_HOST is not set: no lease database schema step"
		return 0
	fi
	case ${DB_TYPE:-mysql} in
	mysql) backend=mysql ;;
	postgresql | pgsql) backend=pgsql ;;
	*) log "DB_TYPE '$DB_TYPE': must be mysql or postgresql"; exit 64 ;;
	esac
	set -- -h "$DB_HOST" -u "${DB_USER:?DB_USER is not set}" -n "${DB_NAME:?DB_NAME is not set}"
	if [ -n "${DB_PORT:-}" ]; then
		set -- "$@" -P "$DB_PORT"
	fi
	# The password travels in the environment, not in argv (visible in ps).
	KEA_ADMIN_DB_PASSWORD=${DB_PASS:?DB_PASS is not set}
	export KEA_ADMIN_DB_PASSWORD
	deadline=$(($(date +%s) + ${DB_WAIT:-60}))
	while :; do
		if out=$(lessor-admin db-version "$backend" "$@" 2>/dev/null); then
			log "lease database schema $(printf '%s\n' "$out" | tail -n 1): db-upgrade"
			lessor-admin db-upgrade "$backend" "$@" >&2 || exit 1
			break
		fi
		if lessor-admin db-init "$backend" "$@" >&2 2>/tmp/lessor-db-init.err; then
			log "lease database schema created (db-init)"
			break
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			log "lease database $DB_NAME on $DB_HOST not ready after ${DB_WAIT:-60} s:" \
			    "$(cat /tmp/lessor-db-init.err)"
			exit 1
		fi
		sleep 2
	done
	log "lease database schema now: $(lessor-admin db-version "$backend" "$@" 2>&1 | tail -n 1)"
	unset KEA_ADMIN_DB_PASSWORD
}

choose_config
prepare_db
if [ "${PUBLISH_METRICS:-}" = true ]; then
	log "PUBLISH_METRICS: the CloudWatch push is the configuration's Dhcp4.lessor-metrics" \
	    "(man lessor, METRICS PUSH); Prometheus reads GET /metrics on the HTTP listener"
fi
exec lessor -c "$CONFIG" -a "${LESSOR_AGENT_CONFIG:-/etc/lessor/control-agent-config.json}" "$@"
