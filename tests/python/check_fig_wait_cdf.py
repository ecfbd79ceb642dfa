#!/usr/bin/python3
"""The `wait_cdf` figure's .dat holds the result file's waiting times (docs/figures.md#wait_cdf).

usage: check_fig_wait_cdf.py RESULT_H5 WAIT_CDF_DAT

Recomputes every group from /tables/jobs (wait_h, deadline_missed) and /tables/summary:
- the groups cover exactly the runs that have status ok, kind 'jobs' and at least one job row;
  a group's runs share strategy, label and (unless the header says every point is pooled) their
  param_* values;
- per group: jobs with a known wait, unknown (NaN) waits, deadline misses, and the allowed wait
  (param_max_wait_h, else the scenario's jobs.max_wait_h; NaN if the runs disagree);
- the ECDF rows (step = 1) are exactly the distinct known waits in ascending order, with the
  number of jobs waiting at most that long and share = that number / jobs (the same IEEE
  division, so equality is exact); the first row is share 0 at the shortest wait, the last the
  full share at the panel's right edge.
A result without job runs (a fleet-only scenario, a sweep written without --jobs) must give a
.dat without rows. Exits 1 naming each mismatch."""
import json
import math
import re
import sys

import h5py
import numpy as np
import pandas as pd

from figdat import Errors, read_dat, same

h5, dat = sys.argv[1], sys.argv[2]
e = Errors("check_fig_wait_cdf")
comments, rows = read_dat(dat)

s = pd.read_hdf(h5, "/tables/summary")
with h5py.File(h5, "r") as f:
    has_jobs = "tables/jobs" in f
    attrs = {k: (v.decode() if isinstance(v, bytes) else str(v)) for k, v in f.attrs.items()}
jobs = pd.read_hdf(h5, "/tables/jobs") if has_jobs else None

# Runs that must be drawn.
job_counts = jobs["run"].value_counts().to_dict() if jobs is not None else {}
expected = set()
for i, run in s.iterrows():
    kind = run["kind"] if "kind" in s.columns else ""
    if run["status"] == "ok" and kind != "fleet" and job_counts.get(i, 0) > 0:
        expected.add(i)

# The scenario's allowed wait, as stored by `cfsim run` (scenario_json) or `cfsim sweep`
# (scenario_text).
scenario_wait = math.nan
for key in ("scenario_json", "scenario_text"):
    if key in attrs:
        try:
            w = json.loads(attrs[key]).get("jobs", {}).get("max_wait_h")
        except (ValueError, AttributeError):
            w = None
        if isinstance(w, (int, float)):
            scenario_wait = float(w)
            break


def allowed_wait(i):
    for col in ("param_max_wait_h", "param_jobs.max_wait_h"):
        if col in s.columns and not math.isnan(float(s.loc[i, col])):
            return float(s.loc[i, col])
    return scenario_wait


group_re = re.compile(
    r'^group (\d+): strategy "([^"]*)", label "([^"]*)", point "([^"]*)", runs ([\d,]*), '
    r"jobs (\d+), unknown_wait (\d+), deadline_misses (\d+), max_wait_h (\S+)$")
groups = {}
for c in comments:
    m = group_re.match(c)
    if m:
        k = int(m.group(1))
        groups[k] = dict(strategy=m.group(2), label=m.group(3), point=m.group(4),
                         runs=[int(x) for x in m.group(5).split(",") if x],
                         jobs=int(m.group(6)), unknown=int(m.group(7)),
                         misses=int(m.group(8)), max_wait=m.group(9))
pooled_points = any("every point is pooled" in c for c in comments)

drawn = set()
for k, g in groups.items():
    e.check(not (drawn & set(g["runs"])), f"group {k}: runs {g['runs']} also in another group")
    drawn |= set(g["runs"])
e.check(drawn == expected,
        f"runs drawn {sorted(drawn)} != job runs with jobs {sorted(expected)}")
if not expected:
    e.check(not rows, f"no job runs, but the .dat has {len(rows)} rows")
    e.check(not groups, f"no job runs, but the .dat names {len(groups)} groups")

params = [c for c in s.columns if c.startswith("param_")]
by_group = {}
for r in rows:
    e.check(len(r) == 5, f"row has {len(r)} columns, expected 5: {r}")
    if len(r) == 5:
        by_group.setdefault(int(r[0]), []).append(r)

for k, g in sorted(groups.items()):
    runs = [r for r in g["runs"] if r in s.index]
    e.check(len(runs) == len(g["runs"]), f"group {k}: runs {g['runs']} not all in the file")
    if not runs:
        continue
    sub = s.loc[runs]
    e.check(set(sub["strategy"]) == {g["strategy"]},
            f"group {k}: strategies {set(sub['strategy'])} != {g['strategy']!r}")
    if "label" in s.columns:
        e.check(set(sub["label"]) == {g["label"]},
                f"group {k}: labels {set(sub['label'])} != {g['label']!r}")
    if not pooled_points:
        for p in params:
            values = {str(v) for v in sub[p]}
            e.check(len(values) == 1, f"group {k}: runs differ in {p}: {values}")
    waits = [allowed_wait(i) for i in runs]
    want_wait = waits[0] if all(same(str(w), waits[0]) for w in waits) else math.nan
    e.check(same(g["max_wait"], want_wait), f"group {k}: max_wait_h {g['max_wait']} != {want_wait}")

    j = jobs[jobs["run"].isin(runs)]
    w = j["wait_h"].to_numpy(dtype=np.float64)
    known = np.sort(w[~np.isnan(w)])
    n = len(known)
    e.check(g["jobs"] == n, f"group {k}: jobs {g['jobs']} != {n}")
    e.check(g["unknown"] == int(np.isnan(w).sum()), f"group {k}: unknown_wait {g['unknown']}")
    misses = int(j["deadline_missed"].astype(int).sum())
    e.check(g["misses"] == misses, f"group {k}: deadline_misses {g['misses']} != {misses}")

    got = by_group.get(k, [])
    if n == 0:
        e.check(not got, f"group {k}: no known wait but {len(got)} rows")
        continue
    steps = [r for r in got if r[4] == "1"]
    distinct, counts = np.unique(known, return_counts=True)
    cum = np.cumsum(counts)
    e.check(len(steps) == len(distinct),
            f"group {k}: {len(steps)} steps != {len(distinct)} distinct waits")
    for r, wv, c in zip(steps, distinct, cum):
        e.check(same(r[1], wv), f"group {k}: step wait {r[1]} != {wv!r}")
        e.check(int(r[2]) == int(c), f"group {k}: jobs_le {r[2]} != {c} at {wv!r}")
        e.check(same(r[3], int(c) / n), f"group {k}: share {r[3]} != {int(c) / n!r} at {wv!r}")
    e.check(len(got) == len(steps) + 2, f"group {k}: {len(got) - len(steps)} aid rows, expected 2")
    if len(got) >= 2:
        first, last = got[0], got[-1]
        e.check(first[4] == "0" and same(first[1], known[0]) and first[2] == "0"
                and same(first[3], 0.0), f"group {k}: first row {first} is not share 0 at "
                f"{known[0]!r}")
        e.check(last[4] == "0" and int(last[2]) == n and same(last[3], 1.0)
                and float(last[1]) >= known[-1], f"group {k}: last row {last}")
    # The drawing order is the data order: steps ascending between the two aid rows.
    e.check([r[4] for r in got] == ["0"] + ["1"] * len(steps) + ["0"],
            f"group {k}: rows out of order")

e.check(set(by_group) <= set(groups), f"rows of unnamed groups {set(by_group) - set(groups)}")
sys.exit(e.done())
