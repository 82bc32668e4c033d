"""The catalog queries Grafana's and Metabase's PostgreSQL data sources send, run on augur and
compared row by row with PostgreSQL 15's answers on the same schema.

The SQL is what those tools send (Grafana: public/app/plugins/datasource/grafana-postgresql-
datasource/postgresMetaQuery.ts, the older query editor's findMetricTable, and the macros of
pkg/tsdb/grafana-postgresql-datasource/macros.go expanded for a fixed time range; Metabase:
src/metabase/driver/postgres.clj's get-tables, describe-fields, describe-fks, describe-indexes,
enum-types and current-user-table-privileges, with HoneySQL's output written out).

golden/tool_introspection_pg15.json holds PostgreSQL 15's rows. Re-record (and so re-check
against a live PostgreSQL 15) with RECORD_PG="host=... port=... user=... dbname=..." naming an
empty scratch database. Each query augur answers differently must be listed in
KNOWN_DIFFERENCES with the reason; a listed query that starts to match fails the test too."""

import json
import os
from pathlib import Path

import psycopg
import pytest

from augur_server import AugurServer

GOLDEN = Path(__file__).parent / "golden" / "tool_introspection_pg15.json"

SCHEMA = [
    "CREATE TABLE ti_customers(id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, name TEXT, "
    "created_at TIMESTAMPTZ, balance NUMERIC(12,2) DEFAULT 0)",
    "CREATE TABLE ti_orders(id BIGINT PRIMARY KEY, customer_id INTEGER NOT NULL "
    "REFERENCES ti_customers(id), total NUMERIC(10,2), placed DATE)",
    "CREATE INDEX ti_orders_placed ON ti_orders(placed)",
    "CREATE TABLE ti_metrics(time TIMESTAMP NOT NULL, host TEXT, value DOUBLE PRECISION)",
    "CREATE VIEW ti_big_orders AS SELECT id, total FROM ti_orders WHERE total > 100",
    "CREATE SCHEMA ti_reporting",
    "CREATE TABLE ti_reporting.daily(day DATE PRIMARY KEY, revenue DOUBLE PRECISION)",
    "COMMENT ON TABLE ti_customers IS 'people who buy'",
    "COMMENT ON COLUMN ti_customers.email IS 'login address'",
    "INSERT INTO ti_customers VALUES (1, 'ann@example.com', 'Ann', '2024-01-01 10:00:00+00', 10), "
    "(2, 'bob@example.com', NULL, '2024-01-02 11:30:00+00', 2000)",
    "INSERT INTO ti_orders VALUES (10, 1, 5.50, '2024-01-03'), (11, 2, 150.00, '2024-01-04'), "
    "(12, 2, 99.99, '2024-01-05')",
    "INSERT INTO ti_metrics VALUES ('2024-01-01 00:00:00', 'a', 1.5), "
    "('2024-01-01 00:04:00', 'a', 2.5), ('2024-01-01 00:07:00', 'b', 4), "
    "('2024-01-01 01:00:00', 'b', 8), ('2024-01-02 00:00:01', 'a', 16)",
    "INSERT INTO ti_reporting.daily VALUES ('2024-01-03', 5.5)",
]

# Grafana's schema constraint: the table's schema is on the search_path.
GRAFANA_SCHEMA_CONSTRAINT = """
          quote_ident(table_schema) IN (
          SELECT
            CASE WHEN trim(s[i]) = '"$user"' THEN user ELSE trim(s[i]) END
          FROM
            generate_series(
              array_lower(string_to_array(current_setting('search_path'),','),1),
              array_upper(string_to_array(current_setting('search_path'),','),1)
            ) as i,
            string_to_array(current_setting('search_path'),',') s
          )"""


def grafana_columns(table):
    literal = "'" + table.replace("'", "''") + "'"
    return f"""SELECT quote_ident(column_name) AS "column", data_type AS "type"
    FROM information_schema.columns
    WHERE
      CASE WHEN array_length(parse_ident({literal}),1) = 2
        THEN quote_ident(table_schema) = (parse_ident({literal}))[1]
          AND quote_ident(table_name) = (parse_ident({literal}))[2]
        ELSE quote_ident(table_name) = {literal}
          AND {GRAFANA_SCHEMA_CONSTRAINT}
      END"""


# The time range a dashboard asks for, as Grafana's macros write it (RFC 3339, UTC).
FROM, TO = "2024-01-01T00:00:00Z", "2024-01-01T06:00:00Z"

# name -> (sql, params, ordered). Unordered answers are compared as sorted lists of rows.
QUERIES = {
    "grafana_version": (
        "SELECT current_setting('server_version_num')::int/100 as version", None, True),
    "grafana_timescaledb": (
        "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'", None, True),
    "grafana_schemas": ("""SELECT schema_name AS "name"
    FROM information_schema.schemata
    WHERE schema_name NOT IN ('information_schema',
                              'pg_catalog',
                              'pg_toast',
                              '_timescaledb_cache',
                              '_timescaledb_catalog',
                              '_timescaledb_internal',
                              '_timescaledb_config',
                              'timescaledb_information',
                              'timescaledb_experimental')
    ORDER BY schema_name""", None, True),
    "grafana_tables": (f"""SELECT
    CASE WHEN {GRAFANA_SCHEMA_CONSTRAINT}
      THEN quote_ident(table_name)
      ELSE quote_ident(table_schema) || '.' || quote_ident(table_name)
    END AS "table"
    FROM information_schema.tables
    WHERE quote_ident(table_schema) NOT IN ('information_schema',
                             'pg_catalog',
                             '_timescaledb_cache',
                             '_timescaledb_catalog',
                             '_timescaledb_internal',
                             '_timescaledb_config',
                             'timescaledb_information',
                             'timescaledb_experimental')
    ORDER BY CASE WHEN {GRAFANA_SCHEMA_CONSTRAINT} THEN 0 ELSE 1 END, 1""", None, True),
    "grafana_tables_of_schema": ("""SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = 'ti_reporting'
      ORDER BY 1""", None, True),
    "grafana_columns": (grafana_columns("ti_customers"), None, False),
    "grafana_columns_qualified": (grafana_columns("ti_reporting.daily"), None, False),
    # The older query editor's first guess at a time series: a table with a timestamp and a
    # float8 column.
    "grafana_metric_table": (f"""
SELECT
	quote_ident(table_name) as table_name,
	( SELECT
	    quote_ident(column_name) as column_name
	  FROM information_schema.columns c
    WHERE
      c.table_schema = t.table_schema AND
      c.table_name = t.table_name AND
      udt_name IN ('timestamptz','timestamp')
    ORDER BY ordinal_position LIMIT 1
  ) AS time_column,
  ( SELECT
      quote_ident(column_name) AS column_name
    FROM information_schema.columns c
    WHERE
      c.table_schema = t.table_schema AND
      c.table_name = t.table_name AND
      udt_name='float8'
    ORDER BY ordinal_position LIMIT 1
  ) AS value_column
FROM information_schema.tables t
WHERE {GRAFANA_SCHEMA_CONSTRAINT} AND
  EXISTS
  ( SELECT 1
    FROM information_schema.columns c
    WHERE
      c.table_schema = t.table_schema AND
      c.table_name = t.table_name AND
      udt_name IN ('timestamptz','timestamp')
  ) AND
  EXISTS
  ( SELECT 1
    FROM information_schema.columns c
    WHERE
      c.table_schema = t.table_schema AND
      c.table_name = t.table_name AND
      udt_name='float8'
  )
LIMIT 1
""", None, True),
    # $__time(time), $__timeFilter(time) on a timestamp column.
    "grafana_time_filter": (
        f"""SELECT time AS "time", value FROM ti_metrics
        WHERE time BETWEEN '{FROM}' AND '{TO}' ORDER BY 1""", None, True),
    # $__timeFilter(created_at) on a timestamptz column.
    "grafana_time_filter_tz": (
        f"""SELECT created_at AS "time", balance FROM ti_customers
        WHERE created_at BETWEEN '{FROM}' AND '2024-01-02T00:00:00Z' ORDER BY 1""", None, True),
    # $__timeGroupAlias(time, 5m), $__timeFilter(time).
    "grafana_time_group": (
        f"""SELECT floor(extract(epoch from time)/300)*300 AS "time", avg(value) AS value
        FROM ti_metrics WHERE time BETWEEN '{FROM}' AND '{TO}' GROUP BY 1 ORDER BY 1""",
        None, True),
    # $__timeEpoch(time), $__timeFrom() and $__timeTo().
    "grafana_time_epoch": (
        f"""SELECT extract(epoch from time) as "time", host FROM ti_metrics
        WHERE time >= '{FROM}' AND time < '{TO}' ORDER BY 1""", None, True),
    # $__unixEpochFilter on an integer column of epoch seconds.
    "grafana_unix_epoch_filter": (
        """SELECT count(*) FROM ti_metrics
        WHERE extract(epoch from time)::bigint >= 1704067200
          AND extract(epoch from time)::bigint <= 1704088800""", None, True),
    "metabase_tables": ("""SELECT n.nspname AS schema, c.relname AS name, CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE NULL END AS type, d.description AS description, stat.n_live_tup AS estimated_row_count FROM pg_catalog.pg_class AS c INNER JOIN pg_catalog.pg_namespace AS n ON c.relnamespace = n.oid LEFT JOIN pg_catalog.pg_description AS d ON (c.oid = d.objoid) AND (d.objsubid = 0) AND (d.classoid = 'pg_class'::regclass) LEFT JOIN pg_stat_user_tables AS stat ON (n.nspname = stat.schemaname) AND (c.relname = stat.relname) WHERE (c.relnamespace = n.oid) AND (n.nspname !~ '^pg_') AND (n.nspname <> 'information_schema') AND c.relkind in ('r', 'p', 'v', 'f', 'm') AND (n.nspname IN (%s, %s)) ORDER BY type ASC, schema ASC, name ASC""",  # noqa: E501
                        ("public", "ti_reporting"), True),
    "metabase_fields": ("""SELECT "c"."column_name" AS "name", CASE WHEN "c"."udt_schema" IN ('public', 'pg_catalog') THEN FORMAT('%%s', "c"."udt_name") ELSE FORMAT('"%%s"."%%s"', "c"."udt_schema", "c"."udt_name") END AS "database-type", "c"."ordinal_position" - 1 AS "database-position", "c"."table_schema" AS "table-schema", "c"."table_name" AS "table-name", "pk"."column_name" IS NOT NULL AS "pk?", COL_DESCRIPTION(CAST(CAST(FORMAT('%%I.%%I', CAST("c"."table_schema" AS TEXT), CAST("c"."table_name" AS TEXT)) AS REGCLASS) AS OID), "c"."ordinal_position") AS "field-comment", (("column_default" IS NULL) OR (LOWER("column_default") = 'null')) AND ("is_nullable" = 'NO') AND NOT ((("column_default" IS NOT NULL) AND ("column_default" LIKE '%%nextval(%%')) OR ("is_identity" <> 'NO')) AS "database-required", (("column_default" IS NOT NULL) AND ("column_default" LIKE '%%nextval(%%')) OR ("is_identity" <> 'NO') AS "database-is-auto-increment" FROM "information_schema"."columns" AS "c" LEFT JOIN (SELECT "tc"."table_schema", "tc"."table_name", "kc"."column_name" FROM "information_schema"."table_constraints" AS "tc" INNER JOIN "information_schema"."key_column_usage" AS "kc" ON ("tc"."constraint_name" = "kc"."constraint_name") AND ("tc"."table_schema" = "kc"."table_schema") AND ("tc"."table_name" = "kc"."table_name") WHERE "tc"."constraint_type" = 'PRIMARY KEY') AS "pk" ON ("c"."table_schema" = "pk"."table_schema") AND ("c"."table_name" = "pk"."table_name") AND ("c"."column_name" = "pk"."column_name") WHERE c.table_schema !~ '^information_schema|catalog_history|pg_' AND ("c"."table_schema" IN (%s, %s)) UNION ALL SELECT "pa"."attname" AS "name", CASE WHEN "ptn"."nspname" IN ('public', 'pg_catalog') THEN FORMAT('%%s', "pt"."typname") ELSE FORMAT('"%%s"."%%s"', "ptn"."nspname", "pt"."typname") END AS "database-type", "pa"."attnum" - 1 AS "database-position", "pn"."nspname" AS "table-schema", "pc"."relname" AS "table-name", FALSE AS "pk?", NULL AS "field-comment", FALSE AS "database-required", FALSE AS "database-is-auto-increment" FROM "pg_catalog"."pg_class" AS "pc" INNER JOIN "pg_catalog"."pg_namespace" AS "pn" ON "pn"."oid" = "pc"."relnamespace" INNER JOIN "pg_catalog"."pg_attribute" AS "pa" ON "pa"."attrelid" = "pc"."oid" INNER JOIN "pg_catalog"."pg_type" AS "pt" ON "pt"."oid" = "pa"."atttypid" INNER JOIN "pg_catalog"."pg_namespace" AS "ptn" ON "ptn"."oid" = "pt"."typnamespace" WHERE ("pc"."relkind" = 'm') AND ("pa"."attnum" >= 1) AND ("pn"."nspname" IN (%s, %s)) ORDER BY "table-schema" ASC, "table-name" ASC, "database-position" ASC""",  # noqa: E501
                        ("public", "ti_reporting", "public", "ti_reporting"), True),
    "metabase_fks": ("""SELECT "fk_ns"."nspname" AS "fk-table-schema", "fk_table"."relname" AS "fk-table-name", "fk_column"."attname" AS "fk-column-name", "pk_ns"."nspname" AS "pk-table-schema", "pk_table"."relname" AS "pk-table-name", "pk_column"."attname" AS "pk-column-name" FROM "pg_constraint" AS "c" INNER JOIN "pg_class" AS "fk_table" ON "c"."conrelid" = "fk_table"."oid" INNER JOIN "pg_namespace" AS "fk_ns" ON "c"."connamespace" = "fk_ns"."oid" INNER JOIN "pg_attribute" AS "fk_column" ON "c"."conrelid" = "fk_column"."attrelid" INNER JOIN "pg_class" AS "pk_table" ON "c"."confrelid" = "pk_table"."oid" INNER JOIN "pg_namespace" AS "pk_ns" ON "pk_table"."relnamespace" = "pk_ns"."oid" INNER JOIN "pg_attribute" AS "pk_column" ON "c"."confrelid" = "pk_column"."attrelid" WHERE fk_ns.nspname !~ '^information_schema|catalog_history|pg_' AND ("c"."contype" = 'f'::char) AND ("fk_column"."attnum" = ANY(c.conkey)) AND ("pk_column"."attnum" = ANY(c.confkey)) AND ("fk_ns"."nspname" IN (%s, %s)) ORDER BY "fk-table-schema" ASC, "fk-table-name" ASC""",  # noqa: E501
                     ("public", "ti_reporting"), True),
    "metabase_indexes": ("""SELECT "tmp"."table-schema", "tmp"."table-name", TRIM(BOTH '"' FROM PG_CATALOG.PG_GET_INDEXDEF("tmp"."ci_oid", "tmp"."pos", FALSE)) AS "field-name" FROM (SELECT "n"."nspname" AS "table-schema", "ct"."relname" AS "table-name", "ci"."oid" AS "ci_oid", (information_schema._pg_expandarray("i"."indkey"))."n" AS "pos" FROM "pg_catalog"."pg_class" AS "ct" INNER JOIN "pg_catalog"."pg_namespace" AS "n" ON "ct"."relnamespace" = "n"."oid" INNER JOIN "pg_catalog"."pg_index" AS "i" ON "ct"."oid" = "i"."indrelid" INNER JOIN "pg_catalog"."pg_class" AS "ci" ON "ci"."oid" = "i"."indexrelid" WHERE (PG_CATALOG.PG_GET_EXPR("i"."indpred", "i"."indrelid") IS NULL) AND n.nspname !~ '^information_schema|catalog_history|pg_' AND ("n"."nspname" IN (%s, %s))) AS "tmp" WHERE "tmp"."pos" = 1""",  # noqa: E501
                         ("public", "ti_reporting"), False),
    "metabase_enum_types": (
        "SELECT nspname, typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE t.oid IN (SELECT DISTINCT enumtypid FROM pg_enum e)", None, False),
    "metabase_table_privileges": ("""with table_privileges as (
 select
   NULL as role,
   t.schemaname as schema,
   t.objectname as table,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'update') as update,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'select') as select,
   pg_catalog.has_any_column_privilege(current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'insert') as insert,
   pg_catalog.has_table_privilege(     current_user, '"' || replace(t.schemaname, '"', '""') || '"' || '.' || '"' || replace(t.objectname, '"', '""') || '"',  'delete') as delete
 from (
   select schemaname, tablename as objectname from pg_catalog.pg_tables
   union
   select schemaname, viewname as objectname from pg_catalog.pg_views
   union
   select schemaname, matviewname as objectname from pg_catalog.pg_matviews
 ) t
 where t.schemaname !~ '^pg_'
   and t.schemaname <> 'information_schema'
   and pg_catalog.has_schema_privilege(current_user, t.schemaname, 'usage')
)
select t.*
from table_privileges t""", None, False),
}

# query name -> why augur's rows differ from PostgreSQL's.
KNOWN_DIFFERENCES: dict[str, str] = {}


def text(value):
    """A value as it prints, so that int/Decimal/float answers of the same figure compare
    equal (a count is bigint in PostgreSQL and may be another integer type in augur)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def run_queries(dsn, setup):
    answers = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        if setup:
            for sql in SCHEMA:
                conn.execute(sql)
            # PostgreSQL counts a session's inserts into pg_stat_user_tables when it flushes its
            # statistics; flushed before ANALYZE, they are not counted twice.
            postgres = "augur" not in conn.execute("SELECT version()").fetchone()[0]
            if postgres:
                conn.execute("SELECT pg_stat_force_next_flush()")
            conn.execute("ANALYZE")
            if postgres:
                conn.execute("SELECT pg_stat_force_next_flush()")
        for name, (sql, params, ordered) in QUERIES.items():
            try:
                rows = [[text(v) for v in row] for row in conn.execute(sql, params).fetchall()]
            except psycopg.Error as e:
                rows = {"error": f"{e.sqlstate}: {e.diag.message_primary}"}
            if isinstance(rows, list) and not ordered:
                rows.sort(key=lambda r: [(v is None, v or "") for v in r])
            answers[name] = rows
    return answers


@pytest.fixture(scope="module")
def augur_answers(tmp_path_factory):
    srv = AugurServer(tmp_path_factory.mktemp("tool-introspection")).start()
    try:
        yield run_queries(srv.dsn(), setup=True)
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def expected():
    if os.environ.get("RECORD_PG"):
        answers = run_queries(os.environ["RECORD_PG"], setup=True)
        GOLDEN.write_text(json.dumps(answers, indent=1) + "\n")
    return json.loads(GOLDEN.read_text())


def test_golden_covers_every_query(expected):
    assert sorted(expected) == sorted(QUERIES)
    assert not [name for name, rows in expected.items() if isinstance(rows, dict)], \
        "PostgreSQL 15 itself failed a query: fix the query text"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_tool_query_matches_postgres(augur_answers, expected, name):
    if name in KNOWN_DIFFERENCES:
        assert augur_answers[name] != expected[name], \
            f"{name} now matches PostgreSQL: remove it from KNOWN_DIFFERENCES"
        pytest.xfail(KNOWN_DIFFERENCES[name])
    assert augur_answers[name] == expected[name]
