#!/usr/bin/env python3
"""Records PostgreSQL 15's answers to the corpus into expected/<topic>.out.

Starts a temporary PostgreSQL 15 from Debian's package (see pg15.py), runs every corpus file in
a database of its own through psql, and writes what it gave. Run after adding or editing cases:
    python3 tests/compat/record.py [topic ...]
With --check, writes nothing and exits 1 if a recording differs from what PostgreSQL gives now.
"""

import argparse
import sys

import corpus
import pg15
from psqlrun import run_cases


def record(pg, topic):
    cases = corpus.load_cases(topic)
    db = f"compat_{topic}"
    pg.create_database(db)
    results, stderr, _ = run_cases(cases, pg.host, pg.port, pg.user, db)
    missing = [c.name for c in cases if c.name not in results]
    if missing:
        raise RuntimeError(f"{topic}: PostgreSQL gave no result for {missing}:\n{stderr}")
    return corpus.format_expected(cases, results)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("topics", nargs="*", help="corpus files to record (default: all)")
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    args = ap.parse_args()
    if not pg15.available():
        sys.exit(f"PostgreSQL 15 binaries not found in {pg15.PG_BIN} "
                 "(apt-get install postgresql-15)")
    failed = 0
    with pg15.Postgres15() as pg:
        for topic in args.topics or corpus.topics():
            text = record(pg, topic)
            path = corpus.EXPECTED_DIR / f"{topic}.out"
            if args.check:
                if not path.exists() or path.read_text() != text:
                    print(f"{topic}: recording differs from PostgreSQL 15 now", file=sys.stderr)
                    failed = 1
            else:
                corpus.EXPECTED_DIR.mkdir(exist_ok=True)
                path.write_text(text)
                print(f"{topic}: {len(corpus.load_cases(topic))} cases recorded")
    sys.exit(failed)


if __name__ == "__main__":
    main()
