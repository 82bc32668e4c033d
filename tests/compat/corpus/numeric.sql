-- Numbers: integer arithmetic, unconstrained and constrained numeric, floats, overflow, rounding.

-- name: create_unconstrained
CREATE TABLE num_n(v numeric);
-- name: insert_unconstrained
INSERT INTO num_n VALUES (0.000001), (1.0005);
-- name: select_unconstrained_small
SELECT v, v * 1000000 AS micro FROM num_n ORDER BY v;
-- name: insert_unconstrained_wide
INSERT INTO num_n VALUES (123456789012345678901234567890.123456789);
-- name: select_unconstrained
SELECT v FROM num_n ORDER BY v;
-- name: sum_unconstrained
SELECT sum(v) FROM num_n;
-- name: create_constrained
CREATE TABLE num_c(price numeric(10,2), qty integer, ratio real, big bigint, small smallint);
-- name: insert_constrained_rounds
INSERT INTO num_c VALUES (19.999, 3, 0.5, 9000000000, 7), (0.005, -1, 1.25, -1, -7);
-- name: select_constrained
SELECT price, qty, ratio, big, small FROM num_c ORDER BY price;
-- name: numeric_precision_overflow
INSERT INTO num_c(price) VALUES (123456789.12);
-- name: drop_tables
DROP TABLE num_n, num_c;
-- name: int_division_truncates
SELECT 7 / 2 AS q, -7 / 2 AS nq, 7 % 3 AS r, -7 % 3 AS nr;
-- name: numeric_division
SELECT 7.0 / 2 AS a, 1 / 3.0 AS b, 10::numeric / 4 AS c;
-- name: float_division
SELECT 7::float8 / 2 AS a, 1::float8 / 3 AS b;
-- name: division_by_zero_int
SELECT 1 / 0;
-- name: division_by_zero_numeric
SELECT 1.5 / 0;
-- name: modulo_by_zero
SELECT 5 % 0;
-- name: float_division_by_zero
SELECT 1::float8 / 0;
-- name: int4_overflow
SELECT 2147483647 + 1;
-- name: int8_overflow
SELECT 9223372036854775807::bigint + 1;
-- name: int2_cast_overflow
SELECT 40000::smallint;
-- name: int4_cast_overflow
SELECT 3000000000::integer;
-- name: int4_mul_overflow
SELECT 100000 * 100000;
-- name: bigint_literal_type
SELECT 3000000000 AS big, pg_typeof(3000000000) AS t;
-- name: typeof_literals
SELECT pg_typeof(1) AS a, pg_typeof(1.5) AS b, pg_typeof(1e3) AS c, pg_typeof(1::float8) AS d;
-- name: round_numeric
SELECT round(2.5) AS a, round(-2.5) AS b, round(1.2345, 2) AS c, round(1234.5, -2) AS d;
-- name: round_float
SELECT round(2.5::float8) AS a, round(3.5::float8) AS b;
-- name: round_float_halves
SELECT round(-2.5::float8) AS a, round(0.5::float8) AS b, round(-0.5::float8) AS c, round(2.5::real) AS d, round(1e300::float8) = 1e300::float8 AS e;
-- name: trunc_ceil_floor
SELECT trunc(-1.7) AS t, ceil(1.2) AS c, floor(-1.2) AS f, trunc(1.2345, 2) AS t2;
-- name: abs_sign_mod
SELECT abs(-3) AS a, sign(-2.5) AS s, mod(17, 5) AS m, mod(-17, 5) AS nm;
-- name: power_sqrt
SELECT power(2, 10) AS p, sqrt(16) AS s, cbrt(27::float8) AS c, 2 ^ 3 AS caret;
-- name: exp_ln_log
SELECT round(exp(1)::numeric, 6) AS e, ln(1) AS l, log(100) AS lg, log(2, 8) AS l2;
-- name: float_output
SELECT 0.1::float8 + 0.2::float8 AS s, 1e100::float8 AS big, 1.5::real AS r;
-- name: float_special
SELECT 'NaN'::float8 AS n, 'Infinity'::float8 AS i, '-Infinity'::float8 AS ni;
-- name: numeric_scale_display
SELECT 1.50::numeric AS a, 1.500::numeric(5,3) AS b, 0.0::numeric AS c, 100::numeric(5,2) AS d;
-- name: numeric_cast_from_text
SELECT '12.340'::numeric AS a, '  7 '::integer AS b;
-- name: numeric_literal_casts_keep_scale
SELECT -1.50::numeric AS a, '0.000'::numeric AS b, 1.5e-7::numeric AS c, 1.5E+2::numeric AS d, .50::numeric AS e, '  -3.10 '::numeric AS f, 1.50::numeric * 2 AS g;
-- name: numeric_literal_cast_long_scale
SELECT '1.000000000000'::numeric AS a, 0.000000000001::numeric AS b;
-- name: numeric_literal_cast_bad
SELECT '1.5x'::numeric;
-- name: numeric_literal_cast_too_wide
SELECT '123456789012345678901234567890123456789012345'::numeric;
-- name: integer_cast_from_bad_text
SELECT 'abc'::integer;
-- name: integer_cast_from_float_text
SELECT '1.5'::integer;
-- name: numeric_to_int_rounds
SELECT 2.5::integer AS a, 3.5::integer AS b, (-2.5)::integer AS c;
-- name: float_to_int_rounds
SELECT 2.5::float8::integer AS a, 3.5::float8::integer AS b;
-- name: greatest_least
SELECT greatest(1, 5, 3) AS g, least(1.5, 0.5) AS l, greatest(1, NULL, 2) AS gn;
-- name: bit_ops
SELECT 5 & 3 AS band, 5 | 3 AS bor, 5 # 3 AS bxor, ~5 AS bnot, 1 << 4 AS shl, 256 >> 2 AS shr;
-- name: factorial_gcd
SELECT factorial(5) AS f, gcd(12, 18) AS g, lcm(4, 6) AS l;
-- name: div_width_bucket
SELECT div(7, 2) AS d, width_bucket(5.35, 0.024, 10.06, 5) AS w;
-- name: to_char_numeric
SELECT to_char(1234.5, '9,999.99') AS a, to_char(-12, '999') AS b, to_char(7, '000') AS c;
-- name: to_number
SELECT to_number('12,454.8-', '99G999D9S') AS n;
-- name: numeric_sum_avg_types
SELECT pg_typeof(sum(x)) AS s, pg_typeof(avg(x)) AS a FROM (VALUES (1), (2)) v(x);
-- name: avg_integer
SELECT avg(x) FROM (VALUES (1), (2), (2)) v(x);
-- name: avg_numeric
SELECT avg(x) FROM (VALUES (1.5), (2.25)) v(x);
-- name: scientific_numeric
SELECT 1.5e-7::numeric AS a, 2e2::numeric AS b;
-- name: unary_minus_cast_precedence
SELECT -2 ^ 2 AS a, (-2) ^ 2 AS b, - 1::integer AS c;
-- name: numeric_division_exact
SELECT 2 / 3.0 AS a, -2 / 3.0 AS b, 1e15::numeric / 7 AS c, 1.50 / 3 = 0.5 AS d;
-- name: numeric_division_by_zero
SELECT 1.5 / 0.0 AS q;
-- name: numeric_quotient_tiny
SELECT 1 / 30000.0 AS q;
-- name: avg_of_nulls_and_nothing
SELECT avg(x) AS a, sum(x::int) AS s FROM (VALUES (NULL::numeric)) v(x);
-- name: float_to_numeric
SELECT 1e15::float8::numeric AS a, 0.1::float4::numeric AS b;
-- name: exponent_literals_are_numeric
SELECT 1.23456789012345678e5 AS a, 1.50e1 AS b, 1e-3 AS c, 0.1e0 + 0.2e0 AS d, 2.5E+2 AS e, 1e3 / 7 AS f, -1e3 AS g, 2.5e0::int AS h;
-- name: exponent_literal_column_names
SELECT 1e3, 5e0 * 2;
-- name: bitwise_xor_precedence
SELECT (2 # 3) # 1 AS a, 2::bigint # 3 AS b, 1 + 2 # 4 AS c, 6 # 2 * 3 AS d, x # 1 AS e FROM (VALUES (4)) v(x);
