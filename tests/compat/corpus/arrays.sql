-- Arrays: literals, constructors, operators, functions, unnest, array columns.

-- name: int_array_literal
SELECT '{1,2,3}'::int[] AS a;
-- name: text_array_literal
SELECT '{a,"b c",NULL}'::text[] AS a;
-- name: array_constructor
SELECT ARRAY[1, 2, 3] AS a, ARRAY['x', 'y'] AS b, ARRAY[]::int[] AS e;
-- name: array_subscript
SELECT (ARRAY[10, 20, 30])[2] AS second, (ARRAY[10, 20, 30])[5] AS out_of_range;
-- name: array_slice
SELECT (ARRAY[1, 2, 3, 4])[2:3] AS s;
-- name: array_length_cardinality
SELECT array_length(ARRAY[1, 2, 3], 1) AS l, cardinality(ARRAY[1, 2]) AS c, array_length('{}'::int[], 1) AS e;
-- name: array_dims_bounds
SELECT array_lower(ARRAY[5, 6], 1) AS lo, array_upper(ARRAY[5, 6], 1) AS hi, array_ndims(ARRAY[[1, 2], [3, 4]]) AS nd;
-- name: array_concat
SELECT ARRAY[1, 2] || ARRAY[3] AS a, ARRAY[1] || 2 AS b, 0 || ARRAY[1] AS c;
-- name: array_append_prepend_cat
SELECT array_append(ARRAY[1], 2) AS ap, array_prepend(0, ARRAY[1]) AS pp, array_cat(ARRAY[1], ARRAY[2, 3]) AS ct;
-- name: array_remove_replace
SELECT array_remove(ARRAY[1, 2, 1], 1) AS r, array_replace(ARRAY[1, 2, 1], 1, 9) AS p;
-- name: array_position
SELECT array_position(ARRAY['a', 'b', 'c'], 'b') AS p, array_positions(ARRAY[1, 2, 1], 1) AS ps;
-- name: array_to_string
SELECT array_to_string(ARRAY[1, NULL, 3], ',') AS a, array_to_string(ARRAY[1, NULL, 3], ',', '*') AS b;
-- name: any_all
SELECT 2 = ANY(ARRAY[1, 2, 3]) AS a, 2 = ALL(ARRAY[2, 2]) AS b, 5 <> ALL(ARRAY[1, 2]) AS c;
-- name: containment_overlap
SELECT ARRAY[1, 2, 3] @> ARRAY[2] AS c, ARRAY[1] <@ ARRAY[1, 2] AS cb, ARRAY[1, 2] && ARRAY[2, 5] AS o;
-- name: array_equality_ordering
SELECT ARRAY[1, 2] = ARRAY[1, 2] AS eq, ARRAY[1, 2] < ARRAY[1, 3] AS lt;
-- name: unnest
SELECT unnest(ARRAY[3, 1, 2]) AS x;
-- name: unnest_with_ordinality
SELECT * FROM unnest(ARRAY['a', 'b']) WITH ORDINALITY AS t(v, n);
-- name: array_agg
SELECT array_agg(x ORDER BY x) AS a FROM (VALUES (3), (1), (2)) v(x);
-- name: multidim_literal
SELECT '{{1,2},{3,4}}'::int[] AS m, ARRAY[[1, 2], [3, 4]] AS c;
-- name: create_array_table
CREATE TABLE arr_posts(id int, tags text[], scores int[]);
-- name: insert_arrays
INSERT INTO arr_posts VALUES (1, '{sql,db}', '{1,2}'), (2, ARRAY['web'], ARRAY[5]), (3, '{}', NULL);
-- name: select_arrays
SELECT id, tags, scores FROM arr_posts ORDER BY id;
-- name: filter_any_column
SELECT id FROM arr_posts WHERE 'db' = ANY(tags) ORDER BY id;
-- name: update_append
UPDATE arr_posts SET tags = array_append(tags, 'new') WHERE id = 2;
-- name: select_after_append
SELECT id, tags FROM arr_posts WHERE id = 2;
-- name: drop_arrays
DROP TABLE arr_posts;
-- name: array_text_cast
SELECT ARRAY[1, 2]::text AS t, '{1,2}'::int[]::text[] AS tt;
-- name: bad_array_literal
SELECT '{1,2'::int[];
-- name: array_literal_forms
SELECT '{}'::int[] AS empty, '{ 1 , 2 }'::int[] AS spaced, '{"a\"b","c,d",null}'::text[] AS quoted, '[1:2]={7,8}'::int[] AS decorated;
-- name: array_literal_bad_element
SELECT '{1,x}'::int[];
-- name: array_literal_unterminated
SELECT '{1,2'::text[];
-- name: array_upper_empty
SELECT array_upper('{}'::int[], 1) IS NULL AS u, array_upper(ARRAY[5, 6], 1) AS hi;
-- name: create_text_array_table
CREATE TABLE arr_lit (id int, tags text[]);
-- name: insert_text_array_literals
INSERT INTO arr_lit VALUES (1, '{a,"b c"}'), (2, '{}'), (3, NULL);
-- name: select_text_array_literals
SELECT id, tags, array_length(tags, 1) AS n FROM arr_lit ORDER BY id;
-- name: array_length_empty_and_null
SELECT array_length('{}'::int[], 1) AS e, array_length(ARRAY[1, 2, 3], 1) AS n, array_length(NULL::int[], 1) AS z, array_length(ARRAY['a'], 1) AS one;
-- name: drop_text_array_table
DROP TABLE arr_lit;
-- name: array_replace_positions_nulls
SELECT array_replace(ARRAY[1, NULL, 2], NULL, 9) AS r, array_positions(ARRAY[1, NULL, 1], NULL) AS n, array_positions(ARRAY[1, 2], 5) AS none, array_positions(NULL::int[], 1) AS null_array;
-- name: array_to_string_null_string
SELECT array_to_string(ARRAY['a', NULL, 'c'], '-', NULL) AS skipped, array_to_string(ARRAY[NULL, NULL]::text[], ',', '?') AS all_null;
-- name: array_cast_column_names
SELECT '{{1,2},{3,4}}'::int[][], '{1,2}'::int[], '{a}'::text[], cast('{1}' as bigint[]);
