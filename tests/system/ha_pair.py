"""Helpers for the HA pair tests (issue 7). The primary runs in the fixture's srv namespace
(192.0.2.1 on vsrv); the standby in a third namespace of its own (192.0.3.1 on vsb) joined to
the cli namespace by a second veth pair, so the relay (10.0.0.2) reaches both. The peers talk
over a third veth pair of their own between srv and the standby's namespace (192.0.4.1 and
192.0.4.2, HTTP ports 20801/20802, slot 8): HA traffic never crosses the clients' namespace,
where forwarding beside perfdhcp lost connections now and then."""

import contextlib
import json
import os
import time


import conftest
from conftest import PYTHON, RELAY_ADDR, SRV_IF, base_config

HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"
PRIMARY_ADDR = "192.0.2.1"
STANDBY_ADDR = "192.0.3.1"
STANDBY_CLI = "192.0.3.2"
SB_IF = "vsb"
HA_IF = "vha"
ADDRS = {"primary": "192.0.4.1", "standby": "192.0.4.2", "backup": "192.0.5.2"}
# loopback ports inside the test's own namespace (slot 8: 20800 + n)
PORTS = {"primary": 20801, "standby": 20802, "backup": 20803}
# each seat's DHCP interface and namespace prefix (the third seat: ha_relay.BackupNet)
IFS = {"primary": SRV_IF, "standby": SB_IF, "backup": "vbk"}
NS_PREFIX = {"primary": "lsr-srv-", "standby": "lsr-sb-", "backup": "lsr-bk-"}

FAST = {"heartbeat-delay": 200, "max-response-delay": 1000, "max-ack-delay": 100,
        "max-unacked-clients": 0}


def ha_params(me, **over):
    p = {"this-server-name": me, "mode": "hot-standby",
         "peers": [{"name": "primary", "url": "http://%s:%d/" % (ADDRS["primary"], PORTS["primary"]),
                    "role": "primary", "auto-failover": True},
                   {"name": "standby", "url": "http://%s:%d/" % (ADDRS["standby"], PORTS["standby"]),
                    "role": "standby", "auto-failover": True}]}
    p.update(FAST)
    p.update(over)
    return p


def pair_config(tmpdir, me, kind="lessor", **over):
    """MY half of a hot-standby pair: DHCP on my address of vsrv, HA peers on loopback.
    lessor serves its peer URL with its own HTTP listener (a Control-agent object); Kea 2.2
    with HA's dedicated listener inside kea-dhcp4 (multi-threading on)."""
    pool = over.pop("pool", None)
    # lessor on HA's dedicated listener too (Kea's is always), with these listener threads
    dedicated = over.pop("dedicated", None)
    client_threads = over.pop("client_threads", 1)
    ha = over.pop("ha", None) or ha_params(me, **over)
    cfg = base_config(tmpdir, interfaces=[IFS[me]])
    if pool:
        cfg["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": pool}]
    d4 = cfg["Dhcp4"]
    d4["hooks-libraries"] = [
        {"library": HOOKS + "/libdhcp_lease_cmds.so"},
        {"library": HOOKS + "/libdhcp_ha.so", "parameters": {"high-availability": [ha]}}]
    if kind == "kea" or dedicated is not None:
        d4["multi-threading"] = {"enable-multi-threading": True, "thread-pool-size": 2,
                                 "packet-queue-size": 64}
        ha["multi-threading"] = {"enable-multi-threading": True,
                                 "http-dedicated-listener": True,
                                 "http-listener-threads": dedicated if dedicated is not None else 1,
                                 "http-client-threads": client_threads}
    if kind == "lessor" and dedicated is None:
        cfg["Control-agent"] = {"http-host": ADDRS[me], "http-port": PORTS[me]}
    return cfg


def http_command(net, ns, url, cmd, args=None, timeout=5):
    """One control command POSTed to URL with curl inside namespace NS; the answer map, or
    None when there is no (JSON) answer."""
    body = {"command": cmd, "service": ["dhcp4"]}
    if args is not None:
        body["arguments"] = args
    r = net.run(ns, ["curl", "-s", "-m", str(timeout), "-H", "Content-Type: application/json",
                     "-d", json.dumps(body), url], timeout=timeout + 5)
    try:
        ans = json.loads(r.stdout)
    except ValueError:
        return None
    return ans[0] if isinstance(ans, list) and ans else ans


def local_ha_state(status):
    """The local server's HA state in a status-get answer, or None."""
    try:
        return status["arguments"]["high-availability"][0]["ha-servers"]["local"]["state"]
    except (TypeError, KeyError, IndexError):
        return None


def command(net, me, cmd, args=None, timeout=5):
    """One command to MY peer URL (what the partner uses), from my own namespace; the
    answer map."""
    ns = net.srv.replace("lsr-srv-", NS_PREFIX[me])
    return http_command(net, ns, "http://%s:%d/" % (ADDRS[me], PORTS[me]), cmd, args, timeout)


def ha_state(net, me):
    return local_ha_state(command(net, me, "status-get"))


def wait_states(net, want, timeout=30):
    """Wait until every server in WANT {name: state} reports that state."""
    deadline = time.monotonic() + timeout
    got = {}
    while time.monotonic() < deadline:
        got = {me: ha_state(net, me) for me in want}
        if got == want:
            return got
        time.sleep(0.1)
    raise AssertionError("HA states %r, wanted %r" % (got, want))


DORA = r"""
import socket, struct, sys, os, select, time
giaddr, server, mac = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((giaddr, 67))
gi = struct.unpack("!I", socket.inet_aton(giaddr))[0]
def ask(xid, opts, want, wait):
    pkt = struct.pack("!BBBBIHHIIII16s64s128s", 1, 1, 6, 1, xid, 0, 0, 0, 0, 0, gi, mac, b"", b"")
    s.sendto(pkt + bytes([99, 130, 83, 99]) + opts + b"\xff", (server, 67))
    end = time.monotonic() + wait
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
        if not r:
            return None
        d = s.recv(4096)
        if len(d) >= 240 and struct.unpack("!I", d[4:8])[0] == xid and bytes([53, 1, want]) in d[240:]:
            return d
    return None
xid = (os.getpid() << 8) & 0xffffffff
o = ask(xid, bytes([53, 1, 1]), 2, float(sys.argv[4]))
if o is None:
    sys.exit(1)
yi = o[16:20]
a = ask(xid + 1, bytes([53, 1, 3, 50, 4]) + yi + bytes([54, 4]) + socket.inet_aton(server), 5,
        float(sys.argv[4]))
if a is None:
    sys.exit(2)
print(socket.inet_ntoa(a[16:20]))
"""


def dora(net, server_addr, mac="02feedbeef02", timeout=0.3):
    """One relayed DORA to SERVER_ADDR; the ACKed address or None."""
    r = net.run(net.cli, [PYTHON, "-c", DORA, RELAY_ADDR, server_addr, mac, str(timeout)],
                timeout=timeout * 2 + 10)
    return r.stdout.strip() if r.returncode == 0 else None


def wait_links(links, timeout=5):
    """Wait (bounded) until each (namespace, link) of LINKS has its carrier."""
    deadline = time.monotonic() + timeout
    for ns, link in links:
        while time.monotonic() < deadline:
            r = conftest._run(["ip", "-n", ns, "-o", "link", "show", link], check=False)
            if "LOWER_UP" in r.stdout:
                break
            time.sleep(0.05)


@contextlib.contextmanager
def seats(net, backup=False):
    """The standby's namespace (and with BACKUP the third seat's) for one test, and the list
    the test adds its servers to; servers and namespaces go away however the test ends."""
    sb = StandbyNet(net)
    made, nets = [], [sb]
    try:
        if backup:
            import ha_relay
            nets.append(ha_relay.BackupNet(net, sb))
        yield nets + [made]
    finally:
        for s in made:
            s.cleanup()
        for n in reversed(nets):
            n.close()


class SeatNet(conftest.NetPair):
    """A server seat's own namespace (srv) beside the fixture's; its cli is the fixture's,
    which close() leaves alone."""

    def __init__(self, net, prefix):
        self.cli = net.cli
        self.srv = net.srv.replace("lsr-srv-", prefix)
        conftest._run(["ip", "netns", "add", self.srv])
        conftest._live_netns.add(self.srv)

    def close(self):
        if self.srv in conftest._live_netns:
            conftest._netns_delete(self.srv)


class StandbyNet(SeatNet):
    """The standby's namespace: a NetPair whose srv is it (for conftest.Server); its cli is
    the fixture's, which close() leaves alone."""

    def __init__(self, net):
        super().__init__(net, NS_PREFIX["standby"])
        tag = os.getpid() & 0xffffff
        vs, vc, hs, hp = "lb%x" % tag, "lk%x" % tag, "lh%x" % tag, "lj%x" % tag
        for c in [["ip", "link", "add", vs, "type", "veth", "peer", "name", vc],
                  ["ip", "link", "set", vs, "netns", self.srv],
                  ["ip", "link", "set", vc, "netns", self.cli],
                  ["ip", "-n", self.srv, "link", "set", vs, "name", SB_IF],
                  ["ip", "-n", self.srv, "link", "set", "lo", "up"],
                  ["ip", "-n", self.srv, "link", "set", SB_IF, "up"],
                  ["ip", "-n", self.cli, "link", "set", vc, "up"],
                  ["ip", "-n", self.srv, "addr", "add", STANDBY_ADDR + "/24", "dev", SB_IF],
                  ["ip", "-n", self.cli, "addr", "add", STANDBY_CLI + "/24", "dev", vc],
                  ["ip", "-n", self.srv, "route", "add", "10.0.0.0/16", "via", STANDBY_CLI],
                  # the peers' own link
                  ["ip", "link", "add", hs, "type", "veth", "peer", "name", hp],
                  ["ip", "link", "set", hs, "netns", self.srv],
                  ["ip", "link", "set", hp, "netns", net.srv],
                  ["ip", "-n", self.srv, "link", "set", hs, "name", HA_IF],
                  ["ip", "-n", net.srv, "link", "set", hp, "name", HA_IF],
                  ["ip", "-n", self.srv, "addr", "add", ADDRS["standby"] + "/30", "dev", HA_IF],
                  ["ip", "-n", net.srv, "addr", "add", ADDRS["primary"] + "/30", "dev", HA_IF],
                  ["ip", "-n", self.srv, "link", "set", HA_IF, "up"],
                  ["ip", "-n", net.srv, "link", "set", HA_IF, "up"]]:
            conftest._run(c)
        wait_links(((self.srv, SB_IF), (self.srv, HA_IF), (net.srv, HA_IF)))


def start_half(tmp_path, net, me, kind, made, **over):
    d = tmp_path / me
    d.mkdir(exist_ok=True)
    s = conftest.Server(net, d, kind=kind)
    made.append(s)
    s.start(pair_config(s.dir, me, kind, **over), wait=False)
    s.wait_log(r"DHCP4_STARTED", 30)
    return s


def lease_file(s):
    return os.path.join(s.dir, "leases4.csv")
