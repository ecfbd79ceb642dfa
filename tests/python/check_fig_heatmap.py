#!/usr/bin/env python3
"""Checks a `cfsim plot --figure heatmap` .dat against the result file it was drawn from.

Usage: check_fig_heatmap.py RESULT.h5 FIGURE.dat

Recomputes from the HDF5 summary (h5py + pandas) every cell of every panel: one panel per
strategy label (and value of any further swept parameter), every (x, y) pair of the two swept
parameters as a row, the mean over the replicates (summed in file order, one after the other,
as the figure does: bit for bit), NaN and missing = 1 when a replicate is unknown, failed or
the point was not run, and the printed text. Metric, axes and strategy filter come from the
.dat header. Fewer than two swept parameters: the .dat must have no rows. Exits 1 on the first
mismatch.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sweep_figure_common import (fail, groups, header_value, metric_value, num_text, read_dat,
                                 read_summary, same, swept_params, value_text)


def cell_text(v):
    if not math.isfinite(v):
        return ""
    t = ("%.1f" if abs(v) < 9.95 else "%.0f") % v
    return "0.0" if t == "-0.0" else t


def main():
    if len(sys.argv) != 3:
        fail("usage: check_fig_heatmap.py RESULT.h5 FIGURE.dat")
    runs = read_summary(sys.argv[1])
    header, rows = read_dat(sys.argv[2])
    params = swept_params(runs)
    if len(params) < 2:
        if rows:
            fail("fewer than two swept parameters but the .dat has %d rows" % len(rows))
        print("ok: fewer than two swept parameters, no rows (message figure)")
        return
    metric = header_value(header, "metric").split(" (")[0]
    axes = header_value(header, "x")  # "param_a, y: param_b (categorical: ...)"
    x_col = axes.split(",")[0]
    y_col = axes.split("y: ")[1].split(" ")[0]
    only = header_value(header, "strategy filter")
    cols = [p[1] for p in params]
    xi, yi = cols.index(x_col), cols.index(y_col)
    others = [i for i in range(len(params)) if i not in (xi, yi)]
    nx, ny = len(params[xi][3]), len(params[yi][3])

    panels = {}  # title -> (label, strategy, {(x, y): (n, known, mean)})
    for (label, strategy, idx), members in groups(runs, params, metric.startswith("savings_"),
                                                  only).items():
        rest = ", ".join(params[o][0] + "=" + value_text(params[o], idx[o]) for o in others)
        title = label + (", " + rest if rest else "")
        values = [metric_value(r, metric) for r in members]
        known = sum(1 for v in values if math.isfinite(v))
        total = 0.0
        for v in values:  # one after the other, in file order
            total += v
        mean = total / len(values) if known == len(values) else float("nan")
        panels.setdefault(title, (label, strategy, {}))[2][(idx[xi], idx[yi])] = \
            (len(values), known, mean)

    if len(rows) != len(panels) * nx * ny:
        fail("%d rows in the .dat, expected %d panels x %d x %d cells"
             % (len(rows), len(panels), nx, ny))
    seen = set()
    for row in rows:
        if len(row) != 13:
            fail("row with %d fields (13 expected): %s" % (len(row), row))
        title = row[1]
        if title not in panels:
            fail("panel '%s' is not a strategy of the result file (%s)" % (title, list(panels)))
        label, strategy, cells = panels[title]
        x, y = int(row[4]), int(row[6])
        seen.add((title, x, y))
        if [row[2], row[3]] != [strategy, label]:
            fail("panel '%s': strategy/label %s, expected %s" % (title, row[2:4],
                                                                 [strategy, label]))
        if row[5] != value_text(params[xi], x) or row[7] != value_text(params[yi], y):
            fail("cell %s: axis texts %s, expected %s" % (
                (title, x, y), [row[5], row[7]],
                [value_text(params[xi], x), value_text(params[yi], y)]))
        n, known, mean = cells.get((x, y), (0, 0, float("nan")))
        if [row[8], row[9]] != [str(n), str(known)]:
            fail("cell %s: n_runs/n_values %s, expected %s" % ((title, x, y), row[8:10],
                                                              [n, known]))
        got = float(row[10]) if row[10] != "NaN" else float("nan")
        if not same(got, mean):
            fail("cell %s: mean %r, result file gives %r" % ((title, x, y), row[10], mean))
        if row[11] != ("1" if math.isnan(mean) else "0"):
            fail("cell %s: missing flag %s for mean %r" % ((title, x, y), row[11], mean))
        if row[12] != cell_text(mean):
            fail("cell %s: text '%s', expected '%s'" % ((title, x, y), row[12], cell_text(mean)))
    if len(seen) != len(rows):
        fail("a cell appears twice in the .dat")
    print("ok: %d cells in %d panels match %s (metric %s over %s x %s)"
          % (len(rows), len(panels), sys.argv[1], metric, x_col, y_col))


if __name__ == "__main__":
    main()
