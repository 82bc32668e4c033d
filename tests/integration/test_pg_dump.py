"""pg_dump and pg_restore (Debian's PostgreSQL 15 client tools) against augur: a database dumped
in plain and custom formats restores into a fresh augur with the same contents (issue 18,
item 7). Each table is compared by row count and a checksum of its rows in key order."""
import subprocess

import pytest

from augur_server import AugurServer

SCHEMA = """
CREATE TABLE dump_parent(id serial PRIMARY KEY, name text NOT NULL UNIQUE, born date,
                         price numeric(12, 2), data jsonb, raw bytea, tags text[]);
CREATE TABLE dump_child(id bigint PRIMARY KEY, parent_id int REFERENCES dump_parent(id),
                        seen_at timestamp, flag boolean DEFAULT true, note varchar(20));
CREATE INDEX dump_child_at ON dump_child(seen_at);
CREATE SEQUENCE dump_counter START 100;
CREATE VIEW dump_view(parent, children) AS
    SELECT p.name, count(c.id) FROM dump_parent p LEFT JOIN dump_child c ON c.parent_id = p.id
    GROUP BY p.name;
COMMENT ON TABLE dump_parent IS 'parents, with a quote: ''';
INSERT INTO dump_parent(name, born, price, data, raw, tags) VALUES
    ('ann', '1990-01-02', 12.50, '{"a": [1, 2]}', '\\xdeadbeef', ARRAY['x', 'y z']),
    ('bob', NULL, NULL, NULL, NULL, NULL),
    ('o''neil', '2000-02-29', -0.01, '{"k": "v"}', '\\x00', ARRAY[]::text[]);
INSERT INTO dump_child SELECT i, 1 + i % 3, TIMESTAMP '2024-01-01' + i * INTERVAL '1 minute',
    i % 2 = 0, 'n' || i FROM generate_series(1, 500) AS t(i);
SELECT nextval('dump_counter'), nextval('dump_counter');
"""

CHECKS = {
    "dump_parent": "SELECT count(*), md5(string_agg(concat_ws('|', id, name, born, price, "
                   "data::text, raw::text, tags::text), ',' ORDER BY id)) FROM dump_parent",
    "dump_child": "SELECT count(*), md5(string_agg(concat_ws('|', id, parent_id, seen_at, flag, note), "
                  "',' ORDER BY id)) FROM dump_child",
    "dump_view": "SELECT count(*), md5(string_agg(concat_ws('|', parent, children), ',' "
                 "ORDER BY parent)) FROM dump_view",
    "sequences": "SELECT nextval('dump_counter'), nextval('dump_parent_id_seq')",
    "comment": "SELECT obj_description('dump_parent'::regclass, 'pg_class')",
}


def contents(srv):
    out = {}
    for name, sql in CHECKS.items():
        code, stdout, stderr = srv.psql(sql, "-At")
        assert code == 0, stderr
        out[name] = stdout.strip()
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    srv = AugurServer(tmp_path_factory.mktemp("dump_source") / "data").start()
    srv.psql(SCHEMA, check=True)
    yield srv
    assert srv.stop() == 0


@pytest.mark.parametrize("fmt", ["plain", "custom"])
def test_dump_restores_into_a_fresh_augur(source, tmp_path, fmt):
    dump = tmp_path / "dump"
    subprocess.run(["pg_dump", "-f", str(dump), "-F", fmt[0]], env=source.psql_env(), check=True,
                   capture_output=True, timeout=120)
    target = AugurServer(tmp_path / "target").start()
    try:
        if fmt == "plain":
            code, _, stderr = target.psql(None, "-v", "ON_ERROR_STOP=1", "-q", "-f", str(dump))
        else:
            r = subprocess.run(["pg_restore", "--exit-on-error", "-d", "augur", str(dump)],
                               env=target.psql_env(), capture_output=True, text=True, timeout=120)
            code, stderr = r.returncode, r.stderr
        assert code == 0, stderr
        # The source is read after the dump, so its sequences have moved on by one call each:
        # compare the target first.
        restored = contents(target)
        original = contents(source)
        for name in ("dump_parent", "dump_child", "dump_view", "comment"):
            assert restored[name] == original[name], name
        assert restored["dump_parent"].startswith("3|") and restored["dump_child"].startswith("500|")
        assert restored["comment"] == "parents, with a quote: '"
    finally:
        assert target.stop() == 0
