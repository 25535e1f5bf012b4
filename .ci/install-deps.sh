#!/bin/bash
# Installs the Debian packages lessor needs. Debian 12 (bookworm); run as root.
#   .ci/install-deps.sh            everything: build, unit and system tests (.ci/run, README)
#   .ci/install-deps.sh demo       only what building lessor and tools/demo.sh need
#   .ci/install-deps.sh --list [demo]   print the package names instead of installing
# Only packages that are not installed yet are fetched, so a second run is offline and quick.
set -euo pipefail

build=(
	cmake ninja-build gcc libc6-dev pkg-config
	libjansson-dev libmicrohttpd-dev libcurl4-openssl-dev libmariadb-dev libpq-dev
)
demo=(
	# tools/demo.sh: namespaces (ip, ss), its config reader, the demo client
	iproute2 python3 isc-dhcp-client
)
tests=(
	# unit tests
	libcmocka-dev
	# system tests: the reference server and its tools (perfdhcp is in kea-admin)
	kea-dhcp4-server kea-admin kea-ctrl-agent
	# kea-shell (test_kea_shell.py talks to lessor's HTTP listener with it)
	python3-kea-connector
	# SQL lease and host databases: real servers, started by tests/system/dbserver.py
	mariadb-server mariadb-client postgresql
	# system tests: real clients, capture, namespaces, control socket, python
	isc-dhcp-client tshark iproute2 socat curl procps prometheus openssl strace
	python3 python3-pytest python3-scapy
	# test_container.py, test_compose.py: podman (runc: crun 1.8.1 fails on hybrid cgroups),
	# Debian base images made by mmdebstrap (no registry), podman-compose for the compose file
	podman runc mmdebstrap uidmap fuse-overlayfs slirp4netns podman-compose
	# test_console.py: the console in Debian's headless browser (driven by playwright-core)
	chromium chromium-driver
	# test_privdrop.py: systemd-analyze verify on contrib/systemd/lessor.service
	systemd
)

list=0
if [ "${1:-}" = --list ]; then list=1; shift; fi
case ${1:-all} in
	all) packages=("${build[@]}" "${demo[@]}" "${tests[@]}") ;;
	demo) packages=("${build[@]}" "${demo[@]}") ;;
	*) echo "usage: $0 [--list] [all|demo]" >&2; exit 2 ;;
esac
if [ "$list" = 1 ]; then
	printf '%s\n' "${packages[@]}" | sort -u
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "install-deps.sh: run as root (apt-get)" >&2
	exit 1
fi
missing=()
for p in $(printf '%s\n' "${packages[@]}" | sort -u); do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} != 0 ]; then
	echo "install-deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
[ "${1:-all}" = all ] || exit 0

# test_config_source.py: s3rver, an S3-compatible server, from the npm registry (Debian has
# none). node/npm from Debian unless the machine already has them (e.g. NodeSource's nodejs).
S3RVER_DIR=/opt/lessor-test-node
if [ ! -x "$S3RVER_DIR/node_modules/.bin/s3rver" ]; then
	if ! command -v npm >/dev/null; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nodejs npm
	fi
	npm install --prefix "$S3RVER_DIR" --no-audit --no-fund s3rver@3.7.1
fi
# test_console.py: playwright-core drives Debian's /usr/bin/chromium (it downloads no browser)
if [ ! -f "$S3RVER_DIR/node_modules/playwright-core/package.json" ]; then
	npm install --prefix "$S3RVER_DIR" --no-audit --no-fund playwright-core@1.65.1
fi
