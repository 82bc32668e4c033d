"""The corpus and its recorded expectations, as data.

A corpus file (corpus/<topic>.sql) is a list of cases. A case is one SQL statement, preceded by
a line `-- name: <id>` and ending with a line that ends in `;`. The name keeps a case's identity
(`<topic>:<id>`) stable when cases are added or reordered, so known_differences.txt survives edits.

An expected file (expected/<topic>.out) repeats each case's name and SQL, followed by what
PostgreSQL 15 gave: psql's aligned text output, or `ERROR:  <SQLSTATE>: <message>`.
"""

import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / "corpus"
EXPECTED_DIR = HERE / "expected"
NAME_LINE = re.compile(r"^-- name: (\S+)\s*$")


@dataclass
class Case:
    topic: str
    name: str
    sql: str

    @property
    def id(self):
        return f"{self.topic}:{self.name}"


@dataclass
class Result:
    """What one statement gave: output text when sqlstate is 00000, else the error."""
    sqlstate: str
    output: str = ""
    message: str = ""

    @property
    def is_error(self):
        return self.sqlstate != "00000"

    def text(self):
        if self.is_error:
            return f"ERROR:  {self.sqlstate}: {self.message}"
        return self.output


def topics():
    return sorted(p.stem for p in CORPUS_DIR.glob("*.sql"))


def parse_cases(topic, text):
    cases, name, lines = [], None, []
    for lineno, line in enumerate(text.splitlines(), 1):
        m = NAME_LINE.match(line)
        if m:
            if name is not None:
                raise ValueError(f"{topic}.sql:{lineno}: case {name} has no statement "
                                 "ending in ';'")
            name = m.group(1)
            continue
        if name is None:
            if line.strip() and not line.startswith("--"):
                raise ValueError(f"{topic}.sql:{lineno}: SQL outside a case (missing -- name:)")
            continue
        if not lines and (not line.strip() or line.startswith("--")):
            continue  # comments between the name and the statement
        lines.append(line)
        if line.rstrip().endswith(";"):
            cases.append(Case(topic, name, "\n".join(lines)))
            name, lines = None, []
    if name is not None:
        raise ValueError(f"{topic}.sql: case {name} has no statement ending in ';'")
    seen = set()
    for c in cases:
        if c.name in seen:
            raise ValueError(f"{topic}.sql: duplicate case name {c.name}")
        seen.add(c.name)
    return cases


def load_cases(topic):
    return parse_cases(topic, (CORPUS_DIR / f"{topic}.sql").read_text())


def format_expected(cases, results):
    blocks = []
    for case in cases:
        blocks.append(f"-- name: {case.name}\n{case.sql}\n{results[case.name].text()}".rstrip("\n"))
    return "\n\n".join(blocks) + "\n"


def parse_expected(text):
    """{name: (sql, Result)} from an expected file."""
    out = {}
    for block in re.split(r"^(?=-- name: )", text, flags=re.M):
        if not block.strip():
            continue
        lines = block.rstrip("\n").split("\n")
        name = NAME_LINE.match(lines[0]).group(1)
        i = 1
        while not lines[i].rstrip().endswith(";"):
            i += 1
        sql = "\n".join(lines[1:i + 1])
        body = "\n".join(lines[i + 1:])
        m = re.match(r"ERROR:  ([0-9A-Z]{5}): (.*)\Z", body, re.S)
        out[name] = (sql, Result(m.group(1), message=m.group(2)) if m else Result("00000", body))
    return out


def load_expected(topic):
    path = EXPECTED_DIR / f"{topic}.out"
    return parse_expected(path.read_text()) if path.exists() else {}
