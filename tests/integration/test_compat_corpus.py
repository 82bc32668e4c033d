"""The differential compatibility test of issue 17: the corpus in tests/compat/corpus is run
through psql against augur and compared with PostgreSQL 15's recorded answers
(tests/compat/expected). Every case must match, or be listed in
tests/compat/known_differences.txt; and every listed case must still differ, so a fix that makes
a case match fails here until its line is removed (run tests/compat/run.py --update-known).

Each corpus file gets a fresh augur server of its own rather than the shared `server` fixture:
files then start from an empty database, and a statement that crashes augur fails only its own
file instead of every test that follows. When PostgreSQL 15 is installed, the recording is also
checked against a live PostgreSQL 15 (COMPAT_LIVE_PG=0 skips that).
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "compat"))
import compare  # noqa: E402
import corpus  # noqa: E402
import pg15  # noqa: E402
from augur_run import run_topic  # noqa: E402

TOPICS = corpus.topics()


def test_corpus_is_big_enough_and_recorded():
    cases = [c for t in TOPICS for c in corpus.load_cases(t)]
    assert len(cases) >= 300, f"issue 17 asks for at least 300 statements; there are {len(cases)}"
    stale = []
    for topic in TOPICS:
        expected = corpus.load_expected(topic)
        for case in corpus.load_cases(topic):
            if case.name not in expected or expected[case.name][0] != case.sql:
                stale.append(case.id)
    assert not stale, ("cases without a current PostgreSQL recording (run tests/compat/record.py): "
                       + ", ".join(stale))



def test_recordings_parse_back_exactly():
    """The .out format must round-trip, or a hand edit (or a psql line that looks like a case
    header) would silently change what is compared."""
    for topic in TOPICS:
        cases = corpus.load_cases(topic)
        text = (corpus.EXPECTED_DIR / f"{topic}.out").read_text()
        parsed = corpus.parse_expected(text)
        results = {name: result for name, (_, result) in parsed.items()}
        assert corpus.format_expected(cases, results) == text, topic

def test_known_differences_name_corpus_cases():
    ids = {c.id for t in TOPICS for c in corpus.load_cases(t)}
    unknown = sorted(set(compare.read_known()) - ids)
    assert not unknown, f"known_differences.txt lists cases the corpus does not have: {unknown}"


@pytest.mark.parametrize("topic", TOPICS)
def test_corpus_file_matches_postgresql(topic, tmp_path):
    results, problems = run_topic(topic, tmp_path / "data")
    assert not problems, "augur crashed or stopped answering:\n" + "\n".join(problems)
    _, unexpected, fixed, stale = compare.evaluate(topic, results, compare.read_known())
    message = []
    if unexpected:
        message.append(f"{len(unexpected)} case(s) differ from PostgreSQL 15 and are not in "
                       "tests/compat/known_differences.txt:\n\n" + "\n".join(unexpected))
    if fixed:
        message.append("these cases now match PostgreSQL 15; remove them from "
                       "known_differences.txt (tests/compat/run.py --update-known --update-docs): "
                       + ", ".join(fixed))
    message += stale
    if message:
        pytest.fail("\n\n".join(message), pytrace=False)


@pytest.mark.skipif(not pg15.available() or os.environ.get("COMPAT_LIVE_PG") == "0",
                    reason="PostgreSQL 15 server binaries not installed")
def test_recording_matches_live_postgresql():
    from record import record
    differ = []
    with pg15.Postgres15() as pg:
        for topic in TOPICS:
            if record(pg, topic) != (corpus.EXPECTED_DIR / f"{topic}.out").read_text():
                differ.append(topic)
    assert not differ, (f"PostgreSQL 15 now answers {differ} differently from the recording; "
                        "re-record with tests/compat/record.py and review the diff")


def test_compatibility_doc_lists_the_known_differences():
    import report
    text = report.DOC.read_text()
    block = text[text.index(report.BEGIN):text.index(report.END) + len(report.END)]
    assert block == report.render(), ("docs/COMPATIBILITY.md's corpus block is out of date with "
                                      "known_differences.txt; run tests/compat/report.py")
