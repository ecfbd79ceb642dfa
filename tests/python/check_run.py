#!/usr/bin/python3
"""Reads a real `cfsim run` result (the default scenario) with h5py and pandas.read_hdf, the
way a researcher would, and checks it against the run's own invariants and the CSV that
`cfsim dump --summary` printed for the same file.

usage: check_run.py RESULT_H5 DUMP_CSV
"""
import math
import sys

import h5py
import numpy as np
import pandas as pd

path, dump_csv = sys.argv[1], sys.argv[2]
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


with h5py.File(path, "r") as f:
    for attr in ("cfsim_version", "git_sha", "scenario_json", "scenario_sha256", "seed",
                 "catalog_sha256", "schema_version", "carbon_zone", "carbon_signal"):
        check(attr in f.attrs, f"root attribute {attr} missing")
    t = f["/time"][:]
    check(f["/time"].attrs["units"] in ("seconds since 1970-01-01 00:00:00",
                                        b"seconds since 1970-01-01 00:00:00"), "/time units")
    check(len(t) == 720 and np.all(np.diff(t) == 3600), "/time is 720 hourly cells")
    runs = [r.decode() if isinstance(r, bytes) else r for r in f["/run"][:]]
    check(len(runs) == 6, f"6 runs expected, got {len(runs)}")
    co2e = f["/series/co2e_kg"]
    check(co2e.shape == (6, 720), f"/series/co2e_kg shape {co2e.shape}")
    check(co2e.attrs["units"] in ("kg", b"kg"), "co2e_kg units")
    energy_units = f["/series/energy_kwh"].attrs["units"]
    check(energy_units in ("kW h", b"kW h"), f"energy_kwh units {energy_units!r}")
    series_co2e = co2e[:].sum(axis=1)

summary = pd.read_hdf(path, "/tables/summary")
jobs = pd.read_hdf(path, "/tables/jobs")
dump = pd.read_csv(dump_csv)
check(len(summary) == 6, "summary has 6 rows")
check(list(summary["name"]) == runs, "summary rows follow /run")
# The per-cell series add up to the totals of the summary (same file, two layouts).
for i in range(6):
    check(math.isclose(series_co2e[i], summary["co2e_operational_kg"][i], rel_tol=1e-12),
          f"run {i}: series sum {series_co2e[i]} != summary {summary['co2e_operational_kg'][i]}")
# `cfsim dump --summary` prints what pandas reads (12 significant digits).
for col in ("co2e_operational_kg", "cost_usd", "savings_co2e_pct", "energy_kwh"):
    for a, b in zip(summary[col], dump[col]):
        check((math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-11),
              f"{col}: pandas {a} vs dump {b}")
baseline = summary[summary["is_baseline"] == 1]
check(set(baseline["label"]) == {"always_on", "no_wait"}, "baselines are always_on and no_wait")
check(len(jobs) == 6 * 300, f"jobs table has {len(jobs)} rows, expected 1800")
check((jobs["wait_h"] >= 0).all(), "no negative waits")

if errors:
    print("check_run.py: " + "\n  ".join(errors))
    sys.exit(1)
print(f"check_run.py: {path}: h5py and pandas agree with the summary ({len(jobs)} job rows)")
