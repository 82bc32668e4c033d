-- Miscellaneous functions apps and tools call: set-returning functions, conditional
-- expressions, system information, pg_sleep, user-defined SQL functions, prepared statements.

-- name: pg_sleep_zero
SELECT pg_sleep(0);
-- name: pg_sleep_returns_void
SELECT pg_typeof(pg_sleep(0)) AS t;
-- name: case_simple
SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END AS c;
-- name: case_no_else
SELECT CASE WHEN false THEN 1 END AS c;
-- name: current_database_user
SELECT current_database() IS NOT NULL AS db, current_user IS NOT NULL AS u, session_user = current_user AS same;
-- name: current_schema
SELECT current_schema() AS s;
-- name: version_prefix
SELECT split_part(version(), ' ', 1) AS v;
-- name: show_server_version_num
SELECT current_setting('server_version_num')::int / 10000 AS major;
-- name: show_standard_conforming_strings
SHOW standard_conforming_strings;
-- name: show_datestyle
SHOW DateStyle;
-- name: set_and_show_custom
SET myapp.tenant = 'acme';
-- name: current_setting_custom
SELECT current_setting('myapp.tenant') AS t;
-- name: set_config
SELECT set_config('myapp.tenant', 'other', false) AS s;
-- name: show_timezone
SHOW TimeZone;
-- name: show_lower_case_names
SHOW datestyle;
-- name: show_intervalstyle
SHOW intervalstyle;
-- name: txid_current_type
SELECT pg_typeof(txid_current()) AS t;
-- name: txid_current_positive
SELECT txid_current() > 0 AS p;
-- name: gen_random_uuid_shape
SELECT length(gen_random_uuid()::text) AS l;
-- name: random_range
SELECT random() >= 0 AND random() < 1 AS ok;
-- name: generate_series_step_down
SELECT * FROM generate_series(5, 1, -2) AS s;
-- name: generate_series_numeric
SELECT * FROM generate_series(0.5, 2, 0.5) AS s;
-- name: generate_subscripts
SELECT generate_subscripts(ARRAY['a', 'b', 'c'], 1) AS i;
-- name: create_sql_function
CREATE FUNCTION fn_add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
-- name: call_sql_function
SELECT fn_add(2, 3) AS s;
-- name: create_plpgsql_function
CREATE FUNCTION fn_twice(x integer) RETURNS integer LANGUAGE plpgsql AS $$ BEGIN RETURN x * 2; END $$;
-- name: call_plpgsql_function
SELECT fn_twice(21) AS t;
-- name: drop_functions
DROP FUNCTION fn_add(integer, integer), fn_twice(integer);
-- name: prepare_statement
PREPARE fn_q(int) AS SELECT $1 * 2 AS doubled;
-- name: execute_prepared
EXECUTE fn_q(21);
-- name: deallocate
DEALLOCATE fn_q;
-- name: create_trigger_table
CREATE TABLE fn_t(id int);
-- name: create_trigger_function
CREATE FUNCTION fn_trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.id := NEW.id + 1000; RETURN NEW; END $$;
-- name: create_trigger
CREATE TRIGGER fn_t_bump BEFORE INSERT ON fn_t FOR EACH ROW EXECUTE FUNCTION fn_trg();
-- name: insert_through_trigger
INSERT INTO fn_t VALUES (1) RETURNING id;
-- name: drop_trigger_table
DROP TABLE fn_t;
-- name: listen_notify
LISTEN fn_channel;
-- name: notify
NOTIFY fn_channel, 'hello';
-- name: unlisten
UNLISTEN *;
-- name: begin_isolation_level
BEGIN ISOLATION LEVEL REPEATABLE READ;
-- name: show_isolation_in_block
SHOW transaction_isolation;
-- name: end_block
COMMIT;
-- name: set_search_path
SET search_path TO public;
-- name: show_search_path
SHOW search_path;
-- name: transaction_isolation
SHOW transaction_isolation;
-- name: set_local_outside_block
SET LOCAL work_mem = '8MB';
-- name: advisory_lock
SELECT pg_advisory_lock(42) IS NOT NULL AS locked, pg_advisory_unlock(42) AS unlocked;
-- name: pg_catalog_tables_query
SELECT count(*) > 0 AS has FROM pg_catalog.pg_class WHERE relname = 'pg_class';
-- name: create_cols_table
CREATE TABLE fn_cols(a int, b text);
-- name: information_schema_columns
SELECT column_name, data_type, ordinal_position FROM information_schema.columns WHERE table_name = 'fn_cols' ORDER BY ordinal_position;
-- name: drop_fn_cols
DROP TABLE fn_cols;
-- name: encode_sha
SELECT encode(sha256('x'), 'hex') AS h;
-- name: num_nulls
SELECT num_nulls(1, NULL, 2) AS nn, num_nonnulls(1, NULL, 2) AS n;
-- name: missing_text_functions
SELECT octet_length('héllo') AS a, lpad('hi', 5) AS b, rpad('hello', 2) AS c, lpad('é', 3) AS d, rpad('x', 3) || '|' AS e;
-- name: missing_bytea_functions
SELECT length('\x0102'::bytea) AS a, get_byte('\x0102ff'::bytea, 2) AS b;
-- name: get_byte_out_of_range
SELECT get_byte('\x01'::bytea, 5);
-- name: cardinality_ndims
SELECT cardinality(ARRAY[1, 2, 3]) AS a, cardinality(ARRAY[]::int[]) AS b, array_ndims(ARRAY[1, 2]) AS c, array_ndims(ARRAY[]::int[]) AS d, cardinality(ARRAY[ARRAY[1, 2], ARRAY[3, 4]]) AS e, array_ndims(ARRAY[ARRAY[1, 2], ARRAY[3, 4]]) AS f;
-- name: width_bucket_float
SELECT width_bucket(5.35::float8, 0.024, 10.06, 5) AS a, width_bucket(-1::float8, 0, 10, 5) AS b, width_bucket(10::float8, 0, 10, 5) AS c, width_bucket(5::float8, 10, 0, 5) AS d;
-- name: width_bucket_equal_bounds
SELECT width_bucket(1::float8, 1, 1, 5);
-- name: num_nulls_variadic
SELECT num_nulls(1, NULL, 'a', NULL) AS a, num_nonnulls(1, NULL, 'a') AS b, num_nulls(NULL::int) AS c;
-- name: num_nulls_no_arguments
SELECT num_nulls();
-- name: case_insensitive_regex
SELECT 'Hello' ~* 'hel' AS a, 'Hello' !~* '^HEL' AS b, 'Hello' ~* 'xyz' AS c, 'Hello' ~ 'hel' AS d, 'abc' ~* 'B$' AS e;
-- name: relative_dates
SELECT 'today'::date = current_date AS a, 'tomorrow'::date - 'yesterday'::date AS b, date 'today' = current_date AS c, CAST('Today' AS date) = current_date AS d, 'today'::timestamp = date_trunc('day', localtimestamp) AS e, 'now'::timestamptz = now() AS f, timestamp with time zone 'today' = date_trunc('day', now()) AS g;
-- name: relative_date_misspelled
SELECT 'todayx'::date;
