#!/usr/bin/env bash
# `mpirun -np 2 cfsim sweep` gives the file one process writes (docs/scaling.md).
# usage: sweep_mpi.sh CFSIM SOURCE_DIR
set -euo pipefail
cfsim=$1
src=$2
sc="$src/scenarios/sweep_wait.json"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Containers run CI as root; OpenMPI refuses that unless told.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
"$cfsim" sweep "$sc" -o "$work/one.h5" -j 1 -q
mpirun --oversubscribe -np 2 "$cfsim" sweep "$sc" -o "$work/mpi.h5" -j 1 -q
/usr/bin/python3 "$src/tests/python/compare_results.py" "$work/one.h5" "$work/mpi.h5"
echo "sweep_mpi: ok"
