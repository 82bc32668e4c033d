"""Runs one corpus file against a fresh augur server of its own (own data directory), so every
file starts from an empty database and a crash cannot spill into other files or tests.
AUGUR_BIN names the binary (default: build/augur of this checkout)."""

import sys

from corpus import HERE, load_cases
from psqlrun import run_cases

sys.path.insert(0, str(HERE.parent / "integration"))
import augur_server  # noqa: E402

AUGUR_BIN = augur_server.AUGUR_BIN  # the binary run_topic starts


def run_topic(topic, data_dir):
    """Returns ({name: Result}, problems [str]): problems are crashes or an unclean exit."""
    cases = load_cases(topic)
    srv = augur_server.AugurServer(data_dir).start()
    problems = []
    try:
        results, stderr, code = run_cases(cases, srv.host, srv.port, "augur", "augur")
        if not srv.alive():
            problems.append(f"{topic}: augur DIED during the file (psql exit {code}):\n"
                            + "\n".join(srv.log_lines[-20:]) + "\n" + stderr[-2000:])
        elif len(results) < len(cases):
            problems.append(f"{topic}: psql stopped after {len(results)} of {len(cases)} cases "
                            f"(exit {code}):\n{stderr[-2000:]}")
    finally:
        if srv.alive():
            exit_code = srv.stop()
            if exit_code != 0:
                problems.append(f"{topic}: augur exited with {exit_code} on SIGTERM:\n"
                                + "\n".join(srv.log_lines[-20:]))
    return results, problems
