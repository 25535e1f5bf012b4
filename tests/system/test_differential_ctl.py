"""The control channel, differentially (issue #10): every test sends the same requests to
Kea 2.2 (kea-dhcp4 with libdhcp_lease_cmds.so and libdhcp_stat_cmds.so over its UNIX socket,
kea-ctrl-agent for HTTP) and to lessor, each on the same configuration in its own pair of
namespaces, and compares the answers: result codes, texts (without Kea's "(<wire>:L:C)"
positions) and, where the values are deterministic, the values.

Families: status-get under multi-threading and after a reconfiguration; list-commands by the
configured hooks-libraries, each listed command answering as Kea's; config-write and a config-set that moves the control socket; huge HTTP
headers and bodies; config-get with Kea's defaults. The table of bad lease command
arguments: test_differential_ctl_args.py; the shared helpers: differential_ctl.py.
"""

import json
import math
import os
import time

import pytest

from conftest import PYTHON, NetPair, Server, need_tools, probe_offer
from differential_ctl import (LEASE_HOOK, LESSOR_EXTRA_COMMANDS, LESSOR_STATUS_EXTRA, STAT_HOOK,
                              both, compare, norm, send)
from test_ctl import HTTP_PORT, Ctl
from test_differential_config import CHECK_TEXT_DIFFERS


# ---------------------------------------------------------------------------------------------
# status-get


def mt_config(pool, queue):
    def edit(cfg, d):
        cfg["Dhcp4"]["multi-threading"] = {"enable-multi-threading": True,
                                           "thread-pool-size": pool, "packet-queue-size": queue}
    return edit


def queue_model(m):
    """Kea's packet-queue-statistics after M packets that each found the queue empty (depth
    1 when pushed): moving averages over 10, 100, 1000 packets, printed with 6 digits."""
    return [float("%.6g" % (1 - math.exp(-m / n))) for n in (10, 100, 1000)]


def test_status_get_multi_threading(server, tmp_path):
    """With multi-threading on, status-get has thread-pool-size, packet-queue-size and
    packet-queue-statistics as Kea's; the statistics follow Kea's averages for the packets
    received; "reload" restarts at 0 after a config-set."""
    with both(server, tmp_path, mt_config(3, 17)) as (ours, kea):
        answers = [c.unix("status-get") for c in (ours, kea)]
        for a in answers:
            assert a["result"] == 0, a
        o, k = (a["arguments"] for a in answers)
        assert sorted(set(o) - LESSOR_STATUS_EXTRA) == sorted(k), (o, k)
        for key in ("multi-threading-enabled", "thread-pool-size", "packet-queue-size",
                    "sockets"):
            assert o[key] == k[key], (key, o, k)
        sent = 12
        for c in (ours, kea):
            for _ in range(sent):
                assert probe_offer(c.net), c.server.kind
            st = c.unix("status-get")["arguments"]["packet-queue-statistics"]
            # the start-up probe may or may not have gone through Kea's queue
            assert st in (queue_model(sent), queue_model(sent + 1)), (c.server.kind, st)
        time.sleep(2.2)
        for c in (ours, kea):
            cfg = c.unix("config-get")["arguments"]
            cfg.pop("hash", None)
            assert c.unix("config-set", **cfg)["result"] == 0
            st = c.unix("status-get")["arguments"]
            assert st["uptime"] >= 2 and st["reload"] <= 1, (c.server.kind, st)


def test_status_get_single_threaded(server, tmp_path):
    def edit(cfg, d):
        cfg["Dhcp4"]["multi-threading"] = {"enable-multi-threading": False}
    with both(server, tmp_path, edit) as (ours, kea):
        o, k = (c.unix("status-get")["arguments"] for c in (ours, kea))
        assert sorted(set(o) - LESSOR_STATUS_EXTRA) == sorted(k) == ["multi-threading-enabled", "pid", "reload", "sockets",
                                          "uptime"], (o, k)
        assert o["multi-threading-enabled"] is False


# ---------------------------------------------------------------------------------------------
# list-commands and what each listed command answers

# a harmless request for each command (no shutdown, nothing that changes the configuration)
PROBE_ARGS = {
    "shutdown": {"exit-value": "x"},
    "config-set": {"x": 1},
    "config-test": {"x": 1},
    "config-reload": None,
    "config-write": {"filename": 5},
    "dhcp-disable": {"max-period": "x"},
    "dhcp-enable": {"origin": "bogus"},
    "lease4-resend-ddns": {},          # Kea 2.2 aborts on lease4-resend-ddns without arguments
    "lease6-resend-ddns": {},
    "leases-reclaim": {"remove": "x"},
    "statistic-reset-all": {"x": 1},
    "statistic-remove-all": {"x": 1},
    "statistic-sample-age-set-all": {"duration": "x"},
    "statistic-sample-count-set-all": {"max-samples": "x"},
    "lease4-wipe": {"subnet-id": 99},
    "lease6-wipe": {"subnet-id": 99},
}
# answers whose text or arguments depend on the process, the time or the build
RESULT_ONLY = {"list-commands", "version-get", "build-report", "status-get", "config-get", "statistic-get-all",
               "config-reload", "stat-lease4-get"}


@pytest.mark.parametrize("hooks", [("lease", "stat"), ("lease",), ("stat",), ()],
                         ids=["both-hooks", "lease-cmds", "stat-cmds", "no-hooks"])
def test_list_commands_by_hooks(server, tmp_path, hooks):
    """list-commands lists what Kea 2.2 lists with the same hooks-libraries (a command of a
    library that is not loaded is neither listed nor known), and every listed command
    answers a harmless request as Kea does."""
    libs = [h for n, h in (("lease", LEASE_HOOK), ("stat", STAT_HOOK)) if n in hooks]

    def edit(cfg, d):
        cfg["Dhcp4"]["hooks-libraries"] = libs
    with both(server, tmp_path, edit) as (ours, kea):
        o, k = (c.unix("list-commands") for c in (ours, kea))
        assert o["result"] == k["result"] == 0
        assert set(k["arguments"]) <= set(o["arguments"]), \
            "missing: %s" % sorted(set(k["arguments"]) - set(o["arguments"]))
        assert set(o["arguments"]) - set(k["arguments"]) <= LESSOR_EXTRA_COMMANDS, \
            sorted(set(o["arguments"]) - set(k["arguments"]))
        assert o["arguments"] == sorted(o["arguments"])
        for cmd in k["arguments"] + ["lease4-get", "stat-lease4-get", "lease6-get"]:
            args = PROBE_ARGS.get(cmd, {"x": 1}) if cmd != "list-commands" else None
            a = [send(c, cmd, args) for c in (ours, kea)]
            compare(a[0], a[1], "%s %s" % (cmd, args), whole=cmd not in RESULT_ONLY)


# ---------------------------------------------------------------------------------------------
# config-write and moving the control socket


def test_config_write_matches_kea(server, tmp_path):
    """config-write answers as Kea's (result, text, filename as asked, size of the file
    written) and writes Kea's file byte for byte (its prettyPrint of config-get), which the
    same server accepts back. lessor writes
    only into the configuration file's directory (docs/differences.md): both are asked only
    for places there, plus a directory that does not exist."""
    def edit(cfg, d):
        cfg["Dhcp4"]["multi-threading"] = {"enable-multi-threading": False}
    with both(server, tmp_path, edit) as (ours, kea):
        for args in (None, {"filename": "written.json"}, {"filename": "@DIR@/abs.json"},
                     {"filename": "/nonexistent/x.json"}, {"filename": 5}, [1]):
            got = []
            for c in (ours, kea):
                d = os.path.dirname(c.server.cfg_path)
                a = json.loads(json.dumps(args).replace("@DIR@", d)) if args else args
                ans = send(c, "config-write", a)
                if ans["result"] == 0:
                    name = ans["arguments"]["filename"]
                    path = name if os.path.isabs(name) else os.path.join(d, name)
                    assert os.path.getsize(path) == ans["arguments"]["size"], (c.server.kind,
                                                                                ans)
                    with open(path) as f:
                        text = f.read()
                    assert send(c, "config-test", json.loads(text))["result"] == 0, c.server.kind
                    # the paths in it differ in length; the rest is byte for byte Kea's
                    ans["arguments"]["size"] = text.replace(d, "@DIR@")
                got.append(json.loads(json.dumps(ans).replace(d, "@DIR@")))
            assert got[0] == got[1], (args, got)


def test_config_set_moves_control_socket(server, tmp_path):
    """A config-set with another control-socket.socket-name closes the old socket (its file
    goes) and opens the new one, on both servers."""
    with both(server, tmp_path) as (ours, kea):
        for c in (ours, kea):
            cfg = send(c, "config-get", None)["arguments"]
            cfg.pop("hash", None)
            old = c.sock_path
            new = os.path.join(os.path.dirname(old), "moved.sock")
            cfg["Dhcp4"]["control-socket"]["socket-name"] = new
            assert send(c, "config-set", cfg) == {"result": 0,
                                                  "text": "Configuration successful."}
            deadline = time.monotonic() + 5
            while os.path.exists(old) or not os.path.exists(new):
                assert time.monotonic() < deadline, (c.server.kind, os.path.exists(old),
                                                     os.path.exists(new))
                time.sleep(0.1)
            c.sock_path = new
            assert send(c, "version-get", None)["result"] == 0, c.server.kind
            # and back again, by config-reload of the unchanged file
            assert send(c, "config-reload", None)["result"] == 0, c.server.kind
            deadline = time.monotonic() + 5
            while os.path.exists(new) or not os.path.exists(old):
                assert time.monotonic() < deadline, c.server.kind
                time.sleep(0.1)
            c.sock_path = old
            assert send(c, "version-get", None)["result"] == 0


# ---------------------------------------------------------------------------------------------
# negative configurations by config-set: result 1, Kea's words, the running configuration stays

# hex option data Kea 2.2 refuses (test_differential_config.HEX_CHECKS has the accepted neighbours)
SET_HEX_REFUSED = ["hex-3-010203", "hex-26-05", "hex-25-empty", "hex-15-0000", "hex-1-ffffff",
                   "hex-119-c000", "hex-81-0000", "hex-124-000000010561",
                   "hex-125-00000001020101", "hex-146-010203040506070800",
                   "hex-def-tuple-01", "hex-def-record-array-uint8-fqdn-0100"]


def _set_cases():
    from test_differential_config import CHECKS
    return sorted(k for k in CHECKS if k.startswith("neg-")) + SET_HEX_REFUSED


def test_config_set_negative(server, tmp_path):
    """Every negative configuration of test_differential_config.CHECKS (pools, subnets, shared
    networks, option data) pushed by config-set to both servers: result 1 on both, Kea's text
    (without its position) inside ours, and config-get unchanged afterwards."""
    from test_differential_config import CHECKS
    cases = _set_cases()
    with both(server, tmp_path) as (ours, kea):
        before = {}
        for c in (ours, kea):
            before[c.server.kind] = send(c, "config-get", None)["arguments"]
        bad = []
        for case in cases:
            got = {}
            for c in (ours, kea):
                cfg = json.loads(json.dumps(before[c.server.kind]))
                cfg.pop("hash", None)
                cfg["Dhcp4"].update(CHECKS[case])
                got[c.server.kind] = norm(send(c, "config-set", cfg))
            o, k = got[ours.server.kind], got["kea"]
            assert o.get("result") == 1 and k.get("result") == 1, (case, o, k)
            kt = k.get("text", "")
            # Kea's JSON syntax errors (a wrong type) are worded by its bison parser: ours
            # name the path; for the rest Kea's words must be in ours
            if "syntax error" not in kt and case not in CHECK_TEXT_DIFFERS and \
                    kt not in o.get("text", ""):
                bad.append("%s\n  ours: %s\n  kea:  %s" % (case, o["text"], kt))
        assert not bad, "\n".join(bad)
        for c in (ours, kea):
            after = send(c, "config-get", None)["arguments"]
            assert after == before[c.server.kind], "%s: running configuration changed" % (
                c.server.kind)
            assert send(c, "version-get", None)["result"] == 0, c.server.kind


# ---------------------------------------------------------------------------------------------
# dropped packets: the same statistics and the same bad-packets lines as Kea 2.2

def _bad_packets():
    """(name, raw BOOTREQUEST) pairs, each relayed by 10.0.0.2; fixed xids so that the log
    labels are the same on both servers."""
    from difflib4 import DISCOVER, OFFER, build
    def b(i, **kw):
        return build("02:bd:00:00:00:%02x" % i, kw.pop("msgtype", DISCOVER), xid=0xbd00 + i,
                     giaddr="10.0.0.2", **kw)
    return [
        ("valid", b(1)),
        ("dup-53", b(2, raw_opts=bytes([53, 1, 1]))),
        ("cid-1-byte", b(3, opts=[(61, b"\x01")])),
        ("cid-empty", b(4, raw_opts=bytes([61, 0]))),
        ("prl-empty", b(5, raw_opts=bytes([55, 0]))),
        ("mms-1-byte", b(6, raw_opts=bytes([57, 1, 2]))),
        ("no-msgtype", b(7, no_msgtype=True)),
        ("type-32", b(8, no_msgtype=True, raw_opts=bytes([53, 1, 32]))),
        ("offer", b(9, msgtype=OFFER)),
        ("truncated", b(10)[:200]),
        ("foreign-server-id", b(11, opts=[(54, bytes([10, 9, 9, 9]))])),
        ("no-identity", b(12, hlen=0)),
        ("drop-class", b(13, opts=[(77, b"DROPME")])),
        ("53-two-bytes", b(14, no_msgtype=True, raw_opts=bytes([53, 2, 1, 1]))),
        ("53-empty", b(15, no_msgtype=True, raw_opts=bytes([53, 0]))),
        ("dup-53-other", b(16, raw_opts=bytes([53, 1, 3]))),
        ("type-18", b(17, msgtype=18)),
        ("type-19", b(18, msgtype=19)),
        ("short-236", b(19)[:236]),
        ("short-238", b(20)[:238]),
        ("bad-cookie", b(21)[:236] + b"\x63\x82\x53\x64" + b(21)[240:]),
    ]


def _drop_edit(cfg, d):
    d4 = cfg["Dhcp4"]
    d4["client-classes"] = [{"name": "DROP", "test": "option[77].hex == 'DROPME'"}]
    d4["loggers"] = [{"name": "kea-dhcp4", "severity": "DEBUG", "debuglevel": 99,
                      "output_options": [{"output": "stdout"}]}]


def _pkt4_stats(c):
    a = send(c, "statistic-get-all", None)["arguments"]
    return {k: v[0][0] for k, v in a.items() if k.startswith("pkt4-")}


DROP_IDS = None  # every DHCP4_PACKET_DROP_* line


def test_dropped_packets_match_kea(server, tmp_path):
    """The same hostile packets (option 53 twice or two bytes long, malformed client-ids,
    empty 55, short 57, unknown and unsupported message types, a truncated datagram, a
    foreign server identifier, no identity, the DROP class, and a DISCOVER while the service
    is disabled) sent to Kea 2.2 and lessor: the same pkt4-* statistics and the same
    DHCP4_PACKET_DROP_* lines (severity, logger, id, text)."""
    from difflib4 import Client, DISCOVER, build
    from test_differential import _packet_log
    stats, logs = {}, {}
    disabled = build("02:bd:00:00:00:ff", DISCOVER, xid=0xbdff, giaddr="10.0.0.2")
    with both(server, tmp_path, edit=_drop_edit) as (ours, kea):
        for c in (ours, kea):
            cl = Client(c.server.net.cli, ["10.0.0.2"])
            per = stats[c.server.kind] = {}
            try:
                for name, raw in _bad_packets() + [("service-disabled", disabled)]:
                    if name == "service-disabled":
                        assert send(c, "dhcp-disable", None)["result"] == 0
                    before = _pkt4_stats(c)
                    reply = cl.send(raw, "10.0.0.2", wait=0.3)
                    time.sleep(0.05)
                    after = _pkt4_stats(c)
                    per[name] = ({k: after[k] - before.get(k, 0) for k in after
                                  if after[k] != before.get(k, 0)}, reply is not None)
                assert send(c, "dhcp-enable", None)["result"] == 0
            finally:
                cl.close()
            logs[c.server.kind] = c.server.log_since_start()
    ours_kind = ours.server.kind
    bad = ["%s\n  ours: %s\n  kea:  %s" % (n, stats[ours_kind][n], stats["kea"][n])
           for n in stats["kea"] if stats[ours_kind][n] != stats["kea"][n]]
    lo = _packet_log(logs[ours_kind], only=None)
    lk = _packet_log(logs["kea"], only=None)
    drop = lambda c: {k: v for k, v in c.items()  # noqa: E731
                      if k[2].startswith("DHCP4_PACKET_DROP") or k[2] == "DHCP4_BUFFER_RECEIVE_FAIL"}
    if drop(lo) != drop(lk):
        bad.append("drop lines\n  only ours: %s\n  only kea:  %s" % (
            "\n    ".join(map(str, sorted(set(drop(lo).items()) - set(drop(lk).items())))),
            "\n    ".join(map(str, sorted(set(drop(lk).items()) - set(drop(lo).items()))))))
    assert not bad, "statistics changed by each packet, and whether it was answered:\n" + \
        "\n".join(bad)
    # the packets reach every drop path this test is about (it cannot pass on silence)
    ids = {k[2] for k in drop(lk)}
    assert ids >= REQ, "missing: %s" % sorted(REQ - ids)


REQ = {"DHCP4_PACKET_DROP_0001", "DHCP4_PACKET_DROP_0003", "DHCP4_PACKET_DROP_0004",
                   "DHCP4_PACKET_DROP_0005", "DHCP4_PACKET_DROP_0006", "DHCP4_PACKET_DROP_0007",
                   "DHCP4_PACKET_DROP_0008", "DHCP4_PACKET_DROP_0009", "DHCP4_PACKET_DROP_0010",
                   "DHCP4_BUFFER_RECEIVE_FAIL"}


def test_config_set_socket_bind_fails(server, tmp_path):
    """A config-set whose control socket cannot be bound (its directory does not exist) fails
    with Kea 2.2's answer on both servers. Kea has closed its old socket by then (its control
    channel is gone); lessor checks before anything changes, so its old socket still answers
    and the running configuration stays (docs/differences.md)."""
    got, alive, kept = {}, {}, {}
    with both(server, tmp_path) as (ours, kea):
        for c in (ours, kea):
            before = send(c, "config-get", None)["arguments"]
            cfg = json.loads(json.dumps(before))
            cfg.pop("hash", None)
            cfg["Dhcp4"]["control-socket"]["socket-name"] = str(tmp_path / "no-such-dir" / "x.sock")
            cfg["Dhcp4"]["valid-lifetime"] = 1234
            ans = norm(send(c, "config-set", cfg))
            got[c.server.kind] = json.loads(json.dumps(ans).replace(str(tmp_path), "@DIR@"))
            alive[c.server.kind] = os.path.exists(c.sock_path)
            if c is ours:
                kept[c.server.kind] = send(c, "config-get", None)["arguments"] == before
    assert got[ours.server.kind] == got["kea"], got
    assert got["kea"]["result"] == 1, got
    assert not alive["kea"], "Kea 2.2 kept its old socket: lessor's documented difference is moot"
    assert alive[ours.server.kind] and kept[ours.server.kind], (alive, kept)


def test_reload_adds_control_socket(server, tmp_path):
    """Started without a control socket, a reconfiguration (SIGHUP with the file rewritten)
    that adds Dhcp4.control-socket opens it: on both servers, version-get answers there."""
    import signal
    from conftest import base_config
    need_tools("kea-dhcp4")
    kea_net = NetPair()
    kdir = tmp_path / "kea"
    kdir.mkdir()
    kea_srv = Server(kea_net, kdir, kind="kea")
    try:
        for srv, d in ((server, tmp_path), (kea_srv, kdir)):
            cfg = base_config(str(d))
            srv.start(cfg)
            sock = os.path.join(str(d), "added.sock")
            assert not os.path.exists(sock)
            cfg["Dhcp4"]["control-socket"] = {"socket-type": "unix", "socket-name": sock}
            with open(srv.cfg_path, "w") as f:
                json.dump(cfg, f)
            srv.proc.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 10
            while not os.path.exists(sock):
                assert time.monotonic() < deadline, "%s never opened %s:\n%s" % (
                    srv.kind, sock, srv.log_since_start()[-2000:])
                time.sleep(0.1)
            out = Ctl(srv, sock).unix_raw('{"command": "version-get"}')
            assert json.loads(out)["result"] == 0, (srv.kind, out)
    finally:
        kea_srv.stop()
        kea_srv.cleanup()
        kea_net.close()


# ---------------------------------------------------------------------------------------------
# huge HTTP headers and bodies

RAW_HTTP = r"""
import base64, json, socket, sys
port, auth, pad, body_pad = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
body = {"command": "version-get", "service": ["dhcp4"]}
if body_pad:
    body["arguments"] = {"pad": "a" * body_pad}
body = json.dumps(body).encode()
head = [b"POST / HTTP/1.1", b"Host: 127.0.0.1", b"Content-Type: application/json",
        b"Content-Length: %d" % len(body)]
if auth == "huge":
    head.append(b"Authorization: Basic " + b"A" * pad)
elif auth != "-":
    head.append(b"Authorization: Basic " + base64.b64encode(auth.encode()))
if auth != "huge" and pad:
    head.append(b"X-Pad: " + b"A" * pad)
s = socket.create_connection(("127.0.0.1", port), timeout=60)
try:
    s.sendall(b"\r\n".join(head) + b"\r\n\r\n" + body)
except OSError:
    pass                      # the server may answer before reading everything
out = b""
while True:
    try:
        d = s.recv(65536)
    except OSError:
        break
    if not d:
        break
    out += d
    h, sep, rest = out.partition(b"\r\n\r\n")
    lens = [l for l in h.split(b"\r\n") if l.lower().startswith(b"content-length:")]
    if sep and lens and len(rest) >= int(lens[0].split(b":")[1]):
        break
h, _, rest = out.partition(b"\r\n\r\n")
print(json.dumps({"status": int(h.split(b" ")[1]) if h else 0, "body": rest.decode()}))
"""


def raw_http(c, auth="-", pad=0, body_pad=0):
    r = c.net.run(c.net.srv, [PYTHON, "-c", RAW_HTTP, str(HTTP_PORT), auth, str(pad),
                              str(body_pad)], timeout=120)
    assert r.returncode == 0, r.stdout
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_huge_headers_answered_as_kea(server, tmp_path):
    """A 20 MB Authorization header gets the agent's JSON 401, a 20 MB other header with good
    credentials gets the command's answer: on both, never a dropped connection."""
    auth = {"authentication": {"type": "basic", "realm": "lessor-test",
                               "clients": [{"user": "admin", "password": "pw"}]}}
    with both(server, tmp_path, agent_extra=auth, user="admin:pw") as started:
        for c in started:
            big = raw_http(c, auth="huge", pad=20 << 20)
            assert big["status"] == 401, (c.server.kind, big)
            assert json.loads(big["body"]) == {"result": 401, "text": "Unauthorized"}
            padded = raw_http(c, auth="admin:pw", pad=20 << 20)
            assert padded["status"] == 200, (c.server.kind, padded)
            assert json.loads(padded["body"])[0]["result"] == 0
            # a body past lessor's limit (1 MiB by default) without credentials: 401 first
            unauth = raw_http(c, body_pad=4 << 20)
            assert unauth["status"] == 401, (c.server.kind, unauth)
            # with credentials: Kea reads any size; lessor answers 413 in JSON (differences.md)
            body = raw_http(c, auth="admin:pw", body_pad=4 << 20)
            if c.server.kind == "kea":
                assert body["status"] == 200 and json.loads(body["body"])[0]["result"] == 0
            else:
                assert body["status"] == 413, body
                assert json.loads(body["body"]) == {"result": 413,
                                                    "text": "Request Entity Too Large"}
            assert raw_http(c, auth="admin:pw")["status"] == 200, c.server.kind


# ---------------------------------------------------------------------------------------------
# config-get with Kea's defaults

DEPLOYMENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "deployment",
                          "local_development_config.json")
# what the test harness sets for each server (paths, interfaces, hooks, logging)
HARNESS_KEYS = ("interfaces-config", "lease-database", "control-socket", "hooks-libraries",
                "loggers")


def deployment_edit(cfg, d):
    with open(DEPLOYMENT) as f:
        dep = json.load(f)["Dhcp4"]
    for k, v in dep.items():
        if k not in HARNESS_KEYS and "database" not in k:   # no host database here
            cfg["Dhcp4"][k] = v


def rich_edit(cfg, d):
    """Inheritance and defaults at every level: global timers and lifetime bounds, a shared
    network with a relay, prefix and range pools, option-data by code and by name, a custom
    record option, classes, global and subnet reservations."""
    cfg["Dhcp4"].update({
        "valid-lifetime": 3000, "renew-timer": 1000, "rebind-timer": 2000,
        "min-valid-lifetime": 1000, "max-valid-lifetime": 5000, "authoritative": True,
        "multi-threading": {"enable-multi-threading": False},
        "option-def": [{"name": "foo", "code": 222, "type": "record",
                        "record-types": "uint8, ipv4-address"}],
        "option-data": [{"code": 6, "data": "192.0.2.53"}, {"name": "foo", "data": "1, 10.0.0.1"},
                        {"name": "domain-name", "data": "example.org", "always-send": True}],
        "client-classes": [{"name": "c1", "test": "option[60].hex == 'x'",
                            "next-server": "10.0.0.9"}, {"name": "c2"}],
        "reservations": [{"hw-address": "aa:bb:cc:dd:ee:ff", "ip-address": "10.9.0.5",
                          "hostname": "g"}],
        "expired-leases-processing": {"reclaim-timer-wait-time": 5},
        "shared-networks": [{"name": "sn1", "valid-lifetime": 1200,
                             "relay": {"ip-addresses": ["10.0.0.2"]},
                             "subnet4": [
                                 {"id": 10, "subnet": "10.10.0.0/24",
                                  "pools": [{"pool": "10.10.0.0/26"}], "t1-percent": 0.4},
                                 {"id": 11, "subnet": "10.11.0.0/24", "valid-lifetime": 1500,
                                  "pools": [{"pool": "10.11.0.10-10.11.0.20",
                                             "client-class": "c1"}],
                                  "reservations": [{"client-id": "01:aa:bb",
                                                    "ip-address": "10.11.0.5",
                                                    "option-data": [{"code": 3,
                                                                     "data": "10.11.0.1"}]}]}]}],
    })
    cfg["Dhcp4"]["subnet4"][0].update({"max-valid-lifetime": 4500, "calculate-tee-times": True})


def diff_paths(a, b, path=""):
    """Every path where A and B differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append("%s.%s (%s)" % (path, k, "only Kea" if k in a else "only lessor"))
            else:
                out += diff_paths(a[k], b[k], path + "." + k)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in diff_paths(x, y, "%s[%d]"
                                                                                 % (path, i))]
    return [] if a == b else ["%s: Kea %s, lessor %s" % (path, json.dumps(a)[:80],
                                                         json.dumps(b)[:80])]


@pytest.mark.parametrize("edit", [None, deployment_edit, rich_edit],
                         ids=["base", "deployment", "inheritance"])
def test_config_get_matches_kea(server, tmp_path, edit):
    """config-get returns the configuration with Kea's defaults filled in, key by key as Kea
    2.2's; what it returns is accepted back by config-set (the admin tools' round trip)."""
    with both(server, tmp_path, edit) as (ours, kea):
        got = []
        for c in (ours, kea):
            ans = send(c, "config-get", None)
            assert ans["result"] == 0, ans
            got.append(json.loads(json.dumps(ans["arguments"]).replace(
                os.path.dirname(c.server.cfg_path), "@DIR@")))
        o, k = got
        o.pop("hash", None)
        k.pop("hash", None)
        if edit is None:
            # lessor runs multi-threaded unless told otherwise (Kea 2.4's default; 2.2's is
            # off): config-get says what runs (docs/differences.md)
            assert o["Dhcp4"]["multi-threading"].pop("enable-multi-threading") is True
            assert k["Dhcp4"]["multi-threading"].pop("enable-multi-threading") is False
        diffs = diff_paths(k, o)
        assert not diffs, "%d differences:\n%s" % (len(diffs), "\n".join(diffs[:60]))
        again = send(ours, "config-get", None)["arguments"]
        again.pop("hash", None)
        assert send(ours, "config-set", again) == {"result": 0,
                                                   "text": "Configuration successful."}
