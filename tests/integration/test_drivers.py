"""Real drivers against a real server: pgjdbc (Java), psycopg2, SQLAlchemy Core."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

JDBC_JAR = "/usr/share/java/postgresql.jar"
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def jdbc_classes(tmp_path_factory):
    if not (shutil.which("javac") and os.path.exists(JDBC_JAR)):
        pytest.fail("javac and pgjdbc are installed by scripts/bootstrap.sh; run make deps")
    out = tmp_path_factory.mktemp("jdbc")
    subprocess.run(["javac", "-cp", JDBC_JAR, "-d", str(out), os.path.join(HERE, "jdbc", "DriverCheck.java")],
                   check=True, timeout=180)
    return str(out)


def run_jdbc(server, classes, part):
    r = subprocess.run(["java", "-cp", f"{JDBC_JAR}:{classes}", "DriverCheck", str(server.port), part],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def test_pgjdbc_prepared_batch_fetch_size(server, jdbc_classes):
    out = run_jdbc(server, jdbc_classes, "core")
    assert out["batch_rows"] == "100"
    expected = "".join(f"name {i * 7}/{i * 7 * 1.5}/{i * 7};" for i in range(10))
    assert out["prepared"] == expected
    assert out["fetch_rows"] == "100 fetch_sum=4950"
    assert out["error_state"] == "42P01"
    assert out["product"] == "PostgreSQL 15"


def test_pgjdbc_database_metadata(server, jdbc_classes):
    run_jdbc(server, jdbc_classes, "core")  # creates jdbc_t
    r = subprocess.run(["java", "-cp", f"{JDBC_JAR}:{jdbc_classes}", "DriverCheck", str(server.port), "meta"],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "table=jdbc_t" in lines
    assert [l for l in lines if l.startswith("column=")] == [
        "column=id:int4", "column=name:text", "column=v:float8", "column=d:date"]
    assert [l for l in lines if l.startswith("pk=")] == ["pk=id"]


def test_pgjdbc_listen_notify(server, jdbc_classes):
    out = run_jdbc(server, jdbc_classes, "notify")
    assert out["before_commit"] == "0"
    assert out["notifications"] == "jdbc_channel:first:true,jdbc_channel:second:true"


def test_node_postgres(server):
    import json
    node_path = Path(HERE).parents[1] / ".deps" / "node" / "usr" / "share" / "nodejs"
    assert node_path.is_dir(), "node-pg is unpacked by scripts/bootstrap.sh; run make deps"
    r = subprocess.run(["node", os.path.join(HERE, "node", "node_check.js"), str(server.port)],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "NODE_PATH": str(node_path)})
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["inserted"] == 2
    assert out["objects"] == [{"i": 1, "s": "it's", "d": 1.5, "ok": True},
                              {"i": 2, "s": None, "d": -2.25, "ok": False}]
    assert out["arrays"] == [[1, "it's"], [2, None]]
    assert out["fields"] == [["i", 23], ["s", 25]]
    assert out["error"] == "42P01"
    assert out["before_commit"] == 0
    assert out["notifications"] == [["node_channel", "first", True],
                                    ["node_channel", "second", True]]


def test_psycopg_binary_results_and_server_side_parameters(conn):
    import datetime
    import decimal
    import uuid
    cur = conn.cursor(binary=True)
    cur.execute("SELECT %s::INTEGER, %s::BIGINT, %s::DOUBLE, %s::VARCHAR, %s::BOOLEAN, %s::DATE, "
                "%s::TIMESTAMP, %s::DECIMAL(10,2), %s::UUID, %s::BLOB, [1, 2, NULL]::INTEGER[]",
                (7, 2 ** 40, 0.5, "text", True, datetime.date(2024, 2, 29),
                 datetime.datetime(2024, 1, 2, 3, 4, 5, 600000), decimal.Decimal("12.34"),
                 uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), b"\x00\xff"))
    assert cur.fetchone() == (7, 2 ** 40, 0.5, "text", True, datetime.date(2024, 2, 29),
                              datetime.datetime(2024, 1, 2, 3, 4, 5, 600000),
                              decimal.Decimal("12.34"),
                              uuid.UUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), b"\x00\xff",
                              [1, 2, None])


def test_psycopg2_roundtrip(server):
    import psycopg2
    with psycopg2.connect(host=server.host, port=server.port, user="augur", dbname="augur") as c:
        c.autocommit = True
        cur = c.cursor()
        cur.execute("CREATE TABLE pg2(i INTEGER, s VARCHAR)")
        cur.executemany("INSERT INTO pg2 VALUES (%s, %s)", [(i, f"s{i}") for i in range(5)])
        cur.execute("SELECT i, s FROM pg2 WHERE i >= %s ORDER BY i", (3,))
        assert cur.fetchall() == [(3, "s3"), (4, "s4")]
        cur.execute("DROP TABLE pg2")


def test_sqlalchemy_core(server):
    import sqlalchemy as sa
    engine = sa.create_engine(f"postgresql+psycopg2://augur@{server.host}:{server.port}/augur")
    meta = sa.MetaData()
    items = sa.Table("sa_items", meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
                     sa.Column("label", sa.String(40)))
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(items.insert(), [{"id": i, "label": f"item {i}"} for i in range(3)])
    with engine.connect() as conn:
        rows = conn.execute(sa.select(items.c.label).where(items.c.id > 0).order_by(items.c.id)).all()
    assert [r[0] for r in rows] == ["item 1", "item 2"]
    inspector = sa.inspect(engine)
    assert "sa_items" in inspector.get_table_names()
    columns = {c["name"]: c for c in inspector.get_columns("sa_items")}
    assert set(columns) == {"id", "label"}
    assert isinstance(columns["id"]["type"], sa.Integer)
    assert columns["id"]["nullable"] is False
    assert inspector.get_pk_constraint("sa_items")["constrained_columns"] == ["id"]
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE INDEX sa_items_label ON sa_items(label)"))
    indexes = {i["name"]: i for i in inspector.get_indexes("sa_items")}
    assert indexes["sa_items_label"]["column_names"] == ["label"]
    assert indexes["sa_items_label"]["unique"] is False
    meta.drop_all(engine)
