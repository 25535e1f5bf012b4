"""Bad lease command arguments, differentially (issue #10): a table of bad (and a few good)
lease4/lease6/stat-lease requests sent in order to Kea 2.2 and to lessor on the same
configuration; the answers must match (result code, text without Kea's positions,
arguments), over the UNIX socket and, for a sample, over HTTP. The other control-channel
families: test_differential_ctl.py."""

import json

from differential_ctl import both, norm, send


HW = "1a:1b:1c:1d:1e:1f"
V6 = "2001:db8::1"
BAD_LEASE_REQUESTS = [
    ("lease4-add", {"ip-address": 5, "hw-address": HW}),
    ("lease4-add", {"ip-address": "10.0.1.300", "hw-address": HW}),
    ("lease4-add", {"ip-address": "192.168.50.300", "hw-address": HW}),
    ("lease4-add", {"ip-address": V6, "hw-address": HW}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": 5}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "subnet-id": "1"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "subnet-id": -1}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "subnet-id": 4294967296}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "subnet-id": 99}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "subnet-id": 2}),
    ("lease4-add", {"ip-address": "172.16.0.1", "hw-address": HW}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "valid-lft": "x"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "valid-lft": -5}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "expire": "x"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "expire": -1}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "expire": 0}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "expire": 5}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "hostname": 5}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "client-id": 5}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "client-id": "zz"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "client-id": "01"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "fqdn-fwd": "yes"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "fqdn-rev": 1}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "fqdn-fwd": True}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "state": "x"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "state": -1}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "state": 300}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "state": 7}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "user-context": "x"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "user-context": [1, "a"]}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "user-context": True}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": HW, "force-create": "x"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": ""}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": "zz"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": "1a::1b"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": "1a1b1c"}),
    ("lease4-add", {"ip-address": "10.0.1.5", "hw-address": (HW + ":") * 4 + "00"}),
    ("lease4-add", {"hw-address": HW}),
    ("lease4-add", {"ip-address": "10.0.1.5"}),
    ("lease4-add", [1]),
    ("lease4-add", "x"),
    ("lease4-update", {"ip-address": "10.0.1.5", "hw-address": HW, "user-context": 5}),
    ("lease4-update", {"ip-address": "192.168.50.300", "hw-address": HW}),
    ("lease4-update", {"ip-address": "10.0.1.6", "hw-address": HW}),
    ("lease4-update", {"hw-address": HW}),
    ("lease4-update", [1]),
    ("lease4-get", {"ip-address": "192.168.50.300"}),
    ("lease4-get", {"ip-address": V6}),
    ("lease4-get", {"ip-address": 5}),
    ("lease4-get", {"identifier-type": "hw-address", "identifier": HW}),
    ("lease4-get", {"identifier-type": "hw-address", "identifier": HW, "subnet-id": "1"}),
    ("lease4-get", {"identifier-type": "duid", "identifier": "1a:1b", "subnet-id": 1}),
    ("lease4-get", {"identifier-type": "flex-id", "identifier": "1a:1b", "subnet-id": 1}),
    ("lease4-get", {"identifier-type": 5, "identifier": "1a:1b", "subnet-id": 1}),
    ("lease4-get", {"identifier-type": "hw-address", "subnet-id": 1}),
    ("lease4-get", {"identifier-type": "hw-address", "identifier": 5, "subnet-id": 1}),
    ("lease4-get", {"identifier-type": "hw-address", "identifier": "zz", "subnet-id": 1}),
    ("lease4-get", {"identifier-type": "client-id", "identifier": "zz", "subnet-id": 1}),
    ("lease4-get", {"identifier-type": "client-id", "identifier": "", "subnet-id": 1}),
    ("lease4-get", {"identifier": "1a:1b", "subnet-id": 1}),
    ("lease4-get", {}),
    ("lease4-get", [1]),
    ("lease4-get", None),
    ("lease4-del", {"ip-address": "192.168.50.300"}),
    ("lease4-del", {"identifier-type": "hw-address", "identifier": HW}),
    ("lease4-del", {"identifier-type": "duid", "identifier": "1a:1b", "subnet-id": 1}),
    ("lease4-del", {"identifier-type": "bogus", "identifier": "1a", "subnet-id": 1}),
    ("lease4-get-all", {"subnets": ["x"]}),
    ("lease4-get-all", {"subnets": "x"}),
    ("lease4-get-all", {}),
    ("lease4-get-all", [1]),
    ("lease4-get-page", {"from": "start", "limit": "x"}),
    ("lease4-get-page", {"from": "start", "limit": -1}),
    ("lease4-get-page", {"from": "start", "limit": 0}),
    ("lease4-get-page", {"from": "start", "limit": 4294967296}),
    ("lease4-get-page", {"from": "start", "limit": 1.5}),
    ("lease4-get-page", {"from": "start"}),
    ("lease4-get-page", {"from": 5, "limit": 5}),
    ("lease4-get-page", {"from": "192.168.50.300", "limit": 5}),
    ("lease4-get-page", {"from": V6, "limit": 5}),
    ("lease4-get-page", {"from": "", "limit": 5}),
    ("lease4-get-page", {"limit": 5}),
    ("lease4-get-page", [1]),
    ("lease4-get-page", None),
    ("lease4-get-by-hw-address", {"hw-address": 5}),
    ("lease4-get-by-hw-address", {"hw-address": "zz"}),
    ("lease4-get-by-hw-address", {}),
    ("lease4-get-by-client-id", {"client-id": "zz"}),
    ("lease4-get-by-client-id", {"client-id": ""}),
    ("lease4-get-by-client-id", [1]),
    ("lease4-get-by-hostname", {"hostname": 5}),
    ("lease4-get-by-hostname", {"hostname": ""}),
    ("lease4-wipe", {"subnet-id": -1}),
    ("lease4-wipe", {"subnet-id": 1.5}),
    ("lease4-wipe", [1]),
    ("lease4-resend-ddns", {}),
    ("lease4-resend-ddns", {"ip-address": "192.168.50.300"}),
    ("lease4-resend-ddns", {"ip-address": 5}),
    ("lease4-resend-ddns", {"ip-address": V6}),
    ("lease4-resend-ddns", {"ip-address": "10.0.1.5"}),
    ("lease4-resend-ddns", [1]),
    ("stat-lease4-get", {"subnet-id": -1}),
    ("stat-lease4-get", {"subnet-id": 1, "subnet-range": {"first-subnet-id": 1,
                                                          "last-subnet-id": 2}}),
    ("stat-lease4-get", {"subnet-range": {"first-subnet-id": 3, "last-subnet-id": 2}}),
    ("stat-lease4-get", [1]),
    ("lease6-add", None),
    ("lease6-add", {"ip-address": "10.0.1.5"}),
    ("lease6-add", {"ip-address": V6}),
    ("lease6-add", {"ip-address": V6, "duid": "zz"}),
    ("lease6-add", {"ip-address": V6, "duid": "01:02:03", "iaid": 1, "subnet-id": 1}),
    ("lease6-add", {"ip-address": V6, "duid": "01:02:03", "subnet-id": "x"}),
    ("lease6-update", None),
    ("lease6-get", {"ip-address": "10.0.1.5"}),
    ("lease6-get", {"ip-address": V6}),
    ("lease6-get", {"subnet-id": 1, "identifier-type": "hw-address", "identifier": "01:02"}),
    ("lease6-get", {"subnet-id": 1, "identifier-type": "duid", "identifier": "01:02"}),
    ("lease6-del", {"subnet-id": 1, "identifier-type": "hw-address", "identifier": "01:02"}),
    ("lease6-get-all", None),
    ("lease6-get-all", {"subnets": [1]}),
    ("lease6-get-by-duid", {"duid": ""}),
    ("lease6-get-by-hostname", {"hostname": "x"}),
    ("lease6-get-page", {"from": "10.0.0.1", "limit": 5}),
    ("lease6-get-page", {"from": "start", "limit": 5}),
    ("lease6-bulk-apply", {}),
    ("lease6-bulk-apply", {"leases": 5}),
    ("lease6-bulk-apply", {"deleted-leases": [{"ip-address": V6}]}),
    ("lease6-bulk-apply", {"leases": [{"ip-address": V6}]}),
    ("lease6-wipe", None),
    ("lease6-wipe", {"subnet-id": -1}),
    ("stat-lease6-get", None),
    ("stat-lease6-get", {"subnet-id": 1}),
    ("stat-lease6-get", {"subnet-range": {"first-subnet-id": 1, "last-subnet-id": 5}}),
]


def test_bad_lease_arguments_match_kea(server, tmp_path):
    """%d bad (and a few good) lease command requests, in order, on both servers: same result
    code, same text, same arguments.""" % len(BAD_LEASE_REQUESTS)
    assert len(BAD_LEASE_REQUESTS) >= 30
    with both(server, tmp_path) as (ours, kea):
        diffs = []
        for cmd, args in BAD_LEASE_REQUESTS:
            o, k = norm(send(ours, cmd, args)), norm(send(kea, cmd, args))
            if o != k:
                diffs.append("%s %s\n  ours: %s\n  kea:  %s" % (cmd, json.dumps(args), o, k))
            assert kea.server.alive(), "Kea died on %s %s" % (cmd, args)
        assert not diffs, "%d of %d differ:\n%s" % (len(diffs), len(BAD_LEASE_REQUESTS),
                                                     "\n".join(diffs))
        # the same over HTTP (kea-ctrl-agent's envelope) for a sample
        for cmd, args in BAD_LEASE_REQUESTS[::7]:
            a = [c.http(cmd, **args) if isinstance(args, dict) else None for c in (ours, kea)]
            if a[0] is not None:
                assert [norm(x) for x in a[0]] == [norm(x) for x in a[1]], (cmd, args, a)
