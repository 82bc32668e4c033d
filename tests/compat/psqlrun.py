"""Runs a corpus file's cases through the real psql 15, one session per file, and splits psql's
output back into one Result per case.

Around every case the script echoes markers to stdout: the case name before it, then psql's
:SQLSTATE and, after an error, :LAST_ERROR_MESSAGE. Everything psql writes to stderr (the
ERROR/NOTICE lines, which would interleave unpredictably with stdout) is kept only for crash
reports. Results are psql's default aligned format, so a number that comes back as text (or
the reverse) shows as a difference in alignment.
"""

import os
import re
import subprocess

from corpus import Result

PSQL = os.environ.get("COMPAT_PSQL", "psql")
MARK = "@@compat@@"
# Run before the first case in both servers; not compared.
PREAMBLE = [
    r"\pset null '(null)'",
    "SET TimeZone TO 'UTC';",
    "SET statement_timeout TO '20s';",
]


def build_script(cases):
    lines = list(PREAMBLE)
    for case in cases:
        lines += [
            rf"\echo {MARK} case {case.name}",
            case.sql,
            rf"\echo {MARK} sqlstate :SQLSTATE",
            r"\if :ERROR",
            rf"\echo {MARK} message :LAST_ERROR_MESSAGE",
            r"\endif",
        ]
    return "\n".join(lines) + "\n"


def parse_output(stdout):
    """{name: Result}; a case psql never finished (lost connection) is absent."""
    results, name, body, state = {}, None, [], None
    for line in stdout.split("\n"):
        if line.startswith(MARK + " "):
            kind, _, rest = line[len(MARK) + 1:].partition(" ")
            if kind == "case":
                name, body, state = rest, [], None
            elif kind == "sqlstate" and name is not None:
                state = rest.strip()
                results[name] = Result(state, "\n".join(body).rstrip("\n"))
            elif kind == "message" and name is not None:
                results[name].message = rest
        elif name is not None and state is None:
            body.append(line)
    for r in results.values():
        if r.is_error:
            r.output = ""
        # psql prints the notifying backend's pid after NOTIFY; it differs on every run.
        r.output = re.sub(r"server process with PID \d+", "server process with PID <pid>", r.output)
    return results


def run_cases(cases, host, port, user, dbname, timeout=120):
    """Returns ({name: Result}, psql's stderr, psql's exit code)."""
    env = dict(os.environ)
    env.update({"PGHOST": str(host), "PGPORT": str(port), "PGUSER": user, "PGDATABASE": dbname,
                "PSQLRC": "/dev/null", "PGCONNECT_TIMEOUT": "10", "PGTZ": "UTC",
                "PGCLIENTENCODING": "UTF8", "LC_ALL": "C.UTF-8"})
    for var in ("PGPASSWORD", "PGOPTIONS", "PGSERVICE"):
        env.pop(var, None)
    try:
        proc = subprocess.run([PSQL, "-X", "-v", "ON_ERROR_STOP=0", "-f", "-"],
                              input=build_script(cases), capture_output=True, text=True, env=env,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:
        # Keep what finished; the cases after the hang come back missing and are reported.
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        return parse_output(out), err + f"\npsql killed after {timeout} s", None
    return parse_output(proc.stdout), proc.stderr, proc.returncode
