"""Differential tests: lessor against ISC Kea 2.2, same configuration, same packets (issue #3).

A table of cases (CASES below). Each case names a configuration GROUP (CONFIGS), an exchange
(discover / dora / reboot / inform / renew / ...), the client's MAC, the relay it comes through
and the options it sends. For every group, Kea runs first and then lessor, each on a fresh
server with an empty (or the same preloaded) lease file, and the cases of the group run in table
order against each; the decoded replies (every BOOTP field and the options, in wire order) must
be identical. `want` checks the reply against what the case is about (on Kea's reply too, which
proves the case tests what it says); `ignore` names fields that may legitimately differ.

Adding a case is one entry in CASES: C(name, group, kind, mac=..., relay=..., opts=[(code,
bytes)], want={"opt15": b"...", "yiaddr": "...", "type": ACK, "0:opt5": None}, ignore={...},
plus build() fields such as hops/flags/ciaddr/hlen/raw_opts). Without an option 55 of its own a
case sends DEFAULT_PRL. Deliberate differences are listed in DIFFERENCES (name -> reason) and
are xfail(strict) with that reason (only when comparing with lessor).

Every configuration sets "multi-threading": {"enable-multi-threading": false} (Kea 2.2's
default, spelled out) unless it says otherwise; group "mt" runs the deployment's MT settings (12
threads) and compares every field, yiaddr included (one shared iterative cursor per pool, as
Kea's). CONFIGS_B holds a
lessor-side variant of a group where Kea 2.2 cannot take the syntax (never-send: lessor with
never-send must answer exactly as Kea without those options). test_config_check compares
`kea-dhcp4 -t` with `lessor -t` on every group and on a few invalid files.

Topology: conftest.NetPair with several relay addresses in netns cli (10.N.0.2) and a route for
10.0.0.0/8 to it from netns srv; the test process enters netns cli (setns) to open its sockets,
so it is the relay agent itself. Subnet 10.99.0.0/24 (relay 10.99.0.2) exists in every
configuration only for the readiness probe.

Environment: LESSOR_TEST_SERVER=kea compares Kea with Kea (proves determinism and the cases).
"""

import collections
import copy
import json
import os
import re
import subprocess
import time

import pytest

from conftest import SERVER_KIND, NetPair, Server, base_config, need_root, need_tools
from difflib4 import (ACK, DECLINE, DISCOVER, OFFER, RELEASE, Client, build, decode, diff,
                      msgtype, option, project)

RELAYS = ["10.0.0.2", "10.1.0.2", "10.2.0.2", "10.3.0.2", "10.4.0.2", "10.5.0.2", "10.6.0.2",
          "10.99.0.2"]
PROBE_RELAY = "10.99.0.2"
PROBE_SUBNET = {"id": 99, "subnet": "10.99.0.0/24", "pools": [{"pool": "10.99.0.10 - 10.99.0.250"}]}
KIND_B = "kea" if SERVER_KIND == "kea" else "lessor"

DEF234 = {"name": "delivery-optimisation", "code": 234, "type": "string", "space": "dhcp4"}

# ---------------------------------------------------------------------------------------------
# configurations (the Dhcp4 map minus interfaces / lease database / loggers, added by _config)

CONFIGS = {}

CONFIGS["classes"] = {
    "option-def": [DEF234],
    "option-data": [{"name": "domain-name", "data": "global.example"},
                    {"name": "domain-name-servers", "data": "10.0.0.53, 10.0.0.54"}],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.10.255"}],
         "option-data": [{"name": "routers", "data": "10.0.0.1"}],
         "reservations": [{"hw-address": "02:c1:00:00:00:aa", "hostname": "known-one"}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.200",
                                                      "require-client-classes": ["req-pool"]}],
         "require-client-classes": ["req-subnet"]},
        PROBE_SUBNET,
    ],
    "client-classes": [
        {"name": "uc-w10", "test": "option[77].hex == 'W10TEST'",
         "option-data": [{"name": "domain-name", "data": "w10.example"}]},
        {"name": "vc-foo", "test": "substring(option[60].hex,0,3) == 'FOO'",
         "option-data": [{"name": "domain-name", "data": "foo.example"},
                         {"name": "nis-domain", "data": "foo-nis"}]},
        {"name": "VENDOR_CLASS_docsis3.0",
         "option-data": [{"name": "tftp-server-name", "data": "docsis-tftp"}]},
        {"name": "rai-circuit", "test": "relay4[1].hex == 'port-7'",
         "option-data": [{"name": "ntp-servers", "data": "10.0.0.123"}]},
        {"name": "rai-remote", "test": "relay4[2].hex == 'rem-9'",
         "option-data": [{"name": "log-servers", "data": "10.0.0.7"}]},
        {"name": "concat", "test": "concat(option[60].hex, 'X') == 'ABCX'",
         "option-data": [{"name": "root-path", "data": "/concat"}]},
        {"name": "ifelse", "test": "ifelse(option[77].hex == 'IF', 'yes', 'no') == 'yes'",
         "option-data": [{"name": "root-path", "data": "/ifelse"}]},
        {"name": "hexstr", "test": "hexstring(pkt4.mac, ':') == '02:c1:00:00:00:09'",
         "option-data": [{"name": "root-path", "data": "/hexstring"}]},
        {"name": "m-base", "test": "option[77].hex == 'CHAIN'"},
        {"name": "m-mid", "test": "member('m-base')"},
        {"name": "m-top", "test": "member('m-mid') and option[60].hex == 'V'",
         "option-data": [{"name": "merit-dump", "data": "/chain"}]},
        {"name": "not-or", "test": "not (option[77].hex == 'A') and (option[60].hex == 'NO' or"
                                   " option[60].hex == 'NO2')",
         "option-data": [{"name": "swap-server", "data": "10.0.0.14"}]},
        {"name": "known", "test": "member('KNOWN')",
         "option-data": [{"name": "impress-servers", "data": "10.0.0.10"}]},
        {"name": "unknown", "test": "member('UNKNOWN') and option[77].hex == 'UNK'",
         "option-data": [{"name": "impress-servers", "data": "10.0.0.11"}]},
        {"name": "pxe", "test": "substring(option[60].hex,0,9) == 'PXEClient'",
         "next-server": "10.0.0.50", "server-hostname": "tftp1", "boot-file-name": "pxelinux.0"},
        {"name": "short", "test": "option[77].hex == 'SHORT'", "valid-lifetime": 600},
        {"name": "exists", "test": "option[77].exists and option[77].hex == 'EX'",
         "option-data": [{"name": "cookie-servers", "data": "10.0.0.8"}]},
        {"name": "first-a", "test": "option[77].hex == 'TWO'",
         "option-data": [{"name": "domain-name", "data": "first.example"}]},
        {"name": "first-b", "test": "option[77].hex == 'TWO'",
         "option-data": [{"name": "domain-name", "data": "second.example"},
                         {"name": "lpr-servers", "data": "10.0.0.9"}]},
        {"name": "sub-neg", "test": "substring(option[60].hex,-3,all) == 'end'",
         "option-data": [{"name": "extensions-path", "data": "/neg"}]},
        {"name": "msgtype-req", "test": "option[53].hex == 0x03",
         "option-data": [{"name": "name-servers", "data": "10.0.0.5"}]},
        {"name": "req-msg", "test": "option[53].hex == 0x03 and option[77].hex == 'RQ'",
         "option-data": [{"name": "name-servers", "data": "10.0.0.6"}]},
        {"name": "hexopt", "test": "option[77].hex == 'HEX'",
         "option-data": [{"code": 234, "csv-format": False, "data": "414243"}]},
        {"name": "req-subnet", "test": "member('ALL')", "only-if-required": True,
         "option-data": [{"name": "routers", "data": "10.1.0.1"},
                         {"name": "delivery-optimisation", "data": "subnet-req"}]},
        {"name": "req-pool", "test": "option[77].hex == 'POOLREQ'", "only-if-required": True,
         "option-data": [{"name": "domain-name", "data": "poolreq.example"}]},
        {"name": "never-required", "test": "member('ALL')", "only-if-required": True,
         "option-data": [{"name": "domain-name", "data": "must-not-appear.example"}]},
        {"name": "rai-all", "test": "option[82].option[1].exists and relay4[1].hex == 'pxe-circ'",
         "boot-file-name": "rai.efi"},
    ],
}

CONFIGS["reservations"] = {
    "option-data": [{"name": "domain-name", "data": "global.example"}],
    "host-reservation-identifiers": ["circuit-id", "hw-address", "duid", "client-id"],
    "reservations": [
        {"hw-address": "02:a6:00:00:00:01", "hostname": "global-host",
         "option-data": [{"name": "domain-name", "data": "global-res.example"}]},
        {"hw-address": "02:a6:00:00:00:02", "ip-address": "10.1.0.222",
         "hostname": "global-ip"},
    ],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}],
         "option-data": [{"name": "routers", "data": "10.0.0.1"}],
         "reservations": [
             {"hw-address": "02:a1:00:00:00:01", "ip-address": "10.0.1.50",
              "hostname": "res-hw"},
             {"client-id": "01:02:a1:00:00:00:02", "ip-address": "10.0.20.2",
              "hostname": "res-cid",
              "option-data": [{"name": "domain-name", "data": "cid.example"}]},
             {"circuit-id": "'circ-1'", "ip-address": "10.0.20.3", "hostname": "res-circ"},
             {"duid": "00:03:00:01:02:a1:00:00:00:04", "ip-address": "10.0.20.4",
              "hostname": "res-duid"},
             {"flex-id": "'flexdata'", "ip-address": "10.0.20.5", "hostname": "res-flex"},
             {"hw-address": "02:a1:00:00:00:06", "ip-address": "10.0.20.6",
              "next-server": "10.0.0.60", "server-hostname": "boot6",
              "boot-file-name": "six.efi"},
             {"hw-address": "02:a1:00:00:00:07", "ip-address": "10.0.20.7",
              "client-classes": ["res-class"]},
             {"hw-address": "02:a1:00:00:00:08", "ip-address": "10.0.20.8"},
             {"circuit-id": "'circ-8'", "ip-address": "10.0.20.9", "hostname": "by-circuit"},
             {"hw-address": "02:a1:00:00:00:0a", "ip-address": "10.0.1.77"},
             {"hw-address": "02:a1:00:00:00:0b",
              "option-data": [{"name": "routers", "data": "10.0.0.254"},
                              {"name": "ntp-servers", "data": "10.0.0.124"}]},
             {"hw-address": "02:a1:00:00:00:0c", "hostname": "name-only"},
             {"hw-address": "02:a1:00:00:00:0d", "hostname": "Res_Under.Example"},
         ]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "reservations-global": True, "reservations-in-subnet": True,
         "reservations": [{"hw-address": "02:a2:00:00:00:01", "ip-address": "10.1.0.150",
                           "hostname": "sub2-host"}]},
        {"id": 3, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.100"}],
         "reservations-in-subnet": False,
         "reservations": [{"hw-address": "02:a3:00:00:00:01", "ip-address": "10.2.0.150",
                           "hostname": "ignored"}]},
        {"id": 4, "subnet": "10.3.0.0/24", "pools": [{"pool": "10.3.0.10 - 10.3.0.100"}],
         "reservations-out-of-pool": True,
         "reservations": [{"hw-address": "02:a4:00:00:00:01", "ip-address": "10.3.0.150",
                           "hostname": "oop"},
                          {"hw-address": "02:a4:00:00:00:02", "ip-address": "10.3.0.20",
                           "hostname": "in-pool-oop"}]},
        # out-of-pool promised, but an in-pool reservation for a client that never comes
        {"id": 5, "subnet": "10.4.0.0/24", "pools": [{"pool": "10.4.0.10 - 10.4.0.15"}],
         "reservations-out-of-pool": True,
         "reservations": [{"hw-address": "02:a5:00:00:00:99", "ip-address": "10.4.0.12"}]},
        # the same without the flag: the reserved address is skipped for others
        {"id": 6, "subnet": "10.5.0.0/24", "pools": [{"pool": "10.5.0.10 - 10.5.0.15"}],
         "reservations": [{"hw-address": "02:a5:00:00:00:98", "ip-address": "10.5.0.12"}]},
        PROBE_SUBNET,
    ],
    "client-classes": [
        {"name": "res-class", "test": "member('KNOWN')", "only-if-required": False,
         "option-data": [{"name": "domain-name", "data": "known.example"}]},
        {"name": "rescls-only", "option-data": [{"name": "ntp-servers", "data": "10.0.0.99"}]},
    ],
}
# the reserved class "res-class" above matches every known client; the host-assigned class:
CONFIGS["reservations"]["subnet4"][0]["reservations"][6]["client-classes"] = ["rescls-only"]

# A lease for 10.0.1.77 held by another client (02:a1:00:00:00:99) before the server starts:
# the client that has 10.0.1.77 reserved (02:a1:00:00:00:0a) cannot get it.
PRELOAD = {"reservations": [("10.0.1.77", "02:a1:00:00:00:99", 1)],
           "extinfo": [("10.0.1.200", "02:e1:00:00:00:01", 1,
                        '{ "bar": "x"&#x2c "ISC": { "old": 1 }&#x2c "foo": 1 }')],
           # (address, hwaddr, subnet, user-context, age in seconds)
           "cache": [("10.0.1.200", "02:ca:00:00:00:01", 1, "", 500),
                     ("10.0.1.201", "02:ca:00:00:00:02", 1, "", 2000),
                     ("10.0.1.202", "02:ca:00:00:00:03", 1, "", 500),
                     ("10.1.0.50", "02:ca:00:00:00:04", 2, "", 500),
                     ("10.2.0.50", "02:ca:00:00:00:05", 3, "", 3000),
                     ("10.3.0.50", "02:ca:00:00:00:06", 4, "", 150),
                     ("10.3.0.51", "02:ca:00:00:00:07", 4, "", 250),
                     ("10.0.1.203", "02:ca:00:00:00:08", 1, "", 500)]}

CONFIGS["shared"] = {
    "option-def": [DEF234],
    "valid-lifetime": 4000,
    "option-data": [{"name": "domain-name", "data": "global.example"},
                    {"name": "domain-name-servers", "data": "10.9.9.9"},
                    {"name": "time-offset", "data": "3600"}],
    "shared-networks": [
        {"name": "net1", "valid-lifetime": 3000,
         "option-data": [{"name": "domain-name", "data": "net1.example"},
                         {"name": "ntp-servers", "data": "10.1.0.123"}],
         "require-client-classes": ["req-net"],
         "subnet4": [
             {"id": 11, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.12"}],
              "option-data": [{"name": "routers", "data": "10.1.0.1"}]},
             {"id": 12, "subnet": "10.2.0.0/24", "valid-lifetime": 2000,
              "pools": [{"pool": "10.2.0.10 - 10.2.0.50",
                         "option-data": [{"name": "log-servers", "data": "10.2.0.7"}]}],
              "option-data": [{"name": "routers", "data": "10.2.0.1"},
                              {"name": "domain-name", "data": "sub12.example"}],
              "reservations": [{"hw-address": "02:5b:00:00:00:01", "ip-address": "10.2.0.100",
                                "option-data": [{"name": "domain-name",
                                                 "data": "res.example"}]}]},
             {"id": 13, "subnet": "10.3.0.0/24", "client-class": "guard-x",
              "pools": [{"pool": "10.3.0.10 - 10.3.0.50"}],
              "option-data": [{"name": "routers", "data": "10.3.0.1"}]},
         ]},
        {"name": "net2", "option-data": [{"name": "domain-name", "data": "net2.example"}],
         "subnet4": [
             {"id": 21, "subnet": "10.4.0.0/24", "pools": [{"pool": "10.4.0.10 - 10.4.0.20"}],
              "client-class": "guard-y",
              "option-data": [{"name": "routers", "data": "10.4.0.1"}]},
             {"id": 22, "subnet": "10.5.0.0/24", "pools": [{"pool": "10.5.0.10 - 10.5.0.20"}],
              "option-data": [{"name": "routers", "data": "10.5.0.1"}]},
             {"id": 23, "subnet": "10.6.0.0/24", "pools": [{"pool": "10.6.0.10 - 10.6.0.20"}],
              "require-client-classes": ["req-sub23"],
              "option-data": [{"name": "routers", "data": "10.6.0.1"}]},
         ]},
    ],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255",
                                                      "option-data": [{"name": "cookie-servers",
                                                                       "data": "10.0.0.8"},
                                                                      {"name": "domain-name",
                                                                       "data": "pool1.example"}]}],
         "reservations": [{"hw-address": "02:5b:00:00:00:02", "ip-address": "10.0.1.200",
                           "option-data": [{"name": "domain-name",
                                            "data": "res-in-pool.example"}]}],
         "option-data": [{"name": "routers", "data": "10.0.0.1"},
                         {"name": "domain-name", "data": "subnet1.example"},
                         {"name": "time-offset", "data": "60"}]},
        PROBE_SUBNET,
    ],
    "client-classes": [
        {"name": "guard-x", "test": "option[77].hex == 'GX'"},
        {"name": "guard-y", "test": "option[77].hex == 'GY'"},
        {"name": "cls-dn", "test": "option[60].hex == 'CLS'",
         "option-data": [{"name": "domain-name", "data": "class.example"},
                         {"name": "time-offset", "data": "7200"},
                         {"name": "routers", "data": "10.7.7.7"},
                         {"name": "cookie-servers", "data": "10.7.7.8"}]},
        {"name": "req-net", "test": "member('ALL')", "only-if-required": True,
         "option-data": [{"name": "delivery-optimisation", "data": "net1-req"},
                         {"name": "domain-name", "data": "req-net.example"}]},
        {"name": "req-sub23", "test": "member('ALL')", "only-if-required": True,
         "option-data": [{"name": "delivery-optimisation", "data": "sub23-req"}]},
    ],
}

CONFIGS["options"] = {
    "option-def": [
        DEF234,
        {"name": "u16-array", "code": 222, "type": "uint16", "array": True, "space": "dhcp4"},
        {"name": "rec", "code": 223, "type": "record",
         "record-types": "uint8, ipv4-address, string",
         "space": "dhcp4"},
        {"name": "ip-array", "code": 224, "type": "ipv4-address", "array": True,
         "space": "dhcp4"},
        {"name": "flag", "code": 225, "type": "boolean", "space": "dhcp4"},
        {"name": "i32", "code": 226, "type": "int32", "space": "dhcp4"},
        {"name": "empty", "code": 227, "type": "empty", "space": "dhcp4"},
        {"name": "fqdn-opt", "code": 228, "type": "fqdn", "space": "dhcp4"},
    ],
    "option-data": [
        {"name": "domain-name", "data": "global.example"},
        {"name": "domain-name-servers", "data": "10.0.0.53"},
        {"name": "u16-array", "data": "1, 2, 65535"},
        {"name": "rec", "data": "7, 10.0.0.7, hello"},
        {"name": "ip-array", "data": "10.0.0.1, 10.0.0.2, 10.0.0.3"},
        {"name": "flag", "data": "true"},
        {"name": "i32", "data": "-5"},
        {"name": "empty"},
        {"name": "fqdn-opt", "data": "host.example.org."},
        {"name": "delivery-optimisation", "data": "always-here", "always-send": True},
        {"name": "ntp-servers", "data": "10.0.0.123", "always-send": True},
        {"code": 240, "csv-format": False, "data": "0102030405"},
        {"code": 241, "csv-format": False, "data": "ab" * 300},
        {"name": "static-routes", "data": "10.5.0.0, 10.0.0.1, 10.6.0.0, 10.0.0.2"},
        {"name": "ip-forwarding", "data": "false"},
        {"name": "default-ip-ttl", "data": "64"},
        {"name": "interface-mtu", "data": "1400"},
        {"name": "vendor-encapsulated-options", "csv-format": False, "data": "0103414243"},
        {"name": "domain-search", "data": "a.example.com, b.example.com"},
        {"code": 121, "csv-format": False, "data": "180a050a000001"},
    ],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}],
         "option-data": [{"name": "routers", "data": "10.0.0.1"}]},
        {"id": 2, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.100"}],
         "option-data": [{"name": "routers", "data": "10.2.0.1"},
                         {"name": "domain-name", "data": "sel.example"}]},
        {"id": 3, "subnet": "10.3.0.0/24", "pools": [{"pool": "10.3.0.10 - 10.3.0.100"}],
         "option-data": [{"name": "routers", "data": "10.3.0.1"},
                         {"name": "ntp-servers", "data": "10.3.0.123", "always-send": False}]},
        {"id": 4, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}],
         "option-data": [{"name": "routers", "data": "192.0.2.254"}]},
        PROBE_SUBNET,
    ],
}

# host-reservation-identifiers in another order: hw-address first, circuit-id last
CONFIGS["resorder"] = {
    "host-reservation-identifiers": ["hw-address", "client-id", "circuit-id"],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}],
         "reservations": [
             {"hw-address": "02:b1:00:00:00:01", "ip-address": "10.0.30.1", "hostname": "by-hw"},
             {"client-id": "01:02:b1:00:00:00:01", "ip-address": "10.0.30.2",
              "hostname": "by-cid"},
             {"circuit-id": "'ro-circ'", "ip-address": "10.0.30.3", "hostname": "by-circ"},
             {"client-id": "01:02:b1:00:00:00:02", "ip-address": "10.0.30.4",
              "hostname": "by-cid2"},
         ]},
        PROBE_SUBNET,
    ],
}

# The deployment's multi-threading settings (Kea 2.2 with 12 threads): replies must not change,
# nor which free address a new client gets (one shared cursor per pool on both servers).
CONFIGS["mt"] = copy.deepcopy(CONFIGS["classes"])
CONFIGS["mt"]["multi-threading"] = {"enable-multi-threading": True, "thread-pool-size": 12,
                                    "packet-queue-size": 65}

# Subnets guarded by client classes (issue 10): several subnets answer the same relay
# (relay.ip-addresses), the first in id order whose guard the client passes is selected; the
# class comes from a test expression of every kind or from the built-in VENDOR_CLASS_<option
# 60>. Relay 10.2.0.2: pools guarded by a class a global reservation assigns. Relay 10.3.0.2:
# a subnet guarded by that class (reservations are looked up after subnet selection). Relay
# 10.4.0.2: a single guarded subnet, so a client outside the class has none.
def _guarded(sid, relay, cls, **kw):
    s = {"id": sid, "subnet": "10.%d.0.0/24" % sid, "relay": {"ip-addresses": [relay]},
         "pools": [{"pool": "10.%d.0.10 - 10.%d.0.50" % (sid, sid)}]}
    if cls:
        s["client-class"] = cls
    s.update(kw)
    return s


CG_GUARDS = [(10, "c-test"), (11, "VENDOR_CLASS_acme"), (12, "c-mac"), (13, "c-cid"),
             (14, "c-substring"), (15, "c-concat"), (16, "VENDOR_CLASS_docsis"), (17, "c-ifelse"),
             (18, "c-transid"), (19, "c-vivso"), (20, "c-vivco"), (21, "c-vendor-data"),
             (30, None)]
CONFIGS["classguard"] = {
    "option-data": [{"name": "domain-name", "data": "guard.example"}],
    "reservations": [{"hw-address": "02:ab:00:00:00:01", "client-classes": ["res-gold"],
                      "hostname": "gold"}],
    "subnet4": [_guarded(i, "10.1.0.2", c) for i, c in CG_GUARDS] + [
        _guarded(40, "10.2.0.2", None, **{"reservations-global": True, "pools": [
            {"pool": "10.40.0.10 - 10.40.0.19", "client-class": "res-gold"},
            {"pool": "10.40.0.100 - 10.40.0.109"}]}),
        _guarded(41, "10.3.0.2", "res-gold", **{"reservations-global": True}),
        _guarded(42, "10.3.0.2", None, **{"reservations-global": True}),
        _guarded(50, "10.4.0.2", "c-test"),
        PROBE_SUBNET,
    ],
    "client-classes": [
        {"name": "c-test", "test": "option[77].hex == 'GUARD'"},
        {"name": "c-mac", "test": "pkt4.mac == 0x02aa00000001"},
        {"name": "c-cid", "test": "option[61].hex == 0x01020304"},
        {"name": "c-substring", "test": "substring(option[77].hex,0,3) == 'SUB'"},
        {"name": "c-concat", "test": "concat(option[60].hex, 'C') == 'ABC'"},
        {"name": "VENDOR_CLASS_docsis",
         "option-data": [{"name": "tftp-server-name", "data": "docsis-tftp"}]},
        {"name": "c-ifelse", "test": "ifelse(option[77].hex == 'IF', 'y', 'n') == 'y'"},
        {"name": "c-transid",
         "test": "substring(pkt4.transid, 0, 2) == 0x0000 and option[77].hex == 'XID'"},
        {"name": "c-vivso", "test": "vendor[4491].exists"},
        {"name": "c-vivco", "test": "vendor-class[4491].exists"},
        {"name": "c-vendor-data", "test": "vendor[*].option[2].hex == 'ZZ'"},
        {"name": "res-gold"},
    ],
}

NEVER_SEND = {"name": "domain-name", "never-send": True}  # Kea >= 2.3 only (config check below)

# never-send (Kea >= 2.3, the deployment's 2.4) cannot run on Kea 2.2: Kea gets the configuration
# without the suppressed options, lessor gets them with never-send; the replies must be equal.
CONFIGS["neversend"] = {
    "option-data": [{"name": "domain-name-servers", "data": "10.0.0.53"}],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}],
         "option-data": [{"name": "routers", "data": "10.0.0.1"}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "option-data": [{"name": "routers", "data": "10.1.0.1"}]},
        PROBE_SUBNET,
    ],
}
CONFIGS_B = {"neversend": copy.deepcopy(CONFIGS["neversend"])}
CONFIGS_B["neversend"]["option-data"] += [
    {"name": "domain-name", "data": "g.example", "never-send": True},
    {"name": "ntp-servers", "data": "10.0.0.123", "always-send": True, "never-send": True}]
CONFIGS_B["neversend"]["subnet4"][1]["option-data"].append(
    {"name": "time-offset", "data": "60", "never-send": True})

# Option spaces and encapsulation (issue #3): option 43 built from sub-options of
# vendor-encapsulated-options-space, a private 224 encapsulating a user space, class-level
# option-def. Kea 2.2 (CfgOption::encapsulate) fills an option's sub-options from the same scope.
VSPACE = "vendor-encapsulated-options-space"
V43 = {"name": "vendor-encapsulated-options"}
CONFIGS["optspace"] = {
    "option-def": [
        {"name": "vsub1", "code": 1, "space": VSPACE, "type": "string"},
        {"name": "vsub2", "code": 2, "space": VSPACE, "type": "ipv4-address", "array": True},
        {"name": "vsub5", "code": 5, "space": VSPACE, "type": "uint16"},
        {"name": "acme", "code": 224, "space": "dhcp4", "type": "empty",
         "encapsulate": "acme-space"},
        {"name": "acme-url", "code": 1, "space": "acme-space", "type": "string"},
        {"name": "acme-port", "code": 2, "space": "acme-space", "type": "uint16"},
    ],
    "option-data": [
        {"name": "vsub2", "space": VSPACE, "data": "10.0.0.5, 10.0.0.6"},
        V43,
        {"name": "vsub1", "space": VSPACE, "data": "global-v"},
        {"code": 7, "space": VSPACE, "csv-format": False, "data": "AABB"},
        {"name": "acme"},
        {"code": 2, "space": "acme-space", "data": "8080"},
        {"name": "acme-url", "space": "acme-space", "data": "http://g"},
    ],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.10.255"}],
         "reservations": [{"hw-address": "02:05:00:00:00:01", "option-data": [
             V43, {"name": "vsub1", "space": VSPACE, "data": "host-v"}]}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.200"}],
         "option-data": [{"name": "vsub1", "space": VSPACE, "data": "subnet-only"}]},
        {"id": 3, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.200"}],
         "option-data": [{"name": "vendor-encapsulated-options", "csv-format": False,
                          "data": "060341424301015A"},
                         {"name": "vsub5", "space": VSPACE, "data": "9"}]},
        {"id": 4, "subnet": "10.3.0.0/24", "pools": [{"pool": "10.3.0.10 - 10.3.0.200"}],
         "option-data": [V43]},
        {"id": 5, "subnet": "10.4.0.0/24", "pools": [
            {"pool": "10.4.0.10 - 10.4.0.200", "option-data": [
                V43, {"name": "vsub5", "space": VSPACE, "data": "4"}]}]},
        {"id": 6, "subnet": "10.5.0.0/24", "pools": [{"pool": "10.5.0.10 - 10.5.0.200"}],
         "option-data": [{"name": "vendor-encapsulated-options", "csv-format": False,
                          "data": "0102AABBCC"},
                         {"name": "vsub5", "space": VSPACE, "data": "3"}]},
        {"id": 7, "subnet": "10.6.0.0/24", "pools": [{"pool": "10.6.0.10 - 10.6.0.200"}],
         "option-data": [{"name": "vendor-encapsulated-options", "csv-format": False,
                          "data": "050200FF"},
                         {"name": "vsub5", "space": VSPACE, "data": "3"},
                         {"name": "vsub1", "space": VSPACE, "data": "b"},
                         {"code": 1, "space": VSPACE, "data": "a"}]},
        PROBE_SUBNET,
    ],
    "client-classes": [
        {"name": "c43", "test": "option[77].hex == 'C43'",
         "option-data": [V43, {"name": "vsub1", "space": VSPACE, "data": "class-v"}]},
        {"name": "cdef43", "test": "option[77].hex == 'CDEF'",
         "option-def": [{"name": "my43", "code": 43, "type": "string"}],
         "option-data": [{"name": "my43", "data": "class-string"}]},
        {"name": "cdef225", "test": "option[77].hex == 'C225'",
         "option-def": [{"name": "cpriv", "code": 225, "type": "uint32"}],
         "option-data": [{"name": "cpriv", "data": "77"}]},
        {"name": "cenc226", "test": "option[77].hex == 'CENC'",
         "option-def": [{"name": "cenc", "code": 226, "type": "empty",
                         "encapsulate": "acme-space"}],
         "option-data": [{"name": "cenc"},
                         {"name": "acme-url", "space": "acme-space", "data": "http://c"}]},
        {"name": "chex", "test": "option[77].hex == 'CHEX'",
         "option-data": [{"code": 43, "csv-format": False, "data": "000101AAFF0105"},
                         {"name": "vsub1", "space": VSPACE, "data": "q"}]},
        {"name": "clong", "test": "option[77].hex == 'LONG'",
         "option-data": [V43, {"code": 1, "space": VSPACE, "csv-format": False,
                               "data": "ab" * 300},
                         {"code": 3, "space": VSPACE, "csv-format": False, "data": "cd"}]},
        {"name": "clong2", "test": "option[77].hex == 'LONG2'",
         "option-data": [V43, {"code": 3, "space": VSPACE, "csv-format": False, "data": "cd"},
                         {"code": 5, "space": VSPACE, "csv-format": False,
                          "data": "ab" * 300}]},
    ],
}

# Packets and options (issue #10): configured 50/52/118, option 82 sub-option order, split 55.
CONFIGS["pktopts"] = {
    "option-data": [{"name": "dhcp-requested-address", "data": "10.0.0.99"},
                    {"name": "dhcp-option-overload", "data": "3"},
                    {"name": "subnet-selection", "data": "10.9.0.0"},
                    {"name": "ntp-servers", "data": "10.0.0.123"},
                    {"name": "log-servers", "data": "10.0.0.7"},
                    {"name": "time-offset", "data": "3600"},
                    {"name": "nis-domain", "data": "nis.example"}],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}]},
        PROBE_SUBNET,
    ],
}

# Client names (issue #10): option 81 and option 12 with DDNS off, and the ddns-* / hostname-*
# parameters at global, shared-network and subnet level.
CONFIGS["names"] = {
    "ddns-generated-prefix": "gpfx",
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}],
         "reservations": [{"hw-address": "02:f1:00:00:00:01", "hostname": "Res-Host"},
                          {"hw-address": "02:f1:00:00:00:02", "hostname": "res2.Example.COM."}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "hostname-char-set": "[^A-Za-z0-9.-]", "hostname-char-replacement": "x"},
        {"id": 3, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.100"}],
         "hostname-char-set": ""},
        {"id": 4, "subnet": "10.3.0.0/24", "pools": [{"pool": "10.3.0.10 - 10.3.0.100"}],
         "ddns-replace-client-name": "always", "ddns-generated-prefix": "sub4"},
        {"id": 5, "subnet": "10.4.0.0/24", "pools": [{"pool": "10.4.0.10 - 10.4.0.100"}],
         "ddns-replace-client-name": "when-not-present"},
        {"id": 7, "subnet": "10.6.0.0/24", "pools": [{"pool": "10.6.0.10 - 10.6.0.100"}],
         "ddns-qualifying-suffix": "sub.example.", "ddns-replace-client-name": "never",
         "hostname-char-set": "[^a-z.]", "hostname-char-replacement": "-"},
        PROBE_SUBNET,
    ],
    "shared-networks": [
        {"name": "names-net", "ddns-qualifying-suffix": "net.example",
         "ddns-replace-client-name": "when-present",
         "subnet4": [
             {"id": 6, "subnet": "10.5.0.0/24", "pools": [{"pool": "10.5.0.10 - 10.5.0.100"}],
              "reservations": [{"hw-address": "02:f1:00:00:00:06", "hostname": "resnet"}]}]},
    ],
}

# Drops (issue #10): every reason lessor drops a packet for logs on kea-dhcp4.bad-packets as
# Kea 2.2 does (logger, id, debug level, text); compared by test_log_lines.
CONFIGS["badpkt"] = {
    "loggers": [{"name": "kea-dhcp4", "severity": "INFO",
                 "output_options": [{"output": "stdout"}]},
                {"name": "kea-dhcp4.bad-packets", "severity": "DEBUG", "debuglevel": 99,
                 "output_options": [{"output": "stdout"}]}],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}]},
        {"id": 4, "subnet": "192.0.2.0/24", "pools": [{"pool": "192.0.2.100 - 192.0.2.200"}]},
        PROBE_SUBNET,
    ],
    "client-classes": [{"name": "DROP", "test": "option[77].hex == 'DROPME'"}],
}

# store-extended-info (issue #10): the relay's option 82 kept in the lease's user-context as
# Kea 2.2 keeps it; the lease files are compared row by row (test_lease_rows).
CONFIGS["extinfo"] = {
    "store-extended-info": True,
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "store-extended-info": False},
        PROBE_SUBNET,
    ],
    "shared-networks": [
        {"name": "sn-off", "store-extended-info": False, "subnet4": [
            {"id": 3, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.100"}]},
            {"id": 4, "subnet": "10.3.0.0/24", "pools": [{"pool": "10.3.0.10 - 10.3.0.100"}],
             "store-extended-info": True}]},
    ],
}
# early-global-reservations-lookup (issue #10): a global reservation's classes (and KNOWN) are
# set before subnet selection, so they can guard subnets (Kea 2.2 Dhcpv4Srv::earlyGHRLookup).
CONFIGS["earlyghr"] = {
    "early-global-reservations-lookup": True,
    "reservations": [
        {"hw-address": "02:e9:00:00:00:01", "client-classes": ["gold"], "hostname": "g1"},
        {"hw-address": "02:e9:00:00:00:02", "hostname": "plain"},
        {"hw-address": "02:e9:00:00:00:03", "client-classes": ["drop-me"]},
        {"hw-address": "02:e9:00:00:00:04", "client-classes": ["gold"], "ip-address": "10.3.0.77"},
    ],
    "client-classes": [
        {"name": "gold", "option-data": [{"name": "domain-name", "data": "gold.example"}]},
        {"name": "via-gold", "test": "member('gold')",
         "option-data": [{"name": "ntp-servers", "data": "10.0.0.123"}]},
        {"name": "is-known", "test": "member('KNOWN')",
         "option-data": [{"name": "log-servers", "data": "10.0.0.7"}]},
        {"name": "drop-me"},
        {"name": "DROP", "test": "member('drop-me')"},
    ],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}],
         "client-class": "gold", "reservations-global": True},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "client-class": "is-known", "reservations-global": True},
        {"id": 3, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.100"}],
         "client-class": "via-gold", "reservations-global": False},
        {"id": 4, "subnet": "10.3.0.0/24", "reservations-global": True,
         "pools": [{"pool": "10.3.0.10 - 10.3.0.100", "client-class": "gold"},
                   {"pool": "10.3.0.110 - 10.3.0.200"}]},
        PROBE_SUBNET,
    ],
}
CONFIGS["earlyghr-off"] = copy.deepcopy(CONFIGS["earlyghr"])
CONFIGS["earlyghr-off"]["early-global-reservations-lookup"] = False

# Kea 2.2's lease cache (issue #10): a renewal within cache-threshold (share of the new valid
# lifetime) and cache-max-age (seconds) of the lease's last write reuses it without a write and
# sends the remaining lifetime. Preloaded leases (PRELOAD, with their age) make the age large
# enough for the clock's second boundaries not to matter; opt51 is checked within a range.
CONFIGS["cache"] = {
    "valid-lifetime": 4000, "renew-timer": 1000, "rebind-timer": 2000,
    "cache-threshold": 0.25,
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "cache-max-age": 300},
        PROBE_SUBNET,
    ],
    "shared-networks": [
        {"name": "sn-cache", "cache-threshold": 0.9, "subnet4": [
            {"id": 3, "subnet": "10.2.0.0/24", "pools": [{"pool": "10.2.0.10 - 10.2.0.100"}]}]},
        {"name": "sn-age", "cache-max-age": 5000, "subnet4": [
            {"id": 4, "subnet": "10.3.0.0/24", "pools": [{"pool": "10.3.0.10 - 10.3.0.100"}],
             "cache-threshold": 0.05}]},
    ],
}
# vendor-<enterprise-id> option spaces (issue #10): option 125 (RFC 3925 VIVSO) built from the
# sub-options configured in space vendor-N, for the enterprise the client names in its own
# option 125 (Kea 2.2 appendRequestedVendorOptions: always-send sub-options, and for 4491 the
# codes the client's sub-option 1 (DOCSIS ORO) asks for).
CONFIGS["vendor"] = {
    "option-def": [
        {"name": "acme-url", "code": 1, "space": "vendor-1234", "type": "string"},
        {"name": "acme-port", "code": 7, "space": "vendor-1234", "type": "uint16"},
        {"name": "acme-id", "code": 3, "space": "vendor-1234", "type": "uint32"},
    ],
    "option-data": [
        {"name": "tftp-servers", "space": "vendor-4491", "data": "10.0.0.69, 10.0.0.70"},
        {"code": 5, "space": "vendor-4491", "csv-format": False, "data": "0102"},
        {"name": "acme-url", "space": "vendor-1234", "data": "http://acme", "always-send": True},
        {"name": "acme-port", "space": "vendor-1234", "data": "8080"},
    ],
    "subnet4": [
        {"id": 1, "subnet": "10.0.0.0/16", "pools": [{"pool": "10.0.1.0 - 10.0.1.255"}]},
        {"id": 2, "subnet": "10.1.0.0/24", "pools": [{"pool": "10.1.0.10 - 10.1.0.100"}],
         "option-data": [{"name": "acme-url", "space": "vendor-1234", "data": "http://subnet",
                          "always-send": True},
                         {"name": "acme-id", "space": "vendor-1234", "data": "77",
                          "always-send": True}]},
        PROBE_SUBNET,
    ],
    "client-classes": [
        {"name": "vend-class", "test": "option[77].hex == 'VC'",
         "option-data": [{"name": "acme-port", "space": "vendor-1234", "data": "9090",
                          "always-send": True}]},
    ],
}

# groups whose lease files are compared after the cases (test_lease_rows)
LEASE_GROUPS = ["extinfo", "cache"]

# ---------------------------------------------------------------------------------------------
# the cases


class Case:
    def __init__(self, name, group, kind="discover", mac=None, relay="10.0.0.2", opts=(),
                 want=None, ignore=(), **kw):
        self.name, self.group, self.kind, self.mac, self.relay = name, group, kind, mac, relay
        self.opts, self.want, self.ignore, self.kw = list(opts), want or {}, set(ignore), kw


CASES = []


def C(*a, **kw):
    CASES.append(Case(*a, **kw))


def rai(*subs):
    """Option 82 from (sub-code, bytes) pairs."""
    return (82, b"".join(bytes([c, len(v)]) + v for c, v in subs))


PRL = lambda *codes: (55, bytes(codes))  # noqa: E731
o77 = lambda s: (77, s.encode())  # noqa: E731
o60 = lambda s: (60, s.encode())  # noqa: E731
# sent unless a case sends its own option 55 (or noprl=True): Kea sends most options only
# when asked
DEFAULT_PRL = (55, bytes([1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 40, 42, 66, 67,
                          234]))
ip = lambda *a: b"".join(bytes(int(x) for x in s.split(".")) for s in a)  # noqa: E731

# --- classes -----------------------------------------------------------------------------------
G = "classes"
C("cls-plain-discover", G, want={"type": OFFER, "opt15": b"global.example", "opt3": ip("10.0.0.1")})
C("cls-plain-dora", G, "dora", want={"type": ACK, "opt15": b"global.example"})
C("cls-uc-w10", G, opts=[o77("W10TEST")], want={"opt15": b"w10.example"})
C("cls-uc-w10-dora", G, "dora", opts=[o77("W10TEST")], want={"opt15": b"w10.example"})
C("cls-uc-near-miss", G, opts=[o77("W10TES")], want={"opt15": b"global.example"})
C("cls-vc-substring", G, opts=[o60("FOOBAR")], want={"opt15": b"foo.example", "opt40": b"foo-nis"})
C("cls-vc-substring-short", G, opts=[o60("FO")], want={"opt15": b"global.example", "opt40": None})
C("cls-vendor-class-auto", G, opts=[o60("docsis3.0")], want={"opt66": b"docsis-tftp"})
C("cls-vendor-class-other", G, opts=[o60("docsis3.1")], want={"opt66": None})
C("cls-relay4-circuit", G, opts=[rai((1, b"port-7"))], want={"opt42": ip("10.0.0.123")})
C("cls-relay4-remote", G, opts=[rai((2, b"rem-9"))], want={"opt7": ip("10.0.0.7")})
C("cls-relay4-both", G, "dora", opts=[rai((1, b"port-7"), (2, b"rem-9"))],
  want={"opt42": ip("10.0.0.123"), "opt7": ip("10.0.0.7")})
C("cls-relay4-wrong", G, opts=[rai((1, b"port-8"))], want={"opt42": None})
C("cls-concat", G, opts=[o60("ABC")], want={"opt17": b"/concat"})
C("cls-ifelse-yes", G, opts=[o77("IF")], want={"opt17": b"/ifelse"})
C("cls-ifelse-no", G, opts=[o77("IFF")], want={"opt17": None})
C("cls-hexstring-mac", G, mac="02:c1:00:00:00:09", want={"opt17": b"/hexstring"})
C("cls-member-chain", G, opts=[o77("CHAIN"), o60("V")], want={"opt14": b"/chain"})
C("cls-member-chain-broken", G, opts=[o77("CHAIN"), o60("W")], want={"opt14": None})
C("cls-not-or-1", G, opts=[o60("NO")], want={"opt16": ip("10.0.0.14")})
C("cls-not-or-2", G, opts=[o60("NO2"), o77("B")], want={"opt16": ip("10.0.0.14")})
C("cls-not-or-neg", G, opts=[o60("NO"), o77("A")], want={"opt16": None})
C("cls-known", G, mac="02:c1:00:00:00:aa", want={"opt10": ip("10.0.0.10")})
C("cls-known-dora", G, "dora", mac="02:c1:00:00:00:aa", want={"type": ACK, "opt12": b"known-one"})
C("cls-unknown", G, opts=[o77("UNK")], want={"opt10": ip("10.0.0.11")})
C("cls-unknown-but-known", G, mac="02:c1:00:00:00:aa", opts=[o77("UNK")],
  want={"opt10": ip("10.0.0.10")})
C("cls-pxe-fields", G, opts=[o60("PXEClient:Arch:00000")],
  want={"siaddr": "10.0.0.50", "sname": "tftp1", "file": "pxelinux.0"})
C("cls-pxe-fields-dora", G, "dora", opts=[o60("PXEClient:Arch:00007")],
  want={"siaddr": "10.0.0.50", "file": "pxelinux.0"})
C("cls-pxe-prl-66-67", G, opts=[o60("PXEClient:x"), PRL(1, 3, 66, 67)])
C("cls-valid-lifetime", G, "dora", opts=[o77("SHORT")], want={"opt51": (600).to_bytes(4, "big")})
C("cls-valid-lifetime-off", G, "dora", want={"opt51": (4000).to_bytes(4, "big")})
C("cls-exists", G, opts=[o77("EX")], want={"opt8": ip("10.0.0.8")})
C("cls-two-classes-first-wins", G, opts=[o77("TWO")],
  want={"opt15": b"first.example"})
C("cls-two-classes-merge", G, opts=[o77("TWO")], want={"opt9": ip("10.0.0.9")})
C("cls-substring-negative", G, opts=[o60("the-end")], want={"opt18": b"/neg"})
C("cls-msgtype-in-ack", G, "dora", want={"0:opt5": None, "1:opt5": ip("10.0.0.5")})
C("cls-msgtype-request", G, "dora", opts=[o77("RQ")], want={"0:opt5": None,
                                                          "1:opt5": ip("10.0.0.5")})
C("cls-hex-option", G, opts=[o77("HEX")], want={"opt234": b"ABC"})
C("cls-required-subnet", G, relay="10.1.0.2",
  want={"opt3": ip("10.1.0.1"), "opt234": b"subnet-req"})
C("cls-required-subnet-dora", G, "dora", relay="10.1.0.2",
  want={"type": ACK, "opt3": ip("10.1.0.1")})
C("cls-required-pool", G, relay="10.1.0.2", opts=[o77("POOLREQ")],
  want={"opt15": b"poolreq.example"})
C("cls-required-pool-not-in-other-subnet", G, opts=[o77("POOLREQ")],
  want={"opt15": b"global.example"})
C("cls-never-required", G, relay="10.1.0.2", want={"opt15": b"global.example"})
C("cls-rai-option82-subopt", G, opts=[rai((1, b"pxe-circ"))], want={"file": "rai.efi"})
C("cls-prl-order", G, opts=[PRL(15, 6, 3, 1)])
C("cls-prl-unknown-codes", G, opts=[PRL(200, 201, 6)])
C("cls-inform-relayed", G, "inform", ciaddr="10.0.0.2", want={"type": ACK, "yiaddr": "0.0.0.0"})
C("cls-inform-w10", G, "inform", ciaddr="10.0.0.2", opts=[o77("W10TEST")],
  want={"opt15": b"w10.example"})

# --- reservations ------------------------------------------------------------------------------
G = "reservations"
C("res-hw-in-pool", G, "dora", mac="02:a1:00:00:00:01",
  want={"yiaddr": "10.0.1.50", "opt12": b"res-hw"})
C("res-client-id", G, "dora", mac="02:a1:00:00:00:02", opts=[(61, bytes.fromhex("0102a100000002"))],
  want={"yiaddr": "10.0.20.2", "opt15": b"cid.example", "opt12": b"res-cid"})
C("res-client-id-other-mac", G, mac="02:a1:00:00:00:f2",
  opts=[(61, bytes.fromhex("0102a100000002"))], want={"yiaddr": "10.0.20.2"})
C("res-circuit-id", G, "dora", mac="02:a1:00:00:00:03", opts=[rai((1, b"circ-1"))],
  want={"yiaddr": "10.0.20.3", "opt12": b"res-circ"})
C("res-duid", G, "dora", mac="02:a1:00:00:00:04",
  opts=[(61, bytes.fromhex("ff00000001" "00030001" "02a100000004"))],
  want={"yiaddr": "10.0.20.4", "opt12": b"res-duid"})
C("res-duid-wrong-type", G, mac="02:a1:00:00:00:f4",
  opts=[(61, bytes.fromhex("fe00000001" "00030001" "02a100000004"))],
  want={"opt12": None})
C("res-flex-id-data-only", G, mac="02:a1:00:00:00:05", opts=[o77("flexdata")],
  want={"opt12": None})
C("res-boot-fields", G, "dora", mac="02:a1:00:00:00:06",
  want={"yiaddr": "10.0.20.6", "siaddr": "10.0.0.60", "sname": "boot6", "file": "six.efi"})
C("res-client-classes", G, mac="02:a1:00:00:00:07",
  want={"yiaddr": "10.0.20.7", "opt42": ip("10.0.0.99"), "opt15": b"known.example"})
C("res-plain-out-of-pool", G, "dora", mac="02:a1:00:00:00:08", want={"yiaddr": "10.0.20.8"})
C("res-order-circuit-beats-hw", G, "dora", mac="02:a1:00:00:00:08", opts=[rai((1, b"circ-8"))],
  want={"0:yiaddr": "10.0.20.9"})
C("res-in-use-by-other", G, "dora", mac="02:a1:00:00:00:0a")
C("res-in-use-holder-renews", G, "reboot", mac="02:a1:00:00:00:99", addr="10.0.1.77")
C("res-options-only", G, "dora", mac="02:a1:00:00:00:0b",
  want={"opt3": ip("10.0.0.254"), "opt42": ip("10.0.0.124")})
C("res-hostname-only", G, mac="02:a1:00:00:00:0c", want={"opt12": b"name-only"})
C("res-hostname-underscore-case", G, "dora", mac="02:a1:00:00:00:0d")
C("res-hostname-vs-client-name", G, mac="02:a1:00:00:00:0d", opts=[(12, b"client-says")])
C("res-hostname-not-requested", G, mac="02:a1:00:00:00:0c", opts=[PRL(1, 3)])
C("res-unknown-client", G, "dora", mac="02:a1:00:00:00:f0", want={"opt15": b"global.example"})
C("res-global-not-enabled", G, mac="02:a6:00:00:00:01", want={"opt12": None})
C("res-global-enabled", G, "dora", mac="02:a6:00:00:00:01", relay="10.1.0.2",
  want={"opt12": b"global-host", "opt15": b"global-res.example"})
C("res-global-ip", G, "dora", mac="02:a6:00:00:00:02", relay="10.1.0.2",
  want={"yiaddr": "10.1.0.222"})
C("res-subnet2-own", G, "dora", mac="02:a2:00:00:00:01", relay="10.1.0.2",
  want={"yiaddr": "10.1.0.150"})
C("res-in-subnet-false", G, "dora", mac="02:a3:00:00:00:01", relay="10.2.0.2",
  want={"opt12": None})
C("res-out-of-pool-outside", G, "dora", mac="02:a4:00:00:00:01", relay="10.3.0.2",
  want={"yiaddr": "10.3.0.150"})
C("res-out-of-pool-inside", G, "dora", mac="02:a4:00:00:00:02", relay="10.3.0.2")
for i in range(3):
    C("res-oop-dynamic-%d" % i, G, "dora", relay="10.4.0.2", want={"yiaddr": "10.4.0.1%d" % i})
for i in range(3):
    C("res-skip-reserved-dynamic-%d" % i, G, "dora", relay="10.5.0.2",
      want={"yiaddr": "10.5.0.1%d" % (i + (i >= 2))})
C("res-reserved-addr-requested-by-other", G, "reboot", mac="02:a1:00:00:00:f5",
  addr="10.0.20.8")
C("res-reboot-own", G, "reboot", mac="02:a1:00:00:00:06", addr="10.0.20.6",
  want={"type": ACK, "file": "six.efi"})
C("res-reboot-wrong", G, "reboot", mac="02:a1:00:00:00:06", addr="10.0.1.60")
C("res-inform-known", G, "inform", mac="02:a1:00:00:00:0b", ciaddr="10.0.0.2",
  want={"opt3": ip("10.0.0.254")})
C("res-hw-second-discover", G, mac="02:a1:00:00:00:01", want={"yiaddr": "10.0.1.50"})

# --- shared networks ---------------------------------------------------------------------------
G = "shared"
C("sn-select-by-member-1", G, relay="10.1.0.2",
  want={"opt15": b"net1.example", "opt234": b"net1-req", "yiaddr": "10.1.0.10"})
C("sn-guarded-member-giaddr", G, relay="10.3.0.2")
C("sn-guarded-member-giaddr-class", G, relay="10.3.0.2", opts=[o77("GX")])
for i in range(3):
    C("sn-fill-first-pool-%d" % i, G, "dora", relay="10.1.0.2",
      want={"opt3": ip("10.1.0.1"),
            "opt51": (3000).to_bytes(4, "big")})
C("sn-fall-through-sibling", G, "dora", relay="10.1.0.2",
  want={"yiaddr": "10.2.0.10", "opt3": ip("10.2.0.1"), "opt51": (2000).to_bytes(4, "big"),
        "opt15": b"sub12.example", "opt7": ip("10.2.0.7")})
C("sn-fall-through-guarded", G, "dora", relay="10.1.0.2", opts=[o77("GX")])
C("sn-via-sibling-giaddr", G, "dora", relay="10.2.0.2")
C("sn-select-by-member-2", G, relay="10.2.0.2",
  want={"opt15": b"sub12.example", "opt234": b"net1-req"})
C("sn-init-reboot-sibling-ok", G, "dora_reboot", relay="10.1.0.2", mac="02:5a:00:00:00:01")
C("sn-init-reboot-across", G, "reboot", relay="10.2.0.2", mac="02:5a:00:00:00:01",
  addr="@lease", want={"type": ACK})
C("sn-init-reboot-other-net", G, "reboot", relay="10.5.0.2", mac="02:5a:00:00:00:01",
  addr="@lease")
C("sn-init-reboot-other-net-unknown", G, "reboot", relay="10.5.0.2", mac="02:5a:00:00:00:02",
  addr="10.1.0.11")
C("sn-init-reboot-outside", G, "reboot", relay="10.1.0.2", mac="02:5a:00:00:00:03",
  addr="10.0.1.5")
C("sn-reservation-beats-pool", G, "dora", relay="10.0.0.2", mac="02:5b:00:00:00:02",
  want={"yiaddr": "10.0.1.200", "opt15": b"res-in-pool.example", "opt8": ip("10.0.0.8")})
C("sn-reservation-opts", G, "dora", relay="10.1.0.2", mac="02:5b:00:00:00:01",
  want={"yiaddr": "10.2.0.100", "opt15": b"res.example"})
C("sn-class-vs-net-vs-global", G, relay="10.5.0.2", opts=[o60("CLS")],
  want={"opt15": b"net2.example", "opt2": (7200).to_bytes(4, "big")})
C("sn-class-vs-subnet", G, relay="10.5.0.2", opts=[o60("CLS")], want={"opt3": ip("10.5.0.1")})
C("sn-class-vs-pool", G, relay="10.0.0.2", opts=[o60("CLS")],
  want={"opt8": ip("10.0.0.8"), "opt15": b"pool1.example"})
C("sn-class-vs-subnet-time", G, relay="10.0.0.2", opts=[o60("CLS")],
  want={"opt2": (60).to_bytes(4, "big")})
C("sn-pool-vs-subnet", G, relay="10.0.0.2", want={"opt15": b"pool1.example",
                                                  "opt2": (60).to_bytes(4, "big")})
C("sn-class-vs-global-time", G, relay="10.5.0.2", opts=[o60("CLS")],
  want={"opt2": (7200).to_bytes(4, "big")})
C("sn-net-vs-required", G, relay="10.2.0.2", opts=[o60("CLS")])
C("sn-lifetime-inherit-global", G, "dora", relay="10.5.0.2",
  want={"opt51": (4000).to_bytes(4, "big")})
C("sn-net2-guarded-first-subnet", G, "dora", relay="10.4.0.2", opts=[o77("GY")],
  want={"opt3": ip("10.4.0.1")})
C("sn-net2-guard-miss", G, "dora", relay="10.4.0.2", want={"type": None})
# Kea 2.2 starts a shared network's allocation at its "preferred subnet": the member (with the
# same class guard as the one giaddr selected) that most recently allocated from its pools.
C("sn-net2-giaddr-order", G, "dora", relay="10.6.0.2", want={"opt3": ip("10.5.0.1")})
C("sn-net2-required-sub23", G, relay="10.6.0.2", want={"opt234": None, "opt3": ip("10.5.0.1")})
C("sn-net2-required-sub23-after-fill", G, relay="10.6.0.2", opts=[(50, ip("10.6.0.15"))],
  want={"opt234": b"sub23-req", "yiaddr": "10.6.0.15"})
C("sn-plain-subnet-pool-opt", G, "dora", relay="10.0.0.2", want={"opt8": ip("10.0.0.8"),
                                                                 "opt15": b"pool1.example"})
C("sn-renew-unicast-relayed", G, "renew", relay="10.1.0.2", mac="02:5c:00:00:00:01",
  addr="10.1.0.10")
C("sn-inform-net1", G, "inform", relay="10.2.0.2", ciaddr="10.2.0.2")
C("sn-release-rediscover", G, "dora_release_discover", relay="10.2.0.2")
C("sn-unknown-giaddr", G, relay="10.99.0.2", giaddr_override="10.77.0.2")

# --- options, relays, subnet selection ----------------------------------------------------------
G = "options"
C("opt-defs-offer", G, opts=[PRL(1, 3, 222, 223, 224)],
  want={"opt222": bytes.fromhex("00010002ffff"),
        "opt223": bytes([7]) + ip("10.0.0.7") + b"hello",
        "opt224": ip("10.0.0.1", "10.0.0.2", "10.0.0.3")})
C("opt-defs-requested", G, opts=[PRL(222, 223, 224, 225, 226, 227, 228)],
  want={"opt225": b"\x01", "opt226": (-5).to_bytes(4, "big", signed=True), "opt227": b""})
C("opt-defs-dora", G, "dora", opts=[PRL(1, 3, 6, 15, 222, 223, 228, 240, 241)])
C("opt-always-send", G, want={"opt234": b"always-here", "opt42": ip("10.0.0.123")})
C("opt-always-send-subnet-value", G, relay="10.3.0.2", opts=[PRL(1, 3)],
  want={"opt42": ip("10.3.0.123")})
C("opt-always-send-subnet-off-req", G, relay="10.3.0.2", opts=[PRL(42)],
  want={"opt42": ip("10.3.0.123")})
C("opt-csv-false", G, opts=[PRL(240)], want={"opt240": bytes.fromhex("0102030405")})
C("opt-long-split", G, opts=[PRL(241)], want={"opt241": bytes.fromhex("ab" * 300)})
C("opt-static-routes", G, opts=[PRL(33, 19, 23, 26)])
C("opt-vendor-encap", G, opts=[PRL(43)], want={"opt43": bytes.fromhex("0103414243")})
C("opt-domain-search", G, opts=[PRL(119, 121)])
C("opt-many-prl", G, opts=[PRL(*range(1, 80))])
C("opt-118-subnet-select", G, "dora", opts=[(118, ip("10.2.0.0"))],
  want={"opt3": ip("10.2.0.1"), "opt15": b"sel.example"})
C("opt-118-unknown-subnet", G, opts=[(118, ip("10.55.0.0"))])
C("opt-rai-echo", G, "dora", opts=[rai((1, b"circuit"), (2, b"remote"))])
C("opt-rai-echo-unknown-sub", G, opts=[rai((1, b"c"), (9, b"\x00\x00\x0d\xe9\x00"))])
C("opt-rai-link-select", G, "dora", opts=[rai((1, b"ls"), (5, ip("10.3.0.0")))],
  want={"opt3": ip("10.3.0.1")})
C("opt-rai-link-select-bad", G, opts=[rai((5, ip("10.44.0.0")))])
C("opt-rai-link-select-and-118", G, opts=[(118, ip("10.2.0.0")), rai((5, ip("10.3.0.0")))])
C("opt-rai-server-id-override", G, "dora", opts=[rai((1, b"x"), (11, ip("10.0.0.2")))])
C("opt-rai-relay-port", G, opts=[rai((1, b"rp"), (19, b"\x00\x43"))])
C("opt-hops", G, hops=3)
C("opt-broadcast-flag", G, "dora", flags=0x8000)
C("opt-secs", G, secs=17)
C("opt-hostname-sent", G, "dora", opts=[(12, b"myhost")])
C("opt-hostname-sanitised", G, "dora", opts=[(12, b"My_Host.")])
C("opt-hostname-all-bad", G, opts=[(12, b"__")])
C("opt-client-id", G, "dora", opts=[(61, b"\x01\x02\x00\x00\x00\x00\x99")])
C("opt-client-id-1byte-dropped", G, opts=[(61, b"\x01")], want={"type": None})
C("opt-requested-addr", G, opts=[(50, ip("10.0.1.200"))], want={"yiaddr": "10.0.1.200"})
C("opt-requested-addr-outside", G, opts=[(50, ip("10.9.0.1"))])
C("opt-lease-time-asked", G, "dora", opts=[(51, (100).to_bytes(4, "big"))])
C("opt-max-msg-size", G, opts=[(57, (576).to_bytes(2, "big")), PRL(241)])
C("opt-other-server-id-discover", G, opts=[(54, ip("10.9.9.9"))], want={"type": None})
C("opt-request-wrong-server-id", G, "request_only",
  opts=[(50, ip("10.0.1.5")), (54, ip("10.9.9.9"))], want={"type": None})
C("opt-op2-discover", G, op=2)
C("opt-direct-inform", G, "inform", relay=None, ciaddr="192.0.2.2")
C("opt-direct-inform-prl", G, "inform", relay=None, ciaddr="192.0.2.2", opts=[PRL(3, 15, 222)])
C("opt-reboot-no-lease-wrong-subnet", G, "reboot", addr="10.2.0.50", want={"type": None})
C("opt-reboot-lease-here", G, "dora_reboot", relay="10.2.0.2", mac="02:0e:00:00:00:01",
  want={"type": ACK, "yiaddr": "10.2.0.11"})
# Kea looks for the client's lease in the subnet selected by giaddr only: silence, not NAK
C("opt-reboot-lease-other-subnet", G, "reboot", mac="02:0e:00:00:00:01", addr="@lease",
  want={"type": None})
C("opt-renew-wrong-subnet", G, "renew", addr="10.2.0.50")
C("opt-request-no-addr", G, "request_only", want={"type": ACK})
C("opt-dora-renew", G, "dora_renew", want={"type": ACK})
C("opt-dora-decline-discover", G, "dora_decline_discover")
C("opt-dora-release-discover", G, "dora_release_discover")
C("opt-renew-unknown-addr", G, "renew", addr="10.0.1.250", want={"type": ACK})
# malformed or odd requests (NOTES.md: Kea 2.2 quirks)
C("opt-hlen17", G, hlen=17, chaddr=bytes.fromhex("02ab000000010000000000000000000f"))
C("opt-hlen0", G, hlen=0)
C("opt-htype-ieee802", G, htype=6)
C("opt-dup-53", G, raw_opts=bytes([53, 1, 1]), want={"type": None})
C("opt-zero-len-55", G, noprl=True, raw_opts=bytes([55, 0]), want={"type": None})
C("opt-zero-len-61", G, raw_opts=bytes([61, 0]), want={"type": None})
C("opt-57-one-byte", G, raw_opts=bytes([57, 1, 2]), want={"type": None})
C("opt-no-msgtype", G, no_msgtype=True, want={"type": None})
C("opt-pads-between", G, raw_opts=bytes([0, 0, 0, 77, 2, 65, 66, 0]))
C("opt-ciaddr-in-discover", G, ciaddr="10.0.0.2")
C("opt-prl-duplicates", G, opts=[PRL(3, 3, 15, 15, 6)])
C("opt-client-id-type0", G, "dora", opts=[(61, b"\x00client-zero")])
C("opt-hops-16", G, hops=16)
C("opt-sname-file-in-request", G, sname=b"someserver", file=b"somefile")

# --- host-reservation-identifiers order ---------------------------------------------------------
G = "resorder"
C("ro-hw-beats-cid-and-circuit", G, "dora", mac="02:b1:00:00:00:01",
  opts=[(61, bytes.fromhex("0102b100000001")), rai((1, b"ro-circ"))],
  want={"yiaddr": "10.0.30.1", "opt12": b"by-hw"})
C("ro-cid-beats-circuit", G, "dora", mac="02:b1:00:00:00:09",
  opts=[(61, bytes.fromhex("0102b100000002")), rai((1, b"ro-circ"))],
  want={"yiaddr": "10.0.30.4", "opt12": b"by-cid2"})
C("ro-circuit-alone", G, "dora", mac="02:b1:00:00:00:0a", opts=[rai((1, b"ro-circ"))],
  want={"yiaddr": "10.0.30.3", "opt12": b"by-circ"})
C("ro-none", G, mac="02:b1:00:00:00:0b", opts=[rai((1, b"other"))], want={"opt12": None})

# --- the deployment's multi-threading settings ----------------------------------------------------
G = "mt"
for name, kind, relay, opts in [
        ("plain", "dora", "10.0.0.2", []), ("w10", "dora", "10.0.0.2", [o77("W10TEST")]),
        ("required", "dora", "10.1.0.2", []), ("pool-required", "dora", "10.1.0.2",
                                                [o77("POOLREQ")]),
        ("rai", "dora", "10.0.0.2", [rai((1, b"port-7"), (2, b"rem-9"))]),
        ("pxe", "discover", "10.0.0.2", [o60("PXEClient:1")]),
        ("known", "dora", "10.0.0.2", []), ("short", "dora", "10.0.0.2", [o77("SHORT")])]:
    C("mt-" + name, G, kind, relay=relay, opts=opts,
      mac="02:c1:00:00:00:aa" if name == "known" else None,
      # the first new client of the pool gets its first address, whichever thread read it
      want={"yiaddr": "10.0.1.0"} if name == "plain" else {})

# --- subnets and pools guarded by client classes -------------------------------------------------
G = "classguard"
V125 = lambda ent, subs: (125, ent.to_bytes(4, "big") + bytes([len(subs)]) + subs)  # noqa: E731
V124 = lambda ent, data: (124, ent.to_bytes(4, "big") + bytes([len(data)]) + data)  # noqa: E731
for name, sid, kw in [
        ("test", 10, {"opts": [o77("GUARD")]}),
        ("vendor-class-builtin", 11, {"opts": [o60("acme")]}),
        ("mac", 12, {"mac": "02:aa:00:00:00:01"}),
        ("client-id", 13, {"opts": [(61, bytes.fromhex("01020304"))]}),
        ("substring", 14, {"opts": [o77("SUBxyz")]}),
        ("concat", 15, {"opts": [o60("AB")]}),
        ("vendor-class-defined", 16, {"opts": [o60("docsis"), PRL(1, 3, 66)]}),
        ("ifelse", 17, {"opts": [o77("IF")]}),
        ("transid", 18, {"opts": [o77("XID")]}),
        ("vivso", 19, {"opts": [V125(4491, bytes([1, 1, 7]))]}),
        ("vivco", 20, {"opts": [V124(4491, b"\x00\x03abc")]}),
        # enterprise 9999: Kea 2.2 knows DOCSIS (4491) sub-option 2 as tftp-servers and
        # drops a query whose 2-byte value does not parse
        ("vendor-suboption", 21, {"opts": [V125(9999, bytes([2, 2]) + b"ZZ")]}),
        ("no-class-fallback", 30, {"opts": [o77("NONE")]})]:
    C("cg-subnet-" + name, G, "dora", relay="10.1.0.2",
      want={"type": ACK, "yiaddr": "10.%d.0.10" % sid}, **kw)
C("cg-subnet-test-discover-only", G, relay="10.1.0.2", opts=[o77("GUARD")],
  want={"type": OFFER, "yiaddr": "10.10.0.11"})
C("cg-pool-by-reservation-class", G, "dora", relay="10.2.0.2", mac="02:ab:00:00:00:01",
  want={"type": ACK, "yiaddr": "10.40.0.10", "opt12": b"gold"})
C("cg-pool-without-class", G, "dora", relay="10.2.0.2", want={"type": ACK, "yiaddr": "10.40.0.100"})
C("cg-subnet-by-reservation-class", G, "dora", relay="10.3.0.2", mac="02:ab:00:00:00:01",
  want={"type": ACK})
C("cg-subnet-none-selected", G, relay="10.4.0.2", opts=[o77("OTHER")], want={"type": None})
# a REQUEST for which no subnet is selected is NAKed (DHCP4_PACKET_NAK_0001)
C("cg-subnet-none-request", G, "request_only", relay="10.4.0.2", opts=[o77("OTHER")],
  want={"type": 6})
C("cg-single-guarded-subnet", G, "dora", relay="10.4.0.2", opts=[o77("GUARD")],
  want={"type": ACK, "yiaddr": "10.50.0.10"})

# --- never-send (lessor with never-send == Kea 2.2 without the options) ---------------------------
G = "neversend"
C("ns-discover", G, opts=[PRL(1, 2, 3, 6, 15, 42)], want={"opt15": None, "opt42": None})
C("ns-dora", G, "dora", opts=[PRL(1, 2, 3, 6, 15, 42)], want={"opt15": None})
C("ns-subnet-level", G, "dora", relay="10.1.0.2", opts=[PRL(1, 2, 3, 15)], want={"opt2": None})
C("ns-no-prl", G, noprl=True, want={"opt15": None, "opt42": None})
C("ns-inform", G, "inform", ciaddr="10.0.0.2", opts=[PRL(15, 42)], want={"type": ACK})

# --- option spaces and encapsulation ------------------------------------------------------------
G = "optspace"
GLOBAL43 = bytes([1, 8]) + b"global-v" + bytes([2, 8]) + ip("10.0.0.5", "10.0.0.6") + \
    bytes.fromhex("0702aabb")
C("os-43-global", G, opts=[PRL(1, 3, 43, 224)],
  want={"opt43": GLOBAL43, "opt224": bytes([1, 8]) + b"http://g" + bytes.fromhex("02021f90")})
C("os-43-not-requested", G, opts=[PRL(1, 3, 6)], want={"opt43": None, "opt224": None})
C("os-43-dora", G, "dora", opts=[PRL(43, 224)], want={"type": ACK, "opt43": GLOBAL43})
C("os-224-only", G, opts=[PRL(224)], want={"opt43": None})
# sub-options come from the scope of the option that encapsulates them, not from the chain
C("os-43-subnet-subopt-only", G, relay="10.1.0.2", opts=[PRL(43)], want={"opt43": GLOBAL43})
# hex 43 is unpacked and merged with the scope's sub-options by code
C("os-43-hex-merged", G, relay="10.2.0.2", opts=[PRL(43)],
  want={"opt43": bytes.fromhex("01015a050200090603414243")})
C("os-43-empty-scope", G, relay="10.3.0.2", opts=[PRL(43)], want={"opt43": b""})
C("os-43-pool", G, relay="10.4.0.2", opts=[PRL(43)], want={"opt43": bytes.fromhex("05020004")})
C("os-43-reservation", G, "dora", mac="02:05:00:00:00:01", opts=[PRL(43)],
  want={"opt43": bytes([1, 6]) + b"host-v"})
C("os-43-class", G, opts=[PRL(43), o77("C43")], want={"opt43": bytes([1, 7]) + b"class-v"})
C("os-43-class-dora", G, "dora", opts=[PRL(43, 224), o77("C43")])
C("os-class-def-43", G, opts=[PRL(43), o77("CDEF")], want={"opt43": b"class-string"})
C("os-class-def-225", G, opts=[PRL(225), o77("C225")], want={"opt225": (77).to_bytes(4, "big")})
C("os-class-def-225-not-member", G, opts=[PRL(225)], want={"opt225": None})
C("os-class-encap-226", G, opts=[PRL(226, 224), o77("CENC")],
  want={"opt226": bytes([1, 8]) + b"http://c"})
C("os-inform", G, "inform", ciaddr="10.0.0.2", opts=[PRL(43, 224)])
# hex 43 unpacking: a truncated tail is dropped; PAD skipped, END stops
C("os-43-hex-malformed", G, relay="10.5.0.2", opts=[PRL(43)],
  want={"opt43": bytes.fromhex("0102aabb05020003")})
C("os-43-hex-codes-0-255", G, opts=[PRL(43), o77("CHEX")], want={"opt43": bytes.fromhex("0101aa")})
# one sub-option per code: the hex-given one, else the first configured
# a sub-option longer than 255 bytes: split into 251-byte instances (LibDHCP::splitOptions4)
C("os-43-long-suboption", G, opts=[PRL(43), o77("LONG")],
  want={"opt43": bytes([1, 251]) + b"\xab" * 251 + bytes([1, 49]) + b"\xab" * 49 +
        bytes.fromhex("0301cd")})
C("os-43-long-suboption-unaligned", G, opts=[PRL(43), o77("LONG2")])
C("os-43-duplicates", G, relay="10.6.0.2", opts=[PRL(43)],
  want={"opt43": bytes.fromhex("010162050200ff")})

# --- packets and options (issue #10) -------------------------------------------------------------
G = "pktopts"
C("po-50-52-118-requested", G, opts=[PRL(1, 50, 52, 118)],
  want={"opt50": ip("10.0.0.99"), "opt52": b"\x03", "opt118": ip("10.9.0.0")})
C("po-50-52-118-not-requested", G, opts=[PRL(1, 3)],
  want={"opt50": None, "opt52": None, "opt118": None})
C("po-50-52-118-dora", G, "dora", opts=[PRL(1, 50, 52, 118)],
  want={"type": ACK, "opt50": ip("10.0.0.99"), "opt52": b"\x03"})
C("po-118-sent-and-requested", G, opts=[PRL(118), (118, ip("10.1.0.0"))], relay="10.1.0.2",
  want={"opt118": ip("10.1.0.0")})
C("po-rai-order", G, opts=[rai((2, b"remote"), (1, b"circuit"))],
  want={"opt82": bytes([1, 7]) + b"circuit" + bytes([2, 6]) + b"remote"})
C("po-rai-order-dora", G, "dora", opts=[rai((9, b"\x00\x00\x0d\xe9\x00"), (5, ip("10.0.0.0")),
                                             (1, b"c1"), (2, b"r2"))],
  want={"1:opt82": bytes.fromhex("0102" "6331" "0202" "7232" "0504" "0a000000"
                                  "0905" "00000de900")})
# a repeated sub-option comes back fused into one (Kea 2.2)
C("po-rai-order-repeated-sub", G, opts=[rai((2, b"b"), (1, b"a"), (2, b"c"))],
  want={"opt82": bytes.fromhex("010161" "02026263")})
C("po-rai-sorted-already", G, opts=[rai((1, b"a"), (2, b"b"))],
  want={"opt82": bytes.fromhex("010161" "020162")})
# RFC 3396 split option 55: Kea 2.2 answers none of it (the fused option is not a PRL to it)
C("po-prl-split", G, noprl=True, raw_opts=bytes([55, 2, 42, 7, 55, 2, 2, 40]),
  want={"opt42": None, "opt7": None, "opt2": None, "opt40": None, "opt1": ip("255.255.0.0")})
C("po-prl-split-three", G, noprl=True, raw_opts=bytes([55, 1, 40, 55, 1, 42, 55, 1, 2]),
  want={"opt40": None, "opt42": None, "opt2": None})
# a sub-option running past option 82: Kea answers, keeping the sub-options before it
C("po-rai-overrun", G, raw_opts=bytes([82, 3, 1, 5, 65]), want={"type": OFFER, "opt82": None})
C("po-rai-overrun-after-valid", G, raw_opts=bytes([82, 6, 2, 1, 98, 1, 5, 65]),
  want={"type": OFFER})

# --- client names: options 81 and 12 with DDNS off (issue #10) -----------------------------------
G = "names"
FQ_S, FQ_O, FQ_E, FQ_N = 1, 2, 4, 8


def fqdn(flags, name, rc=(0, 0)):
    """Option 81 (RFC 4702): flags, RCODE1/2, name (bytes: ASCII, or wire format with E)."""
    return (81, bytes([flags, rc[0], rc[1]]) + name)


def wire(*labels, full=True):
    return b"".join(bytes([len(x)]) + x for x in labels) + (b"\0" if full else b"")


C("fq-partial-ascii", G, opts=[fqdn(0, b"myhost")], want={"opt12": None})
C("fq-partial-ascii-dora", G, "dora", opts=[fqdn(0, b"myhost")], want={"1:type": ACK})
C("fq-s-flag", G, opts=[fqdn(FQ_S, b"myhost")])
C("fq-n-flag", G, opts=[fqdn(FQ_N, b"myhost")])
C("fq-full-ascii", G, opts=[fqdn(0, b"host.example.com.")])
C("fq-full-ascii-no-dot", G, opts=[fqdn(0, b"host.example.com")])
C("fq-wire-full", G, "dora", opts=[fqdn(FQ_E | FQ_S, wire(b"Host", b"Example", b"com"))])
C("fq-wire-partial", G, opts=[fqdn(FQ_E, wire(b"host", full=False))])
C("fq-empty-name", G, opts=[fqdn(0, b"")])
C("fq-empty-name-dora", G, "dora", opts=[fqdn(FQ_S, b"")])
C("fq-and-hostname", G, opts=[fqdn(0, b"fq"), (12, b"hn")], want={"opt12": None})
C("fq-rcodes", G, opts=[fqdn(0, b"rc", rc=(255, 255))])
C("fq-reserved", G, "dora", mac="02:f1:00:00:00:01", opts=[fqdn(0, b"client")])
C("fq-reserved-fqdn", G, mac="02:f1:00:00:00:02", opts=[fqdn(FQ_E, wire(b"x"))])
C("fq-charset-x", G, relay="10.1.0.2", opts=[fqdn(0, b"My_Host.ex_ample.")])
C("fq-charset-none", G, relay="10.2.0.2", opts=[fqdn(0, b"My_Host")])
C("fq-replace-always", G, "dora", relay="10.3.0.2", opts=[fqdn(0, b"mine")])
C("fq-replace-when-not-present", G, relay="10.4.0.2", opts=[fqdn(0, b"")])
C("fq-net-suffix", G, relay="10.5.0.2", opts=[fqdn(0, b"part")])
C("fq-net-suffix-full", G, relay="10.5.0.2", opts=[fqdn(0, b"full.name.")])
C("fq-sub-suffix", G, relay="10.6.0.2", opts=[fqdn(0, b"Part_2")])
C("fq-inform", G, "inform", ciaddr="10.0.0.2", opts=[fqdn(0, b"inf")])
C("hn-default", G, "dora", opts=[(12, b"Plain_Host")], want={"1:opt12": b"plainhost"})
C("hn-fqdn-trailing-dot", G, opts=[(12, b"a.b.c.")])
C("hn-two-labels-dot", G, opts=[(12, b"a.b")])
C("hn-dot-only", G, opts=[(12, b".")])
C("hn-spaces", G, opts=[(12, b" sp ")])
C("hn-reserved", G, mac="02:f1:00:00:00:01", opts=[(12, b"client")])
C("hn-reserved-full", G, mac="02:f1:00:00:00:02")
C("hn-charset-x", G, "dora", relay="10.1.0.2", opts=[(12, b"My_Host")])
C("hn-charset-x-fqdn", G, relay="10.1.0.2", opts=[(12, b"a_b.c_d")])
C("hn-charset-none", G, relay="10.2.0.2", opts=[(12, b"My_Host")])
C("hn-replace-always", G, "dora", relay="10.3.0.2", opts=[(12, b"mine")])
C("hn-replace-always-absent", G, relay="10.3.0.2")
C("hn-replace-when-not-present", G, relay="10.4.0.2")
C("hn-replace-when-not-present-given", G, relay="10.4.0.2", opts=[(12, b"given")])
C("hn-net-when-present", G, relay="10.5.0.2", opts=[(12, b"given")])
C("hn-net-when-present-absent", G, relay="10.5.0.2", want={"opt12": None})
C("hn-net-reserved", G, "dora", relay="10.5.0.2", mac="02:f1:00:00:00:06")
C("hn-sub-suffix", G, relay="10.6.0.2", opts=[(12, b"Part_2")])
C("hn-sub-suffix-full", G, relay="10.6.0.2", opts=[(12, b"x.y")])
C("hn-inform", G, "inform", ciaddr="10.0.0.2", opts=[(12, b"inf")])
# hostile and odd names: what Kea 2.2's Option4ClientFqdn / isc::dns::Name / OptionString make
# of them (a malformed option 81 drops the packet; a malformed option 12 is only ignored)
C("fq-bad-flags-ns", G, opts=[fqdn(FQ_S | FQ_N, b"x")], want={"type": None})
C("fq-short", G, opts=[(81, b"\x00\x00")], want={"type": None})
C("fq-flags-only", G, opts=[(81, b"\x00")], want={"type": None})
C("fq-mbz-and-o", G, opts=[fqdn(0xf0 | FQ_O, b"mbz")])
C("fq-empty-label", G, opts=[fqdn(0, b"a..b")])
C("fq-leading-dot", G, opts=[fqdn(0, b".a")])
C("fq-root-only", G, opts=[fqdn(0, b".")])
C("fq-long-label", G, opts=[fqdn(0, b"a" * 64)])
C("fq-label-63", G, opts=[fqdn(0, b"b" * 63)])
C("fq-long-name", G, opts=[fqdn(0, b".".join([b"c" * 60] * 5))])
C("fq-wire-compressed", G, opts=[fqdn(FQ_E, b"\x04host\xc0\x00")])
C("fq-wire-overrun", G, opts=[fqdn(FQ_E, b"\x05host")])
C("fq-wire-ascii", G, opts=[fqdn(FQ_E, b"myhost")])
C("fq-wire-trailing", G, opts=[fqdn(FQ_E, b"\x04host\x00\x03abc\x00")])
C("fq-wire-inner-zero", G, opts=[fqdn(FQ_E, b"\x04host\x00\x03abc")])
C("fq-wire-empty", G, opts=[fqdn(FQ_E | FQ_S, b"")])
C("fq-wire-root", G, opts=[fqdn(FQ_E, b"\x00")])
C("fq-wire-dot-in-label", G, opts=[fqdn(FQ_E, b"\x03a.b\x00")])
C("fq-ascii-space", G, opts=[fqdn(0, b"my host")])
C("fq-ascii-space-raw", G, relay="10.2.0.2", opts=[fqdn(0, b"my host")])
C("fq-ascii-escape", G, relay="10.2.0.2", opts=[fqdn(0, b"a\\.b\\065")])
C("fq-ascii-bad-escape", G, opts=[fqdn(0, b"a\\256")])
C("fq-ascii-trailing-nul", G, opts=[fqdn(0, b"myhost\0")])
C("fq-ascii-trailing-backslash", G, opts=[fqdn(0, b"ab\\")])
C("fq-all-scrubbed", G, opts=[fqdn(0, b"__")])
C("fq-label-scrubbed", G, opts=[fqdn(0, b"a.__.b")])
C("fq-suffix-present", G, relay="10.6.0.2", opts=[fqdn(0, b"x.sub.example")])
C("fq-reserved-net", G, "dora", relay="10.5.0.2", mac="02:f1:00:00:00:06",
  opts=[fqdn(FQ_S, b"client")])
C("fq-renew-new-name", G, "dora_renew", opts=[fqdn(0, b"first")])
C("fq-request-changes-name", G, "dora", opts=[fqdn(0, b"first")],
  req_opts=[fqdn(FQ_S, b"second")])
C("fq-request-drops-name", G, "dora", opts=[fqdn(0, b"first")], req_opts=[])
C("hn-trailing-nul", G, opts=[(12, b"host\0")])
C("hn-only-nuls", G, opts=[(12, b"\0\0")])
C("hn-zero-len", G, raw_opts=bytes([12, 0]))
C("hn-inner-nul", G, opts=[(12, b"a\0b")])
C("hn-all-scrubbed", G, opts=[(12, b"__")])
C("hn-only-spaces", G, opts=[(12, b"   ")])
C("hn-malformed", G, opts=[(12, b"a..b")])
C("hn-long-label", G, opts=[(12, b"a" * 64)])
C("hn-escape", G, opts=[(12, b"a\\046b")])
C("hn-upper-generated", G, relay="10.3.0.2", opts=[(12, b"X")])
C("hn-renew-new-name", G, "dora_renew", opts=[(12, b"hfirst")])
C("hn-request-changes-name", G, "dora", opts=[(12, b"hfirst")], req_opts=[(12, b"hsecond")])
C("hn-dot-suffix", G, relay="10.6.0.2", opts=[(12, b"a.")])
C("fq-embedded-suffix", G, relay="10.6.0.2", opts=[fqdn(0, b"xsub.example")])
C("fq-equals-suffix", G, relay="10.6.0.2", opts=[fqdn(0, b"sub.example")])
C("fq-suffix-dot-only", G, relay="10.6.0.2", opts=[fqdn(0, b"__")])
C("hn-zero-len-wnp", G, relay="10.4.0.2", raw_opts=bytes([12, 0]))
C("hn-only-nuls-wnp", G, relay="10.4.0.2", opts=[(12, b"\0")])
C("hn-only-spaces-wnp", G, relay="10.4.0.2", opts=[(12, b"  ")])
C("hn-malformed-wnp", G, relay="10.4.0.2", opts=[(12, b"a..b")])
C("hn-long-name", G, opts=[(12, b".".join([b"c" * 60] * 5))])
C("fq-zero-len-wnp", G, relay="10.4.0.2", raw_opts=bytes([81, 0]))
C("hn-reserved-fq-empty", G, mac="02:f1:00:00:00:01", opts=[fqdn(0, b"")])
# split into two instances (RFC 3396): Kea 2.2 fuses them into an untyped option, which its name
# processing does not see (so a malformed split option 81 is not even a drop)
C("fq-split", G, raw_opts=bytes([81, 5, 0, 0, 0, 97, 98, 81, 2, 99, 100]))
C("fq-split-bad-flags", G, raw_opts=bytes([81, 4, 9, 0, 0, 97, 81, 1, 98]))
C("hn-split", G, raw_opts=bytes([12, 2, 97, 98, 12, 2, 99, 100]))
C("hn-split-wnp", G, relay="10.4.0.2", raw_opts=bytes([12, 2, 97, 98, 12, 2, 99, 100]))

# --- drops and their bad-packets log lines (issue #10) ---------------------------------------------
G = "badpkt"
C("bp-decline-normal", G, "dora_decline_discover", mac="02:b0:00:00:00:01")
C("bp-decline-without-50", G, "msg", msgtype=DECLINE, mac="02:b0:00:00:00:02",
  opts=[(54, ip("192.0.2.1"))], want={"type": None})
C("bp-decline-unknown-addr", G, "msg", msgtype=DECLINE, mac="02:b0:00:00:00:03",
  opts=[(50, ip("10.0.1.99"))], want={"type": None})
C("bp-release-unknown", G, "msg", msgtype=RELEASE, ciaddr="10.0.1.98", want={"type": None})
C("bp-zero-len-55", G, noprl=True, raw_opts=bytes([55, 0]), want={"type": None})
C("bp-zero-len-61", G, raw_opts=bytes([61, 0]), want={"type": None})
C("bp-1byte-61", G, opts=[(61, b"\x01")], want={"type": None})
C("bp-57-one-byte", G, raw_opts=bytes([57, 1, 2]), want={"type": None})
C("bp-dup-53", G, raw_opts=bytes([53, 1, 1]), want={"type": None})
C("bp-no-msgtype", G, no_msgtype=True, want={"type": None})
C("bp-offer-to-server", G, "msg", msgtype=OFFER, want={"type": None})
C("bp-discover-server-id", G, opts=[(54, ip("10.9.9.9"))], want={"type": None})
C("bp-request-other-server", G, "request_only", opts=[(50, ip("10.0.1.5")),
                                                      (54, ip("10.9.9.9"))], want={"type": None})
C("bp-no-identity", G, hlen=0, want={"type": None})
C("bp-drop-class", G, opts=[o77("DROPME")], want={"type": None})
C("bp-unknown-giaddr", G, relay="10.99.0.2", giaddr_override="10.77.0.2")
C("bp-direct-inform-no-ciaddr", G, "inform", relay=None)

# --- store-extended-info (issue #10) --------------------------------------------------------------
G = "extinfo"
C("ei-rai-sorted", G, "dora", opts=[rai((2, b"Remote-X"), (1, b"circ-1"))],
  want={"1:type": ACK})
C("ei-rai-repeated-sub", G, "dora", opts=[rai((1, b"a"), (6, b"sub"), (1, b"b"))],
  want={"1:type": ACK})
C("ei-no-rai", G, "dora", want={"1:type": ACK})
C("ei-renew-new-rai", G, "dora_renew", opts=[rai((1, b"first"))], want={"2:type": ACK})
C("ei-dora-then", G, "dora", mac="02:e1:00:00:00:02", opts=[rai((1, b"one"))],
  want={"1:type": ACK})
C("ei-renew-other-rai", G, "renew", mac="02:e1:00:00:00:02", addr="@lease",
  opts=[rai((2, b"two"), (1, b"one"))], want={"type": ACK})
# a lease with a user-context of its own keeps it; "ISC" is added beside it
C("ei-preloaded-context", G, "dora", mac="02:e1:00:00:00:01", opts=[rai((1, b"pre"))],
  want={"1:type": ACK, "1:yiaddr": "10.0.1.200"})
C("ei-subnet-off", G, "dora", relay="10.1.0.2", opts=[rai((1, b"off"))], want={"1:type": ACK})
C("ei-network-off", G, "dora", relay="10.2.0.2", opts=[rai((1, b"net-off"))],
  want={"1:type": ACK})
C("ei-network-off-subnet-on", G, "dora", relay="10.3.0.2", opts=[rai((1, b"sub-on"))],
  want={"1:type": ACK})
C("ei-discover-only", G, opts=[rai((1, b"offer-only"))], want={"type": OFFER})

# --- early-global-reservations-lookup (issue #10) ------------------------------------------------
G = "earlyghr"
GOLD, PLAIN, DROPPED, GOLD_IP = ("02:e9:00:00:00:%02x" % i for i in (1, 2, 3, 4))
PRL_E = PRL(1, 3, 4, 7, 12, 15, 42)
C("eg-gold-guarded-subnet", G, "dora", mac=GOLD, opts=[PRL_E],
  want={"1:type": ACK, "1:opt15": b"gold.example", "1:opt12": b"g1"})
C("eg-unreserved-guarded-subnet", G, opts=[PRL_E], want={"type": None})
C("eg-plain-not-gold", G, mac=PLAIN, opts=[PRL_E], want={"type": None})
C("eg-known-guard", G, "dora", mac=PLAIN, relay="10.1.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:opt7": ip("10.0.0.7")})
C("eg-unknown-known-guard", G, relay="10.1.0.2", opts=[PRL_E], want={"type": None})
# a class whose test is member() of a reserved class; the subnet takes no global reservations
C("eg-member-guard-no-global-res", G, "dora", mac=GOLD, relay="10.2.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:opt42": ip("10.0.0.123")})
C("eg-drop-by-reserved-class", G, mac=DROPPED, opts=[PRL_E], want={"type": None})
C("eg-gold-pool", G, "dora", mac=GOLD, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK})
C("eg-other-pool", G, "dora", relay="10.3.0.2", opts=[PRL_E], want={"1:type": ACK})
C("eg-reserved-ip", G, "dora", mac=GOLD_IP, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:yiaddr": "10.3.0.77"})
G = "earlyghr-off"
C("eg-off-gold-guarded-subnet", G, mac=GOLD, opts=[PRL_E])
C("eg-off-known-guard", G, mac=PLAIN, relay="10.1.0.2", opts=[PRL_E])
C("eg-off-drop-by-reserved-class", G, mac=DROPPED, opts=[PRL_E])
C("eg-off-gold-pool", G, "dora", mac=GOLD, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK, "1:opt42": ip("10.0.0.123")})
C("eg-off-drop-outside-network", G, mac=DROPPED, relay="10.3.0.2", opts=[PRL_E])
C("eg-off-plain-member-known", G, "dora", mac=PLAIN, relay="10.3.0.2", opts=[PRL_E],
  want={"1:type": ACK})

# --- lease cache (issue #10) -----------------------------------------------------------------------
G = "cache"
u32 = lambda v: int.from_bytes(v, "big") if v is not None else None  # noqa: E731
near = lambda lo, hi: (lambda v: v is not None and lo <= u32(v) <= hi)  # noqa: E731
LFT = ("opt51",)
# age 500 of 4000, threshold 0.25 (1000 s): reused, the remaining ~3500 s sent, no write
C("lc-renew-reused", G, "renew", mac="02:ca:00:00:00:01", addr="10.0.1.200", ignore=LFT,
  want={"type": ACK, "opt51": near(3480, 3500), "opt58": (1000).to_bytes(4, "big")})
# age 2000: past the threshold, renewed in full and written
C("lc-renew-past-threshold", G, "renew", mac="02:ca:00:00:00:02", addr="10.0.1.201",
  want={"type": ACK, "opt51": (4000).to_bytes(4, "big")})
# a DISCOVER for a reusable lease, then the REQUEST
C("lc-dora-reused", G, "dora", mac="02:ca:00:00:00:03", ignore=LFT,
  want={"0:opt51": near(3480, 3500), "1:type": ACK, "1:yiaddr": "10.0.1.202",
        "1:opt51": near(3480, 3500)})
# cache-max-age 300 refuses age 500 even within the inherited threshold
C("lc-max-age", G, "renew", mac="02:ca:00:00:00:04", addr="10.1.0.50", relay="10.1.0.2",
  want={"type": ACK, "opt51": (4000).to_bytes(4, "big")})
# shared-network threshold 0.9 (3600 s), age 3000: ~1000 s left, below T1/T2
C("lc-network-threshold", G, "renew", mac="02:ca:00:00:00:05", addr="10.2.0.50",
  relay="10.2.0.2", ignore=LFT, want={"type": ACK, "opt51": near(980, 1000)})
# subnet threshold 0.05 (200 s) with the network's max-age 5000: age 150 reused, 250 not
C("lc-subnet-threshold-in", G, "renew", mac="02:ca:00:00:00:06", addr="10.3.0.50",
  relay="10.3.0.2", ignore=LFT, want={"type": ACK, "opt51": near(3830, 3850)})
C("lc-subnet-threshold-out", G, "renew", mac="02:ca:00:00:00:07", addr="10.3.0.51",
  relay="10.3.0.2", want={"type": ACK, "opt51": (4000).to_bytes(4, "big")})
# INIT-REBOOT of a reusable lease
C("lc-reboot-reused", G, "reboot", mac="02:ca:00:00:00:08", addr="10.0.1.203", ignore=LFT,
  want={"type": ACK, "opt51": near(3480, 3500)})
# a new client: written; its immediate renewal is reused (age 0 or 1 s)
C("lc-new-then-renew", G, "dora_renew", ignore=LFT,
  want={"1:opt51": (4000).to_bytes(4, "big"), "2:type": ACK, "2:opt51": near(3990, 4000)})

# --- vendor-<enterprise-id> option spaces (issue #10) ----------------------------------------------
G = "vendor"
vivso = lambda ent, subs=b"": (125, ent.to_bytes(4, "big") + bytes([len(subs)]) + subs)  # noqa
vivco = lambda ent, data=b"": (124, ent.to_bytes(4, "big") + bytes([len(data)]) + data)  # noqa
C("vs-4491-oro", G, opts=[vivso(4491, bytes([1, 2, 2, 5]))],
  want={"opt125": bytes.fromhex("0000118b0e" "02080a0000450a000046" "05020102")})
C("vs-4491-oro-dora", G, "dora", opts=[vivso(4491, bytes([1, 1, 2]))])
C("vs-4491-no-oro", G, opts=[vivso(4491)])
C("vs-1234-always", G, opts=[vivso(1234)],
  want={"opt125": bytes.fromhex("000004d20d") + bytes([1, 11]) + b"http://acme"})
C("vs-1234-subnet", G, relay="10.1.0.2", opts=[vivso(1234)],
  want={"opt125": bytes.fromhex("000004d215") + bytes([1, 13]) + b"http://subnet" +
        bytes.fromhex("03040000004d")})
C("vs-1234-class", G, opts=[vivso(1234), o77("VC")])
C("vs-1234-prl-125", G, opts=[vivso(1234), PRL(1, 3, 125)])
C("vs-none", G, opts=[PRL(1, 3, 125)], want={"opt125": None})
C("vs-vivco-1234", G, opts=[vivco(1234, b"\x03abc")], want={"opt125": None})
C("vs-unknown-enterprise", G, opts=[vivso(999)], want={"opt125": None})
C("vs-two-enterprises", G, opts=[(125, (999).to_bytes(4, "big") + b"\x00" +
                                  (1234).to_bytes(4, "big") + b"\x00")],
  want={"opt125": None})
C("vs-inform", G, "inform", ciaddr="10.0.0.2", opts=[vivso(1234)])

# Deliberate, documented differences: case name -> reason (xfail strict). Keep short.
DIFFERENCES = {
    "os-43-long-suboption": "an encapsulated payload over 255 bytes: lessor splits the "
                            "sub-options (251-byte instances, as Kea) then the option 253 + rest "
                            "(RFC 3396); Kea 2.2 puts each piece in its own option 43 instance. "
                            "Same bytes after RFC 3396 concatenation.",
    "os-43-long-suboption-unaligned": "Kea 2.2's LibDHCP::splitOptions4() loses data here "
                                      "(sub-option 5 cut to 175 of 300 bytes, one 180-byte "
                                      "option 43); lessor sends all of it (RFC 3396).",
    "check:names-global-bad-regex": "Kea 2.2 checks hostname-char-set only at shared-network "
                                    "and subnet level, then fails every packet's name "
                                    "processing on a bad global one; lessor refuses it.",
    "check:never-send": "lessor accepts Kea >= 2.3's option-data never-send (the deployment runs "
                        "Kea 2.4); Kea 2.2 rejects the keyword. Behaviour: group 'neversend'.",
}

# ---------------------------------------------------------------------------------------------
# the runner

PRELOAD_ROWS = "address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev," \
               "hostname,state,user_context\n"


def _config(group, d, side="a"):
    frag = copy.deepcopy(CONFIGS_B[group] if side == "b" and group in CONFIGS_B else
                         CONFIGS[group])
    subnets = frag.pop("subnet4")
    cfg = base_config(d, subnets=subnets, **frag)
    # Kea 2.2's default, spelled out: lessor defaults to multi-threading (as Kea >= 2.4)
    cfg["Dhcp4"].setdefault("multi-threading", {"enable-multi-threading": False})
    return cfg


def _preload(group, path, now):
    rows = PRELOAD.get(group)
    if not rows:
        return
    with open(path, "w") as f:
        f.write(PRELOAD_ROWS)
        for addr, hw, sid, *more in rows:
            ctx = more[0] if more else ""
            age = more[1] if len(more) > 1 else 0
            f.write("%s,%s,,4000,%d,%d,0,0,,0,%s\n" % (addr, hw, now + 4000 - age, sid, ctx))


_topology = {}


def _net():
    if "net" not in _topology:
        need_root()
        need_tools("ip", "kea-dhcp4")
        _topology["net"] = NetPair(
            srv_addrs=("192.0.2.1/24",),
            cli_addrs=["192.0.2.2/24", "10.0.0.2/16"] + ["%s/24" % r for r in RELAYS[1:]],
            routes=(("10.0.0.0/8", "192.0.2.2"),))
    return _topology["net"]


@pytest.fixture(scope="module", autouse=True)
def _teardown_topology():
    yield
    net = _topology.pop("net", None)
    if net:
        net.close()


def _mac_for(group_idx, case_idx):
    return "02:dd:%02x:00:%02x:%02x" % (group_idx, case_idx >> 8, case_idx & 0xff)


def _run_group(kind, group, tmp_root, tag):
    """Start a server of KIND on group GROUP's configuration, run its cases in table order;
    returns ({case name: [decoded replies]}, server log)."""
    net = _net()
    d = os.path.join(tmp_root, "%s-%s-%s" % (group, tag, kind))
    os.makedirs(d, exist_ok=True)
    srv = Server(net, d, kind=kind)
    cfg = _config(group, d, "b" if (tag == "b" and kind != "kea") else "a")
    _preload(group, os.path.join(d, "leases4.csv"), int(time.time()))
    client = Client(net.cli, RELAYS)
    out = {}
    try:
        srv.start(cfg, wait=False)
        srv.wait_log(r"DHCP4_STARTED", 30)
        deadline = time.monotonic() + 10
        while True:
            r = client.exchange("02:99:99:99:99:99", "discover", relay=PROBE_RELAY)
            if r[0] is not None:
                break
            assert srv.alive(), "%s died:\n%s" % (kind, srv.log_since_start()[-3000:])
            assert time.monotonic() < deadline, "%s never answered the probe:\n%s" % (
                kind, srv.log_since_start()[-3000:])
        gidx = list(CONFIGS).index(group)
        for i, c in enumerate(x for x in CASES if x.group == group):
            mac = c.mac or _mac_for(gidx, i)
            kw = dict(c.kw)
            giaddr_override = kw.pop("giaddr_override", None)
            if giaddr_override:
                # a relay address the server has no subnet for: expect silence from both
                raw = client.send(build(mac, DISCOVER, xid=client.next_xid(),
                                        giaddr=giaddr_override, opts=c.opts), c.relay)
                out[c.name] = [decode(raw)]
                continue
            client.drain()
            opts = c.opts
            if not kw.pop("noprl", False) and not any(o[0] == 55 for o in opts):
                opts = [DEFAULT_PRL] + opts
            out[c.name] = client.exchange(mac, c.kind, relay=c.relay, opts=opts, **kw)
        assert srv.alive(), "%s died during the cases:\n%s" % (
            kind, srv.log_since_start()[-3000:])
        log = srv.log_since_start()
    finally:
        client.close()
        srv.stop()
        srv.cleanup()
    return out, log


_results = {}


def _results_for(group, tmp_root):
    """Both runs of GROUP, done once; a failed run fails every case of the group at once."""
    if group not in _results:
        try:
            a, la = _run_group("kea", group, tmp_root, "a")
            b, lb = _run_group(KIND_B, group, tmp_root, "b")
            _results[group] = (a, b, la, lb)
        except (AssertionError, OSError, subprocess.SubprocessError) as e:
            _results[group] = "group %s could not run: %s" % (group, e)
    if isinstance(_results[group], str):
        pytest.fail(_results[group], pytrace=False)
    return _results[group]


@pytest.fixture(scope="module")
def tmp_root(tmp_path_factory):
    return str(tmp_path_factory.mktemp("differential"))


def _check_want(c, replies, who):
    for key, val in c.want.items():
        idx, _, field = key.rpartition(":")
        idx = int(idx) if idx else -1
        r = replies[idx] if replies and -len(replies) <= idx < len(replies) else None
        if field == "type":
            got = msgtype(r) if r else None
        elif field.startswith("opt") and field[3:].isdigit():
            got = option(r, int(field[3:])) if r else None
        elif field.startswith("opt"):
            continue  # annotation only
        else:
            got = r.get(field) if r else None
        if callable(val):
            assert val(got), "%s: %s: %s = %r out of range\n%s" % (
                who, c.name, key, got, json.dumps(replies, indent=1))
            continue
        assert got == val, "%s: %s: want %s = %r, got %r\n%s" % (
            who, c.name, key, val, got, json.dumps(replies, indent=1))


def _params():
    out = []
    for c in CASES:
        marks = []
        if c.name in DIFFERENCES and KIND_B != "kea":
            marks.append(pytest.mark.xfail(reason=DIFFERENCES[c.name], strict=True))
        out.append(pytest.param(c, id=c.name, marks=marks))
    return out


@pytest.mark.parametrize("case", _params())
def test_case(case, tmp_root):
    a, b, la, lb = _results_for(case.group, tmp_root)
    ra = [project(r, case.ignore) for r in a[case.name]]
    rb = [project(r, case.ignore) for r in b[case.name]]
    _check_want(case, a[case.name], "kea")
    assert ra == rb, "%s differs from Kea in %s (group %s):\n%s" % (
        KIND_B, case.name, case.group, diff(ra, rb, "kea", KIND_B))
    _check_want(case, b[case.name], KIND_B)


def test_case_names_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 100
    assert set(DIFFERENCES) <= set(names) | {"check:" + k for k in CHECKS}


# ---------------------------------------------------------------------------------------------
# configuration checks: `-t` must accept / reject what Kea 2.2 accepts / rejects

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
        cfgs = [(g, _config(g, str(tmp_path))) for g in CONFIGS]
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


# ---------------------------------------------------------------------------------------------
# log lines: the packet path logs the same messages (severity, logger, id, text) as Kea 2.2

_LOG_RE = re.compile(r"^\S+ \S+ +(\w+) +\[([\w.-]+)/[\d.]+\] (\w+) ?(.*)$")


def _packet_log(text, only=None, skip=()):
    """Counter of (severity, logger, message id, text) between DHCP4_STARTED and shutdown,
    for the ids in ONLY (None: all) except those in SKIP."""
    out = collections.Counter()
    on = False
    for ln in text.splitlines():
        m = _LOG_RE.match(ln)
        if not m:
            continue
        sev, logger, mid, msg = m.groups()
        if mid == "DHCP4_STARTED":
            on = True
            continue
        if mid.startswith("DHCP4_SHUTDOWN"):
            break
        if on and (only is None or mid in only) and mid not in skip:
            if mid == "DHCP4_LEASE_REUSE":
                # the lifetime left depends on the second the packet came in
                msg = re.sub(r"reused for \d+ seconds", "reused for N seconds", msg)
            out[(sev, logger, mid, msg.strip())] += 1
    return out


def _log_params():
    out = []
    for g in CONFIGS:
        marks = []
        if "log:" + g in DIFFERENCES and KIND_B != "kea":
            marks.append(pytest.mark.xfail(reason=DIFFERENCES["log:" + g], strict=True))
        out.append(pytest.param(g, id=g, marks=marks))
    return out


@pytest.mark.parametrize("what", ["messages", "eval-result"])
@pytest.mark.parametrize("group", _log_params())
def test_log_lines(group, what, tmp_root):
    """The INFO-and-above lines logged while serving a group's cases are the same lines (the
    probe's included), apart from order and timestamps/pids. 'eval-result' compares Kea 2.2's
    INFO EVAL_RESULT lines (one per class whose test is true), 'messages' all others."""
    _, _, la, lb = _results_for(group, tmp_root)
    if what == "messages":
        ka, kb = _packet_log(la, skip={"EVAL_RESULT"}), _packet_log(lb, skip={"EVAL_RESULT"})
        assert ka, "no packet-path log lines from Kea:\n" + la[-2000:]
    else:
        ka, kb = _packet_log(la, only={"EVAL_RESULT"}), _packet_log(lb, only={"EVAL_RESULT"})
    only_a = sorted((ka - kb).items())
    only_b = sorted((kb - ka).items())
    assert not only_a and not only_b, "log lines differ (%s):\n%s" % (group, "\n".join(
        ["  - kea x%d: %s" % (n, " ".join(k)) for k, n in only_a[:25]] +
        ["  + %s x%d: %s" % (KIND_B, n, " ".join(k)) for k, n in only_b[:25]]))


LEASE_COLS = ("address", "hwaddr", "client_id", "valid_lifetime", "subnet_id", "hostname",
              "state", "user_context")


def _lease_rows(path):
    from conftest import read_lease_rows
    return [tuple(r.get(k) for k in LEASE_COLS) for r in read_lease_rows(path)]


@pytest.mark.parametrize("group", ["names"])
def test_lease_hostnames(group, tmp_root):
    """Each lease's hostname as the server last wrote it is Kea's (Kea 2.2 writes a generated
    name's lease twice, first without the name; lessor writes the final name once)."""
    from conftest import read_lease_rows
    _results_for(group, tmp_root)
    ka, kb = [{r["address"]: r["hostname"] for r in read_lease_rows(
        os.path.join(tmp_root, "%s-%s" % (group, side), "leases4.csv"))}
        for side in ("a-kea", "b-" + KIND_B)]
    assert any(ka.values()), "Kea stored no hostname: the group tests nothing"
    assert ka == kb, "lease hostnames differ:\n" + "\n".join(
        "  %s: kea %r, %s %r" % (a, ka.get(a), KIND_B, kb.get(a))
        for a in sorted(set(ka) | set(kb)) if ka.get(a) != kb.get(a))


@pytest.mark.parametrize("group", LEASE_GROUPS)
def test_lease_rows(group, tmp_root):
    """After a group's cases, the lease file holds the same rows in the same order as Kea's
    (every column but the clock's expire and lessor's pool_id)."""
    _results_for(group, tmp_root)
    ra = _lease_rows(os.path.join(tmp_root, "%s-a-kea" % group, "leases4.csv"))
    rb = _lease_rows(os.path.join(tmp_root, "%s-b-%s" % (group, KIND_B), "leases4.csv"))
    assert ra, "Kea wrote no lease rows in group %s" % group
    assert ra == rb, "lease rows differ (group %s):\nkea:\n%s\n%s:\n%s" % (
        group, "\n".join(map(str, ra)), KIND_B, "\n".join(map(str, rb)))
