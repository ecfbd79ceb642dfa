#!/usr/bin/python3
"""An independent plain-Python implementation of the GAIA simulations
(../shared/published/gaia.md, cited as §), run on the same inputs as a cfsim result file and
compared with it: carbon, cost and waiting of every run to 1e-9 relative, every dispatch (job,
piece, start step, capacity), and the figure tables.

Written from the spec, not from cfsim's C++: the queue is Python's own heapq (the original's
binary heap) with items that compare by key only; passes in which nothing can be dispatched are
simulated literally until the queue's order repeats (then skipped by the period); carbon sums
are numpy cumulative sums (strictly in time order); Ecovisor's threshold is numpy.quantile;
WaitAwhile is a stable argsort.

usage: gaia_reference.py SCENARIO_JSON RESULT_H5
"""
import heapq
import json
import math
import os
import sys

import h5py
import numpy as np
import pandas as pd

STEPS_PER_HOUR = 720
ON_DEMAND = 0.0624
SPOT = 0.01248
REL = 1e-9

scenario_path, h5_path = sys.argv[1], sys.argv[2]
scenario = json.load(open(scenario_path))
base = os.path.dirname(scenario_path)
faithful = scenario["variant"] == "faithful"
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
        if len(errors) < 30:
            print("MISMATCH:", msg)


# ---- inputs (§2, §3) ------------------------------------------------------------------------
trace = pd.read_csv(os.path.join(base, scenario["jobs"]))
assert list(trace.columns) == ["arrival_time", "length", "cpus"]
carbon_cfg = scenario["carbon"]
column = {"LCA": "Carbon Intensity gCO₂eq/kWh (LCA)",
          "direct": "Carbon Intensity gCO₂eq/kWh (direct)"}[carbon_cfg.get("column", "LCA")]
export = pd.read_csv(os.path.join(base, carbon_cfg["file"]))
starts = carbon_cfg["start_index"]
starts = starts if isinstance(starts, list) else [starts]


def ci_steps(start_index):
    first = carbon_cfg["base_offset"] + start_index
    hourly = export[column].to_numpy(dtype=float)[first:first + 720]
    assert len(hourly) == 720 and not np.isnan(hourly).any()
    return np.repeat(hourly / 1000 / 720, STEPS_PER_HOUR)


class Job:
    pass


jobs = []
for i, (arr, length, cpus) in enumerate(trace.itertuples(index=False)):
    j = Job()
    j.id = i
    j.a = math.trunc(arr / 5)
    j.L = math.trunc(length / 5)
    j.ell = length / 5
    j.c = int(cpus)
    j.long = j.L >= 1440
    j.short_class = j.ell / 720 <= 2
    jobs.append(j)
short_ells = [j.ell for j in jobs if j.ell <= 1440]
long_ells = [j.ell for j in jobs if j.ell >= 1440]
E_short = math.trunc(sum(short_ells) / len(short_ells)) if short_ells else 0
E_long = math.trunc(sum(long_ells) / len(long_ells)) if long_ells else 0
for j in jobs:
    j.E = E_long if j.long else E_short


def window(ci, s, n):
    """Σ ci_step[s .. s+n) added in time order."""
    assert s + n <= len(ci)
    return float(np.cumsum(ci[s:s + n])[-1])


# ---- policies (§5, §6.2) --------------------------------------------------------------------
def offset(ci, policy, t, j, W):
    H = len(ci)
    if policy == "lowest":
        if W == 0:
            return 0
        return int(np.argmin(ci[t:min(t + W, H - 1) + 1]))
    X = j.L if policy in ("oracle", "cst_oracle") else j.E
    last_visible = min(t + max(j.L, j.E) + W, H - 1)
    cands = [o for o in range(0, W + 1, 720) if t + o + X - 1 <= last_visible]
    assert cands, "no candidate window"
    C = {o: j.c * window(ci, t + o, X) for o in cands}
    best = cands[0]
    if policy in ("oracle", "waiting"):
        for o in cands:
            if C[o] < C[best]:
                best = o
        return best
    best_score = 0.0
    for o in cands[1:]:
        score = (C[0] - C[o]) / (o + X)
        if score > best_score:
            best, best_score = o, score
    return best


def runs_of(marked_steps, t):
    pieces = []
    for s in marked_steps:
        if pieces and pieces[-1][0] + pieces[-1][1] == s - t:
            pieces[-1][1] += 1
        else:
            pieces.append([s - t, 1])
    return pieces


def wait_awhile(ci, t, L, W):
    win = ci[t:t + L + W]
    assert len(win) == L + W
    chosen = np.sort(np.argsort(win, kind="stable")[:L]) + t
    return runs_of(chosen, t)


def ecovisor(ci, t, L, W):
    theta = np.quantile(ci[t:t + 17280], 0.3)
    win = ci[t:t + L + W]
    assert len(win) == L + W
    not_below = ~(win < theta)
    idle = not_below & (np.cumsum(not_below) <= W)  # the first W non-below steps idle
    chosen = np.nonzero(~idle)[0][:L] + t
    assert len(chosen) == L
    return runs_of(chosen, t)


KIND = {"carbon": "window", "carbon-spot": "window", "carbon-cost": "window",
        "carbon-cost-spot": "window", "cost": "cost", "suspend-resume": "wa",
        "suspend-resume-spot": "wa", "suspend-resume-threshold": "eco",
        "suspend-resume-spot-threshold": "eco"}


class Entry:
    __slots__ = ("job", "piece", "pieces", "key", "release", "L", "c", "short_class", "sort")

    def __lt__(self, other):  # the original compares keys only (§7)
        return self.sort < other.sort


def entries_for(ci, kind, policy, waits):
    A, B = (int(x) for x in waits.split("x"))
    out = []
    for j in jobs:
        W = (B if j.long else A) * 720
        pieces = None
        if kind == "window":
            rel = j.a + offset(ci, policy, j.a, j, W)
        elif kind == "cost":
            rel = j.a + W
        else:
            pieces = (wait_awhile if kind == "wa" else ecovisor)(ci, j.a, j.L, W)
            if len(pieces) == 1:
                rel, pieces = j.a + pieces[0][0], None
        group = []
        if pieces is None:
            group.append((0, 1, rel, j.L, j.short_class))
        else:
            for p, (off, n) in enumerate(pieces):
                sc = j.short_class if kind == "eco" else (n / 720 <= 2)
                group.append((p, len(pieces), j.a + off, n, sc))
        for piece, npieces, rel, n, sc in group:
            e = Entry()
            e.job, e.piece, e.pieces, e.key, e.release, e.L, e.c = j.id, piece, npieces, j.a, rel, n, j.c
            e.short_class = sc
            e.sort = e.key if faithful else (e.key, e.job, e.piece)
            out.append(e)
    return out


# ---- the queue and the dispatch loop (§4, §6.1, §7) ---------------------------------------
def one_pass(heap):
    popped = [heapq.heappop(heap) for _ in range(len(heap))]
    new = []
    for e in popped:
        heapq.heappush(new, e)
    return new


def idle_passes(heap, k):
    """k passes that dispatch nothing, simulated until the order repeats."""
    keys = [e.sort for e in heap]
    if k <= 0 or len(set(keys)) == len(keys):
        return heap
    start = [id(e) for e in heap]
    cur = heap
    for i in range(k):
        cur = one_pass(cur)
        if [id(e) for e in cur] == start:
            for _ in range(k % (i + 1)):
                cur = one_pass(cur)
            return cur
    return cur


def simulate(ci, entries, mode, R):
    spot = "spot" in mode
    early_any = mode in ("carbon-cost", "cost")
    early_long = mode == "carbon-cost-spot"
    by_job = {}
    for e in entries:
        by_job.setdefault(e.job, []).append(e)
    heap, returns, rows = [], [], []
    free, last, nxt = R, -1, 0
    res = dict(carbon=0.0, cost=0.0, last_dispatch=0, last_finish=0)
    while nxt < len(jobs) or heap:
        cands = [jobs[nxt].a] if nxt < len(jobs) else []
        if heap:
            cands.append(min(e.release for e in heap))
            if (early_any or early_long) and returns:
                cands.append(returns[0][0])
        t = min(cands)
        heap = idle_passes(heap, t - last - 1)
        while returns and returns[0][0] <= t:
            free += heapq.heappop(returns)[1]
        while nxt < len(jobs) and jobs[nxt].a == t:
            for e in by_job[nxt]:
                heapq.heappush(heap, e)
            nxt += 1
        survivors = []
        for _ in range(len(heap)):
            e = heapq.heappop(heap)
            due = t >= e.release
            early = (not due and (early_any or (early_long and not e.short_class))
                     and free >= e.c)
            if not due and not early:
                survivors.append(e)
                continue
            carbon = e.c * window(ci, t, e.L)
            if spot and e.short_class and not (not faithful and free >= e.c):
                cap, cost = "spot", e.c * e.L * (SPOT / 720)
            elif free >= e.c:
                cap, cost = "reserved", 0.0
                free -= e.c
                heapq.heappush(returns, (t + e.L + (1 if faithful else 0), e.c))
            else:
                cap, cost = "on_demand", e.c * e.L * (ON_DEMAND / 720)
            res["carbon"] += carbon
            res["cost"] += cost
            res["last_dispatch"] = max(res["last_dispatch"], t)
            res["last_finish"] = max(res["last_finish"], t + e.L)
            rows.append((e.job, e.piece, t, e.L, cap, e.key, carbon))
        heap = []
        for e in survivors:
            heapq.heappush(heap, e)
        last = t
    fee_steps = res["last_dispatch"] if faithful else res["last_finish"]
    res["cost"] += R * 0.4 * fee_steps * (ON_DEMAND / 720)
    if faithful:
        res["waiting_steps"] = sum(r[2] - r[5] for r in rows) / len(rows)
    else:
        end = {}
        for job, piece, t, L, cap, a, c in rows:
            end[job] = max(end.get(job, 0), t + L)
        res["waiting_steps"] = sum(end[j.id] - j.a - j.L for j in jobs) / len(jobs)
    res["rows"] = rows
    return res


# ---- every run of the file ----------------------------------------------------------------
worst = [0.0]


def close(a, b):
    if a != b:
        worst[0] = max(worst[0], abs(a - b) / max(abs(a), abs(b)))
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)


summary = pd.read_hdf(h5_path, "/tables/summary")
dispatch = pd.read_hdf(h5_path, "/tables/dispatch")
check(E_short == 454 and E_long == 5221 and sum(not j.long for j in jobs) == 715
      or scenario["jobs"].find("pai_1k") < 0, f"pai_1k checksums: E {E_short} {E_long}")
runs = []
for si in starts:
    for r in scenario["runs"]:
        Rs = r["reserved_cores"] if isinstance(r["reserved_cores"], list) else [r["reserved_cores"]]
        for R in Rs:
            runs.append((si, r["mode"], r.get("policy", "-"), r["waits"], R))
check(len(runs) == len(summary), f"{len(runs)} runs in the file, {len(summary)} in the result")

decision_cache, results = {}, []
ci_cache = {si: ci_steps(si) for si in starts}
for k, (si, mode, policy, waits, R) in enumerate(runs):
    name = (f"gaia/{mode}/{policy}/R={R},waits={waits}"
            f"{',start=' + str(si) if isinstance(carbon_cfg['start_index'], list) else ''}/-")
    row = summary.iloc[k]
    check(row["name"] == name, f"run {k}: name {row['name']} != {name}")
    key = (si, KIND[mode], policy, waits)
    if key not in decision_cache:
        decision_cache[key] = entries_for(ci_cache[si], KIND[mode], policy, waits)
    res = simulate(ci_cache[si], decision_cache[key], mode, R)
    results.append(res)
    check(close(res["carbon"], row["carbon_g"]), f"{name}: carbon {res['carbon']!r} vs {row['carbon_g']!r}")
    check(close(res["cost"], row["cost_usd"]), f"{name}: cost {res['cost']!r} vs {row['cost_usd']!r}")
    check(close(res["waiting_steps"] / 720, row["waiting_mean_h"]),
          f"{name}: waiting {res['waiting_steps'] / 720!r} vs {row['waiting_mean_h']!r}")
    d = dispatch[dispatch["run"] == k]
    mine = [(j, p, t, cap) for j, p, t, L, cap, a, c in res["rows"]]
    theirs = list(zip(d["job_id"], d["piece"], d["start_step"],
                      [c.decode() if isinstance(c, bytes) else c for c in d["capacity"]]))
    check(mine == theirs, f"{name}: dispatch order/starts/capacities differ "
                          f"(first difference at row "
                          f"{next((i for i, (x, y) in enumerate(zip(mine, theirs)) if x != y), min(len(mine), len(theirs)))})")
    print(f"{name:58s} carbon {res['carbon']:.9f} g  cost {res['cost']:.9f} $  "
          f"waiting {res['waiting_steps'] / 720:.6f} h")

# ---- figure tables (§8) ---------------------------------------------------------------------
def find(si, mode, policy, waits, R):
    return runs.index((si, mode, policy, waits, R))


def norm(k):
    si = runs[k][0]
    ref = find(si, "carbon", "oracle", "0x0", 0)
    return (results[k]["carbon"] / results[ref]["carbon"], results[k]["cost"] / results[ref]["cost"],
            results[k]["waiting_steps"] / 720)


with h5py.File(h5_path, "r") as f:
    tables = set(f["tables"].keys())
figures = scenario.get("figures", ["fig8", "fig9", "fig10", "fig11", "fig12"])
BARS = {
    "fig8": [("carbon", "oracle", "0x0", 0), ("carbon", "lowest", "6x24", 0),
             ("carbon", "waiting", "6x24", 0), ("carbon", "cst_average", "6x24", 0),
             ("suspend-resume-threshold", "-", "6x24", 0), ("suspend-resume", "-", "6x24", 0)],
    "fig10": [("carbon", "oracle", "0x0", 9), ("cost", "-", "6x24", 9),
              ("suspend-resume", "-", "6x24", 9), ("suspend-resume-threshold", "-", "6x24", 9),
              ("carbon", "cst_average", "6x24", 9), ("carbon-cost", "cst_average", "6x24", 9)],
    "fig12": [("carbon", "cst_average", "6x24", 0), ("carbon-spot", "cst_average", "6x24", 0),
              ("suspend-resume-spot-threshold", "-", "6x24", 0),
              ("carbon-cost-spot", "cst_average", "6x24", 9),
              ("carbon-cost-spot", "cst_average", "6x24", 6)],
}
for fig in figures:
    check(fig in tables, f"/tables/{fig} missing")
    t = pd.read_hdf(h5_path, f"/tables/{fig}")
    if fig in BARS:
        for si in starts:
            vals = [norm(find(si, *b)) for b in BARS[fig]]
            mx = [max(v[i] for v in vals) for i in range(3)]
            sub = t[t["start_index"] == si]
            for i, v in enumerate(vals):
                check(close(v[0], sub["normalized_carbon"].iloc[i]), f"{fig} bar {i} carbon")
                check(close(v[2], sub["waiting_h"].iloc[i]), f"{fig} bar {i} waiting")
                check(close(v[2] / mx[2], sub["waiting_rescaled"].iloc[i]), f"{fig} bar {i} waiting/max")
                if fig != "fig8":
                    check(close(v[1], sub["normalized_cost"].iloc[i]), f"{fig} bar {i} cost")
                    check(close(v[0] / mx[0], sub["carbon_rescaled"].iloc[i]), f"{fig} bar {i} carbon/max")
                    check(close(v[1] / mx[1], sub["cost_rescaled"].iloc[i]), f"{fig} bar {i} cost/max")
    elif fig == "fig11":
        for si in starts:
            sub = t[t["start_index"] == si]
            for i, R in enumerate(range(0, 25, 3)):
                v = norm(find(si, "carbon" if R == 0 else "carbon-cost", "cst_average", "6x24", R))
                check(close(v[0], sub["normalized_carbon"].iloc[i]) and
                      close(v[1], sub["normalized_cost"].iloc[i]) and
                      close(v[2], sub["waiting_h"].iloc[i]), f"fig11 R={R}")
    elif fig == "fig9":
        for si in starts:
            ref = results[find(si, "carbon", "oracle", "0x0", 0)]["rows"]
            pol = results[find(si, "carbon", "cst_average", "6x24", 0)]["rows"]
            ref_by_id = {r[0]: r[6] for r in ref}
            pol_by_id = {r[0]: r[6] for r in pol}
            sub = t[t["start_index"] == si]
            for join, col in (("position", "cdf_position_join"), ("id", "cdf_id_join")):
                saved = pd.Series({j.id: (ref[j.id][6] if join == "position" else ref_by_id[j.id])
                                   - pol_by_id[j.id] for j in jobs})
                minutes = pd.Series({j.id: j.L // 12 for j in jobs})
                grouped = saved.groupby(minutes).sum().sort_index()
                cdf = grouped.cumsum() / grouped.sum()
                check(list(grouped.index) == list(sub["minutes"]), f"fig9 minutes ({join})")
                check(np.allclose(cdf.to_numpy(), sub[col].to_numpy(), rtol=1e-9, atol=1e-12),
                      f"fig9 CDF ({join} join)")

print(f"gaia_reference: {len(runs)} runs, {len(figures)} figure tables compared; "
      f"{len(errors)} mismatches; largest relative difference {worst[0]:.3g}")
sys.exit(1 if errors else 0)
