"""The configuration groups of the differential tests (test_differential.py): each CONFIGS
entry is one Dhcp4 fragment that Kea 2.2 and lessor both run; PRELOAD holds lease rows a group
starts with, CONFIGS_B lessor-only variants."""

import copy

from conftest import SERVER_KIND, base_config


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

def config_for(group, d, side="a"):
    """The full Dhcp4 configuration of GROUP in directory D (side "b": CONFIGS_B's variant)."""
    frag = copy.deepcopy(CONFIGS_B[group] if side == "b" and group in CONFIGS_B else
                         CONFIGS[group])
    subnets = frag.pop("subnet4")
    cfg = base_config(d, subnets=subnets, **frag)
    # Kea 2.2's default, spelled out: lessor defaults to multi-threading (as Kea >= 2.4)
    cfg["Dhcp4"].setdefault("multi-threading", {"enable-multi-threading": False})
    return cfg
