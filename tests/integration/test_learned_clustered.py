"""LEARNED indexes on tables stored in key order: the clustered layout (a model from key to row id
plus exceptions), checked differentially against the same rows without an index.

Every table `lk` has a twin `lk_ref` with no index; each check runs one query on both. The DML
breaks the order on purpose (out-of-order inserts, key updates, deletes, rolled-back
transactions), and restarts rebuild the index, so that exceptions, deleted chain rows and reused
row ids are all exercised."""

import random
import re
import threading

import psycopg
import pytest

ROWS = 30000
START = "2024-01-01 00:00:00"


def create_tables(cur, name="lk", rows=ROWS):
    # k: even numbers in row order, three rows each, every 97th NULL. ts: one row every 7 s.
    # s: zero-padded text in row order (its codes share the 'row-' prefix).
    cur.execute(f"""
        CREATE TABLE {name} AS SELECT
          CASE WHEN r % 97 = 0 THEN NULL ELSE (r // 3 * 2)::BIGINT END AS k,
          TIMESTAMP '{START}' + INTERVAL (r * 7) SECOND AS ts,
          (hash(r) % 1000)::INTEGER AS v,
          'row-' || lpad(r::VARCHAR, 8, '0') AS s
        FROM range({rows}) t(r) ORDER BY r""")
    cur.execute(f"CREATE TABLE {name}_ref AS SELECT * FROM {name}")
    for column in ("k", "ts", "s"):
        cur.execute(f"CREATE INDEX {name}_{column} ON {name} USING LEARNED ({column})")


def layouts(c, table="lk"):
    return {name: (layout, exceptions, keys, size) for name, layout, exceptions, keys, size in
            c.execute("SELECT index_name, layout, exceptions, keys, bytes FROM augur_indexes() "
                      "WHERE table_name = %s", [table]).fetchall()}


def random_predicate(r, rows=ROWS):
    column = r.choice(["k", "k", "ts", "s"])
    if column == "k":
        a = r.randint(-20, rows + 20)
        shape = r.choice(["eq", "eq", "in", "between", "lt", "gt", "or"])
        if shape == "eq":
            return "k = %s", [a]
        if shape == "in":
            return "k IN (%s, %s, %s)", [a, a + 2, r.randint(-5, rows)]
        if shape == "between":
            return "k BETWEEN %s AND %s", [a, a + r.choice([0, 1, 7, 60, 600])]
        if shape == "or":
            return "(k = %s OR k = %s)", [a, r.randint(0, rows)]
        return f"k {'<' if shape == 'lt' else '>'} %s", [r.choice([a, 10, rows - 10])]
    if column == "ts":
        second = r.randint(-100, rows * 7 + 100)
        width = r.choice([0, 7, 60, 3600])
        return ("ts BETWEEN %s::TIMESTAMP + INTERVAL (%s) SECOND AND "
                "%s::TIMESTAMP + INTERVAL (%s) SECOND", [START, second, START, second + width])
    a = r.randint(-5, rows + 5)
    return "s BETWEEN %s AND %s", [f"row-{a:08d}", f"row-{a + r.choice([0, 3, 50]):08d}"]


DIGEST = "SELECT count(*), sum(hash(k, ts, v, s)::HUGEINT) FROM {t} WHERE {p}"


def same_rows(cur, predicate, params, table="lk"):
    got = cur.execute(DIGEST.format(t=table, p=predicate), params).fetchone()
    want = cur.execute(DIGEST.format(t=table + "_ref", p=predicate), params).fetchone()
    assert got == want, (predicate, params)
    return want[0]


def compare(cur, r, queries, table="lk"):
    matched = 0
    for _ in range(queries):
        predicate, params = random_predicate(r)
        matched += same_rows(cur, predicate, params, table)
    return matched


DML = [
    # Out of order: keys far below the table's end.
    ("INSERT INTO {t} VALUES (%s, %s::TIMESTAMP + INTERVAL (%s) SECOND, %s, %s)",
     lambda r: [r.randint(0, ROWS), START, r.randint(0, ROWS * 7), r.randint(0, 999),
                f"row-{r.randint(0, ROWS):08d}"]),
    # In order: past the end (the chain grows), sometimes a NULL key.
    ("INSERT INTO {t} SELECT CASE WHEN %s THEN NULL ELSE max(k) + 2 END, max(ts) + INTERVAL 7 "
     "SECOND, %s, 'row-' || lpad((%s)::VARCHAR, 8, '0') FROM {t}",
     lambda r: [r.random() < 0.1, r.randint(0, 999), ROWS + r.randint(0, 5000)]),
    ("UPDATE {t} SET k = k + %s WHERE k = %s", lambda r: [r.choice([1, -3, 5000]),
                                                         r.randint(0, ROWS)]),
    ("UPDATE {t} SET v = v + 1 WHERE k BETWEEN %s AND %s",
     lambda r: (lambda a: [a, a + 10])(r.randint(0, ROWS))),
    ("DELETE FROM {t} WHERE k = %s", lambda r: [r.randint(0, ROWS)]),
    ("DELETE FROM {t} WHERE k BETWEEN %s AND %s",
     lambda r: (lambda a: [a, a + 30])(r.randint(0, ROWS))),
]


def apply_random_dml(cur, r, count, table="lk"):
    for _ in range(count):
        sql, make = r.choice(DML)
        params = make(r)
        for t in (table, table + "_ref"):
            cur.execute(sql.format(t=t), params)


@pytest.fixture(scope="module")
def tables(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        create_tables(c.cursor())
    yield server
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE lk")
        c.execute("DROP TABLE lk_ref")


def plan(c, sql, params=()):
    return "\n".join(row[-1] for row in
                     psycopg.ClientCursor(c).execute("EXPLAIN " + sql, params))


def index_candidates(explain_text):
    return int(re.search(r"Index Candidates:[\s│]*(\d+)", explain_text).group(1))


def test_ordered_columns_get_the_clustered_layout(tables):
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        figures = layouts(c)
        non_null_k = c.execute("SELECT count(k) FROM lk_ref").fetchone()[0]
        # No copy of the keys, where the entries layout takes ~20 bytes per key: a fraction of a
        # byte on numbers; more on text, whose codes (8 bytes after the shared prefix) jump at
        # every carry of a digit.
        for name, bytes_per_key in (("lk_k", 0.1), ("lk_ts", 0.1), ("lk_s", 2)):
            layout, exceptions, keys, size = figures[name]
            assert layout == "clustered" and exceptions == 0, (name, figures[name])
            assert size < bytes_per_key * keys, (name, figures[name])
        assert figures["lk_k"][2] == non_null_k
        assert figures["lk_ts"][2] == ROWS
        text = plan(c, "SELECT * FROM lk WHERE k = 500")
        assert "LEARNED_INDEX_SCAN" in text and "lk_k" in text, text


def test_random_order_keeps_the_entries_layout(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE lk_shuffled AS SELECT r::BIGINT AS k FROM range(5000) t(r) "
                  "ORDER BY hash(r)")
        c.execute("CREATE INDEX lk_shuffled_k ON lk_shuffled USING LEARNED (k)")
        assert layouts(c, "lk_shuffled")["lk_shuffled_k"][:3] == ("entries", 0, 5000)
        # 2% of the rows out of place: past the 1% the clustered layout accepts.
        c.execute("CREATE TABLE lk_rough AS SELECT CASE WHEN r % 50 = 7 THEN 5000 - r ELSE r END"
                  "::BIGINT AS k FROM range(5000) t(r)")
        c.execute("CREATE INDEX lk_rough_k ON lk_rough USING LEARNED (k)")
        assert layouts(c, "lk_rough")["lk_rough_k"][0] == "entries"
        # 0.5% out of place: clustered, with those rows as exceptions.
        c.execute("CREATE TABLE lk_fine AS SELECT CASE WHEN r % 200 = 7 THEN 5000 - r ELSE r END"
                  "::BIGINT AS k FROM range(5000) t(r)")
        c.execute("CREATE INDEX lk_fine_k ON lk_fine USING LEARNED (k)")
        layout, exceptions, keys, _ = layouts(c, "lk_fine")["lk_fine_k"]
        assert (layout, exceptions, keys) == ("clustered", 25, 5000)
        for a in range(-3, 5003, 37):
            got = c.execute("SELECT k FROM lk_fine WHERE k BETWEEN %s AND %s ORDER BY k",
                            [a, a + 40]).fetchall()
            want = c.execute("SELECT k FROM lk_fine WHERE k + 0 BETWEEN %s AND %s ORDER BY k",
                             [a, a + 40]).fetchall()
            assert got == want, a
        for t in ("lk_shuffled", "lk_rough", "lk_fine"):
            c.execute(f"DROP TABLE {t}")


def test_random_queries_match_the_unindexed_table(tables):
    r = random.Random(1207)
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        assert compare(c.cursor(), r, 600) > 5000
        assert compare(psycopg.ClientCursor(c), r, 300) > 2000  # literal: constant plans


def test_out_of_order_writes_become_exceptions_and_stay_correct(tables):
    r = random.Random(99)
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        cur = c.cursor()
        for _ in range(4):
            apply_random_dml(cur, r, 60)
            compare(cur, r, 150)
        figures = layouts(c)
        assert figures["lk_k"][0] == "clustered" and figures["lk_k"][1] > 0, figures
        assert figures["lk_k"][2] == c.execute("SELECT count(k) FROM lk").fetchone()[0]
        # Rows inside a window that are exceptions are read once, not twice.
        c.execute("INSERT INTO lk VALUES (1000, TIMESTAMP '2024-01-01', 1, 'x')")
        c.execute("INSERT INTO lk_ref VALUES (1000, TIMESTAMP '2024-01-01', 1, 'x')")
        assert same_rows(cur, "k BETWEEN %s AND %s", [990, 1010]) > 3
        assert same_rows(cur, "k = %s", [1000]) >= 4


def test_rollback_and_uncommitted_rows(tables):
    r = random.Random(5)
    with psycopg.connect(tables.dsn()) as tx, \
            psycopg.connect(tables.dsn(), autocommit=True) as other:
        before = other.execute("SELECT count(*), sum(hash(k, v)) FROM lk").fetchone()
        cur = tx.cursor()
        apply_random_dml(cur, r, 80)
        compare(cur, r, 200)  # the transaction sees its own changes
        compare(other.cursor(), r, 100)  # others see none of them
        tx.rollback()
        assert cur.execute("SELECT count(*), sum(hash(k, v)) FROM lk").fetchone() == before
        compare(cur, r, 150)
        tx.rollback()
        apply_random_dml(cur, r, 80)
        tx.commit()
        compare(other.cursor(), r, 200)


def test_a_snapshot_keeps_its_rows_while_others_commit(tables):
    r = random.Random(8)
    with psycopg.connect(tables.dsn()) as snap, \
            psycopg.connect(tables.dsn(), autocommit=True) as writer:
        probes = [random_predicate(r) for _ in range(60)]
        queries = [(p.replace("{", "{{").replace("}", "}}"), params) for p, params in probes]
        first = [snap.execute(DIGEST.format(t="lk", p=p), params).fetchone()
                 for p, params in queries]
        stop = threading.Event()

        def write():
            wr = random.Random(9)
            while not stop.is_set():
                apply_random_dml(writer.cursor(), wr, 5)

        thread = threading.Thread(target=write)
        thread.start()
        try:
            for _ in range(3):
                again = [snap.execute(DIGEST.format(t="lk", p=p), params).fetchone()
                         for p, params in queries]
                assert again == first  # the snapshot's answers do not move
        finally:
            stop.set()
            thread.join()
        snap.rollback()
        compare(snap.cursor(), r, 200)  # a new snapshot sees the writes, as the twin does


def test_time_range_reads_only_its_rows(tables):
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        sql = ("SELECT count(*) FROM lk WHERE ts BETWEEN TIMESTAMP '2024-01-01 10:00:00' AND "
               "TIMESTAMP '2024-01-01 11:00:00'")
        text = plan(c, "ANALYZE " + sql)
        assert "LEARNED_INDEX_SCAN" in text, text
        candidates = index_candidates(text)
        # 515 rows in the hour; the scan starts at a vector boundary (2048 rows).
        assert 515 <= candidates <= 515 + 2048 + 2 * 34, text
        ref = sql.replace("FROM lk ", "FROM lk_ref ")
        assert c.execute(sql).fetchone() == c.execute(ref).fetchone()


def test_restart_clean_and_after_kill_9(fresh_server):
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        create_tables(c.cursor())
    assert fresh_server.stop() == 0
    fresh_server.start()
    r = random.Random(12)
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        assert layouts(c)["lk_k"][:2] == ("clustered", 0)
        compare(c.cursor(), r, 200)
        apply_random_dml(c.cursor(), r, 60)  # after the checkpoint: the WAL holds these
        compare(c.cursor(), r, 100)
    fresh_server.kill9()
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        figures = layouts(c)
        # The rebuild sees the rows the DML moved out of order as exceptions.
        assert figures["lk_k"][0] == "clustered" and figures["lk_k"][1] > 0, figures
        compare(c.cursor(), r, 300)
        apply_random_dml(c.cursor(), r, 40)
        compare(c.cursor(), r, 100)


def test_windows_across_row_groups(server):
    # 400k rows: four of DuckDB's row groups (122,880 rows each); windows that start in one and
    # end in another, and ranges of up to 10% of the table (the clustered layout's limit).
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE lk_big AS SELECT r::BIGINT AS k, (r % 7)::INTEGER AS v "
                  "FROM range(400000) t(r) ORDER BY r")
        c.execute("CREATE INDEX lk_big_k ON lk_big USING LEARNED (k)")
        c.execute("DELETE FROM lk_big WHERE k % 1000 = 3")
        c.execute("INSERT INTO lk_big VALUES (122880, 100), (5, 100), (399999, 100)")
        assert layouts(c, "lk_big")["lk_big_k"][0] == "clustered"
        r = random.Random(4)
        edges = [0, 122880, 245760, 368640, 399999]
        for _ in range(150):
            a = r.choice(edges) + r.randint(-3000, 3000)
            b = a + r.choice([0, 1, 2047, 2048, 5000, 39000])
            sql = "SELECT count(*), sum(v), min(k), max(k) FROM lk_big WHERE k BETWEEN %s AND %s"
            got = c.execute(sql, [a, b]).fetchone()
            want = c.execute(sql.replace("WHERE k", "WHERE k + 0"), [a, b]).fetchone()
            assert got == want, (a, b)
        assert "LEARNED_INDEX_SCAN" in plan(
            c, "SELECT * FROM lk_big WHERE k BETWEEN 100000 AND 139000")
        c.execute("DROP TABLE lk_big")


def test_point_lookups_on_a_linear_key_read_one_row(server):
    # Ids 0, 2, 4, ... in row order and a timestamp every 7 s: each model's line fits exactly, so
    # once its error is measured a point lookup reads its row alone (before: ~4 x epsilon rows).
    # Absent keys read nothing or the rows around them; every answer matches the unindexed twin.
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute(f"""CREATE TABLE lp AS SELECT (r * 2)::BIGINT AS id,
                      TIMESTAMP '{START}' + INTERVAL (r * 7) SECOND AS ts, r % 13 AS v
                      FROM range(50000) t(r) ORDER BY r""")
        c.execute("CREATE TABLE lp_ref AS SELECT * FROM lp")
        c.execute("CREATE INDEX lp_id ON lp USING LEARNED (id)")
        c.execute("CREATE INDEX lp_ts ON lp USING LEARNED (ts)")
        assert layouts(c, "lp")["lp_id"][:2] == ("clustered", 0)
        r = random.Random(5)
        for key in [0, 1, 2, 99998, 99999, 100000, -1] + [r.randint(0, 100000) for _ in range(40)]:
            sql = f"SELECT count(*), sum(v) FROM lp WHERE id = {key}"
            text = plan(c, "ANALYZE " + sql)
            if 0 <= key <= 99998:  # outside, DuckDB's statistics answer EMPTY_RESULT
                assert "LEARNED_INDEX_SCAN" in text, text
                assert index_candidates(text) <= (1 if key % 2 == 0 else 2), (key, text)
            assert c.execute(sql).fetchone() == \
                c.execute(sql.replace("FROM lp ", "FROM lp_ref ")).fetchone()
        for second in [0, 7, 350000 - 7, 3, r.randint(0, 350000)]:
            sql = ("SELECT count(*), sum(v) FROM lp WHERE ts = "
                   f"TIMESTAMP '{START}' + INTERVAL ({second}) SECOND")
            text = plan(c, "ANALYZE " + sql)
            assert "LEARNED_INDEX_SCAN" in text, text
            assert index_candidates(text) <= (1 if second % 7 == 0 else 2), (second, text)
            assert c.execute(sql).fetchone() == \
                c.execute(sql.replace("FROM lp ", "FROM lp_ref ")).fetchone()
        # Appends in order extend the last segment, whose line then moves: still right.
        for t in ("lp", "lp_ref"):
            c.execute(f"INSERT INTO {t} SELECT (r * 2)::BIGINT, TIMESTAMP '{START}' + "
                      f"INTERVAL (r * 7) SECOND, r % 13 FROM range(50000, 50500) t(r)")
        for key in [99998, 100000, 100500, 100998, 101000, r.randint(0, 101000)]:
            same_rows_sql = f"SELECT count(*), sum(v) FROM {{t}} WHERE id = {key}"
            assert c.execute(same_rows_sql.format(t="lp")).fetchone() == \
                c.execute(same_rows_sql.format(t="lp_ref")).fetchone()
        c.execute("DROP TABLE lp")
        c.execute("DROP TABLE lp_ref")
