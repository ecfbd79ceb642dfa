#!/usr/bin/python3
"""The `timeline` figure's .dat holds the result file's series of the run it names
(docs/figures.md#timeline).

usage: check_fig_timeline.py RESULT_H5 TIMELINE_DAT
Row i must be grid cell i of /time; columns 3, 5 and 6 the run's intensity_g_per_kwh,
fleet_running and jobs_running_cpus (NaN where unknown: a gap is never filled), column 4 the
missing flag."""
import math
import sys

import h5py

from figdat import Errors, read_dat, same

h5, dat = sys.argv[1], sys.argv[2]
e = Errors("check_fig_timeline")
comments, rows = read_dat(dat)
run_name = next((c[len("run: "):] for c in comments if c.startswith("run: ")), None)
e.check(run_name is not None, "the .dat header names no run")
with h5py.File(h5, "r") as f:
    runs = [r.decode() for r in f["/run"][:]]
    e.check(run_name in runs, f"run {run_name!r} is not in the result file")
    if run_name in runs:
        i = runs.index(run_name)
        t = f["/time"][:]
        e.check(len(rows) == len(t), f"{len(rows)} rows for {len(t)} grid cells")
        cols = {}
        for col, name in ((2, "intensity_g_per_kwh"), (4, "fleet_running"), (5, "jobs_running_cpus")):
            cols[col] = f["/series/" + name][i, :] if name in f["/series"] else [math.nan] * len(t)
        for k, row in enumerate(rows[:len(t)]):
            e.check(int(row[1]) == int(t[k]), f"row {k}: time {row[1]} != {t[k]}")
            for col, values in cols.items():
                e.check(same(row[col], values[k]), f"row {k} column {col + 1}: {row[col]} != {values[k]!r}")
            e.check(row[3] == ("1" if math.isnan(float(cols[2][k])) else "0"),
                    f"row {k}: missing flag {row[3]}")
sys.exit(e.done())
