"""The per-statement shortcuts of the fast path, against DuckDB's planner, differentially:

- prepared key lookups and constant selects answered on the connection's I/O thread
  (Session::TryExecuteInline), counted by augur_engine_inline_executions_total;
- a Parse of the same text again reusing the session's prepared key lookup
  (fast_path/recent_prepares.h), counted by augur_engine_prepare_reuses_total;
- `SELECT 1`-like selects of literals answered from the literals (fast_path/constant_select.h).

Each check compares the answer (columns with type OIDs, rows, tag, or SQLSTATE) with the one the
planner gives on the same session with `augur_fast_path` off, and reads /metrics to make sure the
shortcut under test really answered. statement_timeout and cancellation are checked around
statements that ran inline, and the reuse of prepared statements across DDL, search_path and
transaction-block changes."""

import http.client
import re
import threading
import time

import psycopg
import pytest

ROWS = 500


def dsn(server, **extra):
    return server.dsn(options="'-c lock_timeout=20s'", **extra)


def metric(server, name, labels=""):
    c = http.client.HTTPConnection(server.host, server.http_port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    m = re.search(rf"^{name}{re.escape(labels)} (\S+)$", text, re.M)
    return float(m.group(1)) if m else 0.0


def inline_count(server):
    return metric(server, "augur_engine_inline_executions_total")


def reuse_count(server):
    return metric(server, "augur_engine_prepare_reuses_total")


def fast_count(server):
    return metric(server, "augur_engine_executions_total", '{path="fast_path"}')


def capture(cur, sql, params=None, prepare=None):
    try:
        cur.execute(sql, params, prepare=prepare)
    except psycopg.Error as e:
        return ("error", e.sqlstate)
    if cur.description is None:
        return ("ok", None, None, cur.statusmessage)
    columns = [(d.name, d.type_code) for d in cur.description]
    # Sorted: a result without ORDER BY (a UNION) has no order to compare.
    return ("ok", columns, sorted(cur.fetchall(), key=repr), cur.statusmessage)


def both_paths(conn, sql, params=None, prepare=None):
    """The answer with the fast path on and with it off, on the same session."""
    answers = []
    for on in (True, False):
        conn.execute(f"SET augur_fast_path = {'true' if on else 'false'}")
        answers.append(capture(conn.cursor(), sql, params, prepare))
    conn.execute("SET augur_fast_path = true")
    return answers


@pytest.fixture(scope="module")
def table(server):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS fpi")
        c.execute("DROP TABLE IF EXISTS fpi_other")
        c.execute("CREATE TABLE fpi (id INTEGER PRIMARY KEY, v TEXT, n BIGINT)")
        c.execute(f"INSERT INTO fpi SELECT r, 'v' || r, r * 10 FROM range({ROWS}) t(r)")
    return "fpi"


def test_prepared_lookups_run_inline(server, table):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        before = inline_count(server)
        for k in (0, 7, ROWS - 1, ROWS, -1):
            got, want = both_paths(c, "SELECT v, n FROM fpi WHERE id = %s", [k], prepare=True)
            assert got == want
        assert got == ("ok", [("v", 25), ("n", 20)], [], "SELECT 0")
        assert inline_count(server) == before + 5  # the fast-path-on runs, not the planner's
        # Inside a block with uncommitted changes, and after ROLLBACK.
        c.execute("BEGIN")
        c.execute("UPDATE fpi SET v = 'changed' WHERE id = 7")
        c.execute("INSERT INTO fpi VALUES (100000, 'new', 1)")
        for k in (7, 100000):
            got, want = both_paths(c, "SELECT * FROM fpi WHERE id = %s", [k], prepare=True)
            assert got == want and len(got[2]) == 1
        assert got[2] == [(100000, "new", 1)]
        c.execute("ROLLBACK")
        for k in (7, 100000):
            got, want = both_paths(c, "SELECT * FROM fpi WHERE id = %s", [k], prepare=True)
            assert got == want
        assert got[2] == []


def test_a_held_writer_turn_sends_lookups_to_the_workers(server, table):
    """While another session holds the writer turn, a lookup does not run on the I/O thread (a
    commit or checkpoint could make it wait there) but still answers, from its snapshot."""
    with psycopg.connect(dsn(server), autocommit=True) as writer, \
            psycopg.connect(dsn(server), autocommit=True) as reader:
        writer.execute("BEGIN")
        writer.execute("UPDATE fpi SET v = 'uncommitted' WHERE id = 3")
        before_inline, before_fast = inline_count(server), fast_count(server)
        got = capture(reader.cursor(), "SELECT v FROM fpi WHERE id = %s", [3], prepare=True)
        assert got[2] == [("v3",)]
        assert inline_count(server) == before_inline
        assert fast_count(server) == before_fast + 1
        writer.execute("COMMIT")
        got = capture(reader.cursor(), "SELECT v FROM fpi WHERE id = %s", [3], prepare=True)
        assert got[2] == [("uncommitted",)]
        assert inline_count(server) == before_inline + 1
        writer.execute("UPDATE fpi SET v = 'v3' WHERE id = 3")


def test_statement_timeout_and_cancel_around_inline_statements(server, table):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        c.execute("SET statement_timeout = '1ms'")
        before = inline_count(server)
        for k in range(50):  # a lookup finishes; PostgreSQL answers these too
            assert c.execute("SELECT n FROM fpi WHERE id = %s", [k], prepare=True).fetchall() \
                == [(k * 10,)]
        assert inline_count(server) == before + 50
        # The timer still ends a statement that runs long, and the next lookup is unaffected.
        # (200 ms: a timer that fires before DuckDB starts the query is lost, as before.)
        c.execute("SET statement_timeout = '200ms'")
        with pytest.raises(psycopg.errors.QueryCanceled):
            c.execute("SELECT sum(a.range % 7) FROM range(10000000000) a", prepare=True)
        assert c.execute("SELECT n FROM fpi WHERE id = %s", [2], prepare=True).fetchall() \
            == [(20,)]
        c.execute("SET statement_timeout = 0")
        # A cancel that arrives while the session is idle is not kept for the next statement.
        c.cancel()
        time.sleep(0.2)
        assert c.execute("SELECT n FROM fpi WHERE id = %s", [3], prepare=True).fetchall() \
            == [(30,)]
        # A cancel of a long statement still ends it.
        timer = threading.Timer(0.5, c.cancel)
        timer.start()
        try:
            with pytest.raises(psycopg.errors.QueryCanceled):
                c.execute("SELECT sum(a.range % 7) FROM range(100000000000) a", prepare=True)
        finally:
            timer.cancel()
        assert c.execute("SELECT n FROM fpi WHERE id = %s", [4], prepare=True).fetchall() \
            == [(40,)]


def test_constant_selects(server):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        statements = [
            "SELECT 1",
            "SELECT 1 AS one, 'two' AS two, NULL AS three",
            "SELECT 2147483647, 2147483648, -5, 9223372036854775807",
            "SELECT 1.5, 123456789.123456789, 0.000001",
            "SELECT '', 'it''s', 'ünï©ødé', E'tab\\there'",
            "SELECT 99999999999999999999999999999999999999",  # beyond BIGINT
            "SELECT NULL",
            "SELECT 'x' AS \"Mixed Case\", 1 AS \"?column?\"",
        ]
        for sql in statements:
            before = fast_count(server)
            got, want = both_paths(c, sql, prepare=True)
            assert got == want, sql
            assert got[0] == "ok", (sql, got)
            assert fast_count(server) == before + 1, f"{sql}: not answered from its literals"
        # Parsed as casts (of strings, or 1e10 written out as numeric by the value rewrite):
        # either path may answer, with the same result.
        for sql in ("SELECT true, false", "SELECT -1", "SELECT 1e10, 3.0e-5"):
            got, want = both_paths(c, sql, prepare=True)
            assert got == want, sql
        # Binary results: the planner's types, encoded the same way.
        for sql in ("SELECT 1, 'a', 2.5, true, 9223372036854775807",):
            answers = []
            for on in (True, False):
                c.execute(f"SET augur_fast_path = {'true' if on else 'false'}")
                cur = c.cursor(binary=True)
                cur.execute(sql, prepare=True)
                answers.append(([(d.name, d.type_code) for d in cur.description],
                                cur.fetchall()))
            c.execute("SET augur_fast_path = true")
            assert answers[0] == answers[1]
        # Not this shape: the planner answers.
        for sql, params in [("SELECT %s::INTEGER", [1]), ("SELECT 1 WHERE false", None),
                            ("SELECT 1 LIMIT 0", None), ("SELECT 1 + 1", None),
                            ("SELECT now() IS NOT NULL", None), ("SELECT 1 FROM fpi LIMIT 1", None),
                            ("SELECT 1 UNION SELECT 2", None), ("SELECT 'a'::DATE", None)]:
            before = fast_count(server)
            got, want = both_paths(c, sql, params, prepare=True)
            assert got == want, sql
            assert fast_count(server) == before, f"{sql}: the fast path answered"


def test_constant_select_in_a_failed_block(server):
    with psycopg.connect(dsn(server)) as c:
        c.execute("SELECT 1", prepare=True)
        with pytest.raises(psycopg.errors.DivisionByZero):
            c.execute("SELECT 1 / 0 FROM fpi WHERE id = 1", prepare=True)
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            c.execute("SELECT 1", prepare=True)
        c.rollback()
        assert c.execute("SELECT 1", prepare=True).fetchall() == [(1,)]


def unnamed(conn, sql, params=None):
    """Parse with the unnamed statement each time, as pgbench -M extended and most drivers do."""
    return capture(conn.cursor(), sql, params, prepare=False)


def test_parse_of_the_same_text_reuses_the_statement(server, table):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        sql = "SELECT v FROM fpi WHERE id = %s"
        unnamed(c, sql, [1])
        before = reuse_count(server)
        for k in range(10):
            got, want = both_paths(c, sql, [k], prepare=False)
            assert got == want and got[2] == [(f"v{k}",)]
        assert reuse_count(server) == before + 10  # the fast-path-on Parses only
        # Other declared types: another statement.
        before = reuse_count(server)
        c.cursor().execute("SELECT v FROM fpi WHERE id = %s::BIGINT", [1], prepare=False)
        assert reuse_count(server) == before


def test_reuse_follows_schema_changes(server):
    sql = "SELECT * FROM fpi_ddl WHERE id = %s"
    with psycopg.connect(dsn(server), autocommit=True) as c, \
            psycopg.connect(dsn(server), autocommit=True) as other:
        other.execute("DROP TABLE IF EXISTS fpi_ddl")
        other.execute("CREATE TABLE fpi_ddl (id INTEGER PRIMARY KEY, a TEXT)")
        other.execute("INSERT INTO fpi_ddl VALUES (1, 'one')")
        assert unnamed(c, sql, [1])[1:3] == ([("id", 23), ("a", 25)], [(1, "one")])
        assert unnamed(c, sql, [1])[1:3] == ([("id", 23), ("a", 25)], [(1, "one")])
        # Another session's DDL: the next Parse sees the new column.
        other.execute("ALTER TABLE fpi_ddl ADD COLUMN b INTEGER DEFAULT 7")
        got, want = both_paths(c, sql, [1], prepare=False)
        assert got == want and got[1:3] == ([("id", 23), ("a", 25), ("b", 23)], [(1, "one", 7)])
        # The session's own DDL inside a block.
        c.execute("BEGIN")
        c.execute("ALTER TABLE fpi_ddl DROP COLUMN a")
        got = unnamed(c, sql, [1])
        assert got[1:3] == ([("id", 23), ("b", 23)], [(1, 7)])
        c.execute("ROLLBACK")
        got, want = both_paths(c, sql, [1], prepare=False)
        assert got == want and got[1][1] == ("a", 25)
        # Dropped and made again with other types.
        other.execute("DROP TABLE fpi_ddl")
        assert unnamed(c, sql, [1]) == ("error", "42P01")
        other.execute("CREATE TABLE fpi_ddl (id BIGINT PRIMARY KEY, z DOUBLE)")
        other.execute("INSERT INTO fpi_ddl VALUES (1, 0.5)")
        got, want = both_paths(c, sql, [1], prepare=False)
        assert got == want and got[1:3] == ([("id", 20), ("z", 701)], [(1, 0.5)])
        other.execute("DROP TABLE fpi_ddl")


def test_reuse_follows_search_path_and_failed_blocks(server, table):
    sql = "SELECT v FROM fpi_sp WHERE id = %s"
    with psycopg.connect(dsn(server), autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS fpi_sp")
        c.execute("DROP SCHEMA IF EXISTS fpi_s CASCADE")
        c.execute("CREATE SCHEMA fpi_s")
        c.execute("CREATE TABLE fpi_sp (id INTEGER PRIMARY KEY, v TEXT)")
        c.execute("CREATE TABLE fpi_s.fpi_sp (id INTEGER PRIMARY KEY, v TEXT)")
        c.execute("INSERT INTO fpi_sp VALUES (1, 'public')")
        c.execute("INSERT INTO fpi_s.fpi_sp VALUES (1, 'schema')")
        assert unnamed(c, sql, [1])[2] == [("public",)]
        assert unnamed(c, sql, [1])[2] == [("public",)]
        c.execute("SET search_path = fpi_s, public")
        assert unnamed(c, sql, [1])[2] == [("schema",)]
        c.execute("SET search_path = public")
        assert unnamed(c, sql, [1])[2] == [("public",)]
        c.execute("BEGIN")
        assert unnamed(c, "SELECT 1 / 0", None)[0] == "error"
        assert unnamed(c, sql, [1]) == ("error", "25P02")
        c.execute("ROLLBACK")
        assert unnamed(c, sql, [1])[2] == [("public",)]
        c.execute("DROP TABLE fpi_sp")
        c.execute("DROP SCHEMA fpi_s CASCADE")


def test_pipelined_lookups_from_many_connections(server, table):
    """Several connections at once, each checking its answers: the I/O thread's inline answers
    go to the right connection, in order."""
    errors = []

    def client(n):
        try:
            with psycopg.connect(dsn(server), autocommit=True) as c:
                for i in range(200):
                    k = (n * 37 + i * 11) % (ROWS + 20)
                    got = c.execute("SELECT id, n FROM fpi WHERE id = %s", [k],
                                    prepare=True).fetchall()
                    want = [(k, k * 10)] if k < ROWS else []
                    if got != want:
                        errors.append((k, got))
        except Exception as e:  # noqa: BLE001: reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
