"""Helpers for the differential tests (lessor vs ISC Kea 2.2, same configuration, same packets).

- in_netns(): run a function with the calling thread inside a named network namespace (sockets
  created there stay there), so that the test process itself acts as relay/client in netns cli.
- build(): a BOOTREQUEST from keyword fields and a list of (code, bytes) options, raw bytes, so
  that odd packets (hops, flags, hlen, repeated, zero-length or raw options) are exact (scapy
  would "fix" them; it is used only for option names in diffs).
- decode(): a reply as an ordered dict of BOOTP fields plus the option list (code, hex) in wire
  order; diff() of two decoded replies, field by field.
- Client: relay / direct-client sockets in netns cli and the usual exchanges (DISCOVER, DORA,
  INIT-REBOOT, INFORM, RELEASE) returning the decoded replies.

Used by test_differential.py, test_prod_scale.py and test_seed_scenarios.py; conftest.py (owned by
the system-test engineer) provides the namespaces and the server process.
"""

import ctypes
import json
import os
import select
import socket
import struct
import time

CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)

MAGIC = b"\x63\x82\x53\x63"
DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = 1, 2, 3, 4, 5, 6, 7, 8
MSG_NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK",
             7: "RELEASE", 8: "INFORM"}


def in_netns(name, fn, *args, **kw):
    """Call FN(*ARGS, **KW) with this thread in network namespace NAME, then switch back."""
    me = os.open("/proc/self/ns/net", os.O_RDONLY)
    fd = os.open("/var/run/netns/" + name, os.O_RDONLY)
    try:
        if _libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns(%s)" % name)
        try:
            return fn(*args, **kw)
        finally:
            if _libc.setns(me, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
    finally:
        os.close(fd)
        os.close(me)


def ip4(a):
    return socket.inet_aton(a)


def mac_bytes(mac):
    return bytes.fromhex(mac.replace(":", ""))


def opt(code, data):
    """An option as (code, bytes); DATA may be bytes, str (ASCII) or a list of dotted quads."""
    if isinstance(data, str):
        data = data.encode()
    elif isinstance(data, (list, tuple)):
        data = b"".join(ip4(a) for a in data)
    return (code, bytes(data))


def build(mac, msgtype=DISCOVER, xid=1, giaddr="0.0.0.0", ciaddr="0.0.0.0", hops=0, flags=0,
          secs=0, op=1, htype=1, hlen=6, chaddr=None, opts=(), raw_opts=b"", sname=b"",
          file=b"", no_msgtype=False):
    """A BOOTREQUEST: fixed header, magic cookie, option 53 (unless NO_MSGTYPE), OPTS in
    order, RAW_OPTS appended verbatim, END."""
    ch = chaddr if chaddr is not None else mac_bytes(mac)
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, htype, hlen, hops, xid, secs, flags,
                      ip4(ciaddr), b"\0" * 4, b"\0" * 4, ip4(giaddr), ch, sname, file)
    body = MAGIC
    if not no_msgtype:
        body += bytes([53, 1, msgtype])
    for code, data in opts:
        while True:
            chunk, data = data[:255], data[255:]
            body += bytes([code, len(chunk)]) + chunk
            if not data:
                break
    body += raw_opts + b"\xff"
    return hdr + body


def decode(data):
    """A reply as a dict: BOOTP fields (addresses dotted, chaddr/sname/file hex or text) and
    'options': [[code, hex], ...] in wire order (pad skipped, END ends the list)."""
    if data is None:
        return None
    if len(data) < 240:
        return {"short": data.hex()}
    (op, htype, hlen, hops, xid, secs, flags, ciaddr, yiaddr, siaddr, giaddr, chaddr, sname,
     file) = struct.unpack("!BBBBIHH4s4s4s4s16s64s128s", data[:236])
    d = {"op": op, "htype": htype, "hlen": hlen, "hops": hops, "xid": xid, "secs": secs,
         "flags": flags, "ciaddr": socket.inet_ntoa(ciaddr), "yiaddr": socket.inet_ntoa(yiaddr),
         "siaddr": socket.inet_ntoa(siaddr), "giaddr": socket.inet_ntoa(giaddr),
         "chaddr": chaddr.hex(), "sname": sname.rstrip(b"\0").decode("latin-1"),
         "file": file.rstrip(b"\0").decode("latin-1"), "cookie": data[236:240].hex()}
    opts = []
    i = 240
    while i < len(data):
        c = data[i]
        if c == 0:
            i += 1
            continue
        if c == 255:
            break
        if i + 1 >= len(data):
            opts.append([c, "TRUNCATED"])
            break
        ln = data[i + 1]
        opts.append([c, data[i + 2:i + 2 + ln].hex()])
        i += 2 + ln
    d["options"] = opts
    return d


def option(d, code):
    """The payload of option CODE in decoded reply D (bytes), concatenating split instances;
    None if absent."""
    if not d or "options" not in d:
        return None
    parts = [bytes.fromhex(h) for c, h in d["options"] if c == code]
    return b"".join(parts) if parts else None


def msgtype(d):
    v = option(d, 53)
    return v[0] if v else None


def _opt_name(code):
    """Scapy's name of DHCP option CODE (for readable diffs), or ''."""
    try:
        from scapy.layers.dhcp import DHCPOptions
    except ImportError:  # scapy is only used for names
        return ""
    v = DHCPOptions.get(code)
    return v if isinstance(v, str) else getattr(v, "name", "") or ""


def describe(d):
    """One line per field / option of decoded reply D, for diffs."""
    if d is None:
        return ["(no reply)"]
    out = []
    for k, v in d.items():
        if k == "options":
            for c, h in v:
                b = bytes.fromhex(h) if h != "TRUNCATED" else b""
                txt = b.decode("latin-1") if b and all(32 <= x < 127 for x in b) else ""
                out.append("option %3d %s: %s%s" % (c, _opt_name(c), h,
                                                     ("  %r" % txt) if txt else ""))
        else:
            out.append("%s: %s" % (k, v))
    return out


def project(d, ignore=()):
    """D without the fields / options named in IGNORE ('yiaddr', 'opt51', ...)."""
    if d is None or "options" not in d:
        return d
    p = {k: v for k, v in d.items() if k not in ignore}
    p["options"] = [o for o in d["options"] if "opt%d" % o[0] not in ignore]
    return p


def diff(a, b, name_a="kea", name_b="lessor"):
    """Human-readable difference of two reply lists (each a list of decoded replies)."""
    lines = []
    for i in range(max(len(a), len(b))):
        ra = a[i] if i < len(a) else "(missing)"
        rb = b[i] if i < len(b) else "(missing)"
        if ra == rb:
            continue
        la = describe(ra) if isinstance(ra, dict) or ra is None else [ra]
        lb = describe(rb) if isinstance(rb, dict) or rb is None else [rb]
        lines.append("reply #%d:" % i)
        sa, sb = set(la), set(lb)
        for ln in la:
            if ln not in sb:
                lines.append("  - %s: %s" % (name_a, ln))
        for ln in lb:
            if ln not in sa:
                lines.append("  + %s: %s" % (name_b, ln))
        if sa == sb:
            lines.append("  (same lines, different order)")
            lines += ["    %s: %s" % (name_a, x) for x in la]
            lines += ["    %s: %s" % (name_b, x) for x in lb]
    return "\n".join(lines)


class Client:
    """Sockets in netns NETNS: one per relay address (bound to port 67, as a relay agent) and
    one for direct clients (192.0.2.2:68). All exchanges go to SERVER (unicast)."""

    def __init__(self, netns, relays, direct="192.0.2.2", server="192.0.2.1", wait=0.6):
        self.server = server
        self.wait = wait
        self.socks = {}
        self._xid = 0x1000
        self.leases = {}  # mac -> address of its last ACK (addr="@lease" in exchanges)

        def mk():
            for a in list(relays):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind((a, 67))
                self.socks[a] = s
            if direct:
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                s.bind(("", 68))  # replies to any local ciaddr
                self.socks["direct"] = s
        in_netns(netns, mk)

    def close(self):
        for s in self.socks.values():
            s.close()
        self.socks = {}

    def next_xid(self):
        self._xid += 1
        return self._xid

    def drain(self):
        for s in self.socks.values():
            s.setblocking(False)
            try:
                while True:
                    s.recv(4096)
            except (BlockingIOError, OSError):
                pass
            s.setblocking(True)

    def send(self, pkt, via, wait=None):
        """Send PKT (bytes) from socket VIA (a relay address or 'direct'); return the raw reply
        with PKT's xid, or None after WAIT seconds."""
        s = self.socks[via]
        xid = pkt[4:8]
        s.sendto(pkt, (self.server, 67))
        end = time.monotonic() + (self.wait if wait is None else wait)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select(list(self.socks.values()), [], [], left)
            for rs in r:
                data = rs.recv(65536)
                if len(data) >= 8 and data[4:8] == xid:
                    return data

    # exchanges ------------------------------------------------------------------------------
    def exchange(self, mac, kind="discover", relay="10.0.0.2", **kw):
        """Run exchange KIND for client MAC through RELAY (a relay address, or None for a
        direct unicast client); returns the list of decoded replies (None for no reply).

        kinds: discover; dora (DISCOVER, then REQUEST for the offered address with option 54
        and the same options); reboot (REQUEST with option 50 = kw['addr'], no 54); inform
        (kw['ciaddr']); renew (REQUEST ciaddr = kw['addr']); 'request_only' (REQUEST, no
        50/54/ciaddr); 'msg' (one message of type kw['msgtype'], e.g. a DECLINE); and after a DORA: RELEASE + DISCOVER ('dora_release_discover'), DECLINE
        + DISCOVER ('dora_decline_discover'), INIT-REBOOT ('dora_reboot'), RENEWING REQUEST
        with ciaddr ('dora_renew'). addr='@lease' = the client's last ACKed address."""
        via = relay if relay else "direct"
        gi = relay if relay else "0.0.0.0"
        opts = list(kw.pop("opts", ()))
        req_opts = kw.pop("req_opts", None)
        addr = kw.pop("addr", None)
        if addr == "@lease":
            addr = self.leases.get(mac, "0.0.0.0")
        out = self._exchange(mac, kind, via, gi, opts, req_opts, addr, kw)
        for r in out:
            if r and msgtype(r) == ACK and r["yiaddr"] != "0.0.0.0":
                self.leases[mac] = r["yiaddr"]
        return out

    def _exchange(self, mac, kind, via, gi, opts, req_opts, addr, kw):
        out = []
        if kind in ("discover", "dora", "dora_release_discover", "dora_reboot", "dora_renew",
                    "dora_decline_discover"):
            x = self.next_xid()
            r = decode(self.send(build(mac, DISCOVER, xid=x, giaddr=gi, opts=opts, **kw), via))
            out.append(r)
            if kind == "discover" or r is None or msgtype(r) != OFFER:
                return out
            ro = list(req_opts if req_opts is not None else opts)
            ro += [opt(50, [r["yiaddr"]]), (54, option(r, 54) or b"")]
            x = self.next_xid()
            a = decode(self.send(build(mac, REQUEST, xid=x, giaddr=gi, opts=ro, **kw), via))
            out.append(a)
            if kind == "dora_release_discover" and a and msgtype(a) == ACK:
                x = self.next_xid()
                self.send(build(mac, RELEASE, xid=x, giaddr=gi, ciaddr=a["yiaddr"],
                                opts=opts + [(54, option(a, 54))], **kw), via, wait=0.2)
                x = self.next_xid()
                out.append(decode(self.send(build(mac, DISCOVER, xid=x, giaddr=gi, opts=opts,
                                                  **kw), via)))
            if kind == "dora_renew" and a and msgtype(a) == ACK:
                x = self.next_xid()
                out.append(decode(self.send(build(mac, REQUEST, xid=x, giaddr=gi,
                                                  ciaddr=a["yiaddr"], opts=opts, **kw), via)))
            if kind == "dora_decline_discover" and a and msgtype(a) == ACK:
                x = self.next_xid()
                self.send(build(mac, DECLINE, xid=x, giaddr=gi,
                                opts=opts + [opt(50, [a["yiaddr"]]), (54, option(a, 54))],
                                **kw), via, wait=0.2)
                x = self.next_xid()
                out.append(decode(self.send(build(mac, DISCOVER, xid=x, giaddr=gi, opts=opts,
                                                  **kw), via)))
            if kind == "dora_reboot" and a and msgtype(a) == ACK:
                x = self.next_xid()
                ro = opts + [opt(50, [a["yiaddr"]])]
                out.append(decode(self.send(build(mac, REQUEST, xid=x, giaddr=gi, opts=ro,
                                                  **kw), via)))
            return out
        if kind == "reboot":
            x = self.next_xid()
            ro = opts + [opt(50, [addr])]
            return [decode(self.send(build(mac, REQUEST, xid=x, giaddr=gi, opts=ro, **kw), via))]
        if kind == "request_only":
            x = self.next_xid()
            return [decode(self.send(build(mac, REQUEST, xid=x, giaddr=gi, opts=opts, **kw),
                                     via))]
        if kind == "msg":
            # one message of type kw['msgtype'] (DECLINE, OFFER, ...) with the case's options
            x = self.next_xid()
            return [decode(self.send(build(mac, xid=x, giaddr=gi, opts=opts, **kw), via))]
        if kind == "inform":
            x = self.next_xid()
            return [decode(self.send(build(mac, INFORM, xid=x, giaddr=gi, opts=opts, **kw),
                                     via))]
        if kind == "renew":
            x = self.next_xid()
            return [decode(self.send(build(mac, REQUEST, xid=x, giaddr=gi, ciaddr=addr,
                                           opts=opts, **kw), via))]
        raise ValueError("unknown exchange kind %r" % kind)


def dump_json(obj):
    return json.dumps(obj, indent=1, sort_keys=True)
