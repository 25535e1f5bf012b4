"""Throw-away X.509 material for TLS tests, made by the openssl command line in a directory:

    pki = Pki(dir)
    pki.ca("ca")                                   -> ca.crt / ca.key (a self-signed CA)
    pki.issue("server", "ca", cn="db", ips=["127.0.0.1"], dns=["localhost"])
                                                   -> server.crt / server.key, signed by ca
    pki.issue("client", "ca", cn="kea_cert")       -> a client certificate (CN = the user name
                                                      PostgreSQL's `cert` method maps)
    pki.crt("server"), pki.key("server")           -> paths

Keys are 2048-bit RSA (what every TLS library here accepts); certificates are valid one day.
"""

import os
import subprocess


class Pki:
    def __init__(self, directory):
        self.dir = str(directory)
        os.makedirs(self.dir, exist_ok=True)

    def crt(self, name):
        return os.path.join(self.dir, name + ".crt")

    def key(self, name):
        return os.path.join(self.dir, name + ".key")

    def _openssl(self, *argv):
        r = subprocess.run(["openssl"] + list(argv), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=60, cwd=self.dir)
        assert r.returncode == 0, "openssl %s: %s" % (" ".join(argv), r.stdout)

    def ca(self, name):
        self._openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                      "-subj", "/CN=lessor test CA %s" % name, "-keyout", self.key(name),
                      "-out", self.crt(name),
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        return self.crt(name)

    def issue(self, name, ca, cn, ips=(), dns=()):
        csr = os.path.join(self.dir, name + ".csr")
        ext = os.path.join(self.dir, name + ".ext")
        self._openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn,
                      "-keyout", self.key(name), "-out", csr)
        san = ["IP:" + a for a in ips] + ["DNS:" + d for d in dns]
        with open(ext, "w") as f:
            f.write("basicConstraints=CA:FALSE\n")
            f.write("keyUsage=digitalSignature,keyEncipherment\n")
            f.write("extendedKeyUsage=serverAuth,clientAuth\n")
            if san:
                f.write("subjectAltName=%s\n" % ",".join(san))
        self._openssl("x509", "-req", "-in", csr, "-CA", self.crt(ca), "-CAkey", self.key(ca),
                      "-CAcreateserial", "-days", "1", "-extfile", ext, "-out", self.crt(name))
        os.chmod(self.key(name), 0o600)
        return self.crt(name)
