#!/bin/bash
# Time of `config-reload` of the production-scale configuration (tools/gen-prod-config.py: 829
# subnets in 142 shared networks, 14,404 reservations, 1,659 classes, memfile): lessor vs ISC
# Kea 2.2, same JSON (Dhcp4) file, same run, one server after the other.
#
# Each server runs alone in a network namespace (interface vsrv, one end of a veth pair, 192.0.2.1/24),
# logging at WARN. A reload is timed from the command being sent to the complete answer:
#   - UNIX: {"command": "config-reload"} on Dhcp4.control-socket via socat (both servers);
#   - HTTP: POST to port 8000 via curl: lessor's built-in listener (its "Control-agent" object)
#           vs kea-ctrl-agent forwarding to kea-dhcp4's socket (what operators use with Kea).
# N reloads per server and transport (default 5, after one warm-up); every answer must be
# result 0. Prints min/median/max per server and transport, and the ratio Kea/lessor of the
# medians.
#
# Usage: bench/reload.sh       (root; LESSOR_BIN default build/release/lessor, built with the
#                               release preset if missing)
# Env:   LESSOR_BIN, KEA_BIN, KEA_CA_BIN, N (5), BENCH_DIR
# Bounded: every command has a timeout; the script stays under 2 minutes (BUDGET_S, 110).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
LESSOR_BIN=${LESSOR_BIN:-$repo/build/release/lessor}
KEA_BIN=${KEA_BIN:-$(command -v kea-dhcp4 || echo /usr/sbin/kea-dhcp4)}
KEA_CA_BIN=${KEA_CA_BIN:-$(command -v kea-ctrl-agent || echo /usr/sbin/kea-ctrl-agent)}
PY=/usr/bin/python3
N=${N:-5}
BENCH_DIR=${BENCH_DIR:-$repo/build/bench-reload}
BUDGET_S=${BUDGET_S:-110}
PORT=8000
T0=$(date +%s)

die() { echo "reload.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$KEA_BIN" ] || die "kea-dhcp4 not found (Debian package kea-dhcp4-server)"
[ -x "$KEA_CA_BIN" ] || die "kea-ctrl-agent not found (Debian package kea-ctrl-agent)"
command -v socat >/dev/null || die "socat not found"
command -v curl >/dev/null || die "curl not found"
if [ ! -x "$LESSOR_BIN" ]; then
	echo "building $LESSOR_BIN (release preset)"
	(cd "$repo" && timeout 300 cmake --preset release >/dev/null &&
		timeout 300 cmake --build --preset release --target lessor >/dev/null) ||
		die "cannot build lessor"
fi

NS=lrl-srv-$$
mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
PIDS=()

cleanup() {
	set +e
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link add vsrv type veth peer name vpeer
ip -n "$NS" addr add 192.0.2.1/24 dev vsrv
ip -n "$NS" link set lo up
ip -n "$NS" link set vpeer up
ip -n "$NS" link set vsrv up

left() { echo $((BUDGET_S - ($(date +%s) - T0))); }

# gen DIR KIND: the production-scale file for KIND (lessor: + Control-agent object)
gen() {
	local dir=$1 kind=$2
	"$PY" "$repo/tools/gen-prod-config.py" --interface vsrv --lease-file "$dir/leases4.csv" \
		-o "$dir/prod.json"
	"$PY" - "$dir" "$kind" "$PORT" <<-'EOF'
	import json, sys
	d, kind, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
	p = d + "/prod.json"
	c = json.load(open(p))
	d4 = c["Dhcp4"]
	d4["loggers"][0]["severity"] = "WARN"
	d4["lease-database"]["lfc-interval"] = 0
	d4["control-socket"] = {"socket-type": "unix", "socket-name": d + "/dhcp4.sock"}
	ca = {"Control-agent": {"http-host": "127.0.0.1", "http-port": port,
	      "control-sockets": {"dhcp4": {"socket-type": "unix",
	                                    "socket-name": d + "/dhcp4.sock"}}}}
	if kind == "lessor":
	    c.update(ca)
	else:
	    json.dump(ca, open(d + "/ca.json", "w"))
	json.dump(c, open(p, "w"))
	EOF
}

# one_reload TRANSPORT DIR -> elapsed seconds (fails unless result 0)
one_reload() {
	local how=$1 dir=$2 t0 t1 out
	t0=$(date +%s%N)
	if [ "$how" = unix ]; then
		out=$(echo '{"command": "config-reload"}' |
			timeout 60 socat -t 60 - "UNIX-CONNECT:$dir/dhcp4.sock") || true
	else
		out=$(timeout 60 ip netns exec "$NS" curl -s --max-time 60 -X POST \
			-H 'Content-Type: application/json' \
			--data '{"command": "config-reload", "service": ["dhcp4"]}' \
			"http://127.0.0.1:$PORT/") || true
	fi
	t1=$(date +%s%N)
	echo "$out" | grep -q '"result": *0' || { echo "answer: $out" >&2; return 1; }
	echo "$(((t1 - t0) / 1000))"
}

# stats US... -> "min median max" in seconds
stats() {
	"$PY" -c 'import sys, statistics as s; v = sorted(int(x) / 1e6 for x in sys.argv[1:]); print("%.3f %.3f %.3f" % (v[0], s.median(v), v[-1]))' "$@"
}

declare -A MED
run() {
	local kind=$1 dir="$WORK/$1" bin pid ca=""
	mkdir -p "$dir"
	gen "$dir" "$kind"
	bin=$KEA_BIN
	if [ "$kind" = lessor ]; then
		bin=$LESSOR_BIN
	fi
	KEA_PIDFILE_DIR=$dir KEA_LOCKFILE_DIR=$dir ip netns exec "$NS" "$bin" -c "$dir/prod.json" \
		>"$dir/server.log" 2>&1 &
	pid=$!
	PIDS+=("$pid")
	if [ "$kind" = kea ]; then
		KEA_PIDFILE_DIR=$dir KEA_LOCKFILE_DIR=$dir ip netns exec "$NS" "$KEA_CA_BIN" \
			-c "$dir/ca.json" >"$dir/ca.log" 2>&1 &
		ca=$!
		PIDS+=("$ca")
	fi
	local i=0
	until [ -S "$dir/dhcp4.sock" ] &&
		timeout 5 ip netns exec "$NS" curl -s -o /dev/null --max-time 2 -X POST \
			-H 'Content-Type: application/json' --data '{"command": "list-commands"}' \
			"http://127.0.0.1:$PORT/"; do
		kill -0 "$pid" 2>/dev/null || { tail -20 "$dir/server.log"; die "$kind exited"; }
		i=$((i + 1))
		[ $i -lt 600 ] || die "$kind: control channel not up within 60 s"
		sleep 0.1
	done
	local how v
	for how in unix http; do
		[ "$(left)" -gt 15 ] || { echo "$kind $how: skipped (budget)"; continue; }
		one_reload "$how" "$dir" >/dev/null || die "$kind: $how config-reload failed"
		v=()
		for _ in $(seq "$N"); do
			[ "$(left)" -gt 8 ] || break
			v+=("$(one_reload "$how" "$dir")") || die "$kind: $how config-reload failed"
		done
		read -r mn md mx <<<"$(stats "${v[@]}")"
		MED[$kind.$how]=$md
		printf '%-6s %-4s config-reload (%d runs): min %6.3f s  median %6.3f s  max %6.3f s\n' \
			"$kind" "$how" "${#v[@]}" "$mn" "$md" "$mx"
	done
	kill -0 "$pid" 2>/dev/null || die "$kind died during the reloads"
	kill -TERM "$pid" ${ca:+"$ca"} 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" ${ca:+"$ca"} 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [ -n "$ca" ]; then
		wait "$ca" 2>/dev/null || true
	fi
}

echo "config-reload of the production-scale configuration (829 subnets, 142 shared networks," \
	"14,404 reservations); lessor: $LESSOR_BIN; Kea: $KEA_BIN + $KEA_CA_BIN"
run lessor
run kea
for how in unix http; do
	l=${MED[lessor.$how]:-} k=${MED[kea.$how]:-}
	[ -n "$l" ] && [ -n "$k" ] || continue
	"$PY" -c "print('%-4s median: lessor %.3f s, Kea %.3f s: Kea/lessor = %.1fx' % ('$how', $l, $k, $k / max($l, 1e-6)))"
done
echo "caveats: 2 shared cores; the HTTP figure for Kea includes kea-ctrl-agent's forwarding" \
	"to kea-dhcp4's UNIX socket; the file is re-read and fully re-parsed on each reload by both;" \
	"the lease file is empty (Kea 2.2 also reopens the lease database on every reload, lessor only" \
	"when lease-database changes, so with many leases Kea's figure grows)."
echo "total $(($(date +%s) - T0)) s"
