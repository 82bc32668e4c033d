"""A throwaway PostgreSQL 15 from Debian's postgresql-15 package: initdb in a temporary directory,
listening only on a Unix socket inside it, removed on exit. Used to record the corpus's expected
output (record.py) and, when the binaries are installed, to check the recording is current.

PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
"""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("COMPAT_PG_BIN", "/usr/lib/postgresql/15/bin"))


def available():
    return (PG_BIN / "initdb").exists() and (PG_BIN / "pg_ctl").exists() and shutil.which("psql")


def _free_port():
    # Only names the socket file (.s.PGSQL.<port>) in our own directory; no TCP listener.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres15:
    def __init__(self):
        self.tmp = None
        self.port = _free_port()
        self.user = "postgres"

    def _run(self, *cmd):
        if os.geteuid() == 0:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")

    def __enter__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="augur-compat-pg15-"))
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self):
        if os.geteuid() == 0:
            shutil.chown(self.tmp, "postgres", "postgres")
        data = self.tmp / "data"
        # C collation: augur sorts text by code point, as PostgreSQL does under C; C.UTF-8 ctype
        # so upper()/lower() handle non-ASCII letters.
        self._run(str(PG_BIN / "initdb"), "-D", str(data), "-U", self.user, "--auth=trust",
                  "--encoding=UTF8", "--lc-collate=C", "--lc-ctype=C.UTF-8",
                  "--lc-messages=C", "--no-sync")
        opts = (f"-p {self.port} -k {self.tmp} -c listen_addresses='' -c fsync=off "
                "-c TimeZone=UTC")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-l",
                  str(self.tmp / "log"), "-w", "start")

    @property
    def host(self):
        return str(self.tmp)

    def create_database(self, name):
        subprocess.run(["psql", "-X", "-h", self.host, "-p", str(self.port), "-U", self.user,
                        "-d", "postgres", "-c", f"CREATE DATABASE {name} STRATEGY = FILE_COPY"],
                       check=True, capture_output=True, text=True)

    def __exit__(self, *exc):
        try:
            if (self.tmp / "data" / "postmaster.pid").exists():
                self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.tmp / "data"), "-m",
                          "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)
