"""Simple-query protocol behaviour against a real server: command tags, errors with SQLSTATE and
position, transaction blocks, cancellation, and hostile or broken clients."""

import socket
import struct
import threading
import time

import psycopg
import pytest
from psycopg import pq

from pgraw import RawClient, error_fields, message, startup_packet


def client_cursor(conn):
    return psycopg.ClientCursor(conn)


def test_command_tags_match_postgresql(conn):
    cur = client_cursor(conn)
    expected = [
        ("CREATE TABLE tags(i INTEGER PRIMARY KEY, s VARCHAR)", "CREATE TABLE"),
        ("INSERT INTO tags VALUES (1, 'a'), (2, 'b'), (3, 'c')", "INSERT 0 3"),
        ("UPDATE tags SET s = 'z' WHERE i >= 2", "UPDATE 2"),
        ("DELETE FROM tags WHERE i = 3", "DELETE 1"),
        ("SELECT * FROM tags", "SELECT 2"),
        ("INSERT INTO tags VALUES (7, 'q') RETURNING i", "INSERT 0 1"),
        ("CREATE VIEW tags_v AS SELECT * FROM tags", "CREATE VIEW"),
        ("CREATE TABLE tags_copy AS SELECT * FROM tags", "SELECT 3"),
        ("CREATE INDEX tags_s ON tags(s)", "CREATE INDEX"),
        ("DROP INDEX tags_s", "DROP INDEX"),
        ("ALTER TABLE tags_copy ADD COLUMN extra INTEGER", "ALTER TABLE"),
        ("DROP VIEW tags_v", "DROP VIEW"),
        ("CREATE SCHEMA tags_schema", "CREATE SCHEMA"),
        ("DROP SCHEMA tags_schema", "DROP SCHEMA"),
        ("CREATE SEQUENCE tags_seq", "CREATE SEQUENCE"),
        ("DROP SEQUENCE tags_seq", "DROP SEQUENCE"),
        ("BEGIN", "BEGIN"),
        ("COMMIT", "COMMIT"),
        ("BEGIN", "BEGIN"),
        ("ROLLBACK", "ROLLBACK"),
        ("DROP TABLE tags_copy", "DROP TABLE"),
        ("DROP TABLE tags", "DROP TABLE"),
    ]
    for sql, tag in expected:
        cur.execute(sql)
        assert cur.statusmessage == tag, sql


def test_returning_rows_come_back(conn):
    cur = client_cursor(conn)
    cur.execute("CREATE TABLE ret(i INTEGER, s VARCHAR)")
    cur.execute("INSERT INTO ret VALUES (1, 'a'), (2, 'b') RETURNING i * 10, s")
    assert cur.fetchall() == [(10, "a"), (20, "b")]
    cur.execute("DROP TABLE ret")


@pytest.mark.parametrize("sql,sqlstate,position", [
    ("SELEC 1", "42601", 1),
    ("SELECT * FROM no_such_table", "42P01", 15),
    ("SELECT no_such_column FROM (SELECT 1 AS a)", "42703", 8),
    ("SELECT 'abc'::INTEGER", "22P02", None),
    ("SELECT no_such_function(1)", "42883", None),
])
def test_errors_carry_sqlstate_and_position(conn, sql, sqlstate, position):
    with pytest.raises(psycopg.Error) as info:
        client_cursor(conn).execute(sql)
    diag = info.value.diag
    assert diag.sqlstate == sqlstate, diag.message_primary
    assert diag.severity == "ERROR"
    if position is not None:
        assert diag.statement_position == str(position)
    # The session keeps working after the error.
    assert client_cursor(conn).execute("SELECT 41 + 1").fetchone() == (42,)


def test_constraint_violations(conn):
    cur = client_cursor(conn)
    cur.execute("CREATE TABLE cons(i INTEGER PRIMARY KEY, j INTEGER NOT NULL)")
    cur.execute("INSERT INTO cons VALUES (1, 1)")
    with pytest.raises(psycopg.errors.UniqueViolation):
        cur.execute("INSERT INTO cons VALUES (1, 2)")
    with pytest.raises(psycopg.errors.NotNullViolation):
        cur.execute("INSERT INTO cons VALUES (2, NULL)")
    cur.execute("DROP TABLE cons")


def test_position_counts_characters_not_bytes(conn):
    # 'é' is two bytes in UTF-8 but one character; psql draws the caret from this number.
    with pytest.raises(psycopg.Error) as info:
        client_cursor(conn).execute("SELECT 'é', * FROM missing_tbl")
    assert info.value.diag.statement_position == str(len("SELECT 'é', * FROM ") + 1)


def test_several_statements_in_one_query(server):
    code, out, err = server.psql(
        "CREATE TABLE multi(i INTEGER); INSERT INTO multi VALUES (1), (2); SELECT sum(i) FROM multi; DROP TABLE multi",
        "-At")
    assert code == 0, err
    # psql 15 prints every statement's result, as it does against PostgreSQL 15.
    assert out == "CREATE TABLE\nINSERT 0 2\n3\nDROP TABLE\n"


def test_syntax_error_anywhere_runs_nothing(conn):
    with pytest.raises(psycopg.errors.SyntaxError):
        client_cursor(conn).execute("CREATE TABLE never_made(i INTEGER); SELEC 1")
    with pytest.raises(psycopg.errors.UndefinedTable):
        client_cursor(conn).execute("SELECT * FROM never_made")


def test_empty_query(server):
    c = RawClient(server.host, server.port)
    c.login()
    c.send(message(b"Q", b"  ;  \0"))
    msgs = c.read_until_ready()
    assert [m[0] for m in msgs] == [b"I", b"Z"]
    c.close()


def test_failed_transaction_block(conn):
    cur = client_cursor(conn)
    cur.execute("CREATE TABLE txf(i INTEGER PRIMARY KEY)")
    cur.execute("BEGIN")
    assert conn.info.transaction_status == pq.TransactionStatus.INTRANS
    cur.execute("INSERT INTO txf VALUES (1)")
    with pytest.raises(psycopg.errors.UniqueViolation):
        cur.execute("INSERT INTO txf VALUES (1)")
    assert conn.info.transaction_status == pq.TransactionStatus.INERROR
    for _ in range(2):
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            cur.execute("SELECT 1")
    cur.execute("COMMIT")
    assert cur.statusmessage == "ROLLBACK"  # PostgreSQL answers COMMIT of a failed block so
    assert conn.info.transaction_status == pq.TransactionStatus.IDLE
    cur.execute("SELECT count(*) FROM txf")
    assert cur.fetchone() == (0,)  # the insert before the error was rolled back too
    cur.execute("DROP TABLE txf")


def test_transaction_isolation_between_sessions(server):
    with psycopg.connect(server.dsn(), autocommit=True) as a, \
            psycopg.connect(server.dsn(), autocommit=True) as b:
        ca, cb = client_cursor(a), client_cursor(b)
        ca.execute("CREATE TABLE iso(i INTEGER)")
        ca.execute("BEGIN")
        ca.execute("INSERT INTO iso VALUES (1)")
        assert cb.execute("SELECT count(*) FROM iso").fetchone() == (0,)
        ca.execute("COMMIT")
        assert cb.execute("SELECT count(*) FROM iso").fetchone() == (1,)
        ca.execute("DROP TABLE iso")


def test_begin_inside_block_and_commit_outside_are_tolerated(conn):
    cur = client_cursor(conn)
    cur.execute("COMMIT")
    assert cur.statusmessage == "COMMIT"
    cur.execute("BEGIN")
    cur.execute("BEGIN")
    assert cur.statusmessage == "BEGIN"
    assert conn.info.transaction_status == pq.TransactionStatus.INTRANS
    cur.execute("ROLLBACK")


LONG_QUERY = "SELECT sum(i) FROM range(1000000000000) t(i)"


def test_cancel_request_stops_the_running_query(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        timer = threading.Timer(0.5, c.cancel)
        timer.start()
        started = time.monotonic()
        with pytest.raises(psycopg.errors.QueryCanceled):
            client_cursor(c).execute(LONG_QUERY)
        timer.join()
        assert time.monotonic() - started < 30
        assert client_cursor(c).execute("SELECT 1").fetchone() == (1,)


def test_psql_reports_cancel_with_57014(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        threading.Timer(0.3, c.cancel).start()
        with pytest.raises(psycopg.Error) as info:
            client_cursor(c).execute(LONG_QUERY)
        assert info.value.diag.sqlstate == "57014"
        assert "canceling statement" in info.value.diag.message_primary


def test_cancel_with_wrong_key_is_ignored(server):
    c = RawClient(server.host, server.port)
    msgs = c.login()
    key_data = [m for m in msgs if m[0] == b"K"][0][1]
    pid, key = struct.unpack("!ii", key_data)
    bad = socket.create_connection((server.host, server.port))
    bad.sendall(struct.pack("!iiii", 16, 80877102, pid, key ^ 1))
    bad.close()
    c.send(message(b"Q", b"SELECT 7\0"))
    msgs = c.read_until_ready()
    rows = [m for m in msgs if m[0] == b"D"]
    assert rows and rows[0][1].endswith(b"7")
    c.close()


def test_ssl_request_is_declined_then_plain_startup_works(server):
    s = socket.create_connection((server.host, server.port))
    s.sendall(struct.pack("!ii", 8, 80877103))
    assert s.recv(1) == b"N"
    s.sendall(startup_packet())
    data = s.recv(65536)
    assert data[:1] == b"R"
    s.close()


def test_malformed_client_next_to_a_healthy_one(server):
    with psycopg.connect(server.dsn(), autocommit=True) as healthy:
        cur = client_cursor(healthy)
        # 1. Garbage instead of a startup packet (length word says 3 bytes).
        s = socket.create_connection((server.host, server.port))
        s.sendall(b"\x00\x00\x00\x03garbage")
        reply = s.recv(4096)
        assert reply[:1] == b"E" and b"08P01" in reply
        s.close()
        # 2. An unknown message type after login.
        bad = RawClient(server.host, server.port)
        bad.login()
        bad.send(message(b"!", b"xyz"))
        m = bad.recv_message()
        assert m[0] == b"E"
        fields = error_fields(m[1])
        assert fields["S"] == "FATAL" and fields["C"] == "08P01"
        assert bad.recv_message() is None  # the server closed that connection
        bad.close()
        # 3. A message whose length word is negative.
        neg = RawClient(server.host, server.port)
        neg.login()
        neg.send(b"Q\xff\xff\xff\xf0")
        m = neg.recv_message()
        assert m[0] == b"E" and error_fields(m[1])["C"] == "08P01"
        neg.close()
        # 4. A client that vanishes mid-message.
        half = RawClient(server.host, server.port)
        half.login()
        half.send(b"Q\x00\x00\x01\x00SELECT")
        half.close()
        # 5. A Query without its NUL terminator.
        nonul = RawClient(server.host, server.port)
        nonul.login()
        nonul.send(message(b"Q", b"SELECT 1"))
        m = nonul.recv_message()
        assert m[0] == b"E"
        nonul.close()
        assert cur.execute("SELECT 'still here'").fetchone() == ("still here",)


def test_client_disconnect_mid_query_leaves_server_serving(server):
    c = RawClient(server.host, server.port)
    c.login()
    c.send(message(b"Q", LONG_QUERY.encode() + b"\0"))
    time.sleep(0.3)
    c.close()
    with psycopg.connect(server.dsn(), autocommit=True) as other:
        assert client_cursor(other).execute("SELECT 5").fetchone() == (5,)


def test_two_hundred_connections_at_once(server):
    conns = []
    try:
        for _ in range(200):
            conns.append(psycopg.connect(server.dsn(), autocommit=True))
        errors = []

        def work(c, n):
            try:
                got = client_cursor(c).execute(f"SELECT {n} * 2").fetchone()
                if got != (n * 2,):
                    errors.append((n, got))
            except Exception as e:  # noqa: BLE001 - collected and asserted below
                errors.append((n, e))

        threads = [threading.Thread(target=work, args=(c, i)) for i, c in enumerate(conns)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
    finally:
        for c in conns:
            c.close()


def test_unaliased_columns_are_named_as_postgresql_names_them(conn):
    cur = client_cursor(conn)
    cur.execute("SELECT 1, x::INTEGER, 1::INTEGER, count(*), upper('a'), "
                "CASE WHEN true THEN 1 END, coalesce(NULL, 1), (SELECT 42 AS answer), "
                "EXISTS (SELECT 1), x + 1, row_number() OVER (), x AS renamed "
                "FROM (SELECT 5 AS x) t GROUP BY x")
    names = [d.name for d in cur.description]
    assert names == ["?column?", "x", "int4", "count", "upper", "case", "coalesce", "answer",
                     "exists", "?column?", "row_number", "renamed"]
