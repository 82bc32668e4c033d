"""Savepoints (SAVEPOINT, RELEASE, ROLLBACK TO) and SET LOCAL, through real clients.

Every expected value below is what PostgreSQL 15 answers to the same statements: with
AUGUR_COMPARE_DSN set to a PostgreSQL server's DSN (an empty database), the same tests run against
it instead of augur, which is how the expectations were written and how they can be re-checked.
augur's design and its limits: docs/COMPATIBILITY.md, "Savepoints".
"""

import os
import threading
import time
import uuid

import psycopg
import psycopg2
import pytest

from conftest import configure_django


@pytest.fixture
def dsn(server):
    return os.environ.get("AUGUR_COMPARE_DSN") or server.dsn()


def fresh(prefix):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def make_table(cur, name):
    """A table with a sequence-drawn key (augur has no serial type)."""
    cur.execute(f"CREATE SEQUENCE {name}_seq")
    cur.execute(f"CREATE TABLE {name} (id integer PRIMARY KEY DEFAULT nextval('{name}_seq'), "
                "v text)")


def run(cur, sql):
    """One statement: its command tag and rows, or ('ERR', sqlstate, first line of message)."""
    try:
        cur.execute(sql)
        return (cur.statusmessage, cur.fetchall() if cur.description else None)
    except psycopg2.Error as e:
        return ("ERR", e.pgcode, str(e).splitlines()[0])


@pytest.fixture
def simple(dsn):
    """psycopg2: the simple query protocol, autocommit so the test sends BEGIN itself."""
    c = psycopg2.connect(dsn)
    c.autocommit = True
    yield c.cursor()
    c.close()


def test_rollback_to_undoes_writes_and_keeps_sequence_values(simple):
    t = fresh("sp_seq")
    make_table(simple, t)
    steps = [
        ("BEGIN", ("BEGIN", None)),
        (f"INSERT INTO {t}(v) VALUES ('a') RETURNING id", ("INSERT 0 1", [(1,)])),
        ("SAVEPOINT s1", ("SAVEPOINT", None)),
        (f"INSERT INTO {t}(v) VALUES ('b') RETURNING id", ("INSERT 0 1", [(2,)])),
        ("ROLLBACK TO SAVEPOINT s1", ("ROLLBACK", None)),
        (f"SELECT id, v FROM {t} ORDER BY id", ("SELECT 1", [(1, "a")])),
        # sequences are not transactional: the next value is 3, as in PostgreSQL
        (f"INSERT INTO {t}(v) VALUES ('c') RETURNING id", ("INSERT 0 1", [(3,)])),
        ("SAVEPOINT s2", ("SAVEPOINT", None)),
        (f"INSERT INTO {t}(v) VALUES ('d')", ("INSERT 0 1", None)),
        ("ROLLBACK TO s2", ("ROLLBACK", None)),
        (f"SELECT id, v FROM {t} ORDER BY id", ("SELECT 2", [(1, "a"), (3, "c")])),
        ("RELEASE s2", ("RELEASE", None)),
        ("ROLLBACK TO s1", ("ROLLBACK", None)),
        (f"SELECT id, v FROM {t} ORDER BY id", ("SELECT 1", [(1, "a")])),
        ("COMMIT", ("COMMIT", None)),
        (f"SELECT id, v FROM {t} ORDER BY id", ("SELECT 1", [(1, "a")])),
        (f"SELECT nextval('{t}_seq')", ("SELECT 1", [(5,)])),
    ]
    for sql, expected in steps:
        assert run(simple, sql) == expected, sql


def test_rollback_to_replays_statements_rewritten_on_their_parse_tree(simple):
    """ROLLBACK TO repeats the logged text, which must get the same parse-tree rewrites as when
    it first ran (here: an INSERT with fewer values than columns)."""
    t = fresh("sp_partial")
    simple.execute(f"CREATE TABLE {t} (a integer PRIMARY KEY, b integer DEFAULT 7, c text)")
    steps = [
        ("BEGIN", ("BEGIN", None)),
        (f"INSERT INTO {t} VALUES (1)", ("INSERT 0 1", None)),
        (f"INSERT INTO {t} VALUES (11, 7)", ("INSERT 0 1", None)),
        ("SAVEPOINT s", ("SAVEPOINT", None)),
        (f"INSERT INTO {t} VALUES (2, 8)", ("INSERT 0 1", None)),
        ("ROLLBACK TO SAVEPOINT s", ("ROLLBACK", None)),
        (f"SELECT a, b, c FROM {t} ORDER BY a", ("SELECT 2", [(1, 7, None), (11, 7, None)])),
        ("COMMIT", ("COMMIT", None)),
    ]
    for sql, expected in steps:
        assert run(simple, sql) == expected, sql


def test_error_inside_a_savepoint_leaves_the_outer_transaction_usable(simple):
    t = fresh("sp_err")
    make_table(simple, t)
    assert run(simple, "BEGIN") == ("BEGIN", None)
    assert run(simple, f"INSERT INTO {t}(v) VALUES ('kept') RETURNING id") == ("INSERT 0 1",
                                                                                [(1,)])
    assert run(simple, "SAVEPOINT a") == ("SAVEPOINT", None)
    assert run(simple, f"INSERT INTO {t}(v) VALUES ('gone')") == ("INSERT 0 1", None)
    err = run(simple, f"INSERT INTO {t}(id, v) VALUES (1, 'dup')")
    assert err[:2] == ("ERR", "23505")
    assert run(simple, "SELECT 1") == (
        "ERR", "25P02",
        "current transaction is aborted, commands ignored until end of transaction block")
    assert run(simple, "SAVEPOINT b")[:2] == ("ERR", "25P02")
    assert run(simple, "RELEASE a")[:2] == ("ERR", "25P02")
    assert run(simple, "ROLLBACK TO nosuch") == ("ERR", "3B001",
                                                 'savepoint "nosuch" does not exist')
    assert run(simple, "ROLLBACK TO a") == ("ROLLBACK", None)
    assert run(simple, f"SELECT v FROM {t} ORDER BY id") == ("SELECT 1", [("kept",)])
    assert run(simple, f"INSERT INTO {t}(v) VALUES ('after') RETURNING id") == ("INSERT 0 1",
                                                                                 [(3,)])
    assert run(simple, "COMMIT") == ("COMMIT", None)
    assert run(simple, f"SELECT id, v FROM {t} ORDER BY id") == ("SELECT 2",
                                                                 [(1, "kept"), (3, "after")])


def test_a_failed_read_inside_a_savepoint(simple):
    t = fresh("sp_read")
    make_table(simple, t)
    run(simple, "BEGIN")
    run(simple, f"INSERT INTO {t}(v) VALUES ('x')")
    assert run(simple, "SAVEPOINT a") == ("SAVEPOINT", None)
    assert run(simple, "SELECT 1/0")[:2] == ("ERR", "22012")
    assert run(simple, "ROLLBACK TO a") == ("ROLLBACK", None)
    assert run(simple, f"SELECT v FROM {t}") == ("SELECT 1", [("x",)])
    assert run(simple, "COMMIT") == ("COMMIT", None)


def test_savepoint_commands_outside_a_block_and_unknown_names(simple):
    assert run(simple, "SAVEPOINT a") == ("ERR", "25P01",
                                          "SAVEPOINT can only be used in transaction blocks")
    assert run(simple, "RELEASE SAVEPOINT a") == (
        "ERR", "25P01", "RELEASE SAVEPOINT can only be used in transaction blocks")
    assert run(simple, "ROLLBACK TO SAVEPOINT a") == (
        "ERR", "25P01", "ROLLBACK TO SAVEPOINT can only be used in transaction blocks")
    assert run(simple, "BEGIN") == ("BEGIN", None)
    assert run(simple, "RELEASE nosuch") == ("ERR", "3B001", 'savepoint "nosuch" does not exist')
    assert run(simple, "SELECT 1")[:2] == ("ERR", "25P02")  # the error failed the block
    assert run(simple, "COMMIT") == ("ROLLBACK", None)


def test_repeated_names_and_release_order(simple):
    t = fresh("sp_names")
    make_table(simple, t)
    for sql in ["BEGIN", "SAVEPOINT a", f"INSERT INTO {t}(v) VALUES ('1')", "SAVEPOINT a",
                f"INSERT INTO {t}(v) VALUES ('2')", "SAVEPOINT b",
                f"INSERT INTO {t}(v) VALUES ('3')"]:
        assert run(simple, sql)[0] != "ERR", sql
    assert run(simple, "ROLLBACK TO a") == ("ROLLBACK", None)  # the later "a"
    assert run(simple, f"SELECT v FROM {t} ORDER BY id") == ("SELECT 1", [("1",)])
    assert run(simple, "ROLLBACK TO b")[:2] == ("ERR", "3B001")  # b was after it
    assert run(simple, "ROLLBACK TO a") == ("ROLLBACK", None)
    assert run(simple, "RELEASE a") == ("RELEASE", None)  # releases the later "a" only
    assert run(simple, "ROLLBACK TO a") == ("ROLLBACK", None)  # the first "a" is still there
    assert run(simple, f"SELECT count(*) FROM {t}") == ("SELECT 1", [(0,)])
    assert run(simple, '''SAVEPOINT "Mixed"''') == ("SAVEPOINT", None)
    assert run(simple, "RELEASE mixed")[:2] == ("ERR", "3B001")  # quoted names keep case
    assert run(simple, "ROLLBACK") == ("ROLLBACK", None)


def test_ddl_inside_and_before_a_savepoint(simple):
    keep, drop = fresh("sp_keep"), fresh("sp_drop")
    run(simple, "BEGIN")
    assert run(simple, f"CREATE TABLE {keep} (a int)") == ("CREATE TABLE", None)
    run(simple, f"INSERT INTO {keep} VALUES (1), (2)")
    run(simple, "SAVEPOINT s")
    assert run(simple, f"CREATE TABLE {drop} (a int)") == ("CREATE TABLE", None)
    run(simple, f"INSERT INTO {keep} VALUES (3)")
    assert run(simple, "ROLLBACK TO s") == ("ROLLBACK", None)
    assert run(simple, f"SELECT a FROM {keep} ORDER BY a") == ("SELECT 2", [(1,), (2,)])
    assert run(simple, f"SELECT * FROM {drop}")[:2] == ("ERR", "42P01")
    run(simple, "ROLLBACK TO s")
    assert run(simple, "COMMIT") == ("COMMIT", None)
    assert run(simple, f"SELECT count(*) FROM {keep}") == ("SELECT 1", [(2,)])


def test_a_thousand_nested_savepoints_and_long_names(simple):
    t = fresh("sp_deep")
    make_table(simple, t)
    run(simple, "BEGIN")
    for i in range(1000):
        assert run(simple, f"SAVEPOINT s{i}") == ("SAVEPOINT", None)
        if i % 100 == 0:
            run(simple, f"INSERT INTO {t}(v) VALUES ('{i}')")
    assert run(simple, "ROLLBACK TO s450") == ("ROLLBACK", None)
    assert run(simple, f"SELECT v FROM {t} ORDER BY id") == (
        "SELECT 5", [("0",), ("100",), ("200",), ("300",), ("400",)])
    assert run(simple, "RELEASE s1") == ("RELEASE", None)
    assert run(simple, "ROLLBACK TO s0") == ("ROLLBACK", None)  # taken before the first insert
    assert run(simple, f"SELECT v FROM {t}") == ("SELECT 0", [])
    long = "x" * 200
    assert run(simple, f"SAVEPOINT {long}") == ("SAVEPOINT", None)
    assert run(simple, f"ROLLBACK TO {'x' * 63}") == ("ROLLBACK", None)  # names are 63 bytes
    assert run(simple, "ROLLBACK") == ("ROLLBACK", None)


def test_psycopg3_nested_transaction_blocks(dsn):
    """psycopg 3's conn.transaction() nests with SAVEPOINT; its statements use the extended
    protocol with bound parameters, which the replay repeats with the same values."""
    t = fresh("sp_pg3")
    with psycopg.connect(dsn, autocommit=True) as conn:
        make_table(conn.cursor(), t)
        with conn.transaction():
            conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("outer",))
            with pytest.raises(psycopg.errors.UniqueViolation):
                with conn.transaction():
                    conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("inner",))
                    conn.execute(f"INSERT INTO {t}(id, v) VALUES (%s, %s)", (1, "dup"))
            with conn.transaction():
                conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("second",))
                with conn.transaction() as inner:
                    conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("undone",))
                    raise psycopg.Rollback(inner)
            rows = conn.execute(f"SELECT id, v FROM {t} ORDER BY id").fetchall()
            assert rows == [(1, "outer"), (3, "second")]
        assert conn.execute(f"SELECT id, v FROM {t} ORDER BY id").fetchall() == [
            (1, "outer"), (3, "second")]
        assert conn.execute(f"SELECT nextval('{t}_seq')").fetchone() == (5,)


def test_psycopg2_manual_savepoints(dsn):
    t = fresh("sp_pg2")
    conn = psycopg2.connect(dsn)  # not autocommit: psycopg2 opens the block itself
    try:
        cur = conn.cursor()
        make_table(cur, t)
        conn.commit()
        cur.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("one",))
        cur.execute("SAVEPOINT sp")
        cur.execute(f"UPDATE {t} SET v = %s", ("changed",))
        cur.execute(f"DELETE FROM {t}")
        cur.execute("ROLLBACK TO SAVEPOINT sp")
        cur.execute(f"SELECT v FROM {t}")
        assert cur.fetchall() == [("one",)]
        cur.execute("SAVEPOINT sp2")
        with pytest.raises(psycopg2.errors.UndefinedTable):
            cur.execute("SELECT * FROM sp_no_such_table")
        cur.execute("ROLLBACK TO SAVEPOINT sp2")
        cur.execute("RELEASE SAVEPOINT sp")
        conn.commit()
        cur.execute(f"SELECT id, v FROM {t}")
        assert cur.fetchall() == [(1, "one")]
        conn.commit()
    finally:
        conn.close()


def test_sqlalchemy_begin_nested(dsn):
    import sqlalchemy as sa
    t = fresh("sp_sa")
    engine = sa.create_engine("postgresql+psycopg2://", creator=lambda: psycopg2.connect(dsn))
    try:
        with engine.connect() as conn:
            with conn.begin():
                conn.execute(sa.text(f"CREATE SEQUENCE {t}_seq"))
                conn.execute(sa.text(f"CREATE TABLE {t} (id integer PRIMARY KEY DEFAULT "
                                     f"nextval('{t}_seq'), v text)"))
            with conn.begin():
                conn.execute(sa.text(f"INSERT INTO {t}(v) VALUES (:v)"), {"v": "outer"})
                nested = conn.begin_nested()
                conn.execute(sa.text(f"INSERT INTO {t}(v) VALUES (:v)"), {"v": "nested"})
                nested.rollback()
                nested = conn.begin_nested()
                try:
                    conn.execute(sa.text(f"INSERT INTO {t}(id, v) VALUES (1, 'dup')"))
                except sa.exc.IntegrityError:
                    nested.rollback()
                with conn.begin_nested():
                    conn.execute(sa.text(f"INSERT INTO {t}(v) VALUES (:v)"), {"v": "kept"})
            rows = conn.execute(sa.text(f"SELECT id, v FROM {t} ORDER BY id")).fetchall()
            assert [tuple(r) for r in rows] == [(1, "outer"), (3, "kept")]
    finally:
        engine.dispose()


def test_django_nested_atomic(dsn, tmp_path):
    django = pytest.importorskip("django")
    params = dict(p.split("=", 1) for p in dsn.split())
    configure_django(params["host"], params.get("port", "5432"), params.get("dbname", "augur"),
                     params.get("user", "augur"))
    from django.db import IntegrityError, connection, models, transaction
    t = fresh("sp_dj")

    class Item(models.Model):
        name = models.TextField(unique=True)

        class Meta:
            app_label = "sp_test"
            db_table = t
            managed = False

    try:
        with connection.cursor() as cur:
            cur.execute(f"CREATE SEQUENCE {t}_seq")
            cur.execute(f"CREATE TABLE {t} (id integer PRIMARY KEY DEFAULT nextval('{t}_seq'), "
                        "name text UNIQUE)")
        with transaction.atomic():
            a = Item.objects.create(name="a")
            try:
                with transaction.atomic():
                    Item.objects.create(name="b")
                    raise RuntimeError("inner rollback")
            except RuntimeError:
                pass
            try:
                with transaction.atomic():
                    Item.objects.create(name="a")  # unique violation inside the savepoint
            except IntegrityError:
                pass
            obj, created = Item.objects.get_or_create(name="a")
            assert (obj.pk, created) == (a.pk, False)
            c = Item.objects.create(name="c")
        assert a.pk == 1
        assert c.pk == 4
        assert list(Item.objects.order_by("id").values_list("id", "name")) == [(1, "a"),
                                                                               (4, "c")]
    finally:
        connection.close()


def test_set_local_reverts_at_the_end_of_the_block(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        sh = lambda name: conn.execute(f"SHOW {name}").fetchone()[0]  # noqa: E731
        conn.execute("SET application_name = 'base'")
        conn.execute("SET LOCAL application_name = 'outside'")  # PostgreSQL: a warning only
        assert sh("application_name") == "base"
        tz = sh("TimeZone")
        with conn.transaction():
            conn.execute("SET LOCAL application_name = 'inner'")
            assert sh("application_name") == "inner"
            conn.execute("SAVEPOINT a")
            conn.execute("SET LOCAL application_name = 'inner2'")
            conn.execute("SET LOCAL statement_timeout = '5s'")
            assert sh("application_name") == "inner2"
            conn.execute("ROLLBACK TO a")
            assert sh("application_name") == "inner"
            assert sh("statement_timeout") == "0"
            assert conn.execute("SELECT set_config('myapp.tenant', '42', true)").fetchone() == (
                "42",)
            assert conn.execute("SELECT current_setting('myapp.tenant')").fetchone() == ("42",)
            conn.execute("SET LOCAL TimeZone = 'Asia/Tokyo'")
            assert sh("TimeZone") == "Asia/Tokyo"
            conn.execute("SET LOCAL TIME ZONE 'Europe/Paris'")
            assert sh("TimeZone") == "Europe/Paris"
        assert sh("application_name") == "base"
        assert sh("TimeZone") == tz
        assert conn.execute("SHOW myapp.tenant").fetchone() == ("",)
        with pytest.raises(psycopg.errors.UndefinedObject):
            with conn.transaction():
                conn.execute("SET LOCAL sp_no_such_setting = 1")
        with conn.transaction():
            conn.execute("SET LOCAL statement_timeout = '5s'")
            conn.execute("ROLLBACK")  # ends the block; psycopg would send it too
            assert sh("statement_timeout") == "0"
            conn.execute("BEGIN")


def test_savepoints_across_extended_protocol_syncs(dsn):
    """Each psycopg 3 statement is Parse/Bind/Execute/Sync; ROLLBACK TO must be accepted by Parse
    in a failed block."""
    t = fresh("sp_ext")
    with psycopg.connect(dsn, autocommit=True) as conn:
        make_table(conn.cursor(), t)
        conn.execute("BEGIN")
        conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("a",), prepare=True)
        conn.execute("SAVEPOINT x", prepare=True)
        conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("b",), prepare=True)
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute(f"INSERT INTO {t}(id, v) VALUES (%s, %s)", (2, "dup"), prepare=True)
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            conn.execute("SELECT 1", prepare=True)
        conn.execute("ROLLBACK TO SAVEPOINT x", prepare=True)
        conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", ("c",), prepare=True)
        conn.execute("COMMIT")
        assert conn.execute(f"SELECT id, v FROM {t} ORDER BY id").fetchall() == [(1, "a"),
                                                                                 (3, "c")]


def test_a_concurrent_writer_waits_and_the_replay_is_exact(dsn):
    """The replay cannot meet another writer's commit: a block that wrote holds the writer turn
    until it ends, so the second session waits (in PostgreSQL it waits for the row lock on id 2,
    until ROLLBACK TO; in augur until COMMIT)."""
    t = fresh("sp_conc")
    with psycopg.connect(dsn, autocommit=True) as a, \
            psycopg.connect(dsn, autocommit=True) as b:
        make_table(a.cursor(), t)
        a.execute("BEGIN")
        a.execute(f"INSERT INTO {t}(id, v) VALUES (1, 'a')")
        a.execute("SAVEPOINT s")
        a.execute(f"INSERT INTO {t}(id, v) VALUES (2, 'b')")
        done = threading.Event()
        errors = []

        def other():
            try:
                b.execute(f"INSERT INTO {t}(id, v) VALUES (2, 'other')")
            except Exception as e:  # noqa: BLE001
                errors.append(e)
            done.set()

        th = threading.Thread(target=other)
        th.start()
        time.sleep(0.5)
        assert not done.is_set()
        a.execute("ROLLBACK TO s")
        assert a.execute(f"SELECT id FROM {t} ORDER BY id").fetchall() == [(1,)]
        a.execute("COMMIT")
        th.join(10)
        assert done.is_set() and not errors
        assert a.execute(f"SELECT id, v FROM {t} ORDER BY id").fetchall() == [(1, "a"),
                                                                              (2, "other")]


# augur's own limits (docs/COMPATIBILITY.md, "Savepoints"): PostgreSQL has none of them, so these
# run against augur only.
augur_only = pytest.mark.skipif(bool(os.environ.get("AUGUR_COMPARE_DSN")),
                                reason="augur's replay limits; PostgreSQL has none")


@augur_only
def test_copy_from_stdin_before_a_savepoint_refuses_a_replay(dsn):
    t = fresh("sp_copy")
    with psycopg.connect(dsn, autocommit=True) as conn:
        make_table(conn.cursor(), t)
        conn.execute("BEGIN")
        with conn.cursor().copy(f"COPY {t}(id, v) FROM STDIN") as copy:
            copy.write_row((10, "copied"))
        conn.execute("SAVEPOINT nothing_written")
        conn.execute("ROLLBACK TO nothing_written")  # no replay needed: accepted
        conn.execute(f"INSERT INTO {t}(id, v) VALUES (11, 'x')")
        with pytest.raises(psycopg.errors.FeatureNotSupported) as info:
            conn.execute("ROLLBACK TO nothing_written")
        assert "COPY FROM STDIN ran before it" in str(info.value)
        with pytest.raises(psycopg.errors.InFailedSqlTransaction):
            conn.execute("SELECT 1")
        conn.execute("ROLLBACK")
        assert conn.execute(f"SELECT count(*) FROM {t}").fetchone() == (0,)


@augur_only
def test_a_replay_that_fails_leaves_the_block_failed(simple):
    """A statement whose outcome depends on something outside the transaction (here a DuckDB
    variable, which rollback does not touch) can fail when repeated."""
    t = fresh("sp_replay")
    make_table(simple, t)
    run(simple, "SET VARIABLE sp_key = '5'")
    run(simple, "BEGIN")
    assert run(simple, f"INSERT INTO {t}(id, v) VALUES (getvariable('sp_key')::int, 'a')")[0] == (
        "INSERT 0 1")
    run(simple, "SAVEPOINT s")
    run(simple, f"INSERT INTO {t}(id, v) VALUES (6, 'b')")
    run(simple, "SET VARIABLE sp_key = 'not a number'")
    err = run(simple, "ROLLBACK TO s")
    assert err[:2] == ("ERR", "40001")
    assert 'cannot roll back to savepoint "s": repeating the transaction' in err[2]
    assert run(simple, "SELECT 1")[:2] == ("ERR", "25P02")
    assert run(simple, "COMMIT") == ("ROLLBACK", None)
    assert run(simple, f"SELECT count(*) FROM {t}") == ("SELECT 1", [(0,)])


@augur_only
def test_the_replay_log_is_capped(dsn):
    t = fresh("sp_cap")
    chunk = "x" * (1 << 20)
    with psycopg.connect(dsn, autocommit=True) as conn:
        make_table(conn.cursor(), t)
        conn.execute("BEGIN")
        conn.execute("SAVEPOINT early")
        for _ in range(70):  # 70 MiB of logged statements, past the 64 MiB cap
            conn.execute(f"INSERT INTO {t}(v) VALUES (%s)", (chunk,))
        conn.execute("SAVEPOINT late")
        conn.execute("ROLLBACK TO late")  # nothing written since: still fine
        conn.execute("RELEASE late")
        with pytest.raises(psycopg.errors.ProgramLimitExceeded) as info:
            conn.execute("ROLLBACK TO early")
        assert "64 MiB" in str(info.value)
        conn.execute("ROLLBACK")
        assert conn.execute(f"SELECT count(*) FROM {t}").fetchone() == (0,)


def test_pgjdbc_savepoints_and_autosave(dsn, tmp_path):
    import shutil
    import subprocess
    jar = "/usr/share/java/postgresql.jar"
    if not (shutil.which("javac") and os.path.exists(jar)):
        pytest.fail("javac and pgjdbc are installed by scripts/bootstrap.sh; run make deps")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "jdbc", "SavepointCheck.java")
    subprocess.run(["javac", "-cp", jar, "-d", str(tmp_path), src], check=True, timeout=180)
    p = dict(kv.split("=", 1) for kv in dsn.split())
    host = "localhost" if p["host"].startswith("/") else p["host"]  # pgjdbc speaks TCP only
    url = (f"jdbc:postgresql://{host}:{p.get('port', 5432)}/{p.get('dbname', 'augur')}"
           f"?user={p.get('user', 'augur')}")
    t = fresh("sp_jdbc")
    r = subprocess.run(["java", "-cp", f"{jar}:{tmp_path}", "SavepointCheck", url, t],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    out = dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)
    assert out == {"after_rollback": "1:a;", "error_state": "23505", "committed": "1:a;3:c;",
                   "autosave_error_state": "23505", "autosave": "1:a;3:c;4:d;5:e;"}


def test_savepoints_inside_one_simple_query_message(simple):
    t = fresh("sp_multi")
    simple.execute(
        f"CREATE TABLE {t} (a int); BEGIN; INSERT INTO {t} VALUES (1); /* x */ INSERT INTO {t} "
        f"VALUES (2) ; SAVEPOINT a; INSERT INTO {t} VALUES (3); ROLLBACK TO a; "
        f"INSERT INTO {t} SELECT a + 10 FROM {t}; COMMIT")
    assert run(simple, f"SELECT string_agg(a::text, ',' ORDER BY a) FROM {t}") == (
        "SELECT 1", [("1,2,11,12",)])


def test_create_table_as_before_a_savepoint_is_replayed_as_it_ran(simple):
    """The replay parses a statement as its first run did, so CREATE TABLE AS names its columns
    the same way."""
    t = fresh("sp_ctas")
    run(simple, "BEGIN")
    assert run(simple, f"CREATE TABLE {t} AS SELECT 1, 'x' AS named")[0] == "SELECT 1"
    simple.execute(f"SELECT * FROM {t}")
    before = [d.name for d in simple.description]
    run(simple, "SAVEPOINT s")
    run(simple, f"INSERT INTO {t} VALUES (2, 'y')")
    assert run(simple, "ROLLBACK TO s") == ("ROLLBACK", None)
    assert run(simple, f"SELECT * FROM {t}") == ("SELECT 1", [(1, "x")])
    assert [d.name for d in simple.description] == before
    assert run(simple, "COMMIT") == ("COMMIT", None)


def test_replay_with_two_sequences_and_a_nextval_between_writes(simple):
    a, b = fresh("sp_sa"), fresh("sp_sb")
    make_table(simple, a)
    make_table(simple, b)
    steps = [
        ("BEGIN", ("BEGIN", None)),
        (f"INSERT INTO {a}(v) VALUES ('a1') RETURNING id", ("INSERT 0 1", [(1,)])),
        (f"SELECT nextval('{a}_seq')", ("SELECT 1", [(2,)])),
        (f"INSERT INTO {b}(v) VALUES ('b1') RETURNING id", ("INSERT 0 1", [(1,)])),
        (f"INSERT INTO {a}(v) VALUES ('a3') RETURNING id", ("INSERT 0 1", [(3,)])),
        ("SAVEPOINT s", ("SAVEPOINT", None)),
        (f"INSERT INTO {a}(v) VALUES ('a4') RETURNING id", ("INSERT 0 1", [(4,)])),
        (f"INSERT INTO {b}(v) VALUES ('b2') RETURNING id", ("INSERT 0 1", [(2,)])),
        ("ROLLBACK TO s", ("ROLLBACK", None)),
        (f"SELECT id, v FROM {a} ORDER BY id", ("SELECT 2", [(1, "a1"), (3, "a3")])),
        (f"SELECT id, v FROM {b} ORDER BY id", ("SELECT 1", [(1, "b1")])),
        (f"INSERT INTO {a}(v) VALUES ('a5') RETURNING id", ("INSERT 0 1", [(5,)])),
        (f"INSERT INTO {b}(v) VALUES ('b3') RETURNING id", ("INSERT 0 1", [(3,)])),
        ("SAVEPOINT t", ("SAVEPOINT", None)),
        (f"INSERT INTO {b}(id, v) VALUES (1, 'dup')", None),
        ("ROLLBACK TO t", ("ROLLBACK", None)),
        ("COMMIT", ("COMMIT", None)),
        (f"SELECT id, v FROM {a} ORDER BY id", ("SELECT 3", [(1, "a1"), (3, "a3"), (5, "a5")])),
        (f"SELECT id, v FROM {b} ORDER BY id", ("SELECT 2", [(1, "b1"), (3, "b3")])),
        (f"SELECT nextval('{a}_seq'), nextval('{b}_seq')", ("SELECT 1", [(6, 4)])),
    ]
    for sql, expected in steps:
        got = run(simple, sql)
        if expected is None:
            assert got[:2] == ("ERR", "23505"), sql
        else:
            assert got == expected, sql


def test_psql_on_error_rollback(dsn):
    """psql's ON_ERROR_ROLLBACK wraps each statement of a block in a savepoint."""
    import subprocess
    t = fresh("sp_psql")
    script = (f"CREATE TABLE {t} (a int PRIMARY KEY);\nBEGIN;\nINSERT INTO {t} VALUES (1);\n"
              f"INSERT INTO {t} VALUES (1);\nINSERT INTO {t} VALUES (2);\nCOMMIT;\n"
              f"SELECT string_agg(a::text, ',' ORDER BY a) FROM {t};\n")
    r = subprocess.run(["psql", "-X", "-At", "-v", "ON_ERROR_ROLLBACK=on", dsn], input=script,
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PSQLRC": "/dev/null"})
    assert r.stdout.splitlines()[-1] == "1,2", r.stdout + r.stderr
    assert "duplicate key" in r.stderr



def test_replay_resolves_names_with_the_search_path_they_ran_under(simple):
    s1, s2 = fresh("sp_s1"), fresh("sp_s2")
    run(simple, f"CREATE SCHEMA {s1}")
    run(simple, f"CREATE SCHEMA {s2}")
    run(simple, f"CREATE TABLE {s1}.t (a int)")
    run(simple, f"CREATE TABLE {s2}.t (a int)")
    steps = [
        ("BEGIN", ("BEGIN", None)),
        (f"SET LOCAL search_path = {s1}", ("SET", None)),
        ("INSERT INTO t VALUES (1)", ("INSERT 0 1", None)),
        ("SAVEPOINT a", ("SAVEPOINT", None)),
        (f"SET LOCAL search_path = {s2}", ("SET", None)),
        ("INSERT INTO t VALUES (2)", ("INSERT 0 1", None)),
        ("SAVEPOINT b", ("SAVEPOINT", None)),
        ("INSERT INTO t VALUES (3)", ("INSERT 0 1", None)),
        ("ROLLBACK TO b", ("ROLLBACK", None)),  # replays both inserts, each on its own path
        (f"SELECT a FROM {s1}.t", ("SELECT 1", [(1,)])),
        (f"SELECT a FROM {s2}.t", ("SELECT 1", [(2,)])),
        ("ROLLBACK TO a", ("ROLLBACK", None)),
        ("SHOW search_path", ("SHOW", [(s1,)])),
        (f"SELECT count(*) FROM {s2}.t", ("SELECT 1", [(0,)])),
        ("COMMIT", ("COMMIT", None)),
        (f"SELECT a FROM {s1}.t", ("SELECT 1", [(1,)])),
    ]
    for sql, expected in steps:
        assert run(simple, sql) == expected, sql
