#!/usr/bin/python3
"""Load test for the writer turn and for shutdown under load (issue 16, item 5). Run by hand:

    AUGUR_BIN=build/augur /usr/bin/python3 bench/load_test.py [--seconds 60] [--clients 500]

Starts its own server (default settings, except --max-connections 700 so that 500 PostgreSQL
clients and the test's own sessions fit) on a temporary data directory, then:

1. Runs for --seconds: --clients psycopg clients (asyncio, one connection each) loop over
   BEGIN; UPDATE hot SET v = v + 1 WHERE id = 1; COMMIT on one hot row, while --http-clients
   threads POST /api/query reads (Content-Type: application/json) over keep-alive connections.
   Prints transactions committed and failed, the longest stall (the longest time in which no
   transaction committed), the longest transaction, HTTP requests and errors, and checks that
   the hot row equals the number of commits.
2. Starts the same load again and sends SIGTERM at a random moment of a --sigterm-run second run;
   prints how long the server took to exit and its exit code, then restarts it on the same data
   and checks that every acknowledged commit survived.

Goals: no stall longer than the longest transaction, zero failed transactions, exit within 10 s
of SIGTERM. All traffic goes to 127.0.0.1; every loop is bounded in time.
"""

import argparse
import asyncio
import http.client
import json
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "integration"))
from augur_server import AugurServer  # noqa: E402

MAX_CONNECTIONS = 700
DRAIN_SECONDS = 60  # after the run: how long in-flight transactions may take to finish


class PgStats:
    def __init__(self):
        self.committed = 0
        self.failed = 0
        self.errors = {}  # sqlstate or exception name -> count
        self.commit_times = []
        self.longest_txn = 0.0
        self.total_txn = 0.0
        self.unfinished = 0
        self.stall = 0.0


async def pg_client(dsn, stats, stop_box, started):
    try:
        conn = await psycopg.AsyncConnection.connect(dsn, autocommit=True, connect_timeout=60)
    except Exception as e:  # noqa: BLE001 - a client that cannot log in counts as a failure
        stats.failed += 1
        stats.errors[type(e).__name__] = stats.errors.get(type(e).__name__, 0) + 1
        started.release()
        return
    started.release()
    cur = psycopg.AsyncClientCursor(conn)  # the simple query protocol, as psql and pgbench -M simple
    try:
        while time.monotonic() < stop_box["at"]:  # set once every client is connected
            t0 = time.monotonic()
            try:
                await cur.execute("BEGIN")
                await cur.execute("UPDATE hot SET v = v + 1 WHERE id = 1")
                await cur.execute("COMMIT")
            except psycopg.Error as e:
                if conn.closed:
                    stats.failed += 1
                    key = getattr(e, "sqlstate", None) or type(e).__name__
                    stats.errors[key] = stats.errors.get(key, 0) + 1
                    return
                stats.failed += 1
                key = getattr(e, "sqlstate", None) or type(e).__name__
                stats.errors[key] = stats.errors.get(key, 0) + 1
                try:
                    await cur.execute("ROLLBACK")
                except psycopg.Error:
                    return
                continue
            t1 = time.monotonic()
            stats.committed += 1
            stats.commit_times.append(t1)
            stats.longest_txn = max(stats.longest_txn, t1 - t0)
            stats.total_txn += t1 - t0
    finally:
        try:
            await conn.close()
        except Exception:  # noqa: BLE001 - the server may be gone
            pass


async def pg_load(dsn, clients, seconds, stats, ready=None):
    """Connects every client, then runs the loop until `seconds` after all are connected."""
    started = asyncio.Semaphore(0)
    stop_box = {"at": float("inf")}
    tasks = [asyncio.create_task(pg_client(dsn, stats, stop_box, started))
             for _ in range(clients)]
    for _ in range(clients):
        await started.acquire()
    begin = time.monotonic()
    stop_box["at"] = begin + seconds
    if ready:
        ready(begin)
    _, pending = await asyncio.wait(tasks, timeout=seconds + DRAIN_SECONDS)
    for t in pending:
        t.cancel()
    stats.unfinished = len(pending)
    return begin, begin + seconds


class HttpStats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = 0
        self.error_samples = []
        self.longest = 0.0


def http_client(host, port, stats, stop_at, stop_event):
    body = json.dumps({"sql": "SELECT id, v FROM hot WHERE id = $1", "params": [1]})
    headers = {"Content-Type": "application/json", "Cache-Control": "no-cache"}
    conn = None
    while time.monotonic() < stop_at() and not stop_event.is_set():
        t0 = time.monotonic()
        ok = False
        sample = None
        try:
            if conn is None:
                conn = http.client.HTTPConnection(host, port, timeout=60)
            conn.request("POST", "/api/query", body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status == 200:
                answer = json.loads(data)
                ok = "error" not in answer and answer.get("row_count") == 1
                if not ok:
                    sample = data[:200]
            else:
                sample = f"HTTP {response.status}: {data[:200]!r}"
        except (OSError, http.client.HTTPException, ValueError) as e:
            sample = repr(e)
            conn = None
        elapsed = time.monotonic() - t0
        with stats.lock:
            stats.requests += 1
            stats.longest = max(stats.longest, elapsed)
            if not ok:
                stats.errors += 1
                if len(stats.error_samples) < 5:
                    stats.error_samples.append(sample)
        if not ok and stop_event.is_set():
            break
    if conn is not None:
        conn.close()


def start_http(srv, clients, stop_at, stop_event, stats):
    threads = [threading.Thread(target=http_client,
                                args=(srv.host, srv.http_port, stats, stop_at, stop_event),
                                daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    return threads


def longest_stall(times, begin, end):
    points = [begin] + sorted(t for t in times if begin <= t <= end) + [end]
    return max(b - a for a, b in zip(points, points[1:]))


def hot_value(srv):
    """The hot row's value, or None when the server does not answer (a wedged server)."""
    try:
        with psycopg.connect(srv.dsn(), autocommit=True, connect_timeout=30) as c:
            return c.execute("SELECT v FROM hot WHERE id = 1").fetchone()[0]
    except psycopg.Error as e:
        print(f"  (could not read the hot row: {e})")
        return None


def setup(srv):
    with psycopg.connect(srv.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE hot(id INTEGER PRIMARY KEY, v BIGINT)")
        c.execute("INSERT INTO hot VALUES (1, 0)")


def run_load(srv, args):
    print(f"run 1: {args.clients} PostgreSQL clients (BEGIN; UPDATE hot; COMMIT) and "
          f"{args.http_clients} HTTP clients (POST /api/query reads) for {args.seconds} s",
          flush=True)
    stats = PgStats()
    http_stats = HttpStats()
    stop_event = threading.Event()
    window = {"end": float("inf")}
    http_threads = []

    def ready(begin):
        window["end"] = begin + args.seconds
        http_threads.extend(start_http(srv, args.http_clients, lambda: window["end"],
                                       stop_event, http_stats))

    connect_started = time.monotonic()
    begin, end = asyncio.run(pg_load(srv.dsn(), args.clients, args.seconds, stats, ready))
    stop_event.set()
    for t in http_threads:
        t.join(DRAIN_SECONDS)
    value = hot_value(srv)
    seconds = end - begin
    stats.stall = longest_stall(stats.commit_times, begin, end)
    print(f"  clients connected in {begin - connect_started:.1f} s")
    print(f"  transactions committed: {stats.committed} ({stats.committed / seconds:.0f} tps)")
    print(f"  transactions failed:    {stats.failed} {stats.errors if stats.errors else ''}")
    print(f"  unfinished after {DRAIN_SECONDS} s drain: {stats.unfinished}")
    print(f"  longest stall (no commit): {stats.stall:.3f} s")
    print(f"  longest transaction:       {stats.longest_txn:.3f} s "
          f"(mean {stats.total_txn / max(1, stats.committed):.3f} s)")
    print(f"  HTTP requests: {http_stats.requests} ({http_stats.requests / seconds:.0f}/s), "
          f"errors: {http_stats.errors}, longest: {http_stats.longest:.3f} s")
    for sample in http_stats.error_samples:
        print(f"    e.g. {sample}")
    print(f"  hot row: {value} (commits acknowledged: {stats.committed}) "
          f"{'consistent' if value == stats.committed else 'MISMATCH'}", flush=True)
    return stats, value


def run_sigterm(srv, args, base_value):
    delay = random.uniform(1.0, max(1.5, args.sigterm_run - 1.0))
    print(f"run 2: the same load; SIGTERM {delay:.1f} s after the clients are connected",
          flush=True)
    stats = PgStats()
    http_stats = HttpStats()
    stop_event = threading.Event()
    window = {"end": float("inf")}
    http_threads = []
    result = {}

    def ready(begin):
        window["end"] = begin + args.sigterm_run
        http_threads.extend(start_http(srv, args.http_clients, lambda: window["end"],
                                       stop_event, http_stats))

        def shoot():
            time.sleep(delay)
            proc = srv.proc
            t0 = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(60)
            except Exception:  # noqa: BLE001 - still running after 60 s
                proc.kill()
                code = "killed after 60 s"
            result["exit_seconds"] = time.monotonic() - t0
            result["code"] = code
            stop_event.set()

        threading.Thread(target=shoot, daemon=True).start()

    asyncio.run(pg_load(srv.dsn(), args.clients, args.sigterm_run, stats, ready))
    stop_event.set()
    for t in http_threads:
        t.join(DRAIN_SECONDS)
    deadline = time.monotonic() + 70
    while "code" not in result and time.monotonic() < deadline:
        time.sleep(0.1)
    srv._log_thread.join(5)
    srv.proc = None
    forced = any("shutdown took longer" in line for line in srv.log_lines)
    print(f"  time from SIGTERM to exit: {result.get('exit_seconds', float('nan')):.2f} s, "
          f"exit code {result.get('code')}{' (forced after the grace period)' if forced else ''}")
    print(f"  commits acknowledged before the shutdown: {stats.committed}")
    srv.start()
    value = hot_value(srv)
    acknowledged = (base_value or 0) + stats.committed
    if value is None:
        return result
    print(f"  after restart: hot row {value}; acknowledged commits lost: "
          f"{max(0, acknowledged - value)}; committed but not acknowledged (in flight): "
          f"{max(0, value - acknowledged)}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--http-clients", type=int, default=100)
    parser.add_argument("--sigterm-run", type=float, default=15,
                        help="length of the second run, during which SIGTERM is sent")
    parser.add_argument("--data", help="data directory (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    if args.seed is not None:
        random.seed(args.seed)
    data = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="augur-load-"))
    srv = AugurServer(data / "data", ["--max-connections", str(MAX_CONNECTIONS)]).start()
    print(f"server: {os.environ.get('AUGUR_BIN', 'build/augur')} --max-connections "
          f"{MAX_CONNECTIONS} (otherwise default settings), data {data}", flush=True)
    try:
        setup(srv)
        stats, value = run_load(srv, args)
        result = run_sigterm(srv, args, value)
    finally:
        if srv.alive():
            srv.stop()
    met = {True: "met", False: "NOT met"}
    print("goals: no stall longer than the longest transaction: {}; zero failed transactions: "
          "{}; exit within 10 s of SIGTERM: {}".format(
              met[stats.stall <= stats.longest_txn],
              met[stats.failed == 0 and stats.unfinished == 0],
              met[result.get("exit_seconds", 99) < 10]))


if __name__ == "__main__":
    main()
