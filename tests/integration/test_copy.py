"""COPY FROM STDIN / TO STDOUT through psycopg and psql: formats, options, bad rows, CopyFail."""

import hashlib
import subprocess

import psycopg
import pytest


def pg_float(x):
    """float8out's text for the values used here: Python's repr without a trailing '.0'."""
    text = repr(x)
    return text[:-2] if text.endswith(".0") else text


def test_million_rows_in_and_out_text_and_csv(conn):
    n = 1_000_000
    conn.execute("CREATE TABLE copy_big(id BIGINT, name VARCHAR, score DOUBLE)")
    lines = "".join(f"{i}\tname {i}\t{i * 0.25}\n" for i in range(n))
    with conn.cursor().copy("COPY copy_big FROM STDIN") as cp:
        for start in range(0, len(lines), 1 << 20):
            cp.write(lines[start:start + (1 << 20)])
    assert conn.execute("SELECT count(*), sum(id) FROM copy_big").fetchone() == (n, n * (n - 1) // 2)

    for fmt, sep in (("text", "\t"), ("csv", ",")):
        out = bytearray()
        with conn.cursor().copy(f"COPY (SELECT * FROM copy_big ORDER BY id) TO STDOUT (FORMAT {fmt})") as cp:
            for block in cp:
                out += block
        expected = "".join(f"{i}{sep}name {i}{sep}{pg_float(i * 0.25)}\n" for i in range(n)).encode()
        assert hashlib.sha256(bytes(out)).hexdigest() == hashlib.sha256(expected).hexdigest(), fmt

    # Round trip through csv into a second table; checksums of the contents agree.
    conn.execute("CREATE TABLE copy_big2(id BIGINT, name VARCHAR, score DOUBLE)")
    csv = "".join(f"{i},\"name {i}\",{i * 0.25}\n" for i in range(n))
    with conn.cursor().copy("COPY copy_big2 FROM STDIN (FORMAT csv)") as cp:
        cp.write(csv)
    q = "SELECT sum(hash(id, name, score)) FROM {}"
    assert conn.execute(q.format("copy_big")).fetchone() == conn.execute(q.format("copy_big2")).fetchone()
    conn.execute("DROP TABLE copy_big")
    conn.execute("DROP TABLE copy_big2")


def test_text_format_escapes_and_nulls(conn):
    conn.execute("CREATE TABLE copy_esc(i INTEGER, s VARCHAR)")
    with conn.cursor().copy("COPY copy_esc FROM STDIN") as cp:
        cp.write("1\ttab\\there\n2\t\\N\n3\t\\\\N\n4\tline\\nbreak\n5\t\n6\t\\101\\x42\n")
    rows = conn.execute("SELECT i, s FROM copy_esc ORDER BY i").fetchall()
    assert rows == [(1, "tab\there"), (2, None), (3, "\\N"), (4, "line\nbreak"), (5, ""), (6, "AB")]
    out = bytearray()
    with conn.cursor().copy("COPY copy_esc TO STDOUT") as cp:
        for block in cp:
            out += block
    lines = sorted(bytes(out).decode().splitlines())
    assert lines == ["1\ttab\\there", "2\t\\N", "3\t\\\\N", "4\tline\\nbreak", "5\t", "6\tAB"]
    conn.execute("DROP TABLE copy_esc")


def test_csv_options(conn):
    conn.execute("CREATE TABLE copy_csv(i INTEGER, s VARCHAR)")
    with conn.cursor().copy("COPY copy_csv FROM STDIN (FORMAT csv, HEADER, DELIMITER ';', NULL 'nil')") as cp:
        cp.write('i;s\n1;"a;b"\n2;nil\n3;""\n4;"say ""hi"""\n')
    assert conn.execute("SELECT i, s FROM copy_csv ORDER BY i").fetchall() == [
        (1, "a;b"), (2, None), (3, ""), (4, 'say "hi"')]
    conn.execute("DROP TABLE copy_csv")


def test_bad_row_reports_its_line_and_loads_nothing(conn):
    conn.execute("CREATE TABLE copy_bad(i INTEGER, s VARCHAR)")
    with pytest.raises(psycopg.Error) as info:
        with conn.cursor().copy("COPY copy_bad FROM STDIN") as cp:
            cp.write("1\ta\n2\tb\n3\n4\td\n")
    assert info.value.diag.sqlstate == "22P04"
    assert "line 3" in info.value.diag.message_detail
    with pytest.raises(psycopg.Error) as info:
        with conn.cursor().copy("COPY copy_bad FROM STDIN") as cp:
            cp.write("1\ta\nnot_a_number\tb\n")
    assert info.value.diag.sqlstate.startswith("22")
    assert conn.execute("SELECT count(*) FROM copy_bad").fetchone() == (0,)
    conn.execute("DROP TABLE copy_bad")


def test_copy_fail_aborts_cleanly(conn):
    conn.execute("CREATE TABLE copy_fail(i INTEGER)")
    with pytest.raises(psycopg.Error) as info:
        with conn.cursor().copy("COPY copy_fail FROM STDIN") as cp:
            cp.write("1\n2\n")
            raise RuntimeError("client gave up")
    assert "client gave up" in str(info.value) or info.value.diag.sqlstate == "57014"
    assert conn.execute("SELECT count(*) FROM copy_fail").fetchone() == (0,)
    conn.execute("DROP TABLE copy_fail")


def test_copy_into_missing_table_fails_before_data(conn):
    with pytest.raises(psycopg.errors.UndefinedTable):
        with conn.cursor().copy("COPY no_such_copy_table FROM STDIN") as cp:
            cp.write("1\n")


def test_binary_copy_out(conn):
    conn.execute("CREATE TABLE copy_bin(i INTEGER, s VARCHAR)")
    conn.execute("INSERT INTO copy_bin VALUES (1, 'one'), (2, NULL)")
    out = bytearray()
    with conn.cursor().copy("COPY (SELECT * FROM copy_bin ORDER BY i) TO STDOUT (FORMAT binary)") as cp:
        for block in cp:
            out += block
    data = bytes(out)
    assert data.startswith(b"PGCOPY\n\xff\r\n\x00")
    body = data[19:]
    assert body[:2] == b"\x00\x02" and body[2:6] == b"\x00\x00\x00\x04" and body[6:10] == b"\x00\x00\x00\x01"
    assert data.endswith(b"\xff\xff")
    conn.execute("DROP TABLE copy_bin")


def test_psql_backslash_copy_both_ways(server, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("1,alpha\n2,beta\n")
    server.psql("CREATE TABLE psql_copy(i INTEGER, s VARCHAR)", check=True)
    code, out, err = server.psql(f"\\copy psql_copy FROM '{src}' WITH (FORMAT csv)")
    assert code == 0 and out.strip() == "COPY 2", err
    dst = tmp_path / "out.txt"
    code, out, err = server.psql(f"\\copy (SELECT * FROM psql_copy ORDER BY i) TO '{dst}'")
    assert code == 0, err
    assert dst.read_text() == "1\talpha\n2\tbeta\n"
    server.psql("DROP TABLE psql_copy", check=True)


def test_server_side_parquet_defaults_to_zstd(conn, tmp_path):
    conn.execute("CREATE TABLE pq_src AS SELECT i AS id, 'row ' || i AS label FROM range(1000) t(i)")
    zstd_file = tmp_path / "default.parquet"
    snappy_file = tmp_path / "snappy.parquet"
    conn.execute(f"COPY pq_src TO '{zstd_file}' (FORMAT parquet)")
    conn.execute(f"COPY pq_src TO '{snappy_file}' (FORMAT parquet, COMPRESSION snappy)")
    codecs = conn.execute(
        f"SELECT DISTINCT compression FROM parquet_metadata('{zstd_file}')").fetchall()
    assert codecs == [("ZSTD",)]
    codecs = conn.execute(
        f"SELECT DISTINCT compression FROM parquet_metadata('{snappy_file}')").fetchall()
    assert codecs == [("SNAPPY",)]
    # The same through the extended protocol (a server-side prepared statement).
    prepared_file = tmp_path / "prepared.parquet"
    conn.cursor().execute(f"COPY pq_src TO '{prepared_file}' (FORMAT parquet)", prepare=True)
    codecs = conn.execute(
        f"SELECT DISTINCT compression FROM parquet_metadata('{prepared_file}')").fetchall()
    assert codecs == [("ZSTD",)]
    # Read back through read_parquet and a view over the folder.
    assert conn.execute(f"SELECT count(*), sum(id) FROM read_parquet('{zstd_file}')").fetchone() == (1000, 499500)
    conn.execute(f"CREATE VIEW pq_view AS SELECT * FROM read_parquet('{tmp_path}/*.parquet')")
    assert conn.execute("SELECT count(*) FROM pq_view").fetchone() == (3000,)
    conn.execute("CREATE TABLE pq_back(id BIGINT, label VARCHAR)")
    conn.execute(f"COPY pq_back FROM '{zstd_file}' (FORMAT parquet)")
    assert conn.execute("SELECT count(*) FROM pq_back").fetchone() == (1000,)
    for t in ("VIEW pq_view", "TABLE pq_back", "TABLE pq_src"):
        conn.execute(f"DROP {t}")


def test_binary_copy_round_trip_million_rows(conn):
    conn.execute("CREATE TABLE bin_src(i INTEGER, s VARCHAR, d DOUBLE, day DATE, ok BOOLEAN, "
                 "ts TIMESTAMP, n DECIMAL(10,2), big BIGINT)")
    conn.execute("INSERT INTO bin_src SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'v,\"' || i END, "
                 "i / 4.0, DATE '2024-01-01' + i::INTEGER, i % 2 = 0, TIMESTAMP '2024-01-01 00:00:00.5' + "
                 "INTERVAL (i) SECOND, i * 1.25, -i * 1000000000 FROM range(1000000) t(i)")
    data = bytearray()
    with conn.cursor().copy("COPY bin_src TO STDOUT (FORMAT binary)") as cp:
        for block in cp:
            data += block
    conn.execute("CREATE TABLE bin_dst AS SELECT * FROM bin_src WHERE false")
    with conn.cursor().copy("COPY bin_dst FROM STDIN (FORMAT binary)") as cp:
        for start in range(0, len(data), 65521):  # message boundaries inside tuples
            cp.write(bytes(data[start:start + 65521]))
    q = "SELECT count(*), sum(hash(i, s, d, day, ok, ts, n, big)) FROM {}"
    assert conn.execute(q.format("bin_dst")).fetchone() == conn.execute(q.format("bin_src")).fetchone()
    with pytest.raises(psycopg.Error) as info:
        with conn.cursor().copy("COPY bin_dst FROM STDIN (FORMAT binary)") as cp:
            cp.write(b"not a pgcopy stream")
    assert info.value.diag.sqlstate == "22P04"
    conn.execute("DROP TABLE bin_src")
    conn.execute("DROP TABLE bin_dst")


def test_copy_as_a_prepared_statement_is_refused_not_run_on_the_servers_stdio(conn):
    # Parse/Bind/Execute have no copy sub-protocol in augur: DuckDB would write the rows to the
    # server's own stdout, or read its stdin.
    conn.execute("CREATE TABLE copy_prepared(i INTEGER)")
    conn.execute("INSERT INTO copy_prepared VALUES (1), (2)")
    for sql in ("COPY copy_prepared TO STDOUT", "COPY copy_prepared FROM STDIN"):
        with pytest.raises(psycopg.errors.FeatureNotSupported) as info:
            conn.execute(sql, prepare=True)
        assert "prepared statement" in str(info.value)
    with conn.cursor().copy("COPY copy_prepared TO STDOUT") as cp:  # a simple query still copies
        assert b"".join(cp) == b"1\n2\n"
    assert conn.execute("SELECT count(*) FROM copy_prepared").fetchone() == (2,)
    conn.execute("DROP TABLE copy_prepared")


def copy_out_messages(server, sql):
    """The backend messages a simple Query running COPY ... TO STDOUT gets, as (type, body)."""
    from pgraw import RawClient, message
    c = RawClient(server.host, server.port)
    c.login()
    c.send(message(b"Q", sql.encode() + b"\0"))
    msgs = c.read_until_ready()
    c.close()
    return msgs


def test_copy_out_sends_one_row_per_copydata(server):
    # PostgreSQL's framing (copyto.c): a CopyData per row, the csv header alone, the binary
    # signature with the first row and its trailer alone.
    msgs = copy_out_messages(server, "COPY (SELECT i, 'r' || i FROM range(3000) t(i)) TO STDOUT")
    data = [body for kind, body in msgs if kind == b"d"]
    assert data == [f"{i}\tr{i}\n".encode() for i in range(3000)]
    assert [body for kind, body in msgs if kind == b"C"] == [b"COPY 3000\0"]
    msgs = copy_out_messages(server, "COPY (SELECT i FROM range(2) t(i)) TO STDOUT (FORMAT csv, HEADER)")
    assert [body for kind, body in msgs if kind == b"d"] == [b"i\n", b"0\n", b"1\n"]
    msgs = copy_out_messages(server, "COPY (SELECT 5::int4 AS i) TO STDOUT (FORMAT binary)")
    data = [body for kind, body in msgs if kind == b"d"]
    header = b"PGCOPY\n\xff\r\n\0" + b"\0" * 8
    assert data == [header + b"\x00\x01\x00\x00\x00\x04\x00\x00\x00\x05", b"\xff\xff"]
    msgs = copy_out_messages(server, "COPY (SELECT 5::int4 AS i WHERE false) TO STDOUT (FORMAT binary)")
    assert [body for kind, body in msgs if kind == b"d"] == [header + b"\xff\xff"]


def test_psycopg3_copy_rows(conn):
    with conn.cursor().copy("COPY (SELECT i, 'a\tb' || i, NULL FROM range(5000) t(i)) TO STDOUT") as cp:
        rows = list(cp.rows())
    assert rows == [(str(i), f"a\tb{i}", None) for i in range(5000)]
    with conn.cursor().copy("COPY (SELECT i::int8, 'x' || i FROM range(1000) t(i)) TO STDOUT "
                            "(FORMAT binary)") as cp:
        cp.set_types(["int8", "text"])
        rows = list(cp.rows())
    assert rows == [(i, f"x{i}") for i in range(1000)]
    with conn.cursor().copy("COPY (SELECT 1 AS a, 'q,\"' AS b) TO STDOUT (FORMAT csv, HEADER)") as cp:
        blocks = [bytes(b) for b in cp]
    assert blocks == [b"a,b\n", b'1,"q,"""\n']


def test_psql_csv_header_both_ways(server, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,one\n2,\"two, too\"\n")
    dst = tmp_path / "out.csv"
    server.psql("CREATE TABLE csv_header(id INTEGER, name VARCHAR)", check=True)
    code, out, err = server.psql(f"\\copy csv_header FROM '{src}' WITH (FORMAT csv, HEADER true)")
    assert code == 0 and "COPY 2" in out, err
    code, out, err = server.psql(
        f"\\copy (SELECT * FROM csv_header ORDER BY id) TO '{dst}' WITH (FORMAT csv, HEADER)")
    assert code == 0 and "COPY 2" in out, err
    assert dst.read_text() == "id,name\n1,one\n2,\"two, too\"\n"
    server.psql("DROP TABLE csv_header", check=True)


def test_command_tags_match_postgres(server):
    import psycopg2
    conn = psycopg2.connect(host=server.host, port=server.port, user="augur", dbname="augur")
    conn.autocommit = True
    cur = conn.cursor()
    expected = [  # PostgreSQL 15's tags for the same statements
        ("CREATE TABLE tg(i int)", "CREATE TABLE"),
        ("INSERT INTO tg VALUES (1),(2)", "INSERT 0 2"),
        ("CREATE TABLE tg2 AS SELECT * FROM tg", "SELECT 2"),
        ("UPDATE tg SET i = i", "UPDATE 2"),
        ("DELETE FROM tg2", "DELETE 2"),
        ("TRUNCATE tg2", "TRUNCATE TABLE"),
        ("CREATE VIEW tv AS SELECT 1", "CREATE VIEW"),
        ("DROP VIEW tv", "DROP VIEW"),
        ("CREATE INDEX tgi ON tg(i)", "CREATE INDEX"),
        ("DROP INDEX tgi", "DROP INDEX"),
        ("CREATE SEQUENCE tsq", "CREATE SEQUENCE"),
        ("DROP SEQUENCE tsq", "DROP SEQUENCE"),
        ("ALTER TABLE tg ADD COLUMN j int", "ALTER TABLE"),
        ("VACUUM", "VACUUM"),
        ("ANALYZE", "ANALYZE"),
        ("CHECKPOINT", "CHECKPOINT"),
        ("SET application_name = 'tags'", "SET"),
        ("RESET application_name", "RESET"),
        ("RESET ALL", "RESET"),
        ("DISCARD ALL", "DISCARD ALL"),
        ("SHOW search_path", "SHOW"),
        ("BEGIN", "BEGIN"),
        ("COMMIT", "COMMIT"),
        ("START TRANSACTION", "START TRANSACTION"),
        ("END", "COMMIT"),
        ("BEGIN", "BEGIN"),
        ("ABORT", "ROLLBACK"),
        ("UNLISTEN *", "UNLISTEN"),
        ("VALUES (1),(2)", "SELECT 2"),
        ("DROP TABLE tg2", "DROP TABLE"),
        ("DROP TABLE tg", "DROP TABLE"),
    ]
    for sql, tag in expected:
        cur.execute(sql)
        assert cur.statusmessage == tag, sql
    cur.execute("CHECKPOINT")
    assert cur.description is None  # no result set, as in PostgreSQL
    conn.close()
