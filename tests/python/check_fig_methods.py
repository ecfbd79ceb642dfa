#!/usr/bin/env python3
"""Checks a `methods` figure's .dat against the result file it was drawn from.

    check_fig_methods.py RESULT.h5 FIGURE_methods.dat

Reads /run and /tables/summary with h5py and pandas and recomputes every row independently of
cfsim's C++: runs that did not fail, grouped by strategy label (first appearance order). With
one run per label each value must equal the stored one bit for bit (co2e_operational_kg,
co2e_ccf_estimate_kg, co2e_ccf_difference_pct; NaN stays NaN, never 0). With several runs per
label: the mean over the runs that have the value (summed in file order, so also bit for bit),
the smallest and the largest, and the counts. An incomplete run (complete = 0) has no central
hourly value; its co2e_operational_lower/upper_kg widen the whisker. Also checks the label text
over each pair ("-25", "+10..+20", "n/a"). Exits 1 naming the label and column on the first
mismatch.
"""
import math
import sys

from figdat import h5_and_dat, runs_and_summary, split_row


def fail(msg):
    print(f"check_fig_methods: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def num(s):
    return float("nan") if s == "NaN" else float(s)


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


class Stats:
    def __init__(self):
        self.sum, self.lo, self.hi, self.n = 0.0, math.nan, math.nan, 0

    def add(self, v):
        if not math.isfinite(v):
            return
        self.sum += v
        self.lo = v if self.n == 0 else min(self.lo, v)
        self.hi = v if self.n == 0 else max(self.hi, v)
        self.n += 1

    def mean(self):
        return self.sum / self.n if self.n else math.nan


def pct(v):
    return f"{v:+.1f}" if abs(v) < 9.95 else f"{v:+.0f}"


def main():
    h5, dat = h5_and_dat(__doc__)
    runs, summary = runs_and_summary(h5)

    groups = {}
    for i, run in enumerate(runs):
        s = summary.iloc[i]
        if str(s.get("status", "ok")) == "error":
            continue
        label = str(s.get("label", "")) or str(s["strategy"])
        g = groups.setdefault(label, {"strategy": str(s["strategy"]), "runs": [], "hourly": Stats(),
                                      "band": Stats(), "ccf": Stats(), "diff": Stats()})
        g["runs"].append(run)
        if int(s["complete"]) != 0:
            g["hourly"].add(float(s["co2e_operational_kg"]))
            g["band"].add(float(s["co2e_operational_kg"]))
        else:
            g["band"].add(float(s["co2e_operational_lower_kg"]))
            g["band"].add(float(s["co2e_operational_upper_kg"]))
        g["ccf"].add(float(s["co2e_ccf_estimate_kg"]))
        g["diff"].add(float(s["co2e_ccf_difference_pct"]))
    aggregated = any(len(g["runs"]) > 1 for g in groups.values())

    rows = []
    with open(dat, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                rows.append(split_row(line))
    if len(rows) != len(groups):
        fail(f"{dat}: {len(rows)} rows, want {len(groups)} (one per strategy label)")
    for k, (row, (label, g)) in enumerate(zip(rows, groups.items())):
        if len(row) != 21:
            fail(f"{label}: {len(row)} columns, want 21")
        h, b, c, d = g["hourly"], g["band"], g["ccf"], g["diff"]
        bar = h.mean() if math.isfinite(h.mean()) else b.lo
        top = max(v for v in (bar, b.hi, c.mean(), c.hi, 0.0) if math.isfinite(v))
        if c.n == 0:
            text = ("n/a", "(no factor)")
        elif d.n == 0:
            text = ("n/a", "(incomplete)")
        elif aggregated and d.n > 1:
            text = (pct(d.mean()), f"{pct(d.lo)}..{pct(d.hi)}")
        else:
            text = (pct(d.mean()), "")
        want_text = {1: str(k + 1), 2: g["strategy"], 3: label, 4: str(len(g["runs"])),
                     15: str(h.n), 16: str(c.n), 17: str(d.n), 18: text[0], 19: text[1],
                     21: g["runs"][0]}
        for col, val in want_text.items():
            if row[col - 1] != val:
                fail(f"{label}: column {col} is '{row[col - 1]}', want '{val}'")
        want_num = {5: h.mean(), 6: b.lo, 7: b.hi, 8: c.mean(), 9: c.lo, 10: c.hi, 11: d.mean(),
                    12: d.lo, 13: d.hi, 14: bar, 20: top}
        for col, val in want_num.items():
            if not same(num(row[col - 1]), val):
                fail(f"{label}: column {col} is {row[col - 1]}, the result file gives {val!r}")
    n = sum(len(g["runs"]) for g in groups.values())
    print(f"check_fig_methods: OK: {len(rows)} rows from {n} runs"
          f"{' (aggregated per label)' if aggregated else ''} ({dat})")


if __name__ == "__main__":
    main()
