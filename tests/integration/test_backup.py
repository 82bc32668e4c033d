"""augur backup during a concurrent insert load, and augur restore into a new data directory: the
restored database holds exactly the rows the backup's snapshot saw. Both report their progress:
percentage lines in a log, a bar on a terminal."""

import json
import os
import pty
import re
import subprocess
import threading
import time

import psycopg

from augur_server import AUGUR_BIN, AugurServer


def test_online_backup_under_inserts_restores_the_snapshot_exactly(fresh_server, tmp_path):
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE orders(id BIGINT PRIMARY KEY, note VARCHAR)")
        c.execute("INSERT INTO orders SELECT r, 'seed' FROM range(5000) t(r)")
        c.execute("CREATE TABLE audit AS SELECT r AS k FROM range(77) t(r)")
        c.execute("CREATE INDEX orders_learned ON orders USING LEARNED (id)")

    stop = threading.Event()
    inserted = []

    def writer():
        with psycopg.connect(fresh_server.dsn(), autocommit=True) as w:
            n = 100000
            while not stop.is_set():
                w.execute("INSERT INTO orders VALUES (%s, 'live')", [n])
                inserted.append(n)
                n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    backup_dir = tmp_path / "backup"
    r = subprocess.run([AUGUR_BIN, "backup", "--to", str(backup_dir), "--server",
                        f"http://127.0.0.1:{fresh_server.http_port}"],
                       capture_output=True, text=True, timeout=120)
    time.sleep(0.3)  # writes go on after the snapshot too
    stop.set()
    thread.join()
    assert r.returncode == 0, r.stderr
    assert "backup written to" in r.stdout

    manifest = json.loads((backup_dir / "augur-backup.json").read_text())
    counts = {t["table"]: t["rows"] for t in manifest["tables"]}
    assert counts["audit"] == 77
    # A snapshot taken while the writer ran: some of its rows, not all.
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        final = c.execute("SELECT count(*) FROM orders").fetchone()[0]
    assert 5000 < counts["orders"] < final == 5000 + len(inserted)
    assert (backup_dir / "public_orders.parquet").exists()  # DuckDB names files schema_table

    # Restoring into a data directory that has data is refused.
    r = subprocess.run([AUGUR_BIN, "restore", "--from", str(backup_dir), "--data",
                        fresh_server.data_dir], capture_output=True, text=True, timeout=120)
    assert r.returncode == 1 and "not empty" in r.stderr

    restored = tmp_path / "restored"
    r = subprocess.run([AUGUR_BIN, "restore", "--from", str(backup_dir), "--data", str(restored)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    srv = AugurServer(restored).start()
    try:
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            assert c.execute("SELECT count(*) FROM orders").fetchone()[0] == counts["orders"]
            assert c.execute("SELECT count(*) FROM audit").fetchone()[0] == 77
            # The snapshot is a prefix of the writer's sequence: no gaps, nothing later.
            got = c.execute("SELECT count(*), max(id) FROM orders WHERE id >= 100000").fetchone()
            assert got == (counts["orders"] - 5000, 100000 + counts["orders"] - 5001)
            with psycopg.ClientCursor(c) as cur:  # the primary key came back with the schema
                try:
                    cur.execute("INSERT INTO orders VALUES (1, 'dup')")
                    raise AssertionError("duplicate key accepted")
                except psycopg.errors.UniqueViolation:
                    pass
    finally:
        assert srv.stop() == 0


def test_backup_errors_are_clear(fresh_server, tmp_path):
    fresh_server.start()
    r = subprocess.run([AUGUR_BIN, "backup", "--to", str(tmp_path / "b"), "--server",
                        "http://127.0.0.1:1"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "cannot reach" in r.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    r = subprocess.run([AUGUR_BIN, "backup", "--to", str(tmp_path / "full"), "--server",
                        f"http://127.0.0.1:{fresh_server.http_port}"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "not empty" in r.stderr
    r = subprocess.run([AUGUR_BIN, "restore", "--from", str(tmp_path), "--data",
                        str(tmp_path / "new")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1 and "not an augur backup" in r.stderr


def percent_lines(stderr, what):
    """(percent, rows or None) of each `what: N% (R rows, S s)` line `augur` logs when stderr is
    not a terminal (the rows when it knows them)."""
    return [(int(p), int(r) if r else None) for p, r in
            re.findall(rf"^{what}: (\d+)% \((?:(\d+) rows, )?[0-9.]+ s\)$", stderr, re.M)]


def checksums(dsn, tables):
    with psycopg.connect(dsn, autocommit=True) as c:
        return {t: c.execute(f"SELECT count(*), sum(i), md5(string_agg(h, ',' ORDER BY i)) "
                             f"FROM {t}").fetchone() for t in tables}


def test_backup_and_restore_log_their_progress_up_to_100(fresh_server, tmp_path):
    fresh_server.start()
    tables = [f"progress_{n}" for n in range(4)]
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        for n, table in enumerate(tables):  # four tables of 2M rows each
            c.execute(f"CREATE TABLE {table} AS SELECT i, md5((i * {n + 1})::VARCHAR) AS h "
                      f"FROM range(2000000) t(i)")
    before = checksums(fresh_server.dsn(), tables)

    backup_dir = tmp_path / "backup"
    r = subprocess.run([AUGUR_BIN, "backup", "--to", str(backup_dir), "--server",
                        f"http://127.0.0.1:{fresh_server.http_port}"],
                       capture_output=True, text=True, timeout=600)  # stderr: not a terminal
    assert r.returncode == 0, r.stderr
    assert "\r" not in r.stderr  # lines, no bar
    lines = percent_lines(r.stderr, "backup")
    # From 0 up to 100, never back; the last line has every row (the ones before have none:
    # DuckDB's figure for an export counts each row twice). How many lines come between depends
    # on how long the export takes against the 250 ms polls.
    assert lines[0] == (0, None) and lines[-1] == (100, 8_000_000), r.stderr
    percents = [p for p, _ in lines]
    assert percents == sorted(percents) and len(set(percents)) == len(percents), r.stderr
    assert re.search(r"^backup written to .*: 8000000 rows in 4 tables in [0-9.]+ s$", r.stdout,
                     re.M), r.stdout

    restored = tmp_path / "restored"
    r = subprocess.run([AUGUR_BIN, "restore", "--from", str(backup_dir), "--data", str(restored)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    lines = percent_lines(r.stderr, "restore")
    assert lines == sorted(lines), r.stderr
    assert lines[0] == (0, 0) and lines[-1] == (100, 8_000_000), r.stderr
    # Each table loaded moves it by a quarter (of 99%: the last percent is for the checks), so
    # these tenths are logged whatever the timing; the polls may add others between them.
    assert {0, 20, 40, 70, 90, 100} <= {p for p, _ in lines}, r.stderr
    assert re.search(r"^restored 8000000 rows in 4 tables into .* in [0-9.]+ s$", r.stdout,
                     re.M), r.stdout

    srv = AugurServer(restored).start()
    try:
        assert checksums(srv.dsn(), tables) == before
    finally:
        assert srv.stop() == 0


def test_restore_draws_a_bar_on_a_terminal(fresh_server, tmp_path):
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE bar_rows AS SELECT i FROM range(100000) t(i)")
    backup_dir = tmp_path / "backup"
    r = subprocess.run([AUGUR_BIN, "backup", "--to", str(backup_dir), "--server",
                        f"http://127.0.0.1:{fresh_server.http_port}"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    # stderr on a pseudo-terminal: the bar is redrawn in place (\r), no percentage lines.
    main, sub = pty.openpty()
    proc = subprocess.Popen([AUGUR_BIN, "restore", "--from", str(backup_dir), "--data",
                             str(tmp_path / "restored")], stdout=subprocess.PIPE, stderr=sub)
    os.close(sub)
    output = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        output += chunk
    os.close(main)
    assert proc.wait(120) == 0
    text = output.decode()
    assert "\rrestore [##############################] 100.0%  100000 rows" in text, text
    assert "restore: " not in text, text
    assert text.endswith("\n")  # the bar's line ended before the summary
