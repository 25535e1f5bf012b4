"""System-test fixtures: the real server binary in a pair of network namespaces.

Every test gets its own pair of namespaces joined by a veth pair (docs: /work/shared/NOTES.md):

    netns cli: vcli 192.0.2.2/24 and 10.0.0.2/16 (relay giaddr)  <== veth ==>
    netns srv: vsrv 192.0.2.1/24, route 10.0.0.0/16 via 192.0.2.2, server on 192.0.2.1

The same tests run against lessor ($LESSOR_BIN, the default) or, with LESSOR_TEST_SERVER=kea,
against ISC Kea 2.2 (kea-dhcp4) with the very same configuration file. Running them against
Kea first proves that a test checks real behaviour; running them against lessor proves lessor.

Missing prerequisites (root, ip netns, perfdhcp, kea-dhcp4, ...) skip a test; a file whose
tests were all skipped exits 77 (ctest's SKIP_RETURN_CODE). With LESSOR_TEST_REQUIRE_ALL=1 a
missing prerequisite is a failure instead (CI must never skip silently).

Everything is bounded: every subprocess has a timeout, every test an alarm (TEST_TIMEOUT), and
namespaces plus every process inside them are removed on teardown, pass or fail.
"""

import atexit
import csv
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.environ.get("LESSOR_SRC") or os.path.abspath(os.path.join(HERE, "..", ".."))
SERVER_KIND = os.environ.get("LESSOR_TEST_SERVER", "lessor")
REQUIRE_ALL = os.environ.get("LESSOR_TEST_REQUIRE_ALL") == "1"
TEST_TIMEOUT = int(os.environ.get("LESSOR_TEST_TIMEOUT", "150"))
PYTHON = "/usr/bin/python3"

SRV_ADDR = "192.0.2.1"
CLI_ADDR = "192.0.2.2"
RELAY_ADDR = "10.0.0.2"
SRV_IF = "vsrv"
CLI_IF = "vcli"
PERF_BASE_MAC = "00:0c:01:02:03:04"  # perfdhcp's default first MAC


def server_binary(kind=SERVER_KIND):
    """Path of the server binary of KIND: 'lessor' ($LESSOR_BIN, else build/dev/lessor) or
    'kea' (kea-dhcp4 from PATH or /usr/sbin)."""
    if kind == "kea":
        return shutil.which("kea-dhcp4") or "/usr/sbin/kea-dhcp4"
    return os.environ.get("LESSOR_BIN") or os.path.join(SRC, "build", "dev", "lessor")


# ---------------------------------------------------------------------------------------------
# prerequisites, skip accounting, exit code 77, per-test alarm


def missing(reason):
    """A prerequisite is missing: skip the test, or fail it under LESSOR_TEST_REQUIRE_ALL=1."""
    if REQUIRE_ALL:
        pytest.fail("missing prerequisite (LESSOR_TEST_REQUIRE_ALL=1): " + reason, pytrace=False)
    pytest.skip("SKIP: " + reason)


def need_tools(*tools):
    """Skip (or fail) unless every named executable is installed; returns their paths."""
    paths = []
    for t in tools:
        p = shutil.which(t) or (os.path.exists("/usr/sbin/" + t) and "/usr/sbin/" + t) or None
        if not p:
            missing("%s is not installed" % t)
        paths.append(p)
    return paths


def need_root():
    if os.geteuid() != 0:
        missing("system tests need root (network namespaces)")


def lessor_only(why):
    """Mark a test that cannot pass against real Kea (a deliberate lessor property)."""
    if SERVER_KIND == "kea":
        pytest.skip("lessor only: " + why)


_outcomes = {"passed": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        if report.outcome in _outcomes:
            _outcomes[report.outcome] += 1


def pytest_sessionfinish(session, exitstatus):
    # Everything skipped and nothing failed: tell ctest "skipped" (77), not "passed".
    if _outcomes["skipped"] and not _outcomes["passed"] and not _outcomes["failed"] \
            and exitstatus in (0, 5):
        session.exitstatus = 77


class TimeLimitExceeded(Exception):
    pass


def _alarm(signum, frame):
    raise TimeLimitExceeded("test exceeded %d s (LESSOR_TEST_TIMEOUT)" % TEST_TIMEOUT)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(TEST_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------------------------------------
# network namespaces

_live_netns = set()


def _run(cmd, timeout=10, check=True, **kw):
    return subprocess.run(cmd, timeout=timeout, check=check, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, **kw)


def _netns_kill_all(name):
    """SIGKILL every process still inside namespace NAME (ip netns del does not)."""
    for _ in range(20):
        r = subprocess.run(["ip", "netns", "pids", name], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True, timeout=5)
        pids = [int(p) for p in r.stdout.split()]
        if not pids:
            return
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)


def _netns_delete(name):
    try:
        _netns_kill_all(name)
    finally:
        subprocess.run(["ip", "netns", "del", name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=10)
        _live_netns.discard(name)


@atexit.register
def _cleanup_leftovers():
    for n in list(_live_netns):
        _netns_delete(n)


_seq = itertools.count()


class NsRun:
    """Commands inside network namespaces, bounded in time."""

    def cmd(self, ns, argv):
        return ["ip", "netns", "exec", ns] + list(argv)

    def run(self, ns, argv, timeout=60, check=False, **kw):
        """Run ARGV inside namespace NS (self.srv or self.cli) with a timeout."""
        return subprocess.run(self.cmd(ns, argv), timeout=timeout, check=check,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)

    def popen(self, ns, argv, **kw):
        """Start ARGV in namespace NS. `ip netns exec` execs directly: the pid is ARGV's."""
        return subprocess.Popen(self.cmd(ns, argv), **kw)


class NetPair(NsRun):
    """Two namespaces, srv and cli, joined by a veth pair (interfaces vsrv and vcli)."""

    def __init__(self, srv_addrs=(SRV_ADDR + "/24",),
                 cli_addrs=(CLI_ADDR + "/24", RELAY_ADDR + "/16"),
                 routes=(("10.0.0.0/16", CLI_ADDR),)):
        tag = "%d-%d" % (os.getpid(), next(_seq))
        self.srv = "lsr-srv-" + tag
        self.cli = "lsr-cli-" + tag
        # Temporary link names are unique host-wide (15 chars max); renamed inside the netns.
        short = "%x%x" % (os.getpid() & 0xffffff, next(_seq) & 0xff)
        vs, vc = "ls" + short, "lc" + short
        try:
            for n in (self.srv, self.cli):
                _run(["ip", "netns", "add", n])
                _live_netns.add(n)
            cmds = [
                ["ip", "link", "add", vs, "type", "veth", "peer", "name", vc],
                ["ip", "link", "set", vs, "netns", self.srv],
                ["ip", "link", "set", vc, "netns", self.cli],
                ["ip", "-n", self.srv, "link", "set", vs, "name", SRV_IF],
                ["ip", "-n", self.cli, "link", "set", vc, "name", CLI_IF],
                ["ip", "-n", self.srv, "link", "set", "lo", "up"],
                ["ip", "-n", self.cli, "link", "set", "lo", "up"],
                ["ip", "-n", self.srv, "link", "set", SRV_IF, "up"],
                ["ip", "-n", self.cli, "link", "set", CLI_IF, "up"],
            ]
            cmds += [["ip", "-n", self.srv, "addr", "add", a, "dev", SRV_IF] for a in srv_addrs]
            cmds += [["ip", "-n", self.cli, "addr", "add", a, "dev", CLI_IF] for a in cli_addrs]
            cmds += [["ip", "-n", self.srv, "route", "add", net, "via", gw, "dev", SRV_IF]
                     for net, gw in routes]
            for c in cmds:
                _run(c)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            self.close()
            out = getattr(e, "output", "") or ""
            missing("cannot set up network namespaces: %s %s" % (e, out.strip()))
        self._wait_link_up()

    def _wait_link_up(self):
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            r = _run(["ip", "-n", self.srv, "-o", "link", "show", SRV_IF], check=False)
            if "LOWER_UP" in r.stdout:
                return
            time.sleep(0.05)

    def close(self):
        for n in (self.srv, self.cli):
            if n in _live_netns:
                _netns_delete(n)


@pytest.fixture
def netpair():
    need_root()
    need_tools("ip")
    pair = NetPair()
    try:
        yield pair
    finally:
        pair.close()


# ---------------------------------------------------------------------------------------------
# configuration


def base_config(tmpdir, subnets=None, valid_lifetime=4000, socket_type=None, interfaces=None,
                **extra):
    """A Kea-format Dhcp4 configuration that lessor and kea-dhcp4 both accept.

    Default subnets: id 1 = 10.0.0.0/16 (relayed clients, giaddr 10.0.0.2), pool
    10.0.1.0-10.0.10.255; id 2 = 192.0.2.0/24 (direct clients on vsrv), pool .100-.200.
    The memfile lives in TMPDIR; the lease file cleanup (LFC) is off so the file is append-only.
    """
    if subnets is None:
        subnets = [
            {"id": 1, "subnet": "10.0.0.0/16",
             "pools": [{"pool": "10.0.1.0 - 10.0.10.255"}]},
            {"id": 2, "subnet": "192.0.2.0/24",
             "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}]},
        ]
    ifcfg = {"interfaces": interfaces or [SRV_IF]}
    if socket_type:
        ifcfg["dhcp-socket-type"] = socket_type
    d4 = {
        "interfaces-config": ifcfg,
        "lease-database": {"type": "memfile", "persist": True,
                           "name": os.path.join(str(tmpdir), "leases4.csv"),
                           "lfc-interval": 0},
        "valid-lifetime": valid_lifetime,
        "subnet4": subnets,
        "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                     "output_options": [{"output": "stdout"}]}],
    }
    d4.update(extra)
    return {"Dhcp4": d4}


# ---------------------------------------------------------------------------------------------
# memfile CSV (Kea's lease4 format: address,hwaddr,client_id,valid_lifetime,expire,subnet_id,
# fqdn_fwd,fqdn_rev,hostname,state,user_context[,pool_id])


def read_lease_rows(path):
    """Every row of a memfile, in file order, as dicts keyed by the header's column names."""
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        lines = [ln for ln in f if ln.strip()]
    if not lines:
        return []
    rows = []
    for r in csv.DictReader(lines):
        if r.get("address") in (None, "address"):
            continue  # a header repeated after a rewrite
        rows.append(r)
    return rows


def active_leases(path, now=None):
    """The leases a server would load: the last row per address wins (the memfile is an
    append-only journal); a row with valid_lifetime 0 is a deletion; state 0 = default,
    1 = declined, 2 = expired-reclaimed. Returns {address: row} for state-0, unexpired leases."""
    now = time.time() if now is None else now
    last = {}
    for r in read_lease_rows(path):
        try:
            vl, exp, st = int(r["valid_lifetime"]), int(r["expire"]), int(r.get("state") or 0)
        except (TypeError, ValueError):
            continue  # a torn or malformed row: servers discard it on load, so do we
        last[r["address"]] = (r, vl, exp, st)
    out = {}
    for a, (r, vl, exp, st) in last.items():
        if vl == 0 or st != 0 or exp < now:
            continue
        out[a] = r
    return out


def by_hwaddr(leases):
    """{hwaddr: address} from active_leases(); fails on two leases for one hwaddr."""
    out = {}
    for a, r in leases.items():
        hw = r["hwaddr"].lower()
        assert hw not in out, "hwaddr %s holds two leases: %s and %s" % (hw, out[hw], a)
        out[hw] = a
    return out


def mac_seq(base, n):
    """The N MACs perfdhcp generates from BASE with -R N (base, base+1, ...)."""
    v = int(base.replace(":", ""), 16)
    return [":".join("%02x" % ((v + i) >> s & 0xff) for s in range(40, -8, -8)) for i in range(n)]


def ip2int(a):
    p = [int(x) for x in a.split(".")]
    return p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]


# ---------------------------------------------------------------------------------------------
# the server process


class Server:
    """lessor or kea-dhcp4 inside the srv namespace, configured from a dict, logging to a file."""

    def __init__(self, net, tmpdir, kind=SERVER_KIND):
        self.net = net
        self.dir = str(tmpdir)
        self.kind = kind
        self.bin = server_binary(kind)
        if not self.bin or not os.access(self.bin, os.X_OK):
            missing("server binary %r (%s) is not built/installed" % (self.bin, kind))
        self.cfg_path = os.path.join(self.dir, "server.json")
        self.log_path = os.path.join(self.dir, "server.log")
        self.lease_path = os.path.join(self.dir, "leases4.csv")
        self.proc = None
        self._logf = None
        self._log_start = 0
        self.config = None
        self.extra_args = []      # appended to the command line (e.g. lessor's -a FILE)
        self.env_extra = {}       # added to the server's environment (e.g. LESSOR_ALLOC_SPREAD)

    # configuration ---------------------------------------------------------------------
    def write_config(self, cfg=None, text=None):
        if text is None:
            if cfg is None:
                cfg = base_config(self.dir)
            self.config = cfg
            d4 = cfg.get("Dhcp4", {})
            ld = d4.get("lease-database", {})
            if ld.get("type") == "memfile" and ld.get("name"):
                self.lease_path = ld["name"]
            text = json.dumps(cfg, indent=2) + "\n"
        with open(self.cfg_path, "w") as f:
            f.write(text)
        return self.cfg_path

    def env(self):
        e = dict(os.environ)
        e["KEA_PIDFILE_DIR"] = self.dir
        e["KEA_LOCKFILE_DIR"] = self.dir
        e.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0")
        e.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
        e.update(self.env_extra)
        return e

    # lifecycle ---------------------------------------------------------------------------
    def start(self, cfg=None, wait=True, timeout=30):
        if cfg is not None or not os.path.exists(self.cfg_path):
            self.write_config(cfg)
        assert self.proc is None or self.proc.poll() is not None, "server already running"
        self._logf = open(self.log_path, "ab")
        self._log_start = self._logf.tell()
        self.proc = self.net.popen(self.net.srv, [self.bin, "-c", self.cfg_path] + self.extra_args,
                                   stdout=self._logf, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=self.env(), cwd=self.dir)
        if wait:
            self.wait_ready(timeout)
        return self

    def log_since_start(self):
        with open(self.log_path, "rb") as f:
            f.seek(self._log_start)
            return f.read().decode(errors="replace")

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")

    def wait_log(self, pattern, timeout=20, since=None):
        """Wait until regex PATTERN appears in the log (after offset SINCE); returns the match."""
        since = self._log_start if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            with open(self.log_path, "rb") as f:
                f.seek(since)
                text = f.read().decode(errors="replace")
            m = re.search(pattern, text)
            if m:
                return m
            if self.proc.poll() is not None:
                raise AssertionError("%s exited with %s before logging %r; log:\n%s"
                                     % (self.kind, self.proc.returncode, pattern, text[-4000:]))
            if time.monotonic() > deadline:
                raise AssertionError("%s did not log %r within %ss; log:\n%s"
                                     % (self.kind, pattern, timeout, text[-4000:]))
            time.sleep(0.05)

    def log_offset(self):
        return os.path.getsize(self.log_path)

    def wait_ready(self, timeout=30):
        """Ready = the log line DHCP4_STARTED (Kea's and lessor's), then a DORA probe
        (a relayed DISCOVER answered by an OFFER; offers are not persisted)."""
        self.wait_log(r"DHCP4_STARTED", timeout)
        if self.config and _has_relay_subnet(self.config):
            deadline = time.monotonic() + 10
            while not probe_offer(self.net):
                assert self.alive(), "server died after start:\n" + self.log_since_start()
                assert time.monotonic() < deadline, \
                    "no OFFER to a relayed DISCOVER after DHCP4_STARTED:\n" + \
                    self.log_since_start()[-4000:]

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid

    def signal(self, sig):
        self.proc.send_signal(sig)

    def stop(self, timeout=15):
        """SIGTERM and wait; returns the exit status (SIGKILL after TIMEOUT, then fails)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
                raise AssertionError("%s ignored SIGTERM for %ss" % (self.kind, timeout))
        rc = self.proc.returncode
        self._close_log()
        return rc

    def stop_clean(self, timeout=15):
        """stop(), and fail with the log's tail unless the server exited 0 (a sanitizer report,
        a leak or a crash on the way out makes it non-zero)."""
        rc = self.stop(timeout)
        assert rc == 0, "%s exited %s on SIGTERM; log tail:\n%s" % (
            self.kind, rc, self.log_since_start()[-4000:])

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._close_log()

    def _close_log(self):
        if self._logf:
            self._logf.close()
            self._logf = None

    def restart(self, timeout=30):
        rc = self.stop()
        self.start(wait=True, timeout=timeout)
        return rc

    def leases(self):
        return active_leases(self.lease_path)

    def cleanup(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                pass
        self._close_log()


def _has_relay_subnet(cfg):
    for s in cfg.get("Dhcp4", {}).get("subnet4", []):
        if s.get("subnet") == "10.0.0.0/16":
            return True
    for sn in cfg.get("Dhcp4", {}).get("shared-networks", []):
        for s in sn.get("subnet4", []):
            if s.get("subnet") == "10.0.0.0/16":
                return True
    return False


@pytest.fixture
def server(netpair, tmp_path):
    """The server under test (not started): server.start(cfg) runs it in netpair.srv."""
    s = Server(netpair, tmp_path)
    try:
        yield s
    finally:
        s.cleanup()


@pytest.fixture
def make_server(netpair, tmp_path):
    """Factory for extra servers of a given kind ('lessor'/'kea') in the same namespaces,
    each with its own directory: make_server('kea', subdir)."""
    made = []

    def make(kind=SERVER_KIND, name=None):
        d = tmp_path / (name or ("%s-%d" % (kind, len(made))))
        d.mkdir(exist_ok=True)
        s = Server(netpair, d, kind=kind)
        made.append(s)
        return s

    try:
        yield make
    finally:
        for s in made:
            s.cleanup()


# ---------------------------------------------------------------------------------------------
# clients

PROBE = r"""
import socket, struct, sys, os, select, time
giaddr, server = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((giaddr, 67))
xid = os.getpid() & 0xffffffff
mac = bytes.fromhex("02feedbeef01")
gi = struct.unpack("!I", socket.inet_aton(giaddr))[0]
pkt = struct.pack("!BBBBIHHIIII16s64s128s", 1, 1, 6, 1, xid, 0, 0, 0, 0, 0, gi, mac, b"", b"")
pkt += bytes([99, 130, 83, 99, 53, 1, 1, 255])
s.sendto(pkt, (server, 67))
end = time.monotonic() + float(sys.argv[3])
while time.monotonic() < end:
    r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
    if not r:
        break
    data = s.recv(4096)
    if len(data) >= 240 and struct.unpack("!I", data[4:8])[0] == xid:
        print("OFFER", socket.inet_ntoa(data[16:20]))
        sys.exit(0)
sys.exit(1)
"""


def probe_offer(net, timeout=1.0):
    """Send one relayed DISCOVER (giaddr 10.0.0.2, from port 67) and wait for the reply.
    Needs port 67 on 10.0.0.2 free in the cli namespace (not while perfdhcp runs)."""
    r = net.run(net.cli, [PYTHON, "-c", PROBE, RELAY_ADDR, SRV_ADDR, str(timeout)],
                timeout=timeout + 10)
    return r.returncode == 0


class PerfResult:
    def __init__(self, out, rc):
        self.out = out
        self.rc = rc
        self.sections = {}
        cur = None
        for line in out.splitlines():
            m = re.match(r"\*\*\*Statistics for: (\S+)\*\*\*", line)
            if m:
                cur = self.sections.setdefault(m.group(1), {})
                continue
            m = re.match(r"\s*([a-z ]+):\s*([0-9.]+)", line)
            if m and cur is not None and m.group(1) not in cur:
                cur[m.group(1)] = float(m.group(2))

    def get(self, section, key):
        return int(self.sections.get(section, {}).get(key, 0))

    def all_acked(self, n):
        """Every exchange perfdhcp started was ACKed, and at least N of them (perfdhcp -n N
        now and then starts one more than N, for a client it has already served)."""
        return self.acks >= n and self.acks == self.discovers

    @property
    def discovers(self):
        return self.get("DISCOVER-OFFER", "sent packets")

    @property
    def offers(self):
        return self.get("DISCOVER-OFFER", "received packets")

    @property
    def requests(self):
        return self.get("REQUEST-ACK", "sent packets")

    @property
    def acks(self):
        return self.get("REQUEST-ACK", "received packets")

    def __repr__(self):
        return "PerfResult(rc=%s, %r)\n%s" % (self.rc, self.sections, self.out)


PERF_NEVER = 1000000000


def perfdhcp(net, n, clients=None, rate=200, base_mac=None, period=None, wait_s=1,
             extra=(), timeout=None, relay=RELAY_ADDR, server_addr=SRV_ADDR, drop_s=2):
    """Relayed DORA from the cli namespace: perfdhcp as relay RELAY (10.0.0.2) -> SERVER_ADDR
    (192.0.2.1). N exchanges over CLIENTS distinct MACs (default N) starting at BASE_MAC.
    A reply later than DROP_S seconds counts as lost (perfdhcp -d)."""
    (pd,) = need_tools("perfdhcp")
    clients = n if clients is None else clients
    # A second -n (REQUESTs) that is never reached: perfdhcp ends its -W wait as soon as the
    # OFFERs and ACKs it received add up to the sum of its -n values, so with one -n N it
    # quit at N replies (15 OFFERs + 5 ACKs of 20 clients when the ACKs came later than the
    # DISCOVERs went out), and -n N -n N still quits early when it starts N + 1 exchanges,
    # which it now and then does (N + 1 OFFERs + N - 1 ACKs). Now it always waits out -W
    # after the last DISCOVER (test_harness.py).
    argv = [pd, "-4", "-l", relay, "-r", str(rate), "-R", str(clients), "-n", str(n),
            "-n", str(PERF_NEVER), "-d", str(drop_s), "-W", str(int(wait_s * 1000000))]
    if base_mac:
        argv += ["-b", "mac=" + base_mac]
    if period:
        argv += ["-p", str(period)]
    argv += list(extra) + [server_addr]
    if timeout is None:
        timeout = n / max(rate, 1) + wait_s + 30
    r = net.run(net.cli, argv, timeout=timeout)
    return PerfResult(r.stdout, r.returncode)


def serve_clients(server, n, base_mac, rate=200):
    """Relayed DORA for N clients from BASE_MAC; asserts all are ACKed and returns
    {hwaddr: address} of exactly those clients from the memfile."""
    r = perfdhcp(server.net, n=n, rate=rate, base_mac=base_mac)
    # perfdhcp -n N now and then starts one exchange more than N (for a client it
    # already served): every exchange it started must be ACKed, and at least N.
    assert r.all_acked(n), "%s ACKed %d of %d (%d DISCOVERs)\n%r" % (
        server.kind, r.acks, n, r.discovers, r)
    want = set(mac_seq(base_mac, n))
    got = {hw: a for hw, a in by_hwaddr(server.leases()).items() if hw in want}
    assert len(got) == n, "%d of %d clients in the lease file" % (len(got), n)
    return got


NEW_MAC = "00:0c:0e:00:00:00"  # clients never seen before a restart / hand-over


def assert_remembers(server, old, n_new=50):
    """The server must know the leases in OLD ({hwaddr: address}): clients it has never seen
    get other addresses, and the old clients get their old addresses back. (Asking the old
    clients first would not prove anything: an iterative allocator that forgot everything would
    hand the same sequential MACs the same sequential addresses.)"""
    fresh = serve_clients(server, n_new, NEW_MAC)
    taken = set(fresh.values()) & set(old.values())
    assert not taken, "%s gave new clients addresses still leased to others: %s" % (
        server.kind, sorted(taken)[:10])
    base = min(old)
    back = serve_clients(server, len(old), base)
    assert back == old, "%s moved %d clients: %s" % (
        server.kind, sum(1 for k in old if back.get(k) != old[k]),
        [(k, old[k], back.get(k)) for k in old if back.get(k) != old[k]][:10])


class Capture:
    """tshark writing a pcap inside a namespace; use as a context manager. The capture is live
    when __enter__ returns, and stopped (SIGINT, file complete) when the block exits."""

    def __init__(self, net, ns, iface, bpf, pcap):
        self.net, self.ns, self.iface, self.bpf, self.pcap = net, ns, iface, bpf, str(pcap)
        self.proc = None

    def __enter__(self):
        self.start()
        return self.wait_live()

    def start(self):
        """Start tshark without waiting (several captures can then start at once)."""
        (self.tshark,) = need_tools("tshark")
        self.proc = self.net.popen(self.ns, [self.tshark, "-n", "-i", self.iface, "-f", self.bpf,
                                             "-w", self.pcap],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def wait_live(self):
        """Wait until the capture started by start() is live."""
        deadline = time.monotonic() + 20
        buf = ""
        while "Capturing on" not in buf:  # printed once dumpcap is live
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.proc.kill()
                raise AssertionError("tshark did not start: " + buf)
            buf += self.proc.stderr.readline()
        return self

    def __exit__(self, *exc):
        time.sleep(0.3)
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        return False

    def read(self, display_filter, *args):
        """tshark -r PCAP -Y DISPLAY_FILTER ARGS...; returns stdout."""
        r = subprocess.run([self.tshark, "-r", self.pcap, "-Y", display_filter] + list(args),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout
