"""The HTTP server against hostile and sloppy clients (issue 16): cross-site requests (CSRF, DNS
rebinding), malformed HTTP, Authorization schemes in any case, COPY through the client, bodies
cut by the result cap, and the Parquet export's spool. Malformed requests go over raw sockets;
the rest through http.client."""

import http.client
import json
import os
import socket

import psycopg
import pytest

from augur_server import AugurServer

ALLOWED_ORIGIN = "https://app.example.com"
ALLOWED_HOST = "db.internal"
MAX_RESULT_BYTES = 2_000_000
SPOOL_BYTES = 500_000
STALE_SPOOL_FILE = "http-export-1-0.parquet"  # left by a server that was killed mid-export


@pytest.fixture(scope="module")
def hardened(tmp_path_factory):
    """A server with an origin and a host name allowed, a result cap and a small spool quota."""
    data = tmp_path_factory.mktemp("hardened-data")
    (data / "tmp").mkdir()
    (data / "tmp" / STALE_SPOOL_FILE).write_bytes(b"PAR1 stale")
    srv = AugurServer(data, [
        "--http-allowed-origins", f"{ALLOWED_ORIGIN},http://other.example:8000",
        "--http-allowed-hosts", ALLOWED_HOST,
        "--http-max-result-bytes", str(MAX_RESULT_BYTES),
        "--http-export-spool-bytes", str(SPOOL_BYTES)]).start()
    yield srv
    assert srv.stop() == 0


def request(server, method, path, body=None, headers=None):
    """(status, headers with lower-case names, body) of one request over http.client. A dict body
    is sent as JSON with Content-Type application/json unless `headers` names another."""
    c = http.client.HTTPConnection(server.host, server.http_port, timeout=60)
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    c.request(method, path, body=body, headers=headers)  # a "Host" in `headers` replaces its own
    response = c.getresponse()
    data = response.read()
    c.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def error_of(data):
    return json.loads(data)["error"]


def raw(server, data, timeout=30):
    """Sends `data` as is and reads until the server closes: (status, headers, body, raw bytes).
    Status 0 when the server closed without answering."""
    s = socket.create_connection((server.host, server.http_port), timeout=timeout)
    try:
        s.sendall(data)
        received = b""
        while True:
            piece = s.recv(65536)
            if not piece:
                break
            received += piece
    finally:
        s.close()
    if not received:
        return 0, {}, b"", received
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body, received


def dechunk(body):
    """(payload, trailers) of a chunked body."""
    payload, trailers = b"", {}
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        payload += body[:size]
        body = body[size + 2:]
    for line in body.decode("latin-1").split("\r\n"):
        if line:
            name, _, value = line.partition(":")
            trailers[name.strip().lower()] = value.strip()
    return payload, trailers


def raw_query(server, body):
    """POST /api/query over a raw socket, so that the chunked body's trailers can be read."""
    payload = json.dumps(body).encode()
    status, headers, data, _ = raw(server, (
        f"POST /api/query HTTP/1.1\r\nHost: 127.0.0.1:{server.http_port}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        "Connection: close\r\n\r\n").encode() + payload)
    assert headers.get("transfer-encoding") == "chunked", (status, headers, data[:300])
    return (status, headers) + dechunk(data)


# --- 1. Cross-site requests ----------------------------------------------------------------------

SELECT_ONE = json.dumps({"sql": "SELECT 1 AS one"})


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/jsonp", "application/json-patch+json"])
def test_query_without_a_json_content_type_is_415(server, content_type):
    # What a <form> or a no-cors fetch() on any web page can send without a preflight.
    headers = {"Content-Type": content_type} if content_type else {}
    status, got, data = request(server, "POST", "/api/query", SELECT_ONE, headers)
    assert status == 415, data
    assert got["content-type"] == "application/json"
    error = error_of(data)
    assert error["code"] == "0A000" and "application/json" in error["message"]


@pytest.mark.parametrize("content_type", [
    "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"])
def test_query_with_a_json_content_type_runs(server, content_type):
    status, _, data = request(server, "POST", "/api/query", SELECT_ONE,
                              {"Content-Type": content_type})
    assert status == 200 and json.loads(data)["rows"] == [[1]], data


def test_backup_without_a_json_content_type_is_415(server, tmp_path):
    status, _, data = request(server, "POST", "/api/backup",
                              json.dumps({"to": str(tmp_path / "b")}),
                              {"Content-Type": "text/plain"})
    assert status == 415, data
    assert not (tmp_path / "b").exists()


@pytest.mark.parametrize("host", [
    "evil.example", "evil.example:{port}", "localhost.evil.example", "127.0.0.1.evil.example",
    "[::2]:{port}", "10.1.2.3"])
def test_unknown_host_is_refused_with_421(server, host):
    # DNS rebinding: the attacker's name resolves to 127.0.0.1; the browser still says its name.
    host = host.format(port=server.http_port)
    status, got, data = request(server, "POST", "/api/query", {"sql": "SELECT 1"},
                                {"Host": host})
    assert status == 421, data
    assert got["content-type"] == "application/json"
    assert error_of(data)["code"] == "08004" and "Host" in error_of(data)["message"]
    status, _, _ = request(server, "GET", "/api/tables", headers={"Host": host})
    assert status == 421


@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.0.0.1:{port}", "localhost", "LOCALHOST:{port}", "[::1]:{port}",
    "127.0.0.2"])
def test_loopback_hosts_are_accepted(server, host):
    status, _, data = request(server, "POST", "/api/query", {"sql": "SELECT 1 AS one"},
                              {"Host": host.format(port=server.http_port)})
    assert status == 200, data


def test_http_1_1_without_host_is_400(server):
    status, headers, body, _ = raw(server, b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert status == 400 and error_of(body)["code"] == "08P01"


def test_configured_host_names_are_accepted(hardened):
    for host in (ALLOWED_HOST, f"{ALLOWED_HOST}:{hardened.http_port}", ALLOWED_HOST.upper()):
        status, _, data = request(hardened, "POST", "/api/query", {"sql": "SELECT 1"},
                                  {"Host": host})
        assert status == 200, (host, data)
    assert request(hardened, "GET", "/health", headers={"Host": "evil.example"})[0] == 421


@pytest.mark.parametrize("origin", [
    "http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:{port}",
    "http://localhost:{port}"])
def test_foreign_origin_is_refused_with_403(server, origin):
    # A page elsewhere fetch()ing with a JSON body (it gets a preflight, but a simple POST may
    # still arrive); "http://localhost:port" is another origin than "http://127.0.0.1:port".
    origin = origin.format(port=server.http_port)
    status, got, data = request(server, "POST", "/api/query", {"sql": "SELECT 1"},
                                {"Origin": origin})
    assert status == 403, data
    assert error_of(data)["code"] == "42501" and "Origin" in error_of(data)["message"]
    assert "access-control-allow-origin" not in got


def test_same_origin_requests_run(server):
    # The web console: fetch() from the page the server itself served.
    for origin, host in [(f"http://127.0.0.1:{server.http_port}", None),
                         (f"http://localhost:{server.http_port}", f"localhost:{server.http_port}"),
                         ("http://localhost", "localhost:80")]:
        headers = {"Origin": origin}
        if host:
            headers["Host"] = host
        status, got, data = request(server, "POST", "/api/query", {"sql": "SELECT 1"}, headers)
        assert status == 200, (origin, data)
        assert "access-control-allow-origin" not in got


def test_allowed_origin_gets_cors_headers(hardened):
    status, got, data = request(hardened, "POST", "/api/query", {"sql": "SELECT 1 AS one"},
                                {"Origin": ALLOWED_ORIGIN})
    assert status == 200 and json.loads(data)["rows"] == [[1]], data
    assert got["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "Origin" in got["vary"]
    status, got, _ = request(hardened, "GET", "/health",
                             headers={"Origin": "http://other.example:8000"})
    assert status == 200 and got["access-control-allow-origin"] == "http://other.example:8000"
    status, got, data = request(hardened, "POST", "/api/query", {"sql": "SELECT 1"},
                                {"Origin": "https://evil.example"})
    assert status == 403 and "access-control-allow-origin" not in got


def test_preflight_is_answered_for_allowed_origins_only(hardened):
    preflight = {"Origin": ALLOWED_ORIGIN, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type, authorization"}
    status, got, data = request(hardened, "OPTIONS", "/api/query", headers=preflight)
    assert status == 204, data
    assert got["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert "POST" in got["access-control-allow-methods"]
    allowed_headers = got["access-control-allow-headers"].lower()
    assert "content-type" in allowed_headers and "authorization" in allowed_headers
    assert int(got["access-control-max-age"]) > 0
    assert "Origin" in got["vary"]
    status, got, data = request(hardened, "OPTIONS", "/api/query",
                                headers={**preflight, "Origin": "https://evil.example"})
    assert status == 403 and "access-control-allow-origin" not in got
    assert error_of(data)["code"] == "42501"


def test_the_console_page_is_still_served(server):
    status, got, data = request(server, "GET", "/")
    assert status == 200 and b"<html" in data.lower()
    console = request(server, "GET", "/api.js")[2].decode()  # the console's fetch calls
    assert '"Content-Type": "application/json"' in console


# --- 2. Malformed HTTP -----------------------------------------------------------------------

HOST = b"Host: 127.0.0.1\r\n"


@pytest.mark.parametrize("data, status", [
    pytest.param(b"GET /health HTTP/1.1\r\n" + HOST + b"X-Big: " + b"a" * 100_000 + b"\r\n\r\n",
                 431, id="100 KB header"),
    pytest.param(b"POST /api/query HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
                 b"Content-Length: 17\r\nContent-Length: 5\r\n\r\n" + b'{"sql":"SELECT 1"}', 400,
                 id="two different Content-Lengths"),
    pytest.param(b"POST /api/query HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
                 b"Content-Length: -1\r\n\r\n{}", 400, id="negative Content-Length"),
    pytest.param(b"POST /api/query HTTP/1.1\r\n" + HOST + b"Content-Type: application/json\r\n"
                 b"Content-Length: ten\r\n\r\n{}", 400, id="non-numeric Content-Length"),
    pytest.param(b"GET /health HTTP/1.1\nHost: 127.0.0.1\n\n", 400, id="bare LF line endings"),
    pytest.param(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\n\n", 400,
                 id="bare LF after a CRLF request line"),
    pytest.param(b"GET /health HTTP/3.0\r\n" + HOST + b"\r\n", 505, id="HTTP/3.0"),
    pytest.param(b"GET /health HTTP/0.9\r\n" + HOST + b"\r\n", 505, id="HTTP/0.9 version"),
    pytest.param(b"GET /health\r\n\r\n", 400, id="HTTP/0.9 request line"),
    pytest.param(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400,
                 id="TLS ClientHello on the plain port"),
])
def test_malformed_request_gets_a_4xx_and_connection_close(server, data, status):
    got_status, headers, body, received = raw(server, data)
    assert got_status == status, received[:200]
    assert headers.get("connection", "").lower() == "close"
    assert headers.get("content-type") == "application/json"
    assert error_of(body)["code"]
    assert request(server, "GET", "/health")[0] == 200  # and the server goes on


# --- 3. Authorization schemes are case-insensitive -------------------------------------------

@pytest.fixture(scope="module")
def roles(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE ROLE hardening_reader LOGIN")
        c.execute("CREATE ROLE hardening_basic LOGIN PASSWORD 'pw-basic'")
        yield c.execute("SELECT augur_create_api_token('hardening_reader')").fetchone()[0]
        c.execute("DROP ROLE hardening_reader, hardening_basic")


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer", "bEaReR"])
def test_bearer_scheme_in_any_case(server, roles, scheme):
    token = roles
    status, _, data = request(server, "POST", "/api/query", {"sql": "SELECT current_user AS u"},
                              {"Authorization": f"{scheme} {token}"})
    assert status == 200, data
    assert json.loads(data)["rows"] == [["hardening_reader"]]


def test_basic_scheme_in_any_case(server, roles):
    import base64
    credentials = base64.b64encode(b"hardening_basic:pw-basic").decode()
    for scheme in ("basic", "BASIC"):
        status, _, data = request(server, "POST", "/api/query",
                                  {"sql": "SELECT current_user AS u"},
                                  {"Authorization": f"{scheme} {credentials}"})
        assert status == 200, data
        assert json.loads(data)["rows"] == [["hardening_basic"]]


# --- 4. COPY through the client is refused over HTTP -----------------------------------------

@pytest.mark.parametrize("sql", [
    "COPY hardening_copy TO STDOUT", "COPY (SELECT * FROM hardening_copy) TO STDOUT (FORMAT csv)",
    "copy hardening_copy from stdin", "COPY hardening_copy FROM STDIN (FORMAT csv)"])
def test_copy_through_the_client_is_refused(server, conn, sql):
    conn.execute("CREATE TABLE IF NOT EXISTS hardening_copy(i INTEGER)")
    conn.execute("DELETE FROM hardening_copy")
    conn.execute("INSERT INTO hardening_copy VALUES (1), (2)")
    for fmt in ("json", "csv"):
        status, _, data = request(server, "POST", "/api/query", {"sql": sql, "format": fmt})
        assert status == 400, data
        error = error_of(data)
        assert error["code"] == "0A000"
        assert "COPY TO STDOUT / FROM STDIN is not available over HTTP" in error["message"]
        assert "format" in error["hint"] and "PostgreSQL protocol" in error["hint"]
    assert conn.execute("SELECT count(*) FROM hardening_copy").fetchone() == (2,)


# --- 5. Bodies cut by the result cap say so ----------------------------------------------------

BIG = "SELECT r, repeat('y', 100) AS pad FROM range(100000) t(r)"


def test_csv_cut_by_the_result_cap_ends_with_a_marker_and_trailers(hardened):
    status, headers, payload, trailers = raw_query(hardened, {"sql": BIG, "format": "csv",
                                                              "limit": 1000000})
    assert status == 200
    assert "x-augur-truncated" in headers["trailer"].lower()
    text = payload.decode()
    assert len(text) > MAX_RESULT_BYTES // 2
    last = text.rstrip("\r\n").rsplit("\r\n", 1)[1]
    assert last.startswith("# error 54000: result exceeds 2000000 bytes"), last
    assert trailers["x-augur-truncated"] == "true"
    assert trailers["x-augur-error"] == "54000"


def test_ndjson_cut_by_the_result_cap_ends_with_an_error_line_and_trailers(hardened):
    status, headers, payload, trailers = raw_query(hardened, {"sql": BIG, "format": "ndjson",
                                                              "limit": 1000000})
    assert status == 200
    last = json.loads(payload.decode().splitlines()[-1])
    assert last["error"]["code"] == "54000"
    assert trailers["x-augur-truncated"] == "true" and trailers["x-augur-error"] == "54000"


def test_whole_and_limited_bodies_say_so_in_trailers(hardened):
    _, _, payload, trailers = raw_query(hardened, {"sql": "SELECT 1 AS one", "format": "csv"})
    assert payload == b'one\r\n"1"\r\n'
    assert trailers["x-augur-truncated"] == "false" and "x-augur-error" not in trailers
    _, _, payload, trailers = raw_query(hardened, {"sql": "SELECT r FROM range(10) t(r)",
                                                   "format": "csv", "limit": 3})
    assert payload.count(b"\r\n") == 4 and trailers["x-augur-truncated"] == "true"
    _, _, payload, _ = raw_query(hardened, {"sql": 'SELECT 1 AS "#n"', "format": "csv"})
    assert payload == b'"#n"\r\n"1"\r\n'  # only the error marker starts with '#'


# --- 6. The Parquet export spools under the data directory, within a quota ------------------

def spool_files(server):
    spool = os.path.join(server.data_dir, "tmp")
    return sorted(os.listdir(spool)) if os.path.isdir(spool) else None


def test_stale_spool_files_are_removed_at_start(hardened):
    assert STALE_SPOOL_FILE not in (spool_files(hardened) or [])


def test_parquet_spools_in_the_data_directory_and_cleans_up(hardened):
    before = set(os.listdir("/tmp"))
    status, headers, data = request(hardened, "POST", "/api/query", {
        "sql": "SELECT r AS id FROM range(1000) t(r)", "format": "parquet"})
    assert status == 200 and data[:4] == b"PAR1", data[:200]
    assert spool_files(hardened) == []  # the spool directory exists, and is empty again
    pid = hardened.proc.pid
    assert not [f for f in set(os.listdir("/tmp")) - before if str(pid) in f]


def test_parquet_export_over_the_spool_quota_fails_and_leaves_nothing(hardened):
    # md5 text barely compresses: about 1.1 MB of Parquet, over the 500 KB quota and under the
    # 2 MB result cap.
    status, _, data = request(hardened, "POST", "/api/query", {
        "sql": "SELECT md5(r::VARCHAR) AS h FROM range(60000) t(r)", "format": "parquet"})
    assert status == 413, data[:300]
    error = error_of(data)
    assert error["code"] == "54000" and "http.export_spool_bytes" in error["message"]
    assert spool_files(hardened) == []
    status, _, data = request(hardened, "POST", "/api/query", {
        "sql": "SELECT r AS id FROM range(10) t(r)", "format": "parquet"})
    assert status == 200 and data[:4] == b"PAR1"  # the quota is free again


def test_spool_file_is_removed_when_the_client_goes_away(hardened):
    import time
    s = socket.create_connection((hardened.host, hardened.http_port), timeout=30)
    payload = json.dumps({"sql": "SELECT md5(r::VARCHAR) AS h FROM range(5000) t(r)",
                          "format": "parquet"}).encode()
    s.sendall((f"POST /api/query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
               f"\r\nContent-Length: {len(payload)}\r\n\r\n").encode() + payload)
    assert s.recv(12).startswith(b"HTTP/1.1 200")
    s.close()
    deadline = time.monotonic() + 20
    while spool_files(hardened) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert spool_files(hardened) == []
