"""LISTEN / NOTIFY / UNLISTEN and pg_notify() (issue 18).

Notifications are queued in the notifying transaction and delivered at its commit (dropped at
rollback), in order, once per distinct channel and payload, to every listening session, as
NotificationResponse messages: after a statement, and at once to a client that sits idle
(psycopg's notifies() and asyncpg's add_listener wait idle). See src/engine/notifications.h.
"""

import asyncio
import queue
import threading
import time

import psycopg
import pytest

BOUND = 30


def connect(server, autocommit=True):
    return psycopg.connect(server.dsn(), autocommit=autocommit, connect_timeout=BOUND)


class Inbox:
    """The notifications a psycopg connection receives: those that arrive with a statement's reply
    (notify handlers), and, after wait_idle(), those that arrive while the connection sits idle
    in notifies() on a thread of its own (the connection may not run statements then)."""

    def __init__(self, conn):
        self.conn = conn
        self.q = queue.Queue()
        conn.add_notify_handler(self.q.put)

    def wait_idle(self):
        def run():
            try:
                for n in self.conn.notifies():
                    self.q.put(n)
            except Exception:  # noqa: BLE001 - the connection was closed
                pass

        threading.Thread(target=run, daemon=True).start()
        time.sleep(0.2)  # inside notifies() by now

    def get(self, count, timeout=BOUND):
        """Up to `count` notifications as (channel, payload, pid), waiting at most `timeout`."""
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                n = self.q.get(timeout=remaining)
            except queue.Empty:
                break
            out.append((n.channel, n.payload, n.pid))
        return out

    def poll(self, count, timeout=BOUND):
        """Runs statements on the connection until `count` notifications came with replies."""
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count and time.monotonic() < deadline:
            self.conn.execute("SELECT 1")
            out += self.get(count - len(out), timeout=0.05)
        return out


def test_command_tags(conn):
    cur = conn.cursor()
    cur.execute("LISTEN tag_channel")
    assert cur.statusmessage == "LISTEN"
    cur.execute("NOTIFY tag_channel, 'x'")
    assert cur.statusmessage == "NOTIFY"
    cur.execute("UNLISTEN tag_channel")
    assert cur.statusmessage == "UNLISTEN"
    cur.execute("UNLISTEN *")
    assert cur.statusmessage == "UNLISTEN"


def test_idle_listener_receives_committed_notify(server):
    listener = connect(server)
    with connect(server) as sender:
        listener.execute("LISTEN jobs")
        inbox = Inbox(listener)
        inbox.wait_idle()  # the listener is idle, waiting inside notifies()
        sender.execute("NOTIFY jobs, 'job 1 ready'")
        assert inbox.get(1) == [("jobs", "job 1 ready", sender.info.backend_pid)]
        sender.execute("SELECT pg_notify('jobs', 'job 2 ready')")
        assert inbox.get(1) == [("jobs", "job 2 ready", sender.info.backend_pid)]
    listener.close()


def test_delivered_at_commit_dropped_at_rollback_in_order(server):
    listener = connect(server)
    with connect(server, autocommit=False) as sender:
        listener.execute("LISTEN orders")
        inbox = Inbox(listener)
        inbox.wait_idle()
        sender.execute("NOTIFY orders, 'rolled back'")
        sender.rollback()
        sender.execute("NOTIFY orders, 'one'")
        sender.execute("SELECT pg_notify('orders', 'two')")
        sender.execute("NOTIFY orders, 'one'")  # a duplicate in one transaction: sent once
        sender.execute("NOTIFY orders, 'three'")
        assert inbox.get(1, timeout=0.5) == []  # nothing before the commit
        sender.commit()
        got = inbox.get(3)
        assert [p for _, p, _ in got] == ["one", "two", "three"]
        assert inbox.get(1, timeout=0.3) == []
    listener.close()


def test_pg_notify_and_channels(server):
    with connect(server) as listener, connect(server) as sender:
        listener.execute('LISTEN "Mixed Case"')
        listener.execute("LISTEN plain")
        assert sorted(r[0] for r in listener.execute(
            "SELECT * FROM pg_listening_channels()").fetchall()) == ["Mixed Case", "plain"]
        inbox = Inbox(listener)
        sender.execute("SELECT pg_notify('Mixed Case', 'a')")
        sender.execute("NOTIFY PLAIN")  # folded to lower case, empty payload
        got = inbox.poll(2)
        assert [(c, p) for c, p, _ in got] == [("Mixed Case", "a"), ("plain", "")]
        listener.execute("UNLISTEN plain")
        sender.execute("NOTIFY plain, 'not heard'")
        sender.execute("NOTIFY \"Mixed Case\", 'heard'")
        assert [(c, p) for c, p, _ in inbox.poll(1)] == [("Mixed Case", "heard")]
        assert inbox.poll(1, timeout=0.3) == []


def test_notification_after_a_statement_of_the_listener(server):
    """A listener that is busy gets the notification with its next statement's reply."""
    with connect(server) as listener, connect(server) as sender:
        listener.execute("LISTEN busy")
        inbox = Inbox(listener)
        sender.execute("NOTIFY busy, 'p'")
        assert [p for _, p, _ in inbox.poll(1)] == ["p"]


def test_listen_in_block_takes_effect_at_commit(server):
    with connect(server, autocommit=False) as listener, connect(server) as sender:
        listener.execute("LISTEN later")
        listener.rollback()  # never listened
        sender.execute("NOTIFY later, 'lost'")
        listener.execute("LISTEN later")
        inbox = Inbox(listener)
        assert inbox.poll(1, timeout=0.3) == []  # polled inside the block: not listening yet
        listener.commit()
        sender.execute("NOTIFY later, 'kept'")
        listener.autocommit = True
        assert [p for _, p, _ in inbox.poll(1)] == ["kept"]


def test_payload_and_channel_limits(conn):
    with pytest.raises(psycopg.errors.InvalidParameterValue) as err:
        conn.execute("SELECT pg_notify('c', %s)", ["x" * 8000])
    assert "payload string too long" in str(err.value)
    conn.execute("SELECT pg_notify('c', %s)", ["x" * 7999])
    with pytest.raises(psycopg.errors.InvalidParameterValue) as err:
        conn.execute("NOTIFY c, '" + "y" * 9000 + "'")
    assert "payload string too long" in str(err.value)
    with pytest.raises(psycopg.errors.InvalidParameterValue) as err:
        conn.execute("SELECT pg_notify('', 'x')")
    assert "channel name cannot be empty" in str(err.value)
    with pytest.raises(psycopg.errors.InvalidParameterValue) as err:
        conn.execute("SELECT pg_notify(%s, 'x')", ["c" * 10_000])
    assert "channel name too long" in str(err.value)


def test_ten_kilobyte_channel_name_is_truncated_like_postgres(server):
    with connect(server) as listener, connect(server) as sender:
        long_name = "k" * 10_000
        listener.execute(f"LISTEN {long_name}")
        assert listener.execute("SELECT * FROM pg_listening_channels()").fetchall() == [("k" * 63,)]
        inbox = Inbox(listener)
        sender.execute(f"NOTIFY {long_name}, 'long'")
        assert [(c, p) for c, p, _ in inbox.poll(1)] == [("k" * 63, "long")]


def test_many_listeners(server):
    listeners = [connect(server) for _ in range(20)]
    try:
        inboxes = []
        for c in listeners:
            c.execute("LISTEN fanout")
            inboxes.append(Inbox(c))
            inboxes[-1].wait_idle()
        with connect(server) as sender:
            for i in range(50):
                sender.execute("NOTIFY fanout, '%d'" % i)
        for inbox in inboxes:
            assert [p for _, p, _ in inbox.get(50)] == [str(i) for i in range(50)]
    finally:
        for c in listeners:
            c.close()


def test_notify_flood_is_bounded(server):
    """A listener that never reads stops being fed at a bound: the NOTIFY fails with 54000 (as
    PostgreSQL's does when its queue is full) instead of the server growing without limit."""
    with connect(server) as listener, connect(server) as sender:
        listener.execute("LISTEN flood")
        inbox = Inbox(listener)
        failed = None
        sent = 0
        # Big payloads reach the 64 MiB bound after ~8,400 notifications.
        payload = "z" * 7900
        with sender.cursor() as cur:
            for i in range(20_000):
                try:
                    cur.execute("SELECT pg_notify('flood', %s || %s::VARCHAR)", [payload, i])
                except psycopg.errors.ProgramLimitExceeded as e:
                    failed = e
                    break
                sent += 1
        assert failed is not None, "the pending queue was not bounded"
        assert "too many notifications in the NOTIFY queue" in str(failed)
        # Draining the listener makes room again.
        got = inbox.poll(sent, timeout=120)
        assert len(got) == sent
        assert [p for _, p, _ in got[:2]] == [payload + "0", payload + "1"]
        sender.execute("NOTIFY flood, 'after'")
        assert [p for _, p, _ in inbox.poll(1)] == ["after"]


def test_listen_on_too_many_channels_is_bounded(server):
    with connect(server) as c:
        with c.cursor() as cur:
            failed = None
            for i in range(100_000):
                try:
                    cur.execute(f"LISTEN ch_{i}")
                except psycopg.errors.ProgramLimitExceeded as e:
                    failed = (i, e)
                    break
        assert failed is not None and failed[0] == 10_000
        assert c.execute("SELECT count(*) FROM pg_listening_channels()").fetchone() == (10_000,)
        c.execute("UNLISTEN *")
        assert c.execute("SELECT count(*) FROM pg_listening_channels()").fetchone() == (0,)


def test_asyncpg_add_listener(server):
    asyncpg = pytest.importorskip("asyncpg")

    async def main():
        conn = await asyncpg.connect(host=server.host, port=server.port, user="augur",
                                     database="augur")
        got = asyncio.Queue()
        await conn.add_listener("apg", lambda c, pid, ch, payload: got.put_nowait((ch, payload)))
        sender = await asyncpg.connect(host=server.host, port=server.port, user="augur",
                                       database="augur")
        await sender.execute("NOTIFY apg, 'hello'")
        await sender.execute("SELECT pg_notify('apg', 'world')")
        first = await asyncio.wait_for(got.get(), BOUND)
        second = await asyncio.wait_for(got.get(), BOUND)
        await sender.close()
        await conn.close()
        return [first, second]

    assert asyncio.run(main()) == [("apg", "hello"), ("apg", "world")]
