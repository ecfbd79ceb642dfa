#!/usr/bin/env bash
# `cfsim fetch` through the executable against the loopback server of the fetcher tests
# (tests/fetch/server.py, 127.0.0.1 only): fetch, import what was fetched, rerun offline from
# the cache with the server gone.
# usage: fetch.sh CFSIM_BINARY SOURCE_DIR
set -u
cfsim=$1
src=$2
work=$(mktemp -d)
cat > "$work/script.json" <<'JSON'
{"routes": [{"method": "GET", "path": "/intensity/2024-09-01T00:00Z/2024-09-15T00:00Z",
             "responses": [{"status": 200, "body_file": "uk_ci_intensity.json"}]},
            {"method": "GET", "path": "/intensity/2024-09-15T00:00Z/2024-09-16T00:00Z",
             "responses": [{"status": 200, "body_file": "uk_ci_intensity.json"}]}]}
JSON
coproc SERVER { /usr/bin/python3 "$src/tests/fetch/server.py" "$work/script.json" "$work/log.jsonl"; }
server_pid=$SERVER_PID
trap 'kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
read -r word port <&"${SERVER[0]}"
[ "$word" = PORT ] || { echo "server did not start"; exit 1; }
failed=0
passed=0
"$cfsim" fetch uk-ci --start 2024-09-01 --end 2024-09-16 -o "$work/out" \
  --base-url "http://127.0.0.1:$port" -q > "$work/files.txt" 2> "$work/err.txt"
code=$?
files=$(wc -l < "$work/files.txt")
if [ $code = 0 ] && [ "$files" = 2 ]; then passed=$((passed + 1)); echo "ok   fetched 2 windows (14 days + 1 day)"
else failed=$((failed + 1)); echo "FAIL fetch: exit $code, $files files"; cat "$work/err.txt"; fi
first=$(head -n 1 "$work/files.txt")
if "$cfsim" import uk_ci "$first" -o "$work/uk.csv" 2>/dev/null && [ -s "$work/uk.csv" ]; then
  passed=$((passed + 1)); echo "ok   the fetched file imports"
else failed=$((failed + 1)); echo "FAIL import of $first"; fi
kill $server_pid; wait $server_pid 2>/dev/null
if "$cfsim" fetch uk-ci --start 2024-09-01 --end 2024-09-16 -o "$work/out" \
     --base-url "http://127.0.0.1:$port" -q > /dev/null 2>&1; then
  passed=$((passed + 1)); echo "ok   rerun served from the cache with the server stopped"
else failed=$((failed + 1)); echo "FAIL offline rerun"; fi
"$cfsim" fetch uk-ci --start 2024-09-01 --end 2024-09-16 -o "$work/out" \
  --base-url "http://127.0.0.1:$port" --refresh --retries 0 -q > /dev/null 2>&1
code=$?
if [ $code = 69 ]; then passed=$((passed + 1)); echo "ok   --refresh with the server gone: exit 69"
else failed=$((failed + 1)); echo "FAIL --refresh: exit $code"; fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
