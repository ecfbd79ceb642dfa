#!/usr/bin/python3
"""The `quality` figure's .dat holds the result file's data-quality table (docs/figures.md#quality).

usage: check_fig_quality.py RESULT_H5 QUALITY_DAT

Reads /tables/quality with h5py (exact doubles) and groups its rows the way the figure does: rows
whose trace columns (every column but `run` and the run's own co2e_* shares) are identical form
one .dat row, in first-seen order. For each .dat row: the text columns 2-7 and the numbers 8-15
are the stored values (bit-for-bit; NaN only where the table holds NaN), column 16 the number
of rows collapsed, 19 their `run` values, and 17-18 the smallest and largest finite
co2e_coverage among them (NaN if none). A result without the table (`cfsim sweep`) or with an
empty one must give a .dat without rows. Exits 1 naming each mismatch."""
import math
import sys

import h5py

from figdat import Errors, read_dat, same

h5, dat = sys.argv[1], sys.argv[2]
e = Errors("check_fig_quality")
_, rows = read_dat(dat)

with h5py.File(h5, "r") as f:
    table = f["tables/quality"][...] if "tables/quality" in f else None

if table is None or len(table) == 0:
    e.check(not rows, f"no quality rows in the result file, but the .dat has {len(rows)} rows")
    sys.exit(e.done())

names = table.dtype.names


def value(row, name):
    v = row[name]
    return v.decode() if isinstance(v, bytes) else v


def key_text(v):
    if isinstance(v, str):
        return "s:" + v
    v = float(v)
    return "nan" if math.isnan(v) else repr(v)


groups = []  # [key, first row, [rows]]
for r in table:
    key = tuple(key_text(value(r, n)) for n in names if n != "run" and not n.startswith("co2e_"))
    for g in groups:
        if g[0] == key:
            g[2].append(r)
            break
    else:
        groups.append([key, r, [r]])

e.check(len(rows) == len(groups), f".dat has {len(rows)} rows, the table {len(groups)} traces")
text_cols = {1: "trace", 2: "source", 3: "zone", 4: "signal", 5: "basis", 6: "fill_policy"}
num_cols = {7: "measured_share", 8: "estimated_share", 9: "filled_share", 10: "missing_share",
            11: "coverage", 12: "tac_fleet", 13: "cost_mape_pct", 14: "dps_mean"}
for i, (row, (_, first, members)) in enumerate(zip(rows, groups)):
    e.check(len(row) == 25, f"row {i} has {len(row)} columns, expected 25")
    if len(row) != 25:
        continue
    e.check(row[0] == str(i), f"row {i}: y {row[0]}")
    for col, name in text_cols.items():
        want = value(first, name) if name in names else ""
        e.check(row[col] == want, f"row {i}: {name} {row[col]!r} != {want!r}")
    for col, name in num_cols.items():
        want = float(first[name]) if name in names else math.nan
        e.check(same(row[col], want), f"row {i}: {name} {row[col]} != {want!r}")
    e.check(int(row[15]) == len(members), f"row {i}: runs {row[15]} != {len(members)}")
    want_runs = ",".join(str(int(m["run"])) for m in members)
    e.check(row[18] == want_runs, f"row {i}: run_rows {row[18]!r} != {want_runs!r}")
    cov = [float(m["co2e_coverage"]) for m in members] if "co2e_coverage" in names else []
    finite = [c for c in cov if not math.isnan(c)]
    lo, hi = (min(finite), max(finite)) if finite else (math.nan, math.nan)
    e.check(same(row[16], lo), f"row {i}: co2e_coverage_min {row[16]} != {lo!r}")
    e.check(same(row[17], hi), f"row {i}: co2e_coverage_max {row[17]} != {hi!r}")
    # No-Fallback: a metric the table does not have reads n/a, never a number.
    for col, name in ((12, "tac_fleet"), (14, "dps_mean")):
        if math.isnan(float(row[col])):
            e.check(f"{name.split('_')[0].upper()} n/a" in row[22],
                    f"row {i}: {name} is NaN but the text says {row[22]!r}")
sys.exit(e.done())
