"""Shared by check_fig_sweep.py and check_fig_heatmap.py: reading a result file's summary the
way cfsim's figures do (swept param_* columns, replicate groups), and reading a figure's .dat.

Written independently of sim/plot/sweep_groups.cpp from docs/sweeps.md and
docs/result-schema.md, so the checkers catch a figure that plots something other than what the
HDF5 file holds.
"""
import math
import shlex
import sys

import h5py
import numpy as np
import pandas as pd


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def num_text(v):
    """A double as cfsim's num() writes it: shortest round trip, integers without '.0'."""
    if not math.isfinite(v):
        return "NaN"
    if v == int(v) and abs(v) < 1e16:
        return str(int(v))
    return repr(v)


def same(a, b):
    """Bit-for-bit equality of two doubles, NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def read_summary(path):
    """The summary table with absent fields (/presence/summary = 0) as None."""
    s = pd.read_hdf(path, "/tables/summary")
    with h5py.File(path, "r") as f:
        presence = f["presence/summary"][...] if "presence/summary" in f else None
    runs = []
    cols = list(s.columns)
    for r in range(len(s)):
        row = {}
        for j, c in enumerate(cols):
            if j >= 4 and presence is not None and presence[r, j - 4] == 0:
                continue
            v = s.iloc[r, j]
            if isinstance(v, (np.floating, float)):
                v = float(v)
            elif isinstance(v, (np.integer, int)):
                v = int(v)
            elif isinstance(v, bytes):
                v = v.decode()
            row[c] = v
        runs.append(row)
    return runs


def swept_params(runs):
    """[(name, column, numeric, values)]: param_* columns with more than one value, values
    ascending for numbers and in first-seen order for text."""
    out = []
    for run in runs:
        for c, v in run.items():
            if c.startswith("param_") and c not in [p[1] for p in out]:
                out.append((c[len("param_"):], c, not isinstance(v, str), []))
    for name, col, numeric, values in out:
        for run in runs:
            if col not in run:
                continue
            v = run[col]
            if numeric and (isinstance(v, str) or math.isnan(v)):
                continue
            if v not in values:
                values.append(v)
        if numeric:
            values.sort()
    return [p for p in out if len(p[3]) > 1]


def is_error(run):
    return run.get("status") == "error"


def label_of(run):
    return run.get("label") or run["strategy"]


def metric_value(run, metric):
    if is_error(run) or metric not in run:
        return float("nan")
    v = run[metric]
    return float("nan") if isinstance(v, str) else float(v)


def groups(runs, params, skip_baselines, only):
    """{(label, strategy, value indices): [runs in file order]}, in first-seen order."""
    out = {}
    for run in runs:
        if skip_baselines and run.get("is_baseline") == 1:
            continue
        if only != "all" and label_of(run) != only and run["strategy"] != only:
            continue
        idx = []
        for name, col, numeric, values in params:
            v = run.get(col)
            idx.append(values.index(v) if v in values else -1)
        if -1 in idx:
            continue
        out.setdefault((label_of(run), run["strategy"], tuple(idx)), []).append(run)
    return out


def read_dat(path):
    """(header lines, rows as lists of fields; quoted text is one field)."""
    header, rows = [], []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            if line.startswith("#"):
                header.append(line)
            else:
                rows.append(shlex.split(line))
    return header, rows


def header_value(header, key):
    for h in header:
        if h.startswith("# " + key + ": "):
            return h[len("# " + key + ": "):]
    return None


def value_text(param, i):
    name, col, numeric, values = param
    return num_text(values[i]) if numeric else values[i]
