"""augur backup during a concurrent insert load, and augur restore into a new data directory: the
restored database holds exactly the rows the backup's snapshot saw."""

import json
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
