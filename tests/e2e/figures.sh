#!/usr/bin/env bash
# Every figure of `cfsim plot` end to end (docs/figures.md), for the default scenario and for a
# two-parameter sweep: each is written in all four formats, its .gp replays with plain gnuplot
# without a warning, its .dat holds the result file's numbers (tests/python/check_fig_<name>.py,
# one checker per figure; a figure without a checker fails), and the LaTeX of the tex format
# compiles (when pdflatex is installed: bootstrap.sh test installs it).
# usage: figures.sh CFSIM SOURCE_DIR
set -euo pipefail
cfsim=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
py=/usr/bin/python3

# The figure names (the one list is kFigures in sim/plot/plot.cpp).
figures=$("$cfsim" plot --list | cut -d" " -f1 | tr "\n" " ")
[ -n "$figures" ] || fail "cfsim plot --list names no figures"
echo "figures: $figures"

"$cfsim" run "$src/scenarios/default.json" -o "$work/default.h5" -q
"$cfsim" sweep "$src/scenarios/sweep_zone_wait.json" -o "$work/sweep.h5" --jobs -q

for stem in default sweep; do
  out="$work/fig_$stem"
  "$cfsim" plot "$work/$stem.h5" -o "$out" --format pdf --format png --format svg --format tex \
    >"$work/written_$stem.txt"
  for fig in $figures; do
    base="$out/${stem}_$fig"
    for f in "$base.dat" "$base.gp" "$base.pdf" "$base.png" "$base.svg" "$base-tex.tex" \
      "$base-tex.pdf"; do
      [ -s "$f" ] || fail "$f missing or empty"
      grep -qxF "$f" "$work/written_$stem.txt" || fail "$f not reported by cfsim plot"
    done
    head -c 5 "$base.pdf" | grep -q '%PDF-' || fail "$base.pdf is not a PDF"
    head -c 4 "$base.png" | grep -q 'PNG' || fail "$base.png is not a PNG"
    # The saved script replays on its own, in every format, from another directory.
    for fmt in pdf png svg tex; do
      (cd / && gnuplot -e "fmt='$fmt'; out='$work/replay_${stem}_$fig.$fmt'" "$base.gp") \
        2>"$work/replay.log" || fail "replaying $base.gp as $fmt: $(cat "$work/replay.log")"
      [ ! -s "$work/replay.log" ] || fail "gnuplot warnings replaying $base.gp as $fmt: $(cat "$work/replay.log")"
      [ -s "$work/replay_${stem}_$fig.$fmt" ] || fail "replaying $base.gp as $fmt wrote nothing"
    done
    checker="$src/tests/python/check_fig_$fig.py"
    [ -f "$checker" ] || fail "figure '$fig' has no .dat checker ($checker)"
    PYTHONPATH="$src/tests/python" $py "$checker" "$work/$stem.h5" "$base.dat" || fail "$base.dat does not match $stem.h5"
  done
  # Nothing temporary is left behind.
  if find "$out" -name '*.tmp*' -o -name '.*' -type f | grep -q .; then
    fail "temporary files left in $out: $(find "$out" -name '*.tmp*' -o -name '.*' -type f)"
  fi
done

# The tex format: a document \input-ing every figure compiles.
if command -v pdflatex >/dev/null; then
  for stem in default sweep; do
    doc="$work/fig_$stem/doc.tex"
    {
      echo '\documentclass{article}\usepackage{graphicx}\usepackage{color}\begin{document}'
      for fig in $figures; do echo "\\input{${stem}_$fig-tex.tex}\\clearpage"; done
      echo '\end{document}'
    } >"$doc"
    (cd "$work/fig_$stem" && pdflatex -interaction=nonstopmode -halt-on-error doc.tex \
      >"$work/latex.log" 2>&1) || fail "pdflatex failed on the tex figures of $stem: $(grep -A3 '^!' "$work/fig_$stem/doc.log" | head -20)"
  done
else
  echo "pdflatex not installed: the tex figures were written and replayed but not compiled"
fi
echo "figures: all checks passed"
