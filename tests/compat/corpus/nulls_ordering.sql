-- NULL semantics and ordering: three-valued logic, NULLs in ORDER BY, DISTINCT, aggregates.

-- name: create_scores
CREATE TABLE nl_scores(id int, x int, name text);
-- name: insert_scores
INSERT INTO nl_scores VALUES (1, 10, 'a'), (2, NULL, 'b'), (3, 5, NULL), (4, NULL, NULL), (5, 10, 'c');
-- name: order_asc_nulls_last_default
SELECT id, x FROM nl_scores ORDER BY x, id;
-- name: order_desc_nulls_first_default
SELECT id, x FROM nl_scores ORDER BY x DESC, id;
-- name: order_asc_nulls_first
SELECT id, x FROM nl_scores ORDER BY x NULLS FIRST, id;
-- name: order_desc_nulls_last
SELECT id, x FROM nl_scores ORDER BY x DESC NULLS LAST, id;
-- name: order_text_desc
SELECT id, name FROM nl_scores ORDER BY name DESC, id;
-- name: limit_after_desc
SELECT id FROM nl_scores ORDER BY x DESC, id LIMIT 2;
-- name: window_order_desc
SELECT id, row_number() OVER (ORDER BY x DESC, id) AS rn FROM nl_scores ORDER BY id;
-- name: distinct_with_nulls
SELECT DISTINCT x FROM nl_scores ORDER BY x;
-- name: group_by_null
SELECT x, count(*) FROM nl_scores GROUP BY x ORDER BY x;
-- name: count_star_vs_column
SELECT count(*) AS all_rows, count(x) AS non_null, count(DISTINCT x) AS distinct_x FROM nl_scores;
-- name: aggregates_skip_null
SELECT sum(x) AS s, avg(x) AS a, min(x) AS mn, max(x) AS mx FROM nl_scores;
-- name: aggregate_over_empty
SELECT sum(x) AS s, count(x) AS c, max(x) AS m FROM nl_scores WHERE false;
-- name: where_null_comparison
SELECT count(*) FROM nl_scores WHERE x = NULL;
-- name: is_null_is_not_null
SELECT count(*) FILTER (WHERE x IS NULL) AS nulls, count(*) FILTER (WHERE x IS NOT NULL) AS values FROM nl_scores;
-- name: not_in_with_null
SELECT count(*) FROM nl_scores WHERE id NOT IN (SELECT x FROM nl_scores);
-- name: in_with_null
SELECT 1 IN (1, NULL) AS a, 2 IN (1, NULL) AS b, 2 NOT IN (1, NULL) AS c;
-- name: three_valued_logic
SELECT NULL AND false AS a, NULL AND true AS b, NULL OR true AS c, NOT NULL::boolean AS d;
-- name: is_distinct_from
SELECT NULL IS DISTINCT FROM NULL AS a, 1 IS DISTINCT FROM NULL AS b, NULL IS NOT DISTINCT FROM NULL AS c;
-- name: coalesce_nullif
SELECT coalesce(NULL, NULL, 3) AS c, nullif(5, 5) AS n, nullif(5, 6) AS m;
-- name: null_arithmetic
SELECT 1 + NULL AS a, NULL || 'x' AS b, NULL::int = NULL::int AS c;
-- name: case_with_null
SELECT id, CASE WHEN x IS NULL THEN 'none' WHEN x > 5 THEN 'big' ELSE 'small' END AS c FROM nl_scores ORDER BY id;
-- name: is_true_unknown
SELECT NULL::boolean IS UNKNOWN AS u, NULL::boolean IS NOT TRUE AS nt, true IS TRUE AS t;
-- name: unique_allows_many_nulls
CREATE TABLE nl_u(v int UNIQUE);
-- name: insert_two_nulls
INSERT INTO nl_u VALUES (NULL), (NULL), (1);
-- name: count_unique_nulls
SELECT count(*) FROM nl_u;
-- name: not_null_violation
CREATE TABLE nl_nn(v int NOT NULL);
-- name: insert_null_into_not_null
INSERT INTO nl_nn VALUES (NULL);
-- name: drop_null_tables
DROP TABLE nl_scores, nl_u, nl_nn;
