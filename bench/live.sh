#!/usr/bin/env bash
# Live Q&A under load (issue 7's target: an upvote reaches 500 connected browsers within 1 s
# at the 99th percentile; the server holds them in under 100 MB). Release servers on
# loopback; `server/examples/live_bench.rs` connects the simulated browsers and casts the
# upvotes. On SQLite one instance; on PostgreSQL two instances on one database, the browsers
# split between them and the votes cast on the first (events cross over LISTEN/NOTIFY).
# Writes bench/results-live.md. Run through `make bench-live`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
CLIENTS=${BENCH_CLIENTS:-500}
VOTES=${BENCH_VOTES:-40}
PORT=${BENCH_PORT:-3221}
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
work=$(mktemp -d /tmp/gongzhi-live.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n 8192 2>/dev/null || true
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD
export RUST_LOG=warn GONGZHI_SEED_DEMO=true GONGZHI_LOGIN_LIMIT_PER_IP=1000

cargo build --release -q -p gongzhi-server --example live_bench
LOAD=${CARGO_TARGET_DIR:-target}/release/examples/live_bench

ready() { for _ in $(seq 1 300); do curl -fs "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not start" >&2; exit 1; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
hwm_mb() { awk '/^VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

# start NAME PORT DATABASE_URL: a release server; its pid is appended to pids.
start() {
  LEPTOS_SITE_ADDR="127.0.0.1:$2" GONGZHI_PUBLIC_URL="http://127.0.0.1:$2" DATABASE_URL="$3" \
    GONGZHI_BLOB_STORE="$work/$1-blobs" "$BIN" serve >"$work/$1.log" 2>&1 &
  pids+=($!)
  ready "http://127.0.0.1:$2"
}

rows=()
# run LABEL BASE_URL...: connects the browsers, casts the votes, reads the servers' memory.
run() {
  local label=$1; shift
  local servers=("${pids[@]: -$#}")
  rm -f "$work/ready" "$work/setup"
  LIVE_BENCH_SETUP="$work/setup" LIVE_BENCH_READY="$work/ready" "$LOAD" "$CLIENTS" "$VOTES" "$@" >"$work/out.json" &
  local load=$!
  for _ in $(seq 1 600); do [ -f "$work/setup" ] && break; sleep 0.1; done
  local idle=""; for p in "${servers[@]}"; do idle="$idle$(rss_mb "$p") "; done
  for _ in $(seq 1 600); do [ -f "$work/ready" ] && break; sleep 0.1; done
  sleep 1
  local held=""; for p in "${servers[@]}"; do held="$held$(rss_mb "$p") "; done
  wait "$load"
  local peak=""; for p in "${servers[@]}"; do peak="$peak$(hwm_mb "$p") "; done
  local figures; figures=$(tail -1 "$work/out.json")
  cat "$work/out.json" >&2
  local p50 p99 max deliveries missing
  p50=$(sed -n 's/.*"p50_ms": \([0-9.]*\).*/\1/p' <<<"$figures")
  p99=$(sed -n 's/.*"p99_ms": \([0-9.]*\).*/\1/p' <<<"$figures")
  max=$(sed -n 's/.*"max_ms": \([0-9.]*\).*/\1/p' <<<"$figures")
  deliveries=$(sed -n 's/.*"deliveries": \([0-9]*\).*/\1/p' <<<"$figures")
  missing=$(sed -n 's/.*"missing": \([0-9]*\).*/\1/p' <<<"$figures")
  rows+=("| $label | $CLIENTS | $VOTES | $deliveries | $missing | $p50 | $p99 | $max | ${idle% } | ${held% } | ${peak% } |")
}

# The demo data is seeded on a first start; the measured server is a later start, as a
# city's long-running server is.
start seed "$PORT" "sqlite://$work/live.db"
kill "${pids[0]}"; wait 2>/dev/null || true; pids=()
start sqlite "$PORT" "sqlite://$work/live.db"
run "SQLite, one instance" "http://127.0.0.1:$PORT"
for p in "${pids[@]}"; do kill "$p"; done; wait 2>/dev/null || true; pids=()

if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  db="gz_live_$$"
  psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
  start seed "$PORT" "$PG/$db"
  kill "${pids[0]}"; wait 2>/dev/null || true; pids=()
  start pg1 "$PORT" "$PG/$db"
  start pg2 "$((PORT + 1))" "$PG/$db"
  run "PostgreSQL, two instances (browsers split, votes on the first)" "http://127.0.0.1:$PORT" "http://127.0.0.1:$((PORT + 1))"
  for p in "${pids[@]}"; do kill "$p"; done; wait 2>/dev/null || true; pids=()
  psql "$PG/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
else
  rows+=("| PostgreSQL not reachable at $PG | | | | | | | | | | |")
fi

{
  echo "# Live Q&A under load"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, \`make bench-live\`. Simulated browsers hold Server-Sent Events"
  echo "streams to the session; a resident casts upvotes 100 ms apart; latency is from sending"
  echo "the vote to each browser receiving its event (loopback, the load generator on the same"
  echo "machine). Memory is each server's resident set (MB, one figure per instance): after the"
  echo "bench signed in and set up but before the browsers connect, while they are connected,"
  echo "and the peak of the run. The servers were started on already-seeded databases."
  echo
  echo "| set-up | browsers | upvotes | deliveries | missing | p50 ms | p99 ms | max ms | RSS idle | RSS connected | RSS peak |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} >bench/results-live.md
cat bench/results-live.md
