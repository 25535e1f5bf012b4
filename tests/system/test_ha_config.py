"""libdhcp_ha.so parameters (issue 7, item 1): every case is checked on lessor (`lessor -t`,
the error names the JSON path and line) and on Kea 2.2 with the same file, so the expected
texts below are Kea's own. Kea's `-t` does not load hook libraries, so Kea is started with
`-c` (no interfaces, peers on unused loopback ports) and its HA_CONFIGURATION_FAILED line is
read; a valid config runs until the timeout."""

import copy
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import REQUIRE_ALL, server_binary

HOOKS = "/usr/lib/x86_64-linux-gnu/kea/hooks"
P1 = "http://127.0.0.1:47001/"
P2 = "http://127.0.0.1:47002/"

GOOD = {"this-server-name": "primary", "mode": "hot-standby", "heartbeat-delay": 10000,
        "max-response-delay": 60000, "max-ack-delay": 10000, "max-unacked-clients": 0,
        "peers": [{"name": "primary", "url": P1, "role": "primary", "auto-failover": True},
                  {"name": "standby", "url": P2, "role": "standby"}]}


def config(ha):
    return {"Dhcp4": {"interfaces-config": {"interfaces": []},
                      "lease-database": {"type": "memfile", "persist": False},
                      "subnet4": [{"id": 1, "subnet": "10.0.0.0/24"}],
                      "hooks-libraries": [
                          {"library": HOOKS + "/libdhcp_lease_cmds.so"},
                          {"library": HOOKS + "/libdhcp_ha.so",
                           "parameters": {"high-availability": ha}}]}}


def s(k, v):
    return lambda g: g.__setitem__(k, v)


def d(k):
    return lambda g: g.pop(k)


def p(i, k, v):
    return lambda g: g["peers"][i].__setitem__(k, v)


def many(*fs):
    def f(g):
        for x in fs:
            x(g)
    return f


HS_LB = s("mode", "load-balancing")


def deployment_ha():
    """The deployment's own HA block (tests/system/data/deployment), peers on loopback."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "deployment",
                        "local_development_config.json")
    text = open(path).read()
    for k, v in {"<SERVER_NAME>": "standby", "<PRIMARY_IP>": "127.0.0.1",
                 "<STANDBY_IP>": "127.0.0.1"}.items():
        text = text.replace(k, v)
    text = text.replace("127.0.0.1:8000", "127.0.0.1:47001", 1).replace("127.0.0.1:8000", "127.0.0.1:47002")
    text = re.sub(r"^\s*(//|#).*$", "", text, flags=re.M)
    hooks = json.loads(text)["Dhcp4"]["hooks-libraries"]
    return [h for h in hooks if "libdhcp_ha" in h["library"]][0]["parameters"]["high-availability"]
# (id, mutation of GOOD or a whole high-availability list, Kea's message or None = valid,
#  the JSON path lessor names)
CASES = [
    ("good", None, None, None),
    ("deployment", deployment_ha(), None, None),
    ("no-name", d("this-server-name"), "missing parameter 'this-server-name'", "high-availability[0]"),
    ("no-mode", d("mode"), "missing parameter 'mode'", "high-availability[0]"),
    ("bad-mode", s("mode", "foo"), "unsupported value 'foo' for mode parameter", ".mode"),
    ("mode-int", s("mode", 1), "invalid type specified for parameter 'mode'", ".mode"),
    ("name-not-peer", s("this-server-name", "other"),
     "no peer configuration specified for the 'other'", ".this-server-name"),
    ("empty-name", s("this-server-name", ""), "'this-server-name' value must not be empty", None),
    ("unknown-key", s("foo", 1), None, None),
    ("hb-str", s("heartbeat-delay", "x"), "invalid type specified for parameter 'heartbeat-delay'", ".heartbeat-delay"),
    ("hb-float", s("heartbeat-delay", 1.5), "invalid type specified for parameter 'heartbeat-delay'", None),
    ("hb-neg", s("heartbeat-delay", -1), "'heartbeat-delay' must not be negative", None),
    ("hb-big", s("heartbeat-delay", 70000), "'heartbeat-delay' must not be greater than 65535", None),
    ("hb-0", s("heartbeat-delay", 0), None, None),
    ("mrd-big", s("max-response-delay", 5000000000), "'max-response-delay' must not be greater than 65535", None),
    ("mad-big", s("max-ack-delay", 70000), "'max-ack-delay' must not be greater than 65535", None),
    ("mrd-lt-hb", s("max-response-delay", 5000), None, None),
    ("muc-neg", s("max-unacked-clients", -1), "'max-unacked-clients' must not be negative", None),
    ("muc-70000", s("max-unacked-clients", 70000), None, None),
    ("muc-huge", s("max-unacked-clients", 5000000000), "'max-unacked-clients' must not be greater than 4294967295", None),
    ("dul-neg", s("delayed-updates-limit", -1), "'delayed-updates-limit' must not be negative", None),
    ("slu-str", s("send-lease-updates", "yes"), "invalid type specified for parameter 'send-lease-updates'", None),
    ("wba-str", s("wait-backup-ack", "x"), "invalid type specified for parameter 'wait-backup-ack'", None),
    ("rcc-str", s("require-client-certs", "x"), "invalid type specified for parameter 'require-client-certs'", None),
    ("rc-str", s("restrict-commands", "x"), "invalid type specified for parameter 'restrict-commands'", None),
    ("st-big", s("sync-timeout", 70000), None, None),
    ("st-neg", s("sync-timeout", -1), "'sync-timeout' must not be negative", None),
    ("spl-big", s("sync-page-limit", 5000000000), "'sync-page-limit' must not be greater than 4294967295", None),
    ("no-peers", d("peers"), "'peers' parameter missing in HA configuration", None),
    ("peers-empty", s("peers", []), "no peer configuration specified for the 'primary'", None),
    ("peers-map", s("peers", {}), "'peers' parameter must be a list", ".peers"),
    ("one-peer", lambda g: g["peers"].pop(1), "standby server required in the hot standby configuration", None),
    ("peer-no-name", lambda g: g["peers"][1].pop("name"), "missing parameter 'name'", ".peers[1]"),
    ("peer-no-url", lambda g: g["peers"][1].pop("url"), "missing parameter 'url'", None),
    ("peer-no-role", lambda g: g["peers"][1].pop("role"), "missing parameter 'role'", None),
    ("peer-bad-role", p(1, "role", "slave"), "unsupported value 'slave' for role parameter", ".peers[1].role"),
    ("peer-not-map", lambda g: g["peers"].__setitem__(1, 5), "peer configuration must be a map", None),
    ("peer-name-empty", p(1, "name", ""), "peer name must not be empty", None),
    ("peer-dup-name", p(1, "name", "primary"), "peer with name 'primary' already specified", None),
    ("url-bad", p(1, "url", "foo"), "invalid URL: url foo lacks http or https scheme for server standby", ".peers[1].url"),
    ("url-empty", p(1, "url", ""), "invalid URL: url  lacks http or https scheme for server standby", None),
    ("url-int", p(1, "url", 5), "invalid type specified for parameter 'url'", None),
    ("url-https-no-tls", p(1, "url", "https://127.0.0.1:47002/"),
     "bad url 'https://127.0.0.1:47002/': https scheme is not supported for server standby where TLS is disabled", None),
    ("url-hostname", p(1, "url", "http://localhost:47002/"),
     "bad url 'http://localhost:47002/': Failed to convert string to address 'localhost': Invalid argument for server standby", None),
    ("url-path", p(1, "url", "http://127.0.0.1:47002/foo"), None, None),
    ("url-ipv6", p(1, "url", "http://[::1]:47002/"), None, None),
    ("two-primary", p(1, "role", "primary"), "multiple primary servers specified", None),
    ("two-standby", p(0, "role", "standby"), "multiple standby servers specified", None),
    ("hs-secondary", p(1, "role", "secondary"), "secondary servers not allowed in the hot standby configuration", None),
    ("lb-ok", many(HS_LB, p(1, "role", "secondary")), None, None),
    ("lb-standby", HS_LB, "standby servers not allowed in the load balancing configuration", None),
    ("lb-two-secondary", many(HS_LB, p(0, "role", "secondary"), p(1, "role", "secondary")),
     "multiple secondary servers specified", None),
    ("pb-ok", many(s("mode", "passive-backup"), p(1, "role", "backup")), None, None),
    ("pb-standby", s("mode", "passive-backup"), "standby servers not allowed in the passive backup configuration", None),
    ("pb-no-primary", many(s("mode", "passive-backup"), p(0, "role", "backup"), p(1, "role", "backup")),
     "primary server required in the passive backup configuration", None),
    ("hs-plus-backup", lambda g: g["peers"].append({"name": "b", "url": "http://127.0.0.1:47003/", "role": "backup"}), None, None),
    ("af-str", p(1, "auto-failover", "x"), "invalid type specified for parameter 'auto-failover'", None),
    ("ba-user", p(1, "basic-auth-user", "u"), None, None),
    ("ba-user-colon", p(1, "basic-auth-user", "u:x"), "user 'u:x' must not contain a ':' in peer 'standby'", None),
    ("ba-user-int", p(1, "basic-auth-user", 5), "invalid type specified for parameter 'basic-auth-user'", None),
    ("ba-pw-no-user", p(1, "basic-auth-password", "x"), None, None),
    ("ba-pw-both", many(p(1, "basic-auth-user", "u"), p(1, "basic-auth-password", "x"),
                        p(1, "basic-auth-password-file", "/etc/hostname")),
     "only one of basic-auth-password and basic-auth-password-file parameter can be configured in peer 'standby'", None),
    ("ba-pw-file-missing", p(1, "basic-auth-password-file", "/nonexistent"),
     "bad password file in peer 'standby': can't open file '/nonexistent': No such file or directory", None),
    ("sm-ok", s("state-machine", {"states": [{"state": "waiting", "pause": "once"}]}), None, None),
    ("sm-no-pause", s("state-machine", {"states": [{"state": "waiting"}]}), None, None),
    ("sm-not-map", s("state-machine", []), "'state-machine' parameter must be a map", None),
    ("sm-states-not-list", s("state-machine", {"states": {}}), "'states' parameter must be a list", None),
    ("sm-no-state", s("state-machine", {"states": [{"pause": "always"}]}), "missing parameter 'state'", ".states[0]"),
    ("sm-bad-state", s("state-machine", {"states": [{"state": "foo", "pause": "always"}]}), "unknown state foo", None),
    ("sm-bad-pause", s("state-machine", {"states": [{"state": "waiting", "pause": "sometimes"}]}),
     "unsupported value sometimes of 'pause' parameter", None),
    ("sm-dup", s("state-machine", {"states": [{"state": "waiting", "pause": "never"},
                                              {"state": "waiting", "pause": "always"}]}),
     "duplicated configuration for the 'waiting' state", None),
    ("mt-ok", s("multi-threading", {"enable-multi-threading": True, "http-dedicated-listener": True,
                                    "http-listener-threads": 2, "http-client-threads": 2}), None, None),
    ("mt-not-map", s("multi-threading", []), "multi-threading configuration must be a map", None),
    ("mt-emt-str", s("multi-threading", {"enable-multi-threading": "x"}),
     "invalid type specified for parameter 'enable-multi-threading'", ".multi-threading.enable-multi-threading"),
    ("mt-hlt-neg", s("multi-threading", {"http-listener-threads": -1}), "'http-listener-threads' must not be negative", None),
    ("mt-hct-neg", s("multi-threading", {"http-client-threads": -1}), "'http-client-threads' must not be negative", None),
    ("tls-global-partial", s("trust-anchor", "/nonexistent"),
     "bad TLS config for server primary: cert-file parameter is missing or empty: all or none of TLS parameters must be set", None),
    ("tls-peer-partial", p(1, "cert-file", "/nonexistent"),
     "bad TLS config for server standby: trust-anchor parameter is missing or empty: all or none of TLS parameters must be set", None),
    ("tls-files-missing", many(s("trust-anchor", "/nonexistent"), s("cert-file", "/nonexistent"), s("key-file", "/nonexistent")),
     "bad TLS config for server primary: load of CA file '/nonexistent' failed: No such file or directory", None),
    ("tls-empty", many(s("trust-anchor", ""), s("cert-file", ""), s("key-file", "")), None, None),
    ("ha-two", [{"this-server-name": "a"}, {"this-server-name": "b"}],
     "invalid number of configurations in the HA configuration list. Expected exactly one configuration", None),
    ("ha-empty", [], "invalid number of configurations in the HA configuration list. Expected exactly one configuration", None),
]


def _write(tmp_path, mut):
    if isinstance(mut, list):
        ha = mut
    else:
        g = copy.deepcopy(GOOD)
        if mut is not None:
            mut(g)
        ha = [g]
    path = tmp_path / "ha.json"
    path.write_text(json.dumps(config(ha), indent=1))
    return str(path)


@pytest.mark.parametrize("name,mut,msg,jpath", CASES, ids=[c[0] for c in CASES])
def test_lessor(tmp_path, name, mut, msg, jpath):
    path = _write(tmp_path, mut)
    r = subprocess.run([server_binary("lessor"), "-t", path], capture_output=True, text=True, timeout=30)
    out = r.stdout + r.stderr
    if msg is None:
        assert r.returncode == 0, out
        return
    assert r.returncode == 1, out
    m = re.search(r"Dhcp4\.hooks-libraries\[1\]\.parameters\.(\S*) \(line (\d+)\): (.*)", out)
    assert m, out
    assert m.group(3).strip() == msg, out
    assert int(m.group(2)) > 0, out
    if jpath is not None:
        assert jpath in m.group(1), out


@pytest.mark.parametrize("name,mut,msg,jpath", CASES, ids=[c[0] for c in CASES])
def test_kea(tmp_path, name, mut, msg, jpath):
    kea = server_binary("kea")
    if not os.path.exists(kea) or not os.path.exists(HOOKS + "/libdhcp_ha.so"):
        if REQUIRE_ALL:
            pytest.fail("kea-dhcp4 with libdhcp_ha.so is required")
        pytest.skip("kea-dhcp4 with libdhcp_ha.so not installed")
    path = _write(tmp_path, mut)
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "KEA_PIDFILE_DIR": str(tmp_path),
           "KEA_LOCKFILE_DIR": str(tmp_path)}
    try:
        r = subprocess.run([kea, "-c", path], capture_output=True, text=True, timeout=1.5, env=env)
        out, started = r.stdout + r.stderr, False
    except subprocess.TimeoutExpired as e:
        out, started = (e.stdout or b"").decode() + (e.stderr or b"").decode(), True
    fail = re.search(r"HA_CONFIGURATION_FAILED failed to configure High Availability hooks library: "
                     r"(.*?)(?: \(\S+:\d+:\d+\))?$", out, re.M)
    if msg is None:
        assert started and fail is None, out
    else:
        assert fail, out
        assert fail.group(1) == msg, out
