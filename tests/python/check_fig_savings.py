#!/usr/bin/python3
"""The `savings` figure's .dat holds the result file's numbers (docs/figures.md#savings).

usage: check_fig_savings.py RESULT_H5 SAVINGS_DAT
Every bar row names its run (column 12); columns 6-11 must be that run's summary values, the
bar (13) the saving or, when it is NaN (incomplete data), its lower bound, and the whiskers
(15-18) the smallest and largest finite value of the run's uncertainty fields. Every
non-baseline run without error must have a row. With more than 12 such runs (a sweep) the
figure draws one bar per scenario label: the numbers are then recomputed here from the runs of
that label (median = numpy.percentile 50, ranges over the runs)."""
import math
import sys

import numpy as np

from figdat import Errors, read_dat, same, summary

h5, dat = sys.argv[1], sys.argv[2]
e = Errors("check_fig_savings")
s = summary(h5)
comments, rows = read_dat(dat)
aggregated = any(c.startswith("aggregated:") for c in comments)


def extent(values):
    finite = [float(v) for v in values if not math.isnan(float(v))]
    return (min(finite), max(finite)) if finite else (math.nan, math.nan)


def field(run, name):
    return float(run[name]) if name in run.index else math.nan


def run_bands(run):
    lo, hi = extent([field(run, n) for n in (
        "savings_co2e_lower_pct", "savings_co2e_upper_pct", "savings_co2e_model_lower_pct",
        "savings_co2e_model_upper_pct", "savings_co2e_p5_pct", "savings_co2e_p95_pct")])
    clo, chi = extent([field(run, n) for n in (
        "savings_cost_pct", "savings_cost_p5_pct", "savings_cost_p95_pct")])
    return lo, hi, clo, chi


def median(values):
    return math.nan if any(math.isnan(v) for v in values) else float(np.percentile(values, 50))


if aggregated:
    shown = s[(s["status"] == "ok") & (s["is_baseline"] == 0)]
    labels = list(dict.fromkeys(shown["label"]))
    e.check(len(rows) == len(labels), f"{len(rows)} bars for {len(labels)} labels {labels}")
    for row, label in zip(rows, labels):
        runs = shown[shown["label"] == label]
        e.check(row[11] == label, f"bar label {row[11]!r} != {label!r}")
        co2e = [float(v) for v in runs["savings_co2e_pct"]]
        cost = [float(v) for v in runs["savings_cost_pct"]]
        e.check(same(row[5], median(co2e)), f"{label}: median CO2e {row[5]} != {median(co2e)!r}")
        e.check(same(row[8], median(cost)), f"{label}: median cost {row[8]} != {median(cost)!r}")
        lo = extent(runs["savings_co2e_lower_pct"])[0]
        hi = extent(runs["savings_co2e_upper_pct"])[1]
        e.check(same(row[6], lo) and same(row[7], hi), f"{label}: bounds {row[6:8]} != {lo}, {hi}")
        bands = [run_bands(r) for _, r in runs.iterrows()]
        blo, bhi = extent([b for t in bands for b in t[:2]] + co2e + list(runs["savings_co2e_lower_pct"]))
        clo, chi = extent([b for t in bands for b in t[2:]] + cost)
        e.check(same(row[14], blo) and same(row[15], bhi), f"{label}: band {row[14:16]} != {blo}, {bhi}")
        e.check(same(row[16], clo) and same(row[17], chi), f"{label}: cost band {row[16:18]} != {clo}, {chi}")
        e.check(row[10] == ("1" if (runs["complete"] != 0).all() else "0"), f"{label}: complete {row[10]}")
    sys.exit(e.done())

seen = set()
for row in rows:
    e.check(len(row) == 18, f"row has {len(row)} columns, expected 18: {row}")
    if len(row) != 18:
        continue
    name = row[11]
    seen.add(name)
    if name not in s.index:
        e.check(False, f"run {name!r} of the .dat is not in the result file")
        continue
    run = s.loc[name]
    e.check(row[1] == run["strategy"], f"{name}: strategy {row[1]!r} != {run['strategy']!r}")
    e.check(row[3] == run["kind"], f"{name}: kind {row[3]!r} != {run['kind']!r}")
    for col, fname in ((5, "savings_co2e_pct"), (6, "savings_co2e_lower_pct"),
                       (7, "savings_co2e_upper_pct"), (8, "savings_cost_pct"),
                       (9, "co2e_coverage"), (10, "complete")):
        e.check(same(row[col], run[fname]), f"{name}: {fname} {row[col]} != {run[fname]!r}")
    central = float(run["savings_co2e_pct"])
    bar = central if not math.isnan(central) else float(run["savings_co2e_lower_pct"])
    e.check(same(row[12], bar), f"{name}: bar {row[12]} != {bar!r}")
    lo, hi = extent([field(run, n) for n in (
        "savings_co2e_lower_pct", "savings_co2e_upper_pct", "savings_co2e_model_lower_pct",
        "savings_co2e_model_upper_pct", "savings_co2e_p5_pct", "savings_co2e_p95_pct")])
    e.check(same(row[14], lo) and same(row[15], hi), f"{name}: CO2e band {row[14:16]} != {lo}, {hi}")
    clo, chi = extent([field(run, n) for n in (
        "savings_cost_pct", "savings_cost_p5_pct", "savings_cost_p95_pct")])
    e.check(same(row[16], clo) and same(row[17], chi), f"{name}: cost band {row[16:18]} != {clo}, {chi}")

for name, run in s.iterrows():
    if run["status"] == "ok" and int(run["is_baseline"]) == 0:
        e.check(name in seen, f"non-baseline run {name!r} has no bar")
sys.exit(e.done())
