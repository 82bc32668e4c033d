"""Progress of long statements: pg_stat_activity's progress, rows_processed and rows_total
columns (DuckDB's estimate), read from another session while a query over 10M rows runs, and the
running-statement gauges on /metrics."""

import re
import threading
import time
import urllib.request

import psycopg

# Slow enough to be watched: md5 of ten million values. A table scan: DuckDB estimates the
# progress of table scans (of range() it has none: docs/OPERATIONS.md).
LONG_QUERY = "SELECT sum(length(md5(CAST(i AS VARCHAR)))) FROM progress_big"


def metric(server, name):
    text = urllib.request.urlopen(server.url("/metrics"), timeout=30).read().decode()
    match = re.search(rf"^{name} ([0-9.e+-]+)$", text, re.M)
    return float(match.group(1)) if match else None


def test_a_query_over_10m_rows_shows_increasing_progress(server, conn):
    conn.execute("CREATE TABLE progress_big AS SELECT i FROM range(10000000) t(i)")
    with psycopg.connect(server.dsn(), autocommit=True) as runner:
        pid = runner.execute("SELECT pg_backend_pid()").fetchone()[0]
        result = {}

        def run():
            result["count"] = runner.execute(LONG_QUERY).fetchone()[0]

        thread = threading.Thread(target=run)
        thread.start()
        samples = []
        running_gauge = []
        deadline = time.time() + 300
        while thread.is_alive() and time.time() < deadline:
            row = conn.execute(
                "SELECT state, progress, rows_processed, rows_total FROM pg_stat_activity "
                "WHERE pid = %s", [pid]).fetchone()
            if row[0] == "active" and row[1] is not None:
                samples.append(row[1:])
                if len(running_gauge) < 1:
                    running_gauge.append(metric(server, "augur_statements_running"))
                    running_gauge.append(
                        metric(server, "augur_statement_longest_progress_ratio"))
            time.sleep(0.05)
        thread.join()
        # 32 hex digits for each of the 10M values.
        assert result["count"] == 320_000_000

        # Several readings while it ran, never going back, some of them strictly between the
        # start and the end, with the rows processed growing and the total DuckDB expects
        # covering the 10M rows (and a row or two for the aggregate's own pipelines).
        assert len(samples) >= 3, samples
        percents = [s[0] for s in samples]
        assert percents == sorted(percents), percents
        assert any(0 < p < 100 for p in percents), percents
        assert len(set(percents)) >= 2, percents
        processed = [s[1] for s in samples]
        assert processed == sorted(processed) and processed[-1] > processed[0], processed
        assert all(10_000_000 <= s[2] <= 10_000_010 for s in samples), samples
        assert all(s[1] <= s[2] for s in samples), samples

        # The running statement counted on /metrics, its progress a ratio.
        assert running_gauge[0] >= 1
        assert running_gauge[1] is None or 0 <= running_gauge[1] <= 1

        # Done: no progress shown for an idle session.
        row = conn.execute("SELECT state, progress, rows_processed FROM pg_stat_activity "
                           "WHERE pid = %s", [pid]).fetchone()
        assert row == ("idle", None, None)


def test_progress_columns_come_after_postgresql_s(conn):
    names = [d.name for d in conn.execute("SELECT * FROM pg_stat_activity LIMIT 0").description]
    assert names[-3:] == ["progress", "rows_processed", "rows_total"]
    assert names[:3] == ["datid", "datname", "pid"]


def test_metrics_with_nothing_running(server):
    assert metric(server, "augur_statements_running") is not None
    assert metric(server, "augur_statement_longest_seconds") is not None


def test_a_session_can_turn_its_progress_off(server, conn):
    conn.execute("CREATE TABLE IF NOT EXISTS progress_off AS SELECT i FROM range(5000000) t(i)")
    with psycopg.connect(server.dsn(options="-cenable_progress_bar=false"),
                         autocommit=True) as runner:
        pid = runner.execute("SELECT pg_backend_pid()").fetchone()[0]
        thread = threading.Thread(target=lambda: runner.execute(
            "SELECT sum(length(md5(CAST(i AS VARCHAR)))) FROM progress_off").fetchone())
        thread.start()
        seen = []
        while thread.is_alive():
            row = conn.execute("SELECT state, progress, rows_processed FROM pg_stat_activity "
                               "WHERE pid = %s", [pid]).fetchone()
            if row[0] == "active":
                seen.append(row[1:])
            time.sleep(0.05)
        thread.join()
        assert seen and all(s == (None, None) for s in seen), seen


def test_a_range_scan_has_no_progress_figure(server, conn):
    # DuckDB's range() reports no progress (docs/OPERATIONS.md), and one such pipeline stops the
    # whole statement's figure: NULL, or the 0 DuckDB recorded before the scan began.
    with psycopg.connect(server.dsn(), autocommit=True) as runner:
        pid = runner.execute("SELECT pg_backend_pid()").fetchone()[0]
        errors = []

        def run():
            try:
                runner.execute("SELECT count(*) FROM range(1000000000000) t(i) WHERE i % 7 = 1")
            except psycopg.errors.QueryCanceled as e:
                errors.append(e)

        thread = threading.Thread(target=run)
        thread.start()
        seen = []
        deadline = time.time() + 120
        while len(seen) < 20 and time.time() < deadline:
            row = conn.execute("SELECT state, progress, rows_processed FROM pg_stat_activity "
                               "WHERE pid = %s", [pid]).fetchone()
            if row[0] == "active":
                seen.append(row[1:])
            time.sleep(0.05)
        conn.execute("SELECT pg_cancel_backend(%s)", [pid])
        thread.join(60)
        assert errors, "the range() query was not cancelled"
        assert len(seen) == 20, seen
        assert all(s in ((None, None), (0.0, 0)) for s in seen), seen
