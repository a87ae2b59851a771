#!/usr/bin/env python3
"""doc_links.py — every link in README.md and docs/ must lead to a file of the repository.

Checks two kinds of reference, since the docs use both:
  - Markdown links [text](target), resolved against the linking file's directory (web links and
    pure #anchors are skipped; an #anchor after a path is dropped);
  - plain repository paths such as docs/kernels.md or kernels/spread.hpp, resolved against the
    repository root.
Prints each broken reference as FILE:LINE: TARGET and exits 1 if there is any.
Usage: scripts/doc_links.py [REPO_ROOT]   (default: the parent of this script's directory)
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# A path under one of the repository's top-level folders, ending in a file extension; it must
# start a word (so build/x/kernels/y.cpp, a build output, is not read as kernels/y.cpp).
REPO_PATH = re.compile(
    r"(?<![\w./-])((?:docs|src|kernels|reference|fuzz|include|scripts|cmake|baselines|examples|rust)"
    r"/[\w./+-]*\.(?:md|cpp|hpp|h|c|sh|py|rs|json|cmake|toml|txt))(?![\w/])")


def broken_references(doc):
    text = doc.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        for target in MARKDOWN_LINK.findall(line):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (doc.parent / target.split("#", 1)[0]).exists():
                yield number, target
        for target in REPO_PATH.findall(line):
            if not (ROOT / target.rstrip(".")).exists():
                yield number, target


def main():
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = [(doc, n, t) for doc in docs for n, t in broken_references(doc)]
    for doc, number, target in broken:
        print(f"{doc.relative_to(ROOT)}:{number}: {target}")
    print(f"doc_links: {len(docs)} pages, {len(broken)} broken references", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
