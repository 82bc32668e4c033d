"""Compares augur's results with PostgreSQL's recorded ones, and reads and writes the list of
known differences.

A case matches when both succeed with identical psql text, or both fail with the same SQLSTATE
(messages are worded differently by DuckDB, so they are shown but not compared).
known_differences.txt has one line per case that does not match today:
    <topic>:<name>  <what augur gives>
"""

import difflib
import re

from corpus import HERE

KNOWN_FILE = HERE / "known_differences.txt"
MISSING = ("no result: psql did not finish this case "
           "(augur crashed, hung or dropped the connection)")


def matches(expected, got):
    if got is None:
        return False
    if expected.is_error or got.is_error:
        return expected.sqlstate == got.sqlstate
    return expected.output == got.output


def _first_line(s, width=110):
    line = s.strip().split("\n")[0] if s.strip() else "(empty)"
    return line if len(line) <= width else line[:width - 3] + "..."


def summary(expected, got):
    """One line: what augur gives, for known_differences.txt and COMPATIBILITY.md."""
    if got is None:
        return MISSING
    if got.is_error:
        pg = f"PostgreSQL {expected.sqlstate}" if expected.is_error else "PostgreSQL succeeds"
        return f"ERROR {got.sqlstate} ({pg}): {_first_line(got.message)}"
    if expected.is_error:
        shown = " / ".join(_cells(got.output)[:3])
        return (f"succeeds where PostgreSQL fails with {expected.sqlstate}, giving "
                f"`{_first_line(shown)}`")
    exp, out = _cells(expected.output), _cells(got.output)
    for e, o in zip(exp, out):
        if e != o:
            return f"gives `{_first_line(o)}` where PostgreSQL gives `{_first_line(e)}`"
    if len(exp) != len(out):
        extra = (out if len(out) > len(exp) else exp)[min(len(exp), len(out))]
        return (f"gives {len(out)} lines where PostgreSQL gives {len(exp)} "
                f"(first extra: `{_first_line(extra)}`)")
    return "gives the same values aligned differently: a column's type differs (text vs number)"


def _cells(output):
    """psql's aligned lines without padding and without the ---+--- rule, for summaries."""
    lines = []
    for line in output.split("\n"):
        if re.fullmatch(r"[-+]+", line.strip()):
            continue
        lines.append(re.sub(r"\s*\|\s*", " | ", line.strip()))
    return lines


def diff(case, expected, got):
    """A readable, multi-line diff of one case for test failure messages."""
    head = f"--- {case.id}\n{case.sql}\n"
    exp_text = expected.text().split("\n")
    got_text = ([MISSING] if got is None else got.text().split("\n"))
    body = "\n".join(difflib.unified_diff(exp_text, got_text, "postgresql-15", "augur",
                                          lineterm="", n=3))
    return head + body + "\n"


def read_known():
    """{case_id: summary}."""
    known = {}
    if KNOWN_FILE.exists():
        for line in KNOWN_FILE.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                case_id, _, rest = line.partition(" ")
                known[case_id] = rest.strip()
    return known


def write_known(known):
    from corpus import topics, load_cases
    order = {c.id: (t, i) for t in topics() for i, c in enumerate(load_cases(t))}
    header = ("# Corpus cases where augur differs from PostgreSQL 15 today: `<topic>:<name>  what "
              "augur gives`.\n# Regenerate with `python3 tests/compat/run.py --update-known`; see "
              "tests/compat/README.md.\n")
    lines = []
    for cid in sorted(known, key=lambda c: order.get(c, (c, 0))):
        one_line = re.sub(r"\s+", " ", known[cid])
        lines.append(f"{cid}  {one_line}")
    KNOWN_FILE.write_text(header + "\n".join(lines) + ("\n" if lines else ""))


def evaluate(topic, results, known):
    """Checks one topic's augur results against the recording and the known list.
    Returns (differences {case_id: summary}, unexpected [diff text], fixed [case_id],
    stale [problem text])."""
    from corpus import load_cases, load_expected
    cases, expected = load_cases(topic), load_expected(topic)
    differences, unexpected, fixed, stale = {}, [], [], []
    for case in cases:
        if case.name not in expected or expected[case.name][0] != case.sql:
            stale.append(f"{case.id}: no recording for this SQL; run tests/compat/record.py")
            continue
        exp, got = expected[case.name][1], results.get(case.name)
        if matches(exp, got):
            if case.id in known:
                fixed.append(case.id)
        else:
            differences[case.id] = summary(exp, got)
            if case.id not in known:
                unexpected.append(diff(case, exp, got))
    names = {c.id for c in cases}
    stale += [f"{cid}: listed in known_differences.txt but not in the corpus"
              for cid in known if cid.startswith(topic + ":") and cid not in names]
    return differences, unexpected, fixed, stale
