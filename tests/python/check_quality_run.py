#!/usr/bin/python3
"""Independent check of the per-run data-quality metrics of scenarios/quality_focus_ciso.json:
recomputes the fleet TAC (docs/metrics.md §TAC) from the FOCUS sample with pandas and compares
it with /tables/summary and /tables/quality of the result file.

usage: check_quality_run.py RESULT_H5 FOCUS_CSV
"""
import math
import sys

import numpy as np
import pandas as pd

path, focus = sys.argv[1], sys.argv[2]
start = pd.Timestamp("2023-09-03T00:00:00")
cells = 720
shift = pd.Timedelta(days=-364)  # the scenario's time_shift_days

f = pd.read_csv(focus, keep_default_na=False)
f = f[(f.ResourceId != "NULL") & (f.ChargeCategory == "Usage")]
t0 = pd.to_datetime(f.ChargePeriodStart) + shift
t1 = pd.to_datetime(f.ChargePeriodEnd) + shift
first = ((t0 - start) / pd.Timedelta(hours=1)).apply(math.floor)
last = ((t1 - start) / pd.Timedelta(hours=1)).apply(math.ceil) - 1  # cells overlapped
present = {}
for rid, a, b in zip(f.ResourceId, first, last):
    s = present.setdefault(rid, np.zeros(cells, bool))
    a, b = max(a, 0), min(b, cells - 1)
    if a <= b:
        s[a:b + 1] = True
# The trace (Electricity Maps CAISO 2023) covers every hour of the period: TAC = cost cells / 720.
tac = np.mean([s.sum() / cells for s in present.values()])

summary = pd.read_hdf(path, "/tables/summary")
quality = pd.read_hdf(path, "/tables/quality")
errors = []
for name, frame in (("summary", summary), ("quality", quality)):
    for v in frame["tac_fleet"]:
        if not math.isclose(v, tac, rel_tol=1e-12):
            errors.append(f"{name}: tac_fleet {v} != pandas {tac}")
if not (summary["cost_mape_pairs"] > 0).all():
    errors.append("no Cost-MAPE pairs")
if not summary["cost_mape_pct"].between(0, 1000).all():
    errors.append(f"cost_mape_pct out of range: {list(summary['cost_mape_pct'])}")
if not summary["dps_mean"].between(0, 100).all():
    errors.append("dps_mean outside 0..100")
if errors:
    print("check_quality_run.py: " + "\n  ".join(errors))
    sys.exit(1)
print(f"check_quality_run.py: fleet TAC {tac:.6f} over {len(present)} resources matches pandas")
