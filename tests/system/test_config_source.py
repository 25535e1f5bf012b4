"""The configuration source (src/source/): -c takes a path, an http(s):// URL or s3://bucket/key;
<NAME> and ${NAME} placeholders are filled from the environment before parsing; with
--config-poll the source is fetched again (conditional GET) and applied through the zero-drop
reload when the filled text changed. Servers run in the srv namespace, on its loopback:

- test_http_change_applied_under_load: python's http.server serves the config (placeholders
  filled from lessor's environment); a change is applied within one poll (2 s) while perfdhcp
  runs relayed DORA, and no exchange is lost; status-get shows the source, the last fetch and
  the SHA-256 of the filled text in force; the polls in between were conditional (304).
- test_http_broken_change_refused: a broken config (bad JSON, then a placeholder without a
  value) is refused, logged and counted, status-get reports the error, the old one serves.
- test_s3_env_credentials: s3rver (npm) holds the object; credentials from AWS_ACCESS_KEY_ID /
  AWS_SECRET_ACCESS_KEY; an unknown key id is refused by the server (HTTP 403) and lessor exits 1.
- test_s3_task_role_credentials: credentials from a task-role endpoint the test serves
  (AWS_CONTAINER_CREDENTIALS_FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN); a change in the
  bucket is applied within one poll.
- test_s3_instance_metadata_credentials: credentials by IMDSv2 from an endpoint the test serves
  (AWS_EC2_METADATA_SERVICE_ENDPOINT).
- test_placeholder_without_value: -t and a start both fail naming the placeholder.
Instance metadata is disabled (AWS_EC2_METADATA_DISABLED) in every other test, and its endpoint
is the test's own in that one: nothing leaves loopback.
"""

import hashlib
import json
import os
import re
import socket
import subprocess
import threading
import time

import pytest

import standin_http
from conftest import (PYTHON, Server, base_config, lessor_only, missing, need_tools,
                      perfdhcp, probe_offer)

S3RVER_DIRS = ["/opt/lessor-test-node/node_modules/.bin"]   # .ci/install-deps.sh puts it there
POLL = 2
HTTP_PORT = 18080
S3_PORT = 14569
CREDS_PORT = 18081


class URLServer(Server):
    """lessor started with -c URL (the config file is whatever the URL serves)."""

    def __init__(self, net, tmpdir, url, env=None, extra=()):
        super().__init__(net, tmpdir)
        self.url = url
        self.extra_env = env or {}
        self.extra_args = ["--config-poll", str(POLL)] + list(extra)

    def write_config(self, cfg=None, text=None):
        self.config = cfg

    def start(self, cfg=None, wait=True, timeout=30):
        self.config = cfg
        saved, self.cfg_path = self.cfg_path, self.url
        open(saved, "w").close()        # Server.start() checks that cfg_path exists
        try:
            return super().start(None, wait, timeout)
        finally:
            self.cfg_path = saved

    def env(self):
        e = super().env()
        for k in list(e):
            if k.startswith("AWS_"):
                del e[k]
        e["AWS_EC2_METADATA_DISABLED"] = "true"   # never 169.254.169.254
        e.update(self.extra_env)
        return e


def config(tmp, tag="<SERVER_NAME>", lifetime=4000, sock=None):
    cfg = base_config(tmp, valid_lifetime=lifetime, **{"server-tag": tag})
    cfg["Dhcp4"]["control-socket"] = {"socket-type": "unix", "socket-name": sock}
    return cfg


def command(sock, cmd, args=None):
    req = {"command": cmd}
    if args is not None:
        req["arguments"] = args
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(10)
    s.connect(sock)
    s.sendall(json.dumps(req).encode())
    buf = b""
    while True:
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
        try:
            return json.loads(buf)
        except ValueError:
            continue
    s.close()
    return json.loads(buf)


def source_status(sock):
    r = command(sock, "status-get")
    assert r["result"] == 0, r
    return r["arguments"]["config-source"]


def filled_hash(text, env):
    out = re.sub(r"<([A-Z][A-Z0-9_]*)>", lambda m: env[m.group(1)], text)
    return hashlib.sha256(out.encode()).hexdigest().upper()


def start_http(net, root, port):
    """python's http.server on 127.0.0.1:PORT in the srv namespace, serving ROOT."""
    p = net.popen(net.srv, [PYTHON, "-m", "http.server", "-b", "127.0.0.1", "-d", str(root),
                            str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(net, port)
    return p


def wait_port(net, port, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = net.run(net.srv, ["ss", "-ltnH", "sport = :%d" % port], timeout=5)
        if str(port) in r.stdout:
            return
        time.sleep(0.1)
    raise AssertionError("nothing listens on port %d" % port)


def put(path, text):
    prev = os.path.getmtime(path) if os.path.exists(path) else 0
    with open(path, "w") as f:
        f.write(text)
    t = max(time.time(), prev) + 2  # Last-Modified has 1 s resolution: make each change visible
    os.utime(path, (t, t))


@pytest.fixture
def procs():
    ps = []
    yield ps
    for p in ps:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()


def serve_http(net, tmp_path, procs, text):
    """TEXT as /dhcp4.json on python's http.server; returns the served directory."""
    lessor_only("Kea has no configuration source")
    www = tmp_path / "www"
    www.mkdir()
    put(www / "dhcp4.json", text)
    procs.append(start_http(net, www, HTTP_PORT))
    return www


def test_http_change_applied_under_load(netpair, tmp_path, procs):
    sock = str(tmp_path / "ctl.sock")
    text1 = json.dumps(config(tmp_path, sock=sock), indent=1)
    www = serve_http(netpair, tmp_path, procs, text1)
    env = {"SERVER_NAME": "primary"}
    srv = URLServer(netpair, tmp_path, "http://127.0.0.1:%d/dhcp4.json" % HTTP_PORT, env=env)
    try:
        srv.start(config(tmp_path, sock=sock))
        st = source_status(sock)
        assert st["location"].startswith("http://") and st["kind"] == "http"
        assert st["hash"] == filled_hash(text1, env), st
        assert st["poll-interval"] == POLL and st["last-fetch"] is not None
        assert command(sock, "config-get")["arguments"]["Dhcp4"]["server-tag"] == "primary"
        time.sleep(POLL * 2 + 0.5)
        assert source_status(sock)["unchanged"] >= 1     # 304s in between
        # the change lands while perfdhcp runs: nothing may be dropped
        text2 = json.dumps(config(tmp_path, tag="<SERVER_NAME>-2", lifetime=5000, sock=sock),
                           indent=1)
        off = srv.log_offset()
        result = {}
        t = threading.Thread(target=lambda: result.update(
            r=perfdhcp(netpair, n=1200, clients=600, rate=200, wait_s=2)))
        t.start()
        time.sleep(1.0)
        put(www / "dhcp4.json", text2)
        t0 = time.monotonic()
        srv.wait_log(r"LESSOR_CONFIG_SOURCE_APPLIED", timeout=POLL + 10, since=off)
        applied_after = time.monotonic() - t0
        t.join(60)
        r = result["r"]
        print("applied %.2f s after the change; perfdhcp: %d DISCOVERs, %d ACKs"
              % (applied_after, r.discovers, r.acks))
        assert applied_after <= POLL + 1.5
        assert r.all_acked(1200), r
        st = source_status(sock)
        assert st["hash"] == filled_hash(text2, env), st
        assert st["applied"] == 2 and st["failed"] == 0 and st["rejected"] == 0, st
        d4 = command(sock, "config-get")["arguments"]["Dhcp4"]
        assert d4["server-tag"] == "primary-2" and d4["valid-lifetime"] == 5000
        stats = command(sock, "statistic-get", {"name": "config-source-applied"})
        assert stats["arguments"]["config-source-applied"][0][0] == 2, stats
        srv.stop_clean()
    finally:
        srv.cleanup()


def test_http_broken_change_refused(netpair, tmp_path, procs):
    sock = str(tmp_path / "ctl.sock")
    good = json.dumps(config(tmp_path, tag="fixed", sock=sock), indent=1)
    www = serve_http(netpair, tmp_path, procs, good)
    srv = URLServer(netpair, tmp_path, "http://127.0.0.1:%d/dhcp4.json" % HTTP_PORT)
    try:
        srv.start(config(tmp_path, sock=sock))
        h1 = source_status(sock)["hash"]
        off = srv.log_offset()
        put(www / "dhcp4.json", good.replace('"valid-lifetime": 4000', '"valid-lifetime": "x"'))
        m = srv.wait_log(r"LESSOR_CONFIG_SOURCE_REJECTED .*", timeout=POLL + 10, since=off)
        assert "valid-lifetime" in m.group(0), m.group(0)
        st = source_status(sock)
        assert st["hash"] == h1 and st["rejected"] == 1 and "valid-lifetime" in st["last-error"]
        assert st["last-result"] == "rejected"
        assert probe_offer(netpair), "the old configuration no longer serves"
        time.sleep(POLL + 1)
        assert source_status(sock)["rejected"] == 1, "the same broken text was refused again"
        # a placeholder without a value is a config error naming it
        off = srv.log_offset()
        put(www / "dhcp4.json", good.replace('"fixed"', '"<NO_SUCH_VAR>"'))
        m = srv.wait_log(r"LESSOR_CONFIG_SOURCE_REJECTED .*", timeout=POLL + 10, since=off)
        assert "<NO_SUCH_VAR>" in m.group(0)
        assert source_status(sock)["rejected"] == 2
        # the server is gone: a failed fetch keeps the running configuration too
        procs[0].terminate()
        procs[0].wait(5)
        off = srv.log_offset()
        srv.wait_log(r"LESSOR_CONFIG_SOURCE_FETCH_FAIL", timeout=POLL + 10, since=off)
        st = source_status(sock)
        assert st["failed"] >= 1 and st["hash"] == h1 and st["last-result"] == "failed"
        assert probe_offer(netpair)
        srv.stop_clean()
    finally:
        srv.cleanup()


def s3rver(net, tmp_path, procs):
    exe = None
    for d in S3RVER_DIRS:
        if os.access(os.path.join(d, "s3rver"), os.X_OK):
            exe = os.path.join(d, "s3rver")
    if exe is None:
        missing("s3rver is not installed (.ci/install-deps.sh installs it from npm)")
    data = tmp_path / "s3"
    data.mkdir()
    procs.append(net.popen(net.srv, [exe, "-d", str(data), "-a", "127.0.0.1", "-p", str(S3_PORT),
                                     "--silent", "--configure-bucket", "cfg"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    wait_port(net, S3_PORT)


def s3_put(net, key, text, tmp_path):
    """Upload with curl's own SigV4 (s3rver's default credentials S3RVER/S3RVER)."""
    (curl,) = need_tools("curl")
    f = tmp_path / "upload.json"
    f.write_text(text)
    r = net.run(net.srv, [curl, "-sS", "-f", "--aws-sigv4", "aws:amz:us-east-1:s3",
                          "--user", "S3RVER:S3RVER", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                          "-T", str(f), "http://127.0.0.1:%d/cfg/%s" % (S3_PORT, key)], timeout=20)
    assert r.returncode == 0, r.stdout


S3_ENV = {"AWS_ENDPOINT_URL_S3": "http://127.0.0.1:%d" % S3_PORT, "AWS_REGION": "us-east-1"}


def test_s3_env_credentials(netpair, tmp_path, procs):
    lessor_only("Kea has no configuration source")
    sock = str(tmp_path / "ctl.sock")
    s3rver(netpair, tmp_path, procs)
    s3_put(netpair, "dhcp/primary.json", json.dumps(config(tmp_path, tag="s3", sock=sock)),
           tmp_path)
    env = dict(S3_ENV, AWS_ACCESS_KEY_ID="S3RVER", AWS_SECRET_ACCESS_KEY="S3RVER",
               AWS_SESSION_TOKEN="session")
    srv = URLServer(netpair, tmp_path, "s3://cfg/dhcp/primary.json", env=env)
    try:
        srv.start(config(tmp_path, sock=sock))
        st = source_status(sock)
        assert st["kind"] == "s3" and st["applied"] == 1, st
        assert command(sock, "config-get")["arguments"]["Dhcp4"]["server-tag"] == "s3"
        srv.stop_clean()
    finally:
        srv.cleanup()
    bad = URLServer(netpair, tmp_path / "bad" if (tmp_path / "bad").mkdir() is None else None,
                    "s3://cfg/dhcp/primary.json",
                    env=dict(S3_ENV, AWS_ACCESS_KEY_ID="NOPE", AWS_SECRET_ACCESS_KEY="x"))
    try:
        bad.start(wait=False)
        assert bad.proc.wait(30) == 1
        log = bad.log()
        assert re.search(r"LESSOR_CONFIG_SOURCE_FETCH_FAIL .*HTTP 403", log), log
    finally:
        bad.cleanup()


def test_s3_task_role_credentials(netpair, tmp_path, procs):
    lessor_only("Kea has no configuration source")
    sock = str(tmp_path / "ctl.sock")
    s3rver(netpair, tmp_path, procs)
    s3_put(netpair, "standby.json", json.dumps(config(tmp_path, tag="one", sock=sock)), tmp_path)
    seen = tmp_path / "creds.log"
    procs.append(standin_http.start(netpair, netpair.srv, "aws-creds", "127.0.0.1", CREDS_PORT,
                                    log=seen))
    wait_port(netpair, CREDS_PORT)
    env = dict(S3_ENV, AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:%d/v2/credentials/x"
               % CREDS_PORT, AWS_CONTAINER_AUTHORIZATION_TOKEN="secret-auth")
    srv = URLServer(netpair, tmp_path, "s3://cfg/standby.json", env=env)
    try:
        srv.start(config(tmp_path, sock=sock))
        assert command(sock, "config-get")["arguments"]["Dhcp4"]["server-tag"] == "one"
        assert "/v2/credentials/x secret-auth" in seen.read_text()
        off = srv.log_offset()
        s3_put(netpair, "standby.json", json.dumps(config(tmp_path, tag="two", sock=sock)),
               tmp_path)
        srv.wait_log(r"LESSOR_CONFIG_SOURCE_APPLIED", timeout=POLL + 10, since=off)
        assert command(sock, "config-get")["arguments"]["Dhcp4"]["server-tag"] == "two"
        srv.stop_clean()
    finally:
        srv.cleanup()


def test_s3_instance_metadata_credentials(netpair, tmp_path, procs):
    """IMDSv2 (token, role, credentials) on an endpoint the test serves
    (AWS_EC2_METADATA_SERVICE_ENDPOINT), never 169.254.169.254."""
    lessor_only("Kea has no configuration source")
    sock = str(tmp_path / "ctl.sock")
    s3rver(netpair, tmp_path, procs)
    s3_put(netpair, "imds.json", json.dumps(config(tmp_path, tag="imds", sock=sock)), tmp_path)
    seen = tmp_path / "imds.log"
    procs.append(standin_http.start(netpair, netpair.srv, "imds", "127.0.0.1", CREDS_PORT,
                                    log=seen))
    wait_port(netpair, CREDS_PORT)
    env = dict(S3_ENV, AWS_EC2_METADATA_DISABLED="false",
               AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:%d/" % CREDS_PORT)
    srv = URLServer(netpair, tmp_path, "s3://cfg/imds.json", env=env)
    try:
        srv.start(config(tmp_path, sock=sock))
        assert command(sock, "config-get")["arguments"]["Dhcp4"]["server-tag"] == "imds"
        assert seen.read_text().splitlines()[:3] == [
            "PUT /latest/api/token None",
            "GET /latest/meta-data/iam/security-credentials/ imds-token",
            "GET /latest/meta-data/iam/security-credentials/lessor-role imds-token"]
        srv.stop_clean()
    finally:
        srv.cleanup()


def test_placeholder_without_value(netpair, tmp_path):
    lessor_only("Kea has no placeholders")
    cfg = config(tmp_path, tag="<SERVER_NAME>", sock=str(tmp_path / "s"))
    path = tmp_path / "c.json"
    path.write_text(json.dumps(cfg, indent=1))
    srv = Server(netpair, tmp_path)
    env = {k: v for k, v in srv.env().items() if k != "SERVER_NAME"}
    r = subprocess.run(netpair.cmd(netpair.srv, [srv.bin, "-t", str(path)]), env=env,
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1 and "placeholder <SERVER_NAME> has no value" in r.stdout + r.stderr, r
    p = subprocess.run(netpair.cmd(netpair.srv, [srv.bin, "-c", str(path)]), env=env,
                       capture_output=True, text=True, timeout=20)
    assert p.returncode == 1
    assert re.search(r"DHCP4_CONFIG_LOAD_FAIL .*placeholder <SERVER_NAME> has no value", p.stdout
                     + p.stderr), p
    env["SERVER_NAME"] = "ok"
    r = subprocess.run(netpair.cmd(netpair.srv, [srv.bin, "-t", str(path)]), env=env,
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 0, r
