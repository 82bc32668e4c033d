"""A real augur server process for integration tests: started on a free loopback port with its own
temporary data directory, stopped with SIGTERM (or killed, when a test asks for it)."""

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

AUGUR_BIN = os.environ.get("AUGUR_BIN", str(Path(__file__).resolve().parents[2] / "build" / "augur"))


class AugurServer:
    def __init__(self, data_dir, extra_args=(), env=None):
        self.data_dir = str(data_dir)
        self.extra_args = list(extra_args)
        self.env = env
        self.host = "127.0.0.1"
        self.port = None
        self.http_port = None
        self.proc = None
        self.log_lines = []
        self._log_thread = None

    def start(self, timeout=60):
        env = dict(os.environ)
        env.update(self.env or {})
        self.log_lines = []
        http = [] if "--http-port" in self.extra_args else ["--http-port", "0"]
        self.proc = subprocess.Popen(
            [AUGUR_BIN, "serve", "--data", self.data_dir, "--pg-port", "0", *http,
             *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=env, text=True)
        ready = threading.Event()

        def drain():
            for line in self.proc.stderr:
                self.log_lines.append(line.rstrip("\n"))
                if "pgwire listening" in line:
                    self.port = int(re.search(r"port=(\d+)", line).group(1))
                if "http listening" in line:  # the last to start
                    self.http_port = int(re.search(r"port=(\d+)", line).group(1))
                    ready.set()
            ready.set()

        self._log_thread = threading.Thread(target=drain, daemon=True)
        self._log_thread.start()
        if not ready.wait(timeout) or self.port is None:
            self.proc.kill()
            raise RuntimeError("augur did not start:\n" + "\n".join(self.log_lines))
        return self

    def url(self, path):
        return f"http://{self.host}:{self.http_port}{path}"

    def dsn(self, **extra):
        parts = {"host": self.host, "port": self.port, "user": "augur", "dbname": "augur"}
        parts.update(extra)
        return " ".join(f"{k}={v}" for k, v in parts.items())

    def psql_env(self):
        env = dict(os.environ)
        env.update({"PGHOST": self.host, "PGPORT": str(self.port), "PGUSER": "augur",
                    "PGDATABASE": "augur", "PSQLRC": "/dev/null", "PGCONNECT_TIMEOUT": "10"})
        env.pop("PGPASSWORD", None)
        return env

    def psql(self, sql=None, *args, input=None, check=False, timeout=60):
        """Runs the real psql; returns (returncode, stdout, stderr)."""
        cmd = ["psql", "-X", "-v", "VERBOSITY=default", *args]
        if sql is not None:
            cmd += ["-c", sql]
        r = subprocess.run(cmd, input=input, capture_output=True, text=True, env=self.psql_env(),
                           timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"psql failed ({r.returncode}): {r.stderr}")
        return r.returncode, r.stdout, r.stderr

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        self._log_thread.join(5)
        self.proc = None
        return code

    def kill9(self):
        return self.stop(signal.SIGKILL)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_for_log(self, needle, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if any(needle in line for line in self.log_lines):
                return True
            time.sleep(0.05)
        return False
