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


# --- bytea ---------------------------------------------------------------------------------

def test_bytea_hex_and_escape_input(conn):
    conn.execute("CREATE TABLE by_in(id INT, v BYTEA)")
    conn.execute(r"INSERT INTO by_in VALUES (1, '\xdeadbeef'), (2, 'abc\\d\001\377'), (3, '\x'),"
                 r" (4, '\xAB cd')")
    conn.execute(r"UPDATE by_in SET v = '\x0102' WHERE id = 3")
    rows = conn.execute("SELECT id, v FROM by_in ORDER BY id").fetchall()
    assert rows == [(1, b"\xde\xad\xbe\xef"), (2, b"abc\\d\x01\xff"), (3, b"\x01\x02"),
                    (4, b"\xab\xcd")]
    assert one(conn, r"SELECT id FROM by_in WHERE v = '\xdeadbeef'") == (1,)
    conn.execute("DROP TABLE by_in")


def test_bytea_casts_print_hex(conn):
    row = one(conn, r"SELECT ('\xAB CD'::bytea)::text, (bytea '\x41')::text,"
                    r" CAST('\x42' AS bytea)::text, 'abc'::bytea::text, '\x'::bytea::text")
    assert row == (r"\xabcd", r"\x41", r"\x42", r"\x616263", "\\x")


@pytest.mark.parametrize("literal,sqlstate,message", [
    (r"\xzz", "22023", 'invalid hexadecimal digit: "z"'),
    (r"\xabc", "22023", "invalid hexadecimal data: odd number of digits"),
    (r"\xa b", "22023", 'invalid hexadecimal digit: " "'),
    (r"a\b", "22P02", "invalid input syntax for type bytea"),
    ("abc\\", "22P02", "invalid input syntax for type bytea"),
    (r"a\400", "22P02", "invalid input syntax for type bytea"),
])
def test_malformed_bytea_is_refused(conn, literal, sqlstate, message):
    with pytest.raises(psycopg.Error) as info:
        conn.execute(f"SELECT '{literal}'::bytea")
    assert info.value.sqlstate == sqlstate
    assert info.value.diag.message_primary == message


def test_every_byte_through_every_path(conn):
    conn.execute("CREATE TABLE by_all(id INT, v BYTEA)")
    conn.execute("INSERT INTO by_all VALUES (1, %s)", (ALL_BYTES,))
    conn.execute("INSERT INTO by_all VALUES (2, %b)", (ALL_BYTES,))
    conn.execute("INSERT INTO by_all VALUES (3, %s::bytea)", ("\\x" + ALL_BYTES.hex(),))
    conn.execute(f"INSERT INTO by_all VALUES (4, '\\x{ALL_BYTES.hex()}')")
    with conn.cursor() as cur:
        with cur.copy("COPY by_all FROM STDIN") as copy:
            copy.write_row((5, ALL_BYTES))
        with cur.copy("COPY by_all FROM STDIN (FORMAT csv)") as copy:
            copy.write(b"6,\\x" + ALL_BYTES.hex().encode() + b"\n")
        with cur.copy("COPY by_all FROM STDIN (FORMAT binary)") as copy:
            copy.set_types(["int4", "bytea"])
            copy.write_row((7, ALL_BYTES))
    for binary in (False, True):
        rows = conn.cursor(binary=binary).execute("SELECT id, v FROM by_all ORDER BY id").fetchall()
        assert [(i, bytes(v)) for i, v in rows] == [(i, ALL_BYTES) for i in range(1, 8)]
    hex_text = "\\x" + ALL_BYTES.hex()
    with conn.cursor() as cur:
        outputs = {}
        for fmt in ("text", "csv", "binary"):
            data = b""
            with cur.copy(f"COPY (SELECT v FROM by_all WHERE id = 1) TO STDOUT (FORMAT {fmt})") as copy:
                for chunk in copy:
                    data += bytes(chunk)
            outputs[fmt] = data
    assert outputs["text"] == ("\\" + hex_text + "\n").encode()
    assert outputs["csv"] == (hex_text + "\n").encode()
    assert ALL_BYTES in outputs["binary"]
    conn.execute("DROP TABLE by_all")


# --- SIMILAR TO ----------------------------------------------------------------------------

def test_similar_to_takes_sql_patterns(conn):
    row = one(conn, "SELECT 'abc' SIMILAR TO '%b%', 'abc' SIMILAR TO 'a_c', 'abc' SIMILAR TO 'b',"
                    " 'a.c' SIMILAR TO 'a.c', 'abc' SIMILAR TO 'a.c', 'ab' SIMILAR TO '(a|x)b',"
                    " 'a%' SIMILAR TO 'a#%' ESCAPE '#', 'a%' SIMILAR TO 'a\\%',"
                    " 'abc' NOT SIMILAR TO '%b%', 'aaa' SIMILAR TO 'a{2,3}', 'x$' SIMILAR TO '_$'")
    assert row == (True, True, False, True, False, True, True, True, False, True, True)


def test_similar_to_with_a_pattern_column(conn):
    rows = conn.execute("SELECT x SIMILAR TO p FROM (VALUES ('abc', '%b%'), ('abc', 'b'),"
                        " ('a.c', 'a.c'), ('abc', 'a.c')) t(x, p)").fetchall()
    assert rows == [(True,), (False,), (True,), (False,)]
    cur = conn.execute("SELECT 'abc' SIMILAR TO '%b%'")
    assert cur.description[0].name == "?column?"


# --- format() ------------------------------------------------------------------------------

def test_format_is_postgresql_format(conn):
    row = one(conn, "SELECT format('%s-%s', 1, 'a'), format('%I %I %I %L %L', 'select', 'Foo',"
                    " 'ok_1', 'it''s', NULL), format('|%5s|%-5s|%*s|%-*s|', 'a', 'b', 3, 'c', 3,"
                    " 'd'), format('%2$s %1$s %s', 'x', 'y'), format('%s %s', true, NULL),"
                    " format('100%%'), format('%L', 'a\\b')")
    assert row == ("1-a", '"select" "Foo" ok_1 \'it\'\'s\' NULL', "|    a|b    |  c|d  |",
                   "y x y", "t ", "100%", "E'a\\\\b'")
    assert one(conn, "SELECT format(NULL, 1)") == (None,)


@pytest.mark.parametrize("sql,sqlstate,message", [
    ("SELECT format('%s %s', 1)", "22023", "too few arguments for format()"),
    ("SELECT format('%x', 1)", "22023", 'unrecognized format() type specifier "x"'),
    ("SELECT format('%', 1)", "22023", "unterminated format() type specifier"),
    ("SELECT format('%0$s', 1)", "22023",
     "format specifies argument 0, but arguments are numbered from 1"),
    ("SELECT format('%I', NULL)", "22004", "null values cannot be formatted as an SQL identifier"),
    ("SELECT format('%99999999999s', 1)", "22003", "number is out of range"),
])
def test_format_errors(conn, sql, sqlstate, message):
    with pytest.raises(psycopg.Error) as info:
        conn.execute(sql)
    assert info.value.sqlstate == sqlstate
    assert info.value.diag.message_primary == message


def test_format_huge_width_is_refused_not_allocated(conn):
    with pytest.raises(psycopg.Error) as info:
        conn.execute("SELECT format('%2000000000s', 'x')")
    assert info.value.sqlstate == "54000"


# --- date_trunc ----------------------------------------------------------------------------

def test_date_trunc_keeps_timestamps(conn):
    import datetime as dt
    conn.execute("SET TimeZone = 'UTC'")
    row = one(conn, "SELECT date_trunc('day', '2024-03-05 13:14:15'::timestamp),"
                    " date_trunc('hour', '2024-03-05 13:14:15'::timestamp),"
                    " date_trunc('day', '2024-03-05'::date), date_trunc('week', '2024-03-05'::date),"
                    " date_trunc('hour', '2024-03-05'::date)")
    utc = dt.timezone.utc
    assert row == (dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 5, 13),
                   dt.datetime(2024, 3, 5, tzinfo=utc), dt.datetime(2024, 3, 4, tzinfo=utc),
                   dt.datetime(2024, 3, 5, tzinfo=utc))
    conn.execute("SET TimeZone = 'America/New_York'")
    text = conn.execute("SELECT date_trunc('year', '2024-03-05'::date)::text").fetchone()[0]
    assert text == "2024-01-01 00:00:00-05"
    conn.execute("RESET TimeZone")


# --- set-returning functions in a select list ----------------------------------------------

def test_generate_series_in_select_list_returns_rows(conn):
    cur = conn.execute("SELECT generate_series(1, 3)")
    assert cur.fetchall() == [(1,), (2,), (3,)]
    assert cur.description[0].name == "generate_series"
    rows = conn.execute("SELECT x, generate_series(1, x) FROM (VALUES (1), (2)) t(x)"
                        " ORDER BY 1, 2").fetchall()
    assert rows == [(1, 1), (2, 1), (2, 2)]
    rows = conn.execute("SELECT generate_series(1, 2), generate_series(1, 3)").fetchall()
    assert rows == [(1, 1), (2, 2), (None, 3)]
    assert conn.execute("SELECT count(*) FROM generate_series(1, 10)").fetchone() == (10,)
    assert conn.execute("SELECT * FROM generate_series(1, 2) g").fetchall() == [(1,), (2,)]
    assert conn.execute("SELECT 1 WHERE 2 IN (SELECT generate_series(1, 3))").fetchall() == [(1,)]


# --- unconstrained numeric -----------------------------------------------------------------

def test_unconstrained_numeric_keeps_digits(conn):
    from decimal import Decimal
    conn.execute("CREATE TABLE num_u(v NUMERIC, w NUMERIC(10, 2), d DECIMAL)")
    conn.execute("INSERT INTO num_u VALUES (0.000001, 1.5, 0.25), (1.0005, 2, 1.0005),"
                 " (123456789012345678901234567.5, 3, 0), ('0.0000000001', 0, '1e-10')")
    rows = conn.execute("SELECT v::text, w::text, d::text FROM num_u ORDER BY v").fetchall()
    # PostgreSQL prints d = 0.25 / 0 / 1e-10 as 0.25, 0, 0.0000000001 and v the same way.
    assert rows == [("0.0000000001", "0.00", "0.0000000001"), ("0.000001", "1.50", "0.25"),
                    ("1.0005", "2.00", "1.0005"),
                    ("123456789012345678901234567.5", "3.00", "0")]
    for binary in (False, True):
        got = conn.cursor(binary=binary).execute("SELECT v FROM num_u ORDER BY v").fetchall()
        assert [r[0] for r in got] == [Decimal("0.0000000001"), Decimal("0.000001"),
                                       Decimal("1.0005"),
                                       Decimal("123456789012345678901234567.5")]
    assert one(conn, "SELECT sum(v)::text FROM num_u") == (
        "123456789012345678901234568.5005010001",)
    assert one(conn, "SELECT (v * v)::text FROM num_u WHERE v = 1.0005") == ("1.00100025",)
    assert one(conn, "SELECT 1.0005::numeric, '0.1'::numeric, CAST('12.5' AS numeric),"
                     " 1e-3::numeric") == (Decimal("1.0005"), Decimal("0.1"), Decimal("12.5"),
                                           Decimal("0.001"))
    conn.execute("DROP TABLE num_u")


def test_numeric_literal_casts_keep_every_digit(conn):
    # A literal cast to numeric takes the literal's own scale (pg_value_rewrite.cpp), so these
    # fit although augur's fixed unconstrained scale could not hold them. PostgreSQL 15's text.
    assert conn.execute(
        "SELECT 0.00000000001::numeric::text, '1e-12'::numeric::text,"
        " '12345678901234567890123456789'::numeric::text,"
        " 12345678901234567890123456789012::numeric::text, '12.340'::numeric::text").fetchone() == (
        "0.00000000001", "0.000000000001", "12345678901234567890123456789",
        "12345678901234567890123456789012", "12.340")


@pytest.mark.parametrize("sql", [
    "SELECT 1e-12::float8::numeric",
    "SELECT '123456789012345678901234567890123456789012'::numeric",
    "SELECT v::numeric FROM (VALUES ('0.00000000001')) t(v)",
])
def test_unconstrained_numeric_refuses_what_it_cannot_hold(conn, sql):
    # PostgreSQL holds these exactly; augur refuses them rather than rounding.
    with pytest.raises(psycopg.errors.NumericValueOutOfRange) as info:
        conn.execute(sql)
    assert "augur keeps for numeric without a precision" in info.value.diag.message_primary


# --- varchar(n) and char(n) ----------------------------------------------------------------

def test_varchar_length_is_enforced_on_insert_and_update(conn):
    conn.execute("CREATE TABLE vc_len(id INT, a VARCHAR(3), b CHARACTER VARYING(2) NOT NULL,"
                 " c CHAR(3), d TEXT, CHECK (id > 0))")
    conn.execute("INSERT INTO vc_len VALUES (1, 'abc', 'xy', 'ab', 'long text'),"
                 " (2, 'é€x', 'x', NULL, NULL), (3, 'ab   ', 'x', 'a', '')")
    for sql, message in [
        ("INSERT INTO vc_len VALUES (4, 'abcd', 'x', 'a', '')",
         "value too long for type character varying(3)"),
        ("INSERT INTO vc_len VALUES (4, 'ab', 'xyz', 'a', '')",
         "value too long for type character varying(2)"),
        ("INSERT INTO vc_len VALUES (4, 'ab', 'x', 'abcd', '')",
         "value too long for type character(3)"),
        ("UPDATE vc_len SET a = 'wxyz' WHERE id = 1",
         "value too long for type character varying(3)"),
    ]:
        with pytest.raises(psycopg.errors.StringDataRightTruncation) as info:
            conn.execute(sql)
        assert info.value.diag.message_primary == message
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute("INSERT INTO vc_len VALUES (-1, 'a', 'b', 'c', 'd')")
    assert conn.execute("SELECT count(*) FROM vc_len").fetchone() == (3,)
    conn.execute("DROP TABLE vc_len")


def test_varchar_casts_truncate(conn):
    cur = conn.execute("SELECT 'abcd'::varchar(3), CAST('abcd' AS varchar(2)),"
                       " ('x' || 'yzw')::varchar(2), 'é€xyz'::character varying(2),"
                       " CAST(1234 AS char(2)), upper('abc')::varchar(1), 'ab'::varchar(10)")
    assert cur.fetchone() == ("abc", "ab", "xy", "é€", "12", "A", "ab")
    assert [d.name for d in cur.description] == [
        "varchar", "varchar", "varchar", "varchar", "bpchar", "upper", "varchar"]
