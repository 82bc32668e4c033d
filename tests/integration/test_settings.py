"""PostgreSQL settings DuckDB lacks: SET/SHOW/RESET per session, and ParameterStatus reports."""

import psycopg
import pytest


def test_set_show_reset_postgres_only_settings(conn):
    conn.execute("SET extra_float_digits = 3")
    assert conn.execute("SHOW extra_float_digits").fetchone() == ("3",)
    conn.execute("SET statement_timeout TO '5s'")
    assert conn.execute("SHOW statement_timeout").fetchone() == ("5s",)
    conn.execute("RESET statement_timeout")
    assert conn.execute("SHOW statement_timeout").fetchone() == ("0",)
    conn.execute("SET myapp.tenant = 'acme'")
    assert conn.execute("SHOW myapp.tenant").fetchone() == ("acme",)


def test_settings_are_per_session(server):
    with psycopg.connect(server.dsn(), autocommit=True) as a, \
            psycopg.connect(server.dsn(), autocommit=True) as b:
        a.execute("SET lock_timeout = '2s'")
        assert a.execute("SHOW lock_timeout").fetchone() == ("2s",)
        assert b.execute("SHOW lock_timeout").fetchone() == ("0",)


def test_unknown_setting_is_an_error(conn):
    with pytest.raises(psycopg.Error):
        conn.execute("SET no_such_setting_anywhere = 1")
    with pytest.raises(psycopg.Error) as info:
        conn.execute("SHOW never.set")
    assert info.value.diag.sqlstate == "42704"


def test_read_only_settings_refuse_changes(conn):
    with pytest.raises(psycopg.Error) as info:
        conn.execute("SET server_version = '99'")
    assert info.value.diag.sqlstate == "55P02"


def test_parameter_status_follows_set(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        assert c.info.parameter_status("server_version") == "15.0"
        assert c.info.parameter_status("DateStyle") == "ISO, MDY"
        c.execute("SET application_name = 'reporting'")
        assert c.info.parameter_status("application_name") == "reporting"
        c.execute("SET TimeZone = 'Asia/Kolkata'")
        assert c.info.parameter_status("TimeZone") == "Asia/Kolkata"
        assert c.execute("SHOW TimeZone").fetchone() == ("Asia/Kolkata",)


def test_statement_timeout_cancels_a_long_query(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("SET statement_timeout = '300ms'")
        with pytest.raises(psycopg.errors.QueryCanceled) as info:
            c.execute("SELECT sum(i) FROM range(1000000000000) t(i)")
        assert "statement timeout" in info.value.diag.message_primary
        # Short statements still run, and the timeout can be lifted again.
        assert c.execute("SELECT 1").fetchone() == (1,)
        cur = c.cursor()
        cur.execute("SELECT %s::INTEGER", (5,))
        assert cur.fetchone() == (5,)
        c.execute("RESET statement_timeout")
        assert c.execute("SHOW statement_timeout").fetchone() == ("0",)


def test_statement_timeout_rejects_nonsense(conn):
    # Beyond PostgreSQL's 0 .. INT_MAX ms the conversion to milliseconds was undefined behaviour
    # (found by the sql fuzz target).
    for value in ("soon", "2147483648", "25d", "99999999999999999999999"):
        with pytest.raises(psycopg.Error) as info:
            conn.execute(f"SET statement_timeout = '{value}'")
        assert info.value.diag.sqlstate == "22023", value
    conn.execute("SET statement_timeout = '24d'")
    assert conn.execute("SHOW statement_timeout").fetchone() == ("24d",)
    conn.execute("RESET statement_timeout")


def test_show_followed_by_megabytes_of_blanks(conn):
    # SHOW was recognized with std::regex, whose matcher recursed once per character: this
    # statement overflowed the stack of the worker thread and took the server down.
    blanks = " " * (2 << 20)
    assert conn.execute("SHOW search_path" + blanks).fetchone() is not None
    with conn.cursor() as cur:
        cur.execute("SHOW extra_float_digits" + blanks, prepare=True)
        assert cur.fetchone() is not None
    assert conn.execute("SELECT 1").fetchone() == (1,)


def test_backend_pid_and_cancel_backend(server):
    import threading
    with psycopg.connect(server.dsn(), autocommit=True) as victim, \
            psycopg.connect(server.dsn(), autocommit=True) as killer:
        pid = victim.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert pid == victim.info.backend_pid  # the pid BackendKeyData announced
        assert killer.execute("SELECT pg_cancel_backend(%s)", (-5,)).fetchone() == (False,)

        def cancel_soon():
            import time
            time.sleep(0.4)
            killer.execute("SELECT pg_cancel_backend(%s)", (pid,))

        t = threading.Thread(target=cancel_soon)
        t.start()
        with pytest.raises(psycopg.errors.QueryCanceled):
            victim.execute("SELECT sum(i) FROM range(1000000000000) t(i)")
        t.join()
        assert victim.execute("SELECT 1").fetchone() == (1,)


def test_set_config_and_current_setting(conn):
    assert conn.execute("SELECT set_config('application_name', 'cfg', false)").fetchone() == ("cfg",)
    assert conn.execute("SHOW application_name").fetchone() == ("cfg",)
    assert conn.info.parameter_status("application_name") == "cfg"
    row = conn.execute("SELECT current_setting('application_name'), current_setting('TimeZone'), "
                       "current_setting('extra_float_digits')").fetchone()
    assert row[0] == "cfg" and row[1] and row[2] == "1"
    with pytest.raises(psycopg.Error):
        conn.execute("SELECT current_setting('no_such_setting')")


def test_pg_stat_activity_lists_sessions(server):
    with psycopg.connect(server.dsn(application_name="watched"), autocommit=True) as watched, \
            psycopg.connect(server.dsn(), autocommit=True) as observer:
        watched_pid = watched.info.backend_pid
        watched.execute("BEGIN")
        watched.execute("SELECT 42")
        rows = observer.execute(
            "SELECT pid, usename, application_name, client_addr, state, query, backend_type "
            "FROM pg_stat_activity WHERE pid = %s", (watched.info.backend_pid,)).fetchall()
        assert rows == [(watched.info.backend_pid, "augur", "watched", "127.0.0.1",
                         "idle in transaction", "SELECT 42", "client backend")]
        me = observer.execute("SELECT state, query FROM pg_stat_activity WHERE pid = pg_backend_pid()").fetchone()
        assert me[0] == "active" and "pg_stat_activity" in me[1]
        watched.execute("ROLLBACK")
    # Closed sessions disappear (the server unregisters them as their connections end).
    import time
    with psycopg.connect(server.dsn(), autocommit=True) as later:
        for _ in range(50):
            pids = [r[0] for r in later.execute("SELECT pid FROM pg_stat_activity").fetchall()]
            if watched_pid not in pids:
                break
            time.sleep(0.05)
        assert watched_pid not in pids


def test_idle_in_transaction_timeout_ends_the_session_and_frees_its_writer_turn(server):
    import time
    with psycopg.connect(server.dsn(), autocommit=True) as setup:
        setup.execute("CREATE TABLE idle_t(k INTEGER)")
    c = psycopg.connect(server.dsn())
    c.execute("SET idle_in_transaction_session_timeout = '300ms'")
    c.commit()
    assert c.execute("SHOW idle_in_transaction_session_timeout").fetchone()[0] == "300ms"
    c.commit()
    time.sleep(0.6)  # idle outside a transaction block: no limit
    c.execute("INSERT INTO idle_t VALUES (1)")  # psycopg BEGINs; the insert holds the writer turn
    time.sleep(1.0)
    with pytest.raises(psycopg.OperationalError) as ended:
        c.execute("SELECT 1")
    assert "idle-in-transaction timeout" in str(ended.value)
    c.close()
    with psycopg.connect(server.dsn(), autocommit=True) as other:
        other.execute("INSERT INTO idle_t VALUES (2)")  # would wait forever if the turn leaked
        assert other.execute("SELECT k FROM idle_t").fetchall() == [(2,)]  # the 1 rolled back
        other.execute("DROP TABLE idle_t")
