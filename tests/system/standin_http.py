"""Stand-in HTTP servers for the system tests: one small server with a table of kinds, run
as its own process inside a namespace the test made (start() below), so that a test can
point lessor or Kea at an endpoint it controls instead of a real peer or a cloud service.

    PYTHON standin_http.py KIND ADDR PORT LOG ARG

KIND  ha-partner: an HA peer answering ha-heartbeat (state waiting) with a clock ARG seconds
          ahead; every other command gets result 3 (test_ha_ops.test_clock_skew)
      aws-creds: the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI)
      imds: EC2 instance metadata v2: token (PUT), role list, role credentials
LOG   every request is appended as "METHOD PATH VALUE", VALUE being the kind's header of
      interest (None when absent); "-" logs nothing
"""
import json
import os
import sys
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HERE = os.path.dirname(os.path.abspath(__file__))


def ha_partner(req, skew):
    if req.command != "POST":
        return 405, b""
    cmd = json.loads(req.body)["command"]
    if cmd == "ha-heartbeat":
        ans = {"result": 0, "text": "HA peer status returned.",
               "arguments": {"date-time": formatdate(time.time() + float(skew), usegmt=True),
                             "scopes": [], "state": "waiting", "unsent-update-count": 0}}
    else:
        ans = {"result": 3, "text": "nothing here"}
    return 200, json.dumps([ans]).encode()


def aws_creds(req, _arg):
    return 200, json.dumps({"AccessKeyId": "S3RVER", "SecretAccessKey": "S3RVER",
                            "Token": "task-token", "Expiration": "2099-01-01T00:00:00Z"}).encode()


IMDS_ROLES = "/latest/meta-data/iam/security-credentials/"


def imds(req, _arg):
    if req.command == "PUT":
        ok = req.path == "/latest/api/token" and \
            req.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        return (200 if ok else 400), b"imds-token"
    if req.headers.get("X-aws-ec2-metadata-token") != "imds-token":
        return 401, b""
    if req.path == IMDS_ROLES:
        return 200, b"lessor-role\n"
    if req.path == IMDS_ROLES + "lessor-role":
        return 200, json.dumps({"Code": "Success", "AccessKeyId": "S3RVER",
                                "SecretAccessKey": "S3RVER", "Token": "t"}).encode()
    return 404, b""


# kind -> (answer(request, ARG) -> (status, body), the header LOG records)
KINDS = {
    "ha-partner": (ha_partner, None),
    "aws-creds": (aws_creds, "Authorization"),
    "imds": (imds, "X-aws-ec2-metadata-token"),
}


def start(net, ns, kind, addr, port, log=None, arg=""):
    """Run the KIND stand-in on ADDR:PORT in namespace NS of NET (a conftest NsRun); returns
    the Popen (the caller kills it)."""
    import subprocess
    from conftest import PYTHON
    assert kind in KINDS, kind
    return net.popen(ns, [PYTHON, os.path.join(HERE, "standin_http.py"), kind, addr, str(port),
                          str(log) if log is not None else "-", str(arg)],
                     stdin=subprocess.DEVNULL)


def main(argv):
    kind, addr, port, log, arg = argv[1], argv[2], int(argv[3]), argv[4], argv[5]
    answer, logged = KINDS[kind]

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"     # keep-alive, as an HA peer's libcurl expects

        def handle_any(self):
            n = int(self.headers.get("Content-Length") or 0)
            self.body = self.rfile.read(n) if n > 0 else b""
            if log != "-":
                with open(log, "a") as f:
                    f.write("%s %s %s\n" % (self.command, self.path,
                                            self.headers.get(logged) if logged else None))
            code, body = answer(self, arg)
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = handle_any

        def log_message(self, *a):
            pass

    ThreadingHTTPServer((addr, port), H).serve_forever()


if __name__ == "__main__":
    main(sys.argv)
