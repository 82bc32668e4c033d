"""LEARNED indexes through the protocol: CREATE INDEX ... USING LEARNED, the planner rule, and
differential checks against the same data without an index.

Every check compares the indexed table `li` with `li_ref`, a copy with no index, under the same
query: the learned index may only change how rows are found, never which."""

import random
import threading
import time

import psycopg
import pytest

ROWS = 20000

# Column -> a function drawing a random value of that column's domain (including values that are
# absent, out of range, and on the edges).
DOMAINS = {
    "id": lambda r: r.randint(-50, 5050),
    "i": lambda r: r.randint(-10, ROWS + 10),
    "ts": lambda r: f"2024-01-01 00:00:00"
    if r.random() < 0.05
    else f"2024-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} {r.randint(0, 23):02d}:00:00",
    "d": lambda r: f"20{r.randint(19, 31)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
    "x": lambda r: round(r.uniform(-1100.0, 1100.0), 2),
    "s": lambda r: f"customer-{r.randint(0, 3100):05d}" if r.random() < 0.9 else r.choice(
        ["", "c", "customer-", "customer-99999", "zzz"]),
}
CASTS = {"id": "BIGINT", "i": "INTEGER", "ts": "TIMESTAMP", "d": "DATE", "x": "DOUBLE",
         "s": "VARCHAR"}


def create_tables(cur, name="li"):
    # Duplicates (id, s), NULLs (every 50th id, every 70th s), shared 8-byte prefixes (s), a
    # unique sorted key (i), and skewed timestamps.
    cur.execute(f"""
        CREATE TABLE {name} AS SELECT
          CASE WHEN r % 50 = 0 THEN NULL ELSE (hash(r) % 5000)::BIGINT END AS id,
          r::INTEGER AS i,
          TIMESTAMP '2024-01-01' + INTERVAL (hash(r * 7) % 8760) HOUR
            * CASE WHEN r % 3 = 0 THEN 0 ELSE 1 END AS ts,
          DATE '2019-01-01' + (hash(r * 13) % 4000)::INTEGER AS d,
          ((hash(r * 17) % 200000)::DOUBLE / 100.0 - 1000.0) AS x,
          CASE WHEN r % 70 = 0 THEN NULL
               ELSE 'customer-' || lpad(((hash(r * 19)) % 3000)::VARCHAR, 5, '0') END AS s
        FROM range({ROWS}) t(r)""")
    cur.execute(f"CREATE TABLE {name}_ref AS SELECT * FROM {name}")
    for column in DOMAINS:
        cur.execute(f"CREATE INDEX {name}_{column} ON {name} USING LEARNED ({column})")


def random_predicate(r, column):
    """A predicate on `column` and its parameters, in one of the shapes the rule handles."""
    v = lambda: DOMAINS[column](r)  # noqa: E731
    cast = CASTS[column]
    shape = r.choice(["eq", "eq", "in", "between", "lt", "le", "gt", "ge", "range", "or",
                      "eq_null", "in_dups"])
    p = f"%s::{cast}"
    if shape == "eq":
        return f"{column} = {p}", [v()]
    if shape == "eq_null":
        return f"{column} = {p}", [None]
    if shape == "in":
        values = [v() for _ in range(r.randint(1, 6))]
        return f"{column} IN ({', '.join([p] * len(values))})", values
    if shape == "in_dups":
        a = v()
        return f"{column} IN ({p}, {p}, {p})", [a, a, v()]
    if shape == "between":
        a, b = sorted([v(), v()], key=str) if column in ("s", "ts", "d") else sorted([v(), v()])
        return f"{column} BETWEEN {p} AND {p}", [a, b]
    if shape == "range":
        a, b = v(), v()
        return f"{column} >= {p} AND {column} < {p}", [a, b]
    if shape == "or":
        return f"({column} = {p} OR {column} = {p})", [v(), v()]
    op = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}[shape]
    return f"{column} {op} {p}", [v()]


DIGEST = "SELECT count(*), sum(hash(id, i, ts, d, x, s)::HUGEINT) FROM {t} WHERE {p}"


def same_rows(cur, predicate, params, prepare=None):
    """Asserts li and li_ref agree on `predicate`; returns the number of rows. Wide results are
    compared by count and a sum of row hashes (shipping them would dominate the test's time),
    narrow ones row by row too."""
    got = cur.execute(DIGEST.format(t="li", p=predicate), params, prepare=prepare).fetchone()
    want = cur.execute(DIGEST.format(t="li_ref", p=predicate), params).fetchone()
    assert got == want, (predicate, params)
    if want[0] <= 50:
        rows = cur.execute(f"SELECT * FROM li WHERE {predicate}", params, prepare=prepare).fetchall()
        ref = cur.execute(f"SELECT * FROM li_ref WHERE {predicate}", params).fetchall()
        assert sorted(rows, key=repr) == sorted(ref, key=repr), (predicate, params)
    return want[0]


def same_top(cur, r):
    """ORDER BY a key LIMIT n [OFFSET m], ascending or descending, on li and li_ref. Only the
    key is compared: rows tied on it may come in any order."""
    column = r.choice(["i", "ts", "d", "x"])  # the columns without NULLs
    direction = r.choice(["", " DESC"])
    limit, offset = r.choice([1, 2, 5, 40, 300]), r.choice([0, 0, 3])
    sql = f"SELECT {column} FROM {{t}} ORDER BY {column}{direction} LIMIT {limit} OFFSET {offset}"
    got = cur.execute(sql.format(t="li")).fetchall()
    assert got == cur.execute(sql.format(t="li_ref")).fetchall(), sql


def compare(cur, r, queries, literal_cur=None):
    """Runs `queries` random predicates on li and li_ref; returns how many rows matched."""
    matched = 0
    for _ in range(queries):
        column = r.choice(list(DOMAINS))
        predicate, params = random_predicate(r, column)
        if r.random() < 0.3:  # sometimes a second predicate on another column
            other = r.choice(list(DOMAINS))
            p2, params2 = random_predicate(r, other)
            predicate, params = f"{predicate} AND {p2}", params + params2
        target = literal_cur if literal_cur is not None and r.random() < 0.5 else cur
        matched += same_rows(target, predicate, params)
        if r.random() < 0.1:
            same_top(cur, r)
    return matched


@pytest.fixture(scope="module")
def tables(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        create_tables(c.cursor())
    yield server
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE li")
        c.execute("DROP TABLE li_ref")


def plan(cur, sql, params=()):
    return "\n".join(row[-1] for row in
                     psycopg.ClientCursor(cur.connection).execute("EXPLAIN " + sql, params))


def test_selective_predicates_use_the_index_and_wide_ones_do_not(tables):
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        for column, value in [("id", 17), ("i", 123), ("ts", "2024-03-03 03:00:00"),
                              ("d", "2020-02-02"), ("x", 1.5), ("s", "customer-00042")]:
            text = plan(c, f"SELECT * FROM li WHERE {column} = %s", [value])
            assert "LEARNED_INDEX_SCAN" in text and f"li_{column}" in text, text
        text = plan(c, "SELECT * FROM li WHERE i BETWEEN 100 AND 150")
        assert "LEARNED_INDEX_SCAN" in text and "Predicted Rows: 51" in text, text
        # Most of the table: a sequential scan is cheaper.
        assert "LEARNED_INDEX_SCAN" not in plan(c, "SELECT * FROM li WHERE i > 10")
        # The reference table has no index.
        assert "LEARNED_INDEX_SCAN" not in plan(c, "SELECT * FROM li_ref WHERE i = 5")


def test_order_by_key_limit_reads_only_the_first_rows(tables):
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        text = plan(c, "SELECT d FROM li ORDER BY d DESC LIMIT 5")
        assert "LEARNED_INDEX_SCAN" in text and "Order: key descending" in text, text
        # i is in row order: its index has the clustered layout, which stores no keys to list
        # the first n by; DuckDB's TopN scan answers (same_top below checks i too).
        assert "LEARNED_INDEX_SCAN" not in plan(c, "SELECT i FROM li ORDER BY i DESC LIMIT 5")
        assert "LEARNED_INDEX_SCAN" in plan(c, "SELECT * FROM li ORDER BY ts LIMIT 3")
        # id has NULLs, which the index does not hold; a filter could reject the first rows.
        assert "LEARNED_INDEX_SCAN" not in plan(c, "SELECT id FROM li ORDER BY id LIMIT 5")
        assert "LEARNED_INDEX_SCAN" not in plan(
            c, "SELECT i FROM li WHERE x > 0 ORDER BY i LIMIT 5")
        r = random.Random(11)
        for _ in range(60):
            same_top(c, r)


def test_explain_analyze_shows_predicted_and_actual_rows(tables):
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        # d is in random order (the entries layout): the index names exactly the matching rows.
        want = c.execute("SELECT count(*) FROM li_ref WHERE d = '2020-02-02'").fetchone()[0]
        text = plan(c.cursor(), "ANALYZE SELECT * FROM li WHERE d = '2020-02-02'")
        assert "LEARNED_INDEX_SCAN" in text and f"Predicted Rows: {want}" in text, text
        assert f"Index Candidates: {want}" in text, text
        # i is in row order (the clustered layout): the model's guess is exact on a sequence, and
        # the scan reads whole vectors from the one holding the window's first row.
        text = plan(c.cursor(), "ANALYZE SELECT * FROM li WHERE i BETWEEN 10 AND 19")
        assert "LEARNED_INDEX_SCAN" in text and "Predicted Rows: 10" in text, text
        candidates = int(text.split("Index Candidates: ")[1].split()[0])
        assert 10 <= candidates <= 2048 + 10 + 2 * 34, text


def test_random_queries_match_the_unindexed_table(tables):
    r = random.Random(20261126)
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        literal = psycopg.ClientCursor(c)  # parameters spliced client-side: constant plans
        prepared = c.cursor()
        matched = compare(prepared, r, 1500, literal_cur=literal)
        # Prepared server-side (Parse once, Bind many): parameter plans.
        for _ in range(300):
            predicate, params = random_predicate(r, r.choice(list(DOMAINS)))
            matched += same_rows(prepared, predicate, params, prepare=True)
    assert matched > 1000  # the queries did select rows, not only empty sets


DML = [
    # (statement, parameter makers); each runs on li and li_ref alike.
    ("INSERT INTO {t} VALUES (%s, %s, %s, %s, %s, %s)",
     lambda r: [r.choice([None, r.randint(0, 5000)]), r.randint(ROWS, ROWS * 2),
                DOMAINS["ts"](r), DOMAINS["d"](r), DOMAINS["x"](r), DOMAINS["s"](r)]),
    ("DELETE FROM {t} WHERE id = %s", lambda r: [r.randint(0, 5000)]),
    ("DELETE FROM {t} WHERE i BETWEEN %s AND %s", lambda r: (lambda a: [a, a + 5])(r.randint(0, ROWS))),
    ("UPDATE {t} SET id = id + 1 WHERE i = %s", lambda r: [r.randint(0, ROWS)]),
    ("UPDATE {t} SET s = %s WHERE id = %s", lambda r: [DOMAINS["s"](r), r.randint(0, 5000)]),
]


def apply_random_dml(cur, r, count):
    for _ in range(count):
        sql, make = r.choice(DML)
        params = make(r)
        for table in ("li", "li_ref"):
            cur.execute(sql.format(t=table), params)


def test_uncommitted_changes_visible_only_inside_their_transaction(tables):
    r = random.Random(7)
    with psycopg.connect(tables.dsn()) as tx, \
            psycopg.connect(tables.dsn(), autocommit=True) as other:
        before = other.execute("SELECT count(*), sum(i) FROM li").fetchone()
        cur = tx.cursor()
        apply_random_dml(cur, r, 120)
        compare(cur, r, 300)  # the transaction sees its own inserts, deletes and updates
        compare(other.cursor(), r, 150)  # others see neither table's changes
        assert other.execute("SELECT count(*), sum(i) FROM li").fetchone() == before
        tx.rollback()
        assert cur.execute("SELECT count(*), sum(i) FROM li").fetchone() == before
        compare(cur, r, 150)  # ROLLBACK left no trace in the index
        tx.rollback()

        apply_random_dml(cur, r, 120)
        tx.commit()
        compare(other.cursor(), r, 300)  # committed changes reach the index


def test_concurrent_writers_and_readers_agree_with_a_scan(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE lc AS SELECT (r * 3)::BIGINT AS k, r::INTEGER AS v "
                  "FROM range(20000) t(r)")
        c.execute("CREATE INDEX lc_k ON lc USING LEARNED (k)")
    stop = time.monotonic() + 4
    failures = []

    def writer(seed):
        r = random.Random(seed)
        with psycopg.connect(server.dsn(), autocommit=True) as w:
            while time.monotonic() < stop:
                k = r.randint(0, 60000)
                try:
                    action = r.random()
                    if action < 0.5:
                        w.execute("INSERT INTO lc VALUES (%s, %s)", [k, seed])
                    elif action < 0.8:
                        w.execute("DELETE FROM lc WHERE k = %s", [k])
                    else:
                        w.execute("UPDATE lc SET k = k + 1 WHERE k = %s", [k])
                except psycopg.errors.SerializationFailure:
                    pass  # a write-write conflict with another writer: expected, retried next

    def reader(seed):
        r = random.Random(seed)
        with psycopg.connect(server.dsn()) as rd:
            while time.monotonic() < stop:
                a = r.randint(0, 60000)
                b = a + r.choice([0, 3, 50, 400])
                # One transaction: both queries read the same snapshot.
                got = rd.execute("SELECT k, v FROM lc WHERE k BETWEEN %s AND %s", [a, b]).fetchall()
                want = rd.execute("SELECT k, v FROM lc WHERE k + 0 BETWEEN %s AND %s",
                                  [a, b]).fetchall()
                rd.rollback()
                if sorted(got) != sorted(want):
                    failures.append((a, b, got, want))

    threads = [threading.Thread(target=writer, args=(s,)) for s in (1, 2)]
    threads += [threading.Thread(target=reader, args=(s,)) for s in (3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures, failures[:3]
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        for a in range(0, 60000, 997):
            got = c.execute("SELECT k, v FROM lc WHERE k BETWEEN %s AND %s", [a, a + 100]).fetchall()
            want = c.execute("SELECT k, v FROM lc WHERE k + 0 BETWEEN %s AND %s",
                             [a, a + 100]).fetchall()
            assert sorted(got) == sorted(want)
        c.execute("DROP TABLE lc")


def test_large_delta_is_retrained_in_the_background(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE lr(k BIGINT)")
        c.execute("CREATE INDEX lr_k ON lr USING LEARNED (k)")
        c.execute("INSERT INTO lr SELECT r * 2 FROM range(100000) t(r)")  # all into the delta
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            retrains, delta, keys = c.execute(
                "SELECT retrains, delta, keys FROM augur_indexes() WHERE index_name = 'lr_k'"
            ).fetchone()
            if retrains >= 1 and delta < 64 * 1024:
                break
            time.sleep(0.1)
        # Appends arrive chunk by chunk: the retrain started once the delta passed its threshold
        # and folded what had arrived; the rest waits for the next one.
        assert retrains >= 1 and delta < 64 * 1024 and keys == 100000, (retrains, delta, keys)
        assert c.execute("SELECT k FROM lr WHERE k IN (0, 1, 77776, 199998)").fetchall() == \
            [(0,), (77776,), (199998,)]
        c.execute("DROP TABLE lr")


def test_augur_indexes_lists_model_figures(tables):
    with psycopg.connect(tables.dsn(), autocommit=True) as c:
        rows = c.execute("SELECT index_name, column_name, keys, segments, max_error, bytes, "
                         "model_bytes FROM augur_indexes() WHERE table_name = 'li' "
                         "ORDER BY index_name").fetchall()
        count_i = c.execute("SELECT count(i) FROM li").fetchone()[0]
    names = [row[0] for row in rows]
    assert names == sorted(f"li_{c}" for c in DOMAINS)
    by_name = {row[0]: row for row in rows}
    assert by_name["li_i"][1] == "i" and by_name["li_i"][2] == count_i
    for _, _, keys, segments, max_error, size, model_bytes in rows:
        assert keys > 0 and segments >= 1 and max_error == 32
        assert 0 < model_bytes < size


def test_drop_index_returns_to_sequential_scans(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE ld AS SELECT r AS k FROM range(1000) t(r)")
        c.execute("CREATE INDEX ld_k ON ld USING LEARNED (k) WITH (epsilon = 8)")
        assert c.execute("SELECT max_error FROM augur_indexes() WHERE index_name = 'ld_k'"
                         ).fetchone() == (8,)
        assert "LEARNED_INDEX_SCAN" in plan(c, "SELECT * FROM ld WHERE k = 5")
        c.execute("DROP INDEX ld_k")
        assert "LEARNED_INDEX_SCAN" not in plan(c, "SELECT * FROM ld WHERE k = 5")
        assert c.execute("SELECT * FROM ld WHERE k = 5").fetchall() == [(5,)]
        c.execute("DROP TABLE ld")


def test_size_budget_raises_epsilon_until_the_model_fits(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE lb AS SELECT hash(r) % 1000000000000 AS k FROM range(200000) t(r)")
        c.execute("CREATE INDEX lb_free ON lb USING LEARNED (k) WITH (epsilon = 4)")
        c.execute("CREATE INDEX lb_budget ON lb USING LEARNED (k) "
                  "WITH (epsilon = 4, max_bytes_per_key = 0.08)")
        figures = {name: (max_error, model_bytes, keys) for name, max_error, model_bytes, keys in
                   c.execute("SELECT index_name, max_error, model_bytes, keys FROM "
                             "augur_indexes() WHERE table_name = 'lb'").fetchall()}
        max_error, model_bytes, keys = figures["lb_free"]
        assert max_error == 4 and model_bytes > 0.08 * keys  # without a budget: too big
        max_error, model_bytes, keys = figures["lb_budget"]
        assert max_error > 4 and model_bytes <= 0.08 * keys + 1024, figures
        some = c.execute("SELECT k FROM lb LIMIT 1").fetchone()[0]
        assert c.execute("SELECT count(*) FROM lb WHERE k = %s", [some]).fetchone()[0] >= 1
        c.execute("DROP TABLE lb")


@pytest.mark.parametrize("statement, message", [
    ("CREATE INDEX bad ON lbad USING LEARNED (b)", "cannot cover a column of type BLOB"),
    ("CREATE INDEX bad ON lbad USING LEARNED (k, b)", "exactly one column"),
    ("CREATE INDEX bad ON lbad USING LEARNED ((k + 1))", "exactly one column"),
    ("CREATE UNIQUE INDEX bad ON lbad USING LEARNED (k)", "cannot be UNIQUE"),
    ("CREATE INDEX bad ON lbad USING LEARNED (k) WITH (epsilon = 0)", "epsilon"),
    ("CREATE INDEX bad ON lbad USING LEARNED (k) WITH (max_bytes_per_key = 0)", "max_bytes_per_key"),
    ("CREATE INDEX bad ON lbad USING LEARNED (k) WITH (max_bytes_per_key = 'lots')",
     "max_bytes_per_key"),
    ("CREATE INDEX bad ON lbad USING LEARNED (k) WITH (colour = 'red')", "unknown LEARNED"),
    ("CREATE INDEX bad ON lbad USING LEARNT (k)", "LEARNT"),
])
def test_bad_create_index_is_a_clear_error(server, statement, message):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE IF NOT EXISTS lbad(k BIGINT, b BLOB)")
        with pytest.raises(psycopg.Error) as failure:
            c.execute(statement)
        assert message in str(failure.value)
        assert failure.value.sqlstate is not None
        assert c.execute("SELECT 1").fetchone() == (1,)  # the session keeps serving


def test_index_survives_restart_and_kill_9(fresh_server):
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        create_tables(c.cursor())
    assert fresh_server.stop() == 0  # checkpointed: the index is rebuilt from the table
    fresh_server.start()
    r = random.Random(3)
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        compare(c.cursor(), r, 200)
        # After the last checkpoint: only the WAL knows these.
        apply_random_dml(c.cursor(), r, 100)
        c.execute("CREATE TABLE late AS SELECT r AS k FROM range(500) t(r)")
        c.execute("CREATE INDEX late_k ON late USING LEARNED (k)")
        c.execute("INSERT INTO late VALUES (100000)")
    fresh_server.kill9()
    fresh_server.start()
    assert any("learned indexes rebuilt indexes=7" in line for line in fresh_server.log_lines)
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        compare(c.cursor(), r, 300)
        assert c.execute("SELECT * FROM late WHERE k IN (7, 100000, 100001)").fetchall() == \
            [(7,), (100000,)]
        assert "LEARNED_INDEX_SCAN" in plan(c, "SELECT * FROM late WHERE k = 7")


def learned_indexes_on(c, pattern):
    return c.execute("SELECT table_name, index_name FROM augur_indexes() WHERE table_name LIKE %s "
                     "ORDER BY 1", [pattern]).fetchall()


def test_learned_primary_keys_setting(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        assert c.execute("SHOW augur_learned_primary_keys").fetchone()[0] == "false"
        c.execute("CREATE TABLE lpk0(id BIGINT PRIMARY KEY)")  # setting off: no learned index
        c.execute("SET augur_learned_primary_keys = true")
        c.execute("CREATE TABLE lpk1(id BIGINT PRIMARY KEY, v TEXT)")
        c.execute("CREATE TABLE lpk2(a INT, b INT, PRIMARY KEY (a, b))")  # composite: none
        c.execute("CREATE TABLE lpk3(u UUID PRIMARY KEY)")  # a type LEARNED does not cover
        c.execute("CREATE TABLE lpk4(name VARCHAR, PRIMARY KEY (name))", prepare=True)
        assert learned_indexes_on(c, "lpk%") == [("lpk1", "lpk1_id_learned"),
                                                 ("lpk4", "lpk4_name_learned")]
        c.execute("INSERT INTO lpk1 SELECT r, 'v' || r FROM range(1000) t(r)")
        with pytest.raises(psycopg.errors.UniqueViolation):
            c.execute("INSERT INTO lpk1 VALUES (5, 'again')")  # ART still enforces the key
        assert c.execute("SELECT v FROM lpk1 WHERE id = 5").fetchall() == [("v5",)]
        assert "LEARNED_INDEX_SCAN" in plan(c, "SELECT v FROM lpk1 WHERE id = 5")
        for t in range(5):
            c.execute(f"DROP TABLE lpk{t}")


def test_learned_primary_keys_from_the_server_config(tmp_path):
    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--learned-primary-keys", "true"]).start()
    try:
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            c.execute("CREATE TABLE k(id INTEGER PRIMARY KEY)")
            assert learned_indexes_on(c, "k") == [("k", "k_id_learned")]
            c.execute("SET augur_learned_primary_keys = false")
            c.execute("CREATE TABLE k2(id INTEGER PRIMARY KEY)")
            assert learned_indexes_on(c, "k2") == []
    finally:
        assert srv.stop() == 0


def test_index_built_by_several_threads_matches_a_scan(server):
    # 600k rows are several row groups: CREATE INDEX collects and sorts them on more than one
    # thread and merges the runs.
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE lm AS SELECT (hash(r) % 1000000)::BIGINT AS k, r AS v "
                  "FROM range(600000) t(r)")
        c.execute("CREATE INDEX lm_k ON lm USING LEARNED (k)")
        assert c.execute("SELECT keys FROM augur_indexes() WHERE index_name = 'lm_k'"
                         ).fetchone() == (600000,)
        r = random.Random(5)
        for _ in range(200):
            a = r.randint(-10, 1000010)
            b = a + r.choice([0, 1, 10, 300])
            got = c.execute("SELECT count(*), sum(v) FROM lm WHERE k BETWEEN %s AND %s",
                            [a, b]).fetchone()
            want = c.execute("SELECT count(*), sum(v) FROM lm WHERE k + 0 BETWEEN %s AND %s",
                             [a, b]).fetchone()
            assert got == want, (a, b)
        assert "LEARNED_INDEX_SCAN" in plan(c, "SELECT * FROM lm WHERE k = 5")
        c.execute("DROP TABLE lm")
