"""Privileges by allowlist (issue 16): what a read-only role and a writer can and cannot reach,
including through statements that wrap others (EXPLAIN ANALYZE, PREPARE/EXECUTE), views, settings
that write files, engine-wide logging and server paths. Every refusal is asserted with its
SQLSTATE and the state afterwards (the table unchanged, the file not written), and the server
must still answer at the end."""

import os

import psycopg
import pytest

READER = "priv_reader"
WRITER = "priv_writer"


@pytest.fixture(scope="module")
def roles(server):
    server.psql(f"DROP ROLE IF EXISTS {READER}; DROP ROLE IF EXISTS {WRITER}")
    server.psql(f"CREATE ROLE {READER} LOGIN", check=True)
    server.psql(f"CREATE USER {WRITER} IN ROLE pg_write_all_data", check=True)
    server.psql("DROP TABLE IF EXISTS priv_t; CREATE TABLE priv_t(i INT); "
                "INSERT INTO priv_t VALUES (1), (2); "
                "DROP SEQUENCE IF EXISTS priv_seq; CREATE SEQUENCE priv_seq", check=True)
    return server


def connect(server, user):
    return psycopg.connect(server.dsn(user=user), autocommit=True)


def refused(c, sql, state="42501"):
    with pytest.raises(psycopg.Error) as e:
        c.execute(sql)
    assert e.value.sqlstate == state, f"{sql}: {e.value.sqlstate} {e.value}"
    return str(e.value)


def rows(server):
    with connect(server, "augur") as c:
        return c.execute("SELECT i FROM priv_t ORDER BY i").fetchall()


@pytest.mark.parametrize("sql", [
    "SELECT $x", "select 1;$a", "SELECT $a$", "SELECT $$", "$", "SELECT 1 $x 2",
])
def test_dollar_text_never_takes_the_server_down(server, sql):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        with pytest.raises(psycopg.Error) as e:
            c.execute(sql)
        assert e.value.sqlstate is not None
        # The same text in a Parse message (psycopg prepares when asked to).
        with pytest.raises(psycopg.Error):
            c.execute(sql, prepare=True)
        assert c.execute("SELECT 41 + 1").fetchone() == (42,)


@pytest.mark.parametrize("sql", [
    "EXPLAIN ANALYZE INSERT INTO priv_t VALUES (99)",
    "EXPLAIN ANALYZE UPDATE priv_t SET i = 99",
    "EXPLAIN ANALYZE DELETE FROM priv_t",
    "EXPLAIN ANALYZE CREATE TABLE priv_new AS SELECT 1",
    "EXPLAIN INSERT INTO priv_t VALUES (99)",
    "EXPLAIN ANALYZE CREATE MACRO priv_m(x) AS x + 1",
    "EXPLAIN ANALYZE ALTER TABLE priv_t ADD COLUMN j INT",
    "EXPLAIN ANALYZE SET GLOBAL memory_limit = '1GB'",
    "EXPLAIN ANALYZE CHECKPOINT",
    "PREPARE priv_p AS INSERT INTO priv_t VALUES (99)",
    "SET GLOBAL memory_limit = '1GB'",
    "SET memory_limit = '1GB'",
    "PRAGMA threads = 1",
    "SET threads = 1",
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "LOAD parquet",
    "CREATE SECRET priv_s (TYPE s3, KEY_ID 'x', SECRET 'y')",
    "SET enable_profiling = 'json'",
    "SET profiling_output = '/tmp/augur-profiling-out'",
    "PRAGMA enable_profiling",
    "PRAGMA disable_optimizer",
    "SET disabled_optimizers = 'filter_pushdown'",
    "SET errors_as_json = true",
    "SET max_expression_depth = 100000",
    "SELECT * FROM enable_logging()",
    "SELECT * FROM duckdb_logs",
    "SELECT * FROM duckdb_logs()",
    "SELECT * FROM truncate_duckdb_logs()",
    "SELECT * FROM query('SELECT 1')",
    "SELECT * FROM json_execute_serialized_sql('x')",
    "SELECT * FROM arrow_scan(NULL, NULL, NULL)",
    "SELECT * FROM read_text('/etc/hostname')",
    "SELECT * FROM glob('/etc/*')",
    "SELECT * FROM duckdb_secrets()",
    "SELECT * FROM duckdb_extensions()",
    "SELECT * FROM duckdb_temporary_files()",
    "CALL force_checkpoint()",
    "SELECT nextval('priv_seq')",
    "INSERT INTO priv_t VALUES (99)",
])
def test_reader_is_refused_and_nothing_changes(roles, sql):
    before = rows(roles)
    with connect(roles, READER) as c:
        refused(c, sql)
        assert c.execute("SELECT count(*) FROM priv_t").fetchone() == (len(before),)
    assert rows(roles) == before


def test_reader_cannot_write_the_database_file_through_the_profiler(roles):
    database = os.path.join(roles.data_dir, "augur.db")
    size = os.path.getsize(database)
    with connect(roles, READER) as c:
        refused(c, "SET enable_profiling = 'json'")
        refused(c, f"SET profiling_output = '{database}'")
        assert c.execute("SELECT 2").fetchone() == (2,)
    assert os.path.getsize(database) == size
    with open(database, "rb") as f:
        assert f.read(12)[8:12] == b"DUCK"


def test_reader_cannot_create_log_directories(roles, tmp_path):
    target = tmp_path / "made-by-a-reader"
    with connect(roles, READER) as c:
        refused(c, f"SELECT * FROM enable_logging(storage='file', storage_path='{target}')")
    assert not target.exists()


def test_writer_may_write_but_not_reach_the_engine(roles):
    with connect(roles, WRITER) as c:
        c.execute("EXPLAIN ANALYZE INSERT INTO priv_t VALUES (3)")
        c.execute("DELETE FROM priv_t WHERE i = 3")
        assert c.execute("SELECT nextval('priv_seq') > 0").fetchone() == (True,)
        for sql in ("SELECT * FROM enable_logging()", "SET GLOBAL threads = 1", "CHECKPOINT",
                    "SET profiling_output = '/tmp/x'", "EXPLAIN ANALYZE SET GLOBAL threads = 1"):
            refused(c, sql)


def test_a_view_over_a_superuser_function_does_not_lend_its_privilege(roles):
    roles.psql("CREATE OR REPLACE VIEW priv_logs AS SELECT * FROM duckdb_logs", check=True)
    with connect(roles, READER) as c:
        refused(c, "SELECT * FROM priv_logs")


def test_a_reader_keeps_what_a_session_needs(roles):
    with connect(roles, READER) as c:
        c.execute("SET TimeZone = 'Europe/Paris'")
        c.execute("SET search_path = 'public'")
        c.execute("SET application_name = 'priv'")
        c.execute("SET statement_timeout = '5s'")
        assert c.execute("SELECT count(*) FROM priv_t").fetchone() == (2,)
        assert c.execute("SELECT count(*) > 0 FROM pg_catalog.pg_class").fetchone() == (True,)
        assert c.execute("SELECT count(*) FROM range(3)").fetchone() == (3,)
        assert c.execute("SELECT count(*) > 0 FROM information_schema.columns").fetchone() == (
            True,)
        c.execute("EXPLAIN SELECT * FROM priv_t")
        c.execute("EXPLAIN ANALYZE SELECT * FROM priv_t")
        c.execute("PREPARE priv_q AS SELECT count(*) FROM priv_t")
        assert c.execute("EXECUTE priv_q").fetchone() == (2,)
        c.execute("BEGIN")
        assert c.execute("SELECT i FROM priv_t ORDER BY i").fetchall() == [(1,), (2,)]
        c.execute("COMMIT")


def test_server_paths_are_hidden_from_readers(roles):
    hidden = ("temp_directory", "secret_directory", "extension_directory", "home_directory")
    with connect(roles, READER) as c:
        values = dict(c.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('temp_directory', 'secret_directory', 'extension_directory', 'home_directory', "
            "'threads')").fetchall())
        assert all(values[name] is None for name in hidden), values
        assert values["threads"] is not None
        assert c.execute("SELECT count(*) FROM duckdb_databases() WHERE path IS NOT NULL"
                         ).fetchone() == (0,)
        refused(c, "SELECT current_setting('temp_directory')")
        refused(c, "SHOW temp_directory")
    with connect(roles, "augur") as c:
        assert c.execute("SELECT value FROM duckdb_settings() WHERE name = 'secret_directory'"
                         ).fetchone()[0]
        assert c.execute("SELECT count(*) FROM duckdb_databases() WHERE path LIKE '%augur.db'"
                         ).fetchone() == (1,)


def test_cancel_backend_follows_postgresql(roles):
    with connect(roles, "augur") as admin, connect(roles, READER) as reader, \
            connect(roles, READER) as reader2, connect(roles, WRITER) as writer:
        admin_pid = admin.execute("SELECT pg_backend_pid()").fetchone()[0]
        reader2_pid = reader2.execute("SELECT pg_backend_pid()").fetchone()[0]
        writer_pid = writer.execute("SELECT pg_backend_pid()").fetchone()[0]
        message = refused(reader, f"SELECT pg_cancel_backend({admin_pid})")
        assert "superuser" in message
        refused(reader, f"SELECT pg_cancel_backend({writer_pid})")
        assert reader.execute(f"SELECT pg_cancel_backend({reader2_pid})").fetchone() == (True,)
        assert admin.execute(f"SELECT pg_cancel_backend({writer_pid})").fetchone() == (True,)
        assert reader.execute("SELECT pg_cancel_backend(1)").fetchone() == (False,)
