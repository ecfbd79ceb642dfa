"""Shared helpers of the figure checkers (tests/python/check_fig_*.py): read a `cfsim plot`
.dat file (a `#` header, then whitespace-separated rows with double-quoted text columns) and the
run names and summary table of a result file, and compare numbers the way the .dat writes them
(the shortest text that reads back as the same double, so equality is exact; "NaN" for
unknown)."""
import math
import re
import shlex
import sys

import h5py
import pandas as pd


def read_dat(path):
    """(header comment lines, rows as lists of strings) of a .dat file."""
    comments, rows = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                comments.append(line[1:].strip())
            elif line.strip():
                rows.append(shlex.split(line))
    return comments, rows


# A .dat row: whitespace-separated, text double-quoted (no escapes inside: cfsim writes no inner
# double quotes, and a backslash is a literal character, as gnuplot reads it).
ROW_FIELD = re.compile(r'"([^"]*)"|(\S+)')


def split_row(line):
    """The fields of a .dat row; unlike read_dat (shlex), a backslash stays a literal character."""
    return [q if q or not b else b for q, b in ROW_FIELD.findall(line)]


def h5_and_dat(usage):
    """A checker's two arguments (RESULT.h5, FIGURE.dat); otherwise prints `usage`, exits 2."""
    if len(sys.argv) != 3:
        print(usage, file=sys.stderr)
        sys.exit(2)
    return sys.argv[1], sys.argv[2]


def runs_and_summary(h5_path):
    """(run names of /run, /tables/summary as read: one row per run, in the same order)."""
    with h5py.File(h5_path, "r") as f:
        runs = [r.decode() for r in f["run"][...]]
    return runs, pd.read_hdf(h5_path, "/tables/summary")


def summary(h5_path):
    """/tables/summary as a DataFrame indexed by run name."""
    s = pd.read_hdf(h5_path, "/tables/summary")
    return s.set_index("name", drop=False)


def same(dat_text, value):
    """True if the .dat text is exactly `value` (NaN matches NaN only)."""
    x = float(dat_text)
    v = float(value)
    if math.isnan(v):
        return math.isnan(x)
    return x == v


class Errors:
    """Collects failures; `done()` prints them and gives the exit status."""

    def __init__(self, name):
        self.name, self.items, self.checked = name, [], 0

    def check(self, cond, msg):
        self.checked += 1
        if not cond:
            self.items.append(msg)

    def done(self):
        for e in self.items[:30]:
            print(f"{self.name}: {e}")
        if self.checked == 0:
            print(f"{self.name}: nothing was compared")
            return 1
        print(f"{self.name}: {self.checked} comparisons, {len(self.items)} failed")
        return 1 if self.items else 0
