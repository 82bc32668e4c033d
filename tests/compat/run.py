#!/usr/bin/env python3
"""Runs the corpus against augur and compares with PostgreSQL 15's recorded answers.

    python3 tests/compat/run.py                  # report; exit 1 on an unlisted difference
    python3 tests/compat/run.py --update-known   # rewrite known_differences.txt from this run
    python3 tests/compat/run.py --update-docs    # also rewrite the block in docs/COMPATIBILITY.md
    python3 tests/compat/run.py -v numeric       # one topic, with a diff for every difference
"""

import argparse
import sys
import tempfile
from pathlib import Path

import compare
import corpus
import report
from augur_run import AUGUR_BIN, run_topic


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("topics", nargs="*", help="corpus files (default: all)")
    ap.add_argument("--update-known", action="store_true",
                    help="rewrite known_differences.txt with this run's differences")
    ap.add_argument("--update-docs", action="store_true",
                    help="also rewrite the corpus block of docs/COMPATIBILITY.md "
                         "(implies --update-known)")
    ap.add_argument("-v", "--verbose", action="store_true",
                    help="print a diff for every difference")
    args = ap.parse_args()
    topics = args.topics or corpus.topics()
    if not Path(AUGUR_BIN).exists():
        sys.exit(f"no augur binary at {AUGUR_BIN}; build it or set AUGUR_BIN")
    known = compare.read_known()
    all_diffs, bad, total = {}, False, 0
    with tempfile.TemporaryDirectory(prefix="augur-compat-") as tmp:
        for topic in topics:
            cases = corpus.load_cases(topic)
            total += len(cases)
            results, problems = run_topic(topic, Path(tmp) / topic)
            diffs, unexpected, fixed, stale = compare.evaluate(topic, results, known)
            all_diffs.update(diffs)
            print(f"{topic}: {len(cases) - len(diffs)}/{len(cases)} match")
            for p in problems + stale:
                print("  PROBLEM " + p)
            if args.verbose:
                expected = corpus.load_expected(topic)
                for case in cases:
                    if case.id in diffs and case.name in expected:
                        print(compare.diff(case, expected[case.name][1], results.get(case.name)))
            else:
                for d in unexpected:
                    print("  NEW DIFFERENCE\n" + d)
            for cid in fixed:
                print(f"  FIXED (remove from known_differences.txt): {cid}")
            bad |= bool(problems or stale or (not args.update_known and (unexpected or fixed)))
    print(f"total: {total - len(all_diffs)}/{total} cases match, {len(all_diffs)} differ")
    if args.update_known or args.update_docs:
        if not args.topics:
            known = {}
        else:  # keep other topics' lines
            known = {k: v for k, v in known.items() if k.split(":")[0] not in topics}
        known.update(all_diffs)
        compare.write_known(known)
        print(f"wrote {compare.KNOWN_FILE}")
    if args.update_docs:
        report.update_docs()
        print(f"wrote {report.DOC}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
