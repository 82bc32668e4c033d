"""The web console in a real browser: headless Debian Chromium driven over WebDriver. It types a
query, runs it with Ctrl+Enter, and checks the table, the chart, EXPLAIN, the history and the
table browser."""

import os

import psycopg
import pytest

from webdriver import CTRL, ELEMENT, ENTER, WebDriver


@pytest.fixture(scope="module")
def browser():
    for binary in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        assert os.path.exists(binary), f"{binary} missing: make deps installs chromium-driver"
    driver = WebDriver()
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def sales(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE TABLE console_sales(region VARCHAR, amount INTEGER)")
        c.execute("INSERT INTO console_sales VALUES ('east', 30), ('north', 80), ('south', 10), "
                  "('west', 45)")
    yield
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP TABLE console_sales")


def run_in_editor(browser, sql):
    editor = browser.find("#editor")
    browser.clear(editor)
    before = browser.script("return document.getElementById('status').textContent")
    browser.send_keys(editor, sql + CTRL + ENTER)
    browser.wait(lambda: browser.script(
        "const s = document.getElementById('status').textContent;"
        "return s !== arguments[0] && s.includes('ms') ? s : null;", before),
        what=f"the result of {sql}")


def table_cells(browser):
    return browser.script(
        "return [...document.querySelectorAll('#result tbody tr')]"
        ".map(tr => [...tr.cells].map(td => td.textContent));")


def table_entry(browser, name):
    """The table browser's entry for `name`, or None. The console re-renders that list when it
    reloads the catalog (after a query), so an element found in one WebDriver call can be gone
    by the next ("stale element reference"; seen under ASan, where the reload is slow): that
    counts as not found yet, for the caller's wait to try again."""
    try:
        for li in browser.find_all("#tables li"):
            if name in browser.text(li):
                return li
    except RuntimeError as e:
        if "stale element" not in str(e):
            raise
    return None


def click_table(browser, name):
    def attempt():
        li = table_entry(browser, name)
        if li is None:
            return False
        try:
            browser.click(li)
        except RuntimeError as e:
            if "stale element" not in str(e):
                raise
            return False
        return True
    browser.wait(attempt, what=f"a click on table {name} in the table browser")


def test_console_runs_a_query_and_shows_table_and_bar_chart(server, sales, browser, tmp_path):
    browser.get(server.url("/"))
    assert "augur console" in browser.script("return document.title")
    browser.wait(lambda: table_entry(browser, "console_sales"), what="the table list")
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

    png = browser.screenshot()
    assert png.startswith(b"\x89PNG")
    target = os.environ.get("AUGUR_CONSOLE_SCREENSHOT")  # docs/console.png is made this way
    (open(target, "wb") if target else open(tmp_path / "console.png", "wb")).write(png)


def test_console_line_chart_explain_history_and_table_browser(server, sales, browser):
    browser.get(server.url("/"))
    run_in_editor(browser, "SELECT r AS x, r * r AS y FROM range(12) t(r)")
    assert browser.script("return document.querySelector('#chart svg').dataset.kind") == "line"
    points = browser.script(
        "return document.querySelector('#chart polyline').getAttribute('points').split(' ').length")
    assert points == 12
    assert len(table_cells(browser)) == 12

    browser.click(browser.find("#explain"))
    browser.wait(lambda: browser.script(
        "const p = document.getElementById('plan'); return !p.hidden && p.textContent"),
        what="the plan")
    assert "RANGE" in browser.script("return document.getElementById('plan').textContent")

    history = browser.script(
        "return [...document.querySelectorAll('#history li')].map(li => li.title)")
    assert history[0] == "SELECT r AS x, r * r AS y FROM range(12) t(r)"

    click_table(browser, "console_sales")
    browser.wait(lambda: len(table_cells(browser)) == 4 and
                 "console_sales" in browser.script("return document.getElementById('editor').value"),
                 what="the table browser's query")


def test_console_shows_errors_with_sqlstate(server, browser):
    browser.get(server.url("/"))
    editor = browser.find("#editor")
    browser.clear(editor)
    browser.send_keys(editor, "SELECT * FROM no_such_table" + CTRL + ENTER)
    text = browser.wait(lambda: browser.script(
        "const e = document.getElementById('error'); return !e.hidden && e.textContent"),
        what="the error box")
    assert text.startswith("42P01:")
    assert "no_such_table" in text
