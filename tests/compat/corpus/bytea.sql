-- bytea: hex and escape input, hex output, functions, storage in a table.

-- name: hex_input
SELECT '\xdeadbeef'::bytea AS b;
-- name: escape_input
SELECT 'abc\000def'::bytea AS b, E'\\001\\002'::bytea AS c;
-- name: escape_input_octal_and_backslash
SELECT 'a\\b\101'::bytea AS b;
-- name: bad_hex_input
SELECT '\xZZ'::bytea;
-- name: text_to_bytea
SELECT 'hello'::bytea AS b, convert_to('héllo', 'UTF8') AS u;
-- name: bytea_length
SELECT length('\xdeadbeef'::bytea) AS l, octet_length('\x00ff'::bytea) AS o;
-- name: bytea_concat
SELECT '\xde'::bytea || '\xad'::bytea AS c;
-- name: encode_decode
SELECT encode('\xdeadbeef'::bytea, 'hex') AS h, decode('deadbeef', 'hex') AS d, encode('abc'::bytea, 'escape') AS e;
-- name: base64_roundtrip
SELECT decode(encode('hello'::bytea, 'base64'), 'base64') AS b;
-- name: get_set_byte
SELECT get_byte('\x0102'::bytea, 1) AS g, set_byte('\x0102'::bytea, 0, 255) AS s;
-- name: substring_bytea
SELECT substring('\x0102030405'::bytea from 2 for 2) AS s;
-- name: md5_bytea
SELECT md5('\xdeadbeef'::bytea) AS m;
-- name: sha256
SELECT sha256('abc'::bytea) AS s;
-- name: sha256_is_bytea
SELECT pg_typeof(sha256(''::bytea)) AS t, octet_length(sha256('\x00ff'::bytea)) AS n, sha256(''::bytea) AS e;
-- name: create_blob_table
CREATE TABLE by_blobs(id int, data bytea);
-- name: insert_blobs
INSERT INTO by_blobs VALUES (1, '\xdeadbeef'), (2, 'plain'), (3, ''), (4, NULL);
-- name: select_blobs
SELECT id, data, length(data) AS len FROM by_blobs ORDER BY id;
-- name: bytea_compare
SELECT id FROM by_blobs WHERE data = '\xdeadbeef' ORDER BY id;
-- name: bytea_ordering
SELECT data FROM by_blobs WHERE data IS NOT NULL ORDER BY data;
-- name: drop_blobs
DROP TABLE by_blobs;
-- name: encode_formats
SELECT encode('\x00ff5c41'::bytea, 'hex') AS h, encode('\x00ff5c41'::bytea, 'escape') AS e, encode('\x00ff5c41'::bytea, 'BASE64') AS b;
-- name: encode_base64_long_lines
SELECT encode(('\x' || repeat('61', 58))::bytea, 'base64') AS b;
-- name: encode_base64_57_bytes
SELECT length(encode(('\x' || repeat('61', 57))::bytea, 'base64')) AS len, right(encode(('\x' || repeat('61', 57))::bytea, 'base64'), 1) = chr(10) AS ends_in_newline;
-- name: decode_formats
SELECT decode('de ad', 'hex') AS h, decode(' aGk= ', 'base64') AS b, decode('YQ==YQ==', 'base64') AS b2, decode('a\\b\001', 'escape') AS e;
-- name: decode_unknown_format
SELECT decode('x', 'rot13');
-- name: decode_bad_base64_end
SELECT decode('aGk', 'base64');
-- name: decode_bad_base64_symbol
SELECT decode('a!==', 'base64');
-- name: decode_odd_hex
SELECT decode('abc', 'hex');
-- name: decode_bad_escape
SELECT decode('\x41', 'escape');
-- name: encode_null
SELECT encode(NULL::bytea, 'hex') IS NULL AS a, decode(NULL, 'hex') IS NULL AS b;
-- name: set_byte_out_of_range
SELECT set_byte('\x0102'::bytea, 2, 1);
-- name: substring_bytea_edges
SELECT substring('\x0102030405'::bytea from 0 for 2) AS a, substring('\x0102030405'::bytea from 4) AS b, substring('\x0102'::bytea from 5 for 1) AS c;
-- name: substring_bytea_negative_length
SELECT substring('\x0102'::bytea from 1 for -1);
