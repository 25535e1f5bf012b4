"""The metrics push (Dhcp4."lessor-metrics", src/push/) that replaces the deployment's agent.

A sink the test runs in the server's namespace (its loopback only) stands in for CloudWatch:
an HTTP endpoint taking PutMetricData, and the CloudWatch agent's EMF endpoints on UDP and TCP.

- test_put_metric_data_and_emf_udp: relayed DORA, then every PutMetricData request carries a
  valid AWS Signature V4 (recomputed here from the secret key: canonical request, string to
  sign, derived key) with the session token; the latest round's names, dimensions
  (Server; lease-percent-used by Subnet alone, as the agent) and values equal statistic-get-all's (skipped statistics absent,
  lease-percent-used = assigned/total of the fullest subnets); the EMF datagrams say the same;
  the sink's first two answers are HTTP 500 and the retries are counted.
- test_emf_file_tcp_and_reload: EMF records appended to a file, then (SIGHUP reload) sent to
  the TCP endpoint, then written to stdout, then (reload without the key) no more records.
- test_stalled_endpoint_blocks_nothing: PutMetricData answers after 30 s: DORA and the control
  channel are served at full speed meanwhile, the give-ups are counted and logged.
lessor only: Kea has no metrics push (and refuses the key).
"""

import datetime
import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import time
import urllib.parse

import pytest

from conftest import PYTHON, Server, base_config, lessor_only, perfdhcp

lessor_only("the metrics push is lessor's own (Kea refuses Dhcp4.lessor-metrics)")

# slot 6: 20600 + n (inside the server's namespace, on its loopback)
HTTP_PORT, UDP_PORT, TCP_PORT = 20601, 20602, 20603
KEY_ID, SECRET, TOKEN = "AKIDLESSORTEST", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "tok/en+1"
REGION = "eu-west-2"
SKIPPED = {"pkt4-sent", "pkt4-inform-received", "pkt4-parse-failed", "pkt4-received",
           "declined-reclaimed-addresses", "total-addresses"}

SINK = r"""
import json, socket, socketserver, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
out, http_port, udp_port, tcp_port, fail_n, stall = sys.argv[1], int(sys.argv[2]), \
    int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
lock = threading.Lock()
count = [0]
def record(name, obj):
    with lock, open(out + "/" + name, "a") as f:
        f.write(json.dumps(obj) + "\n")
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        with lock:
            count[0] += 1
            n = count[0]
        if stall:
            time.sleep(stall)
        record("put.jsonl", {"n": n, "path": self.path, "headers": dict(self.headers.items()),
                             "body": body, "failed": n <= fail_n})
        code = 500 if n <= fail_n else 200
        text = b"<PutMetricDataResponse/>"
        self.send_response(code)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)
    def log_message(self, *a):
        pass
def udp():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", udp_port))
    while True:
        d = s.recv(65536)
        record("udp.jsonl", {"datagram": d.decode()})
class T(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            record("tcp.jsonl", {"line": line.decode()})
socketserver.ThreadingTCPServer.allow_reuse_address = True
tcp = socketserver.ThreadingTCPServer(("127.0.0.1", tcp_port), T)
threading.Thread(target=udp, daemon=True).start()
threading.Thread(target=tcp.serve_forever, daemon=True).start()
ThreadingHTTPServer.daemon_threads = True
srv = ThreadingHTTPServer(("127.0.0.1", http_port), H)
open(out + "/ready", "w").close()
srv.serve_forever()
"""


class PushServer(Server):
    def env(self):
        e = super().env()
        for k in list(e):
            if k.startswith("AWS_"):
                del e[k]
        e.update({"AWS_ACCESS_KEY_ID": KEY_ID, "AWS_SECRET_ACCESS_KEY": SECRET,
                  "AWS_SESSION_TOKEN": TOKEN, "AWS_EC2_METADATA_DISABLED": "true"})
        return e


@pytest.fixture
def push(netpair, tmp_path):
    srv = PushServer(netpair, tmp_path)
    sinks = []

    def start_sink(fail_n=0, stall=0):
        d = tmp_path / ("sink%d" % len(sinks))
        d.mkdir()
        p = netpair.popen(netpair.srv, [PYTHON, "-c", SINK, str(d), str(HTTP_PORT),
                                        str(UDP_PORT), str(TCP_PORT), str(fail_n), str(stall)],
                          stdin=subprocess.DEVNULL)
        sinks.append(p)
        deadline = time.monotonic() + 10
        while not (d / "ready").exists():
            assert p.poll() is None and time.monotonic() < deadline, "the sink did not start"
            time.sleep(0.05)
        return str(d)

    try:
        yield srv, start_sink
    finally:
        srv.cleanup()
        for p in sinks:
            p.kill()
            p.wait(5)


def config(tmp, metrics):
    cfg = base_config(tmp)
    cfg["Dhcp4"]["control-socket"] = {"socket-type": "unix",
                                      "socket-name": os.path.join(str(tmp), "ctl.sock")}
    if metrics is not None:
        cfg["Dhcp4"]["lessor-metrics"] = metrics
    return cfg


def command(srv, cmd, timeout=10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(os.path.join(srv.dir, "ctl.sock"))
    s.sendall(json.dumps({"command": cmd}).encode())
    buf = b""
    while True:
        d = s.recv(1 << 20)
        if not d:
            break
        buf += d
    s.close()
    return json.loads(buf)


def stats(srv):
    a = command(srv, "statistic-get-all")
    assert a["result"] == 0, a
    return {k: v[0][0] for k, v in a["arguments"].items()}


def expected(st, subnets):
    """What one push must carry: {(name, subnet or None): value}."""
    want = {(k, None): v for k, v in st.items()
            if not k.startswith("subnet[") and k not in SKIPPED}
    fills = []
    for sid, prefix in subnets.items():
        total = st.get("subnet[%d].total-addresses" % sid, 0)
        if total > 0:
            fills.append((-100.0 * st["subnet[%d].assigned-addresses" % sid] / total, sid, prefix))
    for pct, sid, prefix in sorted(fills)[:5]:
        want[("lease-percent-used", prefix)] = -pct
    return want


def read_jsonl(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def wait_for(pred, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.2)


# ---- AWS Signature V4, recomputed ----------------------------------------------------------

def check_sigv4(req):
    h = {k.lower(): v for k, v in req["headers"].items()}
    m = re.fullmatch(r"AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request,"
                     r" ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})", h["authorization"])
    assert m, h["authorization"]
    key_id, day, region, service, signed, sig = m.groups()
    assert (key_id, region, service) == (KEY_ID, REGION, "monitoring")
    names = signed.split(";")
    assert {"host", "x-amz-date", "x-amz-security-token"} <= set(names), names
    assert h["x-amz-security-token"] == TOKEN
    assert h["x-amz-date"].startswith(day)
    body = req["body"].encode()
    canonical = "\n".join(["POST", urllib.parse.quote(req["path"].split("?")[0]), ""] +
                          ["%s:%s" % (n, " ".join(h[n].split())) for n in names] +
                          ["", signed, hashlib.sha256(body).hexdigest()])
    scope = "%s/%s/%s/aws4_request" % (day, region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", h["x-amz-date"], scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + SECRET).encode()
    for part in (day, region, service, "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    assert hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest() == sig, \
        "signature mismatch\n" + canonical


def put_metrics(req):
    """[(timestamp, name, subnet or None, value, unit)] of one PutMetricData body."""
    f = dict(urllib.parse.parse_qsl(req["body"], keep_blank_values=True, strict_parsing=True))
    assert f.pop("Action") == "PutMetricData" and f.pop("Version") == "2010-08-01"
    assert f.pop("Namespace") == "Kea-DHCP"
    out = []
    i = 1
    while "MetricData.member.%d.MetricName" % i in f:
        p = "MetricData.member.%d." % i
        dims = {}
        j = 1
        while p + "Dimensions.member.%d.Name" % j in f:
            dims[f[p + "Dimensions.member.%d.Name" % j]] = f[p + "Dimensions.member.%d.Value" % j]
            j += 1
        # the deployment's agent: lease-percent-used by Subnet alone, the rest by Server
        subnet = dims.pop("Subnet", None)
        if subnet is None:
            assert dims.pop("Server") == "dhcp-test-1"
        assert not dims, dims
        out.append((f[p + "Timestamp"], f[p + "MetricName"], subnet, float(f[p + "Value"]),
                    f[p + "Unit"]))
        i += 1
    assert 0 < len(out) <= 20
    return out


def emf_metrics(record):
    """[(timestamp, name, subnet or None, value, unit)] of one EMF record."""
    r = json.loads(record)
    d = r["_aws"]["CloudWatchMetrics"]
    assert len(d) == 1 and d[0]["Namespace"] == "Kea-DHCP"
    assert r["Server"] == "dhcp-test-1"
    subnet = r.get("Subnet")
    assert d[0]["Dimensions"] == ([["Subnet"]] if subnet else [["Server"]])
    return [(r["_aws"]["Timestamp"], m["Name"], subnet, float(r[m["Name"]]), m["Unit"])
            for m in d[0]["Metrics"]]


def latest_round(metrics):
    """The metrics of the newest timestamp."""
    ts = max(m[0] for m in metrics)
    return {(m[1], m[2]): (m[3], m[4]) for m in metrics if m[0] == ts}


def assert_round_equals(got, st, subnets):
    want = expected(st, subnets)
    own = lambda k: k[0].startswith("metrics-push-")    # they move every round
    assert {k for k in got if not own(k)} == {k for k in want if not own(k)}, (got, want)
    for k, v in want.items():
        if not own(k):
            assert got[k][0] == pytest.approx(v), (k, got[k], v)
            assert got[k][1] == ("Percent" if k[0] == "lease-percent-used" else "Count")


SUBNETS = {1: "10.0.0.0/16", 2: "192.0.2.0/24"}


def test_put_metric_data_and_emf_udp(push):
    srv, start_sink = push
    sink = start_sink(fail_n=2)
    srv.start(config(srv.dir, {
        "interval": 1, "server-name": "dhcp-test-1",
        "emf": "udp://127.0.0.1:%d" % UDP_PORT,
        "put-metric-data": {"region": REGION, "endpoint": "http://127.0.0.1:%d/" % HTTP_PORT}}))
    r = perfdhcp(srv.net, 40, rate=100)
    assert r.all_acked(40), r
    time.sleep(2.5)        # a round after the traffic
    st = stats(srv)
    t0 = time.time()
    # a PutMetricData round taken after st, complete (all its requests in)
    want_n = len(expected(st, SUBNETS))

    def round_after():
        reqs = [q for q in read_jsonl(os.path.join(sink, "put.jsonl")) if not q["failed"]]
        ms = [m for q in reqs for m in put_metrics(q)]
        newer = [m for m in ms if datetime.datetime.strptime(m[0], "%Y-%m-%dT%H:%M:%S.%fZ")
                 .replace(tzinfo=datetime.timezone.utc).timestamp() > t0]
        return newer if len({(m[0], m[1], m[2]) for m in newer if m[0] == newer[0][0]}) \
            >= want_n else None
    wait_for(round_after, 10, "a complete PutMetricData round")
    reqs = read_jsonl(os.path.join(sink, "put.jsonl"))
    for q in reqs:
        check_sigv4(q)
        assert q["path"] == "/"
    ok = [m for q in reqs if not q["failed"] for m in put_metrics(q)]
    assert_round_equals(latest_round([m for m in ok if m[0] == round_after()[0][0]]), st, SUBNETS)
    assert ("lease-percent-used", "10.0.0.0/16") in expected(st, SUBNETS)

    emf = [m for d in read_jsonl(os.path.join(sink, "udp.jsonl"))
           for m in emf_metrics(d["datagram"])]
    emf_after = [m for m in emf if m[0] / 1000.0 > t0]
    assert emf_after, "no EMF datagram after the statistics were taken"
    assert_round_equals(latest_round(emf_after), st, SUBNETS)

    st = stats(srv)
    assert st["metrics-push-retries"] >= 2, st      # the two HTTP 500s were retried
    assert st["metrics-push-put-sent"] >= 1 and st["metrics-push-emf-sent"] >= 3, st
    assert st.get("metrics-push-put-failed", 0) == 0, st
    srv.stop_clean()


def test_emf_file_tcp_and_reload(push):
    srv, start_sink = push
    sink = start_sink()
    path = os.path.join(srv.dir, "emf.log")
    metrics = {"interval": 1, "server-name": "dhcp-test-1", "emf": path}
    srv.start(config(srv.dir, metrics))
    lines = wait_for(lambda: [l for l in open(path)] if os.path.exists(path) and
                     len(open(path).readlines()) >= 6 else None, 10, "EMF records in the file")
    for line in lines:
        emf_metrics(line)
    st = stats(srv)
    assert st["metrics-push-emf-sent"] >= 2, st

    metrics["emf"] = "tcp://127.0.0.1:%d" % TCP_PORT
    srv.write_config(config(srv.dir, metrics))
    srv.signal(1)            # SIGHUP
    tcp = wait_for(lambda: read_jsonl(os.path.join(sink, "tcp.jsonl")) or None, 10,
                   "EMF records over TCP after the reload")
    st = stats(srv)
    got = latest_round([m for r in tcp for m in emf_metrics(r["line"])])
    assert ("pkt4-ack-sent", None) in got and ("pkt4-received", None) not in got

    metrics["emf"] = "stdout"          # the server's stdout is its log file here
    srv.write_config(config(srv.dir, metrics))
    off = srv.log_offset()
    srv.signal(1)
    line = srv.wait_log(r'(?m)^\{"_aws".*\}\n', since=off).group(0)   # whole lines only
    assert ("pkt4-ack-sent", None) in latest_round(emf_metrics(line))

    srv.write_config(config(srv.dir, None))
    srv.signal(1)
    time.sleep(2)
    n_file, n_tcp = len(open(path).readlines()), len(read_jsonl(os.path.join(sink, "tcp.jsonl")))
    time.sleep(3)
    assert len(open(path).readlines()) == n_file
    assert len(read_jsonl(os.path.join(sink, "tcp.jsonl"))) == n_tcp, "pushed after removal"
    srv.stop_clean()


def test_stalled_endpoint_blocks_nothing(push):
    srv, start_sink = push
    start_sink(stall=30)
    srv.start(config(srv.dir, {
        "interval": 1, "server-name": "dhcp-test-1",
        "put-metric-data": {"region": REGION, "endpoint": "http://127.0.0.1:%d/" % HTTP_PORT}}))
    time.sleep(1.5)          # the first request is now hanging
    t = time.monotonic()
    r = perfdhcp(srv.net, 200, rate=200)
    took = time.monotonic() - t
    assert r.all_acked(200), r
    assert took < 10, "DORA took %.1fs while the push endpoint stalled" % took
    for _ in range(5):
        t = time.monotonic()
        stats(srv)
        assert time.monotonic() - t < 1.0, "the control channel waited for the push"
    wait_for(lambda: stats(srv).get("metrics-push-put-failed", 0) >= 1, 20,
             "a give-up counted")
    srv.wait_log(r"LESSOR_METRICS_PUSH_FAILED .*PutMetricData.*127\.0\.0\.1:%d" % HTTP_PORT)
    srv.stop_clean(timeout=20)
