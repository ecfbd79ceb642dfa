#!/usr/bin/python3
"""The `quality` figure's .dat holds the result file's data-quality table (docs/figures.md#quality).

usage: check_fig_quality.py RESULT_H5 QUALITY_DAT

Reads /tables/quality with h5py (exact doubles) and groups its rows the way the figure does: rows
whose trace columns (every column but `run` and the run's own co2e_* shares) are identical form
one .dat row, in first-seen order. For each .dat row: the text columns 2-7 and the numbers 8-15
are the stored values (bit-for-bit; NaN only where the table holds NaN), column 16 the number
of rows collapsed, 19 their `run` values, and 17-18 the smallest and largest finite
co2e_coverage among them (NaN if none). A result with an empty table must give a .dat without
rows.

A result without the table (`cfsim sweep`) gives the summary variant: recomputed here from
/tables/summary with pandas, independently of cfsim's C++. The ok runs are grouped by
`param_zone` (else the root attribute `carbon_zone`), groups in first-seen order over all runs,
a zone with failed runs only dropped. Per group: runs, failed and incomplete (complete == 0)
counts; the run drawn is the first run with the lowest co2e_coverage, and its energy split
(measured = co2e_coverage - co2e_estimated_share, estimated, filled = co2e_filled_share,
unknown = 1 - co2e_coverage - co2e_filled_share; a negative share within 1e-12 of 0 reads 0)
must match bit for bit, as must the min/max of co2e_coverage, tac_fleet, cost_mape_pct and
dps_mean over the ok runs (NaN if none finite, then the text reads n/a). The header must say
these are energy shares and name every failed run. Exits 1 naming each mismatch."""
import math
import sys

import h5py
import pandas as pd

from figdat import Errors, read_dat, same

h5, dat = sys.argv[1], sys.argv[2]
e = Errors("check_fig_quality")
_, rows = read_dat(dat)

with h5py.File(h5, "r") as f:
    table = f["tables/quality"][...] if "tables/quality" in f else None
    summary = pd.DataFrame(f["tables/summary"][...]) if table is None else None
    carbon_zone = f.attrs.get("carbon_zone", "")
carbon_zone = carbon_zone.decode() if isinstance(carbon_zone, bytes) else str(carbon_zone)


def check_summary_variant(comments, rows, s):
    """The figure of a result without /tables/quality: the summary's energy shares per zone."""
    for c in s.columns:
        if s[c].dtype == object:
            s[c] = s[c].map(lambda v: v.decode() if isinstance(v, bytes) else v)
    if "co2e_coverage" not in s.columns:
        e.check(not rows, f"no co2e_coverage in the summary, but the .dat has {len(rows)} rows")
        return
    header = "\n".join(comments)
    e.check("ENERGY shares from /tables/summary" in header and "NOT shown" in header,
            "the header does not say these are the runs' energy shares, not grid time")
    zone_col = "param_zone" if "param_zone" in s.columns else None
    s["_zone"] = s[zone_col] if zone_col else carbon_zone
    failed = s["status"] == "error"
    e.check(f"failed runs (counted, not drawn): {int(failed.sum())}" in comments,
            f"the header does not count {int(failed.sum())} failed runs")
    for name in s.loc[failed, "name"]:
        e.check(name in comments, f"failed run {name!r} not named in the header")
    zones = [z for z in dict.fromkeys(s["_zone"]) if (~failed & (s["_zone"] == z)).any()]
    e.check(len(rows) == len(zones), f".dat has {len(rows)} rows, the summary {len(zones)} zones")

    def rng(v):
        v = v.dropna()
        return (v.min(), v.max()) if len(v) else (math.nan, math.nan)

    def clamp(x):
        return 0.0 if -1e-12 < x < 0 else x

    for i, (row, zone) in enumerate(zip(rows, zones)):
        e.check(len(row) == 25, f"row {i} has {len(row)} columns, expected 25")
        if len(row) != 25:
            continue
        g = s[~failed & (s["_zone"] == zone)]
        e.check(row[0] == str(i) and row[1] == zone, f"row {i}: y/zone {row[:2]} != {i}, {zone!r}")
        e.check(int(row[2]) == len(g), f"row {i}: runs {row[2]} != {len(g)}")
        n_failed = int((failed & (s["_zone"] == zone)).sum())
        e.check(int(row[3]) == n_failed, f"row {i}: failed {row[3]} != {n_failed}")
        n_incomplete = int((g["complete"] == 0).sum()) if "complete" in g.columns else 0
        e.check(int(row[4]) == n_incomplete, f"row {i}: incomplete {row[4]} != {n_incomplete}")
        cov = g["co2e_coverage"]
        if cov.notna().any():
            w = cov.idxmin()  # the first of equal minima; the index is the row in /run
            est = g.at[w, "co2e_estimated_share"] if "co2e_estimated_share" in g else math.nan
            fil = g.at[w, "co2e_filled_share"] if "co2e_filled_share" in g else math.nan
            want = [float(w), clamp(cov[w] - est), est, fil, clamp((1.0 - cov[w]) - fil)]
            e.check(row[18] == g.at[w, "name"], f"row {i}: run drawn {row[18]!r}")
        else:
            want = [math.nan] * 5
        for col, name, v in zip(range(5, 10), ("worst_run", "measured", "estimated", "filled",
                                               "unknown"), want):
            e.check(same(row[col], v), f"row {i}: {name} {row[col]} != {v!r}")
        for col, name in ((10, "co2e_coverage"), (12, "tac_fleet"), (14, "cost_mape_pct"),
                          (16, "dps_mean")):
            lo, hi = rng(g[name]) if name in g.columns else (math.nan, math.nan)
            e.check(same(row[col], lo) and same(row[col + 1], hi),
                    f"row {i}: {name} range {row[col]}, {row[col + 1]} != {lo!r}, {hi!r}")
            # No-Fallback: a metric no run has reads n/a, never a number.
            label = {"tac_fleet": "TAC", "cost_mape_pct": "Cost-MAPE", "dps_mean": "DPS"}.get(name)
            if label and math.isnan(lo):
                e.check(f"{label} n/a" in row[24], f"row {i}: {name} is NaN but {row[24]!r}")
        if all(math.isnan(float(row[c])) for c in (12, 14, 16)):
            e.check(row[24].endswith("(no billing data)"), f"row {i}: metrics text {row[24]!r}")


if table is None:
    comments, _ = read_dat(dat)
    check_summary_variant(comments, rows, summary)
    sys.exit(e.done())

if len(table) == 0:
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
