"""Where DuckDB and PostgreSQL answer the same text differently, augur answers as PostgreSQL."""

import psycopg
import pytest


def test_integer_division_truncates(conn):
    row = conn.execute("SELECT 7 / 2, -7 / 2, 10::BIGINT / 3, 1::SMALLINT / 2, 7 % 3, -7 % 3").fetchone()
    assert row == (3, -3, 3, 0, 1, -1)


def test_non_integer_division_is_unchanged(conn):
    row = conn.execute("SELECT 7.5::DOUBLE / 2, 5.0 / 2").fetchone()
    assert float(row[0]) == 3.75 and float(row[1]) == 2.5


@pytest.mark.parametrize("sql", ["SELECT 1 / 0", "SELECT 1.5::DOUBLE / 0", "SELECT 5 % 0",
                                 "SELECT 1::BIGINT / 0::BIGINT", "SELECT 1.5 / 0"])
def test_division_by_zero_raises_22012(conn, sql):
    with pytest.raises(psycopg.errors.DivisionByZero) as info:
        conn.execute(sql)
    assert info.value.diag.message_primary == "division by zero"


def test_division_by_zero_in_a_column_raises_too(conn):
    conn.execute("CREATE TABLE div_rows(a INTEGER, b INTEGER)")
    conn.execute("INSERT INTO div_rows VALUES (4, 2), (1, 0)")
    with pytest.raises(psycopg.errors.DivisionByZero):
        conn.execute("SELECT a / b FROM div_rows").fetchall()
    conn.execute("DROP TABLE div_rows")


def test_integer_overflow_in_division(conn):
    with pytest.raises(psycopg.errors.NumericValueOutOfRange):
        conn.execute("SELECT (-2147483648)::INTEGER / -1")


@pytest.mark.parametrize(
    "sql, names",
    [
        ("CREATE FUNCTION fn_add(a int, b int) RETURNS int AS 'SELECT a + b' LANGUAGE sql",
         "CREATE FUNCTION with RETURNS/LANGUAGE"),
        ("CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN END $$",
         "CREATE FUNCTION with RETURNS/LANGUAGE"),
        ("DO $$ BEGIN RAISE NOTICE 'x'; END $$", "DO blocks"),
        ("CREATE TRIGGER t BEFORE INSERT ON x FOR EACH ROW EXECUTE FUNCTION f()", "triggers"),
        ("DROP FUNCTION IF EXISTS f(int)", "functions"),
        ("CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1'", "procedures"),
    ],
)
def test_unsupported_statements_name_what_is_missing(conn, sql, names):
    # DuckDB's parser answered 42601 "syntax error at or near RETURNS"; PostgreSQL runs these.
    with pytest.raises(psycopg.errors.FeatureNotSupported) as info:
        conn.execute(sql)
    assert names in info.value.diag.message_primary


def test_unsupported_statement_runs_after_the_ones_before_it(conn):
    conn.execute("CREATE TABLE unsupported_before(x int)")
    with pytest.raises(psycopg.errors.FeatureNotSupported):
        conn.execute("INSERT INTO unsupported_before VALUES (1); DO $$ BEGIN END $$", prepare=False)
    assert conn.execute("SELECT count(*) FROM unsupported_before").fetchone() == (1,)
    conn.execute("DROP TABLE unsupported_before")


def test_duckdb_macro_functions_still_work(conn):
    conn.execute("CREATE FUNCTION plus_one(a) AS a + 1")
    assert conn.execute("SELECT plus_one(41)").fetchone() == (42,)
    conn.execute("DROP FUNCTION plus_one")


def test_pg_sleep_sleeps_and_honours_statement_timeout(conn):
    assert conn.execute("SELECT pg_sleep(0.05)").fetchone() == ("",)  # PostgreSQL's void
    conn.execute("SET statement_timeout = 200")
    try:
        with pytest.raises(psycopg.errors.QueryCanceled):
            conn.execute("SELECT pg_sleep(30)")
    finally:
        conn.execute("RESET statement_timeout")
