#!/bin/bash
# The container's HEALTHCHECK. Healthy when lessor's HTTP listener answers GET /health with
# 200 (configuration loaded, lease store writable, DHCP enabled) and, when LESSOR_PROBE is set,
# lessor-probe with those arguments gets an ACK (a real DORA, as the deployment's perfdhcp
# check did), e.g. LESSOR_PROBE="-l 10.99.0.1 -b mac=02:00:00:00:00:99 --release 192.0.2.1".
# bash for /dev/tcp: the image has no curl.
set -u
port=${LESSOR_HEALTH_PORT:-8000}

if ! exec 3<>"/dev/tcp/127.0.0.1/$port"; then
	echo "health: nothing listens on 127.0.0.1:$port"
	exit 1
fi
printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS=' ' read -r -t 5 _ code _ <&3 || code=none
body=$(timeout 5 cat <&3 | tail -n 1)
exec 3>&-
if [ "$code" != 200 ]; then
	echo "health: GET /health answered $code: $body"
	exit 1
fi
if [ -n "${LESSOR_PROBE:-}" ]; then
	# shellcheck disable=SC2086 # the arguments are meant to split
	exec lessor-probe $LESSOR_PROBE
fi
echo "health: $body"
