"""The server answers real psql and psycopg clients."""


def test_psql_select(server):
    code, out, err = server.psql("SELECT 1 AS one, 'x' AS two", "-At")
    assert code == 0, err
    assert out == "1|x\n"


def test_psycopg_roundtrip(conn):
    cur = psycopg_client_cursor(conn)
    cur.execute("CREATE TABLE smoke(i INTEGER PRIMARY KEY, s VARCHAR)")
    cur.execute("INSERT INTO smoke VALUES (1, 'a'), (2, NULL)")
    assert cur.rowcount == 2
    cur.execute("SELECT i, s FROM smoke ORDER BY i")
    assert cur.fetchall() == [(1, "a"), (2, None)]


def psycopg_client_cursor(conn):
    import psycopg
    return psycopg.ClientCursor(conn)
