#!/usr/bin/env bash
# Golden end-to-end test (STYLE: a deterministic simulation's whole output is the best
# regression oracle): run tests/e2e/golden_small.json and diff `cfsim dump --summary` and
# `cfsim dump --jobs` exactly against the reviewed files beside it; also with 1 and 2 threads.
# usage: golden.sh CFSIM_BINARY SOURCE_DIR [--update]
set -eu
cfsim=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for threads in 1 2; do
  "$cfsim" run "$src/tests/e2e/golden_small.json" -o "$work/g$threads.h5" --threads $threads -q
  "$cfsim" dump "$work/g$threads.h5" --summary > "$work/summary$threads.csv"
  "$cfsim" dump "$work/g$threads.h5" --jobs > "$work/jobs$threads.csv"
done
if [ "${3:-}" = "--update" ]; then
  cp "$work/summary1.csv" "$src/tests/e2e/golden_small.summary.csv"
  cp "$work/jobs1.csv" "$src/tests/e2e/golden_small.jobs.csv"
  echo "updated the golden files: review the diff before committing"
  exit 0
fi
diff -u "$src/tests/e2e/golden_small.summary.csv" "$work/summary1.csv"
diff -u "$src/tests/e2e/golden_small.jobs.csv" "$work/jobs1.csv"
# Byte-identical numbers whatever the thread count (DESIGN §2).
cmp "$work/summary1.csv" "$work/summary2.csv"
cmp "$work/jobs1.csv" "$work/jobs2.csv"
echo "golden: summary and jobs match exactly (1 and 2 threads)"
