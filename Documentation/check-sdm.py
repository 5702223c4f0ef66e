#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-sdm.py: every SDM section of chapters 23 to 34 (the VMX
chapters and their neighbours) that a file in the tree cites is one that
Documentation/sdm.rst lists for the edition vmxlab follows, and so is
every "Table NN-M" of those chapters.  A citation in the older numbering
is one chapter lower and, for most sections, not in the list.  Prints
each unknown citation as file:line and exits 1 when there is one
(make check, docs step)."""
import os
import re
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRS = ["kmod", "uapi", "userland", "selftests", "Documentation",
        "guest-images", "README.md"]
SKIP = re.compile(r"\.(bin|elf|svg|png|json|o|ko)$")
# 27.3.1.2, not 1.27.3 or 127.3, and not "25.7 million" or "29.5 s".
CITE = re.compile(r"(?<![\w.])((?:2[3-9]|3[0-4])(?:\.\d{1,2})+)(?![\w.]*\d)"
                  r"(?!\s*(?:million|MiB|KiB|ms|s\b|%|x\b|seconds))")
TABLE = re.compile(r"\bTables? ((?:2[3-9]|3[0-4])-\d+)(?: to "
                   r"((?:2[3-9]|3[0-4])-\d+))?")


def known():
    sdm = open(os.path.join(TOP, "Documentation/sdm.rst")).read()
    sections = set(re.findall(r"^   \* - (\d+(?:\.\d+)+)$", sdm, re.M))
    tables = set()
    tail = sdm[sdm.index("The tables cited:"):]
    for a, b in re.findall(r"(\d+-\d+)(?: to (\d+-\d+))?", tail):
        tables.update(expand(a, b))
    return sections, tables


def expand(a, b):
    if not b:
        return [a]
    ch, lo = a.split("-")
    return ["%s-%d" % (ch, n) for n in range(int(lo), int(b.split("-")[1]) + 1)]


def unknown(line, sections, tables):
    """The citations on @line that sdm.rst does not list."""
    out = [m.group(1) for m in CITE.finditer(line)
           if m.group(1) not in sections]
    for m in TABLE.finditer(line):
        out += ["Table " + t for t in expand(m.group(1), m.group(2))
                if t not in tables]
    return out


def self_test(sections, tables):
    """The lint itself: old numbers caught, new ones and others not."""
    cases = [
        ("VM entry loads them (SDM 26.3.2.4), and", ["26.3.2.4"]),
        ("a cleared VMCS (SDM 24.11.3) must be", ["24.11.3"]),
        ("(SDM 27.3.1.2, Table 27-5)", ["Table 27-5"]),
        ("the guest-state checks (SDM 27.3.1.2, Table 25-2)", []),
        ("instructions of the 25.7 million", []),
        ("Bochs 2.7 in 29.5 s, address 10.27.3.1", []),
        ("Tables 28-1 to 28-7", []),
    ]
    bad = 0
    for line, want in cases:
        got = unknown(line, sections, tables)
        if got != want:
            print("check-sdm self-test: %r gives %r, not %r" % (line, got, want))
            bad = 1
    return bad


def main():
    sections, tables = known()
    if self_test(sections, tables):
        return 1
    files = subprocess.check_output(["git", "ls-files", "--"] + DIRS,
                                    cwd=TOP, text=True).split()
    bad = 0
    for f in files:
        if SKIP.search(f) or f in ("Documentation/sdm.rst",
                                   "Documentation/check-sdm.py"):
            continue
        try:
            text = open(os.path.join(TOP, f), encoding="utf-8").read()
        except (UnicodeDecodeError, FileNotFoundError):
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for c in unknown(line, sections, tables):
                print("%s:%d: SDM %s is not in Documentation/sdm.rst's list "
                      "for 325462-080US (an older edition's number?)"
                      % (f, n, c))
                bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
