"""augur import: files loaded into a running server's table through the wire protocol.

Each load is checked against the server loading the same file itself (COPY ... FROM STDIN of the
CSV, COPY ... FROM of the Parquet file) by a checksum over every row; a bad row anywhere loads
nothing and is named by its line; hostile inputs fail cleanly with nothing half-done."""

import os
import pty
import subprocess

import psycopg
import pytest

from augur_server import AUGUR_BIN, AugurServer

ROWS = 1_000_000

# One text checksum over every row, in id order: the same expression on both tables.
CHECKSUM = ("SELECT count(*), md5(string_agg(concat_ws('|', id, coalesce(name, '<null>'), amount, "
            "day, flag), ',' ORDER BY id)) FROM {}")


def run_import(server, *args, env_extra=None, timeout=300):
    env = dict(os.environ)
    env.pop("PGPASSWORD", None)
    env.pop("AUGUR_PASSWORD", None)
    env.update(env_extra or {})
    cmd = [AUGUR_BIN, "import", *map(str, args),
           "--server", f"postgresql://augur@127.0.0.1:{server.port}/augur"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def write_csv(path, rows, bad_line=None, bad_id="oops"):
    """A CSV with a header and `rows` data rows, with commas and quotes in quoted fields (no
    newline in one, so that data row N is line N + 1). Line `bad_line` (1-based, counting the
    header) gets `bad_id` for its id."""
    with open(path, "w") as f:
        f.write("id,name,amount,day,flag\n")
        for i in range(1, rows + 1):
            line_no = i + 1
            ident = bad_id if line_no == bad_line else str(i)
            if i % 97 == 0:
                name = ""  # NULL
            elif i % 11 == 0:
                name = f'"name, with ""quotes"" {i}"'
            else:
                name = f"name{i}"
            f.write(f"{ident},{name},{i % 100000}.{i % 100:02d},2024-{1 + i % 12:02d}-"
                    f"{1 + i % 28:02d},{'true' if i % 3 else 'false'}\n")


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("import") / "orders.csv"
    write_csv(path, ROWS)
    return path


def checksum(conn, table):
    return conn.execute(CHECKSUM.format(table)).fetchone()


def test_csv_import_equals_copy_of_the_same_file(server, conn, big_csv):
    r = run_import(server, big_csv, "--table", "imp_orders")
    assert r.returncode == 0, r.stderr
    assert f"imported {ROWS} rows into \"imp_orders\"" in r.stdout
    assert "rows/s" in r.stdout
    # Not a terminal: percentages as log lines, ending at 100.
    assert "import: 50%" in r.stderr and "import: 100%" in r.stderr
    # The detected types.
    types = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'imp_orders' ORDER BY ordinal_position").fetchall()
    assert types == [("id", "bigint"), ("name", "text"), ("amount", "double precision"),
                     ("day", "date"), ("flag", "boolean")]
    # The server's own COPY of the same file into a table of the same types.
    conn.execute("CREATE TABLE ref_orders (id bigint, name text, amount double precision, "
                 "day date, flag boolean)")
    with conn.cursor() as cur:
        with cur.copy("COPY ref_orders FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            with open(big_csv, "rb") as f:
                while chunk := f.read(1 << 20):
                    copy.write(chunk)
    imported = checksum(conn, "imp_orders")
    assert imported[0] == ROWS
    assert imported == checksum(conn, "ref_orders")
    assert conn.execute("SELECT count(*) FROM imp_orders WHERE name IS NULL").fetchone()[0] == \
        ROWS // 97


def test_parquet_import_equals_copy_of_the_same_file(server, conn, tmp_path):
    path = tmp_path / "events.parquet"
    conn.execute(
        f"COPY (SELECT r AS id, CASE WHEN r % 7 = 0 THEN NULL ELSE 'ev' || r END AS name, "
        f"r / 8.0 AS amount, DATE '2020-01-01' + (r % 1000)::INTEGER AS day, r % 2 = 0 AS flag, "
        f"TIMESTAMP '2024-01-01 00:00:00' + to_seconds(r) AS ts, [r, r + 1] AS pair "
        f"FROM range(200000) t(r)) TO '{path}' (FORMAT parquet)")
    r = run_import(server, path, "--table", "imp_events")
    assert r.returncode == 0, r.stderr
    assert "imported 200000 rows" in r.stdout
    types = dict(conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'imp_events'").fetchall())
    assert types["id"] == "bigint" and types["ts"].startswith("timestamp")
    assert types["pair"] == "ARRAY"
    conn.execute(f"CREATE TABLE ref_events AS SELECT * FROM read_parquet('{path}') LIMIT 0")
    conn.execute(f"COPY ref_events FROM '{path}' (FORMAT parquet)")
    assert checksum(conn, "imp_events") == checksum(conn, "ref_events")
    extra = "SELECT md5(string_agg(concat_ws('|', ts, pair), ',' ORDER BY id)) FROM {}"
    assert conn.execute(extra.format("imp_events")).fetchone() == \
        conn.execute(extra.format("ref_events")).fetchone()


def test_bad_row_on_line_500001_of_a_new_table_loads_nothing(server, conn, tmp_path):
    path = tmp_path / "bad.csv"
    write_csv(path, 600_000, bad_line=500_001)
    r = run_import(server, path, "--table", "imp_bad_new")
    assert r.returncode == 1
    assert "bad.csv line 500001: " in r.stderr, r.stderr
    assert 'Could not convert string "oops"' in r.stderr
    assert "nothing was imported" in r.stderr
    assert conn.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name = 'imp_bad_new'").fetchone()[0] == 0


def test_bad_row_on_line_500001_of_an_existing_table_loads_nothing(server, conn, tmp_path):
    # 3000000000 is a bigint to the local reader but too large for the table's integer column:
    # the server refuses it, by its row in the COPY data, which names the file's line.
    path = tmp_path / "bad_existing.csv"
    write_csv(path, 600_000, bad_line=500_001, bad_id="3000000000")
    conn.execute("CREATE TABLE imp_bad_old (id integer, name text, amount double precision, "
                 "day date, flag boolean)")
    conn.execute("INSERT INTO imp_bad_old VALUES (-1, 'kept', 0, '2020-01-01', true)")
    r = run_import(server, path, "--table", "imp_bad_old")
    assert r.returncode == 1
    assert "bad_existing.csv line 500001: " in r.stderr, r.stderr
    assert "3000000000" in r.stderr and "nothing was imported" in r.stderr
    assert "Line: 500000" not in r.stderr  # the server's own numbering of the COPY data
    assert conn.execute("SELECT id, name FROM imp_bad_old").fetchall() == [(-1, "kept")]


def test_tsv_and_ndjson_and_a_glob(server, conn, tmp_path):
    (tmp_path / "a.tsv").write_text("k\tv\n1\tone\n2\ttab\\there\n")
    r = run_import(server, tmp_path / "a.tsv", "--table", "imp_tsv")
    assert r.returncode == 0, r.stderr
    assert conn.execute("SELECT k, v FROM imp_tsv ORDER BY k").fetchall() == \
        [(1, "one"), (2, "tab\\there")]
    parts = tmp_path / "parts"
    parts.mkdir()
    for n in range(3):
        (parts / f"p{n}.ndjson").write_text(
            "".join(f'{{"id": {n * 10 + i}, "tag": "t{i}", "meta": {{"n": {i}}}}}\n'
                    for i in range(5)))
    r = run_import(server, str(parts / "p*.ndjson"), "--table", "imp_json")
    assert r.returncode == 0, r.stderr
    assert "imported 15 rows" in r.stdout
    rows = conn.execute("SELECT id, tag, meta->>'n' FROM imp_json ORDER BY id").fetchall()
    assert rows == [(n * 10 + i, f"t{i}", str(i)) for n in range(3) for i in range(5)]


def test_appends_to_an_existing_table_by_column_name(server, conn, tmp_path):
    conn.execute("CREATE TABLE imp_append (extra text DEFAULT 'd', v text, k integer)")
    (tmp_path / "append.csv").write_text("k,v\n1,x\n2,y\n")
    r = run_import(server, tmp_path / "append.csv", "--table", "imp_append")
    assert r.returncode == 0, r.stderr
    assert conn.execute("SELECT extra, v, k FROM imp_append ORDER BY k").fetchall() == \
        [("d", "x", 1), ("d", "y", 2)]


def test_missing_file(server):
    r = run_import(server, "/nonexistent/file.csv")
    assert r.returncode == 1
    assert 'could not open file "/nonexistent/file.csv"' in r.stderr
    r = run_import(server, "/nonexistent/*.csv")
    assert r.returncode == 1 and "no file matches" in r.stderr


def test_empty_file_creates_nothing(server, conn, tmp_path):
    (tmp_path / "empty.csv").write_text("")
    r = run_import(server, tmp_path / "empty.csv", "--table", "imp_empty")
    assert r.returncode == 1
    assert "empty" in r.stderr
    assert conn.execute("SELECT count(*) FROM information_schema.tables "
                        "WHERE table_name = 'imp_empty'").fetchone()[0] == 0


def test_unknown_extension_and_format(server, tmp_path):
    (tmp_path / "data.xlsx").write_text("x")
    r = run_import(server, tmp_path / "data.xlsx")
    assert r.returncode == 1 and "--format" in r.stderr
    r = run_import(server, tmp_path / "data.xlsx", "--format", "excel")
    assert r.returncode == 1 and "unknown --format" in r.stderr


def test_table_name_with_quotes(server, conn, tmp_path):
    (tmp_path / "q.csv").write_text('a,"b""c"\n1,2\n')
    name = 'we"ird \'name; DROP TABLE x'
    r = run_import(server, tmp_path / "q.csv", "--table", name)
    assert r.returncode == 0, r.stderr
    quoted = '"' + name.replace('"', '""') + '"'
    assert conn.execute(f'SELECT a, "b""c" FROM {quoted}').fetchall() == [(1, 2)]


def test_existing_table_with_different_columns_loads_nothing(server, conn, tmp_path):
    conn.execute("CREATE TABLE imp_other (x integer, y text)")
    conn.execute("INSERT INTO imp_other VALUES (7, 'seven')")
    (tmp_path / "diff.csv").write_text("a,b,c\n1,2,3\n")
    r = run_import(server, tmp_path / "diff.csv", "--table", "imp_other")
    assert r.returncode == 1
    assert "has the columns (x, y)" in r.stderr and "(a, b, c)" in r.stderr
    assert conn.execute("SELECT * FROM imp_other").fetchall() == [(7, "seven")]


def test_unreachable_server(tmp_path):
    (tmp_path / "u.csv").write_text("a\n1\n")
    r = subprocess.run([AUGUR_BIN, "import", str(tmp_path / "u.csv"), "--server",
                        "postgresql://augur@127.0.0.1:1/augur"], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1 and "cannot connect" in r.stderr


def test_wrong_password_and_right_one(tmp_path):
    # A password for the bootstrap role, set while loopback logins are trusted.
    srv = AugurServer(tmp_path / "data").start()
    srv.psql("ALTER ROLE augur PASSWORD 'right-pw'", check=True)
    srv.stop()
    srv = AugurServer(tmp_path / "data", ["--auth-loopback", "scram-sha-256"]).start()
    try:
        (tmp_path / "p.csv").write_text("a\n1\n")
        r = run_import(srv, tmp_path / "p.csv", env_extra={"AUGUR_PASSWORD": "wrong-pw"})
        assert r.returncode == 1
        assert "password authentication failed" in r.stderr
        r = run_import(srv, tmp_path / "p.csv", env_extra={"PGPASSWORD": "right-pw"})
        assert r.returncode == 0, r.stderr
        r = run_import(srv, tmp_path / "p.csv", env_extra={"AUGUR_PASSWORD": "right-pw"})
        assert r.returncode == 0, r.stderr
        env = srv.psql_env()
        env["PGPASSWORD"] = "right-pw"
        out = subprocess.run(["psql", "-X", "-At", "-c", "SELECT count(*) FROM p"], env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.stdout.strip() == "2"
    finally:
        srv.stop()


def test_progress_bar_on_a_terminal(server, tmp_path):
    path = tmp_path / "tty.csv"
    write_csv(path, 50_000)
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(AUGUR_BIN, [AUGUR_BIN, "import", str(path), "--table", "imp_tty", "--server",
                             f"postgresql://augur@127.0.0.1:{server.port}/augur"])
    out = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 0, out
    text = out.decode()
    # A bar redrawn in place (carriage returns), ending full, then the summary.
    assert "\rimport [" in text
    assert "[" + "#" * 30 + "] 100.0%" in text
    assert "imported 50000 rows" in text
