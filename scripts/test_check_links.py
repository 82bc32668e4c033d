#!/usr/bin/env python3
"""test_check_links.py: check_links.py against hostile Markdown in a throw-away repository, then
against this repository. Run by `make check-docs`; Python 3 standard library only."""

import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_links  # noqa: E402

GUIDE = """# Guide

## Setup: `make deps` (once)

## Setup: `make deps` (once)

## Snake_case and *emphasis*

<a id="custom-anchor"></a>

```sh
[not a link](../outside.md)
```
"""


class CheckLinksTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.root = self.dir.name
        files = {
            "README.md": "# Readme\n",
            "docs/GUIDE.md": GUIDE,
            "docs/my notes.md": "# Notes\n",
            "docs/img.png": "",
            "untracked.md": "# Not in git\n",
        }
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(self.root, rel)), exist_ok=True)
            with open(os.path.join(self.root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        tracked = set(files) - {"untracked.md"}
        self.checker = check_links.Checker(self.root, tracked)

    def tearDown(self):
        self.dir.cleanup()

    def problems(self, markdown, source="docs/PAGE.md"):
        """[(line, target, reason)] for the bad links in `markdown`, read as the file `source`."""
        return self.checker.check(source, markdown)

    def assert_refused(self, markdown, reason, source="docs/PAGE.md"):
        found = self.problems(markdown, source)
        self.assertEqual(len(found), 1, found)
        self.assertIn(reason, found[0][2])

    def test_links_leaving_the_repository_are_refused(self):
        self.assert_refused("see [design](../../shared/ARCHITECTURE.md)", "outside the repository")
        self.assert_refused("[x](../../README.md)", "outside the repository")
        self.assert_refused("[x](GUIDE.md/../../../etc/passwd)", "outside the repository")
        self.assert_refused("[x](../shared/A.md)", "outside the repository", source="README.md")
        self.assert_refused("[x](/work/shared/ARCHITECTURE.md)", "absolute path")
        self.assert_refused("[x](~/notes.md)", "absolute path")
        self.assert_refused("[x](\\\\server\\share\\a.md)", "absolute path")
        self.assert_refused("[x](file:///etc/passwd)", "file: links leave the repository")
        self.assert_refused("[x](C:\\docs\\a.md)", "C: links leave the repository")
        self.assert_refused("[x](javascript:alert(1))", "javascript: links")

    def test_missing_and_untracked_files_are_refused(self):
        self.assert_refused("[x](MISSING.md)", "no such file in the repository")
        self.assert_refused("[x](../untracked.md)", "no such file")  # on disk, not in git
        self.assert_refused("[x](guide.md)", "no such file")  # names are case-sensitive
        self.assert_refused("[x]()", "empty link")
        self.assert_refused("[x](<>)", "empty link")

    def test_files_folders_and_encoded_names_resolve(self):
        ok = """[a](GUIDE.md) [b](./GUIDE.md) [c](../docs/GUIDE.md "a title") [d](../docs/)
[e](<my notes.md>) [f](my%20notes.md) [g](..) [h](img.png?raw=true) ![i](img.png)
[![badge](img.png)](../README.md) <img src="img.png" alt="x"> <a href="GUIDE.md">g</a>
[ref]: GUIDE.md
"""
        self.assertEqual(self.problems(ok), [])

    def test_external_links_are_allowed_and_not_fetched(self):
        ok = ("[a](https://duckdb.org) [b](http://localhost:8080/api) "
              "[c](https://en.wikipedia.org/wiki/Rank_(linear_algebra)) [d](mailto:x@example.com)"
              " [e](HTTPS://EXAMPLE.COM)")
        self.assertEqual(self.problems(ok), [])

    def test_anchors_must_name_a_heading(self):
        ok = """[a](GUIDE.md#guide) [b](GUIDE.md#setup-make-deps-once)
[c](GUIDE.md#setup-make-deps-once-1) [d](GUIDE.md#snake_case-and-emphasis)
[e](GUIDE.md#custom-anchor) [f](#page) [g](img.png#not-markdown)

# Page
"""
        self.assertEqual(self.problems(ok), [])
        self.assert_refused("[a](GUIDE.md#setup-make-deps-once-2)", "has no heading for")
        self.assert_refused("[a](GUIDE.md#Guide)", "has no heading for #Guide")
        self.assert_refused("# Page\n[a](#nowhere)", "docs/PAGE.md has no heading for #nowhere")

    def test_code_is_not_a_link(self):
        markdown = """`[x](../out.md)` and ``[y](/abs.md)``
```
[z](../out.md)
```
~~~~
[w](/abs.md)
```
~~~~
    indented: [v](../out.md)
"""
        found = self.problems(markdown)
        self.assertEqual([(line, target) for line, target, _ in found], [(9, "../out.md")])

    def test_malformed_markdown_does_not_read_as_links(self):
        markdown = "[a](../out.md [b] (../out.md) ](( ]( \\] [c](GUIDE.md\\)x)"
        found = self.problems(markdown)
        self.assertEqual(found, [(1, "GUIDE.md)x", "no such file in the repository")])

    def test_without_git_the_markdown_on_disk_is_read(self):
        for rel in ("build/x.md", ".deps/y.md", "node_modules/z.md"):
            os.makedirs(os.path.dirname(os.path.join(self.root, rel)), exist_ok=True)
            open(os.path.join(self.root, rel), "w").close()
        self.assertEqual(check_links.markdown_on_disk(self.root),
                         ["README.md", "docs/GUIDE.md", "docs/my notes.md", "untracked.md"])
        on_disk = check_links.Checker(self.root, None)
        self.assertEqual(on_disk.check("docs/PAGE.md", "[x](../untracked.md) [y](../gone.md)"),
                         [(1, "../gone.md", "no such file in the repository")])

    def test_line_numbers_point_at_the_link(self):
        found = self.problems("# Page\n\ntext\n[x](../../up.md)\n")
        self.assertEqual([line for line, _, _ in found], [4])


class ThisRepositoryTest(unittest.TestCase):
    def test_every_link_resolves(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_links.py")
        r = subprocess.run([sys.executable, script], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("all resolve", r.stdout)


if __name__ == "__main__":
    unittest.main()
