#!/usr/bin/python3
"""Generate a production-scale Kea/lessor Dhcp4 configuration, modelled on the deployment's
(seed-system/local_development_config.json): 142 shared networks ("sites", FITS_0001-1 ...),
829 subnets (/24 each, ids <site>*1000 + n as 1001, 1002 in the seed), 14,404 host reservations
(hw-address, client-id and circuit-id, as their host-reservation-identifiers), and per subnet
two client classes:
  - subnet-<net>-client: `member('ALL')`, only-if-required, required by its subnet, with the
    subnet's routers and option 234 (delivery-optimisation) -- exactly the seed's pattern;
  - site-<net>-staff: a relay circuit-id test (`relay4[1].hex == 'staff-<subnet-id>'`) with a
    domain-name, evaluated for every packet as Kea evaluates every non-required class.
Plus the seed's globals: option-def 234, domain-name and DNS servers, valid-lifetime 86400,
host-reservation-identifiers, multi-threading (12 threads, queue 65), "Test Client Class".
Lease database: memfile (path from --lease-file). Deterministic for a given --seed.

Subnet k (0-based, in order) is 10.(64 + k // 256).(k % 256).0/24: router .1, relay agents
conventionally at .2, reservations in .10-.39, pool .40-.250.

Usage: tools/gen-prod-config.py [--seed N] [--interface IF] [--lease-file PATH] [-o FILE]
       [--subnets 829 --networks 142 --reservations 14404]
"""

import argparse
import json
import random
import sys

OPT234 = {"name": "delivery-optimisation", "code": 234, "type": "string", "space": "dhcp4"}


def subnet_prefix(k):
    return "10.%d.%d" % (64 + k // 256, k % 256)


def layout(n_subnets, n_networks):
    """Subnets per network: as even as possible (829 over 142 = 119 x 6 + 23 x 5)."""
    base, extra = divmod(n_subnets, n_networks)
    return [base + (1 if i < extra else 0) for i in range(n_networks)]


def generate(seed=1, n_subnets=829, n_networks=142, n_res=14404, interface="*",
             lease_file="/tmp/lessor-prod-leases4.csv"):
    rnd = random.Random(seed)
    sizes = layout(n_subnets, n_networks)
    # reservations per subnet: as even as possible, then a deterministic shuffle of the extras
    rbase, rextra = divmod(n_res, n_subnets)
    extra_set = set(rnd.sample(range(n_subnets), rextra))
    if rbase + 1 > 30:
        raise SystemExit("too many reservations per subnet for .10-.39")
    nets, classes = [], []
    k = 0
    macs = set()
    for ni, size in enumerate(sizes):
        site = "FITS_%04d" % (ni + 1)
        subnets = []
        for j in range(size):
            sid = (ni + 1) * 1000 + j + 1
            p = subnet_prefix(k)
            req = "subnet-%s.0-client" % p
            staff = "site-%s-staff-%d" % (site, sid)
            classes.append({"name": req, "test": "member('ALL')", "only-if-required": True,
                            "option-data": [
                                {"name": "routers", "data": p + ".1"},
                                {"name": "delivery-optimisation", "space": "dhcp4",
                                 "code": 234, "data": "%08x-%04x-4%03x-8%03x-%012x" % (
                                     rnd.getrandbits(32), rnd.getrandbits(16),
                                     rnd.getrandbits(12), rnd.getrandbits(12),
                                     rnd.getrandbits(48))}]})
            classes.append({"name": staff, "test": "relay4[1].hex == 'staff-%d'" % sid,
                            "option-data": [{"name": "domain-name",
                                             "data": "staff.%s.example.com" % site.lower()}]})
            res = []
            nr = rbase + (1 if k in extra_set else 0)
            for r in range(nr):
                addr = "%s.%d" % (p, 10 + r)
                kind = rnd.random()
                h = {"ip-address": addr, "hostname": "h%d-%d.%s.example.com" % (sid, r,
                                                                               site.lower())}
                if kind < 0.85:
                    while True:
                        mac = "02:%02x:%02x:%02x:%02x:%02x" % tuple(rnd.getrandbits(8)
                                                                    for _ in range(5))
                        if mac not in macs:
                            macs.add(mac)
                            break
                    h["hw-address"] = mac
                elif kind < 0.95:
                    h["client-id"] = "01:02:%02x:%02x:%02x:%02x:%02x" % (
                        (sid >> 16) & 0xff, (sid >> 8) & 0xff, sid & 0xff, r, 0xcc)
                else:
                    h["circuit-id"] = "'%s-port-%d'" % (site, sid * 100 + r)
                res.append(h)
            subnets.append({
                "id": sid, "subnet": p + ".0/24",
                "pools": [{"pool": "%s.40 - %s.250" % (p, p)}],
                "user-context": {"site-id": site, "site-name": "Site %d" % (ni + 1)},
                "reservations": res,
                "require-client-classes": [req],
            })
            k += 1
        nets.append({"name": site + "-1", "subnet4": subnets})
    d4 = {
        "option-def": [OPT234],
        "interfaces-config": {"interfaces": [interface], "dhcp-socket-type": "udp",
                              "outbound-interface": "use-routing"},
        "lease-database": {"type": "memfile", "persist": True, "name": lease_file,
                           "lfc-interval": 0},
        "valid-lifetime": 86400,
        "host-reservation-identifiers": ["circuit-id", "hw-address", "duid", "client-id"],
        "shared-networks": nets,
        "loggers": [{"name": "kea-dhcp4", "output_options": [{"output": "stdout"}],
                     "severity": "INFO"}],
        "multi-threading": {"enable-multi-threading": True, "thread-pool-size": 12,
                            "packet-queue-size": 65},
        "option-data": [{"name": "domain-name", "data": "test_default.example.com"},
                        {"name": "domain-name-servers", "data": "8.8.8.8, 8.8.4.4"}],
        "client-classes": [{"name": "Test Client Class",
                            "test": "option[77].hex == 'W10TEST'",
                            "option-data": [{"name": "domain-name",
                                             "data": "test_client_class.example.com"}]}]
                          + classes,
    }
    return {"Dhcp4": d4}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--subnets", type=int, default=829)
    ap.add_argument("--networks", type=int, default=142)
    ap.add_argument("--reservations", type=int, default=14404)
    ap.add_argument("--interface", default="*")
    ap.add_argument("--lease-file", default="/tmp/lessor-prod-leases4.csv")
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    cfg = generate(a.seed, a.subnets, a.networks, a.reservations, a.interface, a.lease_file)
    text = json.dumps(cfg, indent=1) + "\n"
    if a.output == "-":
        sys.stdout.write(text)
    else:
        with open(a.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
