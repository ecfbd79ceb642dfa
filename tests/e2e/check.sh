#!/usr/bin/env bash
# `cfsim check` and `cfsim table` end to end (docs/check.md, docs/tables.md):
# - the default scenario's result passes tests/golden/default.golden.json (exit 0, every line
#   PASS, the count line), `--write-golden` then `check` round-trips;
# - a perturbed golden value fails (exit 1, its FAIL line, "N-1 passed, 1 failed"), a golden
#   naming a run the file lacks fails, a malformed golden is an error naming file and line;
# - `table` in LaTeX, CSV and markdown on the default result (booktabs rules, units in the
#   headers, escaped underscores, known values) and grouped over the seeds of a small sweep
#   (means checked against pandas); with pdflatex installed, the LaTeX table is compiled.
# usage: check.sh CFSIM SOURCE_DIR
set -euo pipefail
cfsim=$1
src=$2
golden="$src/tests/golden/default.golden.json"
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$cfsim" run "$src/scenarios/default.json" -o "$work/d.h5" -q

# --- check: the committed golden passes --------------------------------------------------------
n=$($py -c "import json,sys; g=json.load(open(sys.argv[1])); print(sum(len(m) for m in g['runs'].values()))" "$golden")
[ "$n" -gt 100 ] || fail "the golden file should hold every summary field of 6 runs, has $n"
"$cfsim" check "$work/d.h5" --golden "$golden" >"$work/out" ||
  fail "default result fails its golden: $(grep '^FAIL' "$work/out" | head -5)"
[ "$(grep -c '^PASS ' "$work/out")" -eq "$n" ] || fail "one PASS line per golden metric ($n)"
[ "$(tail -1 "$work/out")" = "$n passed, 0 failed" ] || fail "count line: $(tail -1 "$work/out")"
grep -q '^PASS default/office_hours/lag_min=5/seed=42 energy_kwh: expected 85.13963282' "$work/out" ||
  fail "PASS line format: $(grep energy_kwh "$work/out" | head -1)"

# --- check: a perturbed value fails --------------------------------------------------------------
# always_on's energy × (1 + 1e-6): 1e-6 relative is 1000 × the golden's 1e-9 tolerance.
$py - "$golden" "$work/perturbed.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
g["runs"]["default/always_on/-/seed=42"]["energy_kwh"] *= 1 + 1e-6
json.dump(g, open(sys.argv[2], "w"), indent=2)
PY
set +e
"$cfsim" check "$work/d.h5" --golden "$work/perturbed.json" >"$work/out"
rc=$?
set -e
[ $rc -eq 1 ] || fail "a perturbed golden should exit 1, got $rc"
[ "$(grep -c '^FAIL ' "$work/out")" -eq 1 ] || fail "exactly one FAIL line: $(grep '^FAIL' "$work/out")"
grep -Eq '^FAIL default/always_on/-/seed=42 energy_kwh: expected 182\.0797[0-9]+, actual 182\.0795297[0-9]+, \|diff\| 0\.000182 > tolerance 1\.82e-07 \(abs 0 \+ rel 1e-09 \* \|expected\|\)$' "$work/out" ||
  fail "FAIL line: $(grep '^FAIL' "$work/out")"
[ "$(tail -1 "$work/out")" = "$((n - 1)) passed, 1 failed" ] || fail "count line: $(tail -1 "$work/out")"
# --failures-only prints the FAIL line and the count only.
set +e
"$cfsim" check "$work/d.h5" --golden "$work/perturbed.json" --failures-only >"$work/out"
set -e
[ "$(wc -l <"$work/out")" -eq 2 ] || fail "--failures-only: $(cat "$work/out")"

# --- check: a run the file lacks fails, never passes silently ------------------------------------
$py - "$golden" "$work/missing.json" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
g["runs"]["default/no_such_strategy/-/seed=42"] = {"energy_kwh": 1.0, "label": "x"}
json.dump(g, open(sys.argv[2], "w"), indent=2)
PY
set +e
"$cfsim" check "$work/d.h5" --golden "$work/missing.json" >"$work/out"
rc=$?
set -e
[ $rc -eq 1 ] || fail "a golden naming a missing run should exit 1, got $rc"
grep -qx 'FAIL default/no_such_strategy/-/seed=42 energy_kwh: expected 1 (run not in the result file)' "$work/out" ||
  fail "missing-run line: $(grep '^FAIL' "$work/out")"
[ "$(tail -1 "$work/out")" = "$n passed, 2 failed" ] || fail "count line: $(tail -1 "$work/out")"

# --- check: a malformed golden names the file and the line ---------------------------------------
# Drop the comma after the first metric of the first run: nlohmann stops at the next key, on the
# following line.
line=$($py - "$golden" "$work/broken.json" <<'PY'
import sys
lines = open(sys.argv[1]).read().split("\n")
i = next(k for k, l in enumerate(lines) if l.strip().startswith('"scenario":'))
lines[i] = lines[i].rstrip(",")
open(sys.argv[2], "w").write("\n".join(lines))
print(i + 2)  # 1-based line of the next key
PY
)
set +e
"$cfsim" check "$work/d.h5" --golden "$work/broken.json" >"$work/out" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 65 ] || fail "a malformed golden should exit 65 (bad data), got $rc"
grep -q "broken.json:$line: JSON syntax error" "$work/err" || fail "error should name broken.json:$line: $(cat "$work/err")"
# A structural mistake: a negative tolerance, on the line of "default".
sed 's/"default": {"rel": 1e-09, "abs": 0}/"default": {"rel": -1, "abs": 0}/' "$golden" >"$work/neg.json"
line=$(grep -n '"default": {"rel": -1' "$work/neg.json" | cut -d: -f1)
set +e
"$cfsim" check "$work/d.h5" --golden "$work/neg.json" >/dev/null 2>"$work/err"
rc=$?
set -e
[ $rc -eq 65 ] || fail "a negative tolerance should exit 65, got $rc"
grep -q "neg.json:$line: /tolerances/default/rel: expected a finite number >= 0, got -1" "$work/err" ||
  fail "negative tolerance message: $(cat "$work/err")"
set +e
"$cfsim" check "$work/d.h5" --golden "$work/nowhere.json" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 66 ] || fail "a missing golden file should exit 66, got $rc"

# --- check --write-golden round trip --------------------------------------------------------------
"$cfsim" check "$work/d.h5" --write-golden "$work/w.json" --metrics energy_kwh savings_co2e_pct \
  --runs 'wait_awhile|ecovisor' --rel-tol 1e-6 --abs-tol 0.001 2>/dev/null
grep -q '"default": {"rel": 1e-06, "abs": 0.001}' "$work/w.json" ||
  fail "tolerances written: $(grep default "$work/w.json")"
"$cfsim" check "$work/d.h5" --golden "$work/w.json" >"$work/out"
[ "$(tail -1 "$work/out")" = "4 passed, 0 failed" ] || fail "written golden: $(cat "$work/out")"

# --- table: LaTeX on the default result -----------------------------------------------------------
"$cfsim" table "$work/d.h5" --format latex -o "$work/t.tex"
sha=$($py -c "import h5py, sys; print(h5py.File(sys.argv[1], 'r').attrs['scenario_sha256'])" "$work/d.h5")
[ ${#sha} -eq 64 ] || fail "scenario_sha256 attribute: '$sha'"
for want in '\toprule' '\midrule' '\bottomrule' '\begin{tabular}{lrrrrr}' \
  'run & energy (kW\,h) & co2e operational (kg) & cost (USD) & savings co2e (\%) & savings cost (\%) \\' \
  'default/office\_hours/lag\_min=5/seed=42 & ' '% Needs only \usepackage{booktabs}' \
  "scenario sha256 $sha"; do
  grep -qF -- "$want" "$work/t.tex" || fail "LaTeX table lacks '$want':
$(cat "$work/t.tex")"
done
# always_on: energy 182.08 kW h, energy-model bounds 150.66–215.08 → 0 decimals (largest |x| of
# the column 182), +33 (215.08 − 182.08 = 33.00), −31 (182.08 − 150.66 = 31.42).
grep -qF 'default/always\_on/-/seed=42 & $182^{+33}_{-31}$ & ' "$work/t.tex" ||
  fail "always_on row: $(grep always "$work/t.tex")"
"$cfsim" table "$work/d.h5" --caption 'Default scenario.' --label tab:default -o "$work/tf.tex"
grep -qF '\caption{Default scenario. ' "$work/tf.tex" && grep -qF '\label{tab:default}' "$work/tf.tex" ||
  fail "table float: $(cat "$work/tf.tex")"

# --- table: CSV keeps every digit ------------------------------------------------------------------
"$cfsim" table "$work/d.h5" --format csv >"$work/t.csv"
head -1 "$work/t.csv" | grep -qF 'run,energy_kwh (kW h),energy_kwh lower (kW h),energy_kwh upper (kW h),co2e_operational_kg (kg),' ||
  fail "CSV header: $(head -1 "$work/t.csv")"
$py - "$work/t.csv" "$work/d.h5" <<'PY' || fail "CSV values are not the stored doubles"
import sys, pandas as pd
csv = pd.read_csv(sys.argv[1], float_precision="round_trip")
s = pd.read_hdf(sys.argv[2], "/tables/summary")
assert list(csv["run"]) == list(s["name"]), (list(csv["run"]), list(s["name"]))
for col, field in [("energy_kwh (kW h)", "energy_kwh"), ("energy_kwh lower (kW h)", "energy_model_lower_kwh"),
                   ("co2e_operational_kg (kg)", "co2e_operational_kg"), ("cost_usd (USD)", "cost_usd"),
                   ("savings_cost_pct (%)", "savings_cost_pct")]:
    assert (csv[col].to_numpy() == s[field].to_numpy()).all(), col  # bit-identical via %.17g
PY

# --- table: markdown -----------------------------------------------------------------------------
"$cfsim" table "$work/d.h5" --format markdown --metrics co2e_operational_kg wait_mean_h forecast >"$work/t.md"
grep -qxF '| run | co2e_operational_kg (kg) | wait_mean_h (h) | forecast |' "$work/t.md" ||
  fail "markdown header: $(cat "$work/t.md")"
grep -qxF '|---|---:|---:|---|' "$work/t.md" || fail "markdown alignment row"
# lowest_window: co2e 87.06 kg (2 decimals would be 4 figures; column max 88.3 → 1 decimal),
# model bounds 72.00–102.95 → +15.9 / −15.1; wait 6.33 h (column max 6.33 → 2 decimals).
grep -qxF '| default/lowest_window/-/seed=42 | 87.1 +15.9/−15.1 | 6.33 | gaussian(e=0.05) |' "$work/t.md" ||
  fail "markdown row: $(grep lowest "$work/t.md")"

# --- table: a small sweep grouped over its seeds --------------------------------------------------
"$cfsim" sweep "$src/scenarios/sweep_wait.json" --filter '/(no_wait|lowest_window)/max_wait_h=(3|24)/' -o "$work/s.h5" -q
"$cfsim" table "$work/s.h5" --group-by label param_max_wait_h --metrics co2e_operational_kg wait_mean_h >"$work/s.tex"
grep -qF 'label & param max wait h & $n$ & co2e operational (kg) & wait mean (h) \\' "$work/s.tex" ||
  fail "grouped header: $(cat "$work/s.tex")"
grep -qF '% Each row: mean over its n runs; bounds: minimum and maximum over those runs.' "$work/s.tex" ||
  fail "grouped note"
grep -qF 'lowest\_window & 24 & 3 & $' "$work/s.tex" || fail "grouped row: $(cat "$work/s.tex")"
"$cfsim" table "$work/s.h5" --group-by label param_max_wait_h --metrics co2e_operational_kg wait_mean_h -f csv >"$work/s.csv"
$py - "$work/s.csv" "$work/s.h5" <<'PY' || fail "grouped CSV differs from pandas' groupby"
import sys, pandas as pd
t = pd.read_csv(sys.argv[1], float_precision="round_trip")
s = pd.read_hdf(sys.argv[2], "/tables/summary")
g = s.groupby(["label", "param_max_wait_h"], sort=False)
assert len(t) == 4 and (t["n"] == 3).all(), t
for _, row in t.iterrows():
    runs = g.get_group((row["label"], row["param_max_wait_h"]))
    for col, f in [("co2e_operational_kg (kg)", "co2e_operational_kg"), ("wait_mean_h (h)", "wait_mean_h")]:
        assert abs(row[col] - runs[f].mean()) <= 1e-12 * abs(runs[f].mean()), (row, f)
        assert row[col.replace(" (", " lower (")] == runs[f].min()
        assert row[col.replace(" (", " upper (")] == runs[f].max()
PY

# --- LaTeX compiles (only where TeX is installed; nothing is installed for it) -------------------
if command -v pdflatex >/dev/null 2>&1; then
  cat >"$work/doc.tex" <<'TEX'
\documentclass{article}
\usepackage{booktabs}
\begin{document}
\input{t.tex}
\input{tf.tex}
\input{s.tex}
\end{document}
TEX
  (cd "$work" && pdflatex -interaction=nonstopmode -halt-on-error doc.tex >/dev/null) ||
    fail "pdflatex could not compile the tables: $(tail -20 "$work/doc.log")"
else
  echo "check.sh: pdflatex not installed, LaTeX compilation not tested"
fi
echo "check.sh: all passed"
