"""Crash durability with group commit (issue 21): the server is killed with SIGKILL at random
moments while several sessions write and read; after every restart, every commit a client was
told about is there, no transaction is there by halves, and no row a client read has vanished.

SIGKILL alone would not show a missing fsync: the kernel keeps what a killed process wrote. The
server therefore runs with AUGUR_CRASH_TEST_HOLD_UNSYNCED_WAL=1, which holds WAL writes in the
process until their fsync (src/engine/durability/group_commit_file_system.h), so a kill loses
exactly what a power failure would. Acknowledging a commit before its fsync makes this test fail.

AUGUR_CRASH_ROUNDS sets the number of rounds (20 here; scripts/crash_rounds.sh runs 200)."""

import os
import random
import threading
import time

import psycopg
import pytest

from augur_server import AugurServer

ROUNDS = int(os.environ.get("AUGUR_CRASH_ROUNDS", "20"))
WRITERS = 4
HOLD_ENV = {"AUGUR_CRASH_TEST_HOLD_UNSYNCED_WAL": "1"}


class Recorder:
    """What clients were told, across all rounds."""

    def __init__(self):
        self.lock = threading.Lock()
        self.acked_blocks = set()  # (writer, seq): a BEGIN..COMMIT block whose COMMIT answered
        self.acked_singles = set()  # (writer, seq): an autocommit INSERT that answered
        self.seen_rows = set()  # (writer, seq, part): a row some session read
        self.seen_counters = {}  # writer -> highest counter value some session read

    def add(self, kind, item):
        with self.lock:
            getattr(self, kind).add(item)

    def saw_counter(self, writer, value):
        with self.lock:
            self.seen_counters[writer] = max(self.seen_counters.get(writer, -1), value)


def writer_loop(dsn, writer, first_seq, recorder, stop, ready):
    """Alternates two-statement blocks (two rows and a counter update, all or nothing) with
    single-row autocommit INSERTs; records each commit once its answer has arrived."""
    rng = random.Random(writer * 7919 + first_seq)
    seq = first_seq
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
            while not stop.is_set():
                seq += 1
                if rng.random() < 0.5:
                    with conn.transaction():
                        conn.execute("INSERT INTO ev VALUES (%s, %s, 1)", (writer, seq))
                        conn.execute("INSERT INTO ev VALUES (%s, %s, 2)", (writer, seq))
                        conn.execute("UPDATE counters SET n = %s WHERE w = %s", (seq, writer))
                    recorder.add("acked_blocks", (writer, seq))
                else:
                    conn.execute("INSERT INTO ev VALUES (%s, %s, 0)", (writer, seq))
                    recorder.add("acked_singles", (writer, seq))
                if seq == first_seq + 1:
                    ready.release()  # this writer is past the slow first statements
    except psycopg.Error:
        pass  # the server was killed: whatever had no answer is in doubt


def reader_loop(dsn, recorder, stop):
    """Reads the newest rows and counters other sessions committed, as a client would."""
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
            while not stop.is_set():
                for w, seq, part in conn.execute(
                        "SELECT w, seq, part FROM ev WHERE (w, seq) IN "
                        "(SELECT w, max(seq) FROM ev GROUP BY w)").fetchall():
                    recorder.add("seen_rows", (w, seq, part))
                for w, n in conn.execute("SELECT w, n FROM counters").fetchall():
                    recorder.saw_counter(w, n)
    except psycopg.Error:
        pass


def verify(dsn, recorder, round_no):
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as conn:
        rows = set(conn.execute("SELECT w, seq, part FROM ev").fetchall())
        counters = dict(conn.execute("SELECT w, n FROM counters").fetchall())
    blocks = {}
    for w, seq, part in rows:
        if part in (1, 2):
            blocks.setdefault((w, seq), set()).add(part)
    where = f"after crash round {round_no}"
    missing = [b for b in recorder.acked_blocks if blocks.get(b) != {1, 2}]
    assert not missing, f"{where}: acknowledged blocks lost: {sorted(missing)[:10]}"
    lost = [s for s in recorder.acked_singles if (s[0], s[1], 0) not in rows]
    assert not lost, f"{where}: acknowledged autocommit inserts lost: {sorted(lost)[:10]}"
    halves = {b: parts for b, parts in blocks.items() if parts != {1, 2}}
    assert not halves, f"{where}: half transactions visible: {halves}"
    vanished = recorder.seen_rows - rows
    assert not vanished, f"{where}: rows clients read have vanished: {sorted(vanished)[:10]}"
    for w in range(WRITERS):
        # The counter moves in the same transaction as the block's rows: it names the newest
        # block present, and never goes below what a client read.
        newest = max((seq for (bw, seq) in blocks if bw == w), default=0)
        assert counters[w] == newest, f"{where}: writer {w} counter {counters[w]} != {newest}"
        assert counters[w] >= recorder.seen_counters.get(w, 0), \
            f"{where}: writer {w} counter went back below a value a client read"
    return len(rows)


def test_acknowledged_commits_survive_sigkill(tmp_path):
    server = AugurServer(tmp_path / "data", env=HOLD_ENV).start()
    try:
        with psycopg.connect(server.dsn(), autocommit=True) as conn:
            conn.execute("CREATE TABLE ev (w int, seq int, part int)")
            conn.execute("CREATE TABLE counters (w int, n int)")
            for w in range(WRITERS):
                conn.execute("INSERT INTO counters VALUES (%s, 0)", (w,))
        recorder = Recorder()
        rng = random.Random(int(os.environ.get("AUGUR_CRASH_SEED", str(time.time_ns()))))
        total_rows = 0
        for round_no in range(1, ROUNDS + 1):
            stop = threading.Event()
            ready = threading.Semaphore(0)
            threads = [threading.Thread(target=writer_loop,
                                        args=(server.dsn(), w, round_no * 1_000_000, recorder,
                                              stop, ready))
                       for w in range(WRITERS)]
            threads += [threading.Thread(target=reader_loop, args=(server.dsn(), recorder, stop))
                        for _ in range(2)]
            for t in threads:
                t.start()
            for _ in range(WRITERS):  # the kill comes while every writer is writing
                assert ready.acquire(timeout=30), "a writer could not commit"
            time.sleep(rng.uniform(0.02, 0.5))
            server.kill9()  # at a random moment: mid-statement, mid-commit, mid-fsync
            stop.set()
            for t in threads:
                t.join(30)
                assert not t.is_alive(), "a client did not notice the killed server"
            server.start()
            total_rows = verify(server.dsn(), recorder, round_no)
            print(f"round {round_no}: verified, {total_rows} rows", flush=True)  # shown with -s
        print(f"{ROUNDS} rounds: {len(recorder.acked_blocks)} blocks and "
              f"{len(recorder.acked_singles)} autocommit inserts acknowledged, "
              f"{len(recorder.seen_rows)} rows read, {total_rows} rows at the end")
        # The rounds did real work: many commits were acknowledged and checked.
        assert len(recorder.acked_blocks) + len(recorder.acked_singles) >= ROUNDS
        assert total_rows >= len(recorder.acked_singles) + 2 * len(recorder.acked_blocks)
    finally:
        if server.alive():
            server.stop()
