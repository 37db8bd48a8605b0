#!/usr/bin/env bash
# Benchmark of the published results (issue 8): the results page and the open data files
# from a city of 1,000,000 reports, on SQLite and on PostgreSQL. The counts are kept as
# things change (and made from scratch once, at the first start after the bulk load); the
# page sums monthly counts, so its time should not grow with the number of reports. Also
# the full download of reports.csv, streamed: the server's peak memory before and after
# shows it is not held whole. Writes bench/results-results.md. Run through
# `make bench-results`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
N=${BENCH_REPORTS:-1000000}
PORT=${BENCH_PORT:-3210}
DURATION=${BENCH_SECONDS:-10}
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
# The first start after the bulk load counts a million reports before it is ready.
START_TRIES=3000
source bench/lib.sh

measure() { local p50 p99 rps; read -r p50 p99 rps <<<"$(wrk_stats "$1")"; echo "$p50 | $p99 | $rps"; }
rss_kb() { awk '/^VmHWM/ {print $2}' "/proc/$server/status"; }

run_backend() {
  local name=$1 url=$2
  export DATABASE_URL=$url
  local t0=$SECONDS
  GONGZHI_SEED_DEMO=true "$BIN" seed-demo >/dev/null
  "$BIN" seed-load --reports "$N" >/dev/null
  local seeded=$((SECONDS - t0))
  t0=$SECONDS
  start_server
  local started=$((SECONDS - t0))
  # The page is the real thing: every report is counted.
  local received
  received=$(curl -sf "$base/results?period=all" | grep -o 'id="fig-received"[^$]*' | grep -o 'figure-value">[0-9]*' | head -1 | grep -o '[0-9]*$')
  [ "${received:-0}" -ge "$N" ] || { echo "the results page counts ${received:-no} reports, not at least $N" >&2; exit 1; }
  local year all dept data
  year=$(measure "$base/results")
  all=$(measure "$base/results?period=all")
  dept=$(measure "$base/results?period=this_year&department=cgj")
  data=$(measure "$base/open-data/results.json")
  local before after t1 bytes
  before=$(rss_kb)
  t1=$(date +%s.%N)
  bytes=$(curl -sf "$base/open-data/reports.csv" | wc -c)
  local secs
  secs=$(echo "$(date +%s.%N) - $t1" | bc)
  after=$(rss_kb)
  stop_server
  {
    echo "| $name | /results (last 12 months, city) | $year |"
    echo "| $name | /results?period=all | $all |"
    echo "| $name | /results?period=this_year&department=cgj | $dept |"
    echo "| $name | /open-data/results.json | $data |"
  } >>"$work/rows.md"
  echo "| $name | $((bytes / 1048576)) MB | $(printf '%.1f' "$secs") s | $((before / 1024)) MB | $((after / 1024)) MB |" >>"$work/stream.md"
  echo "$name: seeded $N reports in ${seeded}s; the first start counted them from scratch and was ready in ${started}s; the page counted $received reports" >>"$work/notes.md"
}

on_both_backends run_backend

{
  echo "# Published results: benchmark"
  echo
  echo "Made by \`make bench-results\` on $(date -u +%Y-%m-%d) ($(nproc) cores), against the release build with $N"
  echo "synthetic reports over the past year (plus the demo city). Each row: one connection, ${DURATION}s of"
  echo "requests with \`wrk -t1 -c1 --latency\`: the time to render the whole page on the server."
  echo
  echo "| backend | page | p50 ms | p99 ms | requests/s |"
  echo "|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  sed 's/^/- /' "$work/notes.md"
  echo
  echo "## Downloading every report as CSV (streamed)"
  echo
  echo "| backend | size | time | server peak RSS before | after |"
  echo "|---|---|---|---|---|"
  cat "$work/stream.md"
} >bench/results-results.md
cat bench/results-results.md
