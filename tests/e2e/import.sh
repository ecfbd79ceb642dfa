#!/usr/bin/env bash
# `cfsim import` end to end: real and fixture files of each format become canonical CSV, which
# re-imports to byte-identical text (the canonical form is a fixed point); bad input is exit 65
# with no output left; an unknown format is exit 64.
# usage: import.sh CFSIM_BINARY SOURCE_DIR
set -u
cfsim=$1
src=$2
shared=$src/../shared/data
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

carbon() { # name format input [options...]: import, then re-import the tidy output
  local name=$1 format=$2 input=$3
  shift 3
  if "$cfsim" import "$format" "$input" "$@" -o "$work/$name.csv" 2>"$work/err" &&
     "$cfsim" import tidy "$work/$name.csv" -o "$work/$name.again.csv" 2>>"$work/err" &&
     cmp -s "$work/$name.csv" "$work/$name.again.csv"; then
    ok "$name ($(($(wc -l < "$work/$name.csv") - 1)) rows, canonical form is a fixed point)"
  else
    bad "$name"; cat "$work/err"
  fi
}
carbon em_portal_es em_portal "$shared/em-portal/ES_2022_hourly.csv" --basis lifecycle
carbon em_live_de em_live "$shared/em-live/DE.csv" --zone DE --label end
carbon lwa_gb two_column "$shared/lwa/gb_ci.csv" --zone GB
carbon watttime watttime_actual "$shared/watttime/watttime2023_caiso-north_actual.csv" --units g_per_kwh
carbon em_api em_api "$src/tests/fixtures/carbon/em_api_de_history.json"
carbon uk_ci uk_ci "$src/tests/fixtures/carbon/uk_ci_intensity.json"

cost() { # name format inputs...
  local name=$1 format=$2
  shift 2
  if "$cfsim" import "$format" "$@" -o "$work/$name.csv" 2>"$work/err" &&
     "$cfsim" import focus "$work/$name.csv" -o "$work/$name.again.csv" 2>>"$work/err" &&
     cmp -s "$work/$name.csv" "$work/$name.again.csv"; then
    ok "$name ($(($(wc -l < "$work/$name.csv") - 1)) rows, FOCUS subset is a fixed point)"
  else
    bad "$name"; cat "$work/err"
  fi
}
cost focus_sample focus "$shared/focus/focus_1.0_sample.csv"
cost cur2 cur2 "$src/tests/fixtures/cost/cur2_small.csv"
cost cost_explorer cost_explorer "$src/tests/fixtures/cost/ce_hourly_page1.json" "$src/tests/fixtures/cost/ce_hourly_page2.json"

printf 'Time,Carbon Intensity\n2020-01-01 00:00:00,100\n2020-01-01 00:30:00,-5\n' > "$work/neg.csv"
"$cfsim" import two_column "$work/neg.csv" --zone DE -o "$work/neg.out" 2>"$work/err"
code=$?
if [ $code = 65 ] && grep -q "neg.csv:3:" "$work/err" && [ ! -e "$work/neg.out" ] && [ ! -e "$work/neg.out.tmp" ]; then ok "negative intensity: exit 65 at neg.csv:3, no output"; else bad "negative intensity (exit $code)"; cat "$work/err"; fi
"$cfsim" import nosuchformat x -o "$work/x" 2>/dev/null
[ $? = 64 ] && ok "unknown format: exit 64" || bad "unknown format"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
