#!/bin/bash
# lessor vs ISC Kea 2.2 on the production-scale configuration (tools/gen-prod-config.py: 829
# subnets in 142 shared networks, 14,404 reservations, 1,659 classes, memfile), same JSON file,
# same run, one server after the other.
#
# Topology (as the system tests): netns cli runs perfdhcp as a relay agent with giaddr
# 10.64.0.2 (subnet 10.64.0.0/24, the first site's shared network of 6 subnets, 1,266 dynamic
# addresses), netns srv runs the server on 192.0.2.1; a veth pair joins them.
#
# Prints per server:
#   - time from exec to the first OFFER (a relayed DISCOVER repeated every 20 ms)
#   - CPU time (utime + stime from /proc/PID/stat) per DORA exchange at FIXED_RATE
#   - DORA/s reached with < 1 % drops: the offered rate steps up (RATES, STEP_S seconds each)
#     until drops >= 1 %; drop = 1 - ACKs / DISCOVERs sent, rate = ACKs / STEP_S (perfdhcp's
#     own "Rate:" divides by period + -W and under-reports)
#   - peak RSS (VmHWM) at the end
# and perfdhcp's own ceiling (DISCOVERs/s with nobody answering).
#
# perfdhcp draws its clients from CLIENTS (1000) MACs, fewer than the network's 1,266 dynamic
# addresses: after the first round every DORA is a known client coming back (lease reuse), so
# the pool never runs dry however long the ramp. (perfdhcp's -J giaddr list would spread load
# over sites, but perfdhcp only receives replies sent to its -l address.)
#
# Caveats (printed too): lessor fdatasync()s each lease before its ACK, Kea's memfile does not
# sync; both run with the configuration's multi-threading (12 threads) on 2 shared cores, and
# perfdhcp competes with them for those cores.
#
# Usage: bench/prod-scale.sh       (root; LESSOR_BIN default build/release/lessor, built with
#                                   the release preset if missing)
# Env:   LESSOR_BIN, KEA_BIN, STEP_S (3), FIXED_RATE (1000), FIXED_S (4), CLIENTS (1000),
#        RATES ("250 500 1000 ... 12000"), BENCH_DIR, SERVERS ("lessor kea kea_st"; kea_st =
#        Kea with multi-threading off, Kea 2.2's default)
# Bounded: every command has a timeout; the whole script stays under 4 minutes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
LESSOR_BIN=${LESSOR_BIN:-$repo/build/release/lessor}
KEA_BIN=${KEA_BIN:-$(command -v kea-dhcp4 || echo /usr/sbin/kea-dhcp4)}
PERFDHCP=${PERFDHCP:-$(command -v perfdhcp || echo /usr/sbin/perfdhcp)}
PY=/usr/bin/python3
STEP_S=${STEP_S:-3}
FIXED_RATE=${FIXED_RATE:-1000}
FIXED_S=${FIXED_S:-4}
CLIENTS=${CLIENTS:-1000}
RATES=${RATES:-"250 500 1000 1500 2000 3000 4000 5000 6000 8000 10000 12000"}
BENCH_DIR=${BENCH_DIR:-$repo/build/bench-prod-scale}
BUDGET_S=${BUDGET_S:-220}
SERVERS=${SERVERS:-"lessor kea kea_st"}
R_lessor_first=0 R_lessor_cpu=0 R_lessor_dora=0 R_lessor_hwm=0
R_kea_first=0 R_kea_cpu=0 R_kea_dora=0 R_kea_hwm=0
T0=$(date +%s)

die() { echo "prod-scale.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$PERFDHCP" ] || die "perfdhcp not found (Debian package kea-admin)"
[ -x "$KEA_BIN" ] || die "kea-dhcp4 not found"
if [ ! -x "$LESSOR_BIN" ]; then
	echo "building $LESSOR_BIN (release preset)"
	(cd "$repo" && timeout 300 cmake --preset release >/dev/null &&
		timeout 300 cmake --build --preset release --target lessor >/dev/null) ||
		die "cannot build lessor"
fi

SRV=lps-srv-$$
CLI=lps-cli-$$
RELAY=10.64.0.2
SERVER=192.0.2.1
mkdir -p "$BENCH_DIR"
WORK=$(mktemp -d "$BENCH_DIR/run.XXXXXX")
SPID=

cleanup() {
	set +e
	[ -n "$SPID" ] && kill -9 "$SPID" 2>/dev/null
	for ns in $SRV $CLI; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

ip netns add $SRV
ip netns add $CLI
ip link add lps$$s type veth peer name lps$$c
ip link set lps$$s netns $SRV
ip link set lps$$c netns $CLI
ip -n $SRV link set lps$$s name vsrv
ip -n $CLI link set lps$$c name vcli
ip -n $SRV addr add $SERVER/24 dev vsrv
ip -n $CLI addr add 192.0.2.2/24 dev vcli
ip -n $CLI addr add $RELAY/24 dev vcli
for ns in $SRV $CLI; do ip -n $ns link set lo up; done
ip -n $SRV link set vsrv up
ip -n $CLI link set vcli up
ip -n $SRV route add 10.64.0.0/10 via 192.0.2.2 dev vsrv
sleep 0.5

remaining() { echo $((BUDGET_S - ($(date +%s) - T0))); }

# --- a relayed DISCOVER until an OFFER comes back; prints the seconds since START_NS -----------
PROBE='
import socket, struct, sys, time, select
start = int(sys.argv[1]) / 1e9
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.64.0.2", 67))
gi = socket.inet_aton("10.64.0.2")
deadline = time.time() + 60
xid = 1
while time.time() < deadline:
    pkt = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 1, xid, 0, 0, bytes(4), bytes(4),
                      bytes(4), gi, bytes.fromhex("02fe00000001"), b"", b"")
    s.sendto(pkt + bytes([99, 130, 83, 99, 53, 1, 1, 255]), ("192.0.2.1", 67))
    r, _, _ = select.select([s], [], [], 0.02)
    if r:
        d = s.recv(4096)
        if 1 <= struct.unpack("!I", d[4:8])[0] <= xid:  # a reply to any DISCOVER sent
            print("%.3f" % (time.time() - start))
            sys.exit(0)
    xid += 1
sys.exit(1)
'

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hwm_kib() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

# perfdhcp RATE SECONDS -> "sent acks"
perf() {
	local rate=$1 secs=$2 out
	out=$(timeout $((secs + 20)) ip netns exec $CLI "$PERFDHCP" -4 -l $RELAY -r "$rate" \
		-R "$CLIENTS" -p "$secs" -W 1000000 $SERVER 2>&1) || true
	echo "$out" | awk '
		/Statistics for: DISCOVER-OFFER/ {s = 1} /Statistics for: REQUEST-ACK/ {s = 2}
		/sent packets:/ && s == 1 && !d {d = $3}
		/received packets:/ && s == 2 && !a {a = $3}
		END {print d + 0, a + 0}'
}

run_server() {
	local kind=$1 bin=$2 mt=${3:-cfg} dir="$WORK/$1"
	mkdir -p "$dir"
	"$PY" "$repo/tools/gen-prod-config.py" --interface vsrv --lease-file "$dir/leases4.csv" \
		-o "$dir/prod.json"
	# log at WARN: the same for both; INFO logs a line per packet in lessor and Kea >= 2.4
	"$PY" - "$dir/prod.json" "$mt" <<-'EOF'
	import json, sys
	p = sys.argv[1]; c = json.load(open(p))
	c["Dhcp4"]["loggers"][0]["severity"] = "WARN"
	if sys.argv[2] == "off":
	    c["Dhcp4"]["multi-threading"] = {"enable-multi-threading": False}
	json.dump(c, open(p, "w"))
	EOF
	local start
	start=$(date +%s%N)
	KEA_PIDFILE_DIR=$dir KEA_LOCKFILE_DIR=$dir ip netns exec $SRV "$bin" -c "$dir/prod.json" \
		>"$dir/server.log" 2>&1 &
	SPID=$!
	local first
	first=$(timeout 70 ip netns exec $CLI "$PY" -c "$PROBE" "$start") ||
		{ tail -20 "$dir/server.log"; die "$kind: no OFFER within 60 s"; }
	kill -0 $SPID 2>/dev/null || die "$kind exited"
	# fixed rate: CPU per exchange (twice, the first round also creates the leases)
	local c0 c1 r sent acks cpu_us
	perf "$FIXED_RATE" "$FIXED_S" >/dev/null
	c0=$(cpu_ticks $SPID)
	r=$(perf "$FIXED_RATE" "$FIXED_S")
	c1=$(cpu_ticks $SPID)
	read -r sent acks <<<"$r"
	local fixed_acks=$acks fixed_sent=$sent
	cpu_us=$("$PY" -c "import os; t=os.sysconf('SC_CLK_TCK'); print('%.0f' % (($c1-$c0)/t*1e6/max($acks,1)))")
	# ramp
	local best=0 best_rate=0 rate drop line ramp=""
	for rate in $RATES; do
		[ "$(remaining)" -gt $((STEP_S * 2 + 25)) ] || { ramp="$ramp (budget)"; break; }
		read -r sent acks <<<"$(perf "$rate" "$STEP_S")"
		drop=$("$PY" -c "print('%.2f' % (100.0 * (1 - $acks / max($sent, 1))))")
		ramp="$ramp $rate:$((acks / STEP_S))/s,${drop}%"
		if "$PY" -c "import sys; sys.exit(0 if $drop < 1.0 else 1)"; then
			best=$((acks / STEP_S))
			best_rate=$rate
		else
			break
		fi
	done
	local hwm
	hwm=$(hwm_kib $SPID)
	kill -TERM $SPID
	for _ in $(seq 100); do kill -0 $SPID 2>/dev/null || break; sleep 0.1; done
	kill -9 $SPID 2>/dev/null || true
	wait $SPID 2>/dev/null || true
	SPID=
	printf '%-7s first OFFER %6ss  CPU/exchange @%d/s %6s us  DORA/s <1%% drops %6s (offered %s)  VmHWM %6.1f MiB\n' \
		"$kind" "$first" "$FIXED_RATE" "$cpu_us" "$best" "$best_rate" "$(echo "$hwm / 1024" | bc -l)"
	echo "        fixed-rate round: $fixed_acks ACKs for $fixed_sent DISCOVERs;" \
		"ramp (offered:ACKs/s,drops):$ramp"
	eval "R_${kind}_first=$first R_${kind}_cpu=$cpu_us R_${kind}_dora=$best R_${kind}_hwm=$hwm"
}

echo "== production-scale configuration: 829 subnets / 142 shared networks / 14,404 reservations"
echo "   lessor: $LESSOR_BIN"
echo "   kea:    $KEA_BIN ($("$KEA_BIN" -v 2>/dev/null || true))"
for s in $SERVERS; do
	case $s in
	lessor) run_server lessor "$LESSOR_BIN" ;;
	kea) run_server kea "$KEA_BIN" ;;
	kea_st)
		echo "(kea_st: the same file with multi-threading off, Kea 2.2's default)"
		run_server kea_st "$KEA_BIN" off
		;;
	esac
done

# perfdhcp's ceiling: DISCOVERs/s with nobody answering
ceil=$(timeout 20 ip netns exec $CLI "$PERFDHCP" -4 -l $RELAY -r 100000 -R 1000000 -p 2 \
	-W 100000 $SERVER 2>&1 | awk '/Statistics for: DISCOVER-OFFER/ {s=1} s && /sent packets:/ {print int($3 / 2); exit}') || true
echo "perfdhcp ceiling (DISCOVERs/s, no server): ${ceil:-?}"
"$PY" -c "
l = dict(first=$R_lessor_first, cpu=$R_lessor_cpu, dora=$R_lessor_dora, hwm=$R_lessor_hwm)
k = dict(first=$R_kea_first, cpu=$R_kea_cpu, dora=$R_kea_dora, hwm=$R_kea_hwm)
r = lambda a, b: ('%.2fx' % (a / b)) if b else 'n/a'
print('lessor/Kea: first OFFER %s, CPU/exchange %s, DORA/s %s, VmHWM %s' % (
    r(l['first'], k['first']), r(l['cpu'], k['cpu']), r(l['dora'], k['dora']),
    r(l['hwm'], k['hwm'])))
"
echo "caveats: lessor fsyncs each lease before the ACK, Kea's memfile does not; perfdhcp shares"
echo "         the 2 cores with the server; a DORA/s equal to the last offered rate means the"
echo "         ramp ended (budget or RATES), not that the server was saturated."
echo "total $(($(date +%s) - T0)) s"
