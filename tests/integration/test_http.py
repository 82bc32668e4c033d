"""The HTTP server against a real augur: health, readiness, Prometheus metrics (with the LEARNED
index figures) and POST /api/query, with Python's own HTTP client."""

import http.client
import json
import os
import re

import psycopg
import pytest


def request(server, method, path, body=None, headers=None, connection=None):
    """(status, headers, body) of one request; reuses `connection` when given (keep-alive). A
    body goes with Content-Type: application/json unless `headers` says otherwise."""
    c = connection or http.client.HTTPConnection(server.host, server.http_port, timeout=30)
    payload = json.dumps(body) if isinstance(body, (dict, list)) else body
    headers = dict(headers or {})
    if payload is not None:
        headers.setdefault("Content-Type", "application/json")
    c.request(method, path, body=payload, headers=headers)
    response = c.getresponse()
    data = response.read()
    if connection is None:
        c.close()
    return response.status, dict(response.getheaders()), data


def query(server, sql, params=None, **extra):
    body = {"sql": sql, **extra}
    if params is not None:
        body["params"] = params
    status, headers, data = request(server, "POST", "/api/query", body)
    return status, json.loads(data)


def test_health_and_ready(server):
    assert request(server, "GET", "/health")[0::2] == (200, b'{"status":"ok"}')
    assert request(server, "GET", "/ready")[0::2] == (200, b'{"status":"ready"}')


def test_query_returns_typed_columns_and_rows(server):
    status, body = query(server, """
        SELECT 42 AS i, 9007199254740993::BIGINT AS big, 1.5::DOUBLE AS d, 2.50::DECIMAL(5,2) AS n,
               true AS b, NULL::INTEGER AS nothing, 'x''y' AS s, DATE '2026-01-02' AS day,
               TIMESTAMP '2026-01-02 03:04:05' AS ts, 'NaN'::DOUBLE AS nan""")
    assert status == 200, body
    assert [c["name"] for c in body["columns"]] == [
        "i", "big", "d", "n", "b", "nothing", "s", "day", "ts", "nan"]
    assert body["columns"][1]["type"] == "BIGINT"
    assert body["rows"] == [[42, "9007199254740993", 1.5, "2.50", True, None, "x'y", "2026-01-02",
                             "2026-01-02 03:04:05", "NaN"]]
    assert body["row_count"] == 1 and body["truncated"] is False
    assert body["command"] == "SELECT 1" and body["elapsed_ms"] >= 0


def test_malformed_basic_credentials_are_401_and_the_server_keeps_serving(server):
    # "====" decodes to 3 bytes with 4 of padding: taking the padding off wrapped around and threw
    # std::length_error, which dropped the connection unanswered (found while writing tests/fuzz).
    for credentials in ("Basic ====", "Basic ========", "Basic A===", "Basic !!!!"):
        status, _, body = request(server, "POST", "/api/query", {"sql": "SELECT 1"},
                                  {"Authorization": credentials})
        assert status == 401, (credentials, body)
        assert json.loads(body)["error"]["code"] == "28000"
    assert query(server, "SELECT 1 AS one")[1]["rows"] == [[1]]


def test_parameters_are_bound_not_spliced(server):
    status, body = query(server, "SELECT $1::VARCHAR AS s, $2::INTEGER + 1 AS n, $3::BOOLEAN AS b",
                         ["'); DROP TABLE x; --", 41, None])
    assert status == 200, body
    assert body["rows"] == [["'); DROP TABLE x; --", 42, None]]
    status, body = query(server, "SELECT $1::INTEGER", [])
    assert status == 400 and "parameters" in body["error"]["message"]


def test_limit_truncates(server):
    status, body = query(server, "SELECT r FROM range(100) t(r)", limit=7)
    assert status == 200 and body["row_count"] == 7 and body["truncated"] is True
    assert body["rows"] == [[r] for r in range(7)]


def test_writes_through_http_are_seen_by_postgresql_clients(server):
    assert query(server, "CREATE TABLE http_t(k BIGINT, v VARCHAR)")[0] == 200
    status, body = query(server, "INSERT INTO http_t VALUES ($1, $2), ($3, $4)", [1, "a", 2, "b"])
    assert status == 200 and body["command"] == "INSERT 0 2"
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        assert c.execute("SELECT * FROM http_t ORDER BY k").fetchall() == [(1, "a"), (2, "b")]
        c.execute("DROP TABLE http_t")


@pytest.mark.parametrize("method, path, body, status, code", [
    ("POST", "/api/query", {"sql": "SELEC 1"}, 400, "42601"),
    ("POST", "/api/query", {"sql": "SELECT * FROM no_such_table"}, 400, "42P01"),
    ("POST", "/api/query", {"sql": "SELECT 1/0"}, 400, "22012"),
    ("POST", "/api/query", "not json", 400, "22023"),
    ("POST", "/api/query", {"query": "SELECT 1"}, 400, "22023"),
    ("POST", "/api/query", {"sql": "SELECT 1", "format": "xml"}, 400, "22023"),
    ("GET", "/api/query", None, 405, "0A000"),
    ("GET", "/no/such/route", None, 404, "42704"),
])
def test_errors_are_json_with_sqlstate_and_status(server, method, path, body, status, code):
    got_status, headers, data = request(server, method, path, body)
    assert got_status == status, data
    assert headers["Content-Type"] == "application/json"
    error = json.loads(data)["error"]
    assert error["code"] == code and error["message"]


def test_syntax_error_reports_position(server):
    status, body = query(server, "SELECT 1 +* 2")
    assert status == 400 and body["error"]["position"] > 0


def test_oversized_body_is_413_and_server_keeps_serving(server):
    status, _, data = request(server, "POST", "/api/query",
                              {"sql": "SELECT '" + "x" * (2 << 20) + "'"})
    assert status == 413 and json.loads(data)["error"]["code"] == "54000"
    assert request(server, "GET", "/health")[0] == 200


def test_keep_alive_serves_many_requests_on_one_connection(server):
    c = http.client.HTTPConnection(server.host, server.http_port, timeout=30)
    for i in range(20):
        status, _, data = request(server, "POST", "/api/query", {"sql": f"SELECT {i} AS i"},
                                  connection=c)
        assert status == 200 and json.loads(data)["rows"] == [[i]]
    c.close()


def metric(text, name, **labels):
    """The value of one sample in Prometheus text, or None."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split(" ")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_count_requests_and_show_learned_indexes(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE http_m AS SELECT r::BIGINT AS k FROM range(5000) t(r)")
        c.execute("CREATE INDEX http_m_k ON http_m USING LEARNED (k)")
        before = request(server, "GET", "/metrics")[2].decode()
        base = metric(before, "augur_http_requests_total", route="/health", status="200") or 0
        for _ in range(3):
            request(server, "GET", "/health")
        status, headers, data = request(server, "GET", "/metrics")
        text = data.decode()
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        assert metric(text, "augur_http_requests_total", route="/health", status="200") == base + 3
        assert metric(text, "augur_http_request_duration_seconds_count", route="/health") >= 3
        assert metric(text, "augur_sessions", protocol="pgwire") >= 1  # this psycopg session
        assert metric(text, "augur_learned_index_keys", table="http_m", index="http_m_k") == 5000
        assert metric(text, "augur_learned_index_segments", index="http_m_k") >= 1
        assert metric(text, "augur_learned_index_bytes", index="http_m_k") > 0
        assert metric(text, "augur_learned_index_retrains_total", index="http_m_k") == 0
        c.execute("DROP TABLE http_m")


def test_rate_limit_answers_429_with_retry_after_and_guards_postgresql_connects(tmp_path):
    import time

    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--rate-limit", "2", "--rate-burst", "3"]).start()
    try:
        for _ in range(3):
            assert query(srv, "SELECT 1")[0] == 200
        status, headers, data = request(srv, "POST", "/api/query", {"sql": "SELECT 1"})
        assert status == 429, data
        assert int(headers["Retry-After"]) >= 1
        error = json.loads(data)["error"]
        assert error["code"] == "53400" and "retry in" in error["hint"]
        assert request(srv, "GET", "/health")[0] == 200  # liveness probes are never limited
        time.sleep(int(headers["Retry-After"]) + 0.6)  # obeying Retry-After is enough
        assert query(srv, "SELECT 1")[0] == 200

        time.sleep(2)  # the full burst again, now spent on PostgreSQL connections
        for _ in range(3):
            psycopg.connect(srv.dsn()).close()
        with pytest.raises(psycopg.OperationalError) as refused:
            psycopg.connect(srv.dsn())
        assert "too many connection attempts" in str(refused.value)
        text = request(srv, "GET", "/metrics")[2].decode()
        assert metric(text, "augur_rate_limited_total", protocol="http") >= 1
        assert metric(text, "augur_rate_limited_total", protocol="pgwire") >= 1
    finally:
        assert srv.stop() == 0


def test_tables_lists_columns_keys_and_indexes(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute('CREATE TABLE "http tables"(id BIGINT PRIMARY KEY, name VARCHAR NOT NULL, '
                  "score DOUBLE)")
        c.execute("""INSERT INTO "http tables" SELECT r, 'n' || r, r / 2 FROM range(300) t(r)""")
        c.execute('CREATE INDEX http_tables_score ON "http tables" USING LEARNED (score)')
        c.execute('CREATE UNIQUE INDEX http_tables_name ON "http tables" (name)')
        c.execute('CREATE INDEX http_tables_pair ON "http tables" (score, name)')
        c.execute("CHECKPOINT")
        try:
            status, _, data = request(server, "GET", "/api/tables")
            assert status == 200
            tables = {t["name"]: t for t in json.loads(data)}
            t = tables["http tables"]
            assert t["schema"] == "public"
            assert t["columns"] == [
                {"name": "id", "type": "BIGINT", "nullable": False},
                {"name": "name", "type": "VARCHAR", "nullable": False},
                {"name": "score", "type": "DOUBLE", "nullable": True}]
            assert t["primary_key"] == ["id"]
            indexes = {i["name"]: i for i in t["indexes"]}
            assert indexes["http_tables_score"]["type"] == "LEARNED"
            assert indexes["http_tables_score"]["keys"] == 300
            assert indexes["http_tables_name"]["type"] == "ART"
            assert indexes["http_tables_name"]["unique"] is True
            assert indexes["http_tables_name"]["columns"] == ["name"]
            assert indexes["http_tables_pair"]["columns"] == ["score", "name"]

            status, _, data = request(server, "GET", "/api/tables/http%20tables")
            assert status == 200, data
            one = json.loads(data)
            assert one["row_count"] == 300 and one["bytes_on_disk"] > 0
            assert request(server, "GET", "/api/tables/public.http%20tables")[0] == 200

            status, _, data = request(server, "GET", "/api/tables/no_such_table")
            assert status == 404 and json.loads(data)["error"]["code"] == "42P01"
        finally:
            c.execute('DROP TABLE "http tables"')


def test_ndjson_and_csv_formats(server):
    status, headers, data = request(server, "POST", "/api/query", {
        "sql": "SELECT r AS n, CASE WHEN r = 1 THEN NULL ELSE 'a,\"b\"' END AS s "
               "FROM range(3) t(r)", "format": "ndjson"})
    assert status == 200 and headers["Content-Type"] == "application/x-ndjson"
    assert headers.get("Transfer-Encoding") == "chunked"
    lines = data.decode().splitlines()
    assert [json.loads(line) for line in lines] == [
        {"n": 0, "s": 'a,"b"'}, {"n": 1, "s": None}, {"n": 2, "s": 'a,"b"'}]

    status, headers, data = request(server, "POST", "/api/query", {
        "sql": "SELECT r AS n, CASE WHEN r = 1 THEN NULL ELSE 'a,\"b\"' END AS s "
               "FROM range(3) t(r)", "format": "csv"})
    assert status == 200 and headers["Content-Type"] == "text/csv"
    assert data.decode() == 'n,s\r\n"0","a,""b"""\r\n"1",\r\n"2","a,""b"""\r\n'


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_result_over_100_mb_streams_in_bounded_memory(server):
    c = http.client.HTTPConnection(server.host, server.http_port, timeout=120)
    c.request("POST", "/api/query", json.dumps({
        "sql": "SELECT r, repeat('x', 1000) AS pad FROM range(110000) t(r)",
        "format": "ndjson", "limit": 1000000}), {"Content-Type": "application/json"})
    response = c.getresponse()
    assert response.status == 200
    before = rss_kib(server.proc.pid)
    peak, total, lines = before, 0, 0
    while True:
        piece = response.read(1 << 20)
        if not piece:
            break
        total += len(piece)
        lines += piece.count(b"\n")
        peak = max(peak, rss_kib(server.proc.pid))
    c.close()
    assert total > 100 * 1024 * 1024 and lines == 110000
    if "ASAN_OPTIONS" in os.environ:
        return  # AddressSanitizer holds freed memory in quarantine: RSS says nothing there
    # The body is over 100 MiB; the server holds a few pieces of it at a time.
    assert (peak - before) < 64 * 1024, f"RSS grew by {(peak - before) // 1024} MiB"


def cached_query(server, sql, params=None, headers=None):
    body = {"sql": sql}
    if params is not None:
        body["params"] = params
    status, got_headers, data = request(server, "POST", "/api/query", body, headers=headers)
    assert status == 200, data
    return got_headers.get("X-Cache"), json.loads(data)


def test_cache_hit_then_invalidated_by_a_write_through_postgresql(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE http_c(k INTEGER, v VARCHAR)")
        c.execute("CREATE TABLE http_other(k INTEGER)")
        c.execute("INSERT INTO http_c VALUES (1, 'one')")
        sql = "SELECT v FROM http_c WHERE k = $1"
        assert cached_query(server, sql, [1]) == ("miss", cached_query(server, sql, [1])[1])
        status, body = cached_query(server, "SELECT   v FROM http_c   WHERE k = $1", [1])
        assert status == "hit" and body["rows"] == [["one"]]  # same text up to whitespace
        assert cached_query(server, sql, [2])[0] == "miss"  # other parameters, other entry
        assert cached_query(server, sql, [1], {"Cache-Control": "no-cache"})[0] == "bypass"

        c.execute("INSERT INTO http_other VALUES (5)")  # another table: entry still good
        assert cached_query(server, sql, [1])[0] == "hit"
        c.execute("UPDATE http_c SET v = 'uno' WHERE k = 1")  # committed write to its table
        status, body = cached_query(server, sql, [1])
        assert status == "miss" and body["rows"] == [["uno"]]
        assert cached_query(server, sql, [1])[0] == "hit"

        with c.transaction():  # an uncommitted write changes nothing yet...
            c.execute("INSERT INTO http_c VALUES (1, 'later')")
            assert cached_query(server, sql, [1])[1]["rows"] == [["uno"]]
        status, body = cached_query(server, sql, [1])  # ...its commit does
        assert status == "miss" and sorted(body["rows"]) == [["later"], ["uno"]]

        # Volatile functions and writes are never cached.
        assert cached_query(server, "SELECT random() AS r")[0] == "bypass"
        # Judged from the bound statement, not from the text: a quoted function name, augur's own
        # functions with effects, and catalog views (their answers change without a table write).
        assert cached_query(server, 'SELECT "random"() AS r')[0] == "bypass"
        assert cached_query(server, "SELECT pg_try_advisory_xact_lock(7) AS l")[0] == "bypass"
        assert cached_query(server, "SELECT v FROM http_c WHERE v <> now()::VARCHAR")[0] == "bypass"
        assert cached_query(server, "SELECT relname FROM pg_class WHERE relname = 'http_c'")[0] == (
            "bypass"
        )
        # A deterministic function over a table is still cached.
        sql_upper = "SELECT upper(v) AS u FROM http_c WHERE k = $1"
        assert cached_query(server, sql_upper, [1])[0] == "miss"
        status, body = cached_query(server, sql_upper, [1])
        assert status == "hit" and sorted(body["rows"]) == [["LATER"], ["UNO"]]
        assert cached_query(server, "INSERT INTO http_other VALUES (6)")[0] == "bypass"
        text = request(server, "GET", "/metrics")[2].decode()
        assert metric(text, "augur_cache_events_total", event="hit") >= 4
        c.execute("DROP TABLE http_c")
        c.execute("DROP TABLE http_other")


def test_statement_metrics_and_file_sizes(server):
    before = request(server, "GET", "/metrics")[2].decode()
    inserts = metric(before, "augur_statements_total", protocol="pgwire", command="INSERT") or 0
    errors = metric(before, "augur_statement_errors_total", protocol="pgwire", **{"class": "42"})
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE http_s(k INTEGER)")
        for i in range(3):
            c.execute("INSERT INTO http_s VALUES (%s)", [i])  # extended protocol
        psycopg.ClientCursor(c).execute("INSERT INTO http_s VALUES (9)")  # simple protocol
        with pytest.raises(psycopg.errors.UndefinedTable):
            c.execute("SELECT * FROM http_no_such")
        c.execute("DROP TABLE http_s")
    text = request(server, "GET", "/metrics")[2].decode()
    assert metric(text, "augur_statements_total", protocol="pgwire", command="INSERT") == inserts + 4
    assert metric(text, "augur_statement_errors_total", protocol="pgwire",
                  **{"class": "42"}) == (errors or 0) + 1
    assert metric(text, "augur_statement_duration_seconds_count", protocol="pgwire") > 0
    assert metric(text, "augur_database_bytes") > 0
    assert metric(text, "augur_wal_bytes") is not None


def test_slow_statement_log(tmp_path):
    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--slow-statement-ms", "50"]).start()
    try:
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            c.execute("SELECT 1")  # fast: not logged
            c.execute("SELECT count(*) FROM range(200000000) a(x) WHERE x % 7 = 1")
        # The log is read from the server's stderr by another thread: the line may arrive just
        # after the result (this failed once on a loaded machine).
        assert srv.wait_for_log("slow statement"), srv.log_lines[-10:]
        slow = [line for line in srv.log_lines if "slow statement" in line]
        assert len(slow) == 1, srv.log_lines[-10:]
        assert "rows=1" in slow[0] and "range(200000000)" in slow[0]
        assert float(re.search(r"duration_ms=([\d.]+)", slow[0]).group(1)) >= 50
    finally:
        assert srv.stop() == 0


def test_fifty_concurrent_clients_without_a_failed_request(server):
    import threading
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE http_load AS SELECT r AS k, 'v' || r AS v FROM range(1000) t(r)")
    failures, done = [], []

    def client(n):
        conn = http.client.HTTPConnection(server.host, server.http_port, timeout=60)
        try:
            for i in range(20):
                k = (n * 20 + i) % 1000
                status, _, data = request(server, "POST", "/api/query",
                                          {"sql": "SELECT v FROM http_load WHERE k = $1",
                                           "params": [k]}, connection=conn)
                if status != 200 or json.loads(data)["rows"] != [[f"v{k}"]]:
                    failures.append((n, i, status, data[:200]))
                done.append(1)
        except Exception as ex:  # noqa: BLE001 - any failure is the finding
            failures.append((n, repr(ex)))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not failures, failures[:3]
    assert len(done) == 1000
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE http_load")


def test_slow_client_is_disconnected_and_others_are_served(tmp_path):
    import socket
    import time

    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--http-request-timeout-ms", "500"]).start()
    try:
        slow = socket.create_connection((srv.host, srv.http_port), timeout=10)
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")  # headers never finish
        start = time.monotonic()
        assert request(srv, "GET", "/health")[0] == 200  # others are not held up
        assert slow.recv(100) == b""  # the server hung up on the slow one
        assert time.monotonic() - start < 5
        slow.close()
    finally:
        assert srv.stop() == 0


def test_metrics_count_bytes_of_both_protocols(server):
    def sample(direction, protocol):
        text = request(server, "GET", "/metrics")[2].decode()
        return metric(text, "augur_network_bytes_total", protocol=protocol,
                      direction=direction) or 0

    before_pg, before_http = sample("out", "pgwire"), sample("in", "http")
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        rows = c.execute("SELECT repeat('x', 1000) FROM range(100)").fetchall()
        assert len(rows) == 100
    body = "x" * 5000
    request(server, "POST", "/api/query", {"sql": "SELECT 1", "comment": body})
    assert sample("out", "pgwire") - before_pg >= 100 * 1000
    assert sample("in", "http") - before_http >= 5000


def test_result_size_cap_ends_the_body_with_54000(tmp_path):
    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--http-max-result-bytes", "100000"]).start()
    try:
        status, body = query(srv, "SELECT r, repeat('y', 100) AS pad FROM range(100000) t(r)")
        assert status == 200  # the head went out before the rows
        assert body["error"]["code"] == "54000"
        assert "http.max_result_bytes" in body["error"]["message"]
        assert 0 < body["row_count"] < 100000
        status, body = query(srv, "SELECT r FROM range(10) t(r)")
        assert status == 200 and body["row_count"] == 10 and "error" not in body
    finally:
        assert srv.stop() == 0


def test_rate_limit_keys_on_a_valid_api_token_else_the_address(tmp_path):
    from augur_server import AugurServer
    srv = AugurServer(tmp_path / "data", ["--rate-limit", "1", "--rate-burst", "2"]).start()
    try:
        with psycopg.connect(srv.dsn(), autocommit=True) as c:
            token = c.execute("SELECT augur_create_api_token('augur')").fetchone()[0]
        body = {"sql": "SELECT 1"}
        # (the PostgreSQL connection above spent part of the address's burst)
        statuses = [request(srv, "POST", "/api/query", body)[0] for _ in range(3)]
        assert statuses[0] == 200 and statuses[-1] == 429
        # The address is spent; the token has a budget of its own.
        auth = {"Authorization": f"Bearer {token}"}
        statuses = [request(srv, "POST", "/api/query", body, auth)[0] for _ in range(3)]
        assert statuses[:2] == [200, 200] and statuses[2] == 429
        status, _, data = request(srv, "POST", "/api/query", body, auth)
        assert status == 429 and "token augur_" in json.loads(data)["error"]["message"]
        assert token.split("_")[2] not in data.decode()  # never echo the secret
        # A made-up token is not a key of its own: it counts against the address.
        fake = {"Authorization": "Bearer augur_000000000000_" + "0" * 64}
        assert request(srv, "POST", "/api/query", body, fake)[0] == 429
    finally:
        assert srv.stop() == 0


def test_parquet_format_streams_a_zstd_parquet_file(server, tmp_path):
    body = {"sql": "SELECT r AS id, 'name ' || r AS name FROM range(5000) t(r) WHERE r % $1 = 0",
            "params": [5], "format": "parquet"}
    status, headers, data = request(server, "POST", "/api/query", body)
    assert status == 200, data[:300]
    assert headers["Content-Type"] == "application/vnd.apache.parquet"
    assert data[:4] == b"PAR1" and data[-4:] == b"PAR1"
    path = tmp_path / "result.parquet"
    path.write_bytes(data)
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        assert c.execute(f"SELECT count(*), max(id), min(name) FROM read_parquet('{path}')"
                         ).fetchone() == (1000, 4995, "name 0")
        codecs = c.execute(f"SELECT DISTINCT compression FROM parquet_metadata('{path}')"
                           ).fetchall()
        assert codecs == [("ZSTD",)]
    assert not list(tmp_path.parent.glob("augur-export-*"))  # no temp file left in our dir
    status, _, data = request(server, "POST", "/api/query",
                              {"sql": "CREATE TABLE parquet_nope(i INT)", "format": "parquet"})
    assert status == 400 and json.loads(data)["error"]["code"] == "0A000"
    status, _, data = request(server, "POST", "/api/query", {"sql": "SELECT 1", "format": "xml"})
    assert status == 400 and "parquet" in json.loads(data)["error"]["message"]


def test_metrics_count_http_statements_errors_and_connections(server):
    def sample(name, **labels):
        return metric(request(server, "GET", "/metrics")[2].decode(), name, **labels) or 0

    selects = sample("augur_statements_total", protocol="http", command="SELECT")
    errors = sample("augur_statement_errors_total", protocol="http", **{"class": "42"})
    assert query(server, "SELECT 1")[0] == 200
    assert query(server, "SELECT * FROM no_such_table_for_metrics")[0] == 400
    assert sample("augur_statements_total", protocol="http", command="SELECT") == selects + 1
    assert sample("augur_statement_errors_total", protocol="http", **{"class": "42"}) == errors + 1
    assert sample("augur_sessions", protocol="http") >= 1  # the connection asking


def test_pgwire_result_cache_serves_autocommit_reads_and_never_a_transaction_block(tmp_path):
    from augur_server import AugurServer
    from pgraw import RawClient, message

    def hits(srv):
        text = request(srv, "GET", "/metrics")[2].decode()
        return metric(text, "augur_cache_events_total", event="hit") or 0

    def simple_query(client, sql):
        client.send(message(b"Q", sql.encode() + b"\0"))
        rows = [m for m in client.read_until_ready() if m[0] == b"D"]
        return len(rows)

    srv = AugurServer(tmp_path / "data", ["--pgwire-result-cache", "true"]).start()
    try:
        client = RawClient(srv.host, srv.port)
        client.login()
        assert simple_query(client, "CREATE TABLE pc(i INT); INSERT INTO pc VALUES (1), (2)") == 0
        before = hits(srv)
        assert simple_query(client, "SELECT * FROM pc") == 2
        assert simple_query(client, "SELECT  *\n FROM pc") == 2  # same canonical text: a hit
        assert hits(srv) == before + 1
        # A write through the other protocol makes the entry unreachable.
        assert query(srv, "INSERT INTO pc VALUES (3)")[0] == 200
        assert simple_query(client, "SELECT * FROM pc") == 3
        # Inside a block the engine answers (and sees the block's own writes).
        hits_before_block = hits(srv)
        simple_query(client, "BEGIN")
        simple_query(client, "INSERT INTO pc VALUES (4)")
        assert simple_query(client, "SELECT * FROM pc") == 4
        simple_query(client, "ROLLBACK")
        assert hits(srv) == hits_before_block
        assert simple_query(client, "SELECT * FROM pc") == 3
        client.close()
    finally:
        assert srv.stop() == 0
    # Off by default: the same statements never hit.
    srv = AugurServer(tmp_path / "data2").start()
    try:
        client = RawClient(srv.host, srv.port)
        client.login()
        simple_query(client, "CREATE TABLE pc(i INT)")
        before = hits(srv)
        for _ in range(3):
            simple_query(client, "SELECT * FROM pc")
        assert hits(srv) == before
        client.close()
    finally:
        assert srv.stop() == 0
