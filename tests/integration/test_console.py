"""The web console in a real browser: headless Debian Chromium driven over WebDriver. It types
scripts into the editor (CodeMirror, served by augur) and runs them, runs a selection, cancels a
long query and sees it leave pg_stat_activity, pages, sorts and downloads a 100,000-row result,
draws a time-series chart, searches the schema tree, draws EXPLAIN ANALYZE, and finds its history
after a reload. Each state is saved as a screenshot under the test's temporary directory (or
AUGUR_CONSOLE_ARTIFACTS, which is how docs/images/ is made)."""

import csv
import hashlib
import io
import os
import re
import time
from pathlib import Path

import psycopg
import pytest

from webdriver import CTRL, ELEMENT, ENTER, WebDriver

SHIFT, HOME = "\ue008", "\ue011"
WAIT = 120  # seconds: generous, for a loaded machine (CI runners, ASan); no test measures time


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    return tmp_path_factory.mktemp("console-downloads")


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory):
    target = os.environ.get("AUGUR_CONSOLE_ARTIFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        return Path(target)
    return tmp_path_factory.mktemp("console-screenshots")


@pytest.fixture(scope="module")
def browser(downloads):
    for binary in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        assert os.path.exists(binary), f"{binary} missing: make deps installs chromium-driver"
    driver = WebDriver(download_dir=downloads)
    yield driver
    driver.quit()


def screenshot(browser, artifacts, name):
    browser.script("window.scrollTo(0, 0)")  # clicks scroll the page to what they click
    png = browser.screenshot()
    assert png.startswith(b"\x89PNG")
    (artifacts / f"{name}.png").write_bytes(png)


@pytest.fixture(scope="module")
def sales(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE console_sales(region VARCHAR, amount INTEGER)")
        c.execute("INSERT INTO console_sales VALUES ('east', 30), ('north', 80), ('south', 10), "
                  "('west', 45)")
    yield
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE console_sales")


def open_console(browser, server):
    browser.get(server.url("/"))
    browser.wait(lambda: browser.script("return Boolean(window.augur && window.augur.ready)"),
                 timeout=WAIT, what="the console to load")


def runs(browser):
    return int(browser.script("return document.getElementById('status').dataset.runs || '0'"))


def set_editor(browser, sql):
    browser.script("window.augur.editor.setValue(arguments[0])", sql)


def type_into_editor(browser, keys):
    """Types `keys` as a user would: into CodeMirror's input."""
    set_editor(browser, "")
    browser.click(browser.find(".CodeMirror"))
    browser.send_keys(browser.find(".CodeMirror textarea"), keys)


def wait_for_run(browser, before, timeout=WAIT):
    browser.wait(lambda: runs(browser) > before, timeout=timeout, what="the run to finish")
    return browser.script("return document.getElementById('status').textContent")


def run_in_editor(browser, sql):
    before = runs(browser)
    set_editor(browser, sql)
    browser.click(browser.find("#run"))
    return wait_for_run(browser, before)


def table_cells(browser):
    return browser.script(
        "return [...document.querySelectorAll('#result tbody tr')]"
        ".map(tr => [...tr.cells].map(td => td.textContent));")


def tab_labels(browser):
    return browser.script(
        "return [...document.querySelectorAll('#tabs .tab')].map(t => t.textContent)")


def active_tab(browser):
    return browser.script("return document.querySelector('#tabs .tab.active')?.textContent")


def panel_text(browser):
    return browser.script("return document.getElementById('tab-panel').innerText")


def schema_entry(browser, name):
    """The schema tree's entry for `name`, or None. The tree is redrawn after every run, so an
    element found in one WebDriver call can be gone by the next: that counts as not found yet."""
    try:
        found = browser.script(
            "return [...document.querySelectorAll('#schema li.schema-object')]"
            ".find(li => li.dataset.name === arguments[0]) || null", name)
        return found[ELEMENT] if found else None
    except RuntimeError as e:
        if "stale element" not in str(e):
            raise
    return None


def test_console_runs_a_query_and_shows_table_and_bar_chart(server, sales, browser, artifacts):
    open_console(browser, server)
    assert "augur console" in browser.script("return document.title")
    # The editor is CodeMirror, served by augur itself (no CDN).
    assert browser.script("return typeof CodeMirror") == "function"
    sources = browser.script("return [...document.scripts].map(s => s.src)")
    assert all(src.startswith(server.url("/")) for src in sources), sources
    browser.wait(lambda: schema_entry(browser, "console_sales"), timeout=WAIT, what="the schema tree")
    run_in_editor(browser, "SELECT region, amount FROM console_sales ORDER BY region")

    headers = browser.script(
        "return [...document.querySelectorAll('#result th')].map(th => th.innerText);")
    assert headers == ["region\nVARCHAR", "amount\nINTEGER"]
    assert table_cells(browser) == [["east", "30"], ["north", "80"], ["south", "10"],
                                    ["west", "45"]]
    assert browser.script("return document.getElementById('error').hidden") is True

    chart = browser.find("#chart svg")
    assert browser.script("return arguments[0].dataset.kind", {ELEMENT: chart}) == "bar"
    heights = browser.script(
        "return [...document.querySelectorAll('#chart rect.bar')]"
        ".map(r => r.getBBox().height);")
    assert len(heights) == 4
    assert heights.index(max(heights)) == 1 and heights.index(min(heights)) == 2  # north, south
    assert abs(heights[1] / heights[2] - 8.0) < 0.01  # 80 / 10: bars are to scale
    screenshot(browser, artifacts, "console")
    target = os.environ.get("AUGUR_CONSOLE_SCREENSHOT")  # docs/console.png is made this way
    if target:
        Path(target).write_bytes(browser.screenshot())


def hints(browser):
    return browser.script(
        "return [...document.querySelectorAll('.CodeMirror-hints li')].map(li => li.textContent)")


def test_editor_completes_table_and_column_names(server, sales, browser):
    open_console(browser, server)
    browser.wait(lambda: schema_entry(browser, "console_sales"), timeout=WAIT, what="the schema tree")
    type_into_editor(browser, "SELECT * FROM console_sa" + CTRL + " ")
    browser.wait(lambda: hints(browser) or browser.script(
        "return window.augur.editor.getValue().endsWith('console_sales')"), timeout=WAIT,
        what="completion")
    # One candidate is taken at once; several are listed.
    text = browser.script("return window.augur.editor.getValue()")
    assert text == "SELECT * FROM console_sales" or "console_sales" in hints(browser)
    browser.send_keys(browser.find(".CodeMirror textarea"), "\ue00c")  # Escape
    type_into_editor(browser, "SELECT console_sales.")  # a "." opens the column list
    browser.wait(lambda: hints(browser), timeout=WAIT, what="the column hints")
    assert sorted(hints(browser)) == ["console_sales.amount", "console_sales.region"]


def test_typed_script_gives_a_tab_per_statement_and_stops_at_the_error(server, browser,
                                                                         artifacts):
    open_console(browser, server)
    before = runs(browser)
    type_into_editor(browser, "CREATE TEMP TABLE console_tmp(i INTEGER);" + ENTER +
                     "INSERT INTO console_tmp VALUES (1), (2), (3);" + ENTER +
                     "SELECT i * 10 AS tens FROM console_tmp ORDER BY i;" + ENTER +
                     "SELECT 1 / 0;" + ENTER + "SELECT 'never' AS n")
    browser.send_keys(browser.find(".CodeMirror textarea"), CTRL + ENTER)
    wait_for_run(browser, before)
    # One session: the temporary table made by the first statement is there for the third.
    assert tab_labels(browser) == ["1 · CREATE TABLE", "2 · INSERT 0 3", "3 · SELECT 3",
                                   "4 · 22012", "5 · not run"]
    assert active_tab(browser) == "4 · 22012"  # the failed statement's tab opens
    # PostgreSQL 15: SELECT 1 / 0 -> ERROR 22012 division by zero
    assert panel_text(browser).strip() == "22012: division by zero"
    screenshot(browser, artifacts, "script-tabs")

    browser.click(browser.find("#tabs .tab[data-index='2']"))
    assert table_cells(browser) == [["10"], ["20"], ["30"]]
    browser.click(browser.find("#tabs .tab[data-index='4']"))
    assert "Not run" in panel_text(browser)

    # An error of the whole script (a syntax error: nothing runs) clears the previous result.
    status = run_in_editor(browser, "SELECT 1; SELEC 2")
    assert "failed" in status
    assert browser.script("return document.getElementById('tab-panel').children.length") == 0
    error = browser.script("return document.getElementById('error').textContent")
    assert error.startswith('42601: syntax error at or near "SELEC"')


def test_run_selection_runs_only_the_selected_text(server, browser):
    open_console(browser, server)
    before = runs(browser)
    type_into_editor(browser, "SELECT 'first' AS which;" + ENTER + "SELECT 'second' AS which")
    # Select the second line with the keyboard (Shift+Home), then Ctrl+Enter.
    browser.send_keys(browser.find(".CodeMirror textarea"), SHIFT + HOME + SHIFT + CTRL + ENTER)
    wait_for_run(browser, before)
    assert tab_labels(browser) == ["1 · SELECT 1"]
    assert table_cells(browser) == [["second"]]
    # Without a selection the whole script runs.
    browser.script("window.augur.editor.setCursor(0, 0)")
    before = runs(browser)
    browser.click(browser.find("#run"))
    wait_for_run(browser, before)
    assert tab_labels(browser) == ["1 · SELECT 1", "2 · SELECT 1"]


def active_statements(server, text):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        return c.execute("SELECT usename, application_name FROM pg_stat_activity "
                         "WHERE state = 'active' AND query = %s", (text,)).fetchall()


def test_cancel_stops_the_query_on_the_server(server, browser, artifacts):
    open_console(browser, server)
    long_query = "SELECT count(*) AS n FROM range(1000000000000) a"
    before = runs(browser)
    set_editor(browser, long_query)
    browser.click(browser.find("#run"))
    browser.wait(lambda: active_statements(server, long_query), timeout=WAIT,
                 what="the query on the server")
    assert active_statements(server, long_query) == [("augur", "augur console")]
    assert browser.script("return document.getElementById('run').disabled") is True
    assert browser.script("return document.getElementById('cancel').disabled") is False
    assert browser.script("return document.getElementById('status').textContent") \
        .startswith("running")
    screenshot(browser, artifacts, "running")

    browser.click(browser.find("#cancel"))
    wait_for_run(browser, before)
    # PostgreSQL 15: ERROR 57014 canceling statement due to user request
    assert panel_text(browser).strip() == "57014: canceling statement due to user request"
    browser.wait(lambda: active_statements(server, long_query) == [], timeout=WAIT,
                 what="the query to leave pg_stat_activity")
    assert browser.script("return document.getElementById('run').disabled") is False
    assert browser.script("return document.getElementById('cancel').disabled") is True
    screenshot(browser, artifacts, "cancelled")


@pytest.fixture(scope="module")
def big_table(server):
    # 20M rows: md5 of each takes seconds, long enough to watch. A table, because DuckDB
    # estimates the progress of table scans (of range() it has no estimate: docs/API.md).
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE console_big AS SELECT i FROM range(20000000) t(i)")
    yield
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE console_big")


def progress_state(browser):
    return browser.script(
        "const bar = document.getElementById('progress-bar');"
        "return {shown: !document.getElementById('progress').hidden,"
        " value: bar.dataset.progress === undefined ? null : Number(bar.dataset.progress),"
        " text: document.getElementById('progress-text').textContent};")


def test_progress_bar_rises_while_a_long_query_runs(server, browser, artifacts, big_table):
    open_console(browser, server)
    before = runs(browser)
    set_editor(browser, "SELECT sum(length(md5(CAST(i AS VARCHAR)))) AS hex_digits "
                        "FROM console_big")
    browser.click(browser.find("#run"))
    # Samples of the bar until the result arrives: each run() call bumps data-runs at its end.
    samples = []
    shot = False
    deadline = time.monotonic() + WAIT
    while runs(browser) == before:
        assert time.monotonic() < deadline, "timed out waiting for the run to finish"
        state = progress_state(browser)
        if state["shown"] and state["value"] is not None:
            samples.append(state)
            if not shot and 5 < state["value"] < 95 and "left" in state["text"]:
                screenshot(browser, artifacts, "progress")
                shot = True
    # The result: 32 hex digits for each of the 20M values.
    assert table_cells(browser) == [["640000000"]]
    values = [s["value"] for s in samples]
    assert len(values) >= 2, samples
    assert values == sorted(values), values  # never goes back
    assert len(set(v for v in values if 0 < v < 100)) >= 2, values  # it rose while running
    # The line under it: the percentage, the rows, the time so far and an estimate of the rest.
    duration = r"(?:[0-9.]+ s|[0-9]+ min [0-9]{2} s|[0-9]+ h [0-9]{2} min)"
    assert any(re.fullmatch(rf"[0-9.]+% · [0-9,]+ of 20,000,00[0-9] rows · {duration} elapsed · "
                            rf"about {duration} left", s["text"]) for s in samples), samples
    assert shot, samples
    # Done: the bar is gone.
    assert progress_state(browser)["shown"] is False


ROWS_SQL = "SELECT r AS n, md5(r::VARCHAR) AS h FROM range(100000) t(r)"


def md5s():
    return [(str(r), hashlib.md5(str(r).encode()).hexdigest()) for r in range(100000)]


def page_info(browser):
    return browser.script("return document.getElementById('page-info').textContent")


def test_a_100000_row_result_pages_sorts_and_downloads(server, browser, artifacts, downloads):
    open_console(browser, server)
    run_in_editor(browser, ROWS_SQL)
    assert tab_labels(browser) == ["1 · SELECT 100000"]
    # 100,000 text categories would be a smear: no chart is drawn for them.
    assert browser.script("return document.getElementById('chart')") is None
    assert page_info(browser) == "rows 1–100 of 100000 · page 1 of 1000"
    assert table_cells(browser)[0] == ["0", md5s()[0][1]]
    browser.click(browser.find("#next-page"))
    assert page_info(browser) == "rows 101–200 of 100000 · page 2 of 1000"
    assert table_cells(browser)[0][0] == "100"
    browser.click(browser.find("#last-page"))
    assert [row[0] for row in table_cells(browser)] == [str(r) for r in range(99900, 100000)]

    # Sorted by h: the same order as sorting the MD5 texts (bytewise, as PostgreSQL's "C").
    browser.click(browser.find("#result th[data-column='1']"))
    expected = sorted(md5s(), key=lambda row: row[1])
    assert page_info(browser).startswith("rows 1–100 of 100000")
    assert table_cells(browser) == [list(row) for row in expected[:100]]
    screenshot(browser, artifacts, "sorted")
    # Twice on n: descending, numerically (99999 first, not 9999).
    browser.click(browser.find("#result th[data-column='0']"))
    browser.click(browser.find("#result th[data-column='0']"))
    assert table_cells(browser)[0] == ["99999", md5s()[99999][1]]
    assert table_cells(browser)[1][0] == "99998"

    # The CSV download runs the statement again and carries every row.
    for old in downloads.glob("*"):
        old.unlink()
    browser.click(browser.find("#download-csv"))
    target = downloads / "result.csv"
    browser.wait(lambda: target.exists() and not list(downloads.glob("*.crdownload")),
                 timeout=WAIT, what="the CSV download")
    rows = list(csv.reader(io.StringIO(target.read_text())))
    assert rows[0] == ["n", "h"]
    assert sorted((tuple(r) for r in rows[1:]), key=lambda r: int(r[0])) == md5s()


def test_time_series_line_chart_has_a_time_axis_and_several_series(server, browser, artifacts):
    open_console(browser, server)
    # Daily points from 2026-01-01 for 60 days, with a gap (days 10 to 12) and an array column.
    run_in_editor(browser, "SELECT DATE '2026-01-01' + r::INTEGER AS day, r AS visits, "
                           "r * 2 AS signups, [r, r] AS pair FROM range(60) t(r) "
                           "WHERE r NOT IN (10, 11, 12) ORDER BY day")
    svg = "document.querySelector('#chart svg')"
    assert browser.script(f"return {svg}.dataset.kind") == "line"
    assert browser.script(f"return {svg}.dataset.xAxis") == "time"
    labels = browser.script(
        "return [...document.querySelectorAll('#chart .x-tick')].map(t => t.textContent)")
    # Weekly ticks from the first day to the last (2026-03-01).
    assert labels == ["2026-01-01", "2026-01-08", "2026-01-15", "2026-01-22", "2026-01-29",
                      "2026-02-05", "2026-02-12", "2026-02-19", "2026-02-26"]
    # Two series (the numeric columns); the array column is never taken for a number.
    assert browser.script(
        "return [...document.querySelectorAll('#chart .series')].map(g => g.dataset.column)") \
        == ["visits", "signups"]
    assert browser.script(
        "return [...document.querySelectorAll('#chart-y label')].map(l => l.textContent.trim())") \
        == ["visits", "signups"]
    assert "NaN" not in browser.script(f"return {svg}.outerHTML")
    # Points are placed by time: the gap of four days is four times a one-day step.
    xs = browser.script(
        "return document.querySelector('#chart polyline').getAttribute('points').split(' ')"
        ".map(p => Number(p.split(',')[0]))")
    assert len(xs) == 57
    day = xs[1] - xs[0]
    assert abs((xs[10] - xs[9]) / day - 4.0) < 0.01
    screenshot(browser, artifacts, "time-series")

    # The picker: scatter, and one series.
    browser.script("const k = document.getElementById('chart-kind'); k.value = 'scatter';"
                   "k.dispatchEvent(new Event('change'))")
    browser.click(browser.find("#chart-y input[value='2']"))  # signups off
    assert browser.script(f"return {svg}.dataset.kind") == "scatter"
    assert browser.script("return document.querySelectorAll('#chart circle.dot').length") == 57


@pytest.fixture(scope="module")
def catalog(server):
    hostile = "<img src=x onerror=window.pwned=1>"
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE console_events(ts BIGINT, kind VARCHAR)")
        c.execute("INSERT INTO console_events SELECT r * 7, 'k' || (r % 5) FROM range(5000) t(r)")
        c.execute("CREATE INDEX console_events_ts ON console_events USING LEARNED (ts)")
        c.execute("CREATE INDEX console_events_kind ON console_events (kind)")
        c.execute("CREATE VIEW console_recent AS SELECT ts, kind FROM console_events "
                  "WHERE ts > 100")
        c.execute(f'CREATE TABLE "{hostile}"(i INTEGER)')
        figures = c.execute("SELECT keys, segments, max_error, bytes FROM augur_indexes() "
                            "WHERE index_name = 'console_events_ts'").fetchone()
    yield hostile, figures
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP VIEW console_recent")
        c.execute("DROP TABLE console_events")
        c.execute(f'DROP TABLE "{hostile}"')


def search_schema(browser, text):
    browser.script("const s = document.getElementById('schema-search'); s.value = arguments[0];"
                   "s.dispatchEvent(new Event('input'))", text)
    return browser.script(
        "return [...document.querySelectorAll('#schema li.schema-object')]"
        ".map(li => [li.dataset.kind, li.dataset.name])")


def test_schema_tree_finds_views_columns_and_learned_indexes(server, browser, catalog,
                                                             artifacts):
    hostile, (keys, segments, max_error, size) = catalog
    open_console(browser, server)
    browser.wait(lambda: schema_entry(browser, "console_recent"), timeout=WAIT,
                 what="the view in the tree")
    assert search_schema(browser, "console_rec") == [["view", "console_recent"]]
    columns = browser.script(
        "return [...document.querySelectorAll('#schema li.view .column')].map(c => c.textContent)")
    assert columns == ["ts BIGINT", "kind VARCHAR"]

    # An index name finds its table, opened on it, with the LEARNED index's figures.
    assert search_schema(browser, "console_events_ts") == [["table", "console_events"]]
    assert browser.script("return document.querySelector('#schema li.table details').open") is True
    learned = browser.script(
        "return document.querySelector(\"#schema .index[data-name='console_events_ts']\")"
        ".textContent")
    assert learned == (f"console_events_ts LEARNED · (ts) · {keys} keys · {segments} segments · "
                       f"max error {max_error} · {size} bytes")
    art = browser.script(
        "return document.querySelector(\"#schema .index[data-name='console_events_kind']\")"
        ".textContent")
    assert art == "console_events_kind ART · (kind)"
    screenshot(browser, artifacts, "schema-tree")

    # A table named with HTML in it is shown as text: no element is made from it.
    assert search_schema(browser, "img") == [["table", hostile]]
    assert browser.script(
        "return document.querySelector('#schema li.table .name').textContent") == hostile
    assert browser.script("return document.querySelectorAll('#schema img').length") == 0
    assert browser.script("return window.pwned === undefined") is True

    # ▶ runs a SELECT of the object, its name quoted.
    search_schema(browser, "console_events_ts")
    before = runs(browser)
    browser.script("document.querySelector('#schema li.table .peek').click()")  # one call: the
    # tree is redrawn after each run, so an element found in one call may be gone by the next
    wait_for_run(browser, before)
    assert browser.script("return window.augur.editor.getValue()") == \
        "SELECT * FROM console_events LIMIT 100"
    assert len(table_cells(browser)) == 100


def test_explain_analyze_is_a_tree_with_times(server, browser, artifacts):
    open_console(browser, server)
    set_editor(browser, "SELECT r % 7 AS k, count(*) FROM range(100000) t(r) GROUP BY k")
    before = runs(browser)
    browser.click(browser.find("#explain-analyze"))
    wait_for_run(browser, before)
    assert browser.script("return document.getElementById('plan').hidden") is False
    nodes = browser.script(
        "return [...document.querySelectorAll('#plan .plan-node')].map(n => ["
        "n.querySelector('.op').textContent, n.querySelector('.time')?.textContent,"
        "n.querySelector('.rows')?.textContent])")
    names = [n[0] for n in nodes]
    assert "HASH_GROUP_BY" in names or "PERFECT_HASH_GROUP_BY" in names, names
    assert all(n[1] and n[1].endswith(("ms", " s")) for n in nodes), nodes
    # The group by's child (the scan side) feeds it 100,000 rows; it answers 7.
    group = next(n for n in nodes if n[0].endswith("GROUP_BY"))
    assert group[2] == "7 rows"
    assert any(n[2] == "100000 rows" for n in nodes)
    # Children are nested under their parents.
    assert browser.script("return document.querySelectorAll('#plan .plan-tree ul').length") > 0
    assert browser.script("return document.querySelector('#plan .plan-total').textContent") \
        .startswith("Total time: ")
    screenshot(browser, artifacts, "explain-analyze")

    before = runs(browser)
    browser.click(browser.find("#explain"))
    wait_for_run(browser, before)
    assert "Estimated Cardinality" in browser.script(
        "return document.getElementById('plan').textContent")


def test_history_and_saved_queries_survive_a_reload(server, browser, artifacts):
    open_console(browser, server)
    marker = f"SELECT 'kept {time.monotonic_ns()}' AS note"
    run_in_editor(browser, marker)
    browser.script("document.getElementById('save-name').value = 'my note'")
    browser.click(browser.find("#save"))
    open_console(browser, server)  # a reload
    history = browser.script(
        "return [...document.querySelectorAll('#history li')].map(li => li.dataset.sql)")
    assert history[0] == marker
    saved = browser.script(
        "return [...document.querySelectorAll('#saved li')].map(li => li.dataset.name)")
    assert "my note" in saved
    # A click puts it back in the editor.
    browser.click(browser.find("#history li"))
    assert browser.script("return window.augur.editor.getValue()") == marker
    screenshot(browser, artifacts, "history")


def test_console_shows_errors_with_sqlstate(server, browser):
    open_console(browser, server)
    run_in_editor(browser, "SELECT 1")
    run_in_editor(browser, "SELECT * FROM no_such_table")
    text = panel_text(browser).strip()
    assert text.startswith("42P01:")
    assert "no_such_table" in text
    assert table_cells(browser) == []  # the previous result is gone
