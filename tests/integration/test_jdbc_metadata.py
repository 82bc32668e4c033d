"""pgjdbc's DatabaseMetaData and ResultSetMetaData, as DBeaver and DataGrip read them, compared
field by field with PostgreSQL 15's answers on the same schema.

golden/jdbc_meta_pg15.txt is MetaDump's output against PostgreSQL 15 (re-record with
RECORD_PG="jdbc:postgresql://host:port/db?user=u"). Each line augur answers differently must be
listed in KNOWN_DIFFERENCES with the reason; a listed line that starts to match fails the test
too, so the list only shrinks."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

JDBC_JAR = "/usr/share/java/postgresql.jar"
HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "jdbc_meta_pg15.txt"

# Line prefix (up to and including the distinguishing fields) -> why augur differs.
KNOWN_DIFFERENCES = {}


@pytest.fixture(scope="module")
def meta_dump(tmp_path_factory):
    if not (shutil.which("javac") and os.path.exists(JDBC_JAR)):
        pytest.fail("javac and pgjdbc are installed by scripts/bootstrap.sh; run make deps")
    out = tmp_path_factory.mktemp("jdbc-meta")
    subprocess.run(["javac", "-cp", JDBC_JAR, "-d", str(out), str(HERE / "jdbc" / "MetaDump.java")],
                   check=True, timeout=180)

    def run(url):
        r = subprocess.run(["java", "-cp", f"{JDBC_JAR}:{out}", "MetaDump", url],
                           capture_output=True, text=True, timeout=180)
        assert r.returncode == 0, r.stderr
        return r.stdout.splitlines()
    return run


def known(line):
    return next((why for prefix, why in KNOWN_DIFFERENCES.items() if line.startswith(prefix)),
                None)


def test_database_metadata_matches_postgres(server, meta_dump):
    if os.environ.get("RECORD_PG"):
        GOLDEN.write_text("\n".join(meta_dump(os.environ["RECORD_PG"])) + "\n")
    expected = GOLDEN.read_text().splitlines()
    got = meta_dump(f"jdbc:postgresql://127.0.0.1:{server.port}/augur?user=augur")
    missing = [line for line in expected if line not in got]
    extra = [line for line in got if line not in expected]
    unexplained = [f"PostgreSQL: {line}" for line in missing if not known(line)] + [
        f"augur:      {line}" for line in extra if not known(line)]
    assert not unexplained, "\n".join(unexplained)
    # Every known difference must still differ: fixed ones leave the list.
    still = {prefix for prefix in KNOWN_DIFFERENCES
             if any(line.startswith(prefix) for line in missing + extra)}
    assert still == set(KNOWN_DIFFERENCES), f"fixed, remove from the list: {set(KNOWN_DIFFERENCES) - still}"
