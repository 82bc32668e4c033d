r"""psql's meta-commands against augur, compared with golden output files.

The golden files in golden/ are augur's output after a side-by-side check against PostgreSQL 15
with the same schema. Known, intended differences from PostgreSQL:
  - VARCHAR columns show as "text" (DuckDB does not keep varchar and text apart);
  - the owner is always "augur", the one role (PostgreSQL's public schema is owned by
    pg_database_owner);
  - Size (\dt+, \di+, \ds+) is blank: DuckDB does not account storage per table;
  - a view's definition (\d+ view) is DuckDB's text of the SELECT, and an index on a column
    named like a keyword (owner) prints it quoted;
  - \dn lists DuckDB's own "main" schema only when it holds something (tables of databases made
    before augur had "public").
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
    "CREATE TABLE transfers(id BIGINT PRIMARY KEY, account_id INTEGER NOT NULL "
    "REFERENCES accounts(id), amount NUMERIC(10,2), note TEXT)",
    "CREATE SEQUENCE transfer_numbers",
    "COMMENT ON TABLE transfers IS 'money moved'",
    "COMMENT ON COLUMN transfers.note IS 'free text'",
]
COMMANDS = {
    "dt": r"\dt",
    "d_accounts": r"\d accounts",
    "d_rich": r"\d rich",
    "d_plus_accounts": r"\d+ accounts",
    "d_plus_transfers": r"\d+ transfers",
    "d_plus_rich": r"\d+ rich",
    "dt_plus": r"\dt+",
    "di_plus": r"\di+",
    "ds": r"\ds",
    "dx": r"\dx",
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
