#!/usr/bin/env bash
# GAIA re-creation end to end (scenarios/published/gaia/, ../shared/published/gaia.md): runs the
# faithful and the clean grid through `cfsim run`, checks that 1 and 2 threads give the same
# bytes in `cfsim dump`, and compares every run (carbon, cost, waiting to 1e-9 relative, every
# dispatch, the figure tables) with tests/python/gaia_reference.py, an independent plain-Python
# implementation of the spec. Also validates the start-index sweep file.
# usage: published_gaia.sh CFSIM_BINARY SOURCE_DIR
set -eu
cfsim=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dir="$src/scenarios/published/gaia"
for grid in grid grid_clean; do
  "$cfsim" run "$dir/$grid.json" -o "$work/$grid.h5" -q --threads 2
  "$cfsim" run "$dir/$grid.json" -o "$work/${grid}_1.h5" -q --threads 1
  for what in summary jobs; do
    "$cfsim" dump "$work/$grid.h5" --$what > "$work/$grid.$what.csv"
    "$cfsim" dump "$work/${grid}_1.h5" --$what > "$work/${grid}_1.$what.csv"
    cmp "$work/$grid.$what.csv" "$work/${grid}_1.$what.csv"
  done
  /usr/bin/python3 "$src/tests/python/gaia_reference.py" "$dir/$grid.json" "$work/$grid.h5" > "$work/$grid.ref.txt" \
    || { cat "$work/$grid.ref.txt"; exit 1; }
  tail -n 1 "$work/$grid.ref.txt"
done
"$cfsim" validate "$dir/start_sweep.json"
echo "published_gaia: faithful and clean grids match the Python reference; 1 and 2 threads agree"
