#!/bin/sh
# apt-install.sh PACKAGE...: install the Debian packages that are not installed yet. A base
# image that already holds them (tests/system/podman.py makes such bases with mmdebstrap) then
# needs no network at all; debian:bookworm-slim fetches them as usual.
set -eu
missing=
for p in "$@"; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # one word per package
apt-get install -y -q --no-install-recommends $missing
rm -rf /var/lib/apt/lists/*
