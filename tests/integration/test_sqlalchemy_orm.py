"""SQLAlchemy 1.4 ORM against augur: create_all with default integer primary keys (serial),
foreign keys and unique constraints, identity columns, JSONB; reflection of unique constraints
and foreign keys. Expected values are what PostgreSQL 15 answers to the same code. Also hostile
DDL: serial columns in quoted tables, a sequence name already taken, malformed jsonb."""

import psycopg2
import pytest

sa = pytest.importorskip("sqlalchemy")
from sqlalchemy.dialects.postgresql import JSONB  # noqa: E402
from sqlalchemy.orm import Session, declarative_base, relationship  # noqa: E402


@pytest.fixture
def engine(server):
    engine = sa.create_engine(f"postgresql+psycopg2://augur@{server.host}:{server.port}/augur")
    yield engine
    engine.dispose()


def test_create_all_orm_and_reflection(engine):
    Base = declarative_base()

    class Parent(Base):
        __tablename__ = "orm_parent"
        id = sa.Column(sa.Integer, primary_key=True)
        code = sa.Column(sa.String(20), nullable=False, unique=True)
        kids = relationship("Child", back_populates="parent")

    class Child(Base):
        __tablename__ = "orm_child"
        id = sa.Column(sa.Integer, primary_key=True)
        parent_id = sa.Column(sa.Integer, sa.ForeignKey("orm_parent.id"), nullable=False)
        name = sa.Column(sa.String(40))
        attrs = sa.Column(JSONB)
        __table_args__ = (sa.UniqueConstraint("parent_id", "name"),)
        parent = relationship("Parent", back_populates="kids")

    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    try:
        with Session(engine) as s:
            p = Parent(code="p1", kids=[Child(name="a", attrs={"k": [1, 2], "b": True}),
                                        Child(name="b", attrs={"k": []})])
            s.add(p)
            s.commit()
            assert p.id == 1 and sorted(k.id for k in p.kids) == [1, 2]
            rows = s.query(Child.name, Parent.code).join(Child.parent).order_by(Child.id).all()
            assert rows == [("a", "p1"), ("b", "p1")]
            assert s.query(Child.attrs).filter(Child.name == "a").scalar() == {"b": True, "k": [1, 2]}
            assert [c.name for c in s.query(Child).filter(Child.attrs.contains({"b": True}))] == ["a"]
            assert [c.name for c in s.query(Child).filter(Child.attrs.has_key("b"))] == ["a"]
            assert s.query(Child.attrs["k"][1].astext).filter(Child.name == "a").scalar() == "2"
            assert s.query(Child.attrs["k"]).filter(Child.name == "a").scalar() == [1, 2]
        with engine.connect() as conn:
            text = conn.execute(sa.text("SELECT attrs::text FROM orm_child WHERE name = 'a'")).scalar()
            assert text == '{"b": true, "k": [1, 2]}'  # PostgreSQL's jsonb output
        i = sa.inspect(engine)
        assert i.get_pk_constraint("orm_child") == {"constrained_columns": ["id"],
                                                   "name": "orm_child_pkey"}
        assert i.get_unique_constraints("orm_parent") == [
            {"name": "orm_parent_code_key", "column_names": ["code"]}]
        assert i.get_unique_constraints("orm_child") == [
            {"name": "orm_child_parent_id_name_key", "column_names": ["parent_id", "name"]}]
        assert i.get_foreign_keys("orm_child") == [
            {"name": "orm_child_parent_id_fkey", "constrained_columns": ["parent_id"],
             "referred_schema": None, "referred_table": "orm_parent", "referred_columns": ["id"],
             "options": {}}]
        columns = {c["name"]: c for c in i.get_columns("orm_child")}
        assert columns["id"]["autoincrement"] is True
        # PostgreSQL 15's text for a serial column of a table on the search path.
        assert columns["id"]["default"] == "nextval('orm_child_id_seq'::regclass)"
        assert isinstance(columns["attrs"]["type"], JSONB)
    finally:
        Base.metadata.drop_all(engine)


def test_identity_columns(engine):
    meta = sa.MetaData()
    t = sa.Table("orm_ident", meta,
                 sa.Column("id", sa.Integer, sa.Identity(start=10, increment=5), primary_key=True),
                 sa.Column("v", sa.String(10)))
    meta.drop_all(engine)
    meta.create_all(engine)
    try:
        with engine.begin() as conn:
            ids = [conn.execute(t.insert().values(v=v)).inserted_primary_key[0] for v in "ab"]
            assert ids == [10, 15]
            assert conn.execute(sa.select(sa.func.pg_get_serial_sequence("orm_ident", "id"))
                                ).scalar() == "public.orm_ident_id_seq"
    finally:
        meta.drop_all(engine)


def test_drop_table_drops_its_sequences(conn):
    conn.execute("CREATE TABLE orm_again (id serial PRIMARY KEY, v int)")
    conn.execute("INSERT INTO orm_again (v) VALUES (1), (2)")
    conn.execute("DROP TABLE orm_again")
    conn.execute("CREATE TABLE orm_again (id serial PRIMARY KEY, v int)")
    try:
        assert conn.execute("INSERT INTO orm_again (v) VALUES (3) RETURNING id").fetchone() == (1,)
    finally:
        conn.execute("DROP TABLE orm_again")
    assert conn.execute("SELECT count(*) FROM duckdb_sequences() WHERE sequence_name = "
                        "'orm_again_id_seq'").fetchone() == (0,)


def test_hostile_ddl(server):
    # Not "with connect()": psycopg2 2.9 opens a transaction block there even in autocommit.
    c = psycopg2.connect(host=server.host, port=server.port, user="augur", dbname="augur")
    c.autocommit = True
    cur = c.cursor()
    try:
        # A quoted table name with a space, a quote and upper case.
        cur.execute('CREATE TABLE "Odd ""T""" (id bigserial PRIMARY KEY, "Val" smallserial)')
        cur.execute('INSERT INTO "Odd ""T""" DEFAULT VALUES RETURNING id, "Val"')
        assert cur.fetchone() == (1, 1)
        cur.execute('DROP TABLE "Odd ""T"""')
        # The sequence name a serial column needs is taken: the next free one, as PostgreSQL.
        cur.execute("CREATE SEQUENCE odd_id_seq")
        cur.execute("CREATE TABLE odd (id serial, v int)")
        cur.execute("INSERT INTO odd (v) VALUES (7) RETURNING id")
        assert cur.fetchone() == (1,)
        cur.execute("SELECT pg_get_serial_sequence('odd', 'id')")
        assert cur.fetchone() == ("public.odd_id_seq1",)
        cur.execute("DROP TABLE odd")
        cur.execute("SELECT sequence_name FROM duckdb_sequences() WHERE sequence_name LIKE 'odd%'")
        assert cur.fetchall() == [("odd_id_seq",)]
        cur.execute("DROP SEQUENCE odd_id_seq")
        # Malformed jsonb: 22P02, as in PostgreSQL.
        for bad in ["{", "{'a': 1}", "[1,]", "nul", '{"a" 1}']:
            with pytest.raises(psycopg2.errors.InvalidTextRepresentation) as err:
                cur.execute("SELECT %s::jsonb", (bad,))
            assert "invalid input syntax for type json" in str(err.value)
        cur.execute("""SELECT '{"b": 1, "a": {"y": 2, "x": [1, "s"]}, "aa": null}'::jsonb::text""")
        assert cur.fetchone() == ('{"a": {"x": [1, "s"], "y": 2}, "b": 1, "aa": null}',)
    finally:
        c.close()


def test_insert_with_fewer_values_than_columns(conn):
    conn.execute("CREATE TABLE orm_short (a int, b text DEFAULT 'dflt', c serial)")
    try:
        conn.execute("INSERT INTO orm_short VALUES (1)")
        conn.execute("INSERT INTO orm_short VALUES (2, 'x'), (3, 'y')")
        rows = conn.execute("SELECT a, b, c FROM orm_short ORDER BY a").fetchall()
        assert rows == [(1, "dflt", 1), (2, "x", 2), (3, "y", 3)]
    finally:
        conn.execute("DROP TABLE orm_short")


def test_serial_and_jsonb_survive_a_restart(fresh_server):
    import psycopg
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE kept (id serial PRIMARY KEY, doc jsonb)")
        c.execute("""INSERT INTO kept (doc) VALUES ('{"b": 1, "a": [true]}')""")
        c.execute("CHECKPOINT")
        c.execute("""INSERT INTO kept (doc) VALUES ('{"c": null}')""")  # replayed from the WAL
    assert fresh_server.stop() == 0
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        c.execute("INSERT INTO kept (doc) VALUES ('[]')")
        rows = c.execute("SELECT id, doc::text FROM kept ORDER BY id").fetchall()
        assert rows == [(1, '{"a": [true], "b": 1}'), (2, '{"c": null}'), (3, "[]")]
        assert c.execute("SELECT count(*) FROM kept WHERE doc ? 'a'").fetchone() == (1,)


def test_jsonb_functions_as_postgres_answers(conn):
    """Each answer is PostgreSQL 15's for the same query."""
    q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
    assert q("""SELECT key, value FROM jsonb_each_text('{"a": "s", "b": {"y": 1, "x": 2}, "n": null}')
                ORDER BY key""") == [("a", "s"), ("b", '{"x": 2, "y": 1}'), ("n", None)]
    assert q("""SELECT value::text FROM jsonb_array_elements('[1, {"b": 2, "a": 1}]') AS e
                ORDER BY 1""") == [("1",), ('{"a": 1, "b": 2}',)]
    assert q("""SELECT jsonb_build_object('a', 1, 'b', 'x')::text, to_jsonb('hi'::text)::text,
                jsonb_set('{"a": [1, 2]}', '{a,0}', '"z"')::text""") == [
        ('{"a": 1, "b": "x"}', '"hi"', '{"a": ["z", 2]}')]
    assert q("""SELECT ('{"a": {"b": [1, 2]}}'::jsonb #> '{a,b,1}')::text,
                '{"a": {"b": [1, 2]}}'::jsonb #>> '{a,b}', '{"a": 1}'::jsonb || '{"b": 2}',
                ('{"a": 1, "b": 2}'::jsonb - 'a')::text, ('[1, 2, 3]'::jsonb - 0)::text""") == [
        ("2", "[1, 2]", {"a": 1, "b": 2}, '{"b": 2}', "[2, 3]")]
    assert q("""SELECT '["a", "b"]'::jsonb ? 'a', '{"a": 1}'::jsonb ?| array['x', 'a'],
                '{"a": 1}'::jsonb ?& array['x', 'a'], '[1, 2]'::jsonb @> '1',
                '{"a": [1, 2]}'::jsonb @> '{"a": 1}'""") == [(True, True, False, True, False)]
    assert q("SELECT jsonb_agg(x ORDER BY x)::text FROM range(3) t(x)") == [("[0, 1, 2]",)]
    assert q("""SELECT '{"a":1}'::json::text""") == [('{"a":1}',)]  # json keeps its text
