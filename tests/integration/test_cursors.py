"""SQL cursors: DECLARE / FETCH / MOVE / CLOSE, as psycopg2's named cursors and Django's .iterator()
use them. Expected values are PostgreSQL 15's answers to the same statements."""

import struct
import threading
import time

import psycopg
import psycopg2
import pytest

from pgraw import RawClient, error_fields, message


def pg2(server, **kw):
    conn = psycopg2.connect(host=server.host, port=server.port, user="augur", dbname="augur", **kw)
    return conn


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_psycopg2_named_cursor_million_rows_bounded_memory(fresh_server):
    srv = fresh_server.start()
    conn = pg2(srv)
    # Warm up: the first queries load catalogs and allocate DuckDB's buffers.
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM range(1000) t(i)")
    conn.commit()
    pid = srv.proc.pid
    base = rss_kib(pid)
    peak = [base]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_kib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    n = 1_000_000
    total = count = 0
    try:
        cur = conn.cursor("big")
        cur.itersize = 2000
        cur.execute("SELECT i, repeat('x', 100) AS pad FROM range(1000000) t(i)")
        for i, pad in cur:
            total += i
            count += 1
            assert len(pad) == 100
        cur.close()
        conn.commit()
    finally:
        stop.set()
        sampler.join()
    assert count == n and total == n * (n - 1) // 2
    growth_mib = (peak[0] - base) / 1024
    result_mib = n * 108 / (1 << 20)  # ~103 MiB of text on the wire
    print(f"server RSS growth while reading {n} rows: {growth_mib:.1f} MiB (result {result_mib:.0f} MiB)")
    assert growth_mib < result_mib / 2, f"server RSS grew {growth_mib:.1f} MiB"
    conn.close()


def test_named_cursor_interleaved_with_other_queries(server):
    conn = pg2(server)
    named = conn.cursor("inter")
    named.itersize = 100
    named.execute("SELECT i FROM range(10000) t(i) ORDER BY i")
    other = conn.cursor()
    got = []
    for k, (i,) in enumerate(named):
        got.append(i)
        if k % 1000 == 0:  # another statement between FETCHes parks the cursor's stream
            other.execute("SELECT count(*) FROM range(%s) t(i)", (k + 1,))
            assert other.fetchone() == (k + 1,)
    assert got == list(range(10000))
    named.close()
    conn.commit()
    conn.close()


def run(cur, sql):
    cur.execute(sql)
    return cur.statusmessage, (cur.fetchall() if cur.description else None)


def test_scroll_cursor_positions_match_postgres(server):
    conn = pg2(server)
    cur = conn.cursor()
    assert run(cur, "DECLARE s SCROLL CURSOR FOR SELECT i FROM generate_series(1,5) t(i)") == (
        "DECLARE CURSOR", None)
    expected = [  # PostgreSQL 15's answers, statement by statement
        ("FETCH ABSOLUTE 0 FROM s", ("FETCH 0", [])),
        ("FETCH RELATIVE 0 FROM s", ("FETCH 0", [])),
        ("FETCH ABSOLUTE -1 FROM s", ("FETCH 1", [(5,)])),
        ("FETCH RELATIVE 0 FROM s", ("FETCH 1", [(5,)])),
        ("FETCH NEXT FROM s", ("FETCH 0", [])),
        ("FETCH PRIOR FROM s", ("FETCH 1", [(5,)])),
        ("MOVE BACKWARD ALL IN s", ("MOVE 4", None)),
        ("MOVE FORWARD 10 IN s", ("MOVE 5", None)),
        ("MOVE ABSOLUTE 3 IN s", ("MOVE 1", None)),
        ("MOVE ABSOLUTE 30 IN s", ("MOVE 0", None)),
        ("FETCH BACKWARD 2 FROM s", ("FETCH 2", [(5,), (4,)])),
        ("FETCH ALL FROM s", ("FETCH 1", [(5,)])),
        ("FETCH 0 FROM s", ("FETCH 0", [])),
        ("FETCH FIRST FROM s", ("FETCH 1", [(1,)])),
        ("FETCH LAST FROM s", ("FETCH 1", [(5,)])),
        ("FETCH -2 FROM s", ("FETCH 2", [(4,), (3,)])),
        ("FETCH RELATIVE 2 FROM s", ("FETCH 1", [(5,)])),
        ("FETCH ABSOLUTE 2 FROM s", ("FETCH 1", [(2,)])),
        ("FETCH BACKWARD ALL FROM s", ("FETCH 1", [(1,)])),
        ("FETCH FORWARD 3 FROM s", ("FETCH 3", [(1,), (2,), (3,)])),
        ("MOVE 0 IN s", ("MOVE 1", None)),
        ("FETCH s", ("FETCH 1", [(4,)])),
        ("CLOSE s", ("CLOSE CURSOR", None)),
    ]
    for sql, answer in expected:
        assert run(cur, sql) == answer, sql
    conn.rollback()
    conn.close()


def test_errors_match_postgres(server):
    conn = pg2(server)
    conn.autocommit = True
    cur = conn.cursor()
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("DECLARE d CURSOR FOR SELECT 1")
    assert e.value.pgcode == "25P01"
    assert e.value.pgerror.startswith("ERROR:  DECLARE CURSOR can only be used in transaction blocks")
    for sql in ("FETCH x", "CLOSE x", "MOVE NEXT IN x"):
        with pytest.raises(psycopg2.Error) as e:
            cur.execute(sql)
        assert e.value.pgcode == "34000" and 'cursor "x" does not exist' in e.value.pgerror
    conn.autocommit = False
    cur.execute("DECLARE c NO SCROLL CURSOR FOR SELECT i FROM generate_series(1,5) t(i)")
    assert run(cur, "FETCH 2 FROM c") == ("FETCH 2", [(1,), (2,)])
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH BACKWARD 1 FROM c")
    assert e.value.pgcode == "55000" and "cursor can only scan forward" in e.value.pgerror
    assert e.value.diag.message_hint == "Declare it with SCROLL option to enable backward scan."
    conn.rollback()
    cur.execute("DECLARE s CURSOR FOR SELECT 1")
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("DECLARE s CURSOR FOR SELECT 1")
    assert e.value.pgcode == "42P03" and 'cursor "s" already exists' in e.value.pgerror
    conn.rollback()
    # A query that fails to bind fails the DECLARE (and the block), like PostgreSQL.
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("DECLARE f CURSOR FOR SELECT * FROM no_such_table_here")
    assert e.value.pgcode == "42P01"
    conn.rollback()
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("DECLARE f CURSOR FOR INSERT INTO t VALUES (1)")
    assert e.value.pgcode == "42601"
    conn.rollback()
    conn.close()


def test_cursor_lifetimes_hold_commit_rollback(server):
    conn = pg2(server)
    cur = conn.cursor()
    cur.execute("DECLARE plain CURSOR FOR SELECT i FROM range(3) t(i)")
    cur.execute("DECLARE held CURSOR WITH HOLD FOR SELECT i FROM range(3) t(i)")
    assert run(cur, "FETCH 1 FROM held") == ("FETCH 1", [(0,)])
    conn.commit()
    assert run(cur, "FETCH ALL FROM held") == ("FETCH 2", [(1,), (2,)])
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH plain")
    assert e.value.pgcode == "34000"
    conn.rollback()
    # A WITH HOLD cursor declared in a transaction that rolls back goes with it; one from an
    # earlier committed transaction stays.
    cur.execute("DECLARE gone CURSOR WITH HOLD FOR SELECT 1")
    conn.rollback()
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH gone")
    assert e.value.pgcode == "34000"
    conn.rollback()
    assert run(cur, "FETCH ALL FROM held") == ("FETCH 0", [])  # still there, at its end
    conn.rollback()
    # Outside a block WITH HOLD is allowed and the cursor lives until CLOSE.
    conn.autocommit = True
    cur.execute("DECLARE auto_held CURSOR WITH HOLD FOR SELECT i FROM range(5) t(i)")
    assert run(cur, "FETCH 2 FROM auto_held") == ("FETCH 2", [(0,), (1,)])
    assert run(cur, "SELECT 42") == ("SELECT 1", [(42,)])
    assert run(cur, "FETCH ALL FROM auto_held") == ("FETCH 3", [(2,), (3,), (4,)])
    assert run(cur, "CLOSE ALL") == ("CLOSE CURSOR ALL", None)
    with pytest.raises(psycopg2.Error):
        cur.execute("FETCH held")
    # A failed block refuses FETCH like any statement.
    conn.autocommit = False
    cur.execute("DECLARE c CURSOR FOR SELECT 1")
    with pytest.raises(psycopg2.Error):
        cur.execute("SELECT * FROM no_such_table_here")
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH c")
    assert e.value.pgcode == "25P02"
    conn.rollback()
    conn.close()


def test_rollback_to_savepoint_closes_cursors_declared_after_it(server):
    """PostgreSQL drops a rolled-back subtransaction's portals; a cursor's position is not rolled
    back (checked against PostgreSQL 15)."""
    conn = pg2(server)
    cur = conn.cursor()
    cur.execute("DECLARE before_sp CURSOR FOR SELECT i FROM generate_series(1, 5) t(i)")
    cur.execute("SAVEPOINT s")
    cur.execute("DECLARE after_sp CURSOR FOR SELECT i FROM generate_series(1, 5) t(i)")
    assert run(cur, "FETCH 2 FROM before_sp") == ("FETCH 2", [(1,), (2,)])
    assert run(cur, "FETCH 1 FROM after_sp") == ("FETCH 1", [(1,)])
    cur.execute("ROLLBACK TO SAVEPOINT s")
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH 1 FROM after_sp")
    assert e.value.pgcode == "34000" and 'cursor "after_sp" does not exist' in e.value.pgerror
    cur.execute("ROLLBACK TO SAVEPOINT s")  # the failed FETCH is undone; s still stands
    assert run(cur, "FETCH 1 FROM before_sp") == ("FETCH 1", [(3,)])
    # RELEASE keeps the cursors declared inside the savepoint.
    cur.execute("SAVEPOINT r")
    cur.execute("DECLARE kept CURSOR FOR SELECT 7")
    cur.execute("RELEASE SAVEPOINT r")
    assert run(cur, "FETCH ALL FROM kept") == ("FETCH 1", [(7,)])
    conn.rollback()
    conn.close()


def test_positioned_writes_fail_naming_what_is_missing(server):
    """PostgreSQL accepts DECLARE ... FOR UPDATE and WHERE CURRENT OF; augur names them as
    unsupported (0A000) rather than answering with a syntax error or something else."""
    conn = pg2(server)
    cur = conn.cursor()
    cur.execute("CREATE TABLE IF NOT EXISTS cur_upd(id int PRIMARY KEY, v text)")
    conn.commit()
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("DECLARE c CURSOR FOR SELECT * FROM cur_upd FOR UPDATE")
    assert e.value.pgcode == "0A000"
    assert "DECLARE CURSOR ... FOR UPDATE/SHARE is not supported" in e.value.pgerror
    conn.rollback()
    for sql in ("UPDATE cur_upd SET v = 'z' WHERE CURRENT OF c",
                "delete from cur_upd where current of c"):
        with pytest.raises(psycopg2.Error) as e:
            cur.execute(sql)
        assert e.value.pgcode == "0A000", sql
        assert e.value.diag.message_primary == "WHERE CURRENT OF is not supported"
        # The position (1-based) points at CURRENT.
        assert int(e.value.diag.statement_position) == sql.lower().index("current of") + 1
        conn.rollback()
    # "current" elsewhere is untouched.
    assert run(cur, "SELECT current_date IS NOT NULL AS current") == ("SELECT 1", [(True,)])
    cur.execute("DROP TABLE cur_upd")
    conn.commit()
    conn.close()


def test_hostile_cursor_input(server):
    conn = pg2(server)
    cur = conn.cursor()
    # Quotes in names: "a""b" is the cursor a"b.
    cur.execute('DECLARE "a""b" CURSOR FOR SELECT 1')
    assert run(cur, 'FETCH "a""b"') == ("FETCH 1", [(1,)])
    assert run(cur, 'CLOSE "a""b"') == ("CLOSE CURSOR", None)
    # A string with quotes inside the query survives the rewrite.
    cur.execute("DECLARE q CURSOR FOR SELECT 'it''s' AS s, $$dollar 'quoted'$$ AS d")
    assert run(cur, "FETCH ALL q") == ("FETCH 1", [("it's", "dollar 'quoted'")])
    # Huge counts are fine: the rows are produced as they are sent.
    cur.execute("DECLARE h CURSOR FOR SELECT i FROM range(3) t(i)")
    assert run(cur, "FETCH 9223372036854775807 FROM h") == ("FETCH 3", [(0,), (1,), (2,)])
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH 99999999999999999999 FROM h")
    assert e.value.pgcode == "42601"
    conn.rollback()
    # FETCH after CLOSE.
    cur.execute("DECLARE c CURSOR FOR SELECT 1")
    cur.execute("CLOSE c")
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH c")
    assert e.value.pgcode == "34000"
    conn.rollback()
    # A query that fails after the first rows: the FETCH that reaches the bad row fails.
    cur.execute("DECLARE bad CURSOR FOR SELECT 1 / (i - 3000000) FROM range(5000000) t(i)")
    assert run(cur, "FETCH 2 FROM bad") == ("FETCH 2", [(0,), (0,)])
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("FETCH ALL FROM bad")
    assert e.value.pgcode == "22012"
    conn.rollback()
    # When another statement makes the cursor read ahead, that statement fails with the error
    # (augur reads the rest of a result when the session runs something else).
    cur.execute("DECLARE bad CURSOR FOR SELECT 1 / (i - 3000000) FROM range(5000000) t(i)")
    cur.execute("FETCH 2 FROM bad")
    with pytest.raises(psycopg2.Error) as e:
        cur.execute("SELECT 1")
    assert e.value.pgcode == "22012" and 'cursor "bad"' in e.value.diag.message_detail
    conn.rollback()
    # 10,000 cursors: the session's limit answers 54000, the connection stays usable.
    opened = 0
    with pytest.raises(psycopg2.Error) as e:
        for k in range(10_000):
            cur.execute(f"DECLARE c{k} CURSOR FOR SELECT {k}")
            opened += 1
    assert e.value.pgcode == "54000" and opened == 4096
    conn.rollback()
    assert run(cur, "SELECT 1") == ("SELECT 1", [(1,)])
    conn.rollback()
    conn.close()


def test_binary_cursor_returns_binary_rows(server):
    c = RawClient(server.host, server.port)
    c.login()
    c.send(message(b"Q", b"BEGIN; DECLARE b BINARY CURSOR FOR SELECT 7::int4 AS i, 'x'::text AS t;"
                         b" FETCH ALL FROM b; COMMIT\0"))
    msgs = c.read_until_ready()
    desc = [m for m in msgs if m[0] == b"T"][0][1]
    # The two fields' format codes (the last int16 of each field) are 1: binary.
    assert desc.count(b"\x00\x01", len(desc) - 2) == 1 and desc[-2:] == b"\x00\x01"
    row = [m for m in msgs if m[0] == b"D"][0][1]
    assert row == struct.pack("!hi", 2, 4) + struct.pack("!i", 7) + struct.pack("!i", 1) + b"x"
    tags = [m[1].rstrip(b"\0") for m in msgs if m[0] == b"C"]
    assert tags == [b"BEGIN", b"DECLARE CURSOR", b"FETCH 1", b"COMMIT"]
    c.close()


def test_psycopg3_server_cursor(server):
    with psycopg.connect(server.dsn()) as conn:
        with conn.cursor(name="p3") as cur:
            cur.itersize = 500
            cur.execute("SELECT i, i * 2 AS j FROM range(2000) t(i)")
            rows = list(cur)
        assert len(rows) == 2000 and rows[1999] == (1999, 3998)
        with conn.cursor(name="p3p") as cur:  # parameters bound over the extended protocol
            cur.execute("SELECT i, %s::text AS s FROM range(%s) t(i) WHERE i >= %s",
                        ("it's", 10, 7))
            assert cur.fetchall() == [(7, "it's"), (8, "it's"), (9, "it's")]
        with conn.cursor(name="p3s", scrollable=True) as cur:
            cur.execute("SELECT i FROM range(10) t(i)")
            cur.scroll(5, mode="absolute")
            assert cur.fetchone() == (5,)
            cur.scroll(-3)
            assert cur.fetchone() == (3,)


def test_pg_wire_errors_keep_session(server):
    c = RawClient(server.host, server.port)
    c.login()
    c.send(message(b"Q", b"FETCH nowhere\0"))
    msgs = c.read_until_ready()
    err = [m for m in msgs if m[0] == b"E"][0][1]
    assert error_fields(err)["C"] == "34000"
    c.send(message(b"Q", b"SELECT 1\0"))
    assert [m[0] for m in c.read_until_ready()][-1] == b"Z"
    c.close()
