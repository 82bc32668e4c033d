-- Errors and their SQLSTATEs, which drivers and ORMs branch on, plus transaction behaviour
-- around them.

-- name: syntax_error
SELEC 1;
-- name: syntax_error_trailing
SELECT 1 +;
-- name: undefined_table
SELECT * FROM err_no_such_table;
-- name: undefined_column
SELECT no_such_column FROM (SELECT 1 AS a) t;
-- name: undefined_function
SELECT no_such_function(1);
-- name: wrong_argument_types
SELECT length(1, 2, 3);
-- name: ambiguous_column
SELECT id FROM (SELECT 1 AS id) a, (SELECT 2 AS id) b;
-- name: division_by_zero
SELECT 10 / (2 - 2);
-- name: numeric_out_of_range
SELECT 10::numeric(2,0) * 10;
-- name: invalid_text_representation
SELECT 'x1'::int;
-- name: string_data_right_truncation
SELECT CAST('toolong' AS varchar(3)) = 'too' AS ok;
-- name: create_err_table
CREATE TABLE err_t(id int PRIMARY KEY, v varchar(3) NOT NULL, n int CHECK (n > 0));
-- name: insert_ok
INSERT INTO err_t VALUES (1, 'a', 1);
-- name: unique_violation
INSERT INTO err_t VALUES (1, 'b', 1);
-- name: not_null_violation
INSERT INTO err_t VALUES (2, NULL, 1);
-- name: check_violation
INSERT INTO err_t VALUES (3, 'c', -1);
-- name: varchar_violation
INSERT INTO err_t VALUES (4, 'dddd', 1);
-- name: update_varchar_violation
UPDATE err_t SET v = 'eeee' WHERE id = 1;
-- name: integer_out_of_range_insert
INSERT INTO err_t VALUES (2147483648, 'f', 1);
-- name: wrong_type_insert
INSERT INTO err_t VALUES ('abc', 'g', 1);
-- name: undefined_column_insert
INSERT INTO err_t(id, nope) VALUES (5, 1);
-- name: begin
BEGIN;
-- name: error_in_transaction
SELECT 1 / 0;
-- name: statement_after_error
SELECT 1;
-- name: rollback_after_error
ROLLBACK;
-- name: begin_savepoint
BEGIN;
-- name: insert_in_transaction
INSERT INTO err_t VALUES (10, 'x', 1);
-- name: savepoint
SAVEPOINT sp1;
-- name: error_after_savepoint
INSERT INTO err_t VALUES (10, 'dup', 1);
-- name: rollback_to_savepoint
ROLLBACK TO SAVEPOINT sp1;
-- name: insert_after_rollback_to
INSERT INTO err_t VALUES (11, 'y', 1);
-- name: commit_savepoint_work
COMMIT;
-- name: rows_after_savepoint_commit
SELECT id, v FROM err_t ORDER BY id;
-- name: commit_after_error_rolls_back
BEGIN;
-- name: failing_insert_in_block
INSERT INTO err_t VALUES (1, 'dup', 1);
-- name: commit_reports_rollback
COMMIT;
-- name: commit_without_transaction
COMMIT;
-- name: drop_err_table
DROP TABLE err_t;
-- name: raise_exception_do_block
DO $$ BEGIN RAISE EXCEPTION 'custom failure' USING ERRCODE = 'P0001'; END $$;
-- name: invalid_regex
SELECT 'a' ~ '(';
-- name: negative_substring_length
SELECT substring('abc' from 1 for -1);
-- name: invalid_escape_in_like
SELECT 'a' LIKE 'a\' ;
-- name: array_subscript_error
SELECT (ARRAY[1, 2])['x'];
-- name: log_of_zero
SELECT ln(0);
-- name: sqrt_of_negative
SELECT sqrt(-1);
-- name: invalid_date_field
SELECT date_trunc('fortnight', '2024-01-01'::timestamp);
-- name: invalid_interval
SELECT 'one day'::interval;
-- name: invalid_json_path_type
SELECT '{"a": 1}'::jsonb -> 1.5;
-- name: generate_series_zero_step
SELECT generate_series(1, 5, 0);
-- name: nonexistent_schema
CREATE TABLE err_no_schema.t(id int);
-- name: drop_missing_index
DROP INDEX err_no_index;
-- name: insert_into_view_missing
INSERT INTO err_no_view VALUES (1);
-- name: reserved_word_identifier
CREATE TABLE err_kw(select int);
-- name: quoted_reserved_identifier
CREATE TABLE err_kw("select" int, "Mixed" int);
-- name: quoted_identifier_case
SELECT "select", "Mixed", mixed FROM err_kw;
-- name: drop_kw
DROP TABLE err_kw;
-- name: invalid_regex_bracket
SELECT 'a' ~ '[a';
-- name: invalid_regex_repetition
SELECT 'a' ~ 'a{3,1}';
-- name: integer_out_of_range_text
SELECT '99999999999'::int;
-- name: bigint_out_of_range_text
SELECT '-99999999999999999999'::bigint;
-- name: generate_series_zero_interval_step
SELECT generate_series('2024-01-01'::timestamp, '2024-01-03', '0 days');
-- name: negative_substring_length_column
SELECT substring(x, 1, -1) FROM (VALUES ('abc')) v(x);
