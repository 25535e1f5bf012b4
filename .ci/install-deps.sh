#!/bin/bash
# Installs every Debian package that building lessor and running all of its tests need.
# Used by .ci/run and by the README's test command. Debian 12 (bookworm); run as root.
set -euo pipefail

packages=(
	# build
	cmake ninja-build gcc libc6-dev pkg-config
	libjansson-dev libmicrohttpd-dev libcurl4-openssl-dev libmariadb-dev libpq-dev
	# unit tests
	libcmocka-dev
	# system tests: the reference server and its tools (perfdhcp is in kea-admin)
	kea-dhcp4-server kea-admin kea-ctrl-agent
	# kea-shell (test_kea_shell.py talks to lessor's HTTP listener with it)
	python3-kea-connector
	# system tests: real clients, capture, namespaces, control socket, python
	# SQL lease and host databases: real servers, started by tests/system/dbserver.py
	mariadb-server mariadb-client postgresql
	isc-dhcp-client tshark iproute2 socat curl procps prometheus openssl strace
	python3 python3-pytest python3-scapy
)

if [ "$(id -u)" != 0 ]; then
	echo "install-deps.sh: run as root (apt-get)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"
