"""The container image (issue 8, item 5): the repository's Containerfile, built with podman from
Debian bases made by mmdebstrap (no registry here; tests/system/podman.py), run in the test's
srv namespace (--network ns:) with only NET_BIND_SERVICE and NET_RAW, as its non-root user.

- the image: lessor, lessor-admin, lessor-probe and the entry point; runs as uid lessor; no
  compiler in it; STOPSIGNAL SIGTERM and a HEALTHCHECK.
- served: the demo configuration (examples/lessor.json, memfile in a volume) given by
  LESSOR_CONFIG; lessor-probe from the cli namespace gets an ACK, perfdhcp 100 DORAs.
- health: `podman healthcheck run` (GET /health + a relayed DORA by lessor-probe inside the
  container) turns the container's status healthy.
- stop: `podman stop` (SIGTERM) exits 0 well inside the grace period, and every lease that was
  ACKed is in the lease file on the volume.
- a configuration that cannot be read: the container exits non-zero, naming it.
- the entry point's schema step (item 3) on a real MariaDB: an empty database gets db-init, Kea
  2.2's (14.0) db-upgrade to 19.0, both before lessor starts, which then writes its leases to
  lease4; with no database the step retries for DB_WAIT seconds, then exits 1 naming it.
"""

import json
import os
import re
import time

import pytest

import dbserver
from conftest import (PERF_BASE_MAC, RELAY_ADDR, SRC, SRV_ADDR, active_leases, mac_seq, missing,
                      need_tools, perfdhcp)
from podman import Podman
from test_probe import MAC, probe

LESSOR_UID = 967                  # the Containerfile's LESSOR_UID
HEALTH_GIADDR = "10.99.0.1"       # the health probe's relay address, on lo in the srv namespace
HEALTH_MAC = "02:0b:ea:17:00:01"
N_PERF = 100


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """The image under test: the sources' (podman.Podman.lessor_image: built unless a
    container test already built these sources), or (while working on the tests) the one
    named by LESSOR_CONTAINER_IMAGE."""
    pod = Podman(tmp_path_factory.mktemp("podman"))
    given = os.environ.get("LESSOR_CONTAINER_IMAGE")
    if given:
        return pod, given
    tag, secs = pod.lessor_image()
    print("image %s (%.0f s building)" % (tag, secs))
    return pod, tag


def demo_config(lease_path):
    """examples/lessor.json (comments stripped), for a container: UDP sockets on every
    interface, its memfile on the volume, and a subnet for the health probe's giaddr."""
    with open(os.path.join(SRC, "examples", "lessor.json")) as f:
        text = f.read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"(?m)^\s*//.*$", "", text)
    cfg = json.loads(text)
    d4 = cfg["Dhcp4"]
    d4["interfaces-config"] = {"interfaces": ["*"], "dhcp-socket-type": "udp"}
    d4["lease-database"]["name"] = lease_path
    d4["control-socket"]["socket-name"] = "/tmp/lessor-ctrl.sock"
    d4["subnet4"].append({"id": 99, "subnet": "10.99.0.0/24",
                          "pools": [{"pool": "10.99.0.100 - 10.99.0.199"}]})
    return cfg


_seq = iter(range(1 << 30))


class Container:
    def __init__(self, pod, tag, net, tmp_path, env, cfg=None, volumes=()):
        self.pod, self.net = pod, net
        self.name = "lessor-test-%d-%d" % (os.getpid(), next(_seq))
        self.data = tmp_path / ("data-" + self.name)
        self.data.mkdir()
        os.chown(self.data, LESSOR_UID, LESSOR_UID)
        self.lease_path = str(self.data / "leases4.csv")
        path = tmp_path / ("lessor-%s.json" % self.name)
        path.write_text(json.dumps(cfg or demo_config("/var/lib/lessor/leases4.csv"), indent=2))
        args = ["run", "-d", "--name", self.name, "--network", "ns:/run/netns/" + net.srv,
                "--cap-drop=all", "--cap-add=NET_BIND_SERVICE,NET_RAW",
                "-v", "%s:/var/lib/lessor" % self.data, "-v", "%s:/etc/lessor/test.json:ro" % path,
                "-e", "LESSOR_CONFIG=/etc/lessor/test.json"]
        for v in volumes:
            args += ["-v", v]
        for k, v in env.items():
            args += ["-e", "%s=%s" % (k, v)]
        self.args = args + [tag]

    def start(self):
        self.pod.run(*self.args, timeout=60)
        return self

    def logs(self):
        return self.pod.run("logs", self.name, check=False).stdout

    def state(self, field):
        return self.pod.inspect(self.name, "{{.State.%s}}" % field)

    def wait_log(self, pattern, timeout=30):
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.logs()):
            assert self.state("Running") == "true", "container stopped:\n" + self.logs()
            assert time.monotonic() < deadline, "no %r in the log:\n%s" % (pattern, self.logs())
            time.sleep(0.3)

    def remove(self):
        self.pod.remove_container(self.name)


@pytest.fixture
def container(image, netpair, tmp_path):
    pod, tag = image
    # The health probe relays from HEALTH_GIADDR inside the container's own namespace.
    netpair.run(netpair.srv, ["ip", "addr", "add", HEALTH_GIADDR + "/32", "dev", "lo"],
                check=True)
    made = []

    def make(cfg=None, volumes=(), **env):
        c = Container(pod, tag, netpair, tmp_path, env, cfg=cfg, volumes=volumes)
        made.append(c)
        return c

    try:
        yield make
    finally:
        for c in made:
            c.remove()


def test_image_contents(image):
    pod, tag = image
    info = json.loads(pod.run("image", "inspect", tag).stdout)[0]
    cfg = info["Config"]
    assert cfg["User"] == "lessor", cfg
    assert cfg["StopSignal"] in ("SIGTERM", "15"), cfg
    assert info["Healthcheck"]["Test"] == ["CMD", "/usr/sbin/lessor-healthcheck"], info
    r = pod.run("run", "--rm", "--no-healthcheck", "--entrypoint", "/bin/sh", tag, "-c",
                "echo uid $(id -u); lessor -v; lessor-admin -v; lessor-probe --help >/dev/null;"
                " echo probe $?; command -v gcc cc cmake || echo no-toolchain", timeout=60)
    lines = r.stdout.splitlines()
    assert "uid %d" % LESSOR_UID in lines, r.stdout
    assert "probe 0" in lines and "no-toolchain" in lines, r.stdout
    assert re.search(r"(?m)^2\.4\.1-lessor-", r.stdout), r.stdout
    size = int(pod.inspect(tag, "{{.Size}}"))
    print("image size %.0f MB" % (size / 1e6))


def test_serve_health_stop(container, netpair):
    c = container(LESSOR_PROBE="-l %s -b mac=%s -W 2000000 --release %s" % (
        HEALTH_GIADDR, HEALTH_MAC, SRV_ADDR)).start()
    c.wait_log(r"DHCP4_STARTED")

    # lessor runs as the image's user with exactly the two capabilities, as PID 1.
    pid = int(c.state("Pid"))
    with open("/proc/%d/status" % pid) as f:
        status = f.read()
    assert re.search(r"(?m)^Uid:\s+%d\s" % LESSOR_UID, status), status
    eff = int(re.search(r"(?m)^CapEff:\s+(\w+)", status).group(1), 16)
    assert eff == (1 << 10) | (1 << 13), "CapEff %x: want NET_BIND_SERVICE + NET_RAW" % eff
    with open("/proc/%d/cmdline" % pid) as f:
        assert f.read().split("\0")[0] == "lessor"

    assert c.state("Health.Status") == "starting"
    r = c.pod.run("healthcheck", "run", c.name, check=False, timeout=30)
    assert r.returncode == 0, r.stdout
    assert c.state("Health.Status") == "healthy", c.state("Health")
    last = json.loads(c.pod.inspect(c.name, "{{json .State.Health.Log}}"))[-1]
    assert re.search(r"result: ACK 10\.99\.0\.\d+", last["Output"]), last
    # The check fails when its DORA gets no answer (a server address nobody has).
    r = c.pod.run("exec", "-e", "LESSOR_PROBE=-l %s -b mac=%s -W 300000 192.0.2.99" % (
        HEALTH_GIADDR, HEALTH_MAC), c.name, "lessor-healthcheck", check=False, timeout=30)
    assert r.returncode == 1 and "no OFFER" in r.stdout, r.stdout

    rc, out = probe(netpair, "-l", RELAY_ADDR, "-b", "mac=" + MAC, "-W", "2000000", SRV_ADDR)
    assert rc == 0, out
    probe_addr = re.search(r"result: ACK (\S+)", out).group(1)

    res = perfdhcp(netpair, N_PERF, rate=200)
    assert res.all_acked(N_PERF), res

    t0 = time.monotonic()
    c.pod.run("stop", "-t", "10", c.name, timeout=30)
    took = time.monotonic() - t0
    assert c.state("ExitCode") == "0", c.logs()
    assert took < 5, "SIGTERM took %.1f s (podman kills after 10)" % took
    assert "DHCP4_SHUTDOWN" in c.logs(), c.logs()

    leases = active_leases(c.lease_path)
    got = {r["hwaddr"].lower(): a for a, r in leases.items()}
    want = mac_seq(PERF_BASE_MAC, N_PERF)
    assert all(m in got for m in want), "%d of %d perfdhcp clients in the lease file" % (
        sum(m in got for m in want), N_PERF)
    assert got.get(MAC) == probe_addr, (probe_addr, got.get(MAC))
    print("SIGTERM stop %.2f s; %d leases in the file" % (took, len(leases)))


def test_missing_config_exits(container):
    """A configuration that cannot be read: the container exits non-zero, naming it."""
    c = container(LESSOR_CONFIG="/etc/lessor/missing.json").start()
    deadline = time.monotonic() + 20
    while c.state("Running") == "true" and time.monotonic() < deadline:
        time.sleep(0.3)
    assert c.state("Running") == "false" and c.state("ExitCode") != "0", c.logs()
    assert "missing.json" in c.logs(), c.logs()


def test_schema_step_waits_then_fails(container):
    """DB_HOST set but no database: the entry point retries db-init for DB_WAIT seconds, then
    exits 1 naming the database, before lessor ever starts."""
    c = container(DB_HOST="127.0.0.1", DB_PORT="20401", DB_USER="kea", DB_PASS="kea",
                  DB_NAME="kea", DB_WAIT="4").start()
    deadline = time.monotonic() + 30
    while c.state("Running") == "true" and time.monotonic() < deadline:
        time.sleep(0.3)
    logs = c.logs()
    assert c.state("ExitCode") == "1", logs
    assert "lease database kea on 127.0.0.1 not ready after 4 s" in logs, logs
    assert "DHCP4_STARTED" not in logs, logs


@pytest.fixture
def mariadb():
    """A MariaDB (dbserver.py) with an empty database and one with Kea 2.2's schema (kea-admin
    db-init); the containers reach it over its UNIX socket, mounted where libmariadb looks for
    'localhost' (the srv namespace has no route to the host's 127.0.0.1)."""
    (ka,) = need_tools("kea-admin")
    try:
        with dbserver.kea22_mariadb(ka, ["fresh", "kea22"], kea22=["kea22"]) as db:
            yield db
    except FileNotFoundError as e:
        missing(str(e))


def test_schema_step_mariadb(container, netpair, mariadb):
    """Item 3: with DB_* set, the entry point creates the schema of an empty database (db-init)
    and upgrades Kea 2.2's (14.0) before lessor serves; the lease-database's <DB_*> placeholders
    are filled from the same variables, and the ACKed leases are rows of lease4."""
    cfg = demo_config("/var/lib/lessor/unused.csv")
    cfg["Dhcp4"]["lease-database"] = {"type": "mysql", "name": "<DB_NAME>", "user": "<DB_USER>",
                                      "password": "<DB_PASS>", "host": "<DB_HOST>"}
    sock = ["%s:/run/mysqld/mysqld.sock" % mariadb.socket]
    env = dict(DB_HOST="localhost", DB_USER="kea", DB_PASS="kea", DB_WAIT="20")
    for name, step in (("fresh", "lease database schema created (db-init)"),
                       ("kea22", "Upgrading schema 14.0 to 19.0")):
        c = container(cfg=cfg, volumes=sock, DB_NAME=name, **env).start()
        c.wait_log(r"DHCP4_STARTED", timeout=60)
        logs = c.logs()
        assert step in logs, logs
        assert logs.index(step) < logs.index("DHCP4_STARTED"), logs
        assert mariadb.sql(name, "SELECT version, minor FROM schema_version") == [("19", "0")]
        r = c.pod.run("healthcheck", "run", c.name, check=False, timeout=30)
        assert r.returncode == 0, r.stdout + c.logs()
        res = perfdhcp(netpair, 20, rate=50, wait_s=2)  # shared cores: slow DB commits
        assert res.all_acked(20), "%r\ncontainer log:\n%s" % (res, c.logs()[-6000:])
        rows = mariadb.sql(name, "SELECT COUNT(*) FROM lease4")
        assert int(rows[0][0]) >= 20, rows
        c.pod.run("stop", "-t", "10", c.name, timeout=30)
        assert c.state("ExitCode") == "0", c.logs()
