#!/usr/bin/env bash
# Benchmark of a proposal page with a long discussion (issue 5): the server renders the
# first page of 20 threads of a proposal with 2,000 comments, then later pages (keyset
# cursors from the page's own "show more" link) and the "most helpful" order, on SQLite and
# on PostgreSQL, from a warm database. Target: first page under 15 ms at the median, later
# pages as fast. Writes bench/results-deliberation.md. Run through `make bench-deliberation`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
N=${BENCH_COMMENTS:-2000}
PORT=${BENCH_PORT:-3200}
DURATION=${BENCH_SECONDS:-10}
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
source bench/lib.sh

# p50 ms | p99 ms | requests/s of one URL, one connection at a time.
measure() { local p50 p99 rps; read -r p50 p99 rps <<<"$(wrk_stats "$1")"; echo "$p50 | $p99 | $rps"; }

# The "show more" link of a page: its path and query, HTML entities undone.
next_of() {
  curl -sf "$1" | grep -o '<a [^>]*class="btn show-more"[^>]*>' | head -1 \
    | grep -o 'href="[^"]*"' | sed -e 's/^href="//' -e 's/"$//' -e 's/#.*$//' -e 's/&amp;/\&/g'
}

run_backend() {
  local name=$1 url=$2
  export DATABASE_URL=$url
  GONGZHI_SEED_DEMO=true "$BIN" seed-demo >/dev/null
  local t0=$SECONDS
  local id
  id=$("$BIN" seed-load --reports 0 --comments "$N" | awk '/^proposal / {print $2}')
  [ -n "$id" ] || { echo "seed-load printed no proposal id" >&2; exit 1; }
  local seeded=$((SECONDS - t0))
  start_server
  # The page is the real thing: 20 threads, and a link to the next 20.
  local threads
  threads=$(curl -sf "$base/proposals/$id" | grep -o 'class="thread"' | wc -l)
  [ "$threads" = 20 ] || { echo "the first page shows $threads threads, not 20" >&2; exit 1; }
  local second third helpful2
  second=$(next_of "$base/proposals/$id")
  [ -n "$second" ] || { echo "no show-more link on the first page" >&2; exit 1; }
  third=$(next_of "$base$second")
  helpful2=$(next_of "$base/proposals/$id?corder=helpful")
  local first p2 p3 h1 h2
  first=$(measure "$base/proposals/$id")
  p2=$(measure "$base$second")
  p3=$(measure "$base$third")
  h1=$(measure "$base/proposals/$id?corder=helpful")
  h2=$(measure "$base$helpful2")
  stop_server
  {
    echo "| $name | first page (oldest) | $first |"
    echo "| $name | second page | $p2 |"
    echo "| $name | third page | $p3 |"
    echo "| $name | first page, most helpful | $h1 |"
    echo "| $name | second page, most helpful | $h2 |"
  } >>"$work/rows.md"
  echo "$name: proposal $id with $N comments seeded in ${seeded}s" >>"$work/notes.md"
}

on_both_backends run_backend

{
  echo "# Proposal page with a long discussion: benchmark"
  echo
  echo "Made by \`make bench-deliberation\` on $(date -u +%Y-%m-%d) ($(nproc) cores). Each row: one connection,"
  echo "${DURATION}s of requests with \`wrk -t1 -c1 --latency\` against the release build: the server renders"
  echo "the whole proposal page (proposal, answers, balance of the discussion with the strongest"
  echo "arguments, 20 threads with their replies) for a visitor. Target: first page p50 under 15 ms,"
  echo "later pages as fast (keyset cursors; the statement count per page is asserted constant by"
  echo "\`server/tests/statements.rs\`)."
  echo
  echo "| backend | page | p50 ms | p99 ms | requests/s |"
  echo "|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  sed 's/^/- /' "$work/notes.md"
} >bench/results-deliberation.md
cat bench/results-deliberation.md
