#!/bin/bash
# lessor vs ISC Kea 2.2 under perfdhcp, same configuration (memfile), same run, interleaved.
#
# Topology (as the system tests): netns cli runs perfdhcp as relay 10.0.0.2, netns srv runs
# the server on 192.0.2.1; a veth pair joins them. Both servers get the identical JSON file.
#
# Prints for each server:
#   - DORA exchanges/s reached with < 1 % drops: the offered rate is stepped up and ACKs are
#     counted (perfdhcp's own "Rate:" line divides by period + -W and under-reports);
#     drop = 1 - ACKs / DISCOVERs sent
#   - server CPU time per exchange at a common fixed rate (utime+stime from /proc/PID/stat)
#   - peak RSS (VmHWM)
#   - the ratio lessor/Kea
# and perfdhcp's own ceiling (DISCOVERs/s it can send with nobody answering).
#
# Usage: bench/perfdhcp/compare.sh            (as root; builds the release preset if needed)
#        bench/perfdhcp/sql.py mysql|postgresql   (the same on a real database server; it sets
#        LEASE_DB_JSON, WIPE_CMD and MYSQL_UNIX_PORT below and runs this script)
# Env:   LESSOR_BIN (default build/release/lessor), KEA_BIN (kea-dhcp4),
#        STEP_S (2) seconds per rate step, RAMP_PASSES (2), FIXED_RATE (2000; "auto" = 80 % of
#        the lower ramp figure), FIXED_S (4), DB_PID (a database server whose CPU, with its
#        child processes, is measured per exchange too),
#        RATES ("1000 2000 3000 ... 30000"), MT (on | off | default, see below),
#        BENCH_DIR (build/bench-perfdhcp: the lease files live here, on disk; tmpfs would make
#        lessor's fsync free)
#        THREADS (thread-pool-size with MT=on, default nproc),
#        LEASE_DB_JSON (a lease-database map replacing the memfile, for both servers),
#        WIPE_CMD (run before every server start: empties the shared database's lease4)
# Bounded: every perfdhcp call has a timeout, the ramps stop after 180 s, the whole script
# stays under 5 minutes.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
LESSOR_BIN=${LESSOR_BIN:-$repo/build/release/lessor}
KEA_BIN=${KEA_BIN:-$(command -v kea-dhcp4 || echo /usr/sbin/kea-dhcp4)}
PERFDHCP=${PERFDHCP:-$(command -v perfdhcp || echo /usr/sbin/perfdhcp)}
STEP_S=${STEP_S:-2}
FIXED_RATE=${FIXED_RATE:-2000}
FIXED_S=${FIXED_S:-4}
RATES=${RATES:-"1000 2000 3000 4000 5000 6000 7000 8000 9000 10000 12000 15000 20000 25000 30000"}
BENCH_DIR=${BENCH_DIR:-$repo/build/bench-perfdhcp}
RAMP_BUDGET_S=${RAMP_BUDGET_S:-180}
# Threading, written into the shared configuration so both servers get the same: "on" =
# multi-threading with one thread per core (Kea's own recommendation for memfile), "off" =
# single-threaded, "default" = no multi-threading block (Kea 2.2 then runs single-threaded,
# lessor, following Kea 2.4, multi-threaded).
MT=${MT:-on}

die() { echo "compare.sh: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
[ -x "$PERFDHCP" ] || die "perfdhcp not found (Debian package kea-admin)"
[ -x "$KEA_BIN" ] || die "kea-dhcp4 not found (Debian package kea-dhcp4-server)"
if [ ! -x "$LESSOR_BIN" ]; then
	echo "# building lessor (release preset)" >&2
	(cd "$repo" && cmake --preset release >/dev/null && cmake --build --preset release --target lessor-bin >/dev/null)
fi
[ -x "$LESSOR_BIN" ] || die "lessor binary $LESSOR_BIN missing"

tag=$$
NS_PREFIX=${NS_PREFIX:-lsrb}     # namespaces NS_PREFIX-srv-PID, NS_PREFIX-cli-PID
SRV=$NS_PREFIX-srv-$tag
CLI=$NS_PREFIX-cli-$tag
VETH=${NS_PREFIX:0:7}
rm -rf "$BENCH_DIR"
mkdir -p "$BENCH_DIR"
SERVER_PID=

cleanup() {
	set +e
	[ -n "${watchdog:-}" ] && { pkill -P "$watchdog" 2>/dev/null; kill "$watchdog" 2>/dev/null; }
	[ -n "$SERVER_PID" ] && kill -9 "$SERVER_PID" 2>/dev/null
	for ns in "$SRV" "$CLI"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Hard bound: whatever happens, the run ends (and cleans up) within 5 minutes.
( sleep "${WATCHDOG_S:-290}"; echo "compare.sh: watchdog: stopping after ${WATCHDOG_S:-290}s" >&2; kill -TERM $$ 2>/dev/null ) &
watchdog=$!
disown "$watchdog"

ip netns add "$SRV"
ip netns add "$CLI"
ip link add "${VETH}s$tag" type veth peer name "${VETH}c$tag"
ip link set "${VETH}s$tag" netns "$SRV"
ip link set "${VETH}c$tag" netns "$CLI"
ip -n "$SRV" link set "${VETH}s$tag" name vsrv
ip -n "$CLI" link set "${VETH}c$tag" name vcli
ip -n "$SRV" addr add 192.0.2.1/24 dev vsrv
ip -n "$CLI" addr add 192.0.2.2/24 dev vcli
ip -n "$CLI" addr add 10.0.0.2/16 dev vcli
ip -n "$SRV" link set lo up
ip -n "$CLI" link set lo up
ip -n "$SRV" link set vsrv up
ip -n "$CLI" link set vcli up
ip -n "$SRV" route add 10.0.0.0/16 via 192.0.2.2 dev vsrv
sleep 0.5

write_config() { # $1 = dir
	local mt=
	case $MT in
	on) mt='"multi-threading": { "enable-multi-threading": true, "thread-pool-size": '"${THREADS:-$(nproc)}"', "packet-queue-size": 64 },' ;;
	off) mt='"multi-threading": { "enable-multi-threading": false },' ;;
	default) mt= ;;
	*) die "MT must be on, off or default" ;;
	esac
	local ldb=${LEASE_DB_JSON:-'{ "type": "memfile", "persist": true, "lfc-interval": 0, "name": "'"$1"'/leases4.csv" }'}
	cat > "$1/bench.json" <<JSON
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "vsrv" ], "dhcp-socket-type": "udp" },
    "lease-database": $ldb,
    "valid-lifetime": 4000,
    $mt
    "subnet4": [
      { "id": 1, "subnet": "10.0.0.0/16", "pools": [ { "pool": "10.0.1.0 - 10.0.255.250" } ] }
    ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
                   "output_options": [ { "output": "stdout" } ] } ]
  }
}
JSON
}

# start_server KIND -> sets SERVER_PID, SERVER_DIR
run_id=0
start_server() {
	local kind=$1 bin
	[ "$kind" = lessor ] && bin=$LESSOR_BIN || bin=$KEA_BIN
	run_id=$((run_id + 1))
	SERVER_DIR=$BENCH_DIR/$run_id-$kind
	mkdir -p "$SERVER_DIR"
	write_config "$SERVER_DIR"
	if [ -n "${WIPE_CMD:-}" ]; then bash -c "$WIPE_CMD" || die "WIPE_CMD failed"; fi
	KEA_PIDFILE_DIR=$SERVER_DIR KEA_LOCKFILE_DIR=$SERVER_DIR \
		ip netns exec "$SRV" "$bin" -c "$SERVER_DIR/bench.json" > "$SERVER_DIR/server.log" 2>&1 &
	SERVER_PID=$!
	# Ready = a relayed DISCOVER is answered (logging is at WARN, so no DHCP4_STARTED line).
	for _ in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_DIR/server.log" >&2; die "$kind exited at start"; }
		local out
		out=$(timeout 5 ip netns exec "$CLI" "$PERFDHCP" -4 -l 10.0.0.2 -n 1 -r 1 -R 1 -d 0.3 \
			-W 100000 -b mac=02:00:00:00:00:01 192.0.2.1 2>/dev/null || true)
		case $out in *"received packets: 1"*) return 0 ;; esac
		sleep 0.1
	done
	die "$kind did not answer within 10 s"
}

stop_server() {
	kill -TERM "$SERVER_PID" 2>/dev/null || true
	for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$SERVER_PID" 2>/dev/null || true
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
}

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# The database server's CPU ticks (DB_PID: mariadbd, or PostgreSQL's postmaster and every
# process it forked: the backends serving the DHCP server, walwriter, checkpointer ...);
# 0 without DB_PID.
db_ticks() {
	[ -n "${DB_PID:-}" ] || { echo 0; return; }
	local pids
	pids="$DB_PID $(pgrep -P "$DB_PID" | tr '\n' ' ')"
	# shellcheck disable=SC2086
	for p in $pids; do cat "/proc/$p/stat" 2>/dev/null; done | awk '{ t += $14 + $15 } END { print t + 0 }'
}
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# perf RATE SECONDS [extra...] -> prints "discovers acks"
perf() {
	local rate=$1 secs=$2; shift 2
	local clients=$((rate * secs))
	[ "$clients" -lt 1000 ] && clients=1000
	local out
	out=$(timeout $((secs + 20)) ip netns exec "$CLI" "$PERFDHCP" -4 -l 10.0.0.2 -r "$rate" \
		-R "$clients" -p "$secs" -d 1 -W 500000 "$@" 192.0.2.1 2>&1) || true
	echo "$out" | awk '
		/Statistics for: DISCOVER-OFFER/ { s = "do" } /Statistics for: REQUEST-ACK/ { s = "ra" }
		/^sent packets:/ && s == "do" { d = $3 }
		/^received packets:/ && s == "ra" { a = $3 }
		END { printf "%d %d\n", d, a }'
}

echo "# lessor: $LESSOR_BIN ($("$LESSOR_BIN" -v 2>/dev/null | head -1))"
echo "# kea:    $KEA_BIN ($("$KEA_BIN" -v 2>/dev/null | head -1))"
db_desc=memfile
[ -n "${LEASE_DB_JSON:-}" ] && db_desc="lease-database $(echo "$LEASE_DB_JSON" | sed 's/"password": "[^"]*"/"password": "*****"/')"
echo "# both:   $db_desc, UDP sockets, MT=$MT (thread-pool-size ${THREADS:-$(nproc)} when on)"
echo "# lease files in $BENCH_DIR ($(df -T "$BENCH_DIR" | awk 'NR==2 { print $2 }'))"
echo "# host: $(nproc) cores, $(uname -r)"

# perfdhcp's ceiling: DISCOVERs/s it sends with nobody answering (no server running).
read -r pd_sent _ < <(perf 200000 2)
pd_ceiling=$((pd_sent / 2))
echo "# perfdhcp alone sends $pd_ceiling DISCOVER/s (no server); with full DORA it needs ~4 packets of work per exchange"

# Ramp: lessor and Kea alternate at each step; each drops out at its first step with >= 1 %
# drops. RAMP_PASSES passes (default 2); a server's figure is its best pass, which damps the
# noise of a shared machine.
declare -A best=( [lessor]=0 [kea]=0 ) besta=( [lessor]=0 [kea]=0 )
start_ramp=$SECONDS
printf '\n%-5s %-8s %8s %10s %10s %8s\n' pass server rate DISCOVERs ACKs/s drop%
for pass in $(seq 1 "${RAMP_PASSES:-2}"); do
	declare -A done_=( [lessor]=0 [kea]=0 )
	for rate in $RATES; do
		for kind in lessor kea; do
			[ "${done_[$kind]}" = 1 ] && continue
			if [ $((SECONDS - start_ramp)) -gt "$RAMP_BUDGET_S" ]; then done_[$kind]=1; continue; fi
			start_server "$kind"
			read -r disc acks < <(perf "$rate" "$STEP_S")
			stop_server
			drop=$(awk -v d="$disc" -v a="$acks" 'BEGIN { printf "%.2f", d ? 100 * (1 - a / d) : 100 }')
			aps=$((acks / STEP_S))
			note=
			[ "$disc" -lt $((rate * STEP_S * 95 / 100)) ] && note="  (perfdhcp sent only $((disc / STEP_S))/s)"
			printf '%-5s %-8s %8d %10d %10d %8s%s\n' "$pass" "$kind" "$rate" "$disc" "$aps" "$drop" "$note"
			if awk -v d="$drop" 'BEGIN { exit !(d < 1.0) }'; then
				[ "$aps" -gt "${besta[$kind]}" ] && { best[$kind]=$rate; besta[$kind]=$aps; }
			else
				done_[$kind]=1
			fi
		done
		[ "${done_[lessor]}" = 1 ] && [ "${done_[kea]}" = 1 ] && break
	done
done

# Fixed rate: CPU per exchange and peak RSS, two rounds interleaved lessor, kea, lessor, kea.
# FIXED_RATE=auto: 80 % of the lower of the two ramp figures, so both servers keep up.
if [ "$FIXED_RATE" = auto ]; then
	lo=${besta[lessor]}
	[ "${besta[kea]}" -lt "$lo" ] && lo=${besta[kea]}
	FIXED_RATE=$((lo * 8 / 10))
	[ "$FIXED_RATE" -lt 20 ] && FIXED_RATE=20
fi
declare -A cpu_us=( [lessor]=0 [kea]=0 ) hwm=( [lessor]=0 [kea]=0 ) nacks=( [lessor]=0 [kea]=0 )
declare -A db_us=( [lessor]=0 [kea]=0 )
hz=$(getconf CLK_TCK)
for _ in 1 2; do
	for kind in lessor kea; do
		start_server "$kind"
		t0=$(cpu_ticks "$SERVER_PID")
		d0=$(db_ticks)
		read -r disc acks < <(perf "$FIXED_RATE" "$FIXED_S")
		t1=$(cpu_ticks "$SERVER_PID")
		d1=$(db_ticks)
		h=$(hwm_kib "$SERVER_PID")
		stop_server
		cpu_us[$kind]=$((cpu_us[$kind] + (t1 - t0) * 1000000 / hz))
		db_us[$kind]=$((db_us[$kind] + (d1 - d0) * 1000000 / hz))
		nacks[$kind]=$((nacks[$kind] + acks))
		[ "$h" -gt "${hwm[$kind]}" ] && hwm[$kind]=$h
	done
done

per_ex() { awk -v c="$1" -v n="$2" 'BEGIN { printf "%.1f", n ? c / n : 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
lc=$(per_ex "${cpu_us[lessor]}" "${nacks[lessor]}")
kc=$(per_ex "${cpu_us[kea]}" "${nacks[kea]}")
lm=$(awk -v k="${hwm[lessor]}" 'BEGIN { printf "%.1f", k / 1024 }')
km=$(awk -v k="${hwm[kea]}" 'BEGIN { printf "%.1f", k / 1024 }')

echo
printf '%-44s %12s %12s %12s\n' "" lessor kea lessor/kea
printf '%-44s %12s %12s %12s\n' "DORA/s with < 1 % drops (ACKs counted)" "${besta[lessor]}" "${besta[kea]}" "$(ratio "${besta[lessor]}" "${besta[kea]}")"
printf '%-44s %12s %12s %12s\n' "  (highest offered rate passed)" "${best[lessor]}" "${best[kea]}" ""
printf '%-44s %12s %12s %12s\n' "server CPU us per exchange at $FIXED_RATE/s" "$lc" "$kc" "$(ratio "$lc" "$kc")"
if [ -n "${DB_PID:-}" ]; then
	ld=$(per_ex "${db_us[lessor]}" "${nacks[lessor]}")
	kd=$(per_ex "${db_us[kea]}" "${nacks[kea]}")
	printf '%-44s %12s %12s %12s\n' "database CPU us per exchange at $FIXED_RATE/s" "$ld" "$kd" "$(ratio "$ld" "$kd")"
fi
printf '%-44s %12s %12s %12s\n' "peak RSS (VmHWM) MiB" "$lm" "$km" "$(ratio "$lm" "$km")"
printf '%-44s %12s\n' "perfdhcp ceiling, DISCOVER/s sent alone" "$pd_ceiling"
echo
echo "Notes: lessor fsyncs every lease before its ACK leaves; Kea's memfile does not fsync (it"
echo "only flushes to the page cache), so Kea does less work per exchange here. Server and"
echo "perfdhcp share the $(nproc) cores: a result near the last rate step or near perfdhcp's"
echo "ceiling is a bound of the load generator, not of the server."
# one line for scripts (bench/perfdhcp/sql.py collects it)
echo "RESULT dora ${besta[lessor]} ${besta[kea]} cpu $lc $kc db ${ld:-0} ${kd:-0} fixed $FIXED_RATE"
echo "# total ${SECONDS}s"
