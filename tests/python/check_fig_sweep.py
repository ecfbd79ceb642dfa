#!/usr/bin/env python3
"""Checks a `cfsim plot --figure sweep` .dat against the result file it was drawn from.

Usage: check_fig_sweep.py RESULT.h5 FIGURE.dat

Recomputes from the HDF5 summary (h5py + pandas) every number of every row: the replicate
groups (same label and swept values, differing only in seed), the median (numpy.percentile 50,
linear), the band (min..max below 10 seeds, numpy.percentile 5/95 from 10 on), NaN whenever a
replicate's value is unknown or its run failed, and the envelope of each run's own p5/p95
fields. Numbers must match bit for bit (the .dat writes shortest round-trip decimals). The
metric, x parameter and strategy filter are read from the .dat header. A .dat of a result
without swept parameters must have no rows. Exits 1 with a message on the first mismatch.
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_figure_common import (fail, groups, header_value, metric_value, num_text, read_dat,
                                 read_summary, same, swept_params, value_text)


def main():
    if len(sys.argv) != 3:
        fail("usage: check_fig_sweep.py RESULT.h5 FIGURE.dat")
    runs = read_summary(sys.argv[1])
    header, rows = read_dat(sys.argv[2])
    params = swept_params(runs)
    if not params:
        if rows:
            fail("the result has no swept parameter but the .dat has %d rows" % len(rows))
        print("ok: no swept parameter, no rows (message figure)")
        return
    metric = header_value(header, "metric").split(" (")[0]
    x_col = header_value(header, "x").split(" ")[0]
    only = header_value(header, "strategy filter")
    xi = [p[1] for p in params].index(x_col)
    others = [i for i in range(len(params)) if i != xi]
    stem = metric[:-len("_pct")] if metric.endswith("_pct") else None

    expected = {}
    for (label, strategy, idx), members in groups(runs, params, metric.startswith("savings_"),
                                                  only).items():
        title = ", ".join(params[o][0] + "=" + value_text(params[o], idx[o]) for o in others)
        title = title or "all"
        values = [metric_value(r, metric) for r in members]
        n = len(values)
        known = sum(1 for v in values if math.isfinite(v))
        med = lo = hi = float("nan")
        band = "none"
        if known == n:
            med = float(np.percentile(values, 50))
            if n >= 10:
                lo, hi, band = float(np.percentile(values, 5)), float(np.percentile(values, 95)), \
                    "p5-p95"
            else:
                lo, hi = min(values), max(values)
                band = "min-max" if n > 1 else "none"
        run_lo = run_hi = float("nan")
        if stem is not None:
            a = [metric_value(r, stem + "_p5_pct") for r in members]
            b = [metric_value(r, stem + "_p95_pct") for r in members]
            if all(math.isfinite(v) for v in a + b):
                run_lo, run_hi = min(a), max(b)
        x_param = params[xi]
        x = float(x_param[3][idx[xi]]) if x_param[2] else float(idx[xi] + 1)
        expected[(title, label, value_text(x_param, idx[xi]))] = [
            strategy, label, num_text(x), value_text(x_param, idx[xi]), str(n), str(known),
            med, lo, hi, band, run_lo, run_hi]

    if len(rows) != len(expected):
        fail("%d rows in the .dat, %d (label, panel, x) points in the result file"
             % (len(rows), len(expected)))
    for row in rows:
        if len(row) != 15:
            fail("row with %d fields (15 expected): %s" % (len(row), row))
        key = (row[1], row[4], row[6])
        if key not in expected:
            fail("row %s: no such replicate group in the result file" % row)
        e = expected[key]
        got_text = [row[3], row[4], row[5], row[6], row[7], row[8]]
        if got_text != e[:6]:
            fail("row %s: expected strategy/label/x/x_text/n_runs/n_values %s" % (row, e[:6]))
        if row[12] != e[9]:
            fail("row %s: band '%s', expected '%s'" % (key, row[12], e[9]))
        for col, name, want in [(9, "median", e[6]), (10, "band_lower", e[7]),
                                (11, "band_upper", e[8]), (13, "run_p5", e[10]),
                                (14, "run_p95", e[11])]:
            got = float(row[col]) if row[col] != "NaN" else float("nan")
            if not same(got, want):
                fail("%s %s: .dat %r, result file gives %r" % (key, name, row[col], want))
    print("ok: %d sweep points match %s (metric %s over %s)"
          % (len(rows), sys.argv[1], metric, x_col))


if __name__ == "__main__":
    main()
