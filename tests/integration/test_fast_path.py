"""The fast path for key lookups (src/engine/fast_path) against DuckDB's planner, differentially.

Every check runs one statement twice on the same session and data: with `augur_fast_path` on and
with it off, and compares the result columns (names and type OIDs), the rows, the command tag, or
the SQLSTATE. /metrics' augur_engine_executions_total{path="fast_path"} says which path ran: a
check that expects the fast path fails when the planner answered instead, so the comparison is
never planner against planner.

Extended protocol: psycopg 3 with server-side prepared statements. Simple protocol: psycopg2,
which sends the key as a literal."""

import http.client
import random
import re

import psycopg
import psycopg2
import pytest

ROWS = 3000


def dsn(server, **extra):
    """A failed assertion inside a transaction block leaves the block open until its connection is
    collected, and every other writer would wait for it without end. lock_timeout turns such a
    wait into an error (55P03) that fails the test that waits."""
    return server.dsn(options="'-c lock_timeout=20s'", **extra)


def fast_count(server):
    c = http.client.HTTPConnection(server.host, server.http_port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    m = re.search(r'^augur_engine_executions_total\{path="fast_path"\} (\S+)$', text, re.M)
    return float(m.group(1)) if m else 0.0


def capture(cur, sql, params, prepare):
    """What the client sees of one statement: columns, sorted rows and tag, or the SQLSTATE."""
    try:
        if prepare is None:  # psycopg2: simple protocol
            cur.execute(sql, params)
        else:
            cur.execute(sql, params, prepare=prepare)
    except psycopg.Error as e:
        return ("error", e.sqlstate)
    except psycopg2.Error as e:
        return ("error", e.pgcode)
    if cur.description is None:
        return ("ok", None, None, cur.statusmessage)
    columns = [(d.name, d.type_code) for d in cur.description]
    rows = sorted(cur.fetchall(), key=repr)
    return ("ok", columns, rows, cur.statusmessage)


class Diff:
    """Runs statements on one connection with the fast path on, then off, and compares."""

    def __init__(self, server, connection, simple=False):
        self.server = server
        self.connection = connection
        self.prepare = None if simple else True
        self.cur = connection.cursor()

    def set(self, on):
        self.cur.execute(f"SET augur_fast_path = {'true' if on else 'false'}")

    def check(self, sql, params=None, fast=True):
        """The fast path's answer, after checking that the planner's is the same. `fast`: True
        when the fast path must have answered, False when it must not, None either way."""
        before = fast_count(self.server)
        self.set(True)
        got = capture(self.cur, sql, params, self.prepare)
        middle = fast_count(self.server)
        self.set(False)
        want = capture(self.cur, sql, params, self.prepare)
        after = fast_count(self.server)
        self.set(True)
        assert got == want, f"{sql} {params}: fast path {got} != planner {want}"
        assert after == middle, "the planner run used the fast path"
        if fast is True:
            assert middle == before + 1, f"{sql} {params}: the fast path did not answer"
        elif fast is False:
            assert middle == before, f"{sql} {params}: the fast path answered"
        return got


@pytest.fixture(scope="module")
def tables(server):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        for t in ("fp_int", "fp_big", "fp_small", "fp_text", "fp_uniq", "fp_learned",
                  "fp_learned_s", "fp_learned_c", "fp_nokey"):
            c.execute(f"DROP TABLE IF EXISTS {t}")
        c.execute("CREATE TABLE fp_int (id INTEGER PRIMARY KEY, v TEXT, n BIGINT)")
        c.execute(f"INSERT INTO fp_int SELECT r * 2, 'v' || r, CASE WHEN r % 7 = 0 THEN NULL "
                  f"ELSE r * 10 END FROM range({ROWS}) t(r)")
        c.execute("CREATE TABLE fp_big (id BIGINT PRIMARY KEY, v TEXT)")
        c.execute(f"INSERT INTO fp_big SELECT r * 1000000007, 'b' || r FROM range({ROWS}) t(r)")
        c.execute("CREATE TABLE fp_small (id SMALLINT PRIMARY KEY, v TEXT)")
        c.execute("INSERT INTO fp_small SELECT r - 500, 's' || r FROM range(1000) t(r)")
        c.execute("CREATE TABLE fp_text (k TEXT PRIMARY KEY, v INTEGER)")
        c.execute(f"INSERT INTO fp_text SELECT 'key-' || lpad(r::VARCHAR, 6, '0'), r "
                  f"FROM range({ROWS}) t(r)")
        c.execute("INSERT INTO fp_text VALUES ('', -1), ('it''s', -2), ('ünï©ødé', -3), "
                  "('key-000001 ', -4)")
        c.execute("CREATE TABLE fp_uniq (id INTEGER, code VARCHAR UNIQUE, v INTEGER)")
        c.execute(f"INSERT INTO fp_uniq SELECT r, CASE WHEN r % 10 = 0 THEN NULL "
                  f"ELSE 'c' || r END, r FROM range({ROWS}) t(r)")
        # Non-unique LEARNED keys: duplicates and NULLs.
        c.execute("CREATE TABLE fp_learned (k BIGINT, v TEXT)")
        c.execute(f"INSERT INTO fp_learned SELECT CASE WHEN r % 50 = 0 THEN NULL "
                  f"ELSE r % 1000 END, 'l' || r FROM range({ROWS}) t(r)")
        c.execute("CREATE INDEX fp_learned_k ON fp_learned USING LEARNED (k)")
        # Strings sharing a long prefix: the index's codes stand for many strings.
        c.execute("CREATE TABLE fp_learned_s (k VARCHAR, v INTEGER)")
        c.execute(f"INSERT INTO fp_learned_s SELECT 'customer-account-' || (r % 700)::VARCHAR, "
                  f"r FROM range({ROWS}) t(r)")
        c.execute("CREATE INDEX fp_learned_s_k ON fp_learned_s USING LEARNED (k)")
        # Keys stored in key order: the clustered layout, whose row-id windows hold other keys.
        c.execute("CREATE TABLE fp_learned_c (k INTEGER, v TEXT)")
        c.execute(f"INSERT INTO fp_learned_c SELECT r // 3, 'c' || r FROM range({ROWS}) t(r)")
        c.execute("CREATE INDEX fp_learned_c_k ON fp_learned_c USING LEARNED (k)")
        layout = c.execute("SELECT layout FROM augur_indexes() "
                           "WHERE index_name = 'fp_learned_c_k'").fetchone()
        assert layout == ("clustered",), layout
        c.execute("CREATE TABLE fp_nokey (id INTEGER, v TEXT)")
        c.execute("INSERT INTO fp_nokey SELECT r, 'n' || r FROM range(100) t(r)")
    return True


@pytest.fixture
def extended(server, tables):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        yield Diff(server, c)


@pytest.fixture
def simple(server, tables):
    c = psycopg2.connect(dsn(server))
    c.autocommit = True
    yield Diff(server, c, simple=True)
    c.close()


# (table, key column, a random key, present or absent, of the key's type)
KEYS = {
    "fp_int": ("id", lambda r: r.choice([r.randint(-10, 2 * ROWS + 10), 2 * r.randint(0, ROWS)])),
    "fp_big": ("id", lambda r: r.choice([1000000007 * r.randint(0, ROWS + 5),
                                         r.randint(-2**62, 2**62)])),
    "fp_small": ("id", lambda r: r.randint(-600, 600)),
    "fp_text": ("k", lambda r: r.choice([f"key-{r.randint(0, ROWS + 5):06d}", "", "it's",
                                         "ünï©ødé", "key-000001", "key-000001 ", "KEY-000001",
                                         "'; DROP TABLE fp_text; --", "\\x00"])),
    "fp_uniq": ("code", lambda r: r.choice([f"c{r.randint(0, ROWS + 5)}", "c10", "c0", "x"])),
    "fp_learned": ("k", lambda r: r.randint(-5, 1005)),
    "fp_learned_c": ("k", lambda r: r.randint(-3, ROWS // 3 + 3)),
    "fp_learned_s": ("k", lambda r: r.choice([f"customer-account-{r.randint(0, 710)}",
                                              "customer-account-", "customer-account-1x",
                                              "customer-accoun", "zzz"])),
}


def shapes(table, key):
    """Select lists and key positions the fast path handles, with %s for the key."""
    return [
        f"SELECT * FROM {table} WHERE {key} = %s",
        f"SELECT v, {key} FROM {table} WHERE {key} = %s",
        f"SELECT {table}.v AS value, v AS again FROM {table} WHERE {table}.{key} = %s",
        f"SELECT a.v, a.{key} FROM {table} a WHERE %s = a.{key}",
        f"SELECT a.* FROM {table} AS a WHERE a.{key} = %s",
    ]


@pytest.mark.parametrize("table", sorted(KEYS))
def test_random_keys_extended(extended, table):
    key, draw = KEYS[table]
    r = random.Random(f"ext-{table}")
    found = 0
    for sql in shapes(table, key):
        for _ in range(12):
            result = extended.check(sql, [draw(r)])
            found += len(result[2])
        extended.check(sql, [None])  # NULL matches nothing
    assert found > 0  # some keys were present


@pytest.mark.parametrize("table", sorted(KEYS))
def test_random_keys_simple(simple, table):
    key, draw = KEYS[table]
    r = random.Random(f"simple-{table}")
    for sql in shapes(table, key):
        for _ in range(8):
            value = draw(r)
            # psycopg2 writes a Python int as a bare literal, a str as a quoted one.
            simple.check(sql, [value], fast=None if isinstance(value, int) and
                         table in ("fp_small",) else True)


def test_literal_types_and_expected_rows(extended, simple):
    assert extended.check("SELECT v FROM fp_int WHERE id = 20")[2] == [("v10",)]
    assert simple.check("SELECT v FROM fp_int WHERE id = 20")[2] == [("v10",)]
    assert simple.check("SELECT v FROM fp_big WHERE id = 2000000014")[2] == [("b2",)]
    assert simple.check("SELECT v FROM fp_small WHERE id = -500")[2] == [("s0",)]
    assert simple.check("SELECT v FROM fp_text WHERE k = 'it''s'")[2] == [(-2,)]
    assert len(simple.check("SELECT * FROM fp_learned WHERE k = 7")[2]) == 3
    # Literals of another type than the key: the planner decides what they mean.
    simple.check("SELECT v FROM fp_int WHERE id = 5000000000", fast=False)
    simple.check("SELECT v FROM fp_int WHERE id = '20'", fast=False)
    simple.check("SELECT v FROM fp_int WHERE id = 20.0", fast=False)
    simple.check("SELECT v FROM fp_text WHERE k = 5", fast=False)


class Untyped(str):
    """A parameter psycopg sends as text with no type (OID 0)."""


class UntypedDumper(psycopg.adapt.Dumper):
    oid = 0

    def dump(self, obj):
        return obj.encode()


psycopg.adapters.register_dumper(Untyped, UntypedDumper)


def test_hostile_parameters(extended):
    # Not an integer, out of range, empty: the same SQLSTATE either way, before any lookup.
    c = extended.connection
    for value in ["abc", "1.5", "", "99999999999", "-", "1e3", "0x10", "\x01"]:
        before = fast_count(extended.server)
        results = []
        for on in (True, False):
            c.execute(f"SET augur_fast_path = {'true' if on else 'false'}")
            # A text parameter of no declared type, as pgbench sends one.
            results.append(capture(c.cursor(), "SELECT * FROM fp_int WHERE id = %s",
                                   [Untyped(value)], True))
        c.execute("SET augur_fast_path = true")
        assert results[0] == results[1], (value, results)
        # (DuckDB reads "1.5", "1e3" and "0x10" as integers, where PostgreSQL says 22P02: not the fast
        # path's difference; both paths agree.)
        if value not in ("1.5", "1e3", "0x10"):
            assert results[0][0] == "error", (value, results)
            assert fast_count(extended.server) == before
    # Text keys take anything.
    for value in ["\x01\x02", "a" * 5000, "%", "_", "key-%", "NULL", "\\"]:
        extended.check("SELECT * FROM fp_text WHERE k = %s", [value])
    extended.check("SELECT * FROM fp_int WHERE id = %s", [2**31 - 1])
    extended.check("SELECT * FROM fp_int WHERE id = %s", [-2**31])
    extended.check("SELECT * FROM fp_big WHERE id = %s", [2**63 - 1])
    extended.check("SELECT * FROM fp_big WHERE id = %s", [-2**63])




def test_shapes_the_fast_path_leaves_to_the_planner(extended, simple):
    for sql, params in [
        ("SELECT * FROM fp_nokey WHERE id = %s", [5]),                 # no index
        ("SELECT * FROM fp_int WHERE v = %s", ["v5"]),                 # not a key
        ("SELECT * FROM fp_int WHERE id = %s AND v = 'v5'", [10]),     # more conditions
        ("SELECT * FROM fp_int WHERE id = %s LIMIT 1", [10]),
        ("SELECT * FROM fp_int WHERE id = %s ORDER BY v", [10]),
        ("SELECT DISTINCT v FROM fp_int WHERE id = %s", [10]),
        ("SELECT v || 'x' FROM fp_int WHERE id = %s", [10]),           # an expression
        ("SELECT count(*) FROM fp_int WHERE id = %s", [10]),
        ("SELECT * FROM fp_int WHERE id = %s FOR UPDATE", [10]),
        ("SELECT * FROM fp_int WHERE id + 0 = %s", [10]),
        ("SELECT * FROM fp_int WHERE id = %s::BIGINT", [10]),
        ("SELECT * FROM fp_int i, fp_big b WHERE i.id = %s", [10]),
        ("SELECT * FROM fp_int WHERE id IN (%s)", [10]),
        ("SELECT * FROM fp_int WHERE id = %s UNION ALL SELECT * FROM fp_int WHERE id = 2", [10]),
        ("SELECT * FROM fp_int WHERE k = %s", [10]),                   # no such column: 42703
        ("SELECT nope FROM fp_int WHERE id = %s", [10]),
        ("SELECT * FROM fp_missing WHERE id = %s", [10]),              # no such table: 42P01
        ("SELECT * FROM nosuchschema.fp_int WHERE id = %s", [10]),
        ("SELECT rowid FROM fp_int WHERE id = %s", [10]),
    ]:
        extended.check(sql, params, fast=False)
        simple.check(sql, params, fast=False)
    extended.check("SELECT * FROM fp_int WHERE id = NULL", fast=False)
    simple.check("SELECT * FROM fp_int WHERE id = NULL", fast=False)


def test_views_and_generated_columns_take_the_planner(extended, server, tables):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        c.execute("CREATE OR REPLACE VIEW fp_view AS SELECT id, v FROM fp_int")
        c.execute("DROP TABLE IF EXISTS fp_gen")
        c.execute("CREATE TABLE fp_gen (id INTEGER PRIMARY KEY, x INTEGER, "
                  "y INTEGER GENERATED ALWAYS AS (x * 2) VIRTUAL)")
        c.execute("INSERT INTO fp_gen (id, x) VALUES (1, 10), (2, 20)")
    extended.check("SELECT * FROM fp_view WHERE id = %s", [10], fast=False)
    extended.check("SELECT * FROM fp_gen WHERE id = %s", [2], fast=False)
    extended.check("SELECT x FROM fp_gen WHERE id = %s", [2])  # a stored column


def test_transaction_block_sees_its_own_changes(server, tables):
    for simple in (False, True):
        if simple:
            conn = psycopg2.connect(dsn(server))
            conn.autocommit = True
        else:
            conn = psycopg.connect(dsn(server), autocommit=True)
        try:
            check_own_changes(Diff(server, conn, simple=simple))
        finally:
            conn.close()  # rolls back a block that a failed check left open


def check_own_changes(d):
    """Lookups in a block see its own inserts, updates, deletes and key changes, and after
    ROLLBACK what they saw before."""
    lookups = lambda: [d.check("SELECT * FROM fp_int WHERE id = %s", [k])  # noqa: E731
                       for k in (2, 4, 6, 8, 10, 12, 100001, 100003, 100005)]
    before = lookups()
    d.cur.execute("BEGIN")
    d.cur.execute("INSERT INTO fp_int VALUES (100001, 'new', 1)")  # new key
    d.cur.execute("UPDATE fp_int SET v = 'changed' WHERE id = 2")  # non-key column
    d.cur.execute("UPDATE fp_int SET id = 100003 WHERE id = 4")   # the key itself
    d.cur.execute("DELETE FROM fp_int WHERE id = 6")
    d.cur.execute("INSERT INTO fp_int VALUES (100005, 'gone', 2)")
    d.cur.execute("DELETE FROM fp_int WHERE id = 100005")          # inserted, then deleted
    d.cur.execute("DELETE FROM fp_int WHERE id = 8")
    d.cur.execute("INSERT INTO fp_int VALUES (8, 'again', 3)")     # deleted, then re-added
    inside = lookups()
    assert inside[0][2] == [(2, "changed", 10)]
    assert inside[1][2] == [] and inside[2][2] == []
    assert inside[3][2] == [(8, "again", 3)]
    assert inside[6][2] == [(100001, "new", 1)]
    assert inside[7][2] == [(100003, "v2", 20)]
    assert inside[8][2] == []
    # Text keys and LEARNED keys in the same block.
    d.cur.execute("INSERT INTO fp_text VALUES ('key-new', 42)")
    d.cur.execute("INSERT INTO fp_learned VALUES (7, 'l-new')")
    d.cur.execute("DELETE FROM fp_learned WHERE v = 'l7'")
    assert d.check("SELECT v FROM fp_text WHERE k = %s", ["key-new"])[2] == [(42,)]
    assert sorted(d.check("SELECT v FROM fp_learned WHERE k = %s", [7])[2]) == [
        ("l-new",), ("l1007",), ("l2007",)]
    d.cur.execute("ROLLBACK")
    assert lookups() == before
    assert d.check("SELECT v FROM fp_text WHERE k = %s", ["key-new"])[2] == []
    assert len(d.check("SELECT v FROM fp_learned WHERE k = %s", [7])[2]) == 3


def test_failed_block_answers_25p02(extended):
    c = extended.connection
    c.autocommit = False
    try:
        cur = c.cursor()
        with pytest.raises(psycopg.errors.UniqueViolation):
            cur.execute("INSERT INTO fp_int VALUES (2, 'dup', 0)")
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            cur.execute("SELECT * FROM fp_int WHERE id = %s", [2], prepare=True)
        c.rollback()
    finally:
        c.autocommit = True
    extended.check("SELECT * FROM fp_int WHERE id = %s", [2])


def test_concurrent_snapshot(server, tables):
    with psycopg.connect(dsn(server), autocommit=True) as reader, \
            psycopg.connect(dsn(server), autocommit=True) as writer:
        writer.execute("DELETE FROM fp_int WHERE id >= 200000")
        writer.execute("INSERT INTO fp_int VALUES (200002, 'to-update', 1), "
                       "(200004, 'to-delete', 2)")
        d = Diff(server, reader)
        keys = (200000, 200002, 200004, 200006)
        d.cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        seen = [d.check("SELECT * FROM fp_int WHERE id = %s", [k]) for k in keys]
        writer.execute("INSERT INTO fp_int VALUES (200000, 'inserted', 0)")
        writer.execute("UPDATE fp_int SET v = 'updated' WHERE id = 200002")
        writer.execute("DELETE FROM fp_int WHERE id = 200004")
        writer.execute("UPDATE fp_int SET id = 200006 WHERE id = 200002")
        # The reader's snapshot still shows the rows as they were.
        assert [d.check("SELECT * FROM fp_int WHERE id = %s", [k]) for k in keys] == seen
        assert seen[1][2] == [(200002, "to-update", 1)] and seen[0][2] == []
        d.cur.execute("COMMIT")
        now = [d.check("SELECT * FROM fp_int WHERE id = %s", [k]) for k in keys]
        assert [row[2] for row in now] == [[(200000, "inserted", 0)], [], [],
                                            [(200006, "updated", 1)]]
        writer.execute("DELETE FROM fp_int WHERE id >= 200000")


def test_schema_changes_invalidate(server, tables):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS fp_ddl")
        c.execute("CREATE TABLE fp_ddl (id INTEGER PRIMARY KEY, v TEXT)")
        c.execute("INSERT INTO fp_ddl VALUES (1, 'one'), (2, 'two')")
        d = Diff(server, c)
        star = "SELECT * FROM fp_ddl WHERE id = %s"
        cols = "SELECT v FROM fp_ddl WHERE id = %s"
        assert d.check(star, [1])[2] == [(1, "one")]
        d.check(cols, [2])
        # A new column: `*` of the prepared statement now means other columns; whatever the
        # planner answers (PostgreSQL: 0A000), the fast path answers the same.
        c.execute("ALTER TABLE fp_ddl ADD COLUMN w INTEGER DEFAULT 7")
        d.check(star, [1], fast=None)
        assert d.check(cols, [2])[2] == [("two",)]
        c.execute("ALTER TABLE fp_ddl RENAME COLUMN v TO v2")
        d.check(cols, [2], fast=False)
        c.execute("DROP TABLE fp_ddl")
        d.check(cols, [2], fast=False)
        d.check(star, [2], fast=None)
        # The same name, another table: other key type and rows.
        c.execute("CREATE TABLE fp_ddl (id BIGINT PRIMARY KEY, v TEXT)")
        c.execute("INSERT INTO fp_ddl VALUES (2, 'new two')")
        assert d.check(cols, [2], fast=None)[2] in ([("new two",)], None)
        d2 = Diff(server, c, simple=False)
        d2.check("SELECT v FROM fp_ddl WHERE id = %s ", [2])
        # DDL inside a block, rolled back.
        c.execute("BEGIN")
        c.execute("DROP TABLE fp_ddl")
        c.execute("CREATE TABLE fp_ddl (id VARCHAR PRIMARY KEY, v TEXT)")
        c.execute("INSERT INTO fp_ddl VALUES ('2', 'text two')")
        assert d.check("SELECT v FROM fp_ddl WHERE id = %s", ["2"], fast=None)[2] == [
            ("text two",)]
        c.execute("ROLLBACK")
        assert d.check("SELECT v FROM fp_ddl WHERE id = %s ", [2])[2] == [("new two",)]
        # A temporary table of the same name hides the other.
        c.execute("CREATE TEMP TABLE fp_ddl (id BIGINT PRIMARY KEY, v TEXT)")
        c.execute("INSERT INTO fp_ddl VALUES (2, 'temp two')")
        assert d.check("SELECT v FROM fp_ddl WHERE id = %s ", [2])[2] == [("temp two",)]
        c.execute("DROP TABLE temp.fp_ddl")
        assert d.check("SELECT v FROM fp_ddl WHERE id = %s ", [2])[2] == [("new two",)]
        # The LEARNED index dropped: the planner, then the fast path again once it is back.
        c.execute("DROP INDEX fp_learned_k")
        d.check("SELECT v FROM fp_learned WHERE k = %s", [7], fast=False)
        c.execute("CREATE INDEX fp_learned_k ON fp_learned USING LEARNED (k)")
        d.check("SELECT v FROM fp_learned WHERE k = %s", [7])
        c.execute("DROP TABLE fp_ddl")


def test_search_path_decides_the_table(server, tables):
    with psycopg.connect(dsn(server), autocommit=True) as c:
        c.execute("CREATE SCHEMA IF NOT EXISTS fp_s")
        c.execute("DROP TABLE IF EXISTS fp_s.fp_int")
        c.execute("CREATE TABLE fp_s.fp_int (id INTEGER PRIMARY KEY, v TEXT, n BIGINT)")
        c.execute("INSERT INTO fp_s.fp_int VALUES (2, 'in fp_s', 0)")
        d = Diff(server, c)
        sql = "SELECT v FROM fp_int WHERE id = %s"
        assert d.check(sql, [2])[2] == [("v1",)]
        c.execute("SET search_path = fp_s, public")
        assert d.check(sql, [2])[2] == [("in fp_s",)]
        c.execute("SET search_path = public")
        assert d.check(sql, [2])[2] == [("v1",)]
        assert d.check("SELECT v FROM fp_s.fp_int WHERE id = %s", [2])[2] == [("in fp_s",)]
        c.execute("DROP TABLE fp_s.fp_int")
        c.execute("DROP SCHEMA fp_s")


def test_another_role_gets_the_planners_answer(server, tables):
    # Privileges are checked before the engine runs anything, on either path.
    server.psql("DROP ROLE IF EXISTS fp_nobody")
    server.psql("CREATE ROLE fp_nobody LOGIN", check=True)
    with psycopg.connect(dsn(server, user="fp_nobody"), autocommit=True) as c:
        d = Diff(server, c)
        d.check("SELECT * FROM fp_int WHERE id = %s", [2], fast=None)
    server.psql("DROP ROLE fp_nobody")


def test_explain_and_metrics(server, extended):
    c = extended.connection
    assert c.execute("SHOW augur_fast_path").fetchone() == ("true",)  # on by default
    rows = c.execute("EXPLAIN SELECT * FROM fp_int WHERE id = 2").fetchall()
    assert rows[0] == ("augur fast path", "key lookup on fp_int(id) via ART")
    rows = c.execute("EXPLAIN SELECT * FROM fp_learned WHERE k = %s", [2]).fetchall()
    assert rows[0] == ("augur fast path", "key lookup on fp_learned(k) via LEARNED")
    c.execute("SET augur_fast_path = false")
    rows = c.execute("EXPLAIN SELECT * FROM fp_int WHERE id = 2").fetchall()
    assert all(r[0] != "augur fast path" for r in rows)
    c.execute("SET augur_fast_path = true")
    rows = c.execute("EXPLAIN SELECT * FROM fp_nokey WHERE id = 2").fetchall()
    assert all(r[0] != "augur fast path" for r in rows)
    c.execute("SELECT * FROM fp_int WHERE id = %s", [2], prepare=True)  # one of each path
    c.execute("SELECT count(*) FROM fp_int")
    c2 = http.client.HTTPConnection(server.host, server.http_port, timeout=10)
    c2.request("GET", "/metrics")
    text = c2.getresponse().read().decode()
    assert re.search(r'^augur_engine_executions_total\{path="planner"\} [1-9]', text, re.M)
    assert re.search(r'^augur_engine_executions_total\{path="fast_path"\} [1-9]', text, re.M)


def test_server_config_turns_it_off(tmp_path):
    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--fast-path", "false"]).start()
    try:
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            assert c.execute("SHOW augur_fast_path").fetchone() == ("false",)
            c.execute("CREATE TABLE k (id INTEGER PRIMARY KEY, v TEXT)")
            c.execute("INSERT INTO k VALUES (1, 'one')")
            before = fast_count(srv)
            sql = "SELECT v FROM k WHERE id = %s"
            assert c.execute(sql, [1], prepare=True).fetchall() == [("one",)]
            assert fast_count(srv) == before
            c.execute("SET augur_fast_path = true")  # a session may still turn it on
            assert c.execute(sql, [1], prepare=True).fetchall() == [("one",)]
            assert fast_count(srv) == before + 1
    finally:
        assert srv.stop() == 0
