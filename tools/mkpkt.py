#!/usr/bin/python3
"""Generate the DHCPv4 fixture packets as commented hex, plus raw fuzz seeds.

    /usr/bin/python3 tools/mkpkt.py            # rewrite tests/fixtures/pkt/*.hex and
                                               # fuzz/corpus/fuzz-pkt4-parse/*.bin
    /usr/bin/python3 tools/mkpkt.py --check    # fail if a checked-in file differs

Every byte of a fixture is explained by a comment ('#' to end of line), so a
reader can see what a test feeds the parser (tests/unit/fixture.c strips the
comments). The fixed BOOTP header is built by scapy's BOOTP layer; the option
areas are encoded here (so that deliberately odd packets -- split options,
overload, truncation -- can be expressed), and every packet is decoded back
with scapy's dissector as a cross-check of the encoding.

Needs Debian's python3-scapy: run with /usr/bin/python3, not the pyenv python3.
"""

import argparse
import ipaddress
import os
import sys

from scapy.layers.dhcp import BOOTP, DHCP  # noqa: E402
from scapy.compat import raw  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE_DIR = os.path.join(ROOT, "tests", "fixtures", "pkt")
SEED_DIR = os.path.join(ROOT, "fuzz", "corpus", "fuzz-pkt4-parse")

COOKIE = b"\x63\x82\x53\x63"
MSG = {1: "DHCPDISCOVER", 2: "DHCPOFFER", 3: "DHCPREQUEST", 4: "DHCPDECLINE",
       5: "DHCPACK", 6: "DHCPNAK", 7: "DHCPRELEASE", 8: "DHCPINFORM"}
OPT_NAMES = {1: "subnet-mask", 3: "routers", 6: "domain-name-servers",
             12: "host-name", 15: "domain-name", 50: "requested-address",
             51: "lease-time", 52: "option-overload", 53: "message-type",
             54: "server-identifier", 55: "parameter-request-list",
             57: "max-message-size", 60: "vendor-class-identifier",
             61: "client-identifier", 77: "user-class",
             82: "relay-agent-information", 119: "domain-search"}
RAI_NAMES = {1: "circuit-id", 2: "remote-id", 5: "link-selection",
             11: "server-id-override", 19: "relay-port"}

MAC = bytes.fromhex("001122334455")


def ip(s):
    return ipaddress.IPv4Address(s).packed


def hexs(b):
    return " ".join("%02x" % x for x in b)


# ---- option area items: each yields (bytes, comment) lines ----

def opt(code, data, note=None):
    return ("opt", code, bytes(data), note)


def rai(subs):
    """Option 82 payload from [(code, bytes)] plus per-sub-option comments."""
    payload = b""
    notes = []
    for code, data in subs:
        payload += bytes([code, len(data)]) + data
        notes.append((bytes([code, len(data)]) + data,
                      "  sub-option %d %s (%d bytes)%s" % (
                          code, RAI_NAMES.get(code, "?"), len(data),
                          describe_sub(code, data))))
    return ("rai", payload, notes)


def describe_sub(code, data):
    if code in (5, 11) and len(data) == 4:
        return " = %s" % ipaddress.IPv4Address(data)
    if code == 1 and all(32 <= c < 127 for c in data):
        return " = \"%s\"" % data.decode()
    return ""


def split(code, data, chunk=253):
    """RFC 3396 §7 split, cut like Kea (253 bytes, then the rest)."""
    items = []
    for i in range(0, len(data), chunk):
        part = data[i:i + chunk]
        items.append(opt(code, part, "instance %d of split option %d (%d of %d bytes)"
                         % (i // chunk + 1, code, len(part), len(data))))
    return items


def pad(n):
    return ("pad", n)


def end():
    return ("end",)


def raw_bytes(data, note):
    return ("raw", bytes(data), note)


def describe(code, data):
    name = OPT_NAMES.get(code, "option-%d" % code)
    if code == 53 and len(data) == 1:
        return "%s = %s" % (name, MSG.get(data[0], data[0]))
    if code in (50, 54) and len(data) == 4:
        return "%s = %s" % (name, ipaddress.IPv4Address(data))
    if code == 52 and len(data) == 1:
        return "%s = %d (%s)" % (name, data[0], {1: "file", 2: "sname", 3: "file+sname"}
                                  .get(data[0], "?"))
    if code == 55:
        return "%s = %s" % (name, ",".join(str(x) for x in data))
    if code == 57 and len(data) == 2:
        return "%s = %d" % (name, int.from_bytes(data, "big"))
    if code in (12, 60) and all(32 <= c < 127 for c in data):
        return "%s = \"%s\"" % (name, data.decode())
    return "%s (%d bytes)" % (name, len(data))


def encode_area(items):
    """Returns (bytes, [(bytes, comment)])."""
    out = b""
    lines = []
    for it in items:
        kind = it[0]
        if kind == "opt":
            _, code, data, note = it
            b = bytes([code, len(data)]) + data
            lines.append((b, "option %d %s" % (code, note or describe(code, data))))
            out += b
        elif kind == "rai":
            _, payload, notes = it
            hdr = bytes([82, len(payload)])
            lines.append((hdr, "option 82 relay-agent-information (%d bytes)" % len(payload)))
            lines.extend(notes)
            out += hdr + payload
        elif kind == "pad":
            b = bytes(it[1])
            lines.append((b, "PAD x %d" % it[1]))
            out += b
        elif kind == "end":
            lines.append((b"\xff", "END"))
            out += b"\xff"
        elif kind == "raw":
            lines.append((it[1], it[2]))
            out += it[1]
        else:
            raise ValueError(kind)
    return out, lines


def fixed_field(name, data, lines_out, area_lines=None):
    """A 64/128-byte field: options when area_lines is given, else text/zeros."""
    if area_lines is not None:
        lines_out.append((b"", "---- %s field, carrying options (overload) ----" % name))
        used = 0
        for b, c in area_lines:
            lines_out.append((b, "  " + c))
            used += len(b)
        rest = len(data) - used
        if rest:
            lines_out.append((data[used:], "  %s: PAD to %d bytes" % (name, len(data))))
        return
    text = data.rstrip(b"\0")
    note = "%s (%d bytes)" % (name, len(data))
    if text:
        note += ": \"%s\" NUL padded" % text.decode()
    else:
        note += ": empty"
    lines_out.append((data, note))


def build(spec):
    """spec: dict with header fields and 'options' (+ optional 'file_opts',
    'sname_opts'). Returns (packet bytes, [(bytes, comment)])."""
    sname_lines = file_lines = None
    sname = spec.get("sname", b"")
    file_ = spec.get("file", b"")
    if "sname_opts" in spec:
        sname, sname_lines = encode_area(spec["sname_opts"])
    if "file_opts" in spec:
        file_, file_lines = encode_area(spec["file_opts"])
    sname = sname.ljust(64, b"\0")
    file_ = file_.ljust(128, b"\0")
    chaddr = spec.get("chaddr", MAC).ljust(16, b"\0")

    hdr = BOOTP(op=spec.get("op", 1), htype=spec.get("htype", 1),
                hlen=spec.get("hlen", 6), hops=spec.get("hops", 0),
                xid=spec["xid"], secs=spec.get("secs", 0), flags=spec.get("flags", 0),
                ciaddr=spec.get("ciaddr", "0.0.0.0"), yiaddr=spec.get("yiaddr", "0.0.0.0"),
                siaddr=spec.get("siaddr", "0.0.0.0"), giaddr=spec.get("giaddr", "0.0.0.0"),
                chaddr=chaddr, sname=sname, file=file_, options=COOKIE)
    head = raw(hdr)
    assert len(head) == 240, len(head)

    body, opt_lines = encode_area(spec["options"])
    pkt = head + body

    h = head
    lines = [
        (h[0:1], "op %d (%s)" % (h[0], {1: "BOOTREQUEST", 2: "BOOTREPLY"}.get(h[0], "?"))),
        (h[1:2], "htype %d" % h[1]),
        (h[2:3], "hlen %d" % h[2]),
        (h[3:4], "hops %d" % h[3]),
        (h[4:8], "xid 0x%08x" % spec["xid"]),
        (h[8:10], "secs %d" % spec.get("secs", 0)),
        (h[10:12], "flags 0x%04x%s" % (spec.get("flags", 0),
                                       " (broadcast)" if spec.get("flags", 0) & 0x8000 else "")),
        (h[12:16], "ciaddr %s" % spec.get("ciaddr", "0.0.0.0")),
        (h[16:20], "yiaddr %s" % spec.get("yiaddr", "0.0.0.0")),
        (h[20:24], "siaddr %s" % spec.get("siaddr", "0.0.0.0")),
        (h[24:28], "giaddr %s" % spec.get("giaddr", "0.0.0.0")),
        (h[28:44], "chaddr (16 bytes, hlen %d used)" % h[2]),
    ]
    fixed_field("sname", h[44:108], lines, sname_lines)
    fixed_field("file", h[108:236], lines, file_lines)
    lines.append((h[236:240], "magic cookie 99.130.83.99"))
    lines.append((b"", "---- options ----"))
    lines.extend(opt_lines)
    return pkt, lines


def render(name, summary, pkt, lines):
    out = ["# %s: %s" % (name, summary),
           "# %d bytes. Generated by tools/mkpkt.py (scapy); edit the generator, not this file." % len(pkt)]
    total = 0
    for b, c in lines:
        if not b:
            out.append("# " + c)
            continue
        total += len(b)
        chunks = [b[i:i + 16] for i in range(0, len(b), 16)]
        # A run of zeros longer than one row is written compactly but explicitly.
        for i, ch in enumerate(chunks):
            h = hexs(ch)
            if i == 0:
                out.append("%-48s # %s" % (h, c))
            else:
                out.append(h)
    assert total == len(pkt), (name, total, len(pkt))
    return "\n".join(out) + "\n"


def crosscheck(name, spec, pkt):
    """Decode with scapy's own dissector and compare what it can see."""
    p = BOOTP(pkt)
    assert p.xid == spec["xid"], name
    assert p.giaddr == spec.get("giaddr", "0.0.0.0"), name
    assert p.ciaddr == spec.get("ciaddr", "0.0.0.0"), name
    if spec.get("scapy_type") is not None and p.haslayer(DHCP):
        mt = [o for o in p[DHCP].options if isinstance(o, tuple) and o[0] == "message-type"]
        assert mt and mt[0][1] == spec["scapy_type"], (name, mt)


CID = lambda mac: b"\x01" + mac  # noqa: E731  client-id: htype 1 + MAC
PRL = [1, 3, 6]

FIXTURES = [
    ("discover-minimal", "broadcast DHCPDISCOVER from a directly connected client", {
        "xid": 0x11223344, "flags": 0x8000, "scapy_type": 1,
        "options": [opt(53, [1]), opt(55, PRL), end()],
    }),
    ("discover-relayed-82", "DHCPDISCOVER through a relay (giaddr 10.0.0.2) with option 82", {
        "xid": 0x22334455, "hops": 1, "giaddr": "10.0.0.2",
        "chaddr": bytes.fromhex("001122334466"), "scapy_type": 1,
        "options": [opt(53, [1]), opt(61, CID(bytes.fromhex("001122334466"))),
                    opt(55, [1, 3, 6, 15]),
                    rai([(1, b"eth0/1/2"), (2, bytes.fromhex("00deadbeef01")),
                         (5, ip("10.0.5.0"))]),
                    end()],
    }),
    ("request-selecting", "DHCPREQUEST in SELECTING (option 54 + 50, ciaddr 0), RFC 2131 §4.3.2", {
        "xid": 0x33445566, "scapy_type": 3,
        "options": [opt(53, [3]), opt(61, CID(MAC)), opt(50, ip("192.0.2.10")),
                    opt(54, ip("192.0.2.1")), opt(12, b"client1"), opt(55, PRL),
                    opt(57, (1500).to_bytes(2, "big")), end()],
    }),
    ("request-init-reboot", "DHCPREQUEST in INIT-REBOOT (option 50, no 54, ciaddr 0)", {
        "xid": 0x44556677, "scapy_type": 3,
        "options": [opt(53, [3]), opt(61, CID(MAC)), opt(50, ip("192.0.2.10")),
                    opt(55, PRL), end()],
    }),
    ("request-renewing", "DHCPREQUEST in RENEWING (ciaddr set, no 50/54), unicast", {
        "xid": 0x55667788, "ciaddr": "192.0.2.10", "scapy_type": 3,
        "options": [opt(53, [3]), opt(61, CID(MAC)), opt(55, PRL), end()],
    }),
    ("release", "DHCPRELEASE of 192.0.2.10", {
        "xid": 0x66778899, "ciaddr": "192.0.2.10", "scapy_type": 7,
        "options": [opt(53, [7]), opt(54, ip("192.0.2.1")), opt(61, CID(MAC)), end()],
    }),
    ("decline", "DHCPDECLINE of 192.0.2.10 (address in option 50, ciaddr 0)", {
        "xid": 0x778899aa, "scapy_type": 4,
        "options": [opt(53, [4]), opt(50, ip("192.0.2.10")), opt(54, ip("192.0.2.1")),
                    opt(61, CID(MAC)), end()],
    }),
    ("inform", "DHCPINFORM from 192.0.2.20", {
        "xid": 0x8899aabb, "ciaddr": "192.0.2.20", "scapy_type": 8,
        "options": [opt(53, [8]), opt(55, [1, 3, 6, 15, 119]), opt(60, b"MSFT 5.0"), end()],
    }),
    ("discover-overload", "DHCPDISCOVER with option 52 = 3: options continue in file, then sname;"
     " host-name split over all three areas (RFC 3396)", {
        "xid": 0x99aabbcc, "scapy_type": None,
        "options": [opt(53, [1]), opt(52, [3]), opt(12, b"part-a-"), end()],
        "file_opts": [opt(61, CID(MAC)), opt(12, b"part-b-"), end()],
        "sname_opts": [opt(55, [1, 3]), opt(12, b"part-c"), end()],
    }),
    ("discover-long-option", "DHCPDISCOVER with a 300-byte user-class split 253 + 47"
     " and a parameter request list split in two (RFC 3396)", {
        "xid": 0xaabbccdd, "scapy_type": None,
        "options": [opt(53, [1])] + split(77, bytes(i & 0xff for i in range(300)))
        + [opt(55, [1, 3], "instance 1 of split option 55"),
           opt(55, [6, 15], "instance 2 of split option 55"), end()],
    }),
    ("bootp-no-53", "BOOTP request (RFC 951/1542): cookie, no option 53, file set, vend padded to 64", {
        "xid": 0xbbccddee, "file": b"boot/pxelinux.0", "scapy_type": None,
        "options": [opt(12, b"bootp-host"), end(), pad(47)],
    }),
    ("truncated-option", "DHCPDISCOVER whose last option (61) claims 20 bytes but only 7 follow;"
     " no END", {
        "xid": 0xccddeeff, "scapy_type": None,
        "options": [opt(53, [1]), opt(55, PRL),
                    raw_bytes(b"\x3d\x14" + CID(MAC),
                              "option 61 client-identifier: length 20, only 7 bytes left")],
    }),
    ("discover-hlen17", "DHCPDISCOVER with hlen 17 (> 16): parsed, answered with hlen 16 and zero chaddr", {
        "xid": 0xddeeff00, "hlen": 17, "chaddr": bytes(range(1, 17)), "scapy_type": None,
        "options": [opt(53, [1]), end()],
    }),
    ("request-relayed-82-override", "relayed DHCPREQUEST; option 82 with circuit-id,"
     " server-id-override (RFC 5107), relay-port (RFC 8357) and a 3-byte (bad) link-selection", {
        "xid": 0xeeff0011, "hops": 1, "giaddr": "10.0.0.2", "scapy_type": 3,
        "options": [opt(53, [3]), opt(50, ip("10.0.5.20")), opt(54, ip("192.0.2.1")),
                    rai([(1, b"ge-0/0/1"), (11, ip("10.0.0.1")), (19, b""),
                         (5, bytes.fromhex("0a0005"))]),
                    end()],
    }),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()

    os.makedirs(FIXTURE_DIR, exist_ok=True)
    os.makedirs(SEED_DIR, exist_ok=True)
    bad = 0
    for name, summary, spec in FIXTURES:
        pkt, lines = build(spec)
        crosscheck(name, spec, pkt)
        text = render(name, summary, pkt, lines)
        for path, data, mode in ((os.path.join(FIXTURE_DIR, name + ".hex"), text.encode(), "hex"),
                                 (os.path.join(SEED_DIR, name + ".bin"), pkt, "bin")):
            if args.check:
                try:
                    with open(path, "rb") as f:
                        same = f.read() == data
                except FileNotFoundError:
                    same = False
                if not same:
                    print("differs: %s" % path, file=sys.stderr)
                    bad += 1
            else:
                with open(path, "wb") as f:
                    f.write(data)
        print("%-28s %4d bytes" % (name, len(pkt)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
