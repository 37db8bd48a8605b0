#!/usr/bin/env bash
# Benchmark of the Open311 server (issue 4's target): GET /open311/v2/requests.json with
# page_size=100 from a database of 100,000 reports, 32 concurrent connections from wrk on
# the same machine, on SQLite and on PostgreSQL. Writes bench/results-open311.md. Run
# through `make bench-open311`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
N=${BENCH_REPORTS:-100000}
PORT=${BENCH_PORT:-3201}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
source bench/lib.sh

# requests/s | p50 ms | p99 ms of one URL under $CONNECTIONS connections.
measure() { local p50 p99 rps; read -r p50 p99 rps <<<"$(wrk_stats "$1" 2 "$CONNECTIONS")"; echo "$rps | $p50 | $p99"; }

run_backend() {
  local name=$1 url=$2
  export DATABASE_URL=$url
  GONGZHI_SEED_DEMO=true "$BIN" seed-demo >/dev/null
  "$BIN" seed-load --reports "$N" >/dev/null
  start_server
  local path="/open311/v2/requests.json?page_size=100"
  # The answer is the real thing: 100 requests with the standard's fields.
  local n
  n=$(curl -sf "$base$path" | grep -o '"service_request_id"' | wc -l)
  [ "$n" = 100 ] || { echo "$name: requests.json answered $n requests, not 100" >&2; exit 1; }
  echo "| $name | GET $path | $(measure "$base$path") |" >>"$work/rows.md"
  echo "| $name | GET /open311/v2/requests.xml?page_size=100 | $(measure "$base/open311/v2/requests.xml?page_size=100") |" >>"$work/rows.md"
  echo "| $name | GET /open311/v2/services.json | $(measure "$base/open311/v2/services.json") |" >>"$work/rows.md"
  # Peak memory of the server during the run.
  echo "$name: server peak RSS $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)" >>"$work/notes.md"
  stop_server
  # The same list with every answer made afresh (the list cache off): the work behind it.
  start_server GONGZHI_OPEN311_LIST_CACHE_SECONDS=0
  echo "| $name | GET $path, list cache off | $(measure "$base$path") |" >>"$work/rows.md"
  echo "| $name | GET /open311/v2/requests.xml?page_size=100, list cache off | $(measure "$base/open311/v2/requests.xml?page_size=100") |" >>"$work/rows.md"
  stop_server
}

on_both_backends run_backend

{
  echo "# Open311 server: benchmark"
  echo
  echo "Made by \`make bench-open311\` on $(date -u +%Y-%m-%d) ($(nproc) cores): \`wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency\`"
  echo "on the same machine, against the release build with $N synthetic reports (the list covers the last 90 days)."
  echo "Target (issue 4): at least 3,000 requests/s for \`requests.json?page_size=100\`."
  echo
  echo "Request lists are reused while no report changed (each request still asks the database"
  echo "for the newest \`reports.updated_at\`; see server/src/routes/open311_cache.rs). The rows"
  echo "marked \"list cache off\" make every answer afresh (\`GONGZHI_OPEN311_LIST_CACHE_SECONDS=0\`)."
  echo
  echo "| backend | request | requests/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  sed 's/^/- /' "$work/notes.md"
} >bench/results-open311.md
cat bench/results-open311.md
