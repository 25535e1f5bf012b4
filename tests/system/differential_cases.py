"""The packet cases of the differential tests (test_differential.py): one C(...) line per
exchange, grouped by configuration group G; DIFFERENCES lists the deliberate ones."""

from difflib4 import ACK, DECLINE, OFFER, RELEASE


# ---------------------------------------------------------------------------------------------
# the cases


class Case:
    def __init__(self, name, group, kind="discover", mac=None, relay="10.0.0.2", opts=(),
                 want=None, ignore=(), **kw):
        self.name, self.group, self.kind, self.mac, self.relay = name, group, kind, mac, relay
        self.opts, self.want, self.ignore, self.kw = list(opts), want or {}, set(ignore), kw


CASES = []


def C(*a, **kw):
    CASES.append(Case(*a, **kw))


def rai(*subs):
    """Option 82 from (sub-code, bytes) pairs."""
    return (82, b"".join(bytes([c, len(v)]) + v for c, v in subs))


PRL = lambda *codes: (55, bytes(codes))  # noqa: E731
o77 = lambda s: (77, s.encode())  # noqa: E731
o60 = lambda s: (60, s.encode())  # noqa: E731
# sent unless a case sends its own option 55 (or noprl=True): Kea sends most options only
# when asked
DEFAULT_PRL = (55, bytes([1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 40, 42, 66, 67,
                          234]))
ip = lambda *a: b"".join(bytes(int(x) for x in s.split(".")) for s in a)  # noqa: E731

# --- classes -----------------------------------------------------------------------------------
G = "classes"
C("cls-plain-discover", G, want={"type": OFFER, "opt15": b"global.example", "opt3": ip("10.0.0.1")})
C("cls-plain-dora", G, "dora", want={"type": ACK, "opt15": b"global.example"})
C("cls-uc-w10", G, opts=[o77("W10TEST")], want={"opt15": b"w10.example"})
C("cls-uc-w10-dora", G, "dora", opts=[o77("W10TEST")], want={"opt15": b"w10.example"})
C("cls-uc-near-miss", G, opts=[o77("W10TES")], want={"opt15": b"global.example"})
C("cls-vc-substring", G, opts=[o60("FOOBAR")], want={"opt15": b"foo.example", "opt40": b"foo-nis"})
C("cls-vc-substring-short", G, opts=[o60("FO")], want={"opt15": b"global.example", "opt40": None})
C("cls-vendor-class-auto", G, opts=[o60("docsis3.0")], want={"opt66": b"docsis-tftp"})
C("cls-vendor-class-other", G, opts=[o60("docsis3.1")], want={"opt66": None})
C("cls-relay4-circuit", G, opts=[rai((1, b"port-7"))], want={"opt42": ip("10.0.0.123")})
C("cls-relay4-remote", G, opts=[rai((2, b"rem-9"))], want={"opt7": ip("10.0.0.7")})
C("cls-relay4-both", G, "dora", opts=[rai((1, b"port-7"), (2, b"rem-9"))],
  want={"opt42": ip("10.0.0.123"), "opt7": ip("10.0.0.7")})
C("cls-relay4-wrong", G, opts=[rai((1, b"port-8"))], want={"opt42": None})
C("cls-concat", G, opts=[o60("ABC")], want={"opt17": b"/concat"})
C("cls-ifelse-yes", G, opts=[o77("IF")], want={"opt17": b"/ifelse"})
C("cls-ifelse-no", G, opts=[o77("IFF")], want={"opt17": None})
C("cls-hexstring-mac", G, mac="02:c1:00:00:00:09", want={"opt17": b"/hexstring"})
C("cls-member-chain", G, opts=[o77("CHAIN"), o60("V")], want={"opt14": b"/chain"})
C("cls-member-chain-broken", G, opts=[o77("CHAIN"), o60("W")], want={"opt14": None})
C("cls-not-or-1", G, opts=[o60("NO")], want={"opt16": ip("10.0.0.14")})
C("cls-not-or-2", G, opts=[o60("NO2"), o77("B")], want={"opt16": ip("10.0.0.14")})
C("cls-not-or-neg", G, opts=[o60("NO"), o77("A")], want={"opt16": None})
C("cls-known", G, mac="02:c1:00:00:00:aa", want={"opt10": ip("10.0.0.10")})
C("cls-known-dora", G, "dora", mac="02:c1:00:00:00:aa", want={"type": ACK, "opt12": b"known-one"})
C("cls-unknown", G, opts=[o77("UNK")], want={"opt10": ip("10.0.0.11")})
C("cls-unknown-but-known", G, mac="02:c1:00:00:00:aa", opts=[o77("UNK")],
  want={"opt10": ip("10.0.0.10")})
C("cls-pxe-fields", G, opts=[o60("PXEClient:Arch:00000")],
  want={"siaddr": "10.0.0.50", "sname": "tftp1", "file": "pxelinux.0"})
C("cls-pxe-fields-dora", G, "dora", opts=[o60("PXEClient:Arch:00007")],
  want={"siaddr": "10.0.0.50", "file": "pxelinux.0"})
C("cls-pxe-prl-66-67", G, opts=[o60("PXEClient:x"), PRL(1, 3, 66, 67)])
C("cls-valid-lifetime", G, "dora", opts=[o77("SHORT")], want={"opt51": (600).to_bytes(4, "big")})
C("cls-valid-lifetime-off", G, "dora", want={"opt51": (4000).to_bytes(4, "big")})
C("cls-exists", G, opts=[o77("EX")], want={"opt8": ip("10.0.0.8")})
C("cls-two-classes-first-wins", G, opts=[o77("TWO")],
  want={"opt15": b"first.example"})
C("cls-two-classes-merge", G, opts=[o77("TWO")], want={"opt9": ip("10.0.0.9")})
C("cls-substring-negative", G, opts=[o60("the-end")], want={"opt18": b"/neg"})
C("cls-msgtype-in-ack", G, "dora", want={"0:opt5": None, "1:opt5": ip("10.0.0.5")})
C("cls-msgtype-request", G, "dora", opts=[o77("RQ")], want={"0:opt5": None,
                                                          "1:opt5": ip("10.0.0.5")})
C("cls-hex-option", G, opts=[o77("HEX")], want={"opt234": b"ABC"})
C("cls-required-subnet", G, relay="10.1.0.2",
  want={"opt3": ip("10.1.0.1"), "opt234": b"subnet-req"})
C("cls-required-subnet-dora", G, "dora", relay="10.1.0.2",
  want={"type": ACK, "opt3": ip("10.1.0.1")})
C("cls-required-pool", G, relay="10.1.0.2", opts=[o77("POOLREQ")],
  want={"opt15": b"poolreq.example"})
C("cls-required-pool-not-in-other-subnet", G, opts=[o77("POOLREQ")],
  want={"opt15": b"global.example"})
C("cls-never-required", G, relay="10.1.0.2", want={"opt15": b"global.example"})
C("cls-rai-option82-subopt", G, opts=[rai((1, b"pxe-circ"))], want={"file": "rai.efi"})
C("cls-prl-order", G, opts=[PRL(15, 6, 3, 1)])
C("cls-prl-unknown-codes", G, opts=[PRL(200, 201, 6)])
C("cls-inform-relayed", G, "inform", ciaddr="10.0.0.2", want={"type": ACK, "yiaddr": "0.0.0.0"})
C("cls-inform-w10", G, "inform", ciaddr="10.0.0.2", opts=[o77("W10TEST")],
  want={"opt15": b"w10.example"})

# --- reservations ------------------------------------------------------------------------------
G = "reservations"
C("res-hw-in-pool", G, "dora", mac="02:a1:00:00:00:01",
  want={"yiaddr": "10.0.1.50", "opt12": b"res-hw"})
C("res-client-id", G, "dora", mac="02:a1:00:00:00:02", opts=[(61, bytes.fromhex("0102a100000002"))],
  want={"yiaddr": "10.0.20.2", "opt15": b"cid.example", "opt12": b"res-cid"})
C("res-client-id-other-mac", G, mac="02:a1:00:00:00:f2",
  opts=[(61, bytes.fromhex("0102a100000002"))], want={"yiaddr": "10.0.20.2"})
C("res-circuit-id", G, "dora", mac="02:a1:00:00:00:03", opts=[rai((1, b"circ-1"))],
  want={"yiaddr": "10.0.20.3", "opt12": b"res-circ"})
C("res-duid", G, "dora", mac="02:a1:00:00:00:04",
  opts=[(61, bytes.fromhex("ff00000001" "00030001" "02a100000004"))],
  want={"yiaddr": "10.0.20.4", "opt12": b"res-duid"})
C("res-duid-wrong-type", G, mac="02:a1:00:00:00:f4",
  opts=[(61, bytes.fromhex("fe00000001" "00030001" "02a100000004"))],
  want={"opt12": None})
C("res-flex-id-data-only", G, mac="02:a1:00:00:00:05", opts=[o77("flexdata")],
  want={"opt12": None})
C("res-boot-fields", G, "dora", mac="02:a1:00:00:00:06",
  want={"yiaddr": "10.0.20.6", "siaddr": "10.0.0.60", "sname": "boot6", "file": "six.efi"})
C("res-client-classes", G, mac="02:a1:00:00:00:07",
  want={"yiaddr": "10.0.20.7", "opt42": ip("10.0.0.99"), "opt15": b"known.example"})
C("res-plain-out-of-pool", G, "dora", mac="02:a1:00:00:00:08", want={"yiaddr": "10.0.20.8"})
C("res-order-circuit-beats-hw", G, "dora", mac="02:a1:00:00:00:08", opts=[rai((1, b"circ-8"))],
  want={"0:yiaddr": "10.0.20.9"})
C("res-in-use-by-other", G, "dora", mac="02:a1:00:00:00:0a")
C("res-in-use-holder-renews", G, "reboot", mac="02:a1:00:00:00:99", addr="10.0.1.77")
C("res-options-only", G, "dora", mac="02:a1:00:00:00:0b",
  want={"opt3": ip("10.0.0.254"), "opt42": ip("10.0.0.124")})
C("res-hostname-only", G, mac="02:a1:00:00:00:0c", want={"opt12": b"name-only"})
C("res-hostname-underscore-case", G, "dora", mac="02:a1:00:00:00:0d")
C("res-hostname-vs-client-name", G, mac="02:a1:00:00:00:0d", opts=[(12, b"client-says")])
C("res-hostname-not-requested", G, mac="02:a1:00:00:00:0c", opts=[PRL(1, 3)])
C("res-unknown-client", G, "dora", mac="02:a1:00:00:00:f0", want={"opt15": b"global.example"})
C("res-global-not-enabled", G, mac="02:a6:00:00:00:01", want={"opt12": None})
C("res-global-enabled", G, "dora", mac="02:a6:00:00:00:01", relay="10.1.0.2",
  want={"opt12": b"global-host", "opt15": b"global-res.example"})
C("res-global-ip", G, "dora", mac="02:a6:00:00:00:02", relay="10.1.0.2",
  want={"yiaddr": "10.1.0.222"})
C("res-subnet2-own", G, "dora", mac="02:a2:00:00:00:01", relay="10.1.0.2",
  want={"yiaddr": "10.1.0.150"})
C("res-in-subnet-false", G, "dora", mac="02:a3:00:00:00:01", relay="10.2.0.2",
  want={"opt12": None})
C("res-out-of-pool-outside", G, "dora", mac="02:a4:00:00:00:01", relay="10.3.0.2",
  want={"yiaddr": "10.3.0.150"})
C("res-out-of-pool-inside", G, "dora", mac="02:a4:00:00:00:02", relay="10.3.0.2")
for i in range(3):
    C("res-oop-dynamic-%d" % i, G, "dora", relay="10.4.0.2", want={"yiaddr": "10.4.0.1%d" % i})
for i in range(3):
    C("res-skip-reserved-dynamic-%d" % i, G, "dora", relay="10.5.0.2",
      want={"yiaddr": "10.5.0.1%d" % (i + (i >= 2))})
C("res-reserved-addr-requested-by-other", G, "reboot", mac="02:a1:00:00:00:f5",
  addr="10.0.20.8")
C("res-reboot-own", G, "reboot", mac="02:a1:00:00:00:06", addr="10.0.20.6",
  want={"type": ACK, "file": "six.efi"})
C("res-reboot-wrong", G, "reboot", mac="02:a1:00:00:00:06", addr="10.0.1.60")
C("res-inform-known", G, "inform", mac="02:a1:00:00:00:0b", ciaddr="10.0.0.2",
  want={"opt3": ip("10.0.0.254")})
C("res-hw-second-discover", G, mac="02:a1:00:00:00:01", want={"yiaddr": "10.0.1.50"})

# --- shared networks ---------------------------------------------------------------------------
G = "shared"
C("sn-select-by-member-1", G, relay="10.1.0.2",
  want={"opt15": b"net1.example", "opt234": b"net1-req", "yiaddr": "10.1.0.10"})
C("sn-guarded-member-giaddr", G, relay="10.3.0.2")
C("sn-guarded-member-giaddr-class", G, relay="10.3.0.2", opts=[o77("GX")])
for i in range(3):
    C("sn-fill-first-pool-%d" % i, G, "dora", relay="10.1.0.2",
      want={"opt3": ip("10.1.0.1"),
            "opt51": (3000).to_bytes(4, "big")})
C("sn-fall-through-sibling", G, "dora", relay="10.1.0.2",
  want={"yiaddr": "10.2.0.10", "opt3": ip("10.2.0.1"), "opt51": (2000).to_bytes(4, "big"),
        "opt15": b"sub12.example", "opt7": ip("10.2.0.7")})
C("sn-fall-through-guarded", G, "dora", relay="10.1.0.2", opts=[o77("GX")])
C("sn-via-sibling-giaddr", G, "dora", relay="10.2.0.2")
C("sn-select-by-member-2", G, relay="10.2.0.2",
  want={"opt15": b"sub12.example", "opt234": b"net1-req"})
C("sn-init-reboot-sibling-ok", G, "dora_reboot", relay="10.1.0.2", mac="02:5a:00:00:00:01")
C("sn-init-reboot-across", G, "reboot", relay="10.2.0.2", mac="02:5a:00:00:00:01",
  addr="@lease", want={"type": ACK})
C("sn-init-reboot-other-net", G, "reboot", relay="10.5.0.2", mac="02:5a:00:00:00:01",
  addr="@lease")
C("sn-init-reboot-other-net-unknown", G, "reboot", relay="10.5.0.2", mac="02:5a:00:00:00:02",
  addr="10.1.0.11")
C("sn-init-reboot-outside", G, "reboot", relay="10.1.0.2", mac="02:5a:00:00:00:03",
  addr="10.0.1.5")
C("sn-reservation-beats-pool", G, "dora", relay="10.0.0.2", mac="02:5b:00:00:00:02",
  want={"yiaddr": "10.0.1.200", "opt15": b"res-in-pool.example", "opt8": ip("10.0.0.8")})
C("sn-reservation-opts", G, "dora", relay="10.1.0.2", mac="02:5b:00:00:00:01",
  want={"yiaddr": "10.2.0.100", "opt15": b"res.example"})
C("sn-class-vs-net-vs-global", G, relay="10.5.0.2", opts=[o60("CLS")],
  want={"opt15": b"net2.example", "opt2": (7200).to_bytes(4, "big")})
C("sn-class-vs-subnet", G, relay="10.5.0.2", opts=[o60("CLS")], want={"opt3": ip("10.5.0.1")})
C("sn-class-vs-pool", G, relay="10.0.0.2", opts=[o60("CLS")],
  want={"opt8": ip("10.0.0.8"), "opt15": b"pool1.example"})
C("sn-class-vs-subnet-time", G, relay="10.0.0.2", opts=[o60("CLS")],
  want={"opt2": (60).to_bytes(4, "big")})
C("sn-pool-vs-subnet", G, relay="10.0.0.2", want={"opt15": b"pool1.example",
                                                  "opt2": (60).to_bytes(4, "big")})
C("sn-class-vs-global-time", G, relay="10.5.0.2", opts=[o60("CLS")],
  want={"opt2": (7200).to_bytes(4, "big")})
C("sn-net-vs-required", G, relay="10.2.0.2", opts=[o60("CLS")])
C("sn-lifetime-inherit-global", G, "dora", relay="10.5.0.2",
  want={"opt51": (4000).to_bytes(4, "big")})
C("sn-net2-guarded-first-subnet", G, "dora", relay="10.4.0.2", opts=[o77("GY")],
  want={"opt3": ip("10.4.0.1")})
C("sn-net2-guard-miss", G, "dora", relay="10.4.0.2", want={"type": None})
# Kea 2.2 starts a shared network's allocation at its "preferred subnet": the member (with the
# same class guard as the one giaddr selected) that most recently allocated from its pools.
C("sn-net2-giaddr-order", G, "dora", relay="10.6.0.2", want={"opt3": ip("10.5.0.1")})
C("sn-net2-required-sub23", G, relay="10.6.0.2", want={"opt234": None, "opt3": ip("10.5.0.1")})
C("sn-net2-required-sub23-after-fill", G, relay="10.6.0.2", opts=[(50, ip("10.6.0.15"))],
  want={"opt234": b"sub23-req", "yiaddr": "10.6.0.15"})
C("sn-plain-subnet-pool-opt", G, "dora", relay="10.0.0.2", want={"opt8": ip("10.0.0.8"),
                                                                 "opt15": b"pool1.example"})
C("sn-renew-unicast-relayed", G, "renew", relay="10.1.0.2", mac="02:5c:00:00:00:01",
  addr="10.1.0.10")
C("sn-inform-net1", G, "inform", relay="10.2.0.2", ciaddr="10.2.0.2")
C("sn-release-rediscover", G, "dora_release_discover", relay="10.2.0.2")
C("sn-unknown-giaddr", G, relay="10.99.0.2", giaddr_override="10.77.0.2")

# --- options, relays, subnet selection ----------------------------------------------------------
G = "options"
C("opt-defs-offer", G, opts=[PRL(1, 3, 222, 223, 224)],
  want={"opt222": bytes.fromhex("00010002ffff"),
        "opt223": bytes([7]) + ip("10.0.0.7") + b"hello",
        "opt224": ip("10.0.0.1", "10.0.0.2", "10.0.0.3")})
C("opt-defs-requested", G, opts=[PRL(222, 223, 224, 225, 226, 227, 228)],
  want={"opt225": b"\x01", "opt226": (-5).to_bytes(4, "big", signed=True), "opt227": b""})
C("opt-defs-dora", G, "dora", opts=[PRL(1, 3, 6, 15, 222, 223, 228, 240, 241)])
C("opt-always-send", G, want={"opt234": b"always-here", "opt42": ip("10.0.0.123")})
C("opt-always-send-subnet-value", G, relay="10.3.0.2", opts=[PRL(1, 3)],
  want={"opt42": ip("10.3.0.123")})
C("opt-always-send-subnet-off-req", G, relay="10.3.0.2", opts=[PRL(42)],
  want={"opt42": ip("10.3.0.123")})
C("opt-csv-false", G, opts=[PRL(240)], want={"opt240": bytes.fromhex("0102030405")})
C("opt-long-split", G, opts=[PRL(241)], want={"opt241": bytes.fromhex("ab" * 300)})
C("opt-static-routes", G, opts=[PRL(33, 19, 23, 26)])
C("opt-vendor-encap", G, opts=[PRL(43)], want={"opt43": bytes.fromhex("0103414243")})
C("opt-domain-search", G, opts=[PRL(119, 121)])
C("opt-many-prl", G, opts=[PRL(*range(1, 80))])
C("opt-118-subnet-select", G, "dora", opts=[(118, ip("10.2.0.0"))],
  want={"opt3": ip("10.2.0.1"), "opt15": b"sel.example"})
C("opt-118-unknown-subnet", G, opts=[(118, ip("10.55.0.0"))])
C("opt-rai-echo", G, "dora", opts=[rai((1, b"circuit"), (2, b"remote"))])
C("opt-rai-echo-unknown-sub", G, opts=[rai((1, b"c"), (9, b"\x00\x00\x0d\xe9\x00"))])
C("opt-rai-link-select", G, "dora", opts=[rai((1, b"ls"), (5, ip("10.3.0.0")))],
  want={"opt3": ip("10.3.0.1")})
C("opt-rai-link-select-bad", G, opts=[rai((5, ip("10.44.0.0")))])
C("opt-rai-link-select-and-118", G, opts=[(118, ip("10.2.0.0")), rai((5, ip("10.3.0.0")))])
C("opt-rai-server-id-override", G, "dora", opts=[rai((1, b"x"), (11, ip("10.0.0.2")))])
C("opt-rai-relay-port", G, opts=[rai((1, b"rp"), (19, b"\x00\x43"))])
C("opt-hops", G, hops=3)
C("opt-broadcast-flag", G, "dora", flags=0x8000)
C("opt-secs", G, secs=17)
C("opt-hostname-sent", G, "dora", opts=[(12, b"myhost")])
C("opt-hostname-sanitised", G, "dora", opts=[(12, b"My_Host.")])
C("opt-hostname-all-bad", G, opts=[(12, b"__")])
C("opt-client-id", G, "dora", opts=[(61, b"\x01\x02\x00\x00\x00\x00\x99")])
C("opt-client-id-1byte-dropped", G, opts=[(61, b"\x01")], want={"type": None})
C("opt-requested-addr", G, opts=[(50, ip("10.0.1.200"))], want={"yiaddr": "10.0.1.200"})
C("opt-requested-addr-outside", G, opts=[(50, ip("10.9.0.1"))])
C("opt-lease-time-asked", G, "dora", opts=[(51, (100).to_bytes(4, "big"))])
C("opt-max-msg-size", G, opts=[(57, (576).to_bytes(2, "big")), PRL(241)])
C("opt-other-server-id-discover", G, opts=[(54, ip("10.9.9.9"))], want={"type": None})
C("opt-request-wrong-server-id", G, "request_only",
  opts=[(50, ip("10.0.1.5")), (54, ip("10.9.9.9"))], want={"type": None})
C("opt-op2-discover", G, op=2)
C("opt-direct-inform", G, "inform", relay=None, ciaddr="192.0.2.2")
C("opt-direct-inform-prl", G, "inform", relay=None, ciaddr="192.0.2.2", opts=[PRL(3, 15, 222)])
C("opt-reboot-no-lease-wrong-subnet", G, "reboot", addr="10.2.0.50", want={"type": None})
C("opt-reboot-lease-here", G, "dora_reboot", relay="10.2.0.2", mac="02:0e:00:00:00:01",
  want={"type": ACK, "yiaddr": "10.2.0.11"})
# Kea looks for the client's lease in the subnet selected by giaddr only: silence, not NAK
C("opt-reboot-lease-other-subnet", G, "reboot", mac="02:0e:00:00:00:01", addr="@lease",
  want={"type": None})
C("opt-renew-wrong-subnet", G, "renew", addr="10.2.0.50")
C("opt-request-no-addr", G, "request_only", want={"type": ACK})
C("opt-dora-renew", G, "dora_renew", want={"type": ACK})
C("opt-dora-decline-discover", G, "dora_decline_discover")
C("opt-dora-release-discover", G, "dora_release_discover")
C("opt-renew-unknown-addr", G, "renew", addr="10.0.1.250", want={"type": ACK})
# malformed or odd requests (NOTES.md: Kea 2.2 quirks)
C("opt-hlen17", G, hlen=17, chaddr=bytes.fromhex("02ab000000010000000000000000000f"))
C("opt-hlen0", G, hlen=0)
C("opt-htype-ieee802", G, htype=6)
C("opt-dup-53", G, raw_opts=bytes([53, 1, 1]), want={"type": None})
C("opt-zero-len-55", G, noprl=True, raw_opts=bytes([55, 0]), want={"type": None})
C("opt-zero-len-61", G, raw_opts=bytes([61, 0]), want={"type": None})
C("opt-57-one-byte", G, raw_opts=bytes([57, 1, 2]), want={"type": None})
C("opt-no-msgtype", G, no_msgtype=True, want={"type": None})
C("opt-pads-between", G, raw_opts=bytes([0, 0, 0, 77, 2, 65, 66, 0]))
C("opt-ciaddr-in-discover", G, ciaddr="10.0.0.2")
C("opt-prl-duplicates", G, opts=[PRL(3, 3, 15, 15, 6)])
C("opt-client-id-type0", G, "dora", opts=[(61, b"\x00client-zero")])
C("opt-hops-16", G, hops=16)
C("opt-sname-file-in-request", G, sname=b"someserver", file=b"somefile")

# --- host-reservation-identifiers order ---------------------------------------------------------
G = "resorder"
C("ro-hw-beats-cid-and-circuit", G, "dora", mac="02:b1:00:00:00:01",
  opts=[(61, bytes.fromhex("0102b100000001")), rai((1, b"ro-circ"))],
  want={"yiaddr": "10.0.30.1", "opt12": b"by-hw"})
C("ro-cid-beats-circuit", G, "dora", mac="02:b1:00:00:00:09",
  opts=[(61, bytes.fromhex("0102b100000002")), rai((1, b"ro-circ"))],
  want={"yiaddr": "10.0.30.4", "opt12": b"by-cid2"})
C("ro-circuit-alone", G, "dora", mac="02:b1:00:00:00:0a", opts=[rai((1, b"ro-circ"))],
  want={"yiaddr": "10.0.30.3", "opt12": b"by-circ"})
C("ro-none", G, mac="02:b1:00:00:00:0b", opts=[rai((1, b"other"))], want={"opt12": None})

# --- the deployment's multi-threading settings ----------------------------------------------------
G = "mt"
for name, kind, relay, opts in [
        ("plain", "dora", "10.0.0.2", []), ("w10", "dora", "10.0.0.2", [o77("W10TEST")]),
        ("required", "dora", "10.1.0.2", []), ("pool-required", "dora", "10.1.0.2",
                                                [o77("POOLREQ")]),
        ("rai", "dora", "10.0.0.2", [rai((1, b"port-7"), (2, b"rem-9"))]),
        ("pxe", "discover", "10.0.0.2", [o60("PXEClient:1")]),
        ("known", "dora", "10.0.0.2", []), ("short", "dora", "10.0.0.2", [o77("SHORT")])]:
    C("mt-" + name, G, kind, relay=relay, opts=opts,
      mac="02:c1:00:00:00:aa" if name == "known" else None,
      # the first new client of the pool gets its first address, whichever thread read it
      want={"yiaddr": "10.0.1.0"} if name == "plain" else {})

# --- subnets and pools guarded by client classes -------------------------------------------------
G = "classguard"
V125 = lambda ent, subs: (125, ent.to_bytes(4, "big") + bytes([len(subs)]) + subs)  # noqa: E731
V124 = lambda ent, data: (124, ent.to_bytes(4, "big") + bytes([len(data)]) + data)  # noqa: E731
for name, sid, kw in [
        ("test", 10, {"opts": [o77("GUARD")]}),
        ("vendor-class-builtin", 11, {"opts": [o60("acme")]}),
        ("mac", 12, {"mac": "02:aa:00:00:00:01"}),
        ("client-id", 13, {"opts": [(61, bytes.fromhex("01020304"))]}),
        ("substring", 14, {"opts": [o77("SUBxyz")]}),
        ("concat", 15, {"opts": [o60("AB")]}),
        ("vendor-class-defined", 16, {"opts": [o60("docsis"), PRL(1, 3, 66)]}),
        ("ifelse", 17, {"opts": [o77("IF")]}),
        ("transid", 18, {"opts": [o77("XID")]}),
        ("vivso", 19, {"opts": [V125(4491, bytes([1, 1, 7]))]}),
        ("vivco", 20, {"opts": [V124(4491, b"\x00\x03abc")]}),
        # enterprise 9999: Kea 2.2 knows DOCSIS (4491) sub-option 2 as tftp-servers and
        # drops a query whose 2-byte value does not parse
        ("vendor-suboption", 21, {"opts": [V125(9999, bytes([2, 2]) + b"ZZ")]}),
        ("no-class-fallback", 30, {"opts": [o77("NONE")]})]:
    C("cg-subnet-" + name, G, "dora", relay="10.1.0.2",
      want={"type": ACK, "yiaddr": "10.%d.0.10" % sid}, **kw)
C("cg-subnet-test-discover-only", G, relay="10.1.0.2", opts=[o77("GUARD")],
  want={"type": OFFER, "yiaddr": "10.10.0.11"})
C("cg-pool-by-reservation-class", G, "dora", relay="10.2.0.2", mac="02:ab:00:00:00:01",
  want={"type": ACK, "yiaddr": "10.40.0.10", "opt12": b"gold"})
C("cg-pool-without-class", G, "dora", relay="10.2.0.2", want={"type": ACK, "yiaddr": "10.40.0.100"})
C("cg-subnet-by-reservation-class", G, "dora", relay="10.3.0.2", mac="02:ab:00:00:00:01",
  want={"type": ACK})
C("cg-subnet-none-selected", G, relay="10.4.0.2", opts=[o77("OTHER")], want={"type": None})
# a REQUEST for which no subnet is selected is NAKed (DHCP4_PACKET_NAK_0001)
C("cg-subnet-none-request", G, "request_only", relay="10.4.0.2", opts=[o77("OTHER")],
  want={"type": 6})
C("cg-single-guarded-subnet", G, "dora", relay="10.4.0.2", opts=[o77("GUARD")],
  want={"type": ACK, "yiaddr": "10.50.0.10"})

# --- never-send (lessor with never-send == Kea 2.2 without the options) ---------------------------
G = "neversend"
C("ns-discover", G, opts=[PRL(1, 2, 3, 6, 15, 42)], want={"opt15": None, "opt42": None})
C("ns-dora", G, "dora", opts=[PRL(1, 2, 3, 6, 15, 42)], want={"opt15": None})
C("ns-subnet-level", G, "dora", relay="10.1.0.2", opts=[PRL(1, 2, 3, 15)], want={"opt2": None})
C("ns-no-prl", G, noprl=True, want={"opt15": None, "opt42": None})
C("ns-inform", G, "inform", ciaddr="10.0.0.2", opts=[PRL(15, 42)], want={"type": ACK})

# --- option spaces and encapsulation ------------------------------------------------------------
G = "optspace"
GLOBAL43 = bytes([1, 8]) + b"global-v" + bytes([2, 8]) + ip("10.0.0.5", "10.0.0.6") + \
    bytes.fromhex("0702aabb")
C("os-43-global", G, opts=[PRL(1, 3, 43, 224)],
  want={"opt43": GLOBAL43, "opt224": bytes([1, 8]) + b"http://g" + bytes.fromhex("02021f90")})
C("os-43-not-requested", G, opts=[PRL(1, 3, 6)], want={"opt43": None, "opt224": None})
C("os-43-dora", G, "dora", opts=[PRL(43, 224)], want={"type": ACK, "opt43": GLOBAL43})
C("os-224-only", G, opts=[PRL(224)], want={"opt43": None})
# sub-options come from the scope of the option that encapsulates them, not from the chain
C("os-43-subnet-subopt-only", G, relay="10.1.0.2", opts=[PRL(43)], want={"opt43": GLOBAL43})
# hex 43 is unpacked and merged with the scope's sub-options by code
C("os-43-hex-merged", G, relay="10.2.0.2", opts=[PRL(43)],
  want={"opt43": bytes.fromhex("01015a050200090603414243")})
C("os-43-empty-scope", G, relay="10.3.0.2", opts=[PRL(43)], want={"opt43": b""})
C("os-43-pool", G, relay="10.4.0.2", opts=[PRL(43)], want={"opt43": bytes.fromhex("05020004")})
C("os-43-reservation", G, "dora", mac="02:05:00:00:00:01", opts=[PRL(43)],
  want={"opt43": bytes([1, 6]) + b"host-v"})
C("os-43-class", G, opts=[PRL(43), o77("C43")], want={"opt43": bytes([1, 7]) + b"class-v"})
C("os-43-class-dora", G, "dora", opts=[PRL(43, 224), o77("C43")])
C("os-class-def-43", G, opts=[PRL(43), o77("CDEF")], want={"opt43": b"class-string"})
C("os-class-def-225", G, opts=[PRL(225), o77("C225")], want={"opt225": (77).to_bytes(4, "big")})
C("os-class-def-225-not-member", G, opts=[PRL(225)], want={"opt225": None})
C("os-class-encap-226", G, opts=[PRL(226, 224), o77("CENC")],
  want={"opt226": bytes([1, 8]) + b"http://c"})
C("os-inform", G, "inform", ciaddr="10.0.0.2", opts=[PRL(43, 224)])
# hex 43 unpacking: a truncated tail is dropped; PAD skipped, END stops
C("os-43-hex-malformed", G, relay="10.5.0.2", opts=[PRL(43)],
  want={"opt43": bytes.fromhex("0102aabb05020003")})
C("os-43-hex-codes-0-255", G, opts=[PRL(43), o77("CHEX")], want={"opt43": bytes.fromhex("0101aa")})
# one sub-option per code: the hex-given one, else the first configured
# a sub-option longer than 255 bytes: split into 251-byte instances (LibDHCP::splitOptions4)
C("os-43-long-suboption", G, opts=[PRL(43), o77("LONG")],
  want={"opt43": bytes([1, 251]) + b"\xab" * 251 + bytes([1, 49]) + b"\xab" * 49 +
        bytes.fromhex("0301cd")})
C("os-43-long-suboption-unaligned", G, opts=[PRL(43), o77("LONG2")])
C("os-43-duplicates", G, relay="10.6.0.2", opts=[PRL(43)],
  want={"opt43": bytes.fromhex("010162050200ff")})

# --- packets and options (issue #10) -------------------------------------------------------------
G = "pktopts"
C("po-50-52-118-requested", G, opts=[PRL(1, 50, 52, 118)],
  want={"opt50": ip("10.0.0.99"), "opt52": b"\x03", "opt118": ip("10.9.0.0")})
C("po-50-52-118-not-requested", G, opts=[PRL(1, 3)],
  want={"opt50": None, "opt52": None, "opt118": None})
C("po-50-52-118-dora", G, "dora", opts=[PRL(1, 50, 52, 118)],
  want={"type": ACK, "opt50": ip("10.0.0.99"), "opt52": b"\x03"})
C("po-118-sent-and-requested", G, opts=[PRL(118), (118, ip("10.1.0.0"))], relay="10.1.0.2",
  want={"opt118": ip("10.1.0.0")})
C("po-rai-order", G, opts=[rai((2, b"remote"), (1, b"circuit"))],
  want={"opt82": bytes([1, 7]) + b"circuit" + bytes([2, 6]) + b"remote"})
C("po-rai-order-dora", G, "dora", opts=[rai((9, b"\x00\x00\x0d\xe9\x00"), (5, ip("10.0.0.0")),
                                             (1, b"c1"), (2, b"r2"))],
  want={"1:opt82": bytes.fromhex("0102" "6331" "0202" "7232" "0504" "0a000000"
                                  "0905" "00000de900")})
# a repeated sub-option comes back fused into one (Kea 2.2)
C("po-rai-order-repeated-sub", G, opts=[rai((2, b"b"), (1, b"a"), (2, b"c"))],
  want={"opt82": bytes.fromhex("010161" "02026263")})
C("po-rai-sorted-already", G, opts=[rai((1, b"a"), (2, b"b"))],
  want={"opt82": bytes.fromhex("010161" "020162")})
# RFC 3396 split option 55: Kea 2.2 answers none of it (the fused option is not a PRL to it)
C("po-prl-split", G, noprl=True, raw_opts=bytes([55, 2, 42, 7, 55, 2, 2, 40]),
  want={"opt42": None, "opt7": None, "opt2": None, "opt40": None, "opt1": ip("255.255.0.0")})
C("po-prl-split-three", G, noprl=True, raw_opts=bytes([55, 1, 40, 55, 1, 42, 55, 1, 2]),
  want={"opt40": None, "opt42": None, "opt2": None})
# a sub-option running past option 82: Kea answers, keeping the sub-options before it
C("po-rai-overrun", G, raw_opts=bytes([82, 3, 1, 5, 65]), want={"type": OFFER, "opt82": None})
C("po-rai-overrun-after-valid", G, raw_opts=bytes([82, 6, 2, 1, 98, 1, 5, 65]),
  want={"type": OFFER})

# --- client names: options 81 and 12 with DDNS off (issue #10) -----------------------------------
G = "names"
FQ_S, FQ_O, FQ_E, FQ_N = 1, 2, 4, 8


def fqdn(flags, name, rc=(0, 0)):
    """Option 81 (RFC 4702): flags, RCODE1/2, name (bytes: ASCII, or wire format with E)."""
    return (81, bytes([flags, rc[0], rc[1]]) + name)


def wire(*labels, full=True):
    return b"".join(bytes([len(x)]) + x for x in labels) + (b"\0" if full else b"")


C("fq-partial-ascii", G, opts=[fqdn(0, b"myhost")], want={"opt12": None})
C("fq-partial-ascii-dora", G, "dora", opts=[fqdn(0, b"myhost")], want={"1:type": ACK})
C("fq-s-flag", G, opts=[fqdn(FQ_S, b"myhost")])
C("fq-n-flag", G, opts=[fqdn(FQ_N, b"myhost")])
C("fq-full-ascii", G, opts=[fqdn(0, b"host.example.com.")])
C("fq-full-ascii-no-dot", G, opts=[fqdn(0, b"host.example.com")])
C("fq-wire-full", G, "dora", opts=[fqdn(FQ_E | FQ_S, wire(b"Host", b"Example", b"com"))])
C("fq-wire-partial", G, opts=[fqdn(FQ_E, wire(b"host", full=False))])
C("fq-empty-name", G, opts=[fqdn(0, b"")])
C("fq-empty-name-dora", G, "dora", opts=[fqdn(FQ_S, b"")])
C("fq-and-hostname", G, opts=[fqdn(0, b"fq"), (12, b"hn")], want={"opt12": None})
C("fq-rcodes", G, opts=[fqdn(0, b"rc", rc=(255, 255))])
C("fq-reserved", G, "dora", mac="02:f1:00:00:00:01", opts=[fqdn(0, b"client")])
C("fq-reserved-fqdn", G, mac="02:f1:00:00:00:02", opts=[fqdn(FQ_E, wire(b"x"))])
C("fq-charset-x", G, relay="10.1.0.2", opts=[fqdn(0, b"My_Host.ex_ample.")])
C("fq-charset-none", G, relay="10.2.0.2", opts=[fqdn(0, b"My_Host")])
C("fq-replace-always", G, "dora", relay="10.3.0.2", opts=[fqdn(0, b"mine")])
C("fq-replace-when-not-present", G, relay="10.4.0.2", opts=[fqdn(0, b"")])
C("fq-net-suffix", G, relay="10.5.0.2", opts=[fqdn(0, b"part")])
C("fq-net-suffix-full", G, relay="10.5.0.2", opts=[fqdn(0, b"full.name.")])
C("fq-sub-suffix", G, relay="10.6.0.2", opts=[fqdn(0, b"Part_2")])
C("fq-inform", G, "inform", ciaddr="10.0.0.2", opts=[fqdn(0, b"inf")])
C("hn-default", G, "dora", opts=[(12, b"Plain_Host")], want={"1:opt12": b"plainhost"})
C("hn-fqdn-trailing-dot", G, opts=[(12, b"a.b.c.")])
C("hn-two-labels-dot", G, opts=[(12, b"a.b")])
C("hn-dot-only", G, opts=[(12, b".")])
C("hn-spaces", G, opts=[(12, b" sp ")])
C("hn-reserved", G, mac="02:f1:00:00:00:01", opts=[(12, b"client")])
C("hn-reserved-full", G, mac="02:f1:00:00:00:02")
C("hn-charset-x", G, "dora", relay="10.1.0.2", opts=[(12, b"My_Host")])
C("hn-charset-x-fqdn", G, relay="10.1.0.2", opts=[(12, b"a_b.c_d")])
C("hn-charset-none", G, relay="10.2.0.2", opts=[(12, b"My_Host")])
C("hn-replace-always", G, "dora", relay="10.3.0.2", opts=[(12, b"mine")])
C("hn-replace-always-absent", G, relay="10.3.0.2")
C("hn-replace-when-not-present", G, relay="10.4.0.2")
C("hn-replace-when-not-present-given", G, relay="10.4.0.2", opts=[(12, b"given")])
C("hn-net-when-present", G, relay="10.5.0.2", opts=[(12, b"given")])
C("hn-net-when-present-absent", G, relay="10.5.0.2", want={"opt12": None})
C("hn-net-reserved", G, "dora", relay="10.5.0.2", mac="02:f1:00:00:00:06")
C("hn-sub-suffix", G, relay="10.6.0.2", opts=[(12, b"Part_2")])
C("hn-sub-suffix-full", G, relay="10.6.0.2", opts=[(12, b"x.y")])
C("hn-inform", G, "inform", ciaddr="10.0.0.2", opts=[(12, b"inf")])
# hostile and odd names: what Kea 2.2's Option4ClientFqdn / isc::dns::Name / OptionString make
# of them (a malformed option 81 drops the packet; a malformed option 12 is only ignored)
C("fq-bad-flags-ns", G, opts=[fqdn(FQ_S | FQ_N, b"x")], want={"type": None})
C("fq-short", G, opts=[(81, b"\x00\x00")], want={"type": None})
C("fq-flags-only", G, opts=[(81, b"\x00")], want={"type": None})
C("fq-mbz-and-o", G, opts=[fqdn(0xf0 | FQ_O, b"mbz")])
C("fq-empty-label", G, opts=[fqdn(0, b"a..b")])
C("fq-leading-dot", G, opts=[fqdn(0, b".a")])
C("fq-root-only", G, opts=[fqdn(0, b".")])
C("fq-long-label", G, opts=[fqdn(0, b"a" * 64)])
C("fq-label-63", G, opts=[fqdn(0, b"b" * 63)])
C("fq-long-name", G, opts=[fqdn(0, b".".join([b"c" * 60] * 5))])
C("fq-wire-compressed", G, opts=[fqdn(FQ_E, b"\x04host\xc0\x00")])
C("fq-wire-overrun", G, opts=[fqdn(FQ_E, b"\x05host")])
C("fq-wire-ascii", G, opts=[fqdn(FQ_E, b"myhost")])
C("fq-wire-trailing", G, opts=[fqdn(FQ_E, b"\x04host\x00\x03abc\x00")])
C("fq-wire-inner-zero", G, opts=[fqdn(FQ_E, b"\x04host\x00\x03abc")])
C("fq-wire-empty", G, opts=[fqdn(FQ_E | FQ_S, b"")])
C("fq-wire-root", G, opts=[fqdn(FQ_E, b"\x00")])
C("fq-wire-dot-in-label", G, opts=[fqdn(FQ_E, b"\x03a.b\x00")])
C("fq-ascii-space", G, opts=[fqdn(0, b"my host")])
C("fq-ascii-space-raw", G, relay="10.2.0.2", opts=[fqdn(0, b"my host")])
C("fq-ascii-escape", G, relay="10.2.0.2", opts=[fqdn(0, b"a\\.b\\065")])
C("fq-ascii-bad-escape", G, opts=[fqdn(0, b"a\\256")])
C("fq-ascii-trailing-nul", G, opts=[fqdn(0, b"myhost\0")])
C("fq-ascii-trailing-backslash", G, opts=[fqdn(0, b"ab\\")])
C("fq-all-scrubbed", G, opts=[fqdn(0, b"__")])
C("fq-label-scrubbed", G, opts=[fqdn(0, b"a.__.b")])
C("fq-suffix-present", G, relay="10.6.0.2", opts=[fqdn(0, b"x.sub.example")])
C("fq-reserved-net", G, "dora", relay="10.5.0.2", mac="02:f1:00:00:00:06",
  opts=[fqdn(FQ_S, b"client")])
C("fq-renew-new-name", G, "dora_renew", opts=[fqdn(0, b"first")])
C("fq-request-changes-name", G, "dora", opts=[fqdn(0, b"first")],
  req_opts=[fqdn(FQ_S, b"second")])
C("fq-request-drops-name", G, "dora", opts=[fqdn(0, b"first")], req_opts=[])
C("hn-trailing-nul", G, opts=[(12, b"host\0")])
C("hn-only-nuls", G, opts=[(12, b"\0\0")])
C("hn-zero-len", G, raw_opts=bytes([12, 0]))
C("hn-inner-nul", G, opts=[(12, b"a\0b")])
C("hn-all-scrubbed", G, opts=[(12, b"__")])
C("hn-only-spaces", G, opts=[(12, b"   ")])
C("hn-malformed", G, opts=[(12, b"a..b")])
C("hn-long-label", G, opts=[(12, b"a" * 64)])
C("hn-escape", G, opts=[(12, b"a\\046b")])
C("hn-upper-generated", G, relay="10.3.0.2", opts=[(12, b"X")])
C("hn-renew-new-name", G, "dora_renew", opts=[(12, b"hfirst")])
C("hn-request-changes-name", G, "dora", opts=[(12, b"hfirst")], req_opts=[(12, b"hsecond")])
C("hn-dot-suffix", G, relay="10.6.0.2", opts=[(12, b"a.")])
C("fq-embedded-suffix", G, relay="10.6.0.2", opts=[fqdn(0, b"xsub.example")])
C("fq-equals-suffix", G, relay="10.6.0.2", opts=[fqdn(0, b"sub.example")])
C("fq-suffix-dot-only", G, relay="10.6.0.2", opts=[fqdn(0, b"__")])
C("hn-zero-len-wnp", G, relay="10.4.0.2", raw_opts=bytes([12, 0]))
C("hn-only-nuls-wnp", G, relay="10.4.0.2", opts=[(12, b"\0")])
C("hn-only-spaces-wnp", G, relay="10.4.0.2", opts=[(12, b"  ")])
C("hn-malformed-wnp", G, relay="10.4.0.2", opts=[(12, b"a..b")])
C("hn-long-name", G, opts=[(12, b".".join([b"c" * 60] * 5))])
C("fq-zero-len-wnp", G, relay="10.4.0.2", raw_opts=bytes([81, 0]))
C("hn-reserved-fq-empty", G, mac="02:f1:00:00:00:01", opts=[fqdn(0, b"")])
# split into two instances (RFC 3396): Kea 2.2 fuses them into an untyped option, which its name
# processing does not see (so a malformed split option 81 is not even a drop)
C("fq-split", G, raw_opts=bytes([81, 5, 0, 0, 0, 97, 98, 81, 2, 99, 100]))
C("fq-split-bad-flags", G, raw_opts=bytes([81, 4, 9, 0, 0, 97, 81, 1, 98]))
C("hn-split", G, raw_opts=bytes([12, 2, 97, 98, 12, 2, 99, 100]))
C("hn-split-wnp", G, relay="10.4.0.2", raw_opts=bytes([12, 2, 97, 98, 12, 2, 99, 100]))

# --- drops and their bad-packets log lines (issue #10) ---------------------------------------------
G = "badpkt"
C("bp-decline-normal", G, "dora_decline_discover", mac="02:b0:00:00:00:01")
C("bp-decline-without-50", G, "msg", msgtype=DECLINE, mac="02:b0:00:00:00:02",
  opts=[(54, ip("192.0.2.1"))], want={"type": None})
C("bp-decline-unknown-addr", G, "msg", msgtype=DECLINE, mac="02:b0:00:00:00:03",
  opts=[(50, ip("10.0.1.99"))], want={"type": None})
C("bp-release-unknown", G, "msg", msgtype=RELEASE, ciaddr="10.0.1.98", want={"type": None})
C("bp-zero-len-55", G, noprl=True, raw_opts=bytes([55, 0]), want={"type": None})
C("bp-zero-len-61", G, raw_opts=bytes([61, 0]), want={"type": None})
C("bp-1byte-61", G, opts=[(61, b"\x01")], want={"type": None})
C("bp-57-one-byte", G, raw_opts=bytes([57, 1, 2]), want={"type": None})
C("bp-dup-53", G, raw_opts=bytes([53, 1, 1]), want={"type": None})
C("bp-no-msgtype", G, no_msgtype=True, want={"type": None})
C("bp-offer-to-server", G, "msg", msgtype=OFFER, want={"type": None})
C("bp-discover-server-id", G, opts=[(54, ip("10.9.9.9"))], want={"type": None})
C("bp-request-other-server", G, "request_only", opts=[(50, ip("10.0.1.5")),
                                                      (54, ip("10.9.9.9"))], want={"type": None})
C("bp-no-identity", G, hlen=0, want={"type": None})
C("bp-drop-class", G, opts=[o77("DROPME")], want={"type": None})
C("bp-unknown-giaddr", G, relay="10.99.0.2", giaddr_override="10.77.0.2")
C("bp-direct-inform-no-ciaddr", G, "inform", relay=None)

# --- store-extended-info (issue #10) --------------------------------------------------------------
G = "extinfo"
C("ei-rai-sorted", G, "dora", opts=[rai((2, b"Remote-X"), (1, b"circ-1"))],
  want={"1:type": ACK})
C("ei-rai-repeated-sub", G, "dora", opts=[rai((1, b"a"), (6, b"sub"), (1, b"b"))],
  want={"1:type": ACK})
C("ei-no-rai", G, "dora", want={"1:type": ACK})
C("ei-renew-new-rai", G, "dora_renew", opts=[rai((1, b"first"))], want={"2:type": ACK})
C("ei-dora-then", G, "dora", mac="02:e1:00:00:00:02", opts=[rai((1, b"one"))],
  want={"1:type": ACK})
C("ei-renew-other-rai", G, "renew", mac="02:e1:00:00:00:02", addr="@lease",
  opts=[rai((2, b"two"), (1, b"one"))], want={"type": ACK})
# a lease with a user-context of its own keeps it; "ISC" is added beside it
C("ei-preloaded-context", G, "dora", mac="02:e1:00:00:00:01", opts=[rai((1, b"pre"))],
  want={"1:type": ACK, "1:yiaddr": "10.0.1.200"})
C("ei-subnet-off", G, "dora", relay="10.1.0.2", opts=[rai((1, b"off"))], want={"1:type": ACK})
C("ei-network-off", G, "dora", relay="10.2.0.2", opts=[rai((1, b"net-off"))],
  want={"1:type": ACK})
C("ei-network-off-subnet-on", G, "dora", relay="10.3.0.2", opts=[rai((1, b"sub-on"))],
  want={"1:type": ACK})
C("ei-discover-only", G, opts=[rai((1, b"offer-only"))], want={"type": OFFER})

# --- early-global-reservations-lookup (issue #10) ------------------------------------------------
G = "earlyghr"
GOLD, PLAIN, DROPPED, GOLD_IP = ("02:e9:00:00:00:%02x" % i for i in (1, 2, 3, 4))
PRL_E = PRL(1, 3, 4, 7, 12, 15, 42)
C("eg-gold-guarded-subnet", G, "dora", mac=GOLD, opts=[PRL_E],
  want={"1:type": ACK, "1:opt15": b"gold.example", "1:opt12": b"g1"})
C("eg-unreserved-guarded-subnet", G, opts=[PRL_E], want={"type": None})
C("eg-plain-not-gold", G, mac=PLAIN, opts=[PRL_E], want={"type": None})
C("eg-known-guard", G, "dora", mac=PLAIN, relay="10.1.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:opt7": ip("10.0.0.7")})
C("eg-unknown-known-guard", G, relay="10.1.0.2", opts=[PRL_E], want={"type": None})
# a class whose test is member() of a reserved class; the subnet takes no global reservations
C("eg-member-guard-no-global-res", G, "dora", mac=GOLD, relay="10.2.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:opt42": ip("10.0.0.123")})
C("eg-drop-by-reserved-class", G, mac=DROPPED, opts=[PRL_E], want={"type": None})
C("eg-gold-pool", G, "dora", mac=GOLD, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK})
C("eg-other-pool", G, "dora", relay="10.3.0.2", opts=[PRL_E], want={"1:type": ACK})
C("eg-reserved-ip", G, "dora", mac=GOLD_IP, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:yiaddr": "10.3.0.77"})
G = "earlyghr-off"
C("eg-off-gold-guarded-subnet", G, mac=GOLD, opts=[PRL_E])
C("eg-off-known-guard", G, mac=PLAIN, relay="10.1.0.2", opts=[PRL_E])
C("eg-off-drop-by-reserved-class", G, mac=DROPPED, opts=[PRL_E])
C("eg-off-gold-pool", G, "dora", mac=GOLD, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:opt42": ip("10.0.0.123")})
C("eg-off-drop-outside-network", G, mac=DROPPED, relay="10.3.0.2", opts=[PRL_E])
C("eg-off-plain-member-known", G, "dora", mac=PLAIN, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK})

# --- lease cache (issue #10) -----------------------------------------------------------------------
G = "cache"
u32 = lambda v: int.from_bytes(v, "big") if v is not None else None  # noqa: E731
near = lambda lo, hi: (lambda v: v is not None and lo <= u32(v) <= hi)  # noqa: E731
LFT = ("opt51",)
# age 500 of 4000, threshold 0.25 (1000 s): reused, the remaining ~3500 s sent, no write
C("lc-renew-reused", G, "renew", mac="02:ca:00:00:00:01", addr="10.0.1.200", ignore=LFT,
  want={"type": ACK, "opt51": near(3480, 3500), "opt58": (1000).to_bytes(4, "big")})
# age 2000: past the threshold, renewed in full and written
C("lc-renew-past-threshold", G, "renew", mac="02:ca:00:00:00:02", addr="10.0.1.201",
  want={"type": ACK, "opt51": (4000).to_bytes(4, "big")})
# a DISCOVER for a reusable lease, then the REQUEST
C("lc-dora-reused", G, "dora", mac="02:ca:00:00:00:03", ignore=LFT,
  want={"0:opt51": near(3480, 3500), "1:type": ACK, "1:yiaddr": "10.0.1.202",
        "1:opt51": near(3480, 3500)})
# cache-max-age 300 refuses age 500 even within the inherited threshold
C("lc-max-age", G, "renew", mac="02:ca:00:00:00:04", addr="10.1.0.50", relay="10.1.0.2",
  want={"type": ACK, "opt51": (4000).to_bytes(4, "big")})
# shared-network threshold 0.9 (3600 s), age 3000: ~1000 s left, below T1/T2
C("lc-network-threshold", G, "renew", mac="02:ca:00:00:00:05", addr="10.2.0.50",
  relay="10.2.0.2", ignore=LFT, want={"type": ACK, "opt51": near(980, 1000)})
# subnet threshold 0.05 (200 s) with the network's max-age 5000: age 150 reused, 250 not
C("lc-subnet-threshold-in", G, "renew", mac="02:ca:00:00:00:06", addr="10.3.0.50",
  relay="10.3.0.2", ignore=LFT, want={"type": ACK, "opt51": near(3830, 3850)})
C("lc-subnet-threshold-out", G, "renew", mac="02:ca:00:00:00:07", addr="10.3.0.51",
  relay="10.3.0.2", want={"type": ACK, "opt51": (4000).to_bytes(4, "big")})
# INIT-REBOOT of a reusable lease
C("lc-reboot-reused", G, "reboot", mac="02:ca:00:00:00:08", addr="10.0.1.203", ignore=LFT,
  want={"type": ACK, "opt51": near(3480, 3500)})
# a new client: written; its immediate renewal is reused (age 0 or 1 s)
C("lc-new-then-renew", G, "dora_renew", ignore=LFT,
  want={"1:opt51": (4000).to_bytes(4, "big"), "2:type": ACK, "2:opt51": near(3990, 4000)})

# --- vendor-<enterprise-id> option spaces (issue #10) ----------------------------------------------
G = "vendor"
vivso = lambda ent, subs=b"": (125, ent.to_bytes(4, "big") + bytes([len(subs)]) + subs)  # noqa
vivco = lambda ent, data=b"": (124, ent.to_bytes(4, "big") + bytes([len(data)]) + data)  # noqa
C("vs-4491-oro", G, opts=[vivso(4491, bytes([1, 2, 2, 5]))],
  want={"opt125": bytes.fromhex("0000118b0e" "02080a0000450a000046" "05020102")})
C("vs-4491-oro-dora", G, "dora", opts=[vivso(4491, bytes([1, 1, 2]))])
C("vs-4491-no-oro", G, opts=[vivso(4491)])
C("vs-1234-always", G, opts=[vivso(1234)],
  want={"opt125": bytes.fromhex("000004d20d") + bytes([1, 11]) + b"http://acme"})
C("vs-1234-subnet", G, relay="10.1.0.2", opts=[vivso(1234)],
  want={"opt125": bytes.fromhex("000004d215") + bytes([1, 13]) + b"http://subnet" +
        bytes.fromhex("03040000004d")})
C("vs-1234-class", G, opts=[vivso(1234), o77("VC")])
C("vs-1234-prl-125", G, opts=[vivso(1234), PRL(1, 3, 125)])
C("vs-none", G, opts=[PRL(1, 3, 125)], want={"opt125": None})
C("vs-vivco-1234", G, opts=[vivco(1234, b"\x03abc")], want={"opt125": None})
C("vs-unknown-enterprise", G, opts=[vivso(999)], want={"opt125": None})
C("vs-two-enterprises", G, opts=[(125, (999).to_bytes(4, "big") + b"\x00" +
                                  (1234).to_bytes(4, "big") + b"\x00")],
  want={"opt125": None})
C("vs-inform", G, "inform", ciaddr="10.0.0.2", opts=[vivso(1234)])

# Deliberate, documented differences: case name -> reason (xfail strict). Keep short.
DIFFERENCES = {
    "os-43-long-suboption": "an encapsulated payload over 255 bytes: lessor splits the "
                            "sub-options (251-byte instances, as Kea) then the option 253 + rest "
                            "(RFC 3396); Kea 2.2 puts each piece in its own option 43 instance. "
                            "Same bytes after RFC 3396 concatenation.",
    "os-43-long-suboption-unaligned": "Kea 2.2's LibDHCP::splitOptions4() loses data here "
                                      "(sub-option 5 cut to 175 of 300 bytes, one 180-byte "
                                      "option 43); lessor sends all of it (RFC 3396).",
    "check:names-global-bad-regex": "Kea 2.2 checks hostname-char-set only at shared-network "
                                    "and subnet level, then fails every packet's name "
                                    "processing on a bad global one; lessor refuses it.",
    "check:never-send": "lessor accepts Kea >= 2.3's option-data never-send (the deployment runs "
                        "Kea 2.4); Kea 2.2 rejects the keyword. Behaviour: group 'neversend'.",
}
