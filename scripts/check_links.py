#!/usr/bin/env python3
"""check_links.py: fails when a link in the repository's Markdown leads nowhere for someone who
clones it.

Every link and image in each tracked *.md file (README.md, docs/, tests/...) must be one of:
  - an external http://, https:// or mailto: address (allowed, not fetched);
  - a path relative to the file that names a tracked file or a folder holding tracked files,
    without leaving the repository; a #fragment on a Markdown file must name one of its headings;
  - a #fragment naming a heading of the same file.
Absolute paths (/home/..., ~/...), other schemes (file:, C:\\...) and paths that climb out of the
repository (../shared/...) fail. Code blocks and `code spans` are not links and are skipped.

Usage: scripts/check_links.py [FILE.md ...]   (no files: every tracked *.md; in a copy without
git, every *.md on disk outside hidden and build folders, and links may name any file on disk)
Exits 1 and prints file:line: target: reason for each bad link. Python 3 standard library only.
"""

import os
import re
import subprocess
import sys
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXTERNAL_SCHEMES = ("http", "https", "mailto")

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# "](" opens an inline link or image destination; the text before it may hold nested brackets.
INLINE_OPEN = re.compile(r"\]\(")
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(\S+)")
HTML_ATTRIBUTE = re.compile(r"<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*[\"']([^\"']*)[\"']", re.I)
HTML_ANCHOR = re.compile(r"<[a-z]+\b[^>]*?\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.I)
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def tracked_files(root):
    """Paths (relative, with /) of the files git tracks under root; None outside a checkout."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"], capture_output=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {p for p in out.decode("utf-8", "surrogateescape").split("\0") if p}


def in_code_block(lines):
    """For each line, whether it belongs to a fenced code block (the fences included)."""
    inside = []
    fence = None
    for line in lines:
        m = FENCE.match(line)
        if fence:
            inside.append(True)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
        else:
            inside.append(bool(m))
            fence = m.group(1) if m else None
    return inside


def prose_lines(text):
    """The file's lines with fenced code blocks blanked and code spans turned into spaces, so that
    line numbers stay right and nothing inside code reads as a link."""
    lines = text.split("\n")
    return [
        "" if code else CODE_SPAN.sub(lambda s: " " * len(s.group(0)), line)
        for line, code in zip(lines, in_code_block(lines))
    ]


def unescape(text):
    """A destination's backslash escapes undone: "a\\)b" is "a)b"."""
    return re.sub(r"\\([!-/:-@[-`{-~])", r"\1", text)


def title_and_close(rest):
    """Whether `rest` (what follows a destination) is an optional title and then ")"."""
    rest = rest.lstrip()
    closing = {'"': '"', "'": "'", "(": ")"}.get(rest[:1])
    if closing:
        end = rest.find(closing, 1)
        if end < 0:
            return False
        rest = rest[end + 1:].lstrip()
    return rest.startswith(")")


def destination(line, start):
    """The destination of the inline link whose "](" ends at line[start], or None when what follows
    is not a link: <...> or text up to whitespace or the ")" that balances, then an optional title
    and the closing ")"."""
    rest = line[start:].lstrip()
    if rest.startswith("<"):
        end = rest.find(">")
        if end < 0 or not title_and_close(rest[end + 1:]):
            return None
        return unescape(rest[1:end])
    depth = 0
    i = 0
    while i < len(rest):
        c = rest[i]
        if c == "\\":
            i += 2  # an escaped character
            continue
        if c.isspace() or (c == ")" and depth == 0):
            break
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    if depth != 0 or not title_and_close(rest[i:]):
        return None
    return unescape(rest[:i])


def links(text):
    """(line number, target) of every link, image and HTML href/src in Markdown text."""
    found = []
    for number, line in enumerate(prose_lines(text), start=1):
        for m in INLINE_OPEN.finditer(line):
            target = destination(line, m.end())
            if target is not None:
                found.append((number, target))
        m = REFERENCE_DEFINITION.match(line)
        if m:
            found.append((number, m.group(1).strip("<>")))
        for m in HTML_ATTRIBUTE.finditer(line):
            found.append((number, m.group(1)))
    return found


def slug(heading):
    """The anchor GitHub gives a heading: its text without markup, lower-cased, punctuation
    dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links and images: their text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"(^|\s)_+|_+($|\s)", r"\1\2", text)  # _emphasis_, not snake_case
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(text):
    """The fragments a Markdown file answers to: its headings' slugs (repeats get -1, -2, ...)
    and explicit id= / name= attributes."""
    seen = {}
    result = set()
    lines = text.split("\n")
    for line, code in zip(lines, in_code_block(lines)):
        if code:
            continue
        heading = ATX_HEADING.match(line)
        if heading:
            base = slug(heading.group(2) or "")
            n = seen.get(base, 0)
            seen[base] = n + 1
            result.add(base if n == 0 else f"{base}-{n}")
        result.update(HTML_ANCHOR.findall(line))
    return result


class Checker:
    """Judges links against the repository at `root`, whose tracked files are `tracked` (None:
    whatever is on disk)."""

    def __init__(self, root, tracked):
        self.root = root
        self.tracked = tracked
        self.folders = None
        if tracked is not None:
            self.folders = {os.path.dirname(p) for p in tracked}
            for folder in list(self.folders):
                while folder:
                    folder = os.path.dirname(folder)
                    self.folders.add(folder)
        self.anchor_cache = {}

    def exists(self, rel):
        if self.tracked is None:
            return os.path.exists(os.path.join(self.root, rel))
        return rel in self.tracked or rel in self.folders

    def anchors_of(self, rel):
        if rel not in self.anchor_cache:
            with open(os.path.join(self.root, rel), encoding="utf-8", errors="replace") as f:
                self.anchor_cache[rel] = anchors(f.read())
        return self.anchor_cache[rel]

    def check(self, source, text):
        """(line, target, reason) for each link in `text`, the Markdown file `source`, that leads
        nowhere."""
        self.anchor_cache[source] = anchors(text)
        found = []
        for number, target in links(text):
            reason = self.problem(source, target)
            if reason:
                found.append((number, target, reason))
        return found

    def problem(self, source, target):
        """Why `target`, linked from the Markdown file `source` (relative to root), leads nowhere;
        None when it is fine."""
        if not target.strip():
            return "empty link"
        scheme = SCHEME.match(target)
        if scheme:
            if scheme.group(1).lower() in EXTERNAL_SCHEMES:
                return None
            return f"{scheme.group(1)}: links leave the repository; link a file in it instead"
        path, _, fragment = target.partition("#")
        path = urllib.parse.unquote(path.partition("?")[0])
        if path.startswith(("/", "\\", "~")):
            return "absolute path: write it relative to this file"
        if path:
            rel = os.path.normpath(os.path.join(os.path.dirname(source), path))
            if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
                return "points outside the repository"
            rel = "" if rel == "." else rel.replace(os.sep, "/")
            if not self.exists(rel):
                return "no such file in the repository"
        else:
            rel = source
        fragment = urllib.parse.unquote(fragment)
        if fragment and rel.endswith(".md") and fragment not in self.anchors_of(rel):
            return f"{rel} has no heading for #{fragment}"
        return None


def markdown_on_disk(root):
    """The *.md files under root outside hidden and build folders, for a copy without git."""
    files = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [d for d in subfolders
                         if not d.startswith((".", "build")) and d != "node_modules"]
        rel = os.path.relpath(folder, root)
        files += [os.path.normpath(os.path.join(rel, n)).replace(os.sep, "/")
                  for n in names if n.endswith(".md")]
    return sorted(files)


def main(argv):
    tracked = tracked_files(ROOT)
    if argv:
        files = [os.path.relpath(os.path.abspath(f), ROOT).replace(os.sep, "/") for f in argv]
    elif tracked is not None:
        files = sorted(p for p in tracked if p.endswith(".md"))
    else:
        files = markdown_on_disk(ROOT)
    checker = Checker(ROOT, tracked)
    checked = bad = 0
    for source in files:
        with open(os.path.join(ROOT, source), encoding="utf-8", errors="replace") as f:
            text = f.read()
        checked += len(links(text))
        for number, target, reason in checker.check(source, text):
            print(f"{source}:{number}: {target}: {reason}")
            bad += 1
    summary = f"check_links.py: {checked} links in {len(files)} Markdown files"
    if bad:
        print(f"{summary}, {bad} broken", file=sys.stderr)
        return 1
    print(f"{summary}, all resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
