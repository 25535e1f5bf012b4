#!/bin/bash
# DORA/s of a single server and of hot-standby pairs, lessor and Kea 2.2, in one run, and the
# failover time of each pair (issue 7 item 7). The measurement itself is
# tests/system/bench_ha_pair.py (it uses the system tests' namespaces and server fixtures, so it
# lives beside them); this runs it on the release build.
#
# Usage: sudo bench/ha-pair.sh                 (all six set-ups; builds the release preset)
#        sudo BENCH_RATES=2000,3000 bench/ha-pair.sh -k 'lessor-lessor or lessor-single'
# Env:   LESSOR_BIN (default build/release/lessor), BENCH_RATES (500,1000,2000,3000),
#        BENCH_HA_KEA_LISTENER (dedicated: a Kea peer serves HA on its dedicated listener with
#        multi-threading, the default; agent: behind kea-ctrl-agent, no HA multi-threading),
#        BENCH_VERBOSE=1 (perfdhcp's own statistics per step)
# Prints BENCH lines (ACKs/s, perfdhcp's drops, the primary's pkt4-receive-drop, CPU µs per
# ACK primary+standby, per offered rate), CHECK lines (leases the standby lacks) and FAILOVER
# lines (SIGKILL of the primary to the standby's first ACK). Measures, never asserts.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${LESSOR_BIN:-$top/build/release/lessor}
if [ ! -x "$bin" ]; then
	cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
mkdir -p "$top/build/dev"
cd "$top/build/dev"
LESSOR_BIN=$bin LESSOR_TEST_TIMEOUT=${LESSOR_TEST_TIMEOUT:-400} \
	exec nice /usr/bin/python3 -m pytest -q -s -p no:cacheprovider \
	--basetemp=/tmp/bench-ha-pair-$$ "$top/tests/system/bench_ha_pair.py" "$@"
