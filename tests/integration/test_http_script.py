"""POST /api/script (several statements, one result each) and POST /api/cancel (a statement
stopped by its query id) against a real augur, with hostile requests: other sites, other roles,
malformed ids. The console drives both (test_console.py); these check the API itself."""

import base64
import json
import threading
import time

import psycopg
import pytest

from test_http import request

LONG = "SELECT count(*) FROM range(1000000000000) a"


def script(server, body, headers=None):
    status, _, data = request(server, "POST", "/api/script", body, headers)
    return status, json.loads(data)


def test_script_runs_each_statement_in_one_session_and_stops_at_the_first_error(server):
    status, data = script(server, {"sql": "CREATE TEMP TABLE s(i INTEGER); "
                                          "INSERT INTO s VALUES (1), (2);\n"
                                          "SELECT i FROM s ORDER BY i; SELECT 1/0; SELECT 2"})
    assert status == 200, data
    results = data["results"]
    assert [r["statement"] for r in results] == [
        "CREATE TEMP TABLE s(i INTEGER)", "INSERT INTO s VALUES (1), (2)",
        "SELECT i FROM s ORDER BY i", "SELECT 1/0", "SELECT 2"]
    assert [r.get("command") for r in results[:3]] == ["CREATE TABLE", "INSERT 0 2", "SELECT 2"]
    assert results[2]["columns"] == [{"name": "i", "type": "INTEGER"}]
    assert results[2]["rows"] == [[1], [2]]
    # PostgreSQL 15: ERROR 22012 division by zero; the rest of the script does not run.
    assert results[3]["error"] == {"code": "22012", "message": "division by zero"}
    assert results[4] == {"statement": "SELECT 2", "skipped": True}


def test_script_settings_and_transactions_carry_from_statement_to_statement(server):
    status, data = script(server, {"sql": "BEGIN; CREATE TABLE script_tx(i INTEGER); "
                                          "INSERT INTO script_tx VALUES (7); ROLLBACK; "
                                          "SELECT count(*) FROM information_schema.tables "
                                          "WHERE table_name = 'script_tx'"})
    assert status == 200, data
    assert [r["command"] for r in data["results"]] == [
        "BEGIN", "CREATE TABLE", "INSERT 0 1", "ROLLBACK", "SELECT 1"]
    assert data["results"][-1]["rows"] == [[0]]


def test_a_syntax_error_anywhere_runs_nothing(server, conn):
    conn.execute("CREATE TABLE IF NOT EXISTS script_untouched(i INTEGER)")
    status, data = script(server, {"sql": "INSERT INTO script_untouched VALUES (1); SELEC 2"})
    # PostgreSQL 15, simple query: ERROR 42601 syntax error at or near "SELEC", nothing runs.
    assert status == 400
    assert data["error"]["code"] == "42601"
    assert data["error"]["message"] == 'syntax error at or near "SELEC"'
    assert data["error"]["position"] == 42  # PostgreSQL 15 points at the same character
    assert conn.execute("SELECT count(*) FROM script_untouched").fetchone() == (0,)


def test_script_limit_cuts_each_result_and_says_so(server):
    status, data = script(server, {"sql": "SELECT * FROM range(10); SELECT 1", "limit": 3})
    assert status == 200
    first, second = data["results"]
    assert first["rows"] == [[0], [1], [2]] and first["truncated"] is True
    assert first["command"] == "SELECT 3"
    assert second["rows"] == [[1]] and second["truncated"] is False


@pytest.mark.parametrize("body, message", [
    ({"sql": ""}, '"sql" is required'),
    ({"sql": 1}, '"sql" must be a string'),
    ({"sql": "SELECT 1", "limit": -1}, '"limit" must be an integer'),
    ({"sql": "SELECT 1", "query_id": "<script>"}, '"query_id" must be'),
    ({"sql": "SELECT 1", "query_id": "x" * 65}, '"query_id" must be'),
    ({"sql": "SELECT 1", "params": [1]}, 'unknown field "params"'),
    ("[1, 2]", "request body must be a JSON object"),
])
def test_script_rejects_malformed_bodies(server, body, message):
    status, _, data = request(server, "POST", "/api/script", body)
    assert status == 400
    error = json.loads(data)["error"]
    assert error["code"] == "22023" and message in error["message"]


def test_script_refuses_copy_through_the_client(server):
    status, data = script(server, {"sql": "SELECT 1; COPY (SELECT 1) TO STDOUT"})
    assert status == 200
    assert data["results"][1]["error"]["code"] == "0A000"


def running(server, text):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        return c.execute("SELECT usename FROM pg_stat_activity WHERE state = 'active' "
                         "AND query = %s", (text,)).fetchall()


def start_in_background(server, body, headers=None):
    """Starts `body` on /api/script in a thread; returns (thread, answer list)."""
    answer = []
    thread = threading.Thread(target=lambda: answer.append(script(server, body, headers)))
    thread.start()
    return thread, answer


def test_cancel_stops_a_running_script_and_it_leaves_pg_stat_activity(server):
    thread, answer = start_in_background(
        server, {"sql": f"SELECT 1; {LONG}; SELECT 3", "query_id": "cancel-me-1"})
    deadline = time.time() + 30
    while not running(server, LONG) and time.time() < deadline:
        time.sleep(0.05)
    assert running(server, LONG) == [("augur",)]
    status, _, data = request(server, "POST", "/api/cancel", {"query_id": "cancel-me-1"})
    assert (status, json.loads(data)) == (200, {"cancelled": True})
    thread.join(60)
    status, data = answer[0]
    assert status == 200
    # PostgreSQL 15: ERROR 57014 canceling statement due to user request
    assert data["results"][1]["error"] == {"code": "57014",
                                           "message": "canceling statement due to user request"}
    assert data["results"][2]["skipped"] is True
    assert running(server, LONG) == []
    # Finished: nothing to cancel (pg_cancel_backend's false).
    status, _, data = request(server, "POST", "/api/cancel", {"query_id": "cancel-me-1"})
    assert (status, json.loads(data)) == (200, {"cancelled": False})


def test_cancel_reaches_a_streaming_query(server):
    answer = []
    thread = threading.Thread(target=lambda: answer.append(request(
        server, "POST", "/api/query", {"sql": LONG, "query_id": "cancel-me-2"})))
    thread.start()
    deadline = time.time() + 30
    while not running(server, LONG) and time.time() < deadline:
        time.sleep(0.05)
    status, _, data = request(server, "POST", "/api/cancel", {"query_id": "cancel-me-2"})
    assert json.loads(data) == {"cancelled": True}
    thread.join(60)
    status, _, data = answer[0]
    assert json.loads(data)["error"]["code"] == "57014"


def test_a_query_id_in_use_is_refused(server):
    thread, _ = start_in_background(server, {"sql": LONG, "query_id": "twice"})
    deadline = time.time() + 30
    while not running(server, LONG) and time.time() < deadline:
        time.sleep(0.05)
    status, data = script(server, {"sql": "SELECT 1", "query_id": "twice"})
    assert status == 400 and data["error"]["code"] == "42710"
    request(server, "POST", "/api/cancel", {"query_id": "twice"})
    thread.join(60)


@pytest.fixture(scope="module")
def two_roles(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE ROLE cancel_alice LOGIN PASSWORD 'pw-alice'")
        c.execute("CREATE ROLE cancel_bob LOGIN PASSWORD 'pw-bob'")
    yield
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP ROLE cancel_alice, cancel_bob")


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_a_role_cannot_cancel_another_roles_query(server, two_roles):
    alice, bob = basic("cancel_alice", "pw-alice"), basic("cancel_bob", "pw-bob")
    thread, answer = start_in_background(server, {"sql": LONG, "query_id": "alices"}, alice)
    deadline = time.time() + 30
    while not running(server, LONG) and time.time() < deadline:
        time.sleep(0.05)
    assert running(server, LONG) == [("cancel_alice",)]
    status, _, data = request(server, "POST", "/api/cancel", {"query_id": "alices"}, bob)
    # PostgreSQL 15's pg_cancel_backend on another role's backend: ERROR 42501
    assert status == 403
    error = json.loads(data)["error"]
    assert error["code"] == "42501"
    assert error["message"] == "must be a member of the role whose query is being canceled"
    time.sleep(0.5)
    assert running(server, LONG) == [("cancel_alice",)]  # still running
    # Its own role may.
    status, _, data = request(server, "POST", "/api/cancel", {"query_id": "alices"}, alice)
    assert (status, json.loads(data)) == (200, {"cancelled": True})
    thread.join(60)
    assert answer[0][1]["results"][0]["error"]["code"] == "57014"


def test_cancel_needs_credentials_like_the_query(server, two_roles):
    status, headers, _ = request(server, "POST", "/api/cancel", {"query_id": "x"},
                                 basic("cancel_alice", "wrong"))
    assert status == 401 and "Basic" in headers.get("WWW-Authenticate", "")


@pytest.mark.parametrize("headers, status", [
    ({"Origin": "http://evil.example"}, 403),       # another site's page
    ({"Content-Type": "text/plain"}, 415),           # a form post, no preflight
    ({"Host": "evil.example"}, 421),                  # DNS rebinding
])
def test_cross_site_requests_to_cancel_are_refused(server, headers, status):
    thread, _ = start_in_background(server, {"sql": LONG, "query_id": "cross-site"})
    deadline = time.time() + 30
    while not running(server, LONG) and time.time() < deadline:
        time.sleep(0.05)
    try:
        got, _, _ = request(server, "POST", "/api/cancel", '{"query_id": "cross-site"}', headers)
        assert got == status
        time.sleep(0.3)
        assert running(server, LONG) == [("augur",)]  # untouched
    finally:
        request(server, "POST", "/api/cancel", {"query_id": "cross-site"})
        thread.join(60)


@pytest.mark.parametrize("body", [
    "", "nope", "[]", '{"query_id": 1}', '{"query_id": "../x"}', '{"query_id": "a", "b": 1}',
    '{"query_id": "' + "a" * 65 + '"}'])
def test_cancel_rejects_malformed_bodies(server, body):
    status, _, data = request(server, "POST", "/api/cancel", body)
    assert status == 400
    assert json.loads(data)["error"]["code"] == "22023"


def test_cancel_takes_post_only(server):
    status, headers, _ = request(server, "GET", "/api/cancel")
    assert status == 405 and headers.get("Allow") == "POST"


# GET /api/progress: the figures of pg_stat_activity for a statement started with a query_id.
# The long statement scans a table (DuckDB estimates table scans; of range() it has none).
PROGRESS_SQL = "SELECT sum(length(md5(CAST(i AS VARCHAR)))) FROM progress_http"


@pytest.fixture(scope="module")
def progress_table(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE progress_http AS SELECT i FROM range(10000000) t(i)")
    yield
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE progress_http")


def progress(server, query_id, headers=None):
    status, _, data = request(server, "GET", f"/api/progress?query_id={query_id}",
                              headers=headers)
    return status, json.loads(data)


def wait_running(server, text):
    deadline = time.time() + 60
    while not running(server, text) and time.time() < deadline:
        time.sleep(0.05)
    assert running(server, text), f"{text} never ran"


def test_progress_follows_a_running_script_and_rises(server, progress_table):
    thread, answer = start_in_background(
        server, {"sql": f"SELECT 1; {PROGRESS_SQL}", "query_id": "progress-1"})
    samples = []
    while thread.is_alive():
        status, data = progress(server, "progress-1")
        assert status == 200, data
        if data["running"] and data["progress"] is not None:
            samples.append(data)
        time.sleep(0.05)
    thread.join()
    status, data = answer[0]
    assert status == 200, data
    assert int(data["results"][1]["rows"][0][0]) == 320_000_000  # 32 hex digits for each value

    # The second statement of two, its percentage never going back and some readings strictly
    # between the start and the end; the rows processed growing towards DuckDB's total (the 10M
    # rows, and a row or two for the aggregate's own pipelines).
    assert len(samples) >= 3, samples
    assert all((s["statement"], s["statements"]) == (2, 2) for s in samples), samples
    percents = [s["progress"] for s in samples]
    assert percents == sorted(percents) and any(0 < p < 100 for p in percents), percents
    assert len(set(percents)) >= 2, percents
    processed = [s["rows_processed"] for s in samples]
    assert processed == sorted(processed) and processed[-1] > processed[0], processed
    assert all(10_000_000 <= s["rows_total"] <= 10_000_010 for s in samples), samples
    # The time so far grows; the estimate of the time left is the rest at the rate so far.
    elapsed = [s["elapsed_ms"] for s in samples]
    assert elapsed == sorted(elapsed) and elapsed[-1] > elapsed[0], elapsed
    for s in samples:
        if 0 < s["progress"] < 100 and s["elapsed_ms"] > 0:
            rate = (100 - s["progress"]) / s["progress"]  # ms left per ms so far
            # Both figures are rounded to whole ms: the elapsed time's half ms grows by `rate`.
            assert abs(s["remaining_ms"] - s["elapsed_ms"] * rate) <= 0.5 * rate + 1, s
    # Done: nothing runs under that id any more.
    assert progress(server, "progress-1") == (200, {"running": False})


def test_progress_of_an_unknown_id_is_not_running(server):
    assert progress(server, "never-started") == (200, {"running": False})


def test_a_role_cannot_watch_another_roles_query(server, two_roles):
    alice, bob = basic("cancel_alice", "pw-alice"), basic("cancel_bob", "pw-bob")
    thread, answer = start_in_background(
        server, {"sql": LONG, "query_id": "alices-progress"}, alice)
    try:
        wait_running(server, LONG)
        status, data = progress(server, "alices-progress", bob)
        # As pg_cancel_backend refuses another role's backend: 42501, and nothing of it shown.
        assert status == 403, data
        assert data["error"]["code"] == "42501"
        assert "another role" in data["error"]["message"]
        assert "running" not in data
        # Its own role sees it, and so does a superuser. range() has no estimate: its figure is
        # null, or the 0 DuckDB recorded before the scan began (docs/OPERATIONS.md); either
        # way there is nothing to estimate the time left from.
        status, data = progress(server, "alices-progress", alice)
        assert status == 200 and data["running"] is True, data
        assert data["progress"] in (None, 0.0) and data["remaining_ms"] is None, data
        assert data["elapsed_ms"] >= 0
        status, data = progress(server, "alices-progress")
        assert status == 200 and data["running"] is True, data
    finally:
        request(server, "POST", "/api/cancel", {"query_id": "alices-progress"}, alice)
        thread.join(60)
    assert answer[0][1]["results"][0]["error"]["code"] == "57014"


def test_progress_needs_credentials_like_the_query(server, two_roles):
    status, headers, _ = request(server, "GET", "/api/progress?query_id=x",
                                 headers=basic("cancel_alice", "wrong"))
    assert status == 401 and "Basic" in headers.get("WWW-Authenticate", "")


@pytest.mark.parametrize("headers, status", [
    ({"Origin": "http://evil.example"}, 403),  # another site's page reading the figures
    ({"Host": "evil.example"}, 421),            # DNS rebinding
])
def test_cross_site_requests_for_progress_are_refused(server, headers, status):
    thread, _ = start_in_background(server, {"sql": LONG, "query_id": "cross-site-progress"})
    try:
        wait_running(server, LONG)
        got, answer_headers, data = request(
            server, "GET", "/api/progress?query_id=cross-site-progress", headers=headers)
        assert got == status
        assert b"running" not in data  # no figures leave
        assert "Access-Control-Allow-Origin" not in answer_headers
    finally:
        request(server, "POST", "/api/cancel", {"query_id": "cross-site-progress"})
        thread.join(60)


@pytest.mark.parametrize("target", [
    "/api/progress", "/api/progress?query_id=", "/api/progress?query_id",
    "/api/progress?query_id=../x", "/api/progress?query_id=%3Cscript%3E",
    "/api/progress?query_id=a%00b", "/api/progress?query_id=a&query_id=b",
    "/api/progress?query_id=a&x=1", "/api/progress?x=1",
    "/api/progress?query_id=" + "a" * 65,
])
def test_progress_rejects_malformed_ids(server, target):
    status, _, data = request(server, "GET", target)
    assert status == 400, data
    assert json.loads(data)["error"]["code"] == "22023"


def test_progress_takes_get_only(server):
    status, headers, _ = request(server, "POST", "/api/progress", {"query_id": "x"})
    assert status == 405 and headers.get("Allow") == "GET"
