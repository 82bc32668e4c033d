"""information_schema as tools read it: type names (Grafana finds time columns by them, ORMs map
them), and the foreign-key join of table_constraints, key_column_usage and
constraint_column_usage. The expected rows are PostgreSQL 15's for the same schema."""

SCHEMA = [
    "DROP TABLE IF EXISTS is_orders",
    "DROP TABLE IF EXISTS is_customers",
    "CREATE TABLE is_customers(id INTEGER PRIMARY KEY, name TEXT NOT NULL, created TIMESTAMP, "
    "balance NUMERIC(12,2), ratio DOUBLE PRECISION, r REAL, flag BOOLEAN, b BYTEA, d DATE, "
    "t TIME, tz TIMESTAMPTZ, iv INTERVAL, u UUID, big BIGINT, small SMALLINT, tags INTEGER[], "
    "labels TEXT[])",
    "CREATE TABLE is_orders(id INTEGER PRIMARY KEY, "
    "customer_id INTEGER REFERENCES is_customers(id), total NUMERIC(10,2))",
]

# PostgreSQL 15: column_name, data_type, udt_name, is_nullable, numeric_precision,
# numeric_precision_radix, numeric_scale, datetime_precision.
EXPECTED_COLUMNS = [
    ("id", "integer", "int4", "NO", 32, 2, 0, None),
    ("name", "text", "text", "NO", None, None, None, None),
    ("created", "timestamp without time zone", "timestamp", "YES", None, None, None, 6),
    ("balance", "numeric", "numeric", "YES", 12, 10, 2, None),
    ("ratio", "double precision", "float8", "YES", 53, 2, None, None),
    ("r", "real", "float4", "YES", 24, 2, None, None),
    ("flag", "boolean", "bool", "YES", None, None, None, None),
    ("b", "bytea", "bytea", "YES", None, None, None, None),
    ("d", "date", "date", "YES", None, None, None, 0),
    ("t", "time without time zone", "time", "YES", None, None, None, 6),
    ("tz", "timestamp with time zone", "timestamptz", "YES", None, None, None, 6),
    ("iv", "interval", "interval", "YES", None, None, None, 6),
    ("u", "uuid", "uuid", "YES", None, None, None, None),
    ("big", "bigint", "int8", "YES", 64, 2, 0, None),
    ("small", "smallint", "int2", "YES", 16, 2, 0, None),
    ("tags", "ARRAY", "_int4", "YES", None, None, None, None),
    ("labels", "ARRAY", "_text", "YES", None, None, None, None),
]


def create(conn):
    for statement in SCHEMA:
        conn.execute(statement)


def test_columns_name_types_as_postgres(conn):
    create(conn)
    rows = conn.execute(
        "SELECT column_name, data_type, udt_name, is_nullable, numeric_precision, "
        "numeric_precision_radix, numeric_scale, datetime_precision FROM information_schema.columns "
        "WHERE table_name = 'is_customers' ORDER BY ordinal_position").fetchall()
    assert rows == EXPECTED_COLUMNS
    assert conn.execute(
        "SELECT DISTINCT table_schema, udt_schema, is_identity, is_generated, is_updatable "
        "FROM information_schema.columns WHERE table_name = 'is_customers'").fetchall() == [
            ("public", "pg_catalog", "NO", "NEVER", "YES")]
    assert conn.execute(
        "SELECT dtd_identifier FROM information_schema.columns WHERE table_name = 'is_customers' "
        "AND column_name = 'tz'").fetchone() == ("11",)


def test_grafana_finds_time_columns(conn):
    create(conn)
    # Grafana's PostgreSQL data source lists a table's columns and offers those of time types.
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND "
        "table_name = 'is_customers' AND data_type IN ('timestamp without time zone', "
        "'timestamp with time zone', 'date') ORDER BY column_name").fetchall()
    assert rows == [("created",), ("d",), ("tz",)]


def test_foreign_key_join_names_the_referenced_table(conn):
    create(conn)
    rows = conn.execute(
        "SELECT kcu.table_name, kcu.column_name, ccu.table_name AS foreign_table_name, "
        "ccu.column_name AS foreign_column_name FROM information_schema.table_constraints AS tc "
        "JOIN information_schema.key_column_usage AS kcu ON tc.constraint_name = "
        "kcu.constraint_name AND tc.table_schema = kcu.table_schema "
        "JOIN information_schema.constraint_column_usage AS ccu ON ccu.constraint_name = "
        "tc.constraint_name AND ccu.table_schema = tc.table_schema "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = 'is_orders'").fetchall()
    assert rows == [("is_orders", "customer_id", "is_customers", "id")]
    assert conn.execute(
        "SELECT table_name, column_name FROM information_schema.constraint_column_usage "
        "WHERE table_name IN ('is_customers', 'is_orders') ORDER BY 1, 2").fetchall() == [
            ("is_customers", "id"), ("is_customers", "id"), ("is_orders", "id")]


def test_sqlalchemy_reflects_keys_as_on_postgres(server):
    from sqlalchemy import create_engine, inspect, text
    engine = create_engine(f"postgresql+psycopg2://augur@127.0.0.1:{server.port}/augur")
    with engine.begin() as c:
        c.execute(text("DROP TABLE IF EXISTS sa_child"))
        c.execute(text("DROP TABLE IF EXISTS sa_parent"))
        c.execute(text("CREATE TABLE sa_parent(id INTEGER PRIMARY KEY, code TEXT UNIQUE, "
                       "name TEXT)"))
        c.execute(text("CREATE TABLE sa_child(id INTEGER PRIMARY KEY, parent_id INTEGER "
                       "REFERENCES sa_parent(id), note TEXT, UNIQUE(parent_id, note))"))
    inspector = inspect(engine)
    # PostgreSQL 15's answers, from the same script against it.
    assert inspector.default_schema_name == "public"
    assert inspector.get_pk_constraint("sa_parent") == {
        "constrained_columns": ["id"], "name": "sa_parent_pkey"}
    assert inspector.get_unique_constraints("sa_parent") == [
        {"name": "sa_parent_code_key", "column_names": ["code"]}]
    assert inspector.get_unique_constraints("sa_child") == [
        {"name": "sa_child_parent_id_note_key", "column_names": ["parent_id", "note"]}]
    assert inspector.get_foreign_keys("sa_child") == [
        {"name": "sa_child_parent_id_fkey", "constrained_columns": ["parent_id"],
         "referred_schema": None, "referred_table": "sa_parent", "referred_columns": ["id"],
         "options": {}}]
    engine.dispose()
