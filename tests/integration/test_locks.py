"""Row locks and advisory locks (issue 18).

SELECT ... FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE take the writer turn
(src/engine/writer_lock.h): one transaction at a time may lock rows, so a row can never be handed
to two transactions, and the snapshot refresh on taking the turn makes the next locker see the
previous one's committed changes. NOWAIT fails at once with 55P03 when another transaction holds
the turn; SKIP LOCKED waits for it (it serializes: docs/COMPATIBILITY.md). Advisory locks live in
a lock table shared by all sessions (src/engine/advisory_locks.h), shown in pg_locks, bounded by
lock_timeout, cancellation and deadlock detection.
"""

import threading
import time

import psycopg
import pytest

from conftest import configure_django

BOUND = 60  # seconds: a completion bound, not a speed goal


def connect(server, autocommit=True):
    return psycopg.connect(server.dsn(), autocommit=autocommit, connect_timeout=BOUND)


def sqlstate(exc):
    return getattr(exc, "sqlstate", None) or exc.diag.sqlstate


# --- row locks -----------------------------------------------------------------------------------

def test_locking_clauses_parse(conn):
    conn.execute("DROP TABLE IF EXISTS lk_parse")
    conn.execute("CREATE TABLE lk_parse (id INT PRIMARY KEY, v TEXT)")
    conn.execute("INSERT INTO lk_parse VALUES (1, 'a'), (2, 'b')")
    for clause in ["FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE",
                   "FOR UPDATE OF lk_parse", "FOR UPDATE NOWAIT", "FOR UPDATE SKIP LOCKED",
                   "FOR SHARE OF lk_parse SKIP LOCKED", "FOR UPDATE FOR SHARE"]:
        rows = conn.execute(f"SELECT id FROM lk_parse ORDER BY id {clause}").fetchall()
        assert rows == [(1,), (2,)], clause
    # LIMIT before or after the clause, as PostgreSQL's grammar allows.
    assert conn.execute("SELECT id FROM lk_parse ORDER BY id LIMIT 1 FOR UPDATE").fetchall() == [(1,)]
    assert conn.execute("SELECT id FROM lk_parse ORDER BY id FOR UPDATE LIMIT 1").fetchall() == [(1,)]
    # Prepared (extended protocol) with parameters.
    assert conn.execute("SELECT v FROM lk_parse WHERE id = %s FOR UPDATE", [2]).fetchall() == [("b",)]
    # A locking subquery inside an UPDATE (the usual job-queue statement).
    conn.execute("UPDATE lk_parse SET v = 'z' WHERE id = (SELECT id FROM lk_parse ORDER BY id "
                 "LIMIT 1 FOR UPDATE SKIP LOCKED)")
    assert conn.execute("SELECT v FROM lk_parse WHERE id = 1").fetchone() == ("z",)
    # Text that merely contains the words is left alone.
    assert conn.execute("SELECT 'FOR UPDATE' AS t").fetchone() == ("FOR UPDATE",)


def test_nowait_fails_with_55P03(server):
    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_nowait")
        c.execute("CREATE TABLE lk_nowait (id INT PRIMARY KEY)")
        c.execute("INSERT INTO lk_nowait VALUES (1)")
    a = connect(server, autocommit=False)
    b = connect(server, autocommit=False)
    try:
        a.execute("SELECT * FROM lk_nowait WHERE id = 1 FOR UPDATE")
        with pytest.raises(psycopg.errors.LockNotAvailable) as err:
            b.execute("SELECT * FROM lk_nowait WHERE id = 1 FOR UPDATE NOWAIT")
        assert 'could not obtain lock on row in relation "lk_nowait"' in str(err.value)
        b.rollback()
        a.commit()
        # Free again: NOWAIT succeeds.
        assert b.execute("SELECT id FROM lk_nowait FOR UPDATE NOWAIT").fetchall() == [(1,)]
        b.commit()
    finally:
        a.close()
        b.close()


def test_for_update_blocks_until_commit_and_sees_the_update(server):
    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_block")
        c.execute("CREATE TABLE lk_block (id INT PRIMARY KEY, n INT)")
        c.execute("INSERT INTO lk_block VALUES (1, 0)")
    a = connect(server, autocommit=False)
    b = connect(server, autocommit=False)
    try:
        assert a.execute("SELECT n FROM lk_block WHERE id = 1 FOR UPDATE").fetchone() == (0,)
        box = {}

        def second():
            box["n"] = b.execute("SELECT n FROM lk_block WHERE id = 1 FOR UPDATE").fetchone()[0]
            box["at"] = time.monotonic()

        t = threading.Thread(target=second, daemon=True)
        t.start()
        time.sleep(0.5)
        assert t.is_alive(), "the second FOR UPDATE did not wait for the first transaction"
        a.execute("UPDATE lk_block SET n = n + 1 WHERE id = 1")
        committed = time.monotonic()
        a.commit()
        t.join(BOUND)
        assert not t.is_alive()
        assert box["n"] == 1  # sees the first transaction's committed update
        assert box["at"] >= committed
        b.commit()
    finally:
        a.close()
        b.close()


def test_lock_timeout_bounds_a_row_lock_wait(server):
    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_timeout")
        c.execute("CREATE TABLE lk_timeout (id INT PRIMARY KEY)")
        c.execute("INSERT INTO lk_timeout VALUES (1)")
    a = connect(server, autocommit=False)
    b = connect(server, autocommit=False)
    try:
        a.execute("SELECT * FROM lk_timeout FOR UPDATE")
        b.execute("SET lock_timeout = '300ms'")
        start = time.monotonic()
        with pytest.raises(psycopg.errors.LockNotAvailable) as err:
            b.execute("SELECT * FROM lk_timeout FOR UPDATE")
        elapsed = time.monotonic() - start
        assert "canceling statement due to lock timeout" in str(err.value)
        assert 0.25 <= elapsed < 10
        b.rollback()
    finally:
        a.close()
        b.close()


def test_read_only_role_may_not_lock_rows(server):
    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_priv")
        c.execute("CREATE TABLE lk_priv (id INT)")
    server.psql("DROP ROLE IF EXISTS lk_reader")
    server.psql("CREATE ROLE lk_reader LOGIN", check=True)
    with psycopg.connect(server.dsn(user="lk_reader"), autocommit=True) as r:
        assert r.execute("SELECT count(*) FROM lk_priv").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            r.execute("SELECT * FROM lk_priv FOR UPDATE")
        # Advisory locks, notifications and pg_locks are for every role, as in PostgreSQL.
        assert r.execute("SELECT pg_try_advisory_lock(1234)").fetchone() == (True,)
        assert r.execute("SELECT count(*) FROM pg_locks WHERE objid = 1234").fetchone() == (1,)
        r.execute("SELECT pg_advisory_unlock_all(), pg_notify('c', 'x')")
        r.execute("LISTEN c")
        assert r.execute("SELECT * FROM pg_listening_channels()").fetchall() == [("c",)]


def test_skip_locked_job_queue_8_workers_10000_jobs(server):
    """Each job is done exactly once, by a queue of 8 workers taking jobs with SKIP LOCKED."""
    jobs = 10_000
    workers = 8
    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_jobs")
        c.execute("CREATE TABLE lk_jobs (id INT PRIMARY KEY, done_by INT, times INT NOT NULL)")
        c.execute("INSERT INTO lk_jobs SELECT i, NULL, 0 FROM range(1, %s) t(i)" % (jobs + 1))
    done = [[] for _ in range(workers)]
    errors = []

    def worker(w):
        try:
            with connect(server, autocommit=False) as c:
                while True:
                    row = c.execute(
                        "SELECT id FROM lk_jobs WHERE done_by IS NULL ORDER BY id LIMIT 1 "
                        "FOR UPDATE SKIP LOCKED").fetchone()
                    if row is None:
                        c.commit()
                        return
                    c.execute("UPDATE lk_jobs SET done_by = %s, times = times + 1 WHERE id = %s",
                              [w, row[0]])
                    c.commit()
                    done[w].append(row[0])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    start = time.monotonic()
    threads = [threading.Thread(target=worker, args=(w,), daemon=True) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    elapsed = time.monotonic() - start
    assert not errors, errors
    assert not any(t.is_alive() for t in threads)
    taken = [j for d in done for j in d]
    assert len(taken) == jobs
    assert len(set(taken)) == jobs  # no job handed to two workers
    with connect(server) as c:
        assert c.execute("SELECT count(*), min(times), max(times) FROM lk_jobs").fetchone() == \
            (jobs, 1, 1)
        assert c.execute("SELECT count(*) FROM lk_jobs WHERE done_by IS NULL").fetchone() == (0,)
    per_worker = sorted(len(d) for d in done)
    print(f"\njob queue: {jobs} jobs, {workers} workers, {elapsed:.1f}s, "
          f"{jobs / elapsed:.0f} jobs/s, per worker {per_worker}")


# --- advisory locks ------------------------------------------------------------------------------

def locks_of(c, pid):
    return c.execute(
        "SELECT locktype, classid, objid, objsubid, mode, granted FROM pg_locks "
        "WHERE pid = %s AND locktype = 'advisory' ORDER BY objsubid, classid, objid, mode", [pid]).fetchall()


def test_advisory_locks_basic_and_pg_locks(server):
    with connect(server) as a, connect(server) as b:
        apid = a.execute("SELECT pg_backend_pid()").fetchone()[0]
        a.execute("SELECT pg_advisory_lock(42)")
        a.execute("SELECT pg_advisory_lock(42)")  # reentrant: counted
        assert b.execute("SELECT pg_try_advisory_lock(42)").fetchone() == (False,)
        assert b.execute("SELECT pg_try_advisory_lock(43)").fetchone() == (True,)
        a.execute("SELECT pg_advisory_lock(1, 2)")
        a.execute("SELECT pg_advisory_lock_shared(%s)", [(5 << 32) | 7])
        assert locks_of(b, apid) == [
            ("advisory", 0, 42, 1, "ExclusiveLock", True),
            ("advisory", 5, 7, 1, "ShareLock", True),
            ("advisory", 1, 2, 2, "ExclusiveLock", True),
        ]
        # Shared locks share; an exclusive request does not get in.
        assert b.execute("SELECT pg_try_advisory_lock_shared(%s)", [(5 << 32) | 7]).fetchone() == (True,)
        assert b.execute("SELECT pg_try_advisory_lock(%s)", [(5 << 32) | 7]).fetchone() == (False,)
        assert a.execute("SELECT pg_advisory_unlock(42)").fetchone() == (True,)
        assert b.execute("SELECT pg_try_advisory_lock(42)").fetchone() == (False,)  # still once
        assert a.execute("SELECT pg_advisory_unlock(42)").fetchone() == (True,)
        assert a.execute("SELECT pg_advisory_unlock(42)").fetchone() == (False,)
        assert b.execute("SELECT pg_try_advisory_lock(42)").fetchone() == (True,)
        a.execute("SELECT pg_advisory_unlock_all()")
        assert locks_of(b, apid) == []
        b.execute("SELECT pg_advisory_unlock_all()")


def test_xact_locks_end_with_the_transaction(server):
    a = connect(server, autocommit=False)
    try:
        with connect(server) as b:
            a.execute("SELECT pg_advisory_xact_lock(77)")
            assert a.execute("SELECT pg_try_advisory_xact_lock(78)").fetchone() == (True,)
            assert b.execute("SELECT pg_try_advisory_lock(77)").fetchone() == (False,)
            assert b.execute("SELECT pg_try_advisory_lock(78)").fetchone() == (False,)
            a.commit()
            assert b.execute("SELECT pg_try_advisory_lock(77)").fetchone() == (True,)
            b.execute("SELECT pg_advisory_unlock(77)")
            a.execute("SELECT pg_advisory_xact_lock(79)")
            a.rollback()
            assert b.execute("SELECT pg_try_advisory_lock(79)").fetchone() == (True,)
            b.execute("SELECT pg_advisory_unlock_all()")
            # Outside a block an xact lock lasts for its statement only.
            a.autocommit = True
            a.execute("SELECT pg_advisory_xact_lock(80)")
            assert b.execute("SELECT pg_try_advisory_lock(80)").fetchone() == (True,)
    finally:
        a.close()


def test_session_end_releases_advisory_locks(server):
    with connect(server) as b:
        a = connect(server)
        a.execute("SELECT pg_advisory_lock(500)")
        assert b.execute("SELECT pg_try_advisory_lock(500)").fetchone() == (False,)
        a.close()
        deadline = time.monotonic() + 10
        while b.execute("SELECT pg_try_advisory_lock(500)").fetchone() != (True,):
            assert time.monotonic() < deadline, "the lock outlived its session"
            time.sleep(0.05)
        b.execute("SELECT pg_advisory_unlock_all()")


def test_blocking_advisory_lock_waits_and_lock_timeout(server):
    with connect(server) as a, connect(server) as b:
        a.execute("SELECT pg_advisory_lock(600)")
        box = {}

        def wait():
            box["t0"] = time.monotonic()
            b.execute("SELECT pg_advisory_lock(600)")
            box["t1"] = time.monotonic()

        t = threading.Thread(target=wait, daemon=True)
        t.start()
        time.sleep(0.4)
        assert t.is_alive()
        # The wait shows in pg_locks as not granted.
        bpid = b.info.backend_pid
        assert ("advisory", 0, 600, 1, "ExclusiveLock", False) in locks_of(a, bpid)
        assert a.execute("SELECT wait_event_type, wait_event FROM pg_stat_activity "
                         "WHERE pid = %s", [bpid]).fetchone() == ("Lock", "advisory")
        a.execute("SELECT pg_advisory_unlock(600)")
        t.join(BOUND)
        assert not t.is_alive() and "t1" in box
        # lock_timeout
        a.execute("SELECT pg_advisory_lock(601)")
        b.execute("SET lock_timeout = 200")
        start = time.monotonic()
        with pytest.raises(psycopg.errors.LockNotAvailable) as err:
            b.execute("SELECT pg_advisory_lock(601)")
        assert "canceling statement due to lock timeout" in str(err.value)
        assert time.monotonic() - start < 10
        b.execute("RESET lock_timeout")
        a.execute("SELECT pg_advisory_unlock_all()")
        b.execute("SELECT pg_advisory_unlock_all()")


def test_cancel_a_waiting_advisory_lock(server):
    with connect(server) as a, connect(server) as b, connect(server) as admin:
        a.execute("SELECT pg_advisory_lock(700)")
        box = {}

        def wait():
            try:
                b.execute("SELECT pg_advisory_lock(700)")
                box["result"] = "locked"
            except psycopg.Error as e:
                box["result"] = e

        t = threading.Thread(target=wait, daemon=True)
        t.start()
        time.sleep(0.4)
        assert admin.execute("SELECT pg_cancel_backend(%s)", [b.info.backend_pid]).fetchone() == (True,)
        t.join(BOUND)
        assert not t.is_alive()
        assert isinstance(box["result"], psycopg.errors.QueryCanceled), box
        # The session goes on, and the lock is still a's.
        assert b.execute("SELECT pg_try_advisory_lock(700)").fetchone() == (False,)
        a.execute("SELECT pg_advisory_unlock_all()")


def test_many_waiters_never_wedge_the_server(server):
    """Each advisory wait holds a worker thread: more waiters than the server has workers must
    leave the holder a thread for its unlock. Waits beyond the bound fail at once with 55P03."""
    waiters = 20  # more than --worker-threads (16 by default)
    holder = connect(server)
    holder.execute("SELECT pg_advisory_lock(900)")
    conns = [connect(server) for _ in range(waiters)]
    outcomes = []

    def wait(c):
        try:
            c.execute("SELECT pg_advisory_lock(900)")
            outcomes.append("locked")
            c.execute("SELECT pg_advisory_unlock(900)")
        except psycopg.errors.LockNotAvailable:
            outcomes.append("refused")

    threads = [threading.Thread(target=wait, args=(c,), daemon=True) for c in conns]
    try:
        for t in threads:
            t.start()
        time.sleep(1.0)
        with connect(server) as other:  # the server still answers
            assert other.execute("SELECT 41 + 1").fetchone() == (42,)
        assert holder.execute("SELECT pg_advisory_unlock(900)").fetchone() == (True,)
        for t in threads:
            t.join(BOUND)
        assert not any(t.is_alive() for t in threads)
        assert len(outcomes) == waiters
        assert 1 <= outcomes.count("locked") and outcomes.count("refused") >= waiters - 8
    finally:
        holder.close()
        for c in conns:
            c.close()


def run_deadlock(server, first_a, first_b, then_a, then_b):
    """Two sessions in blocks; each takes its first lock, then asks for the other's. Returns the
    outcome of each session's second step."""
    a = connect(server, autocommit=False)
    b = connect(server, autocommit=False)
    results = {}
    try:
        a.execute(first_a)
        b.execute(first_b)
        barrier = threading.Barrier(2)

        def step(name, c, sql):
            barrier.wait()
            if name == "b":
                time.sleep(0.2)  # a asks first
            try:
                c.execute(sql)
                results[name] = "ok"
            except psycopg.Error as e:
                results[name] = e
                c.rollback()  # the victim's transaction ends: the other proceeds
                return
            c.commit()

        threads = [threading.Thread(target=step, args=("a", a, then_a), daemon=True),
                   threading.Thread(target=step, args=("b", b, then_b), daemon=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(BOUND)
        assert not any(t.is_alive() for t in threads), "deadlock not detected"
    finally:
        a.close()
        b.close()
    return results


def test_deadlock_between_two_advisory_locks(server):
    results = run_deadlock(server, "SELECT pg_advisory_xact_lock(801)",
                           "SELECT pg_advisory_xact_lock(802)",
                           "SELECT pg_advisory_xact_lock(802)",
                           "SELECT pg_advisory_xact_lock(801)")
    outcomes = sorted(type(v).__name__ if isinstance(v, Exception) else v for v in results.values())
    assert outcomes == ["DeadlockDetected", "ok"], results
    victim = next(v for v in results.values() if isinstance(v, Exception))
    assert sqlstate(victim) == "40P01"
    assert "deadlock detected" in str(victim)


def test_deadlock_between_writer_turn_and_advisory_lock(server):
    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_dead")
        c.execute("CREATE TABLE lk_dead (id INT PRIMARY KEY, n INT)")
        c.execute("INSERT INTO lk_dead VALUES (1, 0)")
    # a holds the writer turn (it wrote) and asks for b's advisory lock; b holds the advisory
    # lock and asks to write.
    results = run_deadlock(server, "UPDATE lk_dead SET n = n + 1 WHERE id = 1",
                           "SELECT pg_advisory_xact_lock(803)",
                           "SELECT pg_advisory_xact_lock(803)",
                           "UPDATE lk_dead SET n = n + 10 WHERE id = 1")
    outcomes = sorted(type(v).__name__ if isinstance(v, Exception) else v for v in results.values())
    assert outcomes == ["DeadlockDetected", "ok"], results
    with connect(server) as c:
        n = c.execute("SELECT n FROM lk_dead WHERE id = 1").fetchone()[0]
    assert n in (1, 10)  # exactly one of the two transactions committed


def test_django_select_for_update(server):
    """Django's select_for_update (skip_locked, nowait) on augur, if Django is installed."""
    pytest.importorskip("django")
    pytest.importorskip("psycopg2")
    configure_django(server.host, server.port)
    from django.db import DatabaseError, connections, models, transaction

    class Job(models.Model):
        done = models.BooleanField(default=False)

        class Meta:
            app_label = "lk_django"
            db_table = "lk_django_job"

    with connect(server) as c:
        c.execute("DROP TABLE IF EXISTS lk_django_job")
        c.execute("CREATE TABLE lk_django_job (id INT PRIMARY KEY, done BOOLEAN NOT NULL)")
        c.execute("INSERT INTO lk_django_job SELECT i, false FROM range(1, 201) t(i)")

    taken = []
    errors = []

    def worker():
        try:
            while True:
                with transaction.atomic():
                    job = (Job.objects.select_for_update(skip_locked=True)
                           .filter(done=False).order_by("id").first())
                    if job is None:
                        break
                    job.done = True
                    job.save(update_fields=["done"])
                    taken.append(job.id)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BOUND * 2)
    assert not errors, errors
    assert sorted(taken) == list(range(1, 201))

    # nowait=True against a transaction that holds the lock: DatabaseError (55P03).
    holder = connect(server, autocommit=False)
    try:
        holder.execute("SELECT * FROM lk_django_job WHERE id = 1 FOR UPDATE")
        with pytest.raises(DatabaseError, match="could not obtain lock"):
            with transaction.atomic():
                list(Job.objects.select_for_update(nowait=True).filter(id=1))
    finally:
        holder.close()
        connections.close_all()
