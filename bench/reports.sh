#!/usr/bin/env bash
# Benchmark of the report pages (issue 3): server-side rendering of the public list (50
# reports) and of one report page from a database of 100,000 reports, on SQLite and on
# PostgreSQL; and the bytes the report form's first visit downloads. Writes
# bench/results-reports.md. Run through `make bench-reports`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
N=${BENCH_REPORTS:-100000}
PORT=${BENCH_PORT:-3200}
DURATION=${BENCH_SECONDS:-10}
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
source bench/lib.sh

# p50 ms | p99 ms | requests/s of one URL, one connection at a time (so the latency is the
# time to render one page).
measure() { local p50 p99 rps; read -r p50 p99 rps <<<"$(wrk_stats "$1")"; echo "$p50 | $p99 | $rps"; }

run_backend() {
  local name=$1 url=$2
  export DATABASE_URL=$url
  local t0=$SECONDS
  GONGZHI_SEED_DEMO=true "$BIN" seed-demo >/dev/null
  "$BIN" seed-load --reports "$N" >/dev/null
  local seeded=$((SECONDS - t0))
  start_server
  local id=$((N / 2))
  # Check the pages are the real thing (50 reports listed; the report with its timeline),
  # which also warms up, then measure.
  local items
  items=$(curl -sf "$base/reports" | grep -o 'class="report-item"' | wc -l)
  [ "$items" = 50 ] || { echo "the list shows $items reports, not 50" >&2; exit 1; }
  curl -sf "$base/reports/$id" | grep -q 'id="timeline-title"' || { echo "report $id did not render" >&2; exit 1; }
  local list report filtered
  list=$(measure "$base/reports")
  filtered=$(measure "$base/reports?category=noise&status=open")
  report=$(measure "$base/reports/$id")
  # Text search: a rare phrase (a few dozen reports) and one that no report holds, which
  # without an index means reading every report.
  rare=$(measure "$base/reports?q=%E6%B0%91%E6%97%8F%E5%A4%A7%E9%81%93123%E5%8F%B7")
  absent=$(measure "$base/reports?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E4%B8%AA%E8%AF%8D")
  stop_server
  {
    echo "| $name | /reports (50 newest) | $list |"
    echo "| $name | /reports?category=noise&status=open | $filtered |"
    echo "| $name | /reports/$id | $report |"
    echo "| $name | /reports?q=民族大道123号 (rare) | $rare |"
    echo "| $name | /reports?q=没有这个词 (no match) | $absent |"
  } >>"$work/rows.md"
  echo "$name: seeded $N reports in ${seeded}s" >>"$work/notes.md"
}

on_both_backends run_backend

# Bytes of the report form's first visit: the page's CSS and script, and Leaflet (the
# page loads no wasm).
size_row() {
  local f=$1 raw gz br
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  br=$( (command -v brotli >/dev/null && brotli -c -q 11 "$f" | wc -c) || echo "-")
  echo "| ${f#target/site/} | $raw | $gz | $br |"
}
css=$(ls target/site/pkg/*.css | head -1)
{
  echo "# Report pages: benchmark"
  echo
  echo "Made by \`make bench-reports\` on $(date -u +%Y-%m-%d) ($(nproc) cores). Each row: one connection, ${DURATION}s of"
  echo "requests with \`wrk -t1 -c1 --latency\`, against the release build with $N synthetic reports."
  echo
  echo "| backend | page | p50 ms | p99 ms | requests/s |"
  echo "|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  cat "$work/notes.md" | sed 's/^/- /'
  echo
  echo "## The report form's first visit (no wasm)"
  echo
  echo "| file | raw bytes | gzip -9 | brotli -q 11 |"
  echo "|---|---|---|---|"
  size_row "$css"
  size_row target/site/js/gongzhi.js
  size_row target/site/vendor/leaflet/leaflet.js
  size_row target/site/vendor/leaflet/leaflet.css
  echo
  echo "For comparison, the wasm bundle the other pages load:"
  echo
  echo "| file | raw bytes | gzip -9 | brotli -q 11 |"
  echo "|---|---|---|---|"
  size_row "$(ls target/site/pkg/*.wasm | head -1)"
} >bench/results-reports.md
cat bench/results-reports.md
