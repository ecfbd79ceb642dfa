#!/usr/bin/env bash
# `cfsim sweep` end to end (docs/sweeps.md): listing and filtering, the same numbers for any
# thread count, shards + merge and an interrupted + resumed sweep equal to one uninterrupted
# run, merge refusing incomplete or foreign shards, and `run` pointing to `sweep`.
# usage: sweep.sh CFSIM SOURCE_DIR
set -euo pipefail
cfsim=$1
src=$2
sc="$src/scenarios/sweep_wait.json"
cmp_py="/usr/bin/python3 $src/tests/python/compare_results.py"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 4 waits × 3 seeds = 12 points × 6 strategies = 72 runs; the filter keeps 12.
"$cfsim" sweep "$sc" --list >"$work/list.txt"
[ "$(wc -l <"$work/list.txt")" -eq 72 ] || fail "--list should name 72 runs"
[ "$("$cfsim" sweep "$sc" --list --filter '/lowest_window/' | wc -l)" -eq 12 ] || fail "--filter"
grep -qx 'sweep_wait/wait_awhile/max_wait_h=24/seed=3' "$work/list.txt" ||
  fail "run name convention scenario/label/k=v/seed=n"
[ "$("$cfsim" sweep "$sc" --list --shard 2/3 | wc -l)" -eq 24 ] || fail "shard 2/3 has 4 points"

"$cfsim" sweep "$sc" -o "$work/one.h5" -j 1 -q
"$cfsim" sweep "$sc" -o "$work/two.h5" -j 2 -q
$cmp_py "$work/one.h5" "$work/two.h5"
# The expanded parameter is a summary column.
"$cfsim" dump "$work/one.h5" --summary >"$work/summary.csv"
head -1 "$work/summary.csv" | grep -q ',param_max_wait_h,' || fail "param_max_wait_h column"

for k in 1 2 3; do "$cfsim" sweep "$sc" -o "$work/shard$k.h5" --shard "$k/3" -q; done
"$cfsim" merge -o "$work/merged.h5" "$work/shard3.h5" "$work/shard1.h5" "$work/shard2.h5"
$cmp_py "$work/one.h5" "$work/merged.h5"

# Merge refuses a missing shard, a shard given twice and a shard of another filter.
if "$cfsim" merge -o "$work/bad.h5" "$work/shard1.h5" "$work/shard2.h5" 2>"$work/err"; then
  fail "merge without shard 3/3 succeeded"
fi
grep -q "3/3 missing" "$work/err" || fail "missing shard message: $(cat "$work/err")"
if "$cfsim" merge -o "$work/bad.h5" "$work/shard1.h5" "$work/shard1.h5" "$work/shard2.h5" 2>"$work/err"; then
  fail "merge with a duplicate shard succeeded"
fi
grep -q "given twice" "$work/err" || fail "duplicate shard message: $(cat "$work/err")"
"$cfsim" sweep "$sc" -o "$work/other.h5" --filter no_wait --shard 3/3 -q
if "$cfsim" merge -o "$work/bad.h5" "$work/shard1.h5" "$work/shard2.h5" "$work/other.h5" 2>"$work/err"; then
  fail "merge of shards of different filters succeeded"
fi
grep -q "sweep_filter" "$work/err" || fail "foreign shard message: $(cat "$work/err")"
[ ! -e "$work/bad.h5" ] || fail "a refused merge left a file"

# Interrupted after 20 runs (exit 75, the spool kept, no result yet), the last record torn,
# then resumed: the same file as an uninterrupted sweep.
set +e
"$cfsim" sweep "$sc" -o "$work/resumed.h5" -q --max-runs 20
rc=$?
set -e
[ $rc -eq 75 ] || fail "--max-runs should exit 75, got $rc"
[ -s "$work/resumed.h5.spool" ] && [ ! -e "$work/resumed.h5" ] || fail "spool kept, no result"
truncate -s -100 "$work/resumed.h5.spool"
"$cfsim" sweep "$sc" -o "$work/resumed.h5" --resume 2>"$work/log"
grep -q "resuming, 19 of 72 runs" "$work/log" || fail "resume should keep 19 intact runs: $(cat "$work/log")"
[ ! -e "$work/resumed.h5.spool" ] || fail "the spool should be gone after a complete sweep"
$cmp_py "$work/one.h5" "$work/resumed.h5"
# A spool of another sweep is not resumed into this one.
"$cfsim" sweep "$sc" -o "$work/x.h5" -q --max-runs 5 --filter no_wait || true
if "$cfsim" sweep "$sc" -o "$work/x.h5" -q --resume 2>"$work/err"; then
  fail "resumed a spool of another filter"
fi
grep -q "belongs to another sweep" "$work/err" || fail "foreign spool message"

# `run` on a sweep scenario points to `sweep`; `validate` loads every point.
set +e
"$cfsim" run "$sc" -o "$work/r.h5" 2>"$work/err"
rc=$?
set -e
[ $rc -eq 64 ] && grep -q "cfsim sweep" "$work/err" || fail "run on a sweep file: rc $rc"
"$cfsim" validate "$sc" | grep -q "sweep of 12 points, 72 runs" || fail "validate"
echo "sweep: ok"
