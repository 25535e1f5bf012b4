#!/usr/bin/python3
"""lessor vs Kea 2.2 on one real database server: starts MariaDB (innodb_flush_log_at_trx_commit=1)
or PostgreSQL (synchronous_commit=on, fsync=on) with tests/system/dbserver.py in a temporary
directory on disk, creates Kea 2.2's schema with kea-admin db-init, and runs compare.sh with
both servers' lease-database on it (reached over the UNIX socket from the server namespace).
lease4 is emptied before every server start. The database is stopped and removed at the end.

Usage (root): bench/perfdhcp/sql.py mysql|postgresql   [env as compare.sh: RATES, STEP_S, MT...]
"""
import os
import shutil
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "tests", "system"))
import dbserver  # noqa: E402

kind = sys.argv[1] if len(sys.argv) > 1 else "mysql"
base = os.path.join(here, "..", "..", "build")
os.makedirs(base, exist_ok=True)
d = tempfile.mkdtemp(prefix="bench-db-", dir=base)   # on disk: commits really fsync
os.chmod(d, 0o755)
cls = dbserver.MariaDB if kind == "mysql" else dbserver.PostgreSQL
env = dict(os.environ)
env.setdefault("RATES", "250 500 750 1000 1500 2000 2500 3000 4000 5000 6000 8000 10000")
try:
    with cls(d) as db:
        db.create_database("kea", user="kea", password="kea")
        subprocess.run(["kea-admin", "db-init", db.admin_type, "-u", "kea", "-p", "kea", "-n", "kea",
                        "-h", "127.0.0.1", "-P", str(db.port)], check=True,
                       stdout=subprocess.DEVNULL, env=db.kea_admin_env(), timeout=120)
        if kind == "mysql":
            host = "localhost"
            env["MYSQL_UNIX_PORT"] = db.socket
            env["WIPE_CMD"] = "mariadb --no-defaults -uroot --socket=%s kea -e 'DELETE FROM lease4'" % db.socket
        else:
            host = db.socket_dir
            env["WIPE_CMD"] = ("PGPASSWORD=postgres psql -q -h 127.0.0.1 -p %d -U postgres -d kea "
                               "-c 'DELETE FROM lease4'" % db.port)
        env["LEASE_DB_JSON"] = ('{ "type": "%s", "name": "kea", "host": "%s", "port": %d, '
                                '"user": "kea", "password": "kea" }' % (db.lease_type, host, db.port))
        r = subprocess.run([os.path.join(here, "compare.sh")], env=env)
        sys.exit(r.returncode)
finally:
    shutil.rmtree(d, ignore_errors=True)
