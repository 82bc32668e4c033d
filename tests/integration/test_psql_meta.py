r"""psql's meta-commands against augur, compared with golden output files.

The golden files in golden/ are augur's output after a side-by-side check against PostgreSQL 15
with the same schema. Known, intended differences from PostgreSQL:
  - \dn lists DuckDB's own "main" schema beside "public" while it holds something (tables of
    databases made before augur had "public" stay there);
  - VARCHAR columns show as "text" (DuckDB does not keep varchar and text apart);
  - the owner is always "augur", the one role;
  - \dt and \dn list tables of every schema (PostgreSQL lists only those on the search_path).
Regenerate with UPDATE_GOLDEN=1 after checking a change by eye.
"""

import os
from pathlib import Path

import pytest

from augur_server import AugurServer

GOLDEN = Path(__file__).parent / "golden"
SCHEMA = [
    "CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner VARCHAR NOT NULL, "
    "balance DECIMAL(12,2) DEFAULT 0, opened TIMESTAMP, active BOOLEAN)",
    "CREATE INDEX accounts_owner ON accounts(owner)",
    "CREATE VIEW rich AS SELECT id, owner FROM accounts WHERE balance > 1000",
    "CREATE SCHEMA reporting",
    "CREATE TABLE reporting.daily(day DATE, total DOUBLE)",
]
COMMANDS = {
    "dt": r"\dt",
    "d_accounts": r"\d accounts",
    "d_rich": r"\d rich",
    "dv": r"\dv",
    "di": r"\di",
    "dn": r"\dn",
    "l": r"\l",
    "du": r"\du",
    "df": r"\df",
    "x_select": "\\x\nSELECT 1 AS a, 'two' AS b;",
}


@pytest.fixture(scope="module")
def catalog_server(tmp_path_factory):
    srv = AugurServer(tmp_path_factory.mktemp("psql-meta")).start()
    for sql in SCHEMA:
        srv.psql(sql, check=True)
    yield srv
    srv.stop()


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_meta_command_matches_golden(catalog_server, name):
    code, out, err = catalog_server.psql(None, input=COMMANDS[name] + "\n")
    assert code == 0 and "ERROR" not in err, err
    golden = GOLDEN / f"psql_{name}.out"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(out)
    assert out == golden.read_text()


def test_error_caret_matches_golden(catalog_server):
    code, out, err = catalog_server.psql("SELECT * FROM nosuch")
    assert code == 1
    golden = GOLDEN / "psql_error_caret.out"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(err)
    assert err == golden.read_text()
    lines = err.splitlines()
    caret_column = lines[2].index("^")
    assert lines[1][caret_column:].startswith("nosuch")


def test_timing_prints_a_duration(catalog_server):
    code, out, err = catalog_server.psql(None, input="\\timing on\nSELECT 1;\n")
    assert code == 0, err
    assert "Timing is on." in out and "Time: " in out
