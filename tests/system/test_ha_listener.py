"""HA's dedicated listener (issue 7 items 1 and 4): libdhcp_ha.so "multi-threading" with
"http-dedicated-listener" true makes the server listen on its own peer URL itself, as Kea 2.2's
CmdHttpListener inside kea-dhcp4 does, while lessor's control listener (Control-agent) keeps
serving the operators on its own port.

- restrict-commands: the dedicated listener runs only the commands a partner sends; every
  other one gets Kea's HTTP 403 {"result": 403, "text": "Forbidden"} (same answers from Kea 2.2
  and lessor, the same command list asked of both). GET gets 400; "service" is not needed.
- Basic authentication with this server's own peer credentials: lessor asks for them, Kea 2.2
  checks none (docs/differences.md).
- The dedicated port clashing with the control listener: refused at start and on reload, with
  the peer url's JSON path and Kea's words (Kea itself runs on without the listener).
- A reload that keeps the listener's settings keeps its kept-alive connections; one that
  changes them restarts it.
- Mixed pairs with Kea 2.2, both on dedicated listeners with restrict-commands and Basic
  authentication, both ways: hot-standby, lease updates reach the standby, failover after SIGKILL
  of the primary.
"""

import json
import signal
import time

import pytest

import conftest
from conftest import PYTHON, base_config, need_tools
from ha_pair import ADDRS, FAST, HOOKS, IFS, NS_PREFIX, PORTS, PRIMARY_ADDR, STANDBY_ADDR, \
    StandbyNet, dora, lease_file

CTL_PORT = 20290            # lessor's control listener (slot 2), loopback of the test's namespace
LO = "127.0.0.1"
LO_PORTS = {"primary": 20201, "standby": 20202}
AUTH = {"primary": ("pu", "ppass"), "standby": ("su", "spass")}

# Kea 2.2's restricted set (HAService ha_commands4_), and commands it refuses there
ALLOWED = ["list-commands", "status-get", "ha-heartbeat", "dhcp-disable", "dhcp-enable",
           "ha-reset", "lease4-update", "lease4-del", "lease4-get-all", "lease4-get-page",
           "ha-maintenance-notify", "ha-sync-complete-notify"]
REFUSED = ["config-get", "version-get", "lease4-get", "lease4-add", "ha-scopes",
           "ha-maintenance-start", "statistic-get-all", "shutdown", "no-such-command"]
ARGS = {"dhcp-disable": {"max-period": 1}, "lease4-get-page": {"from": "start", "limit": 1},
        "lease4-del": {"ip-address": "10.0.9.9"}, "ha-maintenance-notify": {"cancel": True},
        "lease4-update": {"ip-address": "10.0.1.77", "hw-address": "02:00:00:00:00:77",
                          "subnet-id": 1, "valid-lft": 100, "force-create": True}}


def ha_block(me, peers, restrict=True, auth=True, threads=2, **over):
    """MY HA parameters with the dedicated listener; PEERS {name: (host, port)}."""
    ha = {"this-server-name": me, "mode": "hot-standby", "restrict-commands": restrict,
          "multi-threading": {"enable-multi-threading": True, "http-dedicated-listener": True,
                              "http-listener-threads": threads, "http-client-threads": 1},
          "peers": []}
    for name, (host, port) in peers.items():
        p = {"name": name, "url": "http://%s:%d/" % (host, port),
             "role": "primary" if name == "primary" else "standby", "auto-failover": True}
        if auth:
            p["basic-auth-user"], p["basic-auth-password"] = AUTH[name]
        ha["peers"].append(p)
    ha.update(FAST)
    ha.update(over)
    return ha


def listener_config(tmpdir, me, kind, ha, control=True, interfaces=None):
    cfg = base_config(tmpdir, interfaces=interfaces)
    d4 = cfg["Dhcp4"]
    d4["multi-threading"] = {"enable-multi-threading": True, "thread-pool-size": 2,
                             "packet-queue-size": 64}
    d4["hooks-libraries"] = [
        {"library": HOOKS + "/libdhcp_lease_cmds.so"},
        {"library": HOOKS + "/libdhcp_ha.so", "parameters": {"high-availability": [ha]}}]
    if kind == "lessor" and control:
        cfg["Control-agent"] = {"http-host": LO, "http-port": CTL_PORT}
    return cfg


POST = r"""
import base64, http.client, json, sys
host, port, method, body, user = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
c = http.client.HTTPConnection(host, port, timeout=5)
h = {"Content-Type": "application/json"}
if user:
    h["Authorization"] = "Basic " + base64.b64encode(user.encode()).decode()
c.request(method, "/", body=body if method == "POST" else None, headers=h)
r = c.getresponse()
print(json.dumps({"status": r.status, "body": r.read().decode()}))
"""


def post(net, ns, host, port, cmd=None, args=None, user="", method="POST", service=True, raw=None):
    """(HTTP status, decoded JSON body or the text) of one request inside namespace NS."""
    body = raw
    if body is None:
        b = {"command": cmd}
        if service:
            b["service"] = ["dhcp4"]
        if args is not None:
            b["arguments"] = args
        body = json.dumps(b)
    r = net.run(ns, [PYTHON, "-c", POST, host, str(port), method, body, user], timeout=15)
    out = json.loads(r.stdout)
    try:
        return out["status"], json.loads(out["body"])
    except ValueError:
        return out["status"], out["body"]


def start(srv, cfg, wait=True, listener=True):
    """Start SRV on CFG; with WAIT until its dedicated listener accepts connections (Kea's
    comes up a moment after DHCP4_STARTED)."""
    srv.start(cfg, wait=False)
    if wait:
        srv.wait_log(r"DHCP4_STARTED", 30)
    if wait and listener:
        ha = cfg["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][0]
        url = [p["url"] for p in ha["peers"] if p["name"] == ha["this-server-name"]][0]
        deadline = time.monotonic() + 10
        while srv.net.run(srv.net.srv, ["curl", "-s", "-o", "/dev/null", "-m", "1", url],
                          timeout=5, check=False).returncode == 7:
            assert time.monotonic() < deadline, "nothing listens on " + url
            time.sleep(0.1)
    return srv


@pytest.mark.parametrize("kind", ["lessor", "kea"])
def test_restricted_listener(netpair, tmp_path, kind):
    """restrict-commands on the dedicated listener: Kea 2.2 and lessor answer alike."""
    if kind == "kea":
        need_tools("kea-dhcp4")
    net = netpair
    peers = {n: (LO, p) for n, p in LO_PORTS.items()}
    s = conftest.Server(net, tmp_path, kind=kind)
    try:
        start(s, listener_config(s.dir, "primary", kind, ha_block("primary", peers)))
        port = LO_PORTS["primary"]
        user = "%s:%s" % AUTH["primary"]
        for cmd in ALLOWED:
            st, ans = post(net, net.srv, LO, port, cmd, ARGS.get(cmd), user)
            print("ALLOWED %-24s %s %s" % (cmd, st, json.dumps(ans)[:100]))
            assert st == 200 and isinstance(ans, list) and "result" in ans[0], (cmd, st, ans)
        for cmd in REFUSED:
            st, ans = post(net, net.srv, LO, port, cmd, None, user)
            print("REFUSED %-24s %s %s" % (cmd, st, ans))
            assert (st, ans) == (403, {"result": 403, "text": "Forbidden"}), cmd
        # no "service": still this server's command (the agent's answer is not emulated)
        st, ans = post(net, net.srv, LO, port, "ha-heartbeat", None, user, service=False)
        assert st == 200 and ans[0]["text"] == "HA peer status returned.", ans
        st, ans = post(net, net.srv, LO, port, method="GET", user=user, raw="")
        assert (st, ans) == (400, {"result": 400, "text": "Bad Request"})
        st, ans = post(net, net.srv, LO, port, user=user, raw="{not json")
        assert (st, ans) == (400, {"result": 400, "text": "Bad Request"})
        # Basic authentication with this server's own peer credentials
        st, ans = post(net, net.srv, LO, port, "ha-heartbeat", None, "")
        print("NO AUTH (%s): %s %s" % (kind, st, ans))
        st2, _ = post(net, net.srv, LO, port, "ha-heartbeat", None, "pu:wrong")
        if kind == "lessor":
            assert st == 401 and st2 == 401
            # the operators' listener keeps working, unrestricted
            st, ans = post(net, net.srv, LO, CTL_PORT, "config-get")
            assert st == 200 and ans[0]["result"] == 0
            st, ans = post(net, net.srv, LO, CTL_PORT, "version-get")
            assert st == 200 and ans[0]["result"] == 0
            assert "LESSOR_HA_LISTENER_START" in s.log()
        else:
            assert st == 200 and st2 == 200     # Kea 2.2 checks no credentials there
    finally:
        s.cleanup()


def test_listener_unrestricted_and_mt_off(netpair, tmp_path):
    """Without restrict-commands every command runs there; without Dhcp4 multi-threading
    nothing listens there (Kea: HA_CONFIG_DHCP_MT_DISABLED)."""
    net = netpair
    peers = {n: (LO, p) for n, p in LO_PORTS.items()}
    s = conftest.Server(net, tmp_path)
    try:
        cfg = listener_config(s.dir, "primary", "lessor", ha_block("primary", peers, restrict=False,
                                                                   auth=False))
        start(s, cfg)
        st, ans = post(net, net.srv, LO, LO_PORTS["primary"], "version-get")
        assert st == 200 and ans[0]["result"] == 0 and "lessor" in ans[0]["arguments"]["extended"]
        s.stop()
        cfg["Dhcp4"]["multi-threading"]["enable-multi-threading"] = False
        start(s, cfg, listener=False)
        r = net.run(net.srv, ["curl", "-s", "-m", "2", "http://%s:%d/" % (LO, LO_PORTS["primary"])],
                    timeout=10, check=False)
        assert r.returncode == 7, r      # connection refused
        assert "LESSOR_HA_LISTENER_START" not in s.log_since_start()
    finally:
        s.cleanup()


def test_listener_port_conflict(netpair, tmp_path):
    """The dedicated listener on the control listener's port: refused at start and on reload."""
    net = netpair
    s = conftest.Server(net, tmp_path)
    clash = {"primary": (LO, CTL_PORT), "standby": (LO, LO_PORTS["standby"])}
    path = "Dhcp4.hooks-libraries[1].parameters.high-availability[0].peers[0].url"
    try:
        s.start(listener_config(s.dir, "primary", "lessor", ha_block("primary", clash)), wait=False)
        deadline = time.monotonic() + 20
        while s.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = s.log_since_start()
        print("START:", [line for line in log.splitlines() if "INIT_FAIL" in line])
        assert not s.alive() and path in log and "Address already in use" in log
        # a good configuration, then a reload that moves the peer url onto the control port
        peers = {n: (LO, p) for n, p in LO_PORTS.items()}
        start(s, listener_config(s.dir, "primary", "lessor", ha_block("primary", peers)))
        bad = listener_config(s.dir, "primary", "lessor", ha_block("primary", clash))
        st, ans = post(net, net.srv, LO, CTL_PORT, "config-set", {"Dhcp4": bad["Dhcp4"]})
        print("CONFIG-SET:", ans)
        assert ans[0]["result"] == 1 and path in ans[0]["text"] and \
            "Address already in use" in ans[0]["text"]
        st, ans = post(net, net.srv, LO, LO_PORTS["primary"], "ha-heartbeat", None,
                       "%s:%s" % AUTH["primary"])
        assert st == 200 and ans[0]["result"] == 0     # the running listener is untouched
    finally:
        s.cleanup()


KEEPALIVE = r"""
import base64, http.client, json, sys, time, os
host, port, user, flag = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = http.client.HTTPConnection(host, port, timeout=5)
h = {"Content-Type": "application/json",
     "Authorization": "Basic " + base64.b64encode(user.encode()).decode()}
def ask(cmd):
    c.request("POST", "/", body=json.dumps({"command": cmd, "service": ["dhcp4"]}), headers=h)
    r = c.getresponse()
    return r.status, r.read().decode()
print("first", ask("ha-heartbeat")[0], c.sock.getsockname()[1], flush=True)
for step in ("unchanged", "changed"):
    while not os.path.exists(flag + step):
        time.sleep(0.05)
    try:
        port_before = c.sock.getsockname()[1] if c.sock else None
        st, _ = ask("ha-heartbeat")
        print(step, st, port_before == c.sock.getsockname()[1], flush=True)
    except (http.client.HTTPException, OSError) as e:
        print(step, "closed", type(e).__name__, flush=True)
        c.close()
"""


def test_listener_reload(netpair, tmp_path):
    """A reload that keeps the listener's settings keeps its connection; one that changes
    them (restrict-commands turned on) restarts it: the old connection ends, the new
    listener refuses config-get."""
    net = netpair
    peers = {n: (LO, p) for n, p in LO_PORTS.items()}
    s = conftest.Server(net, tmp_path)
    flag = str(tmp_path / "go-")
    user = "%s:%s" % AUTH["primary"]
    try:
        cfg = listener_config(s.dir, "primary", "lessor", ha_block("primary", peers, restrict=False))
        start(s, cfg)
        p = net.popen(net.srv, [PYTHON, "-c", KEEPALIVE, LO, str(LO_PORTS["primary"]), user, flag],
                      stdout=conftest.subprocess.PIPE, text=True)
        try:
            assert p.stdout.readline().split()[:2] == ["first", "200"]
            cfg["Dhcp4"]["valid-lifetime"] = 5000
            off = s.log_offset()
            s.write_config(cfg)
            s.signal(signal.SIGHUP)
            s.wait_log(r"DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS|DHCP4_CONFIG_COMPLETE", 20, since=off)
            time.sleep(1.5)             # the ctl thread follows within 0.5 s
            open(flag + "unchanged", "w").close()
            line = p.stdout.readline().split()
            print("UNCHANGED:", line)
            assert line == ["unchanged", "200", "True"]
            st, ans = post(net, net.srv, LO, LO_PORTS["primary"], "config-get", None, user)
            assert st == 200 and ans[0]["result"] == 0

            ha = cfg["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][0]
            ha["restrict-commands"] = True
            off = s.log_offset()
            s.write_config(cfg)
            s.signal(signal.SIGHUP)
            s.wait_log(r"LESSOR_HA_LISTENER_START", 20, since=off)
            open(flag + "changed", "w").close()
            line = p.stdout.readline().split()
            print("CHANGED:", line)
            assert line[:2] == ["changed", "closed"]
            st, ans = post(net, net.srv, LO, LO_PORTS["primary"], "config-get", None, user)
            assert (st, ans) == (403, {"result": 403, "text": "Forbidden"})
        finally:
            p.kill()
            p.wait(timeout=5)
    finally:
        s.cleanup()


def pair_half(tmp, net, me, kind, made):
    peers = {n: (ADDRS[n], PORTS[n]) for n in ("primary", "standby")}
    d = tmp / me
    d.mkdir(exist_ok=True)
    s = conftest.Server(net, d, kind=kind)
    made.append(s)
    start(s, listener_config(s.dir, me, kind, ha_block(me, peers), interfaces=[IFS[me]]))
    return s


def state_of(net, me):
    ns = net.srv.replace("lsr-srv-", NS_PREFIX[me])
    try:
        st, ans = post(net, ns, ADDRS[me], PORTS[me], "status-get", None, "%s:%s" % AUTH[me])
        return ans[0]["arguments"]["high-availability"][0]["ha-servers"]["local"]["state"]
    except (ValueError, KeyError, IndexError, TypeError, AssertionError,
            conftest.subprocess.SubprocessError):
        return None


def wait_state(net, want, timeout=30):
    deadline = time.monotonic() + timeout
    got = {}
    while time.monotonic() < deadline:
        got = {me: state_of(net, me) for me in want}
        if got == want:
            return
        time.sleep(0.2)
    raise AssertionError("HA states %r, wanted %r" % (got, want))


@pytest.mark.parametrize("primary_kind,standby_kind",
                         [("lessor", "kea"), ("kea", "lessor"), ("lessor", "lessor")])
def test_mixed_pair_dedicated(netpair, tmp_path, primary_kind, standby_kind):
    """lessor and Kea 2.2 (or two lessors) in a hot-standby pair, each on its dedicated
    listener with restrict-commands and Basic authentication: in sync, updates reach the
    standby (a lessor primary finds out behind the 403 to version-get whether its partner
    takes lessor-lease4-batch), the standby takes over after SIGKILL of the primary."""
    if "kea" in (primary_kind, standby_kind):
        need_tools("kea-dhcp4")
    net = netpair
    sb = StandbyNet(net)
    made = []
    try:
        standby = pair_half(tmp_path, sb, "standby", standby_kind, made)
        primary = pair_half(tmp_path, net, "primary", primary_kind, made)
        wait_state(net, {"primary": "hot-standby", "standby": "hot-standby"}, 40)
        got = [dora(net, PRIMARY_ADDR, mac="02feedbeef%02x" % i, timeout=2) for i in range(3)]
        print("ACKed by the primary:", got)
        assert all(got)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            rows = conftest.active_leases(lease_file(standby))
            if all(a in rows for a in got):
                break
            time.sleep(0.2)
        assert all(a in rows for a in got), (got, sorted(rows))
        if primary_kind == "lessor":
            how = primary.wait_log(r"LESSOR_HA_PEER_BATCH .*", 5).group(0)
            print(how)
            assert ("in batches" in how) == (standby_kind == "lessor")
        t0 = time.monotonic()
        primary.signal(signal.SIGKILL)
        primary.proc.wait(timeout=10)
        acked = None
        while time.monotonic() - t0 < 20 and acked is None:
            acked = dora(net, STANDBY_ADDR, mac="02feedbeefaa", timeout=0.5)
        print("%s standby: first ACK %.2f s after SIGKILL of the %s primary"
              % (standby_kind, time.monotonic() - t0, primary_kind))
        assert acked is not None
        assert state_of(net, "standby") == "partner-down"
    finally:
        for s in made:
            s.cleanup()
        sb.close()


@pytest.mark.parametrize("primary_kind,standby_kind", [("lessor", "kea"), ("kea", "lessor")])
def test_pair_dedicated_tls(netpair, tmp_path, primary_kind, standby_kind):
    """TLS on the dedicated listeners (https peer URLs, each server's certificate,
    require-client-certs, a trust anchor that is a CA directory for lessor), Kea 2.2 on the
    other side: the pair reaches hot-standby and an update reaches the standby; lessor's
    listener answers nobody without a client certificate."""
    need_tools("kea-dhcp4", "openssl")
    from test_ha_ops import make_certs
    certs = make_certs(str(tmp_path))
    cadir = tmp_path / "cadir"
    cadir.mkdir()
    (cadir / "ca.pem").write_bytes(open(certs["primary"]["trust-anchor"], "rb").read())
    conftest._run(["openssl", "rehash", str(cadir)], timeout=30)
    net = netpair
    sb = StandbyNet(net)
    made = []
    peers = {n: (ADDRS[n], PORTS[n]) for n in ("primary", "standby")}
    try:
        for me, kind, n in (("standby", standby_kind, sb), ("primary", primary_kind, net)):
            d = tmp_path / me
            d.mkdir()
            s = conftest.Server(n, d, kind=kind)
            made.append(s)
            ha = ha_block(me, peers, auth=False)
            for p in ha["peers"]:
                p["url"] = p["url"].replace("http://", "https://")
            ha.update(certs[me])
            if kind == "lessor":
                ha["trust-anchor"] = str(cadir)
            ha["require-client-certs"] = True
            s.start(listener_config(s.dir, me, kind, ha, interfaces=[IFS[me]]), wait=False)
            s.wait_log(r"DHCP4_STARTED", 30)
        lessor_me = "primary" if primary_kind == "lessor" else "standby"
        other = "standby" if lessor_me == "primary" else "primary"
        ns = net.srv if lessor_me == "primary" else sb.srv
        url = "https://%s:%d/" % (ADDRS[lessor_me], PORTS[lessor_me])

        def curl(*extra):
            r = net.run(ns, ["curl", "-s", "-m", "5", "--cacert", certs[lessor_me]["trust-anchor"],
                             "-H", "Content-Type: application/json",
                             "-d", '{"command": "status-get", "service": ["dhcp4"]}'] +
                        list(extra) + [url], timeout=10)
            return r.returncode, r.stdout

        deadline = time.monotonic() + 40
        state = None
        while time.monotonic() < deadline and state != "hot-standby":
            rc, out = curl("--cert", certs[other]["cert-file"], "--key", certs[other]["key-file"])
            try:
                state = json.loads(out)[0]["arguments"]["high-availability"][0][
                    "ha-servers"]["local"]["state"]
            except (ValueError, KeyError, IndexError, TypeError):
                state = None
            time.sleep(0.2)
        assert state == "hot-standby", (rc, out)
        rc, out = curl()
        print("lessor's TLS listener without a client certificate: rc %d %r" % (rc, out[:80]))
        # status-get is allowed: this 403 is the missing certificate's (or no handshake)
        assert rc != 0 or json.loads(out) == {"result": 403, "text": "Forbidden"}, (rc, out)
        # the partner may enter hot-standby a heartbeat later
        got, deadline = None, time.monotonic() + 10
        while got is None and time.monotonic() < deadline:
            got = dora(net, PRIMARY_ADDR, mac="02feedbeef01", timeout=1)
        assert got
        standby = made[0]
        deadline = time.monotonic() + 10
        while got not in conftest.active_leases(lease_file(standby)):
            assert time.monotonic() < deadline, "the update did not reach the standby"
            time.sleep(0.2)
        print("TLS %s/%s on dedicated listeners: hot-standby, update delivered"
              % (primary_kind, standby_kind))
    finally:
        for s in made:
            s.cleanup()
        sb.close()


LOAD = r"""
import http.client, json, sys, threading, time
port, n, secs = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
count = [0] * n
def run(k):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    end, i = time.monotonic() + secs, 0
    while time.monotonic() < end:
        body = json.dumps({"command": "lease4-update", "service": ["dhcp4"], "arguments": {
            "ip-address": "10.0.%d.%d" % (100 + k, i % 250 + 1), "subnet-id": 1,
            "hw-address": "02:00:00:%02x:%02x:%02x" % (k, i >> 8 & 255, i & 255),
            "valid-lft": 4000, "force-create": True}})
        c.request("POST", "/", body=body, headers={"Content-Type": "application/json"})
        r = json.loads(c.getresponse().read())
        assert r[0]["result"] == 0, r
        i += 1
    count[k] = i
ts = [threading.Thread(target=run, args=(k,)) for k in range(n)]
[t.start() for t in ts]
[t.join() for t in ts]
print(sum(count))
"""


def test_concurrent_updates_share_sync(netpair, tmp_path):
    """A Kea primary sends one lease4-update per request, several at once (http-client-threads):
    on the dedicated listener's threads they share fdatasyncs (lfile's group commit) instead
    of paying one each under the ctl lock. Counted with strace while 8 clients post updates
    for 3 s: fewer than 0.95 fdatasync per update (exactly 1.00 before this change; 0.54-0.82
    measured after, dev and release builds)."""
    need_tools("strace")
    net = netpair
    peers = {n: (LO, p) for n, p in LO_PORTS.items()}
    s = conftest.Server(net, tmp_path)
    try:
        cfg = listener_config(s.dir, "primary", "lessor", ha_block(
            "primary", peers, restrict=False, auth=False, threads=4,
            **{"heartbeat-delay": 60000, "max-response-delay": 65000}))
        cfg["Dhcp4"]["subnet4"][0]["pools"] = [{"pool": "10.0.100.0 - 10.0.120.255"}]
        start(s, cfg)
        out = str(tmp_path / "strace.txt")
        tr = conftest.subprocess.Popen(["strace", "-f", "-c", "-e", "trace=fdatasync", "-o", out,
                                        "-p", str(s.pid)], stderr=conftest.subprocess.DEVNULL)
        try:
            time.sleep(1)
            r = net.run(net.srv, [PYTHON, "-c", LOAD, str(LO_PORTS["primary"]), "8", "3"], timeout=60)
            updates = int(r.stdout.split()[-1])
        finally:
            tr.send_signal(signal.SIGINT)
            tr.wait(timeout=20)
        calls = [int(line.split()[3]) for line in open(out) if line.rstrip().endswith("fdatasync")]
        syncs = calls[0] if calls else 0
        print("8 clients, 3 s: %d lease4-update, %d fdatasync (%.2f per update)"
              % (updates, syncs, syncs / max(updates, 1)))
        assert updates > 50
        assert syncs < 0.95 * updates     # before: exactly one per update
    finally:
        s.cleanup()
