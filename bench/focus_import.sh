#!/usr/bin/env bash
# The 1 GB FOCUS import of issue 5 (docs/performance.md, "End to end"): `cfsim import focus`
# against pandas `read_csv` in chunks, on the real FOCUS 1.0 sample scaled up. Prints wall time,
# MB/s (10^6 bytes of input per second) and peak resident memory for each run, and checks that
# the 250 MB and 1 GB outputs are the same rows (the 1 GB file is the 250 MB one's body, longer).
# Not part of ctest: it writes ~1.6 GB to the temporary folder and takes a minute or more.
#
# usage: bench/focus_import.sh [CFSIM_BINARY] [RUNS]
#   CFSIM_BINARY  default build/sim/cfsim (relative to the repository)
#   RUNS          repeats of each measurement, default 3
# Files: $TMPDIR/focus_1g.csv and $TMPDIR/focus_250m.csv (TMPDIR default /tmp), generated when
# missing and kept for the next run; delete them when done.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cfsim=${1:-$here/build/sim/cfsim}
runs=${2:-3}
tmp=${TMPDIR:-/tmp}
sample=$here/../shared/data/focus/focus_1.0_sample.csv
python=/usr/bin/python3 # Debian's, with pandas (python3-pandas)

[ -x "$cfsim" ] || { echo "no cfsim binary at $cfsim (build it, or pass its path)" >&2; exit 66; }
[ -r "$sample" ] || { echo "no FOCUS sample at $sample (shared/ must sit beside the checkout)" >&2; exit 66; }

# Header once, then the sample's data rows again and again until the file passes `bytes`.
make_file() { # path bytes
  [ -s "$1" ] && return
  echo "generating $1 (> $2 bytes) from $sample"
  "$python" -c "import sys; d=open(sys.argv[1],'rb').read(); h=d.index(b'\n')+1; b=d[h:] if d.endswith(b'\n') else d[h:]+b'\n'; f=open(sys.argv[2],'wb'); f.write(d[:h]); n=h
while n<=int(sys.argv[3]): f.write(b); n+=len(b)" "$sample" "$1" "$2"
}
make_file "$tmp/focus_1g.csv" 1000000000
make_file "$tmp/focus_250m.csv" 250000000

# One measured run: prints "label: S s, MB/s, KB peak".
measure() { # label input command...
  local label=$1 input=$2
  shift 2
  local bytes t kb
  bytes=$(stat -c %s "$input")
  /usr/bin/time -f "%e %M" -o "$tmp/focus_bench_time" "$@" >/dev/null 2>"$tmp/focus_bench_err" ||
    { cat "$tmp/focus_bench_err" >&2; exit 1; }
  read -r t kb < "$tmp/focus_bench_time"
  awk -v l="$label" -v t="$t" -v b="$bytes" -v kb="$kb" \
    'BEGIN { printf "%-26s %7.2f s  %6.0f MB/s  %8d KB peak\n", l, t, b / 1e6 / t, kb }'
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for size in 250m 1g; do
  in=$tmp/focus_$size.csv
  for i in $(seq "$runs"); do
    measure "cfsim import focus $size" "$in" "$cfsim" import focus "$in" -o "$tmp/focus_subset_$size.csv"
  done
done
for i in $(seq "$runs"); do
  measure "pandas read_csv 1g" "$tmp/focus_1g.csv" "$python" -c \
    "import pandas as pd; [len(c) for c in pd.read_csv('$tmp/focus_1g.csv', chunksize=200000, low_memory=False)]"
done

# Same rows: the 1 GB output starts with the 250 MB output's rows (the inputs share a prefix).
small=$(stat -c %s "$tmp/focus_subset_250m.csv")
if cmp -s -n "$small" "$tmp/focus_subset_250m.csv" "$tmp/focus_subset_1g.csv"; then
  echo "outputs consistent (the 250 MB output is a prefix of the 1 GB one)"
else
  echo "outputs differ" >&2; exit 1
fi
echo "sha256 of the 1 GB output: $(sha256sum "$tmp/focus_subset_1g.csv" | cut -c1-64)"
rm -f "$tmp/focus_subset_250m.csv" "$tmp/focus_subset_1g.csv" "$tmp/focus_bench_time" "$tmp/focus_bench_err"
