"""Configuration checks, lessor against Kea 2.2: `kea-dhcp4 -t` and `lessor -t` agree on every
group of the differential tests and on invalid files (CHECKS), with Kea's words for the hex
checks; a configuration refused at start logs Kea's DHCP4_INIT_FAIL."""

import json
import os
import re
import subprocess

import pytest

from conftest import base_config, need_tools
from differential_configs import CONFIGS, KIND_B, NEVER_SEND, config_for
from differential_cases import CASES, DIFFERENCES


CHECKS = {
    "never-send": {"option-data": [dict(NEVER_SEND, data="x.example")]},
    "empty-client-classes": {"client-classes": []},
    "record-array": {"option-def": [{"name": "ra", "code": 230, "type": "record", "array": True,
                                     "record-types": "uint8, uint16", "space": "dhcp4"}],
                     "option-data": [{"name": "ra", "data": "1, 2, 3, 4"}]},
    "class-option-undefined": {"client-classes": [{"name": "c", "option-data": [
        {"name": "no-such-option", "data": "1"}]}]},
    "flex-id-identifier": {"host-reservation-identifiers": ["hw-address", "flex-id"]},
    "bad-expression": {"client-classes": [{"name": "c", "test": "option[77].hex == "}]},
    "subnet-class-guard-undefined": {"subnet4": [{"id": 5, "subnet": "10.5.0.0/24",
                                                  "client-class": "nope"}]},
    "require-undefined": {"subnet4": [{"id": 5, "subnet": "10.5.0.0/24",
                                       "require-client-classes": ["nope"]}]},
    "class-option-def-not-deferred": {"client-classes": [{"name": "c", "option-def": [
        {"name": "x", "code": 100, "type": "uint8"}]}]},
    "space-option-undefined-name": {"option-data": [
        {"name": "nope", "space": "vendor-encapsulated-options-space", "data": "1"}]},
    "space-option-by-code-hex": {"option-data": [
        {"code": 9, "space": "my-space", "csv-format": False, "data": "0102"}]},
    "hex-43-suboption-truncated": {
        "option-def": [{"name": "v5", "code": 5, "space": "vendor-encapsulated-options-space",
                        "type": "uint16"}],
        "option-data": [{"code": 43, "csv-format": False, "data": "0501FF"}]},
    "csv-code-without-definition": {"option-data": [{"code": 200, "data": "0102"}]},
    "encapsulate-own-space": {"option-def": [{"name": "x", "code": 3, "space": "s",
                                              "type": "uint8", "encapsulate": "s"}]},
    "class-option-def-std-name": {"client-classes": [{"name": "c", "option-def": [
        {"name": "routers", "code": 230, "type": "uint8"}]}]},
    "class-option-def-43-std-name": {"client-classes": [{"name": "c", "option-def": [
        {"name": "vendor-encapsulated-options", "code": 43, "type": "uint8"}]}]},
    "user-space-code-255": {"option-def": [{"name": "x", "code": 255, "space": "s",
                                            "type": "uint8"}],
                            "option-data": [{"code": 255, "space": "s", "data": "01",
                                             "csv-format": False}]},
    "encapsulate-array": {"option-def": [{"name": "ea", "code": 230, "type": "uint8",
                                          "array": True, "encapsulate": "s"}]},
    # Kea 2.2's boolean option data: true/false in any case, 1/0; not yes/no or 2
    # the lease cache's parameters (issue #10), as Kea 2.2 decides them
    "cache-threshold-one": {"cache-threshold": 1.0},
    "cache-threshold-zero": {"subnet4": [{"id": 5, "subnet": "10.5.0.0/24",
                                          "cache-threshold": 0.0}]},
    "cache-threshold-string": {"cache-threshold": "0.5"},
    "cache-max-age-negative": {"shared-networks": [{"name": "n", "cache-max-age": -1}]},
    "cache-max-age-zero": {"cache-max-age": 0},
    "cache-max-age-wraps": {"cache-max-age": 4294967296},
    "cache-max-age-not-int": {"cache-max-age": 1.5},
    "bool-option-True": {"option-data": [{"name": "ip-forwarding", "data": "True"}]},
    "bool-option-FALSE": {"option-data": [{"name": "ip-forwarding", "data": "FALSE"}]},
    "bool-option-mixed": {"option-data": [{"name": "ip-forwarding", "data": "tRuE"}]},
    "bool-option-yes": {"option-data": [{"name": "ip-forwarding", "data": "yes"}]},
    "bool-option-2": {"option-data": [{"name": "ip-forwarding", "data": "2"}]},
    # negative configurations (and their accepted neighbours), decided as kea-dhcp4 -t does
    "neg-pool-outside": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                      "pools": [{"pool": "10.91.0.1-10.91.0.9"}]}]},
    "neg-pool-overlap": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24", "pools": [
        {"pool": "10.90.0.1-10.90.0.9"}, {"pool": "10.90.0.5-10.90.0.20"}]}]},
    "neg-pool-reversed": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                       "pools": [{"pool": "10.90.0.9-10.90.0.1"}]}]},
    "neg-pool-prefix-outside": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                             "pools": [{"pool": "10.90.1.0/28"}]}]},
    "neg-pool-garbage": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                      "pools": [{"pool": "foo"}]}]},
    # Kea 2.2 accepts overlapping pools in overlapping subnets (plain or in one network)
    "pool-overlap-subnets": {"subnet4": [
        {"id": 901, "subnet": "10.90.0.0/24", "pools": [{"pool": "10.90.0.1-10.90.0.9"}]},
        {"id": 902, "subnet": "10.90.0.0/25", "pools": [{"pool": "10.90.0.5-10.90.0.20"}]}]},
    "pool-overlap-shared-network": {"subnet4": [], "shared-networks": [{"name": "a", "subnet4": [
        {"id": 901, "subnet": "10.90.0.0/24", "pools": [{"pool": "10.90.0.1-10.90.0.9"}]},
        {"id": 902, "subnet": "10.90.0.0/25", "pools": [{"pool": "10.90.0.5-10.90.0.20"}]}]}]},
    "neg-sn-no-name": {"shared-networks": [{"subnet4": [{"id": 901, "subnet": "10.90.0.0/24"}]}]},
    "neg-sn-empty-name": {"shared-networks": [{"name": "", "subnet4": [
        {"id": 901, "subnet": "10.90.0.0/24"}]}]},
    "neg-sn-int-name": {"shared-networks": [{"name": 5, "subnet4": [
        {"id": 901, "subnet": "10.90.0.0/24"}]}]},
    "neg-sn-dup-name": {"shared-networks": [
        {"name": "a", "subnet4": [{"id": 901, "subnet": "10.90.0.0/24"}]},
        {"name": "a", "subnet4": [{"id": 902, "subnet": "10.91.0.0/24"}]}]},
    "neg-pool-partly-outside": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                             "pools": [{"pool": "10.90.0.200-10.90.1.20"}]}]},
    "neg-pool-edge-overlap": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24", "pools": [
        {"pool": "10.90.0.1-10.90.0.10"}, {"pool": "10.90.0.10-10.90.0.20"}]}]},
    "neg-pool-prefix-33": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                        "pools": [{"pool": "10.90.0.0/33"}]}]},
    "pool-single-address": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/24",
                                         "pools": [{"pool": "10.90.0.5-10.90.0.5"}]}]},
    "neg-sn-empty-name-subnets": {"shared-networks": [{"name": "", "subnet4": [
        {"id": 901, "subnet": "10.90.0.0/24"}, {"id": 902, "subnet": "10.91.0.0/24"}]}]},
    "neg-sn-dup-name-empty": {"shared-networks": [{"name": "a"}, {"name": "a"}]},
    "sn-name-with-space": {"shared-networks": [{"name": "a b", "subnet4": []}]},
    "neg-subnet-dup-prefix-sn": {"shared-networks": [
        {"name": "a", "subnet4": [{"id": 901, "subnet": "10.90.0.0/24"}]},
        {"name": "b", "subnet4": [{"id": 902, "subnet": "10.90.0.0/24"}]}]},
    "neg-subnet-id-max": {"subnet4": [{"id": 4294967295, "subnet": "10.90.0.0/24"}]},
    "neg-subnet-no-len": {"subnet4": [{"id": 901, "subnet": "10.90.0.0"}]},
    "neg-subnet-len-33": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/33"}]},
    "neg-subnet-len-x": {"subnet4": [{"id": 901, "subnet": "10.90.0.0/x"}]},
    "neg-subnet-bad-addr": {"subnet4": [{"id": 901, "subnet": "10.90.0/24"}]},
    "subnet-host-bits": {"subnet4": [{"id": 901, "subnet": "10.90.0.1/24"}]},
    # client-name parameters (issue #10): the regular expression is checked where Kea checks it
    "names-subnet-bad-regex": {"subnet4": [{"id": 5, "subnet": "10.5.0.0/24",
                                            "hostname-char-set": "["}]},
    "names-net-bad-regex": {"shared-networks": [{"name": "n", "hostname-char-set": "(",
                                                 "subnet4": []}]},
    "names-global-bad-regex": {"hostname-char-set": "["},
    "names-good-regex": {"hostname-char-set": "[^a-z]|x+", "hostname-char-replacement": "-"},
    "names-replace-bool": {"ddns-replace-client-name": True},
    "names-replace-bogus": {"ddns-replace-client-name": "sometimes"},
    "names-replace-case": {"ddns-replace-client-name": "When-Present"},
    "names-prefix-number": {"ddns-generated-prefix": 5},
    "neg-opt-bad-ip": {"option-data": [{"name": "routers", "data": "1.2.3"}]},
    "neg-opt-bad-hex": {"option-data": [{"code": 3, "csv-format": False, "data": "zz"}]},
    "neg-opt-no-name-code": {"option-data": [{"data": "1.2.3.4"}]},
    "neg-opt-code-300": {"option-data": [{"code": 300, "data": "01", "csv-format": False}]},
    "neg-opt-code-0": {"option-data": [{"code": 0, "data": "01", "csv-format": False}]},
    "neg-opt-code-negative": {"option-data": [{"code": -1, "data": "01", "csv-format": False}]},
    "neg-opt-uint8-range": {"option-data": [{"name": "default-ip-ttl", "data": "300"}]},
    "neg-opt-name-code-mismatch": {"option-data": [{"name": "routers", "code": 6,
                                                    "data": "1.2.3.4"}]},
    "neg-opt-data-not-string": {"option-data": [{"name": "routers", "data": 5}]},
    "opt-unknown-space-by-code": {"option-data": [{"code": 1, "space": "nosuch", "data": "01",
                                                   "csv-format": False}]},
    "all-groups": None,
}

# hex option data (csv-format false) of the wrong length or form for its definition: Kea 2.2
# builds the option with its definition and refuses the configuration in that class's words
# ("OptionInt 26 truncated"); lessor must decide the same and say the same after its path.
HEX_CHECKS = [
    (1, "ffffff"), (1, "ffffff0000"), (2, "000e10"), (3, "010203"), (3, "0102030405"), (3, ""),
    (3, "0102030405060708"), (15, ""), (15, "0000"), (15, "6100"), (19, ""), (19, "05"),
    (23, ""), (23, "4040"), (25, ""), (25, "05dc05"), (26, "05"), (26, ""), (51, "00000e1000"),
    (78, "01"), (78, "0101020304"), (78, "010102030401"), (79, ""), (79, "03"), (79, "0161"),
    (81, "0000"), (81, "000000"), (81, "04000003616263"), (81, "040000c000"),
    (81, "000000612e2e62"), (94, "0101"), (97, ""), (97, "01"), (119, ""), (119, "00"),
    (119, "6100"), (119, "03616263"), (119, "c000"), (119, "0361626300c000"), (119, "8000"),
    (124, ""), (124, "000001"), (124, "000000010561"), (124, "0000000100026162"),
    (124, "00000001026162"), (125, "000001"), (125, "0000000101"), (125, "000000010100"),
    (125, "00000001020100"), (125, "00000001020101"), (125, "000000010001"), (137, "00"),
    (137, "03616263"), (137, "036162630001"), (146, "010203040506070800"),
    (146, "01020304050607080100"), (159, "010203"), (159, "01020304"),
    (212, "0102" + "00" * 16 + "010203"), (43, "0102"), (82, ""),
]
for _code, _data in HEX_CHECKS:
    CHECKS["hex-%d-%s" % (_code, _data or "empty")] = {
        "option-data": [{"code": _code, "csv-format": False, "data": _data}]}
# custom definitions: (type, array, record-types or None, data)
HEX_DEF_CHECKS = [
    ("empty", False, None, "01"), ("ipv6-address", False, None, "01" * 15),
    ("ipv6-address", True, None, "01" * 17), ("ipv6-address", True, None, ""),
    ("ipv6-prefix", False, None, "40"), ("ipv6-prefix", False, None, "400000000000000000"),
    ("ipv6-prefix", True, None, ""), ("psid", False, None, "0100"), ("psid", True, None, "010000"),
    ("tuple", False, None, ""), ("tuple", False, None, "01"), ("tuple", True, None, "00"),
    ("tuple", True, None, "016162"), ("int8", True, None, ""), ("boolean", True, None, ""),
    ("fqdn", True, None, "00"), ("fqdn", False, None, "0361"), ("string", False, None, "00"),
    ("record", False, "uint8, fqdn", "01"), ("record", False, "uint8, ipv6-prefix", "01"),
    ("record", False, "uint8, tuple", "0102"), ("record", True, "uint8, uint16", "01"),
    ("record", True, "uint8, fqdn", "0100"), ("record", True, "uint8, fqdn", "010000"),
]
for _t, _arr, _rec, _data in HEX_DEF_CHECKS:
    _def = {"name": "x", "code": 230, "type": _t, "array": _arr}
    if _rec:
        _def["record-types"] = _rec
    CHECKS["hex-def-%s%s%s-%s" % (_t, "-array" if _arr else "", "-" + _rec.replace(", ", "-")
                                  if _rec else "", _data or "empty")] = {
        "option-def": [_def], "option-data": [{"code": 230, "csv-format": False, "data": _data}]}
# refused by both, in other words (Kea's are an accident there)
CHECK_TEXT_DIFFERS = {
    "neg-opt-code-negative": "Kea 2.2 reads -1 as 4294967295; lessor says 'code' must be an integer",
}
_KEA_ERR = re.compile(r"Error encountered: (.*) \(\S+:\d+:\d+\)")


def _check_params():
    out = []
    for k in sorted(CHECKS):
        marks = []
        if "check:" + k in DIFFERENCES and KIND_B != "kea":
            marks.append(pytest.mark.xfail(reason=DIFFERENCES["check:" + k], strict=True))
        out.append(pytest.param(k, id=k, marks=marks))
    return out


@pytest.mark.parametrize("check", _check_params())
def test_config_check(check, tmp_path):
    """kea-dhcp4 -t and lessor -t agree on whether a configuration is valid."""
    from conftest import server_binary
    kea = need_tools("kea-dhcp4")[0]
    lessor = server_binary(KIND_B)
    if not os.access(lessor, os.X_OK):
        pytest.skip("no %s binary" % KIND_B)
    cfgs = []
    if CHECKS[check] is None:
        cfgs = [(g, config_for(g, str(tmp_path))) for g in CONFIGS]
    else:
        cfg = base_config(str(tmp_path))
        for k, v in CHECKS[check].items():
            cfg["Dhcp4"][k] = v
        cfgs = [(check, cfg)]
    for name, cfg in cfgs:
        cfg["Dhcp4"]["interfaces-config"]["interfaces"] = ["lo"]
        path = tmp_path / ("%s.json" % name)
        path.write_text(json.dumps(cfg))
        env = dict(os.environ, KEA_PIDFILE_DIR=str(tmp_path), KEA_LOCKFILE_DIR=str(tmp_path))
        rk = subprocess.run([kea, "-t", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=30, env=env)
        rl = subprocess.run([lessor, "-t", str(path)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=30, env=env)
        assert (rk.returncode == 0) == (rl.returncode == 0), \
            "%s: kea -t exit %d, %s -t exit %d\nkea: %s\n%s: %s" % (
                name, rk.returncode, KIND_B, rl.returncode, rk.stdout[-800:], KIND_B,
                rl.stdout[-800:])
        m = _KEA_ERR.search(rk.stdout)
        if check.startswith(("hex-", "neg-")) and check not in CHECK_TEXT_DIFFERS and m:
            # same words after lessor's own "Dhcp4.option-data[0].data (line N): "
            assert m.group(1) in rl.stdout, "%s: kea says %r\n%s: %s" % (
                name, m.group(1), KIND_B, rl.stdout[-800:])


START_REFUSED = {
    "pool-outside-subnet": {"subnet4": [{"id": 5, "subnet": "10.5.0.0/24",
                                         "pools": [{"pool": "10.6.0.1 - 10.6.0.9"}]}]},
    "lifetime-not-a-number": {"valid-lifetime": "long"},
}


@pytest.mark.parametrize("bad", sorted(START_REFUSED))
def test_start_refused_logs_init_fail(bad, tmp_path):
    """A configuration refused at start-up: both exit non-zero and log DHCP4_CONFIG_LOAD_FAIL
    then Kea 2.2's DHCP4_INIT_FAIL line (tools and harnesses grep for it). The servers never
    get as far as opening sockets (interfaces: lo)."""
    from conftest import server_binary
    cfg = base_config(str(tmp_path))
    cfg["Dhcp4"].update(START_REFUSED[bad])
    cfg["Dhcp4"]["interfaces-config"]["interfaces"] = ["lo"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(cfg))
    env = dict(os.environ, KEA_PIDFILE_DIR=str(tmp_path), KEA_LOCKFILE_DIR=str(tmp_path))
    want = re.compile(r"ERROR +\[kea-dhcp4\.dhcp4/[\d.]+\] DHCP4_INIT_FAIL failed to initialize "
                      r"Kea server: configuration error using file '%s': \S" % re.escape(str(path)))
    for kind in ("kea", KIND_B):
        r = subprocess.run([server_binary(kind), "-c", str(path)], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=30, env=env,
                           cwd=str(tmp_path))
        assert r.returncode != 0, "%s started on %s:\n%s" % (kind, bad, r.stdout[-2000:])
        assert "DHCP4_CONFIG_LOAD_FAIL" in r.stdout, (kind, r.stdout[-2000:])
        assert want.search(r.stdout), "%s: no DHCP4_INIT_FAIL line like Kea 2.2's:\n%s" % (
            kind, r.stdout[-2000:])

def test_case_names_unique():
    """Case names are unique, and every listed difference names a case or a check."""
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 100
    assert set(DIFFERENCES) <= set(names) | {"check:" + k for k in CHECKS}
