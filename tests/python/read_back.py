#!/usr/bin/python3
"""Reads a cfsim result file from Python the way users will (docs/result-schema.md).

usage: read_back.py RESULT_H5 [CFSIM_STORE_FIXTURE]

RESULT_H5 is the file `cfsim_store_fixture write` produced from tests/sim/store_fixture.hpp;
the known values below mirror that fixture. With the fixture program given, it also checks
that cfsim's reader rejects HDF5 files that are not cfsim result files.

Checks: h5py (root attributes, /time CF units and values, /run, /series shapes, units, chunking,
filters and dimension scales, /presence, the extra table /tables/quality), pandas.read_hdf of
/tables/summary, /tables/jobs and /tables/quality (PyTables "generic table"), and xarray with the
h5netcdf engine when both are installed. With the fixture program, also that a jobs table
written before co2e_filled_share existed still reads.
Exits 1 with a message naming each mismatch.
"""

import math
import os
import subprocess
import sys
import tempfile
import warnings

try:
    import h5py
    import numpy as np
    import pandas as pd
    import tables  # noqa: F401  (pandas.read_hdf needs PyTables)
except ImportError as e:
    print(f"read_back.py: {e} (install python3-h5py python3-pandas python3-tables)")
    sys.exit(1)

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print(f"FAIL: {what}")


def same_floats(got, want):
    """Exact comparison, NaN equal to NaN, -0.0 distinct from 0.0."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    return got.shape == want.shape and np.array_equal(got.view(np.int64), want.view(np.int64))


NAN = math.nan
T0 = 1585440000  # 2020-03-29T00:00:00Z
TIME_UNITS = "seconds since 1970-01-01 00:00:00"
RUNS = ["demo/always_on/seed=1", "demo/lowest_slot/wait_h=6/seed=1", "demo/broken/seed=1"]
SERIES = {
    "intensity_g_per_kwh": (
        "g kW-1 h-1",
        [[300.0, NAN, 250.5, 0.001], [1e300, -2.5, NAN, 4.0], [NAN] * 4],
    ),
    "fleet_running": ("1", [[1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 1.0, 0.0], [NAN] * 4]),
}
SUMMARY_COLUMNS = ["name", "strategy", "status", "message", "energy_kwh",
                   "co2e_operational_kg", "jobs", "zone", "blind_decisions"]
SUMMARY_UNITS = ["", "", "", "", "kW h", "kg", "1", "", "1"]
JOB_COLUMNS = ["run", "job_id", "arrival_s", "start_s", "end_s", "pieces", "cpus", "wait_h",
               "energy_kwh", "co2e_g", "co2e_coverage", "co2e_filled_share", "cost_usd",
               "deadline_missed", "blind", "capacity", "region", "interruptions", "lost_work_h",
               "unfinished_work_h"]
# Job columns added after the first files were written (read as their "nothing" value).
LATER_JOB_COLUMNS = ["co2e_filled_share", "capacity", "region", "interruptions", "lost_work_h",
                     "unfinished_work_h"]
# The fixture's extra table /tables/quality (ResultSet::tables).
QUALITY_COLUMNS = ["run", "trace", "source", "filled_share", "cells"]
QUALITY_UNITS = ["", "", "", "1", "1"]


def check_h5py(path):
    with h5py.File(path, "r") as f:
        a = f.attrs
        check(a.get("schema_version") == "1", f"schema_version is {a.get('schema_version')!r}")
        check(a.get("tool_version") == "0.1.0", "tool_version")
        check(a.get("seed") == "42", "seed attribute")
        check("gr\u00fc\u00df" in a.get("scenario_json", ""), "scenario_json lost its UTF-8")
        check((int(a["grid_start_s"]), int(a["grid_step_s"]), int(a["grid_n"])) == (T0, 3600, 4),
              "grid attributes")

        t = f["time"]
        check(t.dtype == np.int64, f"/time dtype {t.dtype}")
        check(list(t[...]) == [T0 + 3600 * i for i in range(4)], f"/time values {t[...]}")
        check(t.attrs.get("units") == TIME_UNITS, f"/time units {t.attrs.get('units')!r}")
        check(t.attrs.get("calendar") == "standard", "/time calendar")
        check(h5py.h5ds.is_scale(t.id), "/time is not a dimension scale")

        r = f["run"]
        check(r.dtype.kind == "S", f"/run is not fixed-length strings ({r.dtype})")
        check([x.decode() for x in r[...]] == RUNS, f"/run values {r[...]}")
        check(h5py.h5ds.is_scale(r.id), "/run is not a dimension scale")

        check(list(f["series"]) == list(SERIES), f"/series members {list(f['series'])}")
        for name, (units, rows) in SERIES.items():
            d = f["series"][name]
            check(d.shape == (3, 4), f"/series/{name} shape {d.shape}")
            check(d.dtype == np.float64, f"/series/{name} dtype {d.dtype}")
            check(d.attrs.get("units") == units, f"/series/{name} units {d.attrs.get('units')!r}")
            check(d.chunks == (1, 4), f"/series/{name} chunks {d.chunks}")
            check(d.compression == "gzip" and d.compression_opts == 4 and d.shuffle,
                  f"/series/{name} filters")
            dims = [[s.name for s in d.dims[i].values()] for i in range(2)]
            check(dims == [["/run"], ["/time"]], f"/series/{name} dimension scales {dims}")
            check(same_floats(d[...], rows), f"/series/{name} values {d[...]}")

        check(list(f["presence/series"][...]) == [1, 1, 0], "/presence/series")
        check(f["presence/summary"][...].tolist() == [[1, 1, 1, 1, 0], [1, 1, 1, 0, 1],
                                                      [0, 0, 0, 0, 0]], "/presence/summary")
        su = [str(u) for u in f["tables/summary"].attrs["units"]]
        check(su == SUMMARY_UNITS, f"/tables/summary units {su}")
        ju = [str(u) for u in f["tables/jobs"].attrs["units"]]
        check(len(ju) == len(JOB_COLUMNS) and ju[2] == TIME_UNITS and ju[8] == "kW h",
              f"/tables/jobs units {ju}")

        check(list(f["tables"]) == ["summary", "jobs", "quality"],
              f"/tables members {list(f['tables'])}")
        qt = f["tables/quality"]
        check(qt.shape == (3,), f"/tables/quality shape {qt.shape}")
        check(list(qt.dtype.names) == QUALITY_COLUMNS, f"/tables/quality columns {qt.dtype.names}")
        check(qt.dtype["run"] == np.int64 and qt.dtype["filled_share"] == np.float64,
              f"/tables/quality dtypes {qt.dtype}")
        check(qt.dtype["trace"].kind == "S" and qt.dtype["source"].kind == "S",
              "/tables/quality strings are not fixed-length")
        check(qt.compression == "gzip" and qt.shuffle, "/tables/quality filters")
        qu = [str(u) for u in qt.attrs["units"]]
        check(qu == QUALITY_UNITS, f"/tables/quality units {qu}")


def check_pandas(path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a PyTables/pandas warning is a schema problem
        s = pd.read_hdf(path, "/tables/summary")
        j = pd.read_hdf(path, "/tables/jobs")

    check(list(s.columns) == SUMMARY_COLUMNS, f"summary columns {list(s.columns)}")
    check(len(s) == 3, f"summary rows {len(s)}")
    check(list(s["name"]) == RUNS, f"summary name {list(s['name'])}")
    check(list(s["strategy"]) == ["always_on", "lowest_slot", "broken"], "summary strategy")
    check(list(s["status"]) == ["ok", "ok", "error"], f"summary status {list(s['status'])}")
    check(s["message"][2] == "strategy 'broken' failed: forecast window is empty",
          f"summary message {s['message'][2]!r}")
    check(same_floats(s["energy_kwh"], [12.5, -0.0, NAN]), f"energy_kwh {list(s['energy_kwh'])}")
    check(same_floats(s["co2e_operational_kg"], [NAN, 1e-300, NAN]), "co2e_operational_kg")
    check(s["jobs"].dtype == np.int64, f"jobs dtype {s['jobs'].dtype}")
    check(list(s["jobs"]) == [3, -9007199254740993, 0], f"jobs {list(s['jobs'])}")
    check(list(s["zone"]) == ["DE", "", ""], f"zone {list(s['zone'])}")
    check(list(s["blind_decisions"]) == [0, 2, 0], "blind_decisions")

    check(list(j.columns) == JOB_COLUMNS, f"jobs columns {list(j.columns)}")
    check(len(j) == 3, f"jobs rows {len(j)}")
    check(list(j["run"]) == [0, 0, 1], f"jobs run {list(j['run'])}")
    check(list(j["job_id"]) == [7, 8, 9], "jobs job_id")
    check(list(j["start_s"]) == [T0, T0 + 7200, T0 + 10800], "jobs start_s")
    check(j["pieces"].dtype == np.int32 and list(j["pieces"]) == [1, 2, 3], "jobs pieces")
    check(same_floats(j["energy_kwh"], [0.25, 0.125, 1.5]), "jobs energy_kwh")
    check(same_floats(j["cost_usd"], [0.192, 0.048, 1.25]), "jobs cost_usd")
    check(j["deadline_missed"].dtype == np.int8, "jobs deadline_missed dtype")
    check(list(j["deadline_missed"]) == [0, 0, 1] and list(j["blind"]) == [0, 0, 1],
          "jobs deadline_missed / blind")
    check(same_floats(j["co2e_filled_share"], [0.0, 0.25, 0.125]), "jobs co2e_filled_share")
    # Jobs join to the summary through the run index.
    names = [RUNS[i] for i in j["run"]]
    check(names == [RUNS[0], RUNS[0], RUNS[1]], "jobs run index does not join to /run")

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        qt = pd.read_hdf(path, "/tables/quality")
    check(list(qt.columns) == QUALITY_COLUMNS, f"quality columns {list(qt.columns)}")
    check(list(qt["run"]) == [0, 1, 2] and qt["run"].dtype == np.int64, "quality run")
    check(list(qt["trace"]) == ["carbon"] * 3, f"quality trace {list(qt['trace'])}")
    check(list(qt["source"]) == ["synthetic:DE", "", "Stadtwerke M\u00fcnchen"],
          f"quality source {list(qt['source'])}")
    check(same_floats(qt["filled_share"], [0.25, -0.0, NAN]), "quality filled_share")
    check(list(qt["cells"]) == [4, -1, 9007199254740993], f"quality cells {list(qt['cells'])}")


def check_xarray(path):
    try:
        import xarray as xr
        import h5netcdf  # noqa: F401
    except ImportError:
        print("xarray/h5netcdf not installed: xarray check skipped")
        return
    with xr.open_dataset(path, engine="h5netcdf") as root:
        check(str(root["time"].values[0])[:19] == "2020-03-29T00:00:00",
              f"xarray time {root['time'].values[0]}")
        check(root.sizes["run"] == 3, "xarray run dimension")
        with xr.open_dataset(path, engine="h5netcdf", group="series") as ser:
            ser = ser.assign_coords(time=root["time"], run=root["run"].astype(str))
            v = ser["intensity_g_per_kwh"]
            check(v.dims == ("run", "time"), f"xarray series dims {v.dims}")
            check(v.attrs.get("units") == "g kW-1 h-1", "xarray series units")
            check(float(v.sel(run=RUNS[0]).isel(time=2)) == 250.5, "xarray series value")
    print("xarray (h5netcdf) read-back ok")


def check_rejects(fixture):
    """cfsim's reader refuses HDF5 files that are not cfsim result files (exit 65)."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.h5")
        with h5py.File(plain, "w") as f:
            f["x"] = np.arange(3)
        future = os.path.join(tmp, "future.h5")
        with h5py.File(future, "w") as f:
            f.attrs["schema_version"] = "2"
        for path, words in [(plain, "no schema_version"), (future, "schema version")]:
            p = subprocess.run([fixture, "read", path], capture_output=True, text=True)
            check(p.returncode == 65, f"reading {path}: exit {p.returncode}, expected 65")
            check(path in p.stderr and words in p.stderr, f"reading {path}: message {p.stderr!r}")


def check_old_jobs_table(fixture):
    """A file written before /tables/jobs had co2e_filled_share and the capacity columns still
    reads (they read as 0, "on_demand", ""): adding a column does not change the schema
    version."""
    with tempfile.TemporaryDirectory() as tmp:
        old = os.path.join(tmp, "old.h5")
        with open(sys.argv[1], "rb") as src, open(old, "wb") as dst:
            dst.write(src.read())
        with h5py.File(old, "r+") as f:
            jobs = f["tables/jobs"][...]
            units = [str(u) for u in f["tables/jobs"].attrs["units"]]
            keep = [n for n in jobs.dtype.names if n not in LATER_JOB_COLUMNS]
            del f["tables/jobs"]
            f["tables"].create_dataset("jobs", data=jobs[keep].copy())
            f["tables/jobs"].attrs["units"] = [u for n, u in zip(jobs.dtype.names, units)
                                               if n not in LATER_JOB_COLUMNS]
        p = subprocess.run([fixture, "read", old], capture_output=True, text=True)
        check(p.returncode == 0 and "runs=3" in p.stdout,
              f"reading a jobs table without co2e_filled_share: exit {p.returncode}, "
              f"{p.stdout!r} {p.stderr!r}")


def main():
    if len(sys.argv) not in (2, 3):
        print(__doc__)
        return 64
    path = sys.argv[1]
    if not os.path.exists(path):
        print(f"FAIL: {path} does not exist (run cfsim_store_fixture write first)")
        return 1
    sections = [("h5py", check_h5py, path), ("pandas.read_hdf", check_pandas, path),
                ("xarray", check_xarray, path)]
    if len(sys.argv) == 3:
        sections.append(("cfsim reader", check_rejects, sys.argv[2]))
        sections.append(("cfsim reader, old jobs table", check_old_jobs_table, sys.argv[2]))
    for name, fn, arg in sections:
        try:
            fn(arg)
        except Exception as e:  # a reader that raises is a failed check, reported as one
            check(False, f"{name} raised {type(e).__name__}: {e}")
    if FAILURES:
        print(f"read_back.py: {len(FAILURES)} check(s) failed for {path}")
        return 1
    print(f"read_back.py: {path} reads back correctly with h5py and pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
