"""Helpers for the HA mode tests (issue 7: load-balancing, passive-backup, backup servers).

relay_dora() plays a relay with two helper addresses: every DISCOVER goes to each server at
once, as a real relay forwards it, and the client takes the first OFFER (REQUEST to that
server only). Which server offered to which client is recorded, so a load-balancing split can
be compared between pairs. BackupNet adds a third server's namespace (a backup), reached by
the other two over the primary's namespace."""

import json
import os

import conftest
from conftest import PYTHON, RELAY_ADDR
from ha_pair import ADDRS, NS_PREFIX, SeatNet, wait_links

BACKUP_ADDR = "192.0.5.2"       # the backup's peer address (its namespace)
BACKUP_GW = "192.0.5.1"         # the primary's namespace on the backup's link
BACKUP_IF = "vbk"
BACKUP_PORT = 20803

RELAY = r"""
import json, os, select, socket, struct, sys, time
giaddr, servers, macs = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
wait, cid_every, request = float(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((giaddr, 67))
gi = struct.unpack("!I", socket.inet_aton(giaddr))[0]
base = (os.getpid() << 12) & 0xfff00000
hw = [bytes.fromhex(m.replace(":", "")) for m in macs]

def cid(i):
    # every cid_every-th client identifies itself by a client-id (type 1 + its MAC): the
    # load-balancing hash then runs over the option's payload, not the chaddr
    return bytes([61, 7, 1]) + hw[i] if cid_every and i % cid_every == 0 else b""

def send(i, xid, opts, server):
    pkt = struct.pack("!BBBBIHHIIII16s64s128s", 1, 1, 6, 1, xid, 0, 0, 0, 0, 0, gi, hw[i],
                      b"", b"")
    s.sendto(pkt + bytes([99, 130, 83, 99]) + opts + cid(i) + b"\xff", (server, 67))

def opt(d, code):
    k = 240
    while k + 1 < len(d) and d[k] != 255:
        if d[k] == 0:
            k += 1
            continue
        if d[k] == code:
            return d[k + 2:k + 2 + d[k + 1]]
        k += 2 + d[k + 1]
    return None

offers = {i: [] for i in range(len(hw))}      # (server id, yiaddr) per client
acks = {}
asked = {}
end = time.monotonic() + wait
next_discover = 0.0
while time.monotonic() < end:
    now = time.monotonic()
    if now >= next_discover:
        # (re)send DISCOVER to every server for clients nobody offered to yet
        for i in range(len(hw)):
            if not offers[i]:
                for srv in servers:
                    send(i, base + 2 * i, bytes([53, 1, 1]), srv)
        next_discover = now + 1.0
    for i, (srv, yi, t) in list(asked.items()):
        if i not in acks and now - t > 1.0:
            send(i, base + 2 * i + 1, bytes([53, 1, 3, 50, 4]) + yi + bytes([54, 4]) + srv, socket.inet_ntoa(srv))
            asked[i] = (srv, yi, now)
    r, _, _ = select.select([s], [], [], 0.05)
    if not r:
        if all(offers[i] for i in offers) and (len(acks) == len(hw) or not request):
            break
        continue
    d = s.recv(4096)
    if len(d) < 240:
        continue
    xid = struct.unpack("!I", d[4:8])[0]
    i, kind = (xid - base) // 2, (xid - base) % 2
    t53, sid = opt(d, 53), opt(d, 54)
    if not 0 <= i < len(hw) or t53 is None or sid is None:
        continue
    if kind == 0 and t53 == b"\x02":
        if sid not in [o[0] for o in offers[i]]:
            offers[i].append((sid, d[16:20]))
        if i not in asked and request:
            asked[i] = (sid, d[16:20], time.monotonic())
            send(i, base + 2 * i + 1, bytes([53, 1, 3, 50, 4]) + d[16:20] + bytes([54, 4]) + sid, socket.inet_ntoa(sid))
    elif kind == 1 and t53 == b"\x05":
        acks[i] = (socket.inet_ntoa(sid), socket.inet_ntoa(d[16:20]))
out = {}
for i, m in enumerate(macs):
    out[m] = {"offered_by": sorted(socket.inet_ntoa(o[0]) for o in offers[i]),
              "acked_by": acks[i][0] if i in acks else None,
              "addr": acks[i][1] if i in acks else None}
print(json.dumps(out))
"""


def relay_dora(net, servers, macs, wait=4.0, cid_every=2, request=True):
    """DISCOVER for each of MACS to every address in SERVERS at once, REQUEST to the first
    server that offered (unless not REQUEST: who offers is all the caller wants to know).
    {mac: {"offered_by": [server ids], "acked_by": id, "addr": a}}."""
    r = net.run(net.cli, [PYTHON, "-c", RELAY, RELAY_ADDR, ",".join(servers), ",".join(macs),
                          str(wait), str(cid_every), "1" if request else "0"], timeout=wait + 20)
    assert r.returncode == 0, r.stdout
    return json.loads(r.stdout.strip().splitlines()[-1])


class BackupNet(SeatNet):
    """A third server's namespace, joined to the primary's (fixture srv) by a veth pair of its
    own (192.0.5.0/30); the standby's namespace reaches it through the primary's, which
    forwards. Only peer (HTTP) traffic goes there: a backup serves no clients."""

    def __init__(self, net, sb):
        super().__init__(net, NS_PREFIX["backup"])
        tag = os.getpid() & 0xffffff
        a, b = "lq%x" % tag, "lr%x" % tag
        for c in [["ip", "link", "add", a, "type", "veth", "peer", "name", b],
                  ["ip", "link", "set", a, "netns", self.srv],
                  ["ip", "link", "set", b, "netns", net.srv],
                  ["ip", "-n", self.srv, "link", "set", a, "name", BACKUP_IF],
                  ["ip", "-n", net.srv, "link", "set", b, "name", BACKUP_IF],
                  ["ip", "-n", self.srv, "link", "set", "lo", "up"],
                  ["ip", "-n", self.srv, "addr", "add", BACKUP_ADDR + "/30", "dev", BACKUP_IF],
                  ["ip", "-n", net.srv, "addr", "add", BACKUP_GW + "/30", "dev", BACKUP_IF],
                  ["ip", "-n", self.srv, "link", "set", BACKUP_IF, "up"],
                  ["ip", "-n", net.srv, "link", "set", BACKUP_IF, "up"],
                  ["ip", "-n", self.srv, "route", "add", ADDRS["standby"] + "/32", "via", BACKUP_GW],
                  ["ip", "-n", sb.srv, "route", "add", BACKUP_ADDR + "/32", "via", ADDRS["primary"]],
                  ["ip", "netns", "exec", net.srv, "sysctl", "-qw", "net.ipv4.ip_forward=1"]]:
            conftest._run(c)
        wait_links(((self.srv, BACKUP_IF), (net.srv, BACKUP_IF)))
