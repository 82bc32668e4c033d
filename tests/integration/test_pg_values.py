"""Issue 17, silent value changes: statements PostgreSQL accepts give PostgreSQL 15's answer.

Every expected value here was taken from PostgreSQL 15 (Debian's 15.x package) running the same
statement."""

import psycopg
import pytest

ALL_BYTES = bytes(range(256))


def one(conn, sql, params=None):
    return conn.execute(sql, params).fetchone()


# --- NULL ordering -------------------------------------------------------------------------

def test_nulls_sort_last_ascending_first_descending(conn):
    rows = conn.execute("SELECT x FROM (VALUES (1), (NULL), (3)) t(x) ORDER BY x").fetchall()
    assert rows == [(1,), (3,), (None,)]
    rows = conn.execute("SELECT x FROM (VALUES (1), (NULL), (3)) t(x) ORDER BY x DESC").fetchall()
    assert rows == [(None,), (3,), (1,)]
    rows = conn.execute(
        "SELECT x FROM (VALUES (1), (NULL), (3)) t(x) ORDER BY x DESC NULLS LAST").fetchall()
    assert rows == [(3,), (1,), (None,)]


def test_null_order_in_windows_and_ordered_aggregates(conn):
    rows = conn.execute("SELECT x, row_number() OVER (ORDER BY x DESC) FROM "
                        "(VALUES (1), (NULL), (3)) t(x) ORDER BY 2").fetchall()
    assert rows == [(None, 1), (3, 2), (1, 3)]
    assert one(conn, "SELECT array_agg(x ORDER BY x DESC), array_agg(x ORDER BY x) FROM "
                     "(VALUES (1), (NULL), (3)) t(x)") == ([None, 3, 1], [1, 3, None])
    assert one(conn, "SELECT min(x), max(x) FROM (VALUES (1), (NULL), (3)) t(x)") == (1, 3)


def test_null_order_cannot_be_changed_under_other_sessions(conn):
    # augur-only: DuckDB's option is global, so a SET would change every session's answers.
    for sql in ("SET default_null_order = 'nulls_first'", "RESET default_null_order",
                "SET null_order = 'nulls_first'"):
        with pytest.raises(psycopg.errors.FeatureNotSupported):
            conn.execute(sql)
    conn.execute("RESET ALL")
    rows = conn.execute("SELECT x FROM (VALUES (1), (NULL)) t(x) ORDER BY x DESC").fetchall()
    assert rows == [(None,), (1,)]
