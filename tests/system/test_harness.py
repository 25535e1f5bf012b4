"""The test harness itself: conftest.perfdhcp() must wait for every ACK.

perfdhcp ends its -W wait once the OFFERs and ACKs it has received add up to its -n values
(Kea's TestControl::haveAllPacketsBeenReceived). With a single -n N it stopped at N replies:
against a server whose ACKs come later than its OFFERs (a SQL lease database after a
restart) it reported 15 of 20 OFFERs and 5 of 15 ACKs while tshark saw all 20 ACKs leave,
and test_sql_lease's restart phase failed with nothing in the server's log; -n N -n N still
quit early whenever perfdhcp started N + 1 exchanges, which it does now and then. A
stand-in server here answers every DISCOVER at once and every REQUEST 300 ms later, the
shape of that run; every client must be counted as ACKed.
"""

import subprocess
import time

import pytest

from conftest import PYTHON, SRV_ADDR, need_tools, perfdhcp

# OFFER at once, ACK after DELAY s, one "ACK addr" line each; ends after 30 s or when killed
SLOW_ACK = r"""
import socket, struct, sys, time, threading
delay = float(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 67))
s.settimeout(1.0)
sid = socket.inet_aton(sys.argv[2])
end = time.monotonic() + 30
out = threading.Lock()
print("READY", flush=True)

def reply(q, mtype, yi):
    hdr = bytearray(q[:236])
    hdr[0] = 2
    hdr[16:20] = socket.inet_aton(yi)
    opts = bytes([53, 1, mtype, 54, 4]) + sid + bytes([51, 4, 0, 0, 14, 16, 1, 4, 255, 255, 0, 0, 255])
    s.sendto(bytes(hdr) + q[236:240] + opts, (socket.inet_ntoa(q[24:28]), 67))
    if mtype == 5:
        with out:
            print("ACK", yi, flush=True)

seen = {}
while time.monotonic() < end:
    try:
        q = s.recv(4096)
    except socket.timeout:
        continue
    if len(q) < 240:
        continue
    mtype, i = 0, 240
    while i + 1 < len(q) and q[i] != 255:
        if q[i] == 0:
            i += 1
            continue
        if q[i] == 53:
            mtype = q[i + 2]
        i += 2 + q[i + 1]
    chaddr = q[28:34]
    k = seen.setdefault(chaddr, len(seen) + 256)
    yi = "10.0.%d.%d" % (k // 256, k % 256)
    if mtype == 1:
        reply(q, 2, yi)
    elif mtype == 3:
        threading.Timer(delay, reply, (q, 5, yi)).start()
"""


@pytest.mark.parametrize("n", [20, 300])
def test_perfdhcp_waits_for_late_acks(netpair, n):
    need_tools("perfdhcp")
    srv = netpair.popen(netpair.srv, [PYTHON, "-c", SLOW_ACK, "0.3", SRV_ADDR],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert srv.stdout.readline().startswith("READY")
        r = perfdhcp(netpair, n=n, rate=400, base_mac="00:0c:0f:00:00:00", wait_s=2)
        time.sleep(0.6)         # ACKs of REQUESTs still in the stand-in's timers leave
    finally:
        srv.kill()
        out, _ = srv.communicate(timeout=10)
    sent = out.count("ACK ")
    assert sent >= n, "the stand-in server sent %d ACKs for %d clients\n%s" % (sent, n, out)
    assert r.all_acked(n), "perfdhcp counted %d of the %d ACKs the server sent\n%r" % (
        r.acks, sent, r)
