"""The operator's console at GET / (issue 9, item 1) in a real browser: Debian's headless
chromium driven by playwright-core (npm, /opt/lessor-test-node; console_check.js), against
lessor with the production-scale configuration (tools/gen-prod-config.py: 829 subnets in 142
shared networks) behind Basic authentication, while perfdhcp fills one subnet through a relay.

Checked: the page loads with no console error, no failed request and a strict CSP; the server
view shows version, configuration hash, lease database, DHCP state; all 829 subnets are listed,
the one perfdhcp fills first and highlighted, grouped by shared network, its pool split in
two shown below it with the full one highlighted and the other not (stat-pool4-get), and the
filter finds a site; the ACK and DISCOVER charts move while the load runs; the lease search finds a lease
perfdhcp obtained by address and by MAC; the log view shows the errors of a failed
config-reload; a wrong password gets a 401 and no page, script or data. Screenshots of each
view are left in the build directory (console-artefacts/) as test artefacts.

lessor only: Kea has no console (Stork is a separate product).
"""

import importlib.util
import json
import os
import shutil
import subprocess
import time

import pytest

from conftest import (SERVER_KIND, NetPair, Server, base_config, ip2int, lessor_only, missing,
                      need_root, need_tools)

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "tools", "gen-prod-config.py")
NODE_DIR = "/opt/lessor-test-node"          # .ci/install-deps.sh installs playwright-core there
CHROMIUM = "/usr/bin/chromium"
HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"
HTTP_PORT = 20501                            # inside the test's own namespace
USER, PASSWORD = "operator", "console-pw"
FILL = 414                                   # the subnet perfdhcp fills (the middle one)
CLIENTS = 180                                # of its pool's 211 addresses: 85 %, over 80 %
POOL1 = 150                                  # its pool split: 150 (filled) + 61 (30 used)
LOAD_S = 90


def _gen():
    spec = importlib.util.spec_from_file_location("gen_prod_config", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _artefact_dir():
    """Under the build directory (next to the lessor binary) when there is one."""
    binary = os.environ.get("LESSOR_BIN")
    base = os.path.dirname(binary) if binary else os.path.join(HERE, "..", "..", "build")
    d = os.path.join(base, "console-artefacts")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def _need_browser():
    need_tools("node", "perfdhcp", "curl")
    if not os.access(CHROMIUM, os.X_OK):
        missing("Debian chromium (%s)" % CHROMIUM)
    if not os.path.isdir(os.path.join(NODE_DIR, "node_modules", "playwright-core")):
        missing("playwright-core in %s (.ci/install-deps.sh)" % NODE_DIR)


def _config(g, d):
    cfg = g.generate(seed=1, interface="vsrv", lease_file=os.path.join(d, "leases4.csv"))
    d4 = cfg["Dhcp4"]
    sock = os.path.join(d, "ctl.sock")
    d4["control-socket"] = {"socket-type": "unix", "socket-name": sock}
    d4["hooks-libraries"] = [{"library": HOOKS + "/libdhcp_lease_cmds.so"},
                             {"library": HOOKS + "/libdhcp_stat_cmds.so"}]
    d4["server-tag"] = "console-test"
    cfg["Control-agent"] = {
        "http-host": "127.0.0.1", "http-port": HTTP_PORT,
        "authentication": {"type": "basic", "realm": "lessor",
                           "clients": [{"user": USER, "password": PASSWORD}]},
        "control-sockets": {"dhcp4": {"socket-type": "unix", "socket-name": sock}}}
    return cfg


def _api(net, cmd, **args):
    body = {"command": cmd, "service": ["dhcp4"]}
    if args:
        body["arguments"] = args
    r = net.run(net.srv, ["curl", "-s", "-S", "--max-time", "20", "-u", USER + ":" + PASSWORD,
                          "-H", "Content-Type: application/json", "--data-binary", "@-",
                          "http://127.0.0.1:%d/" % HTTP_PORT],
                input=json.dumps(body), timeout=30)
    assert r.returncode == 0, r.stdout
    return json.loads(r.stdout)[0]


def _wait_http(net, srv, timeout=120):
    deadline = time.monotonic() + timeout
    while True:
        try:
            if _api(net, "version-get")["result"] == 0:
                return
        except (AssertionError, ValueError):
            pass
        assert srv.alive(), srv.log_since_start()[-3000:]
        assert time.monotonic() < deadline, "HTTP listener not up"
        time.sleep(0.5)


def _assigned(net, subnet_id):
    rows = _api(net, "stat-lease4-get", **{"subnet-id": subnet_id})["arguments"]["result-set"]
    return rows["rows"][0][3]


def split_pool(subnet):
    """Split SUBNET's one pool so that perfdhcp's CLIENTS fill the first (POOL1 addresses)
    and leave the second under the threshold; returns the two ranges as the console prints
    them."""
    (pool,) = subnet["pools"]
    first, last = [ip2int(a.strip()) for a in pool["pool"].split("-")]
    assert last - first + 1 > CLIENTS > POOL1
    cut = first + POOL1
    ranges = [(first, cut - 1), (cut, last)]
    subnet["pools"] = [{"pool": "%s - %s" % (int2ip(a), int2ip(b))} for a, b in ranges]
    return ["%s-%s" % (int2ip(a), int2ip(b)) for a, b in ranges]


def int2ip(v):
    return ".".join(str((v >> s) & 255) for s in (24, 16, 8, 0))


def test_console_in_chromium(tmp_path):
    if SERVER_KIND != "lessor":
        lessor_only("Kea has no built-in console")
    need_root()
    _need_browser()
    g = _gen()
    prefix = g.subnet_prefix(FILL)
    relay = prefix + ".2"
    net = NetPair(srv_addrs=("192.0.2.1/24",), cli_addrs=["192.0.2.2/24", relay + "/24"],
                  routes=(("10.64.0.0/10", "192.0.2.2"),))
    srv = load = None
    try:
        d = str(tmp_path)
        cfg = _config(g, d)
        subnets = [s for n in cfg["Dhcp4"]["shared-networks"] for s in n["subnet4"]]
        network_of = {s["id"]: n["name"] for n in cfg["Dhcp4"]["shared-networks"]
                      for s in n["subnet4"]}
        target = subnets[FILL]
        pools = split_pool(target)
        srv = Server(net, d)
        srv.write_config(cfg)
        srv.start(wait=False)
        srv.wait_log(r"DHCP4_STARTED", 120)
        _wait_http(net, srv)

        # a failing reload: two ERROR lines the log view must show; the old config stays
        good_text = open(srv.cfg_path).read()
        with open(srv.cfg_path, "w") as f:
            f.write('{"Dhcp4": {"subnet4": [{"subnet": "bogus"}]}}\n')
        assert _api(net, "config-reload")["result"] == 1
        with open(srv.cfg_path, "w") as f:
            f.write(good_text)

        # load through the relay of one subnet for the whole browser run
        (pd,) = need_tools("perfdhcp")
        logf = open(os.path.join(d, "perfdhcp.log"), "wb")
        load = net.popen(net.cli, [pd, "-4", "-l", relay, "-r", "100", "-R", str(CLIENTS),
                                   "-p", str(LOAD_S), "-W", "1000000", "-b",
                                   "mac=00:0c:09:00:00:00", "192.0.2.1"],
                         stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 40
        while _assigned(net, target["id"]) < CLIENTS * 0.95:
            assert load.poll() is None, open(os.path.join(d, "perfdhcp.log")).read()[-2000:]
            assert time.monotonic() < deadline, "perfdhcp did not fill %s" % target["subnet"]
            time.sleep(0.5)
        leases = _api(net, "lease4-get-all", subnets=[target["id"]])["arguments"]["leases"]
        lease = leases[len(leases) // 2]

        out = _artefact_dir()
        job = {"url": "http://127.0.0.1:%d" % HTTP_PORT, "user": USER, "password": PASSWORD,
               "out": out, "filter": target["user-context"]["site-id"],
               "lease": {"address": lease["ip-address"], "mac": lease["hw-address"]},
               "wait_s": 8}
        env = dict(os.environ, NODE_PATH=os.path.join(NODE_DIR, "node_modules"))
        r = net.run(net.srv, ["node", os.path.join(HERE, "console_check.js"), json.dumps(job)],
                    timeout=180, env=env)
        assert r.returncode == 0, r.stdout + r.stderr
        obs = json.loads(r.stdout.strip().splitlines()[-1])
        with open(os.path.join(out, "observations.json"), "w") as f:
            json.dump(obs, f, indent=2)
        assert load.poll() is None, "perfdhcp stopped before the browser run ended"
    finally:
        if load is not None and load.poll() is None:
            load.terminate()
            load.wait(10)
        if srv is not None:
            srv.stop(timeout=30)
            srv.cleanup()
        net.close()

    assert "error" not in obs, obs["error"]
    print("console: page ready in %d ms, subnets view in %d ms, %d requests" % (
        obs["load_ms"], obs["subnets_ms"], obs["requests"]))
    # no console errors, no failed request, the strict policy on the page
    assert obs["console"] == [], obs["console"]
    assert obs["failed"] == [], obs["failed"]
    assert "default-src 'none'" in obs["csp"] and "script-src 'self'" in obs["csp"], obs["csp"]
    assert "unsafe" not in obs["csp"]
    # server view
    sv = obs["server"]
    assert sv["Name"] == "console-test", sv
    assert sv["Version"].startswith("0.") or sv["Version"], sv
    assert len(sv["Configuration in force"]) > len("hash ") + 32, sv
    assert sv["Lease database"].startswith("memfile"), sv
    assert sv["DHCP service"] == "enabled", sv
    assert sv["Readiness"].startswith("ready"), sv
    assert sv["Subnets"] == "829", sv
    # subnets: every one listed, the filled one first and highlighted, grouped by network
    assert obs["subnet_rows"] == 829, obs["subnet_rows"]
    first = obs["subnet_first"][0]
    assert first["prefix"] == target["subnet"], obs["subnet_first"]
    assert first["hot"] and not obs["subnet_first"][1]["hot"], obs["subnet_first"]
    assert obs["groups"] == 142, obs["groups"]
    # its two pools below it (stat-pool4-get): the first full and highlighted, the second not
    mine = [p for p in obs["pools"] if p["subnet"] == target["id"]]
    assert [p["range"] for p in mine] == pools, (mine, pools)
    assert mine[0]["hot"] and mine[0]["pct"].startswith("100.0%"), mine
    assert not mine[1]["hot"], mine
    site = [s["subnet"] for s in subnets
            if s["user-context"]["site-id"] == target["user-context"]["site-id"]]
    assert sorted(obs["filtered"]) == sorted(site), (obs["filtered"], site)
    # rates: the charts move while the load runs
    rates = {c["stat"]: c for c in obs["rates"]}
    for stat in ("pkt4-discover-received", "pkt4-ack-sent"):
        assert rates[stat]["moved"], rates[stat]
        assert rates[stat]["after"] > 20, rates[stat]
    assert rates["pkt4-nak-sent"]["after"] == 0, rates
    # lease search: by address (guessed) and by MAC, the same lease with its details
    for by in ("auto", "hw-address"):
        found = obs["lease"][by]
        assert found.get("Address") == lease["ip-address"], (by, found)
        assert found.get("MAC") == lease["hw-address"], (by, found)
        assert found.get("Subnet", "").startswith("%d %s" % (target["id"], target["subnet"])), found
        assert network_of[target["id"]] in found["Subnet"], found
    # log view: the failed reload's errors
    assert any("DHCP4_CONFIG_LOAD_FAIL" in line and "ERROR" in line for line in obs["log"]), \
        obs["log"]
    assert any("DHCP4_DYNAMIC_RECONFIGURATION_FAIL" in line for line in obs["log"]), obs["log"]
    # a wrong password: no page, no script, no data
    w = obs["wrong"]
    assert w["status"] == 401 and w["api_status"] == 401 and w["js_status"] == 401, w
    assert json.loads(w["body"]) == {"result": 401, "text": "Unauthorized"}, w
    assert json.loads(w["api_body"]) == {"result": 401, "text": "Unauthorized"}, w
    assert w["subnets"] == 0, w
    for name in ("server", "subnets", "rates", "leases", "log"):
        assert os.path.getsize(os.path.join(out, "console-%s.png" % name)) > 5000, name


def test_console_ha_rows(tmp_path):
    """Issue 9: the server view's HA row shows this server's HA state and its partner's.
    One lessor configured as the primary of a hot-standby pair whose standby never answers,
    put in partner-down by ha-maintenance-start (the partner unreachable); the page in
    chromium then shows the mode, its role and state, and the partner's role and state."""
    if SERVER_KIND != "lessor":
        lessor_only("Kea has no built-in console")
    need_root()
    _need_browser()
    net = NetPair()
    srv = None
    try:
        d = str(tmp_path)
        cfg = base_config(d, interfaces=["vsrv"])
        ha = {"this-server-name": "primary", "mode": "hot-standby",
              "peers": [{"name": "primary", "url": "http://127.0.0.1:%d/" % HTTP_PORT,
                         "role": "primary"},
                        {"name": "standby", "url": "http://127.0.0.1:%d/" % (HTTP_PORT + 1),
                         "role": "standby"}]}
        # no libdhcp_stat_cmds.so (the deployment's api node has none): the page must still
        # become ready, its subnet figures from statistic-get-all (it never did before)
        cfg["Dhcp4"]["hooks-libraries"] = [
            {"library": HOOKS + "/libdhcp_lease_cmds.so"},
            {"library": HOOKS + "/libdhcp_ha.so", "parameters": {"high-availability": [ha]}}]
        cfg["Control-agent"] = {
            "http-host": "127.0.0.1", "http-port": HTTP_PORT,
            "authentication": {"type": "basic", "realm": "lessor",
                               "clients": [{"user": USER, "password": PASSWORD}]}}
        srv = Server(net, d)
        srv.write_config(cfg)
        srv.start(wait=False)
        srv.wait_log(r"DHCP4_STARTED", 60)
        _wait_http(net, srv)
        obs_states = []
        for want in ("waiting", "partner-down"):
            if want == "partner-down":
                assert _api(net, "ha-maintenance-start")["result"] == 0
            job = {"url": "http://127.0.0.1:%d" % HTTP_PORT, "user": USER, "password": PASSWORD,
                   "out": d, "server_only": True}      # not the artefacts of the test above
            env = dict(os.environ, NODE_PATH=os.path.join(NODE_DIR, "node_modules"))
            r = net.run(net.srv, ["node", os.path.join(HERE, "console_check.js"),
                                  json.dumps(job)], timeout=120, env=env)
            assert r.returncode == 0, r.stdout + r.stderr
            obs = json.loads(r.stdout.strip().splitlines()[-1])
            assert "error" not in obs, obs["error"]
            assert obs["console"] == [] and obs["failed"] == [], obs
            obs_states.append(obs["server"]["High availability"])
    finally:
        if srv is not None:
            srv.stop(timeout=30)
            srv.cleanup()
        net.close()
    print("console HA rows: %r" % obs_states)
    assert obs_states[0] == "hot-standby local primary waiting, partner standby unknown (not reached)"
    assert obs_states[1] == \
        "hot-standby local primary partner-down, partner standby unknown (not reached)"
