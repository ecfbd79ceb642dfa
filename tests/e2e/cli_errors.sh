#!/usr/bin/env bash
# Bad input reaches the user as a clear error with the DESIGN §11 exit code, and no output
# file (nor its .tmp) is left behind; an existing result file is never damaged.
# usage: cli_errors.sh CFSIM_BINARY SOURCE_DIR
set -u
cfsim=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passed=0

good_csv() { # header + 72 hourly rows of the golden fixture
  cp "$src/tests/e2e/golden_de_tidy.csv" "$work/trace.csv"
}

scenario() { # $1 = strategies JSON, $2 = instance type
  cat > "$work/s.json" <<JSON
{ "name": "bad", "catalog": "$src/scenarios/catalog",
  "period": { "start": "2024-04-01T00:00:00Z", "days": 3 },
  "traces": { "carbon": { "file": "trace.csv", "format": "tidy" } },
  "fleet": [ { "instance_type": "$2", "region": "eu-central-1", "count": 1, "utilisation": 0.5 } ],
  "strategies": $1 }
JSON
}

# expect NAME EXIT_CODE MESSAGE_SUBSTRING... : runs `cfsim run` and checks code, stderr, outputs
expect() {
  local name=$1 code=$2
  shift 2
  echo "keep me" > "$work/existing.h5"
  "$cfsim" run "$work/s.json" -o "$work/out.h5" -q 2> "$work/err.txt" > /dev/null
  local got=$?
  local ok=1
  [ "$got" = "$code" ] || { echo "FAIL $name: exit $got, expected $code"; ok=0; }
  for m in "$@"; do
    grep -qF -- "$m" "$work/err.txt" || { echo "FAIL $name: stderr lacks '$m'"; ok=0; }
  done
  [ ! -e "$work/out.h5" ] && [ ! -e "$work/out.h5.tmp" ] || { echo "FAIL $name: output left behind"; ok=0; }
  # The same failure aimed at an existing file leaves it untouched.
  "$cfsim" run "$work/s.json" -o "$work/existing.h5" -q 2> /dev/null > /dev/null
  [ "$(cat "$work/existing.h5")" = "keep me" ] || { echo "FAIL $name: existing file damaged"; ok=0; }
  if [ $ok = 1 ]; then passed=$((passed + 1)); echo "ok   $name: $(head -c 200 "$work/err.txt")"; else failures=$((failures + 1)); cat "$work/err.txt"; fi
}

strategies='[ { "name": "always_on" } ]'

good_csv; sed -i '5s/,DE,[0-9]*,/,DE,3x5,/' "$work/trace.csv"; scenario "$strategies" m5.large
expect malformed_number 65 "trace.csv:5:" "3x5"

good_csv; sed -i '4{h;d};5{G}' "$work/trace.csv"; scenario "$strategies" m5.large
expect unsorted_timestamps 65 "trace.csv:5:"

good_csv; sed -i '7s/,DE,[0-9]*,/,DE,-12,/' "$work/trace.csv"; scenario "$strategies" m5.large
expect negative_intensity 65 "trace.csv:7:" "negative"

good_csv; scenario '[ { "name": "lowest_windw" } ]' m5.large
expect unknown_strategy 78 "unknown strategy 'lowest_windw'" "lowest_window" "office_hours"

good_csv; scenario "$strategies" m5.huge
expect unknown_instance_type 78 "m5.huge" "m5.large"

good_csv; scenario "$strategies" m5.large; sed -i 's/"count": 1/"cuont": 1/' "$work/s.json"
expect unknown_key 78 "unknown key 'cuont'" "count"

good_csv; scenario "$strategies" m5.large; rm "$work/trace.csv"
expect missing_trace 66 "trace.csv"

good_csv; scenario "$strategies" m5.large
"$cfsim" run "$work/s.json" -o "$work/no/such/dir/out.h5" -q 2> "$work/err.txt" > /dev/null
got=$?
if [ "$got" = 73 ] && [ ! -e "$work/no" ]; then passed=$((passed + 1)); echo "ok   cannot_create: $(cat "$work/err.txt")";
else failures=$((failures + 1)); echo "FAIL cannot_create: exit $got"; cat "$work/err.txt"; fi

"$cfsim" frobnicate > /dev/null 2>&1; got=$?
if [ "$got" = 64 ]; then passed=$((passed + 1)); echo "ok   unknown_command"; else failures=$((failures + 1)); echo "FAIL unknown_command: exit $got"; fi

echo "$passed passed, $failures failed"
[ "$failures" = 0 ]
