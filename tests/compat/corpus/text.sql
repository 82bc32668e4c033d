-- Strings: character types and their limits, string functions, pattern matching, format().

-- name: create_char_types
CREATE TABLE txt_t(v varchar(5), c char(3), t text);
-- name: insert_fits
INSERT INTO txt_t VALUES ('abc', 'x', 'long text here');
-- name: varchar_overflow
INSERT INTO txt_t(v) VALUES ('abcdef');
-- name: char_overflow
INSERT INTO txt_t(c) VALUES ('abcd');
-- name: varchar_trailing_spaces_trimmed
INSERT INTO txt_t(v) VALUES ('ab   ');
-- name: char_padding_length
SELECT c, length(c) AS len, octet_length(c) AS oct, c || '|' AS concat FROM txt_t WHERE c IS NOT NULL;
-- name: varchar_explicit_cast_truncates
SELECT 'abcdef'::varchar(3) AS v, 'abcdef'::char(2) AS c;
-- name: select_all_text
SELECT v, c, t FROM txt_t ORDER BY v;
-- name: drop_text_table
DROP TABLE txt_t;
-- name: concat_operators
SELECT 'a' || 'b' AS ab, 'n' || 1 AS n1, 'x' || NULL AS xn, concat('a', NULL, 'c') AS c;
-- name: concat_ws
SELECT concat_ws(', ', 'a', NULL, 'b', 'c') AS c;
-- name: length_functions
SELECT length('héllo') AS l, char_length('abc') AS cl, octet_length('héllo') AS ol, bit_length('a') AS bl;
-- name: upper_lower_initcap
SELECT upper('héllo wörld') AS u, lower('ABC') AS l, initcap('hello wORLD foo-bar') AS i;
-- name: trim_family
SELECT btrim('xxhixx', 'x') AS b, ltrim('  a ') AS l, rtrim(' a  ') AS r, trim(both 'x' from 'xax') AS t;
-- name: trim_default
SELECT '[' || trim('  a b  ') || ']' AS t, btrim('  a ') AS b;
-- name: substring_forms
SELECT substring('hello' from 2 for 3) AS a, substr('hello', 2) AS b, substring('hello', 0, 3) AS c;
-- name: substring_regex
SELECT substring('abc123def' from '[0-9]+') AS d;
-- name: position_strpos
SELECT position('lo' in 'hello') AS p, strpos('hello', 'l') AS s, position('z' in 'abc') AS z;
-- name: left_right
SELECT left('hello', 2) AS l, right('hello', 3) AS r, left('hello', -2) AS ln;
-- name: lpad_rpad
SELECT lpad('7', 3, '0') AS l, rpad('ab', 5, '*') AS r, lpad('hello', 2) AS t;
-- name: repeat_reverse
SELECT repeat('ab', 3) AS r, reverse('abc') AS v, repeat('x', 0) AS e;
-- name: replace_translate
SELECT replace('a-b-c', '-', '+') AS r, translate('12345', '143', 'ax') AS t;
-- name: split_part
SELECT split_part('a,b,c', ',', 2) AS p, split_part('a,b', ',', 5) AS missing;
-- name: string_to_array
SELECT string_to_array('a,b,,c', ',') AS a, string_to_array('x y', ' ') AS b;
-- name: ascii_chr
SELECT ascii('A') AS a, chr(66) AS c, chr(233) AS e;
-- name: md5
SELECT md5('abc') AS m;
-- name: starts_with
SELECT starts_with('alphabet', 'alph') AS s;
-- name: quote_functions
SELECT quote_ident('my table') AS qi, quote_literal('it''s') AS ql, quote_nullable(NULL) AS qn;
-- name: format_basic
SELECT format('%s %I %L', 'val', 'Col Name', 'it''s') AS f;
-- name: format_null_and_positional
SELECT format('%s|%L|%2$s', NULL, 'x') AS f;
-- name: format_width
SELECT format('[%5s][%-5s]', 'ab', 'cd') AS f;
-- name: like_ilike
SELECT 'Hello' LIKE 'H%' AS a, 'Hello' LIKE 'h%' AS b, 'Hello' ILIKE 'h%' AS c, 'a_c' LIKE 'a\_c' AS d;
-- name: not_like_operators
SELECT 'abc' ~~ 'a%' AS a, 'abc' !~~ 'a%' AS b, 'ABC' ~~* 'a%' AS c;
-- name: similar_to
SELECT 'abc' SIMILAR TO '%(b|d)%' AS a, 'abc' SIMILAR TO 'b%' AS b, 'aaa' SIMILAR TO 'a{3}' AS c;
-- name: regex_match_operators
SELECT 'foobar' ~ 'o+b' AS a, 'FOO' ~* 'foo' AS b, 'foo' !~ 'x' AS c, 'FOO' !~* 'x' AS d;
-- name: regexp_replace
SELECT regexp_replace('a1b22c', '[0-9]+', '#') AS once, regexp_replace('a1b22c', '[0-9]+', '#', 'g') AS global;
-- name: regexp_matches
SELECT regexp_matches('foo123bar45', '([a-z]+)([0-9]+)') AS m;
-- name: regexp_matches_global
SELECT 1 AS a, regexp_matches('foo123bar45', '([a-z]+)([0-9]+)', 'g') AS m;
-- name: regexp_matches_no_match
SELECT regexp_matches('abc', 'x') AS m;
-- name: regexp_matches_no_groups_and_classes
SELECT regexp_matches('a(b)c', '[(]b[)]') AS m, regexp_matches('xyz', '(?:x)(y)') AS n;
-- name: regexp_split_to_array
SELECT regexp_split_to_array('a1b2c', '[0-9]') AS a;
-- name: text_comparison_c_order
SELECT x FROM (VALUES ('b'), ('B'), ('a'), ('A'), ('_')) v(x) ORDER BY x;
-- name: string_agg_ordered
SELECT string_agg(x, ',' ORDER BY x DESC) AS s FROM (VALUES ('a'), ('c'), ('b')) v(x);
-- name: escape_string_literal
SELECT E'tab\there' AS t, E'it\'s' AS q, 'back\slash' AS b;
-- name: dollar_quoted
SELECT $$it's $$ || $tag$ok$tag$ AS d;
-- name: to_hex_and_encode
SELECT to_hex(255) AS h, encode('hi'::bytea, 'base64') AS b64;
-- name: to_hex_widths
SELECT to_hex(-1) AS a, to_hex(-1::bigint) AS b, to_hex(0) AS c, to_hex(2147483647) AS d, to_hex(-9223372036854775808) AS e;
-- name: text_cast_of_bool_and_numbers
SELECT true::text AS b, 1.50::text AS n, 12::text || 'x' AS c;
-- name: overlay
SELECT overlay('Txxxxas' placing 'hom' from 2 for 4) AS o;
-- name: initcap_edges
SELECT initcap('ÉCOLE élève 3rd-PARTY o''neil') AS a, initcap('') AS b, initcap(NULL) AS c;
-- name: btrim_quote_nulls
SELECT btrim(NULL) IS NULL AS a, btrim('xyx', '') AS b, quote_literal(NULL::text) IS NULL AS c, quote_nullable(E'a\\b') AS d;
-- name: div_make_interval_date_bin
SELECT div(-7, 2) AS d, make_interval(weeks => 1, secs => 1.5) AS i, date_bin('1 hour', timestamp '2024-01-01 00:30:00', timestamp '2024-01-01 01:00:00') AS b;
-- name: chr_zero
SELECT chr(0);
-- name: chr_negative
SELECT chr(-1);
-- name: chr_too_large
SELECT chr(1114112);
-- name: chr_surrogate
SELECT chr(55296);
-- name: chr_valid
SELECT chr(65) AS a, chr(233) AS e, chr(128512) AS emoji;
-- name: char_n_padding
SELECT 'ab'::char(4) || '|' AS c, length('ab'::char(4)) AS l, 'ab'::char(4) = 'ab  '::char(4) AS eq;
-- name: overlay_edges
SELECT overlay('abc' placing 'xy' from 2 for -1) AS a, overlay('abc' placing 'xy' from 5) AS b, overlay('héllo' placing 'É' from 2 for 1) AS c;
-- name: overlay_start_zero
SELECT overlay('abc' placing 'xy' from 0);
-- name: substring_regex_groups
SELECT substring('abc' from 'z') AS none, substring('abc', 'b') AS plain, substring('abc' from '(?:b)(c)') AS second, substring('foo123bar' from '([a-z]+)[0-9]') AS first_group;
