"""The extended query protocol, message by message (raw client), and through psycopg's default
server-side binding."""

import datetime
import decimal
import struct

import psycopg
import pytest
from psycopg import pq

from pgraw import RawClient, error_fields, message


def cstr(s):
    return s.encode() + b"\0"


def parse(name, query, oids=()):
    return message(b"P", cstr(name) + cstr(query) + struct.pack("!h", len(oids)) +
                   b"".join(struct.pack("!i", o) for o in oids))


def bind(portal, statement, params=(), result_formats=(), param_formats=()):
    body = cstr(portal) + cstr(statement)
    body += struct.pack("!h", len(param_formats)) + b"".join(struct.pack("!h", f) for f in param_formats)
    body += struct.pack("!h", len(params))
    for p in params:
        if p is None:
            body += struct.pack("!i", -1)
        else:
            data = p if isinstance(p, bytes) else str(p).encode()
            body += struct.pack("!i", len(data)) + data
    body += struct.pack("!h", len(result_formats)) + b"".join(struct.pack("!h", f) for f in result_formats)
    return message(b"B", body)


def describe(kind, name):
    return message(b"D", kind + cstr(name))


def execute(portal, max_rows=0):
    return message(b"E", cstr(portal) + struct.pack("!i", max_rows))


SYNC = message(b"S")


def data_rows(msgs):
    rows = []
    for t, body in msgs:
        if t != b"D":
            continue
        n = struct.unpack("!h", body[:2])[0]
        pos, row = 2, []
        for _ in range(n):
            length = struct.unpack("!i", body[pos:pos + 4])[0]
            pos += 4
            if length < 0:
                row.append(None)
            else:
                row.append(body[pos:pos + length])
                pos += length
        rows.append(row)
    return rows


@pytest.fixture
def raw(server):
    c = RawClient(server.host, server.port)
    c.login()
    yield c
    c.close()


@pytest.fixture(scope="module", autouse=True)
def numbers(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE IF NOT EXISTS ext_numbers AS SELECT i::INTEGER AS i, 'n' || i AS s FROM range(10) t(i)")
    yield


def test_parse_bind_describe_execute_sync(raw):
    raw.send(parse("", "SELECT i, s FROM ext_numbers WHERE i = $1") + bind("", "", ["3"]) +
             describe(b"P", "") + execute("") + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"1", b"2", b"T", b"D", b"C", b"Z"]
    assert data_rows(msgs) == [[b"3", b"n3"]]
    assert msgs[-2][1] == b"SELECT 1\0"


def test_describe_statement_reports_inferred_parameter_types(raw):
    raw.send(parse("st1", "SELECT s FROM ext_numbers WHERE i = $1") + describe(b"S", "st1") + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"1", b"t", b"T", b"Z"]
    param_desc = msgs[1][1]
    assert struct.unpack("!hi", param_desc) == (1, 23)  # one parameter, int4


def test_describe_of_a_statement_without_rows_says_nodata(raw):
    raw.send(parse("", "INSERT INTO ext_numbers VALUES ($1, $2)") + describe(b"S", "") + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"1", b"t", b"n", b"Z"]


def test_row_limit_suspends_and_resumes(raw):
    raw.send(parse("", "SELECT i FROM ext_numbers ORDER BY i") + bind("p1", "") +
             execute("p1", 4) + execute("p1", 4) + execute("p1", 4) + SYNC)
    msgs = raw.read_until_ready()
    kinds = [m[0] for m in msgs]
    assert kinds.count(b"s") == 2  # PortalSuspended twice, then CommandComplete
    assert kinds[-2] == b"C"
    assert [int(r[0]) for r in data_rows(msgs)] == list(range(10))


def test_error_skips_to_sync_then_session_recovers(raw):
    raw.send(parse("", "SELECT * FROM no_such_table_ext") + bind("", "") + execute("") +
             parse("", "SELECT 1") + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"E", b"Z"]
    assert error_fields(msgs[0][1])["C"] == "42P01"
    raw.send(parse("", "SELECT 2") + bind("", "") + execute("") + SYNC)
    msgs = raw.read_until_ready()
    assert data_rows(msgs) == [[b"2"]]


def test_nothing_is_sent_before_sync_or_flush(raw):
    raw.send(parse("", "SELECT 5") + bind("", "") + execute("") + message(b"H"))
    msgs = []
    while True:
        m = raw.recv_message()
        msgs.append(m)
        if m[0] == b"C":
            break
    assert [m[0] for m in msgs] == [b"1", b"2", b"D", b"C"]
    raw.send(SYNC)
    assert raw.read_until_ready()[-1][0] == b"Z"


def test_named_portal_survives_sync_inside_a_transaction(raw):
    raw.send(parse("", "BEGIN") + bind("", "") + execute("") + SYNC)
    assert raw.read_until_ready()[-1][1] == b"T"
    raw.send(parse("cur", "SELECT i FROM ext_numbers ORDER BY i") + bind("cur", "cur") +
             execute("cur", 3) + SYNC)
    first = raw.read_until_ready()
    assert [int(r[0]) for r in data_rows(first)] == [0, 1, 2]
    raw.send(execute("cur", 3) + SYNC)
    second = raw.read_until_ready()
    assert [int(r[0]) for r in data_rows(second)] == [3, 4, 5]
    raw.send(parse("", "COMMIT") + bind("", "") + execute("") + SYNC)
    assert raw.read_until_ready()[-1][1] == b"I"
    raw.send(execute("cur", 3) + SYNC)  # the portal ended with the transaction
    msgs = raw.read_until_ready()
    assert error_fields(msgs[0][1])["C"] == "34000"


def test_binary_parameters_and_results(raw):
    raw.send(parse("", "SELECT $1::INTEGER + 1, $2::BIGINT * 2, $3::DOUBLE", [23, 20, 701]) +
             bind("", "", [struct.pack("!i", 41), struct.pack("!q", 2 ** 40), struct.pack("!d", 0.25)],
                  result_formats=[1], param_formats=[1]) +
             execute("") + SYNC)
    rows = data_rows(raw.read_until_ready())
    assert struct.unpack("!i", rows[0][0])[0] == 42
    assert struct.unpack("!q", rows[0][1])[0] == 2 ** 41
    assert struct.unpack("!d", rows[0][2])[0] == 0.25


def test_wrong_parameter_count_is_an_error(raw):
    raw.send(parse("", "SELECT $1::INTEGER") + bind("", "", ["1", "2"]) + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"1", b"E", b"Z"]
    assert error_fields(msgs[1][1])["C"] == "08P01"


def test_unknown_statement_and_portal(raw):
    raw.send(bind("", "nope") + SYNC)
    assert error_fields(raw.read_until_ready()[0][1])["C"] == "26000"
    raw.send(execute("nope") + SYNC)
    assert error_fields(raw.read_until_ready()[0][1])["C"] == "34000"


def test_duplicate_prepared_statement_name(raw):
    raw.send(parse("dup", "SELECT 1") + parse("dup", "SELECT 2") + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"1", b"E", b"Z"]
    assert error_fields(msgs[1][1])["C"] == "42P05"


def test_malformed_bind_is_a_protocol_error_not_a_crash(raw, server):
    raw.send(parse("", "SELECT $1::INTEGER") + message(b"B", b"\0\0\x00\x00\x7f\xff") + SYNC)
    msgs = raw.read_until_ready()
    assert [m[0] for m in msgs] == [b"1", b"E", b"Z"]
    assert error_fields(msgs[1][1])["C"] == "08P01"
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        assert c.execute("SELECT 1").fetchone() == (1,)


def test_psycopg_server_side_parameters(conn):
    cur = conn.cursor()
    cur.execute("CREATE TABLE ext_typed(i INTEGER, s VARCHAR, d DATE, f DOUBLE, b BLOB, ok BOOLEAN)")
    cur.execute("INSERT INTO ext_typed VALUES (%s, %s, %s, %s, %s, %s)",
                (7, "it's; DROP TABLE ext_typed --", datetime.date(2024, 2, 29), 2.5, b"\x00\xff", True))
    assert cur.statusmessage == "INSERT 0 1"
    cur.execute("SELECT i, s, f, ok FROM ext_typed WHERE s = %s", ("it's; DROP TABLE ext_typed --",))
    assert cur.fetchall() == [(7, "it's; DROP TABLE ext_typed --", 2.5, True)]
    cur.execute("SELECT count(*) FROM ext_typed WHERE i = %s AND s IS NOT NULL", (None,))
    assert cur.fetchone()[0] == 0
    cur.execute("DROP TABLE ext_typed")


def test_psycopg_prepared_statement_reused(conn):
    cur = conn.cursor()
    for i in range(8):
        cur.execute("SELECT i * 10 FROM ext_numbers WHERE i = %s", (i,), prepare=True)
        assert cur.fetchone()[0] == i * 10


def test_psycopg_transaction_with_extended_protocol(conn):
    cur = conn.cursor()
    cur.execute("CREATE TABLE ext_tx(i INTEGER PRIMARY KEY)")
    with pytest.raises(psycopg.errors.UniqueViolation):
        with conn.transaction():
            cur.execute("INSERT INTO ext_tx VALUES (%s)", (1,))
            cur.execute("INSERT INTO ext_tx VALUES (%s)", (1,))
    assert conn.info.transaction_status == pq.TransactionStatus.IDLE
    assert cur.execute("SELECT count(*) FROM ext_tx").fetchone()[0] == 0
    cur.execute("DROP TABLE ext_tx")


def test_deallocate_drops_protocol_statements(raw):
    raw.send(parse("keep", "SELECT 1") + parse("gone", "SELECT 2") + SYNC)
    raw.read_until_ready()
    raw.send(message(b"Q", b"DEALLOCATE gone\0"))
    msgs = raw.read_until_ready()
    assert msgs[0] == (b"C", b"DEALLOCATE\0")
    raw.send(bind("", "gone") + SYNC)
    assert error_fields(raw.read_until_ready()[0][1])["C"] == "26000"
    raw.send(parse("gone", "SELECT 3") + SYNC)  # the name is free again
    assert raw.read_until_ready()[0][0] == b"1"
    raw.send(message(b"Q", b"DEALLOCATE ALL\0"))
    assert raw.read_until_ready()[0] == (b"C", b"DEALLOCATE ALL\0")
    raw.send(bind("", "keep") + SYNC)
    assert error_fields(raw.read_until_ready()[0][1])["C"] == "26000"


def test_psycopg_statement_cache_survives_ddl(conn):
    cur = conn.cursor()
    for i in range(7):  # past psycopg's prepare threshold: the statement is prepared
        cur.execute("SELECT %s::INTEGER + 1", (i,))
    conn.execute("CREATE TABLE ext_ddl(i INTEGER)")  # psycopg then sends DEALLOCATE ALL
    for i in range(7):
        assert cur.execute("SELECT %s::INTEGER + 1", (i,)).fetchone() == (i + 1,)
    conn.execute("DROP TABLE ext_ddl")
