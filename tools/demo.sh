#!/bin/bash
# Build lessor and run it on examples/lessor.json -- safely: the server runs inside a private
# network namespace ("lessor-demo") whose only link is a veth pair to a second namespace
# ("lessor-demo-client"), so it can never answer a real LAN. A demo client (ISC dhclient, or
# perfdhcp if dhclient is missing) then obtains a lease from it, and the server keeps running
# in the foreground until Ctrl-C; both namespaces are removed on exit.
#
# Usage: tools/demo.sh [CONFIG]             (default examples/lessor.json)
#        DEMO_ONCE=1 tools/demo.sh          (stop after the demo client got its lease)
#        DEMO_BIN=/usr/sbin/kea-dhcp4 ...   (run another binary, e.g. Kea, on the same file)
#        DEMO_INSTALL=0 ...                 (do not install missing Debian packages)
# Needs root: run as root, or as a user who may sudo (the script re-runs itself with sudo).
# On Debian it first installs what the build and the demo need (.ci/install-deps.sh demo:
# only the packages that are missing, so later runs do not touch apt).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cfg=$(realpath "${1:-$repo/examples/lessor.json}")
NS=lessor-demo
CNS=lessor-demo-client
PY=/usr/bin/python3

die() { echo "demo.sh: $*" >&2; exit 1; }
if [ "$(id -u)" != 0 ]; then
	# Written for both a root shell without sudo (Debian's default install) and a sudo user.
	command -v sudo >/dev/null || die "run as root (it creates network namespaces and installs packages)"
	exec sudo --preserve-env=DEMO_ONCE,DEMO_BIN,DEMO_INSTALL "$0" "$@"
fi
[ -r "$cfg" ] || die "no configuration at $cfg"
if [ "${DEMO_INSTALL:-1}" != 0 ]; then
	if command -v apt-get >/dev/null; then
		"$repo/.ci/install-deps.sh" demo || die "installing the build's packages failed"
	else
		echo "demo.sh: no apt-get; needs $("$repo/.ci/install-deps.sh" --list demo | tr '\n' ' ')" >&2
	fi
fi
command -v ip >/dev/null || die "iproute2 (ip) is missing"

if [ -n "${DEMO_BIN:-}" ]; then
	bin=$DEMO_BIN          # e.g. DEMO_BIN=/usr/sbin/kea-dhcp4 to run Kea on the same file
else
	echo "== building lessor (release preset)"
	(cd "$repo" && cmake --preset release >/dev/null && cmake --build --preset release --target lessor-bin)
	bin=$repo/build/release/lessor
fi

# What the configuration expects: its interface, a server address inside the subnet on that
# interface, a relay address (giaddr) inside another subnet if there is one, and the memfile.
read -r ifname srvaddr plen cliaddr relaynet giaddr leasefile < <("$PY" - "$cfg" <<'PYEOF'
import ipaddress, json, re, sys
text = open(sys.argv[1]).read()
text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)         # Kea allows C, C++ and shell comments
text = re.sub(r"(?m)^\s*(//|#).*$", "", text)
d4 = json.loads(text)["Dhcp4"]
ifs = d4.get("interfaces-config", {}).get("interfaces", [])
name, _, addr = (ifs[0] if ifs else "veth-demo").partition("/")
if name == "*":
    name = "veth-demo"
subs = list(d4.get("subnet4", []))
for sn in d4.get("shared-networks", []):
    subs += sn.get("subnet4", [])
if not subs:
    subs = [{"subnet": "192.0.2.0/24"}]
def pooled(s):
    out = set()
    for p in s.get("pools", []):
        lo, _, hi = p["pool"].replace(" ", "").partition("-")
        if hi:
            out.update(range(int(ipaddress.ip_address(lo)), int(ipaddress.ip_address(hi)) + 1))
        else:
            out.update(int(a) for a in ipaddress.ip_network(lo, strict=False))
    return out
def free_hosts(s):
    net = ipaddress.ip_network(s["subnet"], strict=False)
    used = pooled(s)
    return (h for h in net.hosts() if int(h) not in used)
local = subs[0]
if addr:
    local = next((s for s in subs if ipaddress.ip_address(addr) in
                  ipaddress.ip_network(s["subnet"], strict=False)), subs[0])
hosts = free_hosts(local)
srv = addr or str(next(hosts))
cli = next(str(h) for h in hosts if str(h) != srv)
plen = ipaddress.ip_network(local["subnet"], strict=False).prefixlen
relay = next((s for s in subs if s is not local), None)
relaynet, gi = "-", "-"
if relay:
    relaynet = str(ipaddress.ip_network(relay["subnet"], strict=False))
    gi = "%s/%d" % (next(free_hosts(relay), None) or "-", ipaddress.ip_network(relaynet).prefixlen)
lf = d4.get("lease-database", {}).get("name", "")
print(name, srv, plen, cli, relaynet, gi, lf or "-")
PYEOF
)
[ -n "$ifname" ] || die "cannot read $cfg"

cleanup() {
	set +e
	for ns in "$NS" "$CNS"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -TERM "$p" 2>/dev/null; done
	done
	sleep 0.3
	for ns in "$NS" "$CNS"; do
		for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		ip netns del "$ns" 2>/dev/null
	done
	[ -n "${tmp:-}" ] && rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

for ns in "$NS" "$CNS"; do
	if ip netns list | grep -qw "^$ns"; then die "namespace $ns exists (another demo running?)"; fi
done
tmp=$(mktemp -d /tmp/lessor-demo.XXXXXX)

echo "== namespace $NS: $ifname $srvaddr/$plen <== veth ==> namespace $CNS: demo-cli"
ip netns add "$NS"
ip netns add "$CNS"
ip link add ldemo$$ type veth peer name ldemoc$$
ip link set ldemo$$ netns "$NS"
ip link set ldemoc$$ netns "$CNS"
ip -n "$NS" link set ldemo$$ name "$ifname"
ip -n "$CNS" link set ldemoc$$ name demo-cli
ip -n "$NS" addr add "$srvaddr/$plen" dev "$ifname"
ip -n "$CNS" addr add "$cliaddr/$plen" dev demo-cli
ip -n "$NS" link set lo up
ip -n "$CNS" link set lo up
ip -n "$NS" link set "$ifname" up
ip -n "$CNS" link set demo-cli up
if [ "$giaddr" != - ]; then
	# The client namespace also plays a relay (giaddr) for the configuration's other subnet.
	ip -n "$CNS" addr add "$giaddr" dev demo-cli
	ip -n "$NS" route add "$relaynet" via "$cliaddr" dev "$ifname"
fi

if [ "$leasefile" != - ] && [ "${leasefile#/}" != "$leasefile" ]; then
	mkdir -p "$(dirname "$leasefile")"
fi

echo "== starting: ip netns exec $NS $bin -c $cfg"
KEA_PIDFILE_DIR=$tmp KEA_LOCKFILE_DIR=$tmp ip netns exec "$NS" "$bin" -c "$cfg" > >(tee "$tmp/log") 2>&1 &
server=$!
for _ in $(seq 1 100); do
	kill -0 "$server" 2>/dev/null || die "lessor exited"
	ss_out=$(ip netns exec "$NS" ss -lun 2>/dev/null || true)
	case $ss_out in *":67 "*) break ;; esac
	# raw sockets (Kea's default) do not show up as UDP :67
	[ -s "$tmp/log" ] && grep -q DHCP4_STARTED "$tmp/log" && break
	sleep 0.1
done
sleep 0.5

perfdhcp=$(command -v perfdhcp || true)
if [ "$giaddr" != - ] && [ -n "$perfdhcp" ]; then
	echo "== 10 relayed clients (perfdhcp as relay ${giaddr%/*} in $CNS)"
	ip netns exec "$CNS" timeout 20 "$perfdhcp" -4 -l "${giaddr%/*}" -r 10 -R 10 -n 10 \
		-W 500000 -b mac=02:de:00:00:00:00 "$srvaddr" 2>&1 |
		awk '/Statistics for: REQUEST-ACK/ { s = 1 } s && /received packets/ { print "   ACKs received: " $3; s = 0 }' || true
fi
echo "== a directly connected client (dhclient on demo-cli in $CNS) asks for a lease"
if command -v dhclient >/dev/null; then
	touch "$tmp/dhclient.leases"
	echo 'request subnet-mask, routers, domain-name, domain-name-servers;' > "$tmp/dhclient.conf"
	( ip netns exec "$CNS" timeout 15 dhclient -1 -d -v -cf "$tmp/dhclient.conf" \
		-lf "$tmp/dhclient.leases" -pf "$tmp/dhclient.pid" -sf /bin/true demo-cli 2>&1 |
		grep --line-buffered -E "DHCP(DISCOVER|OFFER|REQUEST|ACK|NAK)|bound to" |
		sed -u 's/^/   client: /' ) 2>/dev/null &
	client=$!
	for _ in $(seq 1 75); do
		grep -q "fixed-address" "$tmp/dhclient.leases" 2>/dev/null && break
		sleep 0.2
	done
	for p in $(ip netns pids "$CNS"); do kill "$p" 2>/dev/null || true; done
	wait "$client" 2>/dev/null || true
	got=$(awk '/fixed-address/ { gsub(";", ""); a = $2 } END { print a }' "$tmp/dhclient.leases")
	echo "== the direct client got: ${got:-no lease}"
else
	echo "   (dhclient is not installed: apt-get install isc-dhcp-client)"
fi
[ "$leasefile" != - ] && [ -r "$leasefile" ] && { echo "== lease file $leasefile:"; tail -n 5 "$leasefile"; }

if [ "${DEMO_ONCE:-0}" = 1 ]; then
	kill -TERM "$server"
	wait "$server" || true
	exit 0
fi
echo "== lessor is serving inside namespace $NS; try:"
echo "   sudo ip netns exec $CNS dhclient -1 -d -v -sf /bin/true -lf /tmp/x.leases -pf /tmp/x.pid demo-cli"
[ "$giaddr" != - ] && echo "   sudo ip netns exec $CNS perfdhcp -4 -l ${giaddr%/*} -r 100 -R 100 -n 100 $srvaddr"
echo "   Ctrl-C stops the server and removes both namespaces."
wait "$server"
