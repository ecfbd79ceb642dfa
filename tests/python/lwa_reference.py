#!/usr/bin/python3
"""An independent NumPy implementation of the Let's Wait Awhile experiments, written from the
specification (../shared/published/lets-wait-awhile.md, sections cited as §n), used to check
cfsim bit-exactly in its decisions.

It prepares the traces itself (§2), draws the noise exactly as the original does (§3:
numpy.random.default_rng(seed).normal(0, sigma, N), sigma = e * mean(ci_true)), writes those
vectors to a cfsim noise file (CSV region,e,seed,slot,noise_g_per_kwh), writes experiment files
that point at it, runs `cfsim run`, reads the HDF5 results with h5py and compares:
  - integers exactly: samples kept, jobs executed/skipped, start-time histograms, decision
    fingerprints (sums of the chosen slot indices and of their squares, per seed and in total);
  - floats to a relative 1e-9: A, E, savings, percentiles, trace statistics, weekly profiles.

usage: lwa_reference.py --cfsim BIN --data DIR --workdir DIR [--seeds 3]
                        [--variants faithful,clean] [--scenarios I,II] [--print]
Exit 0 when everything agrees, 1 otherwise.
"""
import argparse
import json
import math
import os
import subprocess
import sys
import time

import h5py
import numpy as np

REGIONS = ["ger", "gb", "fr"]
SLOT_S = 1800
START = np.datetime64("2020-01-01T00:00:00", "s")
START_EPOCH = 1577836800

# --------------------------------------------------------------------------------------------
# §2 data preparation


def read_trace(path):
    times, values = [], []
    with open(path) as fh:
        header = fh.readline().strip()
        assert header == "Time,Carbon Intensity", header
        for line in fh:
            line = line.strip()
            if not line:
                continue
            t, v = line.split(",")
            times.append(t.replace(" ", "T"))
            values.append(float(v))
    t = np.array(times, dtype="datetime64[s]").astype(np.int64)
    return t, np.array(values)


def prepare(t, v, variant):
    if variant == "faithful":
        keep = t >= START_EPOCH                                      # step 1
        minute = ((t - START_EPOCH) % 3600) // 60
        keep &= (minute == 0) | (minute == 30)                        # step 2: point samples
        tk, vk = t[keep], v[keep]
        expected = START_EPOCH + SLOT_S * np.arange(len(tk))
        assert np.array_equal(tk, expected), "kept samples are not gap-free"  # step 3
        return vk.copy(), {"partial": 0, "tail": 0}
    # clean: each row holds until the next one, at most the source's resolution that day (the
    # most common spacing of the rows starting that calendar day); the last row holds its
    # spacing to the previous row (at most that); time-weighted slot means.
    d = np.diff(t)
    day = t // 86400
    resolution = {}
    for dd in np.unique(day[:-1]):
        vals, counts = np.unique(d[day[:-1] == dd], return_counts=True)
        resolution[dd] = vals[np.argmax(counts)]  # first maximum = the smaller spacing on ties
    to_next = np.append(d, d[-1])
    span = np.array([min(x, resolution.get(dd, x)) for x, dd in zip(to_next, day)])
    end = t + span
    n = int(-(-(end[-1] - START_EPOCH) // SLOT_S))
    weighted = [0.0] * n
    covered = [0] * n
    for ti, ei, vi in zip(t.tolist(), end.tolist(), v.tolist()):
        a, b = max(ti, START_EPOCH), ei
        if a >= b:
            continue
        c = (a - START_EPOCH) // SLOT_S
        while c < n and START_EPOCH + c * SLOT_S < b:
            lo = max(a, START_EPOCH + c * SLOT_S)
            hi = min(b, START_EPOCH + (c + 1) * SLOT_S)
            if hi > lo:
                weighted[c] += vi * float(hi - lo)
                covered[c] += hi - lo
            c += 1
    ci, partial, tail = [], 0, 0
    for k in range(n):
        if covered[k] == SLOT_S:
            ci.append(weighted[k] / covered[k])
        elif k == n - 1 and covered[k] > 0:
            tail += 1
        else:
            assert covered[k] > 0, f"slot {k} uncovered"
            partial += 1
            ci.append(weighted[k] / covered[k])
    return np.array(ci), {"partial": partial, "tail": tail}


# --------------------------------------------------------------------------------------------
# §3 noise (the original's generator)


def noise(ci, e, seed):
    sigma = e * np.mean(ci)
    return np.random.default_rng(seed).normal(0, sigma, len(ci))


def write_noise_file(path, traces, errors, seeds):
    with open(path, "w") as fh:
        fh.write("region,e,seed,slot,noise_g_per_kwh\n")
        for r, ci in traces.items():
            for e in errors:
                for s in range(seeds):
                    eps = noise(ci, e, s)
                    prefix = f"{r},{e!r},{s},"
                    fh.write("".join(f"{prefix}{k},{x!r}\n" for k, x in enumerate(eps.tolist())))


# --------------------------------------------------------------------------------------------
# §5 Scenario I


def nightly_slots(variant):
    jobs = 365 if variant == "faithful" else 366
    return 48 * np.arange(jobs) + 2


def scenario1(ci, seen, w, variant):
    k = nightly_slots(variant)
    lo = k - w
    executed = lo >= 0 if variant == "faithful" else np.ones(len(k), bool)
    lo = np.maximum(lo, 0)
    chosen = np.full(len(k), -1)
    for i in np.nonzero(executed)[0]:
        window = seen[lo[i]:k[i] + w + 1]                 # both ends included: 2w+1 values
        chosen[i] = lo[i] + int(np.argmin(window))        # argmin: the first minimum
    ex = chosen[chosen >= 0]
    divisor = 365 if variant == "faithful" else len(k)
    return {"A": float(np.sum(ci[ex])) / divisor, "chosen": ex, "executed": len(ex),
            "skipped": int(len(k) - len(ex)), "divisor": divisor}


# --------------------------------------------------------------------------------------------
# §6 Scenario II

def parse_jobs(path):
    jobs = []
    with open(path) as fh:
        assert fh.readline().strip() == "job_id,submit_utc,duration_min"
        for line in fh:
            if not line.strip():
                continue
            jid, sub, dur = line.strip().split(",")
            t = int(np.datetime64(sub.rstrip("Z"), "s").astype(np.int64))
            jobs.append((int(jid), (t - START_EPOCH) // SLOT_S, int(dur) // 30))
    return jobs


def deadline(oft, rule, variant):
    """§6.2 with Python's datetime arithmetic on the naive trace clock."""
    import datetime as dt
    if rule == "baseline":
        return oft
    o = dt.datetime(2020, 1, 1) + dt.timedelta(seconds=int(oft - START_EPOCH))
    t = o.hour + (0.5 if o.minute == 30 else 0.0)
    wd = o.weekday()
    nine = lambda days: int(((dt.datetime(o.year, o.month, o.day, 9) + dt.timedelta(days=days))
                             - dt.datetime(2020, 1, 1)).total_seconds()) + START_EPOCH
    if rule == "next_workday":
        if wd == 5:
            return nine(2)
        if wd == 6 or t > 17:
            if variant == "clean" and wd == 4:
                return nine(3)
            return nine(1)
        if t < 9:
            return nine(0)
        return oft
    if (wd == 0 and t > 9) or wd in (1, 2) or (wd == 3 and t <= 9):
        return nine((10 - wd) % 7)
    return nine((7 - wd) % 7)


def flexibility(jobs, rule, variant):
    out = []
    for _, k, n in jobs:
        oft = START_EPOCH + (k + n) * SLOT_S
        dl = deadline(oft, rule, variant)
        assert dl >= oft and (dl - oft) % SLOT_S == 0
        out.append((dl - oft) // SLOT_S)
    return out


def scenario2(ci, seens, jobs, flex, sched, variant):
    """seens: list of seen vectors (one per seed). Returns per-seed E, fingerprints and active."""
    S_count = len(seens)
    seen = np.array(seens)
    active = np.zeros((S_count, len(ci)))
    slot_sum = np.zeros(S_count, dtype=np.int64)
    slot_sq = np.zeros(S_count, dtype=np.int64)
    late = np.zeros(S_count)
    extra = np.zeros(S_count)
    rows = np.arange(S_count)
    for (_, k, n), f in zip(jobs, flex):
        L = n + f + 1 if variant == "faithful" else n + f
        assert k + L <= len(ci)
        S = seen[:, k:k + L]
        if sched == "non_interruptible":
            last = f + 1 if variant == "faithful" else f
            C = np.concatenate([np.zeros((S_count, 1)), np.cumsum(S, axis=1)], axis=1)
            m = (C[:, n:n + last + 1] - C[:, :last + 1]) / n
            j = np.argmin(m, axis=1)
            for s in range(S_count):
                sl = np.arange(k + j[s], k + j[s] + n)
                active[s, sl] += 1
                slot_sum[s] += int(sl.sum())
                slot_sq[s] += int((sl * sl).sum())
            late += j > f
        else:
            theta = np.partition(S, n - 1, axis=1)[:, n - 1]
            for s in range(S_count):
                if variant == "faithful":
                    idx = np.nonzero(S[s] <= theta[s])[0]
                else:
                    idx = np.sort(np.argsort(S[s], kind="stable")[:n])
                sl = k + idx
                active[s, sl] += 1
                slot_sum[s] += int(sl.sum())
                slot_sq[s] += int((sl * sl).sum())
                extra[s] += len(idx) - n
                late[s] += idx[-1] + 1 > n + f
    E = np.array([math.fsum(ci * active[s]) for s in range(S_count)])
    return {"E": E, "slot_sum": slot_sum, "slot_sq": slot_sq, "late": late, "extra": extra,
            "active_mean": active.mean(axis=0)}


def weekly_profile(ci, active):
    k = np.arange(len(ci))
    t = START_EPOCH + k * SLOT_S
    days = t // 86400
    wd = (days + 3) % 7                        # 1970-01-01 was a Thursday
    b = wd * 48 + (t % 86400) // SLOT_S
    return np.array([np.mean((ci * active)[b == i]) for i in range(336)])


# --------------------------------------------------------------------------------------------
# Driver

class Checker:
    def __init__(self):
        self.failures = []
        self.checked = 0

    def eq(self, what, want, got):
        self.checked += 1
        if want != got:
            self.failures.append(f"{what}: reference {want!r}, cfsim {got!r}")

    def close(self, what, want, got, rel=1e-9):
        self.checked += 1
        if not (math.isclose(want, got, rel_tol=rel, abs_tol=1e-9)):
            self.failures.append(f"{what}: reference {want!r}, cfsim {got!r}")


def read_table(f, name):
    d = f["/tables/" + name][()]
    out = {}
    for col in d.dtype.names:
        v = d[col]
        out[col] = [x.decode() for x in v] if v.dtype.kind == "S" else v
    return out


def pct(values, p):
    return float(np.percentile(np.array(values), p))


def run_cfsim(cfsim, scen_path, out):
    t0 = time.time()
    subprocess.run([cfsim, "run", scen_path, "-o", out, "-q"], check=True)
    return time.time() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cfsim", required=True)
    ap.add_argument("--data", required=True, help="folder with ger_ci.csv, ..., ml_jobs.csv")
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--variants", default="faithful,clean")
    ap.add_argument("--scenarios", default="I,II")
    ap.add_argument("--print", action="store_true", help="print the reference numbers")
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    chk = Checker()
    raw = {r: read_trace(os.path.join(a.data, f"{r}_ci.csv")) for r in REGIONS}
    jobs_path = os.path.join(a.data, "ml_jobs.csv")
    jobs = parse_jobs(jobs_path)
    seeds = a.seeds
    for variant in a.variants.split(","):
        traces, meta = {}, {}
        for r in REGIONS:
            traces[r], meta[r] = prepare(*raw[r], variant)
        noise_path = os.path.join(a.workdir, f"noise_{variant}.csv")
        errors_noisy = [0.05, 0.1]
        write_noise_file(noise_path, traces, errors_noisy, seeds)
        seen = {(r, e, s): traces[r] + noise(traces[r], e, s)
                for r in REGIONS for e in errors_noisy for s in range(seeds)}
        base = {"experiment": "lets_wait_awhile", "mode": variant,
                "regions": {r: os.path.join(a.data, f"{r}_ci.csv") for r in REGIONS},
                "seeds": seeds, "noise_file": noise_path}
        for scen in a.scenarios.split(","):
            spec = dict(base)
            if scen == "I":
                spec.update(name=f"ref1_{variant}", scenario="I", errors=[0, 0.05],
                            windows=list(range(17)), histogram_window=16)
            else:
                spec.update(name=f"ref2_{variant}", scenario="II", errors=[0, 0.05, 0.1],
                            jobs=jobs_path, deadlines=["next_workday", "semi_weekly"],
                            scheduling=["non_interruptible", "interruptible"])
            sp = os.path.join(a.workdir, f"{spec['name']}.json")
            with open(sp, "w") as fh:
                json.dump(spec, fh, indent=1)
            out = os.path.join(a.workdir, f"{spec['name']}.h5")
            secs = run_cfsim(a.cfsim, sp, out)
            print(f"cfsim run {spec['name']}: {secs:.2f} s", flush=True)
            with h5py.File(out, "r") as f:
                summ = read_table(f, "summary")
                seeds_t = read_table(f, "lwa_seeds")
                stats = read_table(f, "lwa_trace_stats")
                for i, r in enumerate(stats["region"]):
                    chk.eq(f"{variant} {r} slots", len(traces[r]), int(stats["slots"][i]))
                    chk.close(f"{variant} {r} mean", float(np.mean(traces[r])),
                              float(stats["mean_g_per_kwh"][i]), 1e-12)
                    chk.eq(f"{variant} {r} partial slots", meta[r]["partial"],
                           int(stats["partial_slots"][i]))
                    ct = traces[r]
                    k = np.arange(len(ct))
                    wd = ((START_EPOCH + k * SLOT_S) // 86400 + 3) % 7
                    chk.close(f"{variant} {r} weekday mean", float(np.mean(ct[wd < 5])),
                              float(stats["weekday_mean_g_per_kwh"][i]), 1e-12)
                    chk.close(f"{variant} {r} weekend mean", float(np.mean(ct[wd >= 5])),
                              float(stats["weekend_mean_g_per_kwh"][i]), 1e-12)
                names = summ["name"]
                if scen == "I":
                    check_scenario1(chk, a, variant, traces, seen, seeds, f, summ, seeds_t, names)
                else:
                    check_scenario2(chk, a, variant, traces, seen, seeds, jobs, f, summ, seeds_t,
                                    names)
    print(f"{chk.checked} values compared, {len(chk.failures)} differ")
    for m in chk.failures[:40]:
        print("DIFF", m)
    return 1 if chk.failures else 0


def check_scenario1(chk, a, variant, traces, seen, seeds, f, summ, seeds_t, names):
    hist = read_table(f, "lwa_start_histogram")
    for i, name in enumerate(names):
        r = summ["region"][i]
        e = float(summ["e"][i])
        w = int(summ["window_slots"][i])
        ci = traces[r]
        runs = [scenario1(ci, ci if e == 0 else seen[(r, e, s)], w, variant)
                for s in (range(seeds) if e > 0 else [None])]
        base = [scenario1(ci, ci, 0, variant)]
        A0 = float(np.mean([x["A"] for x in base]))
        As = [x["A"] for x in runs]
        A = float(np.mean(As))
        sav = [100 * (1 - x / A0) for x in As]
        chk.close(f"{name} A", A, float(summ["mean_ci_g_per_kwh"][i]))
        chk.close(f"{name} savings", 100 * (1 - A / A0), float(summ["savings_pct"][i]))
        for p in (5, 50, 95):
            chk.close(f"{name} A p{p}", pct(As, p), float(summ[f"mean_ci_g_per_kwh_p{p}"][i]))
            chk.close(f"{name} savings p{p}", pct(sav, p), float(summ[f"savings_p{p}_pct"][i]))
        chk.eq(f"{name} executed", runs[0]["executed"], int(summ["jobs_executed"][i]))
        chk.eq(f"{name} skipped", runs[0]["skipped"], int(summ["jobs_skipped"][i]))
        chk.eq(f"{name} divisor", runs[0]["divisor"], int(summ["divisor"][i]))
        chk.eq(f"{name} slot sum", sum(int(x["chosen"].sum()) for x in runs),
               int(summ["decision_slot_sum"][i]))
        chk.eq(f"{name} slot sq sum", sum(int((x["chosen"] ** 2).sum()) for x in runs),
               int(summ["decision_slot_sq_sum"][i]))
        rows = [j for j, rr in enumerate(seeds_t["run"]) if rr == i]
        chk.eq(f"{name} per-seed slot sums", [int(x["chosen"].sum()) for x in runs],
               [int(seeds_t["decision_slot_sum"][j]) for j in rows])
        if w == 16:
            hrows = [j for j, rr in enumerate(hist["run"]) if rr == i]
            counts = np.array([np.bincount(x["chosen"] % 48, minlength=48) for x in runs])
            chk.eq(f"{name} histogram", counts.mean(axis=0).tolist(),
                   [float(hist["count_mean"][j]) for j in hrows])
        if a.print and w in (0, 4, 8, 12, 16):
            print(f"  {name}: A = {A:.4f}, savings = {100 * (1 - A / A0):.2f} %")


def check_scenario2(chk, a, variant, traces, seen, seeds, jobs, f, summ, seeds_t, names):
    weekly = read_table(f, "lwa_weekly_profile")
    flex = {d: flexibility(jobs, d, variant) for d in ("baseline", "next_workday", "semi_weekly")}
    E_base = {}
    for r in REGIONS:
        E_base[r] = float(scenario2(traces[r], [traces[r]], jobs, flex["baseline"],
                                    "non_interruptible", variant)["E"][0])
    for i, name in enumerate(names):
        r = summ["region"][i]
        e = float(summ["e"][i])
        d = summ["deadline"][i]
        sched = summ["scheduling"][i]
        ci = traces[r]
        seens = [ci] if e == 0 else [seen[(r, e, s)] for s in range(seeds)]
        res = scenario2(ci, seens, jobs, flex[d], sched, variant)
        Es = res["E"].tolist()
        E = float(np.mean(Es))
        sav = [100 * (1 - x / E_base[r]) for x in Es]
        chk.close(f"{name} E", E, float(summ["emission_score"][i]))
        chk.close(f"{name} savings", 100 * (1 - E / E_base[r]), float(summ["savings_pct"][i]))
        for p in (5, 50, 95):
            chk.close(f"{name} savings p{p}", pct(sav, p), float(summ[f"savings_p{p}_pct"][i]))
        chk.eq(f"{name} slot sum", int(res["slot_sum"].sum()), int(summ["decision_slot_sum"][i]))
        chk.eq(f"{name} slot sq sum", int(res["slot_sq"].sum()),
               int(summ["decision_slot_sq_sum"][i]))
        chk.close(f"{name} late", float(res["late"].mean()), float(summ["late_jobs"][i]))
        chk.close(f"{name} extra slots", float(res["extra"].mean()), float(summ["extra_slots"][i]))
        rows = [j for j, rr in enumerate(seeds_t["run"]) if rr == i]
        chk.eq(f"{name} per-seed slot sums", res["slot_sum"].tolist(),
               [int(seeds_t["decision_slot_sum"][j]) for j in rows])
        wrows = [j for j, rr in enumerate(weekly["run"]) if rr == i]
        prof = weekly_profile(ci, res["active_mean"])
        got = np.array([float(weekly["emission_rate"][j]) for j in wrows])
        chk.checked += 1
        if not np.allclose(prof, got, rtol=1e-9, atol=1e-9):
            chk.failures.append(f"{name} weekly profile differs (max abs "
                                f"{np.max(np.abs(prof - got))})")
        if a.print:
            print(f"  {name}: E = {E:.6g}, savings = {100 * (1 - E / E_base[r]):.2f} %")


if __name__ == "__main__":
    sys.exit(main())
