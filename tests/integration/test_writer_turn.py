"""Waiting for the writer turn (src/engine/writer_lock.h) must never consume the threads that the
waited-for session needs (issue 16, item 5).

Writing transactions take turns. A session that finds the turn taken used to wait on one of the
server's worker threads; with more waiters than threads (16 by default) the holder's COMMIT never
got a thread and the server wedged. Now a waiting session is suspended, not a thread: the holder
commits, new logins work meanwhile, and the waiters get the turn one after another in the order
they asked for it. CancelRequest and statement_timeout end a wait with 57014, like any statement,
and the transaction block is then failed until ROLLBACK.

Timeouts here are generous completion bounds (a wedged server never completes), not speed goals.
"""

import signal
import socket
import threading
import time

import psycopg
import pytest

from augur_server import AugurServer
from pgraw import RawClient, message

WAITERS = 40  # more than --worker-threads (16 by default)
BOUND = 30    # seconds: anything that has not completed by then is wedged


def run_bounded(fn, timeout=BOUND):
    """Runs fn() in a daemon thread; returns (completed, value or exception)."""
    box = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - reported to the test
            box["value"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    return not t.is_alive(), box.get("value")


def connect(srv, **kw):
    return psycopg.connect(srv.dsn(), autocommit=True, connect_timeout=BOUND, **kw)


def simple(c, sql):
    cur = psycopg.ClientCursor(c)  # the simple query protocol
    cur.execute(sql)
    return cur.fetchall() if cur.description else None


def hot_value(srv):
    with connect(srv) as c:
        return simple(c, "SELECT v FROM hot WHERE id = 1")[0][0]


def active_updates(srv):
    """Sessions whose running statement is an UPDATE of hot (waiting ones included)."""
    def probe():
        with connect(srv) as c:
            return simple(c, "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                             "AND query LIKE 'UPDATE hot%'")[0][0]
    done, value = run_bounded(probe, 10)
    return value if done and isinstance(value, int) else None


def wait_for_waiters(srv, count, timeout=BOUND):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if active_updates(srv) == count:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def srv(tmp_path):
    # Default --worker-threads (16): the point is more waiters than workers.
    s = AugurServer(tmp_path / "data").start()
    with connect(s) as c:
        simple(c, "CREATE TABLE hot(id INTEGER PRIMARY KEY, v INTEGER)")
        simple(c, "INSERT INTO hot VALUES (1, 0)")
        simple(c, "CREATE TABLE log(i INTEGER, s VARCHAR)")
    yield s
    if s.alive():
        s.stop(timeout=BOUND)


def waiter(srv, i, results):
    """One transaction block that increments hot, through a protocol path chosen by i."""
    try:
        with connect(srv) as c:
            kind = i % 3
            if kind == 0:  # simple query protocol
                simple(c, "BEGIN")
                simple(c, "UPDATE hot SET v = v + 1 WHERE id = 1")
                simple(c, "COMMIT")
            elif kind == 1:  # extended protocol (Parse/Bind/Execute)
                c.execute("BEGIN")
                c.execute("UPDATE hot SET v = v + %s WHERE id = %s", (1, 1))
                c.execute("COMMIT")
            else:  # COPY FROM STDIN first: the COPY waits for the turn
                c.execute("BEGIN")
                with c.cursor().copy("COPY log FROM STDIN") as copy:
                    copy.write_row((i, "waiter"))
                c.execute("UPDATE hot SET v = v + 1 WHERE id = 1")
                c.execute("COMMIT")
        results[i] = "ok"
    except Exception as e:  # noqa: BLE001 - counted as a failure
        results[i] = repr(e)


def test_more_waiters_than_workers_do_not_wedge_the_holder(srv):
    holder = connect(srv)
    simple(holder, "BEGIN")
    simple(holder, "UPDATE hot SET v = v + 1 WHERE id = 1")  # holds the turn until COMMIT

    results = {}
    threads = [threading.Thread(target=waiter, args=(srv, i, results), daemon=True)
               for i in range(WAITERS)]
    for t in threads:
        t.start()
    # Until all 40 wait (the 14 COPY waiters show as COPY, not UPDATE, while they wait).
    copy_waiters = sum(1 for i in range(WAITERS) if i % 3 == 2)
    wait_for_waiters(srv, WAITERS - copy_waiters)
    time.sleep(0.5)

    # A new login and a read work while 40 sessions wait.
    done, value = run_bounded(lambda: hot_value(srv))
    assert done, "a new login hung while sessions waited for the writer turn"
    assert value == 0, value  # the holder's increment is not committed yet

    # The holder's COMMIT gets a thread.
    done, value = run_bounded(lambda: simple(holder, "COMMIT"))
    assert done, "the holder's COMMIT hung behind sessions waiting for its turn"
    assert value is None, value
    holder.close()

    deadline = time.time() + 3 * BOUND
    for t in threads:
        t.join(max(0.1, deadline - time.time()))
    assert not any(t.is_alive() for t in threads), f"{len(results)} of {WAITERS} finished"
    failures = {i: r for i, r in results.items() if r != "ok"}
    assert failures == {}
    assert hot_value(srv) == WAITERS + 1
    with connect(srv) as c:
        assert simple(c, "SELECT count(*) FROM log")[0][0] == copy_waiters


def start_waiting(srv, conn, sql):
    """Runs sql on conn in a thread (it will wait for the turn); returns (thread, box)."""
    box = {}

    def target():
        try:
            box["value"] = simple(conn, sql)
        except Exception as e:  # noqa: BLE001 - the test inspects it
            box["value"] = e

    t = threading.Thread(target=target, daemon=True)
    t.start()
    return t, box


def test_cancel_request_ends_a_wait_and_fails_the_block(srv):
    holder = connect(srv)
    simple(holder, "BEGIN")
    simple(holder, "UPDATE hot SET v = v + 1 WHERE id = 1")

    victim = connect(srv)
    simple(victim, "BEGIN")
    t, box = start_waiting(srv, victim, "UPDATE hot SET v = v + 100 WHERE id = 1")
    assert wait_for_waiters(srv, 1)
    # Shown as PostgreSQL shows a session waiting for another transaction's row lock.
    with connect(srv) as c:
        assert c.execute("SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                         "WHERE pid = %s", (victim.info.backend_pid,)).fetchall() == [
            ("active", "Lock", "transactionid")]
        assert c.execute("SELECT wait_event_type FROM pg_stat_activity "
                         "WHERE pid = %s", (holder.info.backend_pid,)).fetchall() == [(None,)]
    # A second waiter queued behind the victim must still get the turn after the victim leaves.
    behind = connect(srv)
    simple(behind, "BEGIN")
    t2, box2 = start_waiting(srv, behind, "UPDATE hot SET v = v + 10 WHERE id = 1")
    assert wait_for_waiters(srv, 2)

    victim.cancel()  # CancelRequest on a separate connection
    t.join(BOUND)
    assert not t.is_alive(), "the cancelled wait did not end"
    assert isinstance(box["value"], psycopg.errors.QueryCanceled), box
    assert box["value"].sqlstate == "57014"
    with pytest.raises(psycopg.errors.InFailedSqlTransaction):
        simple(victim, "SELECT 1")
    simple(victim, "ROLLBACK")
    assert simple(victim, "SELECT 1") == [(1,)]

    simple(holder, "COMMIT")
    t2.join(BOUND)
    assert not t2.is_alive() and box2["value"] is None, box2
    simple(behind, "COMMIT")
    assert hot_value(srv) == 11  # holder + the one behind; the cancelled one never ran
    for c in (holder, victim, behind):
        c.close()


def test_statement_timeout_ends_a_wait_and_fails_the_block(srv):
    holder = connect(srv)
    simple(holder, "BEGIN")
    simple(holder, "UPDATE hot SET v = v + 1 WHERE id = 1")

    with connect(srv) as c:
        simple(c, "BEGIN")
        simple(c, "SET statement_timeout = 300")
        with pytest.raises(psycopg.errors.QueryCanceled) as raised:
            c.execute("UPDATE hot SET v = v + %s WHERE id = 1", (100,))  # extended protocol
        assert raised.value.sqlstate == "57014"
        assert "statement timeout" in str(raised.value)
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            simple(c, "SELECT 1")
        simple(c, "ROLLBACK")
        simple(c, "SET statement_timeout = 0")
        # Outside a block: the timed-out statement fails alone, and the session goes on.
        simple(c, "SET statement_timeout = 300")
        with pytest.raises(psycopg.errors.QueryCanceled):
            simple(c, "UPDATE hot SET v = v + 100 WHERE id = 1")
        assert simple(c, "SELECT 1") == [(1,)]

    simple(holder, "COMMIT")
    holder.close()
    assert hot_value(srv) == 1


def test_a_waiter_whose_client_vanished_does_not_keep_the_turn(srv):
    holder = connect(srv)
    simple(holder, "BEGIN")
    simple(holder, "UPDATE hot SET v = v + 1 WHERE id = 1")

    raw = RawClient(srv.host, srv.port, timeout=BOUND)
    raw.login()
    raw.send(message(b"Q", b"BEGIN\0"))
    raw.read_until_ready()
    raw.send(message(b"Q", b"UPDATE hot SET v = v + 100 WHERE id = 1\0"))
    assert wait_for_waiters(srv, 1)
    raw.sock.shutdown(socket.SHUT_RDWR)
    raw.sock.close()  # gone while queued: its transaction must never commit

    behind = connect(srv)
    simple(behind, "BEGIN")
    t, box = start_waiting(srv, behind, "UPDATE hot SET v = v + 10 WHERE id = 1")
    simple(holder, "COMMIT")
    t.join(BOUND)
    assert not t.is_alive() and box["value"] is None, box
    simple(behind, "COMMIT")
    assert hot_value(srv) == 11
    holder.close()
    behind.close()


def test_sigterm_ends_the_server_while_sessions_wait(srv):
    holder = connect(srv)
    simple(holder, "BEGIN")
    simple(holder, "UPDATE hot SET v = v + 1 WHERE id = 1")
    results = {}
    threads = [threading.Thread(target=waiter, args=(srv, i, results), daemon=True)
               for i in range(0, 3 * WAITERS, 3)]  # simple-protocol waiters
    for t in threads:
        t.start()
    assert wait_for_waiters(srv, len(threads))
    code = srv.stop(signal.SIGTERM, timeout=BOUND)
    assert code == 0, "\n".join(srv.log_lines[-30:])
    assert any("augur stopped" in line for line in srv.log_lines)
    for t in threads:
        t.join(BOUND)
    # Nobody committed: the holder and the waiters were rolled back by the shutdown.
    assert all(r != "ok" for r in results.values()), results
    srv.start()
    assert hot_value(srv) == 0


def test_sigterm_ends_the_server_even_when_work_cannot_be_interrupted(srv):
    """An HTTP query is not cancelled by the shutdown; the grace period bounds the wait for it."""
    import json
    import urllib.request

    def long_query():
        body = json.dumps({"sql": "SELECT sum(i) FROM range(100000000000) t(i)"}).encode()
        request = urllib.request.Request(srv.url("/api/query"), data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(request, timeout=BOUND).read()
        except OSError:
            pass  # the server went away mid-query

    threading.Thread(target=long_query, daemon=True).start()
    time.sleep(1)  # the query is running on the HTTP pool
    code = srv.stop(signal.SIGTERM, timeout=BOUND)
    # Exit 0 when everything unwound in time, else 1 with the reason in the log; never a hang.
    forced = any("shutdown took longer" in line for line in srv.log_lines)
    assert code == 0 or (code == 1 and forced), (code, srv.log_lines[-5:])
