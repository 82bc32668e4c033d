-- json and jsonb: input/output, operators, builders, aggregates, set-returning functions.

-- name: jsonb_normalizes
SELECT '{"b": 1, "a": [1, 2, {"c": null}], "a": 3}'::jsonb AS j;
-- name: json_keeps_text
SELECT '{"b": 1,  "a": 2}'::json AS j;
-- name: invalid_json
SELECT '{"a": }'::jsonb;
-- name: arrow_operators
SELECT '{"a": {"b": 2}}'::jsonb -> 'a' AS obj, '{"a": {"b": 2}}'::jsonb ->> 'a' AS txt, '[10, 20]'::jsonb -> 1 AS elem;
-- name: arrow_text_value
SELECT '{"a": "x"}'::jsonb ->> 'a' AS t, '{"a": "x"}'::jsonb -> 'a' AS j, '{"a": 1}'::jsonb ->> 'missing' AS m;
-- name: path_operators
SELECT '{"a": {"b": [1, 2, 3]}}'::jsonb #> '{a,b}' AS p, '{"a": {"b": [1, 2, 3]}}'::jsonb #>> '{a,b,2}' AS t;
-- name: contains_operators
SELECT '{"a": 1, "b": 2}'::jsonb @> '{"a": 1}' AS c, '{"a": 1}'::jsonb <@ '{"a": 1, "b": 2}' AS cb, '[1, 2]'::jsonb @> '[2]' AS arr;
-- name: key_exists_operators
SELECT '{"a": 1, "b": 2}'::jsonb ? 'a' AS q, '{"a": 1}'::jsonb ?| array['x', 'a'] AS any_, '{"a": 1}'::jsonb ?& array['a', 'b'] AS all_;
-- name: concat_operator
SELECT '{"a": 1}'::jsonb || '{"b": 2}'::jsonb AS o, '[1]'::jsonb || '[2, 3]'::jsonb AS a;
-- name: delete_operators
SELECT '{"a": 1, "b": 2}'::jsonb - 'a' AS k, '[1, 2, 3]'::jsonb - 0 AS i, '{"a": {"b": 1}}'::jsonb #- '{a,b}' AS p;
-- name: jsonb_build_object
SELECT jsonb_build_object('id', 1, 'name', 'x', 'tags', ARRAY['a', 'b'], 'n', NULL) AS o;
-- name: json_build_object
SELECT json_build_object('id', 1, 'ok', true) AS o;
-- name: jsonb_build_array
SELECT jsonb_build_array(1, 'two', NULL, 3.5) AS a;
-- name: to_jsonb_scalars
SELECT to_jsonb(1) AS i, to_jsonb('x'::text) AS t, to_jsonb(true) AS b, to_jsonb(1.50) AS n;
-- name: to_jsonb_row
SELECT to_jsonb(r) AS j FROM (SELECT 1 AS id, 'x' AS name) r;
-- name: row_to_json
SELECT row_to_json(r) AS j FROM (SELECT 1 AS id, NULL::text AS name) r;
-- name: jsonb_typeof
SELECT jsonb_typeof('1') AS n, jsonb_typeof('"s"') AS s, jsonb_typeof('null') AS z, jsonb_typeof('[]') AS a;
-- name: jsonb_array_length
SELECT jsonb_array_length('[1, 2, [3]]') AS l;
-- name: jsonb_set
SELECT jsonb_set('{"a": 1, "b": {"c": 2}}', '{b,c}', '5') AS s, jsonb_set('{"a": 1}', '{z}', '"new"') AS n;
-- name: jsonb_insert
SELECT jsonb_insert('{"a": [1, 2]}', '{a,1}', '9') AS i;
-- name: jsonb_strip_nulls
SELECT jsonb_strip_nulls('{"a": 1, "b": null}') AS s;
-- name: jsonb_pretty
SELECT jsonb_pretty('{"a": [1, 2]}') AS p;
-- name: create_docs
CREATE TABLE js_docs(id int, doc jsonb);
-- name: insert_docs
INSERT INTO js_docs VALUES (1, '{"name": "a", "tags": ["x", "y"], "n": 1}'), (2, '{"name": "b", "n": 2}'), (3, NULL);
-- name: filter_by_containment
SELECT id FROM js_docs WHERE doc @> '{"tags": ["x"]}' ORDER BY id;
-- name: filter_by_key_text
SELECT id, doc ->> 'name' AS name FROM js_docs WHERE (doc ->> 'n')::int > 1 ORDER BY id;
-- name: jsonb_agg
SELECT jsonb_agg(doc -> 'name' ORDER BY id) AS names FROM js_docs;
-- name: jsonb_agg_scalars_and_nulls
SELECT jsonb_agg(x ORDER BY x) AS a, jsonb_agg(t ORDER BY t) AS b FROM (VALUES (2, 'q"'), (1, NULL)) v(x, t);
-- name: jsonb_constructors_embed_jsonb
SELECT jsonb_build_object('a', '{"x": 1}'::jsonb, 'b', ARRAY[1, 2], 'c', 'txt', 'd', NULL) AS o, jsonb_build_array('[1, {"y": null}]'::jsonb, 'a', 1.5) AS a, to_jsonb('{"x": [true]}'::jsonb) AS j;
-- name: jsonb_object_agg_jsonb_values
SELECT jsonb_object_agg(id, doc -> 'name') AS m FROM js_docs WHERE doc IS NOT NULL;
-- name: jsonb_object_agg
SELECT jsonb_object_agg(doc ->> 'name', id) AS m FROM js_docs WHERE doc IS NOT NULL;
-- name: json_agg_rows
SELECT json_agg(t ORDER BY t.id) AS rows FROM (SELECT id, doc ->> 'name' AS name FROM js_docs WHERE doc IS NOT NULL) t;
-- name: update_jsonb_set
UPDATE js_docs SET doc = jsonb_set(doc, '{n}', '10') WHERE id = 1;
-- name: select_after_update
SELECT id, doc FROM js_docs ORDER BY id;
-- name: drop_docs
DROP TABLE js_docs;
-- name: jsonb_each
SELECT key, value FROM jsonb_each('{"a": 1, "b": "x"}') ORDER BY key;
-- name: jsonb_each_text
SELECT key, value FROM jsonb_each_text('{"a": 1, "b": "x"}') ORDER BY key;
-- name: jsonb_array_elements
SELECT value FROM jsonb_array_elements('[1, "two", {"three": 3}]');
-- name: jsonb_array_elements_text
SELECT jsonb_array_elements_text('["a", "b"]') AS e;
-- name: jsonb_object_keys
SELECT jsonb_object_keys('{"b": 1, "a": 2}') AS k;
-- name: jsonb_equality
SELECT '{"a": 1, "b": 2}'::jsonb = '{"b": 2, "a": 1}'::jsonb AS eq;
-- name: json_cast_to_text_and_int
SELECT ('{"n": 5}'::jsonb -> 'n')::int AS n, ('{"s": "v"}'::jsonb -> 's')::text AS s;
-- name: jsonb_path_query
SELECT jsonb_path_query('{"a": [1, 2, 3]}', '$.a[*] ? (@ > 1)') AS v;
-- name: json_build_object_values
SELECT json_build_object(1, 2, true, 'x', 1.5::float8, 'NaN'::float8, 'd', date '2024-01-02', 't', timestamp '2024-01-02 03:04:05.5', 'tz', '2024-01-02 03:04:05+00'::timestamptz, 'b', '\x01'::bytea, 'l', ARRAY['a', 'b'], 'i', interval '1 day') AS o;
-- name: json_build_object_embeds_json
SELECT json_build_object('a', json_build_object('b', 1), 'd', '"x"'::jsonb, 'e', '{"z": 1}'::json, 'n', 1.50, 'q', 'q"t') AS o;
-- name: json_build_array_values
SELECT json_build_array(1, 'a"\' || chr(10), NULL, '[1, 2]'::json, '{"a":  1}'::jsonb, 2.50) AS a, json_build_array() AS e, json_build_object() AS o;
-- name: json_build_object_null_key
SELECT json_build_object(NULL, 1);
-- name: json_build_object_odd_arguments
SELECT json_build_object('a');
-- name: to_json_values
SELECT to_json(timestamp '2024-01-01 00:00:00') AS a, to_json(1.50) AS b, to_json(ARRAY[1, 2]) AS c, to_json('q"'::text) AS d, to_jsonb(2.50) AS e, jsonb_build_object('n', 1.50) AS f;
-- name: json_agg_scalars
SELECT json_agg(x) AS a, json_agg(x ORDER BY x DESC) AS b FROM (VALUES (1), (NULL), (3)) v(x);
-- name: json_agg_structured
SELECT json_agg(json_build_object('a', x) ORDER BY x) AS o, json_agg(ARRAY[x, x] ORDER BY x) AS a FROM (VALUES (1), (2)) v(x);
-- name: json_agg_no_rows
SELECT json_agg(x) AS a FROM (VALUES (1)) v(x) WHERE false;
-- name: jsonb_pretty_nested
SELECT jsonb_pretty('{"a": 1, "b": [1, {"c": null}, []], "d": {}}') AS p, jsonb_pretty('[]') AS e, jsonb_pretty('"x"') AS s;
-- name: jsonb_array_length_non_array
SELECT jsonb_array_length('{}');
-- name: jsonb_array_length_scalar
SELECT jsonb_array_length('1');
-- name: jsonb_strip_nulls_nested
SELECT jsonb_strip_nulls('{"a": null, "b": [null, {"c": null}]}') AS s;
-- name: jsonb_srf_in_select_list
SELECT jsonb_object_keys('{"bb": 1, "a": 2, "ccc": 3}') AS k, jsonb_array_length('[1]') AS n;
-- name: jsonb_array_elements_select_list
SELECT jsonb_array_elements('[1, "x", {"b": 1, "a": [2]}, null]');
-- name: delete_path_edges
SELECT '[1,[2,3]]'::jsonb #- '{1,-1}' AS a, '{"a":1}'::jsonb #- '{x,y}' AS b, '[1,2]'::jsonb #- '{5}' AS c, '{"a":1}'::jsonb #- '{}' AS d;
-- name: delete_path_scalar
SELECT '"x"'::jsonb #- '{}';
-- name: delete_path_not_integer
SELECT '{"a":[1]}'::jsonb #- '{a,x}';
-- name: jsonb_insert_positions
SELECT jsonb_insert('{"a": [1, 2]}', '{a,1}', '9', true) AS after, jsonb_insert('{"a": [1, 2]}', '{a,-1}', '9') AS neg, jsonb_insert('{"a": [1, 2]}', '{a,10}', '9') AS past, jsonb_insert('{"a": [1, 2]}', '{a,-10}', '9') AS before, jsonb_insert('{"a": 1}', '{b}', '2') AS new_key, jsonb_insert('{"a": 1}', '{x,y}', '2') AS nowhere;
-- name: jsonb_insert_existing_key
SELECT jsonb_insert('{"a": 1}', '{a}', '2');
