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
work=$(mktemp -d /tmp/gongzhi-bench.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT" GONGZHI_BLOB_STORE="$work/blobs" RUST_LOG=warn
export GONGZHI_PUBLIC_URL="http://127.0.0.1:$PORT"

to_ms() { # wrk prints 812.00us, 1.23ms or 1.02s
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.2f", (v+0)*1000 }'
}

# Requests/s, p50 and p99 (ms) of one URL under $CONNECTIONS connections.
measure() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1")
  if grep -q "Non-2xx" <<<"$out"; then echo "error responses from $1" >&2; exit 1; fi
  echo "$(awk '/^Requests\/sec/ {print $2}' <<<"$out") | $(to_ms "$(awk '/^ +50%/ {print $2}' <<<"$out")") | $(to_ms "$(awk '/^ +99%/ {print $2}' <<<"$out")")"
}

run_backend() {
  local name=$1 url=$2
  export DATABASE_URL=$url
  GONGZHI_SEED_DEMO=true "$BIN" seed-demo >/dev/null
  "$BIN" seed-load --reports "$N" >/dev/null
  GONGZHI_SEED_DEMO=false "$BIN" serve >"$work/$name.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  local path="/open311/v2/requests.json?page_size=100"
  # The answer is the real thing: 100 requests with the standard's fields.
  local n
  n=$(curl -sf "http://127.0.0.1:$PORT$path" | grep -o '"service_request_id"' | wc -l)
  [ "$n" = 100 ] || { echo "$name: requests.json answered $n requests, not 100" >&2; exit 1; }
  echo "| $name | GET $path | $(measure "http://127.0.0.1:$PORT$path") |" >>"$work/rows.md"
  echo "| $name | GET /open311/v2/requests.xml?page_size=100 | $(measure "http://127.0.0.1:$PORT/open311/v2/requests.xml?page_size=100") |" >>"$work/rows.md"
  echo "| $name | GET /open311/v2/services.json | $(measure "http://127.0.0.1:$PORT/open311/v2/services.json") |" >>"$work/rows.md"
  # Peak memory of the server during the run.
  echo "$name: server peak RSS $(awk '/VmHWM/ {print $2, $3}' /proc/$server/status)" >>"$work/notes.md"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  # The same list with every answer made afresh (the list cache off): the work behind it.
  GONGZHI_SEED_DEMO=false GONGZHI_OPEN311_LIST_CACHE_SECONDS=0 "$BIN" serve >"$work/$name-nocache.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
  echo "| $name | GET $path, list cache off | $(measure "http://127.0.0.1:$PORT$path") |" >>"$work/rows.md"
  echo "| $name | GET /open311/v2/requests.xml?page_size=100, list cache off | $(measure "http://127.0.0.1:$PORT/open311/v2/requests.xml?page_size=100") |" >>"$work/rows.md"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

command -v wrk >/dev/null || { echo "wrk is missing: make bench-open311 installs it"; exit 1; }
run_backend sqlite "sqlite://$work/bench.db"
if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  db="gz_bench_$$"
  psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
  run_backend postgres "$PG/$db"
  psql "$PG/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
else
  echo "PostgreSQL not reachable at $PG: SQLite only" >>"$work/notes.md"
fi
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
