#!/usr/bin/env python3
"""Writes the fuzz targets' seed inputs into tests/fuzz/corpus/<target>/seed-*.

The seeds are what real clients send (psql, libpq, pgjdbc, pgx, psycopg, curl, the web console),
written out by hand here so that each one is readable and can be regenerated. Inputs found by
fuzzing (crash-* reproducers) sit beside them and are not touched. Run it again after changing a
target's input format: python3 tests/fuzz/seeds.py
"""
import json
import pathlib
import struct

CORPUS = pathlib.Path(__file__).resolve().parent / "corpus"


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(data)


# --- pgwire: frames ---------------------------------------------------------------------------

def packet(body):  # untyped startup-phase packet
    return struct.pack("!i", len(body) + 4) + body


def msg(kind, body=b""):
    return kind.encode() + struct.pack("!i", len(body) + 4) + body


def cstr(s):
    return (s.encode() if isinstance(s, str) else s) + b"\0"


def startup(**params):
    body = struct.pack("!i", 196608)
    for k, v in params.items():
        body += cstr(k) + cstr(v)
    return packet(body + b"\0")


def parse(name, query, types=()):
    return msg("P", cstr(name) + cstr(query) + struct.pack("!h", len(types)) +
               b"".join(struct.pack("!I", t) for t in types))


def bind(portal, stmt, formats, params, results=()):
    body = cstr(portal) + cstr(stmt) + struct.pack("!h", len(formats))
    body += b"".join(struct.pack("!h", f) for f in formats)
    body += struct.pack("!h", len(params))
    for p in params:
        body += struct.pack("!i", -1) if p is None else struct.pack("!i", len(p)) + p
    body += struct.pack("!h", len(results)) + b"".join(struct.pack("!h", f) for f in results)
    return msg("B", body)


def describe(kind, name):
    return msg("D", kind.encode() + cstr(name))


def execute(portal, rows=0):
    return msg("E", cstr(portal) + struct.pack("!i", rows))


def close(kind, name):
    return msg("C", kind.encode() + cstr(name))


SYNC = msg("S")
FLUSH = msg("H")
TERMINATE = msg("X")


def query(sql):
    return msg("Q", cstr(sql))


def numeric(ndigits, weight, sign, dscale, digits):
    return struct.pack("!hhHh", ndigits, weight, sign, dscale) + \
        b"".join(struct.pack("!h", d) for d in digits)


def pgwire_seeds():
    scram_first = b"n,,n=,r=rOprNGfwEbeRWgbNEkqO"
    scram_final = (b"c=biws,r=rOprNGfwEbeRWgbNEkqOfuzznonce,"
                   b"p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
    sasl = msg("p", cstr("SCRAM-SHA-256") + struct.pack("!i", len(scram_first)) + scram_first)
    # psql: SSLRequest refused, StartupMessage, SCRAM, a simple query, Terminate.
    write("pgwire", "psql-session",
          b"\0" + packet(struct.pack("!i", 80877103)) +
          startup(user="postgres", database="postgres", application_name="psql",
                  client_encoding="UTF8") +
          sasl + msg("p", scram_final) + query("SELECT 1;") + TERMINATE)
    write("pgwire", "gssenc-then-startup",
          b"\0" + packet(struct.pack("!i", 80877104)) + startup(user="app", database="app") +
          query("") + TERMINATE)
    write("pgwire", "cancel", b"\0" + packet(struct.pack("!iii", 80877102, 4242, 123456)))
    write("pgwire", "protocol-2", b"\0" + packet(struct.pack("!i", 131072) + b"user\0x\0\0"))
    # pgjdbc: named statement, binary int4 and text parameters, binary results, Describe, Execute.
    write("pgwire", "pgjdbc-extended",
          b"\1" + parse("S_1", "SELECT $1::int4, $2::text", (23, 25)) +
          bind("", "S_1", (1, 0), (struct.pack("!i", 42), b"hello"), (1,)) +
          describe("P", "") + execute("", 0) + SYNC + close("S", "S_1") + SYNC + TERMINATE)
    # pgx: every parameter binary, unnamed statement, row limit (PortalSuspended), Flush.
    params = [
        (16, b"\1"), (21, struct.pack("!h", -7)), (20, struct.pack("!q", 2 ** 62)),
        (700, struct.pack("!f", 1.5)), (701, struct.pack("!d", -2.25)),
        (1700, numeric(3, 1, 0x4000, 4, (12, 3456, 7800))),
        (1082, struct.pack("!i", -730000)), (1114, struct.pack("!q", 789012345678901)),
        (1184, struct.pack("!q", -1)), (1083, struct.pack("!q", 45296000001)),
        (1186, struct.pack("!qii", 3600000000, 2, 14)), (2950, bytes(range(16))),
        (17, b"\x00\xff\x10"), (3802, b"\x01{\"a\": [1, 2]}"), (25, "täst".encode()),
    ]
    types = [t for t, _ in params]
    sql = "SELECT " + ", ".join(f"${i + 1}" for i in range(len(params)))
    write("pgwire", "pgx-binary-params",
          b"\1" + parse("", sql, types) + bind("p1", "", (1,), [v for _, v in params], (1,)) +
          describe("S", "") + execute("p1", 1) + FLUSH + execute("p1", 0) + SYNC)
    write("pgwire", "null-params",
          b"\1" + parse("s", "SELECT $1, $2", ()) + bind("", "s", (), (None, b"x")) +
          execute("") + SYNC)
    write("pgwire", "copy-in-messages",
          b"\1" + query("COPY t FROM STDIN") + msg("d", b"1\tone\n2\t") +
          msg("d", b"two\n\\.\n") + msg("c") + msg("f", cstr("client gave up")) + SYNC)

    def copy_text(flags, columns, chunk, delimiter, quote, escape, null, data):
        return (bytes([2, flags, columns, chunk]) + delimiter + quote + escape +
                bytes([len(null)]) + null + data)

    write("pgwire", "copy-text",
          copy_text(0, 3, 0, b"\t", b'"', b'"', b"\\N",
                    b"1\tplain\t\\N\n2\ttab\\there\\nnewline\t\\\\N\n"
                    b"3\t\\101\\x42\\0\t\\.x\n\\.\n"))
    write("pgwire", "copy-text-chunked",
          copy_text(0, 2, 3, b"|", b'"', b'"', b"", b"a|b\r\nc\\|d|\n|\n"))
    write("pgwire", "copy-csv",
          copy_text(3, 3, 0, b",", b'"', b'"', b"",
                    b'id,name,note\n1,"Smith, J","said ""hi"""\n2,,"multi\nline"\n3,"",x\n'))
    write("pgwire", "copy-csv-escape",
          copy_text(1, 2, 5, b";", b"'", b"\\", b"NULL", b"'a\\'b';NULL\n'';'x'\n"))
    sig = b"PGCOPY\n\xff\r\n\0" + struct.pack("!ii", 0, 0)
    # CopyBinary: column count, one type byte per column (an index into the target's kTypes:
    # 6 is int4, 7 is text), then the chunk size.
    row = struct.pack("!h", 2) + struct.pack("!i", 4) + struct.pack("!i", 7) + \
        struct.pack("!i", 3) + b"abc"
    nulls = struct.pack("!h", 2) + struct.pack("!i", -1) + struct.pack("!i", -1)
    write("pgwire", "copy-binary",
          bytes([3, 2, 6, 7, 0]) + sig + row + nulls + struct.pack("!h", -1))
    write("pgwire", "copy-binary-chunked",
          bytes([3, 2, 6, 7, 5]) + sig[:-4] + struct.pack("!i", 4) + b"ext!" + row +
          struct.pack("!h", -1))
    # One binary value: the type byte indexes kTypes (18 is numeric, 15 timestamp, 19 uuid).
    write("pgwire", "numeric", bytes([4, 18]) + numeric(2, 3, 0, 2, (1, 2)))
    write("pgwire", "numeric-fraction", bytes([4, 18]) + numeric(1, -2, 0x4000, 9, (5,)))
    write("pgwire", "timestamp", bytes([4, 15]) + struct.pack("!q", -63000000000000000))
    write("pgwire", "uuid", bytes([4, 19]) + bytes(range(100, 116)))


# --- sql -----------------------------------------------------------------------------------------

SQL = {
    "select": "SELECT 1",
    "psql-describe-table": (
        "SELECT c.oid,\n  n.nspname,\n  c.relname\nFROM pg_catalog.pg_class c\n"
        "     LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n"
        "WHERE c.relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default\n"
        "  AND pg_catalog.pg_table_is_visible(c.oid)\nORDER BY 2, 3;"),
    "psql-regclass": ("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
                      "FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'public.t'::regclass "
                      "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"),
    "psql-list": "SELECT n.nspname, c.relname::pg_catalog.text FROM pg_catalog.pg_class c "
                 "WHERE c.relname !~ '^pg_' AND c.oid::oid > 0 AND c.relnamespace::regnamespace "
                 "IS NOT NULL",
    "dollar-quotes": ("CREATE FUNCTION f() RETURNS text AS $body$ SELECT 'a;b' $x$ "
                      "$body$ LANGUAGE sql; SELECT $$it's; here$$, $tag$$$tag$"),
    "e-strings": r"SELECT E'it\'s\\; here', e'\x41\n', 'doubled '' quote'; SELECT E'\''",
    "unicode-strings": "SELECT U&'d\\0061t\\+000061', U&'d!0061t' UESCAPE '!', "
                       "E'\\u00e9\\U0001F600\\ud83d\\ude00\\101\\x4a'",
    "comments": "/* outer /* nested; */ still */ SELECT 1 -- trailing; comment\n; -- only\n",
    "quoted-idents": 'SELECT "a;b", "say ""hi""" FROM "T" AS "x"',
    "params": "SELECT $1, $2::int FROM t WHERE a = $10 AND b = '$1' AND c = $x",
    "multi-drop": "DROP TABLE IF EXISTS a, s.b, \"C\" CASCADE; DROP VIEW v1, v2",
    "truncate": "TRUNCATE TABLE ONLY a, b RESTART IDENTITY CASCADE",
    "begin-modes": "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; "
                   "START TRANSACTION READ WRITE; BEGIN",
    "set-transaction": "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE; "
                       "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
    "reset-discard": "RESET ALL; DISCARD ALL; UNLISTEN *; DEALLOCATE PREPARE \"S_1\"; "
                     "DEALLOCATE ALL",
    "copy-options": "COPY pgbench_accounts FROM STDIN WITH (FORMAT binary, FREEZE ON); "
                    "COPY t TO STDOUT WITH (FREEZE)",
    "copy-csv": "COPY t (a, b) FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';', "
                "QUOTE '''', NULL 'NULL')",
    "generate-series": "INSERT INTO pgbench_accounts SELECT aid, 1, 0 FROM "
                       "generate_series(1, 100000) AS aid; "
                       "SELECT * FROM unnest(ARRAY[1,2]) u JOIN generate_series(1,2) g ON true",
    "any-array": "SELECT i.relname FROM pg_index ix JOIN pg_class i ON i.oid = ANY(ix.indkey) "
                 "AND a.attnum = ANY(ARRAY[1, 2]) WHERE x = ANY(SELECT 1)",
    "int2vector": "SELECT ix.indkey::varchar, ix.indoption::text FROM pg_index ix",
    "json-build-object": "SELECT json_build_object('a', 1, 'b', pg_catalog.count(*)) FROM t",
    "regex-match": "SELECT relname FROM pg_class WHERE relname ~ 'pg_' AND relname !~ '^x$'",
    "create-role": "CREATE ROLE app WITH LOGIN NOSUPERUSER PASSWORD 'it''s' IN ROLE "
                   "pg_write_all_data",
    "alter-user": "ALTER USER \"Mixed\"\"Case\" ENCRYPTED PASSWORD "
                  "'SCRAM-SHA-256$4096:c2FsdA==$c3RvcmVkAA==:c2VydmVyAA=='",
    "drop-grant": "DROP ROLE IF EXISTS a, b; GRANT pg_write_all_data TO app, \"x\"; "
                  "REVOKE pg_read_all_data FROM app",
    "show": "SHOW TRANSACTION ISOLATION LEVEL",
    "show-timezone": "  show time zone ; ",
    "show-name": "show search_path;",
    "set-timeout": "statement_timeout=1.5min",
    "set-custom": "myapp.tenant = 'acme'",
    "duration": "250ms",
    "unterminated": "SELECT 'open string; SELECT \"open ident",
    "dollar-variable": "SELECT $x",
}


def sql_seeds():
    for name, text in SQL.items():
        write("sql", name, text)


# --- http ----------------------------------------------------------------------------------------

def request(method, target, body=b"", headers=(), version="1.1"):
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
    elif isinstance(body, str):
        body = body.encode()
    lines = [f"{method} {target} HTTP/{version}", "Host: localhost:8080"]
    lines += list(headers)
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def http_seeds():
    json_type = "Content-Type: application/json"
    write("http", "health", request("GET", "/health", headers=["Connection: close"]))
    write("http", "query", request("POST", "/api/query", {"sql": "SELECT 1"}, [json_type]))
    write("http", "query-params",
          request("POST", "/api/query",
                  {"sql": "SELECT $1::int, $2, $3", "params": [1, "x", None, True, 1.5,
                                                              {"a": [1]}, [2]],
                   "limit": 10, "format": "ndjson"},
                  [json_type, "Authorization: Bearer augur_0123456789ab_fuzz",
                   "Cache-Control: no-cache"]))
    write("http", "query-csv-basic",
          request("POST", "/api/query", {"format": "csv", "sql": "SELECT * FROM t"},
                  [json_type, "Authorization: Basic YXVndXI6ZnV6eg=="]))
    write("http", "query-parquet",
          request("POST", "/api/query", '{"sql":"SELECT 1","format":"parquet","limit":0}',
                  [json_type, "Authorization: Basic Ym9iOndyb25n"]))
    write("http", "query-bad-json",
          request("POST", "/api/query", '{"sql": "SELECT 1", "limit": -1, "extra": [}',
                  [json_type]))
    write("http", "keep-alive-pipeline",
          request("GET", "/ready") + request("GET", "/api/tables") +
          request("GET", "/api/tables/public.my%20table") +
          request("POST", "/api/backup", {"to": "/tmp/b"}, [json_type]) +
          request("GET", "/metrics") +
          request("DELETE", "/api/query") + request("GET", "/nope?x=1"))
    write("http", "console", request("GET", "/", headers=["Accept: text/html"]) +
          request("GET", "/console.js", version="1.0"))
    chunked = (b"POST /api/query HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Type: application/json\r\n\r\n"
               b"7\r\n{\"sql\":\r\n0c;ext=1\r\n \"SELECT 2\"}\r\n0\r\nTrailer: v\r\n\r\n")
    write("http", "chunked", chunked)
    write("http", "expect-continue",
          request("POST", "/api/query", {"sql": "SELECT 3"},
                  ["Expect: 100-continue", "Authorization: Digest x", json_type]))
    write("http", "too-large",
          request("POST", "/api/query", {"sql": "SELECT '" + "x" * 40 + "'"}, [json_type]))
    write("http", "bad-content-length",
          b"POST /api/query HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n{}")
    write("http", "cors-preflight",
          request("OPTIONS", "/api/query",
                  headers=["Origin: https://app.example.com",
                           "Access-Control-Request-Method: POST",
                           "Access-Control-Request-Headers: content-type, authorization"]) +
          request("POST", "/api/query", {"sql": "SELECT 1"},
                  ["Origin: https://app.example.com", json_type]))
    write("http", "cross-site",
          request("POST", "/api/query", "sql=DROP+TABLE+t",
                  ["Origin: https://evil.example", "Content-Type: text/plain"]) +
          request("GET", "/health", headers=["Host: 127.0.0.1.evil.example"]))
    write("http", "allowed-host",
          b"GET /api/tables HTTP/1.1\r\nHost: DB.Example.com:8080\r\n\r\n"
          b"GET /ready HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n")
    write("http", "malformed",
          b"GET /health HTTP/1.1\nHost: localhost\n\n"
          b"GET /health HTTP/3.0\r\n\r\nGET /\r\n\r\n")
    write("http", "smuggling",
          b"POST /api/query HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          b"Content-Length: 17\r\nContent-Length: 5\r\n\r\n{\"sql\":\"SELECT 1\"}")
    write("http", "absolute-target",
          request("GET", "http://localhost:8080/api/tables/%E2%82%AC?%zz", version="1.0"))


if __name__ == "__main__":
    pgwire_seeds()
    sql_seeds()
    http_seeds()
