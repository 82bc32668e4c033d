"""Server lifecycle: start-up errors, persistence across restarts, durability across kill -9,
graceful shutdown, and per-server limits."""

import subprocess
import threading

import psycopg
import pytest

from augur_server import AUGUR_BIN, AugurServer
from pgraw import RawClient, error_fields, message


def run(srv, sql):
    with psycopg.connect(srv.dsn(), autocommit=True) as c:
        cur = psycopg.ClientCursor(c)
        cur.execute(sql)
        return cur.fetchall() if cur.description else None


def test_version_and_help():
    out = subprocess.run([AUGUR_BIN, "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("augur ") and "DuckDB v1.4.4" in out.stdout
    help_text = subprocess.run([AUGUR_BIN, "serve", "--help"], capture_output=True, text=True,
                               check=True).stdout
    for flag in ("--data", "--listen", "--pg-port", "--config", "--log-format"):
        assert flag in help_text


def test_bad_setting_fails_with_key_source_and_reason(tmp_path):
    r = subprocess.run([AUGUR_BIN, "serve", "--data", str(tmp_path), "--pg-port", "99999"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "server.pg_port" in r.stderr and "flag --pg-port" in r.stderr
    assert "between 0 and 65535" in r.stderr


def test_bad_config_file_key(tmp_path):
    cfg = tmp_path / "augur.toml"
    cfg.write_text("[server]\nno_such_key = 1\n")
    r = subprocess.run([AUGUR_BIN, "serve", "--config", str(cfg), "--data", str(tmp_path / "d")],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert 'unknown setting "server.no_such_key"' in r.stderr


def test_config_file_and_environment_layers(tmp_path):
    cfg = tmp_path / "augur.toml"
    cfg.write_text('[log]\nformat = "json"\n')
    srv = AugurServer(tmp_path / "data", ["--config", str(cfg)],
                      env={"AUGUR_LOG_LEVEL": "debug"}).start()
    try:
        # JSON lines from the file's setting; the listening line is one of them.
        listening = [l for l in srv.log_lines if "pgwire listening" in l][0]
        assert listening.startswith("{") and '"level":"info"' in listening
        assert run(srv, "SELECT 1") == [(1,)]
    finally:
        assert srv.stop() == 0


def test_second_server_on_same_data_dir_is_refused(fresh_server):
    fresh_server.start()
    r = subprocess.run([AUGUR_BIN, "serve", "--data", fresh_server.data_dir, "--pg-port", "0"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert "in use by another augur server" in r.stderr
    assert fresh_server.alive()
    assert run(fresh_server, "SELECT 1") == [(1,)]


def test_data_persists_across_sigterm_restart(fresh_server):
    fresh_server.start()
    run(fresh_server, "CREATE TABLE keep(i INTEGER, s VARCHAR)")
    run(fresh_server, "INSERT INTO keep SELECT i, 'row ' || i FROM range(1000) t(i)")
    assert fresh_server.stop() == 0
    assert any("augur stopped" in l for l in fresh_server.log_lines)
    fresh_server.start()
    assert run(fresh_server, "SELECT count(*), sum(i) FROM keep") == [(1000, 499500)]


def test_acknowledged_commits_survive_kill_9(fresh_server):
    fresh_server.start()
    run(fresh_server, "CREATE TABLE durable(i INTEGER PRIMARY KEY)")
    acknowledged = 0
    c = psycopg.connect(fresh_server.dsn(), autocommit=True)
    cur = psycopg.ClientCursor(c)
    for i in range(200):
        cur.execute(f"INSERT INTO durable VALUES ({i})")
        acknowledged += 1
    cur.execute("BEGIN")
    cur.execute("INSERT INTO durable SELECT 1000 + i FROM range(50) t(i)")
    cur.execute("COMMIT")
    acknowledged += 50
    cur.execute("BEGIN")
    cur.execute("INSERT INTO durable VALUES (99999)")  # never committed
    fresh_server.kill9()
    c.close()
    fresh_server.start()
    rows = run(fresh_server, "SELECT count(*), max(i) FROM durable")
    assert rows == [(acknowledged, 1049)]


def test_sigterm_during_a_running_query_exits_cleanly(fresh_server):
    fresh_server.start()
    done = threading.Event()
    errors = []

    def long_query():
        try:
            run(fresh_server, "SELECT sum(i) FROM range(1000000000000) t(i)")
        except psycopg.Error as e:
            errors.append(e)
        done.set()

    t = threading.Thread(target=long_query)
    t.start()
    assert fresh_server.wait_for_log("connection accepted")
    import time
    time.sleep(0.3)
    assert fresh_server.stop() == 0
    t.join(30)
    assert errors, "the running query should have been ended by the shutdown"


def test_oversized_message_is_refused_and_server_keeps_serving(tmp_path):
    srv = AugurServer(tmp_path / "data", ["--max-message-bytes", "4096"]).start()
    try:
        c = RawClient(srv.host, srv.port)
        c.login()
        c.send(message(b"Q", b"SELECT '" + b"x" * 10000 + b"'\0"))
        m = c.recv_message()
        assert m[0] == b"E"
        fields = error_fields(m[1])
        assert fields["S"] == "FATAL" and fields["C"] == "54000"
        c.close()
        assert run(srv, "SELECT 'fine'") == [("fine",)]
    finally:
        assert srv.stop() == 0


def test_max_connections_refuses_with_53300_and_frees_slots(tmp_path):
    srv = AugurServer(tmp_path / "data", ["--max-connections", "3"]).start()
    try:
        held = [psycopg.connect(srv.dsn(), autocommit=True) for _ in range(3)]
        with pytest.raises(psycopg.OperationalError) as info:
            psycopg.connect(srv.dsn(), autocommit=True)
        assert "too many clients" in str(info.value)
        held.pop().close()
        with psycopg.connect(srv.dsn(), autocommit=True) as again:
            assert again.execute("SELECT 1").fetchone() == (1,)
        for c in held:
            c.close()
    finally:
        assert srv.stop() == 0
