"""Differential tests for directly connected clients: lessor against ISC Kea 2.2 on the link.

The test process is the client on the server's link: in netns cli it writes whole Ethernet frames
on vcli (AF_PACKET), always from CLI_MAC, while every case's chaddr is another MAC, and it
captures every frame that arrives on vcli (whatever its destination MAC). Each reply is decoded
as Ethernet + IPv4 + UDP + DHCP (difflib4.decode) and the frames a case receives must be the same
from Kea and from lessor: destination MAC (Kea answers the query's source MAC, not chaddr, even
with the broadcast flag), IP source/destination (ciaddr, yiaddr, the client's source or
255.255.255.255), TTL/TOS/DF/id, ports and checksums, and the DHCP message.

Groups (one fresh server of each kind per group, cases in table order):
- raw: dhcp-socket-type raw (Kea's default), single-threaded.
- raw-mt: the same with 4 threads (a unicast renew reaches any worker).
- udp: dhcp-socket-type udp. Kea's UDP sockets are bound to the interface address, so it never
  sees a broadcast; replies leave through the kernel (to ciaddr, or broadcast). The server
  namespace gets static neighbour entries for the client addresses, so the kernel's unicast
  replies are captured instead of ARP requests.

Each case names what it is about in `want` (checked on Kea's frames too, so that a case proves
something): e.g. {"0:eth_dst": CLI_MAC, "0:ip_dst": "@lease", "0:type": ACK}. Keys are
"N:field" for the N-th captured reply frame of the case's last step; fields are frame fields or
"type" (DHCP message type) or any decoded DHCP field; "@lease" is the address the case's own
setup exchange was ACKed, "none" as a value means no reply at all.
"""

import os
import select
import socket
import struct
import time

import pytest

from conftest import SERVER_KIND, NetPair, Server, base_config, need_root, need_tools
from difflib4 import (ACK, DISCOVER, INFORM, NAK, OFFER, RELEASE, REQUEST, build, decode, diff,
                      in_netns, mac_bytes, msgtype, opt)

KIND_B = "kea" if SERVER_KIND == "kea" else "lessor"
SRV_MAC = "02:00:00:00:55:01"
CLI_MAC = "02:00:00:00:cc:01"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"
SRV_IP = "192.0.2.1"
PRL = (55, bytes([1, 3, 6, 15, 51, 54]))
WAIT = 0.5
ETH_P_ALL = 3
PACKET_OUTGOING = 4

SUBNET = {"id": 2, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}],
          "option-data": [{"name": "routers", "data": "192.0.2.1"},
                          {"name": "domain-name", "data": "direct.example"}]}
GROUPS = {
    "raw": {"socket": "raw", "mt": {"enable-multi-threading": False}},
    "raw-mt": {"socket": "raw", "mt": {"enable-multi-threading": True, "thread-pool-size": 4,
                                       "packet-queue-size": 64}},
    "udp": {"socket": "udp", "mt": {"enable-multi-threading": False}},
    # the link's subnet guarded by a client class (a test expression, the built-in
    # VENDOR_CLASS_<option 60>)
    "raw-guard": {"socket": "raw", "mt": {"enable-multi-threading": False}, "extra": {
        "subnet4": [dict(SUBNET, **{"client-class": "c-guard"})],
        "client-classes": [{"name": "c-guard", "test": "option[77].hex == 'GUARD' or "
                                                      "member('VENDOR_CLASS_acme')"}]}},
    "raw-vendor-guard": {"socket": "raw", "mt": {"enable-multi-threading": False}, "extra": {
        "subnet4": [dict(SUBNET, **{"client-class": "VENDOR_CLASS_acme"})]}},
}
# addresses the udp group's kernel path must reach without ARP (static neighbours); 192.0.2.2 is
# netns cli's own address: without an entry the kernel's unicast NUD probe of it can fall into a
# case's capture (seen in CI under load: "who-has 192.0.2.2" in udp-broadcast-discover-ignored,
# and in raw-guard's guarded-subnet-renew with system tests running in parallel), so every
# group has that one; the raw groups need no other.
NEIGHBOURS = ["192.0.2.%d" % i for i in list(range(100, 140)) + [2, 77, 78, 150]]
OWN_NEIGHBOUR = ["192.0.2.2"]


# ---------------------------------------------------------------------------------------------
# frames

def _csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(dmac, src, dst, payload, sport=68, dport=67):
    """An Ethernet frame from CLI_MAC to DMAC holding IPv4 SRC -> DST, UDP SPORT -> DPORT."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", _csum(ip)) + ip[12:]
    return mac_bytes(dmac) + mac_bytes(CLI_MAC) + b"\x08\x00" + ip + udp


def parse_frame(f):
    """A received frame as a dict (None for frames that are not server replies or ARP)."""
    d = {"eth_dst": f[0:6].hex(":"), "eth_src": f[6:12].hex(":")}
    etype = f[12:14]
    if etype == b"\x08\x06":
        d["arp"] = "who-has %s tell %s" % (socket.inet_ntoa(f[38:42]), socket.inet_ntoa(f[28:32]))
        return d
    if etype != b"\x08\x00" or len(f) < 42:
        return None
    ip = f[14:]
    ihl = (ip[0] & 15) * 4
    if ip[9] != 17:
        return None
    u = ip[ihl:]
    sport, dport, ulen, ucs = struct.unpack("!HHHH", u[:8])
    if sport != 67:
        return None
    total = struct.unpack("!H", ip[2:4])[0]
    payload = u[8:ulen]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, ulen)
    d.update({
        "ip_src": socket.inet_ntoa(ip[12:16]), "ip_dst": socket.inet_ntoa(ip[16:20]),
        "ip_tos": ip[1], "ip_id": struct.unpack("!H", ip[4:6])[0],
        "ip_frag": "%04x" % struct.unpack("!H", ip[6:8])[0], "ip_ttl": ip[8],
        "ip_len_ok": total == len(ip[:total]) and total == ihl + ulen,
        "ip_csum_ok": _csum(ip[:ihl]) == 0,
        "udp_sport": sport, "udp_dport": dport,
        "udp_csum": "none" if ucs == 0 else ("ok" if _csum(pseudo + u[:ulen]) == 0 else "bad"),
        "dhcp": decode(payload),
    })
    return d


class Link:
    """The client side of the link: one AF_PACKET socket on vcli in netns NS."""

    def __init__(self, ns, iface="vcli"):
        def mk():
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            s.bind((iface, 0))
            return s
        self.sock = in_netns(ns, mk)

    def close(self):
        self.sock.close()

    def drain(self):
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recv(4096)
        except (BlockingIOError, OSError):
            pass
        self.sock.setblocking(True)

    def send(self, fr, xid, wait=WAIT):
        """Send frame FR; return the parsed frames that arrive within WAIT seconds and belong
        to this exchange (DHCP replies with XID, and ARP requests)."""
        self.sock.send(fr)
        got = []
        end = time.monotonic() + wait
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return got
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                return got
            data, addr = self.sock.recvfrom(4096)
            if addr[2] == PACKET_OUTGOING:
                continue
            p = parse_frame(data)
            if p is None:
                continue
            if "arp" in p or p["dhcp"].get("xid") == xid:
                got.append(p)
                if "arp" not in p:
                    # one reply per query: stop early, but keep a short grace for duplicates
                    end = min(end, time.monotonic() + 0.1)


# ---------------------------------------------------------------------------------------------
# cases: a case is a list of steps run in order; only the last step's frames are compared
# whole, the earlier ones (its setup) only by their DHCP message

CASES = []


class Case:
    def __init__(self, name, groups, steps, want):
        self.name, self.groups, self.steps, self.want = name, groups, steps, want


def C(name, steps, want, groups=("raw", "raw-mt", "udp")):
    CASES.append(Case(name, groups, steps, want))


# A step is (role, builder); a builder gets (state, chaddr bytes, xid) and returns a frame.
# Option values and addresses may name state: "@offer", "@lease" (dotted quads), "@sid" (bytes).
def _opts(st, opts):
    out = [PRL]
    for c, v in opts:
        if isinstance(v, str):
            v = st.get(v, b"")
            v = socket.inet_aton(v) if isinstance(v, str) else v
        out.append((c, v))
    return out


def _bcast(msg, ciaddr="0.0.0.0", src="0.0.0.0", flags=0, opts=(), chaddr=None):
    """Broadcast (frame and IP) from SRC."""
    def b(st, ch, xid):
        return frame(BCAST_MAC, st.get(src, src), "255.255.255.255",
                     build(None, msg, xid=xid, chaddr=chaddr or ch, ciaddr=st.get(ciaddr, ciaddr),
                           flags=flags, opts=_opts(st, opts)))
    return b


def _ucast(msg, ciaddr, src, flags=0, opts=(), chaddr=None):
    """Unicast to the server (its MAC and address), from SRC."""
    def b(st, ch, xid):
        return frame(SRV_MAC, st.get(src, src), SRV_IP,
                     build(None, msg, xid=xid, chaddr=chaddr or ch, ciaddr=st.get(ciaddr, ciaddr),
                           flags=flags, opts=_opts(st, opts)))
    return b


# The kernel drops a unicast datagram from 0.0.0.0 (a martian source), so the udp group's
# clients send unicast from an address.
UDP_SRC = "192.0.2.78"


def _dora(preloaded=False):
    """DISCOVER + SELECTING REQUEST, broadcast; sets st['@lease'] from the ACK. The udp group
    cannot: Kea never sees a broadcast and, without SO_BROADCAST on its UDP sockets, cannot
    send one (EACCES); its cases start from a lease in the preloaded lease file instead."""
    if preloaded:
        return []
    return [("setup", _bcast(DISCOVER)),
            ("setup", _bcast(REQUEST, opts=[(50, "@offer"), (54, "@sid")]))]


S = "@lease"
# --- the first exchange: broadcast DISCOVER and SELECTING REQUEST ---------------------------
C("discover", [("main", _bcast(DISCOVER))],
  {"0:type": OFFER, "0:eth_dst": CLI_MAC, "0:ip_dst": "@offer"}, groups=("raw", "raw-mt"))
C("discover-broadcast-flag", [("main", _bcast(DISCOVER, flags=0x8000))],
  {"0:type": OFFER, "0:eth_dst": CLI_MAC, "0:ip_dst": "255.255.255.255"},
  groups=("raw", "raw-mt"))
C("udp-broadcast-discover-ignored", [("main", _bcast(DISCOVER))], {"0:type": "none"},
  groups=("udp",))
# Kea 2.2 answers by broadcast but its UDP socket lacks SO_BROADCAST: sendmsg() fails (EACCES)
C("udp-unicast-discover", [("main", _ucast(DISCOVER, "0.0.0.0", UDP_SRC))], {"0:type": "none"},
  groups=("udp",))
C("selecting-request", _dora()[:1] + [("main", _bcast(REQUEST, opts=[(50, "@offer"),
                                                                   (54, "@sid")]))],
  {"0:type": ACK, "0:eth_dst": CLI_MAC, "0:ip_dst": "@offer"}, groups=("raw", "raw-mt"))
# --- RENEWING (unicast, ciaddr), REBINDING (broadcast, ciaddr) -------------------------------
for g, uni in (("raw", False), ("raw-mt", False), ("udp", True)):
    sfx = "" if g == "raw" else "-" + g
    C("renew-unicast" + sfx, _dora(uni) + [("main", _ucast(REQUEST, S, S))],
      {"0:type": ACK, "0:eth_dst": CLI_MAC, "0:ip_dst": S, "0:ciaddr": S}, groups=(g,))
    C("renew-unicast-broadcast-flag" + sfx,
      _dora(uni) + [("main", _ucast(REQUEST, S, S, flags=0x8000))],
      {"0:type": ACK, "0:ip_dst": S, "0:flags": 0x8000}, groups=(g,))
    # Kea's renewal answers the *address* asked for by ciaddr; a renewal for an address another
    # client holds is NAKed, and the NAK goes to that ciaddr
    C("renew-other-clients-address-nak" + sfx,
      _dora(uni) + [("main", _ucast(REQUEST, S, S, chaddr=mac_bytes("02:dd:ee:00:00:01") + bytes(10)))],
      {"0:type": NAK, "0:ip_dst": S, "0:yiaddr": "0.0.0.0"}, groups=(g,))
    # INFORM from a client with an address (ciaddr), unicast
    C("inform-unicast" + sfx, [("main", _ucast(INFORM, "192.0.2.77", "192.0.2.77"))],
      {"0:type": ACK, "0:ip_dst": "192.0.2.77", "0:udp_dport": 68}, groups=(g,))
    # an INFORM without ciaddr is answered to its IP source
    C("inform-no-ciaddr-unicast" + sfx, [("main", _ucast(INFORM, "0.0.0.0", "192.0.2.78"))],
      {"0:type": ACK, "0:ip_dst": "192.0.2.78", "0:ciaddr": "0.0.0.0"}, groups=(g,))
    # RELEASE (unicast), then the same client DISCOVERs with its old address in ciaddr
    rel = _ucast(RELEASE, S, S, opts=[(54, "@sid")])
    disc_ci = _ucast(DISCOVER, S, S) if uni else _bcast(DISCOVER, ciaddr=S)
    C("release-then-discover-with-ciaddr" + sfx,
      _dora(uni) + [("setup", rel), ("main", disc_ci)],
      {"0:type": OFFER, "0:ip_dst": S}, groups=(g,))

C("rebind-broadcast", _dora() + [("main", _bcast(REQUEST, ciaddr=S, src=S))],
  {"0:type": ACK, "0:eth_dst": CLI_MAC, "0:ip_dst": S}, groups=("raw", "raw-mt"))
C("inform-broadcast", [("main", _bcast(INFORM, ciaddr="192.0.2.77", src="192.0.2.77"))],
  {"0:type": ACK, "0:eth_dst": CLI_MAC, "0:ip_dst": "192.0.2.77"}, groups=("raw", "raw-mt"))
C("inform-broadcast-no-ciaddr", [("main", _bcast(INFORM, src="192.0.2.78"))],
  {"0:type": ACK, "0:ip_dst": "192.0.2.78"}, groups=("raw", "raw-mt"))
C("discover-with-ciaddr", [("main", _bcast(DISCOVER, ciaddr="192.0.2.150"))],
  {"0:type": OFFER, "0:eth_dst": CLI_MAC, "0:ip_dst": "192.0.2.150"}, groups=("raw", "raw-mt"))
C("discover-with-ciaddr-broadcast-flag",
  [("main", _bcast(DISCOVER, ciaddr="192.0.2.150", flags=0x8000))],
  {"0:type": OFFER, "0:ip_dst": "192.0.2.150"}, groups=("raw", "raw-mt"))
# INIT-REBOOT of a known client for another address: NAK, broadcast (no ciaddr), to the
# source MAC
C("init-reboot-wrong-address-nak", _dora() + [("main", _bcast(REQUEST, opts=[
    (50, b"\xc0\x00\x02\xc7")]))],
  {"0:type": NAK, "0:eth_dst": CLI_MAC, "0:ip_dst": "255.255.255.255"},
  groups=("raw", "raw-mt"))


# Deliberate, documented differences (docs/differences.md): "group:case" -> reason (xfail strict)
DIFFERENCES = {
    "udp:udp-unicast-discover": "dhcp-socket-type udp, a client without a lease: Kea 2.2 "
                                "answers by broadcast on a socket without SO_BROADCAST and the "
                                "send fails (EACCES); lessor's broadcast leaves",
}

# --- class-guarded subnet and pool on the link ---------------------------------------------
GUARD = (77, b"GUARD")
C("guarded-subnet-test-class", [("setup", _bcast(DISCOVER, opts=[GUARD])),
                                ("main", _bcast(REQUEST, opts=[GUARD, (50, "@offer"),
                                                               (54, "@sid")]))],
  {"0:type": ACK, "0:ip_dst": "@offer"},
  groups=("raw-guard",))
C("guarded-subnet-discover", [("main", _bcast(DISCOVER, opts=[GUARD]))],
  {"0:type": OFFER, "0:eth_dst": CLI_MAC}, groups=("raw-guard",))
C("guarded-subnet-vendor-class", [("main", _bcast(DISCOVER, opts=[(60, b"acme")]))],
  {"0:type": OFFER}, groups=("raw-guard", "raw-vendor-guard"))
C("guarded-subnet-not-member", [("main", _bcast(DISCOVER, opts=[(77, b"OTHER")]))],
  {"0:type": "none"}, groups=("raw-guard", "raw-vendor-guard"))
C("guarded-subnet-renew", [("setup", _bcast(DISCOVER, opts=[GUARD])),
                           ("setup", _bcast(REQUEST, opts=[GUARD, (50, "@offer"), (54, "@sid")])),
                           ("main", _ucast(REQUEST, S, S, opts=[GUARD]))],
  {"0:type": ACK, "0:ip_dst": S}, groups=("raw-guard",))

# ---------------------------------------------------------------------------------------------
# the runner

_topology = {}


def _net():
    if "net" not in _topology:
        need_root()
        need_tools("ip", "kea-dhcp4")
        net = NetPair(srv_addrs=("192.0.2.1/24",), cli_addrs=("192.0.2.2/24",), routes=())
        _topology["net"] = net
        net.run(net.srv, ["ip", "link", "set", "vsrv", "address", SRV_MAC], check=True)
        net.run(net.cli, ["ip", "link", "set", "vcli", "address", CLI_MAC], check=True)
        # no IPv6 chatter on the link (router solicitations, MLD) while capturing
        for ns, ifc in ((net.srv, "vsrv"), (net.cli, "vcli")):
            net.run(ns, ["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % ifc])
    return _topology["net"]


@pytest.fixture(scope="module", autouse=True)
def _teardown_topology():
    yield
    net = _topology.pop("net", None)
    if net:
        net.close()


def _neighbours(net, on, udp):
    for a in NEIGHBOURS if udp else OWN_NEIGHBOUR:
        if on:
            net.run(net.srv, ["ip", "neigh", "replace", a, "lladdr", CLI_MAC, "nud", "permanent",
                              "dev", "vsrv"], check=True)
        else:
            net.run(net.srv, ["ip", "neigh", "del", a, "dev", "vsrv"])
    net.run(net.srv, ["ip", "neigh", "flush", "dev", "vsrv", "nud", "reachable"])


def _chaddr(gidx, i):
    return "02:dd:%02x:00:00:%02x" % (gidx, i)


def _preloaded(i):
    return "192.0.2.%d" % (110 + i)


def _preload(path, gidx, cases):
    """A lease for every case's client (udp group), so that its unicast exchanges have one."""
    now = int(time.time())
    with open(path, "w") as f:
        f.write("address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,"
                "hostname,state,user_context\n")
        for i, _ in enumerate(cases):
            f.write("%s,%s,,4000,%d,2,0,0,,0,\n" % (_preloaded(i), _chaddr(gidx, i), now + 4000))


def _run_step(link, builder, st, ch, xid):
    got = link.send(builder(st, mac_bytes(ch) + bytes(10), xid), xid)
    for p in got:
        d = p.get("dhcp")
        if not d:
            continue
        t = msgtype(d)
        if t == OFFER:
            st["@offer"] = d["yiaddr"]
            sid = [h for c, h in d["options"] if c == 54]
            st["@sid"] = bytes.fromhex(sid[0]) if sid else b""
        if t == ACK and d["yiaddr"] != "0.0.0.0":
            st["@lease"] = d["yiaddr"]
    return got


def _run_group(kind, group, tmp_root):
    net = _net()
    spec = GROUPS[group]
    d = os.path.join(tmp_root, "%s-%s" % (group, kind))
    os.makedirs(d, exist_ok=True)
    cfg = base_config(d, subnets=[SUBNET], socket_type=spec["socket"])
    cfg["Dhcp4"]["multi-threading"] = spec["mt"]
    cfg["Dhcp4"].update(spec.get("extra", {}))
    srv = Server(net, d, kind=kind)
    link = Link(net.cli)
    udp = spec["socket"] == "udp"
    gidx = list(GROUPS).index(group)
    cases = [x for x in CASES if group in x.groups]
    if udp:
        _preload(os.path.join(d, "leases4.csv"), gidx, cases)
    out = {}
    try:
        _neighbours(net, True, udp)
        srv.start(cfg, wait=False)
        srv.wait_log(r"DHCP4_STARTED", 30)
        # the udp group's probe: an INFORM from an address (the only thing Kea can answer)
        probe = (_ucast(INFORM, UDP_SRC, UDP_SRC) if udp else
                 _bcast(DISCOVER, opts=[GUARD, (60, b"acme")]))  # in every guard's class
        deadline = time.monotonic() + 10
        xid = 0x5000
        while not any(p.get("dhcp") for p in link.send(probe({}, mac_bytes("02:99:99:99:99:99") +
                                                               bytes(10), xid), xid)):
            assert srv.alive(), "%s died:\n%s" % (kind, srv.log_since_start()[-3000:])
            assert time.monotonic() < deadline, "%s never answered the probe:\n%s" % (
                kind, srv.log_since_start()[-3000:])
            xid += 1
        xid = 0x100
        for i, c in enumerate(cases):
            ch = _chaddr(gidx, i)
            st = {"@lease": _preloaded(i)} if udp else {}
            setup = []
            got = []
            link.drain()
            for role, builder in c.steps:
                xid += 1
                got = _run_step(link, builder, st, ch, xid)
                for p in got:
                    if udp and "ip_id" in p:
                        p["ip_id"] = "(the kernel's)"   # a per-destination counter
                if role == "setup":
                    setup.append([msgtype(p["dhcp"]) for p in got if p.get("dhcp")])
            out[c.name] = {"setup": setup, "frames": got, "state": {
                k: v for k, v in st.items() if k in ("@lease", "@offer")}}
        assert srv.alive(), "%s died during the cases:\n%s" % (
            kind, srv.log_since_start()[-3000:])
    finally:
        link.close()
        srv.stop()
        srv.cleanup()
        _neighbours(net, False, udp)
    return out


_results = {}


def _results_for(group, tmp_root):
    if group not in _results:
        try:
            a = _run_group("kea", group, tmp_root)
            b = _run_group(KIND_B, group, tmp_root)
            _results[group] = (a, b)
        except (AssertionError, OSError) as e:
            _results[group] = "group %s could not run: %s" % (group, e)
    if isinstance(_results[group], str):
        pytest.fail(_results[group], pytrace=False)
    return _results[group]


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp("differential-direct"))


def _field(frames, key):
    idx, _, field = key.partition(":")
    idx = int(idx)
    if idx >= len(frames):
        return "none"
    p = frames[idx]
    if "arp" in p:
        return "arp" if field == "type" else None
    if field == "type":
        return msgtype(p["dhcp"])
    if field in p:
        return p[field]
    return p["dhcp"].get(field)


def _check_want(c, res, who):
    frames = [p for p in res["frames"] if "arp" not in p]
    for key, val in c.want.items():
        want = res["state"].get(val, val) if isinstance(val, str) else val
        got = _field(frames, key)
        assert got == want, "%s: %s: want %s = %r, got %r\nframes: %r" % (
            who, c.name, key, want, got, res)


def _flat(frames):
    """Frames as lists of 'field: value' lines, for a readable diff."""
    out = []
    for p in frames:
        q = dict(p)
        dh = q.pop("dhcp", None)
        if dh:
            q.update({"dhcp." + k: v for k, v in dh.items()})
        out.append(q)
    return out


def _params():
    out = []
    for g in GROUPS:
        for c in CASES:
            if g not in c.groups:
                continue
            key = "%s:%s" % (g, c.name)
            marks = []
            if key in DIFFERENCES and KIND_B != "kea":
                marks.append(pytest.mark.xfail(reason=DIFFERENCES[key], strict=True))
            out.append(pytest.param(g, c, id=key, marks=marks))
    return out


@pytest.mark.parametrize("group,case", _params())
def test_direct(group, case, tmp_root):
    a, b = _results_for(group, tmp_root)
    ra, rb = a[case.name], b[case.name]
    _check_want(case, ra, "kea")
    assert ra["setup"] == rb["setup"], "setup exchanges differ: kea %r, %s %r" % (
        ra["setup"], KIND_B, rb["setup"])
    fa, fb = _flat(ra["frames"]), _flat(rb["frames"])
    assert fa == fb, "%s differs from Kea in %s (group %s):\n%s" % (
        KIND_B, case.name, group, diff(fa, fb, "kea", KIND_B))
    _check_want(case, rb, KIND_B)


def test_cases_cover_every_group():
    assert len({c.name for c in CASES}) == len(CASES)
    for g in GROUPS:
        assert sum(1 for c in CASES if g in c.groups) >= (2 if "guard" in g else 6), g
