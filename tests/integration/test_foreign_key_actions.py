"""Foreign keys augur enforces itself (src/engine/ddl): ON DELETE CASCADE / SET NULL, ALTER
TABLE ... ADD FOREIGN KEY, ALTER TABLE on a referenced table, and GENERATED ALWAYS identity
columns, through the paths the compat corpus (tests/compat/corpus/ddl.sql) does not take: the
extended protocol with parameters, RETURNING, a restart, a writer role, and a failure halfway
through a cascade. The expected rows and SQLSTATEs are PostgreSQL 15's answers to the same
statements (checked against the reference server when the test was written)."""

import psycopg
import pytest


def state_of(c, sql, params=None):
    with pytest.raises(psycopg.Error) as e:
        c.execute(sql, params)
    return e.value.sqlstate


def test_cascade_with_parameters_and_returning(conn):
    conn.execute("DROP TABLE IF EXISTS fka_child, fka_parent")
    conn.execute("CREATE TABLE fka_parent(id int PRIMARY KEY, name text)")
    conn.execute("CREATE TABLE fka_child(id int PRIMARY KEY, "
                 "parent_id int REFERENCES fka_parent(id) ON DELETE CASCADE, note text)")
    conn.execute("INSERT INTO fka_parent VALUES (1, 'a'), (2, 'b'), (3, 'c')")
    conn.execute("INSERT INTO fka_child VALUES (10, 1, 'x'), (11, 1, 'y'), (12, 2, 'z')")
    # Prepared (psycopg sends parameters with the extended protocol), with RETURNING rows.
    deleted = conn.execute("DELETE FROM fka_parent WHERE id = %s RETURNING id, name",
                           (1,)).fetchall()
    assert deleted == [(1, "a")]
    assert conn.execute("SELECT id FROM fka_child ORDER BY id").fetchall() == [(12,)]
    assert state_of(conn, "INSERT INTO fka_child VALUES (%s, %s, %s)", (13, 99, "o")) == "23503"
    assert state_of(conn, "UPDATE fka_child SET parent_id = %s", (42,)) == "23503"
    assert conn.execute("SELECT id, parent_id FROM fka_child ORDER BY id").fetchall() == [(12, 2)]
    conn.execute("DROP TABLE fka_child, fka_parent")


def test_failure_mid_cascade_leaves_nothing_changed(conn):
    conn.execute("DROP TABLE IF EXISTS fkm_c, fkm_b, fkm_a")
    conn.execute("CREATE TABLE fkm_a(id int PRIMARY KEY)")
    conn.execute("CREATE TABLE fkm_b(id int PRIMARY KEY, a int REFERENCES fkm_a ON DELETE CASCADE)")
    # The second level's action violates a CHECK: SET DEFAULT puts -1 where it may not go.
    conn.execute("CREATE TABLE fkm_c(id int PRIMARY KEY, b int DEFAULT -1 CHECK (b > 0) "
                 "REFERENCES fkm_b ON DELETE SET DEFAULT)")
    conn.execute("INSERT INTO fkm_a VALUES (1), (2)")
    conn.execute("INSERT INTO fkm_b VALUES (10, 1), (20, 2)")
    conn.execute("INSERT INTO fkm_c VALUES (100, 10), (200, 20)")
    assert state_of(conn, "DELETE FROM fkm_a WHERE id = 1") == "23514"
    assert conn.execute("SELECT count(*) FROM fkm_a").fetchone() == (2,)
    assert conn.execute("SELECT id, a FROM fkm_b ORDER BY id").fetchall() == [(10, 1), (20, 2)]
    assert conn.execute("SELECT id, b FROM fkm_c ORDER BY id").fetchall() == [(100, 10), (200, 20)]
    # Inside a transaction block the block fails, and ROLLBACK leaves the rows as they were.
    conn.execute("BEGIN")
    conn.execute("DELETE FROM fkm_c WHERE id = 200")
    assert state_of(conn, "DELETE FROM fkm_a WHERE id = 1") == "23514"
    assert state_of(conn, "SELECT 1") == "25P02"
    conn.execute("ROLLBACK")
    assert conn.execute("SELECT count(*) FROM fkm_c").fetchone() == (2,)
    conn.execute("DROP TABLE fkm_c, fkm_b, fkm_a")


def test_writer_role_cascades_into_the_child(server):
    # augur's privileges are coarse (docs/SECURITY.md): a writer may write every table, so the
    # cascade PostgreSQL runs with the owner's rights runs with the writer's here, same rows.
    server.psql("DROP ROLE IF EXISTS fk_writer; DROP ROLE IF EXISTS fk_reader")
    server.psql("CREATE USER fk_writer IN ROLE pg_write_all_data; CREATE ROLE fk_reader LOGIN",
                check=True)
    server.psql("DROP TABLE IF EXISTS fkw_c, fkw_p; CREATE TABLE fkw_p(id int PRIMARY KEY); "
                "CREATE TABLE fkw_c(id int, p int REFERENCES fkw_p ON DELETE SET NULL); "
                "INSERT INTO fkw_p VALUES (1); INSERT INTO fkw_c VALUES (1, 1)", check=True)
    with psycopg.connect(server.dsn(user="fk_reader"), autocommit=True) as reader:
        assert state_of(reader, "DELETE FROM fkw_p") == "42501"
    with psycopg.connect(server.dsn(user="fk_writer"), autocommit=True) as writer:
        assert writer.execute("DELETE FROM fkw_p").rowcount == 1
        assert writer.execute("SELECT id, p FROM fkw_c").fetchall() == [(1, None)]
    server.psql("DROP TABLE fkw_c, fkw_p; DROP ROLE fk_writer; DROP ROLE fk_reader")


def test_foreign_keys_and_identity_survive_a_restart(fresh_server):
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE fkr_p(id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v text)")
        c.execute("CREATE TABLE fkr_c(id int, p int)")
        c.execute("ALTER TABLE fkr_c ADD CONSTRAINT fkr_c_p_fk FOREIGN KEY (p) REFERENCES fkr_p(id) "
                  "ON DELETE CASCADE")
        c.execute("INSERT INTO fkr_p(v) VALUES ('a'), ('b')")
        c.execute("INSERT INTO fkr_c VALUES (1, 1), (2, 2)")
    fresh_server.stop()
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        assert state_of(c, "INSERT INTO fkr_p VALUES (5, 'x')") == "428C9"
        assert state_of(c, "INSERT INTO fkr_c VALUES (3, 9)") == "23503"
        c.execute("DELETE FROM fkr_p WHERE v = 'a'")
        assert c.execute("SELECT id, p FROM fkr_c ORDER BY id").fetchall() == [(2, 2)]


def test_alter_referenced_table_keeps_rows_indexes_and_the_key(conn):
    conn.execute("DROP TABLE IF EXISTS fkx_c, fkx_p")
    conn.execute("CREATE TABLE fkx_p(id int PRIMARY KEY, name text)")
    conn.execute("CREATE INDEX fkx_p_name ON fkx_p(name)")
    conn.execute("CREATE TABLE fkx_c(id serial PRIMARY KEY, p int REFERENCES fkx_p(id), note text)")
    conn.execute("CREATE INDEX fkx_c_note ON fkx_c(note)")
    conn.execute("INSERT INTO fkx_p VALUES (1, 'a'), (2, 'b')")
    conn.execute("INSERT INTO fkx_c(p, note) VALUES (1, 'n1'), (2, 'n2')")
    conn.execute("ALTER TABLE fkx_p ADD COLUMN active boolean NOT NULL DEFAULT true")
    conn.execute("ALTER TABLE fkx_p RENAME COLUMN name TO title")
    conn.execute("ALTER TABLE fkx_p ALTER COLUMN title SET DEFAULT 'none'")
    assert conn.execute("SELECT id, title, active FROM fkx_p ORDER BY id").fetchall() == [
        (1, "a", True), (2, "b", True)]
    assert conn.execute("SELECT id, p, note FROM fkx_c ORDER BY id").fetchall() == [
        (1, 1, "n1"), (2, 2, "n2")]
    # The key still holds both ways, the serial goes on, the indexes are there.
    assert state_of(conn, "INSERT INTO fkx_c(p, note) VALUES (7, 'x')") == "23503"
    assert state_of(conn, "DELETE FROM fkx_p WHERE id = 1") == "23503"
    conn.execute("INSERT INTO fkx_c(p, note) VALUES (2, 'n3')")
    assert conn.execute("SELECT max(id) FROM fkx_c").fetchone() == (4,)
    assert conn.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name IN "
                        "('fkx_p', 'fkx_c') ORDER BY 1").fetchall() == [("fkx_c_note",),
                                                                     ("fkx_p_name",)]
    # A transaction that deletes the children and then the parent (Django's and SQLAlchemy's
    # own cascades) works once the key is augur's.
    conn.execute("BEGIN")
    conn.execute("DELETE FROM fkx_c WHERE p = 1")
    conn.execute("DELETE FROM fkx_p WHERE id = 1")
    conn.execute("COMMIT")
    assert conn.execute("SELECT id FROM fkx_p").fetchall() == [(2,)]
    conn.execute("DROP TABLE fkx_c, fkx_p")


def test_copy_into_a_child_is_checked(conn):
    conn.execute("DROP TABLE IF EXISTS fkcp_c, fkcp_p")
    conn.execute("CREATE TABLE fkcp_p(id int PRIMARY KEY)")
    conn.execute("CREATE TABLE fkcp_c(id int, p int REFERENCES fkcp_p ON DELETE CASCADE)")
    conn.execute("INSERT INTO fkcp_p VALUES (1)")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        with conn.cursor().copy("COPY fkcp_c FROM STDIN") as copy:
            copy.write("1\t1\n2\t9\n")
    assert conn.execute("SELECT count(*) FROM fkcp_c").fetchone() == (0,)
    with conn.cursor().copy("COPY fkcp_c FROM STDIN") as copy:
        copy.write("1\t1\n2\t\\N\n")
    assert conn.execute("SELECT id, p FROM fkcp_c ORDER BY id").fetchall() == [(1, 1), (2, None)]
    conn.execute("DROP TABLE fkcp_c, fkcp_p")


def test_identity_always_alone_survives_a_restart(fresh_server):
    # With no foreign key recorded, only pg_augur.identity_always: the check that any of
    # augur's records exist must look at the whole schema after a restart.
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE ida_t(id int GENERATED ALWAYS AS IDENTITY, v text)")
        c.execute("INSERT INTO ida_t(v) VALUES ('a')")
    fresh_server.stop()
    fresh_server.start()
    with psycopg.connect(fresh_server.dsn(), autocommit=True) as c:
        assert state_of(c, "INSERT INTO ida_t VALUES (5, 'x')") == "428C9"
        c.execute("INSERT INTO ida_t OVERRIDING SYSTEM VALUE VALUES (5, 'x')")
        assert c.execute("SELECT id, v FROM ida_t ORDER BY id").fetchall() == [(1, "a"), (5, "x")]
