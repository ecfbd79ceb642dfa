#!/usr/bin/env python3
"""Checks a `pareto` figure's .dat against the result file it was drawn from.

    check_fig_pareto.py RESULT.h5 FIGURE_pareto.dat

Reads /run and /tables/summary with h5py and pandas and asserts, independently of cfsim's C++:
- one row per run that did not fail and has kind fleet or jobs, in file order;
- cost_usd, co2e_kg, co2e_lower_kg, co2e_upper_kg equal <kind>_cost_usd, <kind>_co2e_kg,
  <kind>_co2e_lower_kg, <kind>_co2e_upper_kg bit for bit (the .dat writes the shortest text
  that reads back as the same double); is_baseline and complete as stored;
- point_co2e_kg is co2e_kg for complete runs and NaN (never a number) for incomplete ones;
- on_front is 1 exactly for the complete runs that no other complete run of the same kind and
  group (scenario + seed) matches or beats on both cost and CO2e, strictly on one;
- index 1 lists exactly those runs, with their cost and CO2e, sorted by cost within each
  kind and group.
Exits 1 with a message naming the run and column on the first mismatch.
"""
import math
import sys

from figdat import h5_and_dat, runs_and_summary, split_row


def fail(msg):
    print(f"check_fig_pareto: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def read_blocks(path):
    """Data rows of each gnuplot index block (blocks end at two blank lines)."""
    blocks, blank = [[]], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                blank += 1
                if blank == 2 and blocks[-1]:
                    blocks.append([])
                continue
            blank = 0
            if not line.startswith("#"):
                blocks[-1].append(split_row(line))
    return blocks


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def num(s):
    return float("nan") if s == "NaN" else float(s)


def tex_escape(s):
    out = ""
    for c in s:
        if c in "_%&#${}":
            out += "\\" + c
        elif c == "^":
            out += "\\^{}"
        elif c == "~":
            out += "\\~{}"
        elif c == "\\":
            out += "\\textbackslash{}"
        else:
            out += c
    return out


def seed_part(run):
    last = run.rsplit("/", 1)[-1]
    return last if last.startswith("seed=") else ""


def main():
    h5, dat = h5_and_dat(__doc__)
    runs, summary = runs_and_summary(h5)
    if len(summary) != len(runs):
        fail(f"{h5}: /tables/summary has {len(summary)} rows, /run {len(runs)}")

    want = []
    for i, run in enumerate(runs):
        s = summary.iloc[i]
        if str(s.get("status", "ok")) == "error":
            continue
        kind = str(s["kind"])
        if kind not in ("fleet", "jobs"):
            continue
        complete = int(s["complete"]) != 0 if "complete" in s else True
        group = seed_part(run)
        scenario = str(s.get("scenario", ""))
        if scenario:
            group = scenario + (" " + group if group else "")
        label = str(s.get("label", "")) or str(s["strategy"])
        want.append({
            "run": run, "kind": kind, "strategy": str(s["strategy"]), "label": label,
            "baseline": int(s["is_baseline"]), "complete": complete, "group": group,
            "cost": float(s[f"{kind}_cost_usd"]), "co2e": float(s[f"{kind}_co2e_kg"]),
            "lower": float(s[f"{kind}_co2e_lower_kg"]), "upper": float(s[f"{kind}_co2e_upper_kg"]),
        })
    race = [w for w in want if w["complete"] and math.isfinite(w["cost"]) and math.isfinite(w["co2e"])]
    for w in want:
        w["front"] = w in race and not any(
            b["kind"] == w["kind"] and b["group"] == w["group"] and b["cost"] <= w["cost"]
            and b["co2e"] <= w["co2e"] and (b["cost"] < w["cost"] or b["co2e"] < w["co2e"])
            for b in race)

    blocks = read_blocks(dat)
    rows = blocks[0]
    if len(rows) != len(want):
        fail(f"{dat}: {len(rows)} run rows, the result file has {len(want)} drawable runs")
    for row, w in zip(rows, want):
        r = w["run"]
        if len(row) != 14:
            fail(f"{dat}: row of {r} has {len(row)} columns, want 14")
        texts = {1: w["kind"], 2: w["strategy"], 3: w["label"], 4: r, 13: w["group"],
                 14: tex_escape(w["label"]).replace("\\", "\\\\")}
        for col, val in texts.items():
            if row[col - 1] != val:
                fail(f"{r}: column {col} is '{row[col - 1]}', want '{val}'")
        ints = {5: w["baseline"], 6: int(w["complete"]), 12: int(w["front"])}
        for col, val in ints.items():
            if int(row[col - 1]) != val:
                fail(f"{r}: column {col} is {row[col - 1]}, want {val}")
        point = w["co2e"] if w["complete"] else float("nan")
        nums = {7: w["cost"], 8: w["co2e"], 9: w["lower"], 10: w["upper"], 11: point}
        for col, val in nums.items():
            if not same(num(row[col - 1]), val):
                fail(f"{r}: column {col} is {row[col - 1]}, the result file holds {val!r}")

    front = sorted((w for w in want if w["front"]),
                   key=lambda w: (w["kind"], w["group"], w["cost"], -w["co2e"], w["run"]))
    got = blocks[1] if len(blocks) > 1 else []
    if [g[4] for g in got] != [w["run"] for w in front]:
        fail(f"front block lists {[g[4] for g in got]}, want {[w['run'] for w in front]}")
    for g, w in zip(got, front):
        if g[0] != w["kind"] or g[1] != w["group"] or num(g[2]) != w["cost"] or num(g[3]) != w["co2e"]:
            fail(f"front row {g} does not match {w['run']}: cost {w['cost']!r}, CO2e {w['co2e']!r}")
    print(f"check_fig_pareto: OK: {len(rows)} runs, {len(front)} on the front ({dat})")


if __name__ == "__main__":
    main()
