"""Operating a hot-standby pair (issue 7): what operators do to it and what happens to it.

- A reload with an unchanged HA section keeps both servers' state and syncs nothing; one that
  changes it restarts HA into waiting, as Kea 2.2 does on every reload (lessor primary, lessor
  and Kea 2.2 standby).
- SIGSTOP of the primary: the standby takes over (time from the stop to its first ACK printed);
  SIGCONT: the primary finds its partner in partner-down, goes through waiting and syncing (the
  leases given meanwhile reach it) and both return to hot-standby, as Kea's state machine does.
- Maintenance: ha-maintenance-start on the standby puts the primary in-maintenance (it serves
  nobody) and the standby serves everyone, sending its updates; ha-maintenance-cancel brings
  both back to hot-standby.
- A partition healing: the peers' link goes down (both end in partner-down and serve), comes
  back, and both return to hot-standby with every lease given on either side on both.
- state-machine pause "once" in waiting holds the primary there until ha-continue.
"""

import json
import os
import signal
import subprocess
import time

import pytest

import conftest
import standin_http
from conftest import NEW_MAC, by_hwaddr, mac_seq, need_tools
from ha_pair import (ADDRS, HA_IF, PORTS, PRIMARY_ADDR, STANDBY_ADDR, StandbyNet, command, dora,
                     ha_state, pair_config, start_half, wait_states)

PAIRS = [("lessor", "lessor"), ("lessor", "kea"), ("kea", "lessor")]


class Pair:
    """Starts a (primary, standby) pair of the given kinds; the test's namespaces."""

    def __init__(self, net, tmp):
        self.net, self.tmp = net, tmp
        self.sb = StandbyNet(net)
        self.made = []

    def __call__(self, primary_kind="lessor", standby_kind="lessor", wait=True,
                 primary_over=None, **over):
        if "kea" in (primary_kind, standby_kind):
            need_tools("kea-dhcp4")
        standby = start_half(self.tmp, self.sb, "standby", standby_kind, self.made, **over)
        primary = start_half(self.tmp, self.net, "primary", primary_kind, self.made,
                             **dict(over, **(primary_over or {})))
        if wait:
            wait_states(self.net, {"primary": "hot-standby", "standby": "hot-standby"})
        return primary, standby

    def close(self):
        for s in self.made:
            if s.alive():
                s.signal(signal.SIGCONT)
            s.cleanup()
        self.sb.close()


@pytest.fixture
def pair(netpair, tmp_path):
    need_tools("curl")
    p = Pair(netpair, tmp_path)
    try:
        yield p
    finally:
        p.close()


def reload(s, me, edit=None, **over):
    """Write MY half's configuration again (EDIT(cfg) may change it) and SIGHUP the server;
    returns the log offset before the reload, once the reload is done."""
    cfg = pair_config(s.dir, me, s.kind, **over)
    if edit:
        edit(cfg)
    off = s.log_offset()
    s.write_config(cfg)
    s.signal(signal.SIGHUP)
    s.wait_log(r"DHCP4_DYNAMIC_RECONFIGURATION_SUCCESS|DHCP4_CONFIG_COMPLETE", 20, since=off)
    return off


def states_for(net, seconds):
    """Every (primary, standby) state pair seen while polling for SECONDS."""
    seen = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        seen.add((ha_state(net, "primary"), ha_state(net, "standby")))
        time.sleep(0.1)
    return seen


def log_after(s, off):
    with open(s.log_path, "rb") as f:
        f.seek(off)
        return f.read().decode(errors="replace")


@pytest.mark.parametrize("standby_kind", ["lessor", "kea"])
def test_reload_ha_section(pair, standby_kind):
    """Issue 7 item 7: an unchanged HA section survives a reload without a resync."""
    primary, standby = pair("lessor", standby_kind)
    net = pair.net

    def lifetime(cfg):
        cfg["Dhcp4"]["valid-lifetime"] = 5000      # a change outside the HA section

    off = reload(primary, "primary", lifetime)
    seen = states_for(net, 3)
    after = log_after(primary, off)
    print("RELOAD unchanged HA (%s standby): states seen %s" % (standby_kind, sorted(seen)))
    assert seen == {("hot-standby", "hot-standby")}
    assert "HA_SERVICE_STARTED" not in after and "HA_SYNC_START" not in after
    assert "HA_STATE_TRANSITION" not in after

    # a changed HA section: HA restarts into waiting, syncs from the partner, back in hot-standby
    t0 = time.monotonic()
    off = reload(primary, "primary", lifetime, **{"heartbeat-delay": 300})
    primary.wait_log(r"HA_SERVICE_STARTED", 10, since=off)
    wait_states(net, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=30)
    after = log_after(primary, off)
    print("RELOAD changed HA (%s standby): back in hot-standby after %.2f s" % (
        standby_kind, time.monotonic() - t0))
    assert "from WAITING to SYNCING" in after and "HA_SYNC_SUCCESSFUL" in after
    assert dora(net, PRIMARY_ADDR, timeout=1)
    assert dora(net, STANDBY_ADDR, timeout=0.5) is None


def test_kea_restarts_ha_on_reload(pair):
    """The reference: Kea 2.2 restarts HA on a reload even with its HA section unchanged."""
    primary, standby = pair("kea", "lessor")
    off = reload(primary, "primary")
    primary.wait_log(r"HA_SERVICE_STARTED", 10, since=off)
    wait_states(pair.net, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=30)


def serve_new(net, server_addr, n, first):
    """N new clients (NEW_MAC + FIRST ...) get leases from SERVER_ADDR: {hw: address}."""
    macs = mac_seq(NEW_MAC, first + n)[first:]
    got = {hw: dora(net, server_addr, mac=hw.replace(":", ""), timeout=1) for hw in macs}
    assert all(got.values()), got
    return got


def on(s, want):
    return {hw: a for hw, a in by_hwaddr(s.leases()).items() if hw in want}


def wait_on(s, want, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and on(s, want) != want:
        time.sleep(0.1)
    assert on(s, want) == want


@pytest.mark.parametrize("primary_kind,standby_kind", PAIRS)
def test_sigstop_primary(pair, primary_kind, standby_kind):
    """A stopped primary (the kernel still accepts its TCP connections, nothing answers)."""
    primary, standby = pair(primary_kind, standby_kind)
    net = pair.net
    t0 = time.monotonic()
    primary.signal(signal.SIGSTOP)
    took = None
    while took is None and time.monotonic() - t0 < 20:
        if dora(net, STANDBY_ADDR, mac="02feedbeef07", timeout=0.1):
            took = time.monotonic() - t0
    assert took is not None, "the standby never served while the primary was stopped"
    print("SIGSTOP %s primary -> %s standby: first ACK after %.3f s (heartbeat-delay 200 ms, "
          "max-response-delay 1000 ms)" % (primary_kind, standby_kind, took))
    assert ha_state(net, "standby") == "partner-down"
    given = serve_new(net, STANDBY_ADDR, 5, 0)

    t1 = time.monotonic()
    off = primary.log_offset()
    primary.signal(signal.SIGCONT)
    # Kea's rule: a primary in hot-standby whose partner is in partner-down goes to waiting,
    # syncs, is ready; the partner then returns to hot-standby, and so does it
    wait_states(net, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=40)
    print("SIGCONT %s primary: both in hot-standby after %.2f s" % (primary_kind,
                                                                   time.monotonic() - t1))
    after = log_after(primary, off)
    # a heartbeat the stop caught in flight times out on resume: lessor asks again instead of
    # going partner-down beside the standby that took over (both would serve)
    print("SIGCONT %s primary: went partner-down first: %s" % (
        primary_kind, "to PARTNER-DOWN" in after))
    if primary_kind == "lessor":
        assert "from HOT-STANDBY to WAITING" in after and "to PARTNER-DOWN" not in after
    wait_on(primary, given)
    assert primary.alive() and standby.alive()


@pytest.mark.parametrize("primary_kind,standby_kind", [("lessor", "lessor"), ("kea", "lessor")])
def test_maintenance(pair, primary_kind, standby_kind):
    """ha-maintenance-start on the standby: the primary goes in-maintenance and can be shut
    down; the standby serves and still sends its updates to the primary."""
    primary, standby = pair(primary_kind, standby_kind)
    net = pair.net
    ans = command(net, "standby", "ha-maintenance-start", timeout=15)
    assert ans["result"] == 0, ans
    assert "partner-in-maintenance" in ans["text"]
    wait_states(net, {"primary": "in-maintenance", "standby": "partner-in-maintenance"}, 10)
    assert dora(net, PRIMARY_ADDR, timeout=0.5) is None
    given = serve_new(net, STANDBY_ADDR, 5, 10)
    wait_on(primary, given)         # partner-in-maintenance sends lease updates

    ans = command(net, "standby", "ha-maintenance-cancel", timeout=15)
    assert ans["result"] == 0, ans
    wait_states(net, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=40)
    assert dora(net, STANDBY_ADDR, timeout=0.5) is None
    mac = list(given)[0]
    assert dora(net, PRIMARY_ADDR, mac=mac.replace(":", ""), timeout=1) == given[mac]


def link(net, ns, up):
    subprocess.run(["ip", "-n", ns, "link", "set", HA_IF, "up" if up else "down"], check=True,
                   timeout=10)


@pytest.mark.parametrize("primary_kind,standby_kind", [("lessor", "lessor"), ("lessor", "kea")])
def test_partition_heals(pair, primary_kind, standby_kind):
    """The peers' link breaks: both lose each other, both go partner-down and serve (Kea's
    hot-standby has no quorum), so both hand out the same free addresses to different
    clients. The link comes back: both go through waiting and syncing (the primary first, as
    Kea's "both waiting: the primary wins"), return to hot-standby and end with the same
    table: each address held by one client, the later lease winning (Kea's sync keeps the
    newer cltt)."""
    primary, standby = pair(primary_kind, standby_kind)
    net = pair.net
    t0 = time.monotonic()
    link(net, net.srv, False)
    try:
        wait_states(net, {"primary": "partner-down", "standby": "partner-down"}, 20)
        print("PARTITION %s/%s: both partner-down after %.2f s" % (
            primary_kind, standby_kind, time.monotonic() - t0))
        a = serve_new(net, PRIMARY_ADDR, 3, 20)
        time.sleep(1.1)             # the standby's leases are the newer ones (cltt in seconds)
        b = serve_new(net, STANDBY_ADDR, 3, 30)
    finally:
        link(net, net.srv, True)
    t1 = time.monotonic()
    wait_states(net, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=40)
    print("HEALED %s/%s: both hot-standby after %.2f s" % (
        primary_kind, standby_kind, time.monotonic() - t1))
    want = {**a, **b}
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and on(primary, want) != on(standby, want):
        time.sleep(0.1)
    pa, sa = on(primary, want), on(standby, want)
    print("HEALED %s/%s: primary holds %s, standby holds %s" % (primary_kind, standby_kind,
                                                               sorted(pa.items()), sorted(sa.items())))
    assert pa == sa
    assert len(set(pa.values())) == len(pa)       # no address held by two clients
    assert set(b.items()) <= set(pa.items())      # the newer leases won


def test_pause_waiting_once(pair):
    """state-machine pause "once" for waiting: the primary stays in waiting (its partner
    waits too) until ha-continue, then the pair comes up."""
    pause = {"state-machine": {"states": [{"state": "waiting", "pause": "once"}]}}
    primary, standby = pair("lessor", "lessor", wait=False, primary_over=pause)
    net = pair.net
    primary.wait_log(r"HA_STATE_MACHINE_PAUSED primary: state machine paused in state waiting", 10)
    seen = states_for(net, 3)
    assert {p for p, _ in seen} == {"waiting"}, seen
    ans = command(net, "primary", "ha-continue")
    assert ans == {"result": 0, "text": "HA state machine continues."}
    wait_states(net, {"primary": "hot-standby", "standby": "hot-standby"}, timeout=30)
    ans = command(net, "primary", "ha-continue")
    assert ans == {"result": 0, "text": "HA state machine is not paused."}


# --- basic auth and TLS between the peers -----------------------------------------------------

USER, PASSWORD = "ha-peer", "s3cret-peer"


def make_certs(d):
    """A CA and one certificate per peer (IP subjectAltName of its peer URL), by openssl."""
    def ossl(*args):
        subprocess.run(["openssl"] + list(args), check=True, timeout=60, cwd=d,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    ossl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ha-test-ca",
         "-keyout", "ca.key", "-out", "ca.pem")
    for me, addr in ADDRS.items():
        with open(os.path.join(d, me + ".ext"), "w") as f:
            f.write("subjectAltName=IP:%s\nextendedKeyUsage=serverAuth,clientAuth\n" % addr)
        ossl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + me, "-keyout", me + ".key",
             "-out", me + ".csr")
        ossl("x509", "-req", "-in", me + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
             "-CAcreateserial", "-days", "2", "-extfile", me + ".ext", "-out", me + ".pem")
    return {me: {"trust-anchor": os.path.join(d, "ca.pem"),
                 "cert-file": os.path.join(d, me + ".pem"),
                 "key-file": os.path.join(d, me + ".key")} for me in ADDRS}


def secure(cfg, me, kind, certs=None, password=PASSWORD, listener_auth=True):
    """MY half with basic auth (the credentials I send to the partner: PASSWORD) and, with
    CERTS, TLS both ways: https peer URLs, my certificate as client and as listener (lessor's
    Control-agent listener with cert-required; Kea's dedicated listener with
    require-client-certs)."""
    ha = cfg["Dhcp4"]["hooks-libraries"][1]["parameters"]["high-availability"][0]
    for p in ha["peers"]:
        if p["name"] != me:
            p["basic-auth-user"], p["basic-auth-password"] = USER, password
        if certs:
            p["url"] = p["url"].replace("http://", "https://")
    if certs:
        ha.update(certs[me])
        ha["require-client-certs"] = True
    if kind == "lessor":
        ca = cfg["Control-agent"]
        if listener_auth:
            ca["authentication"] = {"type": "basic", "realm": "ha",
                                    "clients": [{"user": USER, "password": PASSWORD}]}
        if certs:
            ca.update(certs[me])
            ca["cert-required"] = True
    return cfg


def scommand(net, me, cmd, certs=None, auth=True, timeout=5):
    """command() through the secured listener (curl with the peer's credentials)."""
    ns = net.srv if me == "primary" else net.srv.replace("lsr-srv-", "lsr-sb-")
    url = "%s://%s:%d/" % ("https" if certs else "http", ADDRS[me], PORTS[me])
    argv = ["curl", "-s", "-m", str(timeout), "-H", "Content-Type: application/json",
            "-d", json.dumps({"command": cmd, "service": ["dhcp4"]}), url]
    if auth:
        argv += ["-u", "%s:%s" % (USER, PASSWORD)]
    if certs:
        other = "standby" if me == "primary" else "primary"
        argv += ["--cacert", certs[me]["trust-anchor"], "--cert", certs[other]["cert-file"],
                 "--key", certs[other]["key-file"]]
    r = net.run(ns, argv, timeout=timeout + 5)
    try:
        ans = json.loads(r.stdout)
    except ValueError:
        return r.stdout
    return ans[0] if isinstance(ans, list) and ans else ans


def sstates(net, certs, want, timeout=30):
    deadline = time.monotonic() + timeout
    got = {}
    while time.monotonic() < deadline:
        got = {}
        for me in want:
            a = scommand(net, me, "status-get", certs)
            try:
                got[me] = a["arguments"]["high-availability"][0]["ha-servers"]["local"]["state"]
            except (TypeError, KeyError, IndexError):
                got[me] = a
        if got == want:
            return
        time.sleep(0.2)
    raise AssertionError("HA states %r, wanted %r" % (got, want))


def start_secure(pair, primary_kind, standby_kind, certs, made_pw=None, primary_first=False):
    made = {}
    order = [("standby", standby_kind, pair.sb), ("primary", primary_kind, pair.net)]
    for me, kind, net in order[::-1] if primary_first else order:
        d = pair.tmp / me
        d.mkdir(exist_ok=True)
        s = conftest.Server(net, d, kind=kind)
        pair.made.append(s)
        pw = (made_pw or {}).get(me, PASSWORD)
        s.start(secure(pair_config(s.dir, me, kind), me, kind, certs, pw), wait=False)
        s.wait_log(r"DHCP4_STARTED", 30)
        made[me] = s
    return made["primary"], made["standby"]


@pytest.mark.parametrize("tls", [False, True], ids=["auth", "auth+tls"])
@pytest.mark.parametrize("primary_kind,standby_kind", PAIRS)
def test_secure_peers(pair, tmp_path, primary_kind, standby_kind, tls):
    """Basic auth (and TLS with client certificates) between the peers: the pair comes up,
    the primary's ACKs reach the standby; a request without credentials (or without a client
    certificate) gets nothing from lessor's listener."""
    if "kea" in (primary_kind, standby_kind):
        need_tools("kea-dhcp4")
    need_tools("openssl")
    certs = make_certs(str(tmp_path)) if tls else None
    primary, standby = start_secure(pair, primary_kind, standby_kind, certs)
    net = pair.net
    sstates(net, certs, {"primary": "hot-standby", "standby": "hot-standby"})
    given = serve_new(net, PRIMARY_ADDR, 3, 40)
    wait_on(standby, given)
    for me, s in (("primary", primary), ("standby", standby)):
        if s.kind != "lessor":
            continue
        # lessor's listener: no credentials, 401; TLS without a client certificate, no answer
        assert scommand(net, me, "status-get", certs, auth=False) == \
            {"result": 401, "text": "Unauthorized"}
        if certs:
            ns = net.srv if me == "primary" else pair.sb.srv
            r = net.run(ns, ["curl", "-s", "-m", "5", "--cacert", certs[me]["trust-anchor"],
                             "-u", "%s:%s" % (USER, PASSWORD), "-d", '{"command": "status-get"}',
                             "https://%s:%d/" % (ADDRS[me], PORTS[me])], timeout=10)
            assert json.loads(r.stdout) == {"result": 403, "text": "Forbidden"}, r.stdout
    print("SECURE %s/%s %s: hot-standby, updates delivered" % (
        primary_kind, standby_kind, "basic auth + TLS" if tls else "basic auth"))


def test_tls_trust_anchor_directory(pair, tmp_path):
    """trust-anchor may be a directory of hashed CA files (Kea's rule, OpenSSL's CA path): the
    peers verify each other through one (openssl rehash), lessor + lessor."""
    need_tools("openssl")
    certs = make_certs(str(tmp_path))
    cadir = tmp_path / "cadir"
    cadir.mkdir()
    (cadir / "ca.pem").write_bytes(open(certs["primary"]["trust-anchor"], "rb").read())
    subprocess.run(["openssl", "rehash", str(cadir)], check=True, timeout=30)
    ha_certs = {me: dict(c, **{"trust-anchor": str(cadir)}) for me, c in certs.items()}
    for me, net in (("standby", pair.sb), ("primary", pair.net)):
        d = pair.tmp / me
        d.mkdir(exist_ok=True)
        s = conftest.Server(net, d, kind="lessor")
        pair.made.append(s)
        cfg = secure(pair_config(s.dir, me, "lessor"), me, "lessor", ha_certs)
        cfg["Control-agent"].update(certs[me])      # the listener reads a CA file
        s.start(cfg, wait=False)
        s.wait_log(r"DHCP4_STARTED", 30)
    sstates(pair.net, certs, {"primary": "hot-standby", "standby": "hot-standby"})


def test_wrong_password(pair):
    """The standby sends a wrong password: the primary's listener refuses it (401), the
    standby logs why and never gets in touch (as Kea's, it then goes partner-down by
    max-response-delay: a password mistake is a split brain in Kea's hot-standby too)."""
    primary, standby = start_secure(pair, "lessor", "lessor", None, {"standby": "wrong"},
                                    primary_first=True)
    standby.wait_log(r"HA_HEARTBEAT_COMMUNICATIONS_FAILED.*HTTP status 401", 20)
    time.sleep(2)
    a = scommand(pair.net, "standby", "status-get")
    servers = a["arguments"]["high-availability"][0]["ha-servers"]
    print("WRONG PASSWORD: standby %s, in touch %s" % (servers["local"]["state"],
                                                       servers["remote"]["in-touch"]))
    assert not servers["remote"]["in-touch"]
    assert servers["local"]["state"] in ("waiting", "partner-down")


# --- clock skew ---------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["lessor", "kea"])
@pytest.mark.parametrize("skew", [40, 120])
def test_clock_skew(pair, kind, skew):
    """A partner whose clock is SKEW seconds ahead (a stand-in answering ha-heartbeat): over
    30 s Kea's rule warns (HA_HIGH_CLOCK_SKEW), over 60 s it terminates HA
    (HA_HIGH_CLOCK_SKEW_CAUSES_TERMINATION, HA_TERMINATED; state terminated, which still
    serves the default scopes). lessor and Kea 2.2 on the same stand-in."""
    if kind == "kea":
        need_tools("kea-dhcp4")
    fake = standin_http.start(pair.net, pair.sb.srv, "ha-partner", ADDRS["standby"],
                              PORTS["standby"], arg=skew)
    try:
        primary = start_half(pair.tmp, pair.net, "primary", kind, pair.made)
        if skew > 60:
            primary.wait_log(r"HA_HIGH_CLOCK_SKEW_CAUSES_TERMINATION", 20)
            primary.wait_log(r"HA_TERMINATED", 10)
            wait_states(pair.net, {"primary": "terminated"}, 10)
            # terminated keeps serving the default scopes (the primary's: everyone)
            assert dora(pair.net, PRIMARY_ADDR, timeout=1)
        else:
            primary.wait_log(r"HA_HIGH_CLOCK_SKEW", 20)
            time.sleep(2)
            assert ha_state(pair.net, "primary") != "terminated"
            assert "HA_TERMINATED" not in primary.log()
        print("CLOCK SKEW %d s, %s: %s" % (skew, kind, ha_state(pair.net, "primary")))
    finally:
        fake.kill()
        fake.wait(5)
