#!/usr/bin/env bash
# Let's Wait Awhile end to end (scenarios/published/lets_wait_awhile/, docs/reproducing.md):
#  1. the shipped experiment files validate;
#  2. an independent NumPy implementation of the spec (tests/python/lwa_reference.py) draws the
#     original's noise (numpy default_rng(seed).normal(0, sigma, N)) into a noise file, runs
#     cfsim on Scenarios I and II, faithful and clean, all three regions, seeds 0..2, and compares
#     every number (decisions bit-exact via integer fingerprints, floats to 1e-9);
#  3. the shipped Scenario II gives byte-identical summaries with 1 and 2 threads.
# usage: published_lwa.sh CFSIM_BINARY SOURCE_DIR
set -euo pipefail
cfsim=$1
src=$2
data=$src/../shared/data/lwa
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT

for f in "$src"/scenarios/published/lets_wait_awhile/*.json; do
  "$cfsim" validate "$f"
done

/usr/bin/python3 "$src/tests/python/lwa_reference.py" --cfsim "$cfsim" --data "$data" \
  --workdir "$d/ref" --seeds 3

s2=$src/scenarios/published/lets_wait_awhile/scenario2.json
"$cfsim" run "$s2" -o "$d/j1.h5" -q -j 1
"$cfsim" run "$s2" -o "$d/j2.h5" -q -j 2
if ! cmp <("$cfsim" dump "$d/j1.h5" --summary) <("$cfsim" dump "$d/j2.h5" --summary); then
  echo "FAIL: scenario2.json gives different summaries with 1 and 2 threads"
  exit 1
fi
echo "ok: 1 and 2 threads give identical summaries"
