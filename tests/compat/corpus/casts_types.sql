-- Casts and scalar types: boolean, uuid, type names, pg_typeof, CAST syntax, implicit casts.

-- name: bool_literals
SELECT true AS t, false AS f, 'yes'::boolean AS y, 'off'::boolean AS o, 't'::bool AS tb;
-- name: bool_bad_literal
SELECT 'maybe'::boolean;
-- name: bool_pg_spellings
SELECT 'off'::bool AS a, 'ON'::boolean AS b, ' yes '::bool AS c, 'of'::bool AS d, 'n'::bool AS e, '0'::bool AS f, 'TRU'::bool AS g;
-- name: bool_ambiguous_prefix
SELECT 'o'::bool;
-- name: bool_too_long
SELECT 'offf'::bool;
-- name: bool_empty
SELECT ''::bool;
-- name: bool_to_int
SELECT true::int AS t, 0::boolean AS z;
-- name: uuid_roundtrip
SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS u;
-- name: uuid_bad
SELECT 'not-a-uuid'::uuid;
-- name: cast_syntax
SELECT CAST('42' AS integer) AS a, '42'::int8 AS b, int4 '7' AS c;
-- name: pg_typeof_various
SELECT pg_typeof('x'::text) AS a, pg_typeof('x'::varchar) AS b, pg_typeof(now()) AS c, pg_typeof('1'::jsonb) AS d;
-- name: pg_typeof_untyped_literal
SELECT pg_typeof('hello') AS t, pg_typeof(NULL) AS n;
-- name: pg_typeof_literal_cast_and_param_like
SELECT pg_typeof('x'::text) AS a, pg_typeof('x' || 'y') AS b, pg_typeof(''::text) AS c;
-- name: numeric_text_cast
SELECT 1.0::text AS a, '1e2'::float8::text AS b, (0.1::float4)::float8 AS c;
-- name: int_to_text_concat
SELECT 1 || '' AS a, 2::text || 3 AS b;
-- name: implicit_text_to_int_compare
SELECT 1 = '1' AS a, '10' > '9' AS text_cmp, 10 > '9' AS int_cmp;
-- name: int_plus_text_error
SELECT 1 + 'a';
-- name: text_plus_int_operator_missing
SELECT 'a'::text + 1;
-- name: double_precision_name
SELECT 1.5::double precision AS d, 2::real AS r, 3::smallint AS s;
-- name: character_varying_name
SELECT 'ab'::character varying(1) AS v, 'ab'::character(3) AS c;
-- name: interval_cast
SELECT '1 day'::interval AS i, '01:30'::interval AS t, 'P1DT2H'::interval AS iso;
-- name: date_to_timestamp_cast
SELECT '2024-01-02'::date::timestamp AS ts, '2024-01-02 03:04:05'::timestamp::date AS d;
-- name: regclass_cast
CREATE TABLE ct_tab(id int);
-- name: regclass_name
SELECT 'ct_tab'::regclass AS r;
-- name: regclass_name_forms
SELECT 'public.ct_tab'::regclass, 'CT_TAB'::regclass, 'ct_tab'::regclass::oid > 0 AS b;
-- name: regclass_in_comparison
SELECT count(*) > 0 AS found FROM pg_attribute WHERE attrelid = 'CT_TAB'::regclass;
-- name: drop_ct_tab
DROP TABLE ct_tab;
-- name: oid_type
SELECT 42::oid AS o;
-- name: money_like_numeric
SELECT 1234.5::numeric(10,2)::text AS t;
-- name: inet_cidr
SELECT '192.168.0.1/24'::inet AS i, '10.0.0.0/8'::cidr AS c;
-- name: point_type
SELECT '(1,2)'::point AS p;
-- name: row_constructor_compare
SELECT ROW(1, 2) < ROW(1, 3) AS lt, (1, 'a') = (1, 'a') AS eq;
-- name: case_type_resolution
SELECT CASE WHEN true THEN 1 ELSE 2.5 END AS c;
-- name: coalesce_type_mismatch
SELECT coalesce(1, 'x');
-- name: union_type_mismatch
SELECT 1 UNION SELECT 'a';
-- name: regclass_unknown_relation
SELECT 'nosuch'::regclass;
-- name: regclass_unknown_qualified
SELECT 'public.nosuch'::regclass;
-- name: float_text_forms
SELECT 1e2::float8::text AS a, 0.1::float4::text AS b, 1e300::float8::text AS c, 'x' || 2.5::float8 AS d, (-0.0)::float8::text AS e, 'NaN'::float8::text AS f, 123456789012345678::float8::text AS g;
-- name: array_text_forms
SELECT ARRAY['a b', NULL, 'c', '', 'q"t']::text AS s, ARRAY[true, false]::text AS b, ARRAY[1.5::float8]::text AS f, ARRAY['2024-01-01 00:00:00+00'::timestamptz]::text AS tz, (ARRAY[ARRAY[1, 2], ARRAY[3, 4]])::text AS nested;
-- name: array_text_in_functions
SELECT format('%s', ARRAY[1, 2]) AS f, length(ARRAY[1, 2, 3]::text) AS l, upper(ARRAY['a', 'b']::text) AS u;
-- name: interval_iso8601_designators
SELECT 'P1Y2M3DT4H5M6.5S'::interval AS a, 'P2W'::interval AS b, 'P1.5Y'::interval AS c, 'P0.5M'::interval AS d, 'P1.5W'::interval AS e, 'P0.5D'::interval AS f, 'PT1.5H'::interval AS g, 'P-1D'::interval AS h, 'PT36H'::interval AS i;
-- name: interval_iso8601_invalid
SELECT 'PX'::interval;
