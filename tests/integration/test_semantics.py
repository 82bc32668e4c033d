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
