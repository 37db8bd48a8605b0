#!/usr/bin/env bash
# `make bench`: the whole server under load in one run, written to bench/results.md.
#
# For SQLite, then PostgreSQL: a fresh database with the demo city, 100,000 reports, a
# proposal with 2,000 comments and 10,000 questions; the release server started once; wrk
# (a second process on loopback) drives each row twice: one connection (the time one
# request takes) and $CONNECTIONS connections (what the machine serves). Peak RSS is the
# server's resident-set high-water mark during that row (reset before each row).
#
# Reference points measured in the same run: the same server sending a static file as
# large as the report list page (the HTTP floor for that many bytes on this machine), and
# the database's raw commit rate with the server's own durability settings (`gongzhi
# commit-rate`: one-row inserts, each its own transaction). Pages are given as a share of
# the static file's rate, submissions as a share of the raw commit rate.
#
# Last, the bytes of the first visit to the report form and to the home page.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
N=${BENCH_REPORTS:-100000}
COMMENTS=${BENCH_COMMENTS:-2000}
QUESTIONS=${BENCH_QUESTIONS:-10000}
PORT=${BENCH_PORT:-3210}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PG=${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432}
source bench/lib.sh
started=$SECONDS

# The site with one more file: the report list page saved as a static file.
cp -r target/site "$work/site"
export LEPTOS_SITE_ROOT="$work/site"
# Web submissions come from many residents behind a reverse proxy, each within the default
# per-address limit (bench/post.lua sets X-Forwarded-For).
export GONGZHI_TRUST_FORWARDED_FOR=true

peak_reset() { echo 5 >"/proc/$server/clear_refs"; }
peak_mb() { awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$server/status"; }

# Reports in the database (to check that each acknowledged submission filed one).
count_reports() {
  case $DATABASE_URL in
    sqlite://*) sqlite3 "${DATABASE_URL#sqlite://}" "SELECT count(*) FROM reports" ;;
    *) psql -qtA "$DATABASE_URL" -c "SELECT count(*) FROM reports" ;;
  esac
}

# Work a storm of submissions leaves behind: forwarding jobs not yet done plus changes not
# yet counted into the published results (and on SQLite, reports whose text waits to be
# indexed for search).
backlog() {
  local sql="SELECT (SELECT count(*) FROM jobs WHERE kind = 'forward_report' AND state IN ('queued', 'running')) + (SELECT count(*) FROM stats_dirty)"
  case $DATABASE_URL in
    sqlite://*) sqlite3 "${DATABASE_URL#sqlite://}" "$sql + (SELECT count(*) FROM reports_search_pending)" ;;
    *) psql -qtA "$DATABASE_URL" -c "$sql" ;;
  esac
}

# wrk's figures for one row: "p50 p99 rps requests". $1: connections; the rest: URL and
# extra wrk arguments (a script).
wrk_row() {
  local c=$1 out
  shift
  out=$(wrk -t"$([ "$c" = 1 ] && echo 1 || echo 2)" -c"$c" -d"${DURATION}s" --latency "$@")
  if grep -q "Non-2xx" <<<"$out"; then echo "error responses from $*:" >&2; echo "$out" >&2; exit 1; fi
  if grep -q "Socket errors" <<<"$out"; then echo "socket errors from $*:" >&2; echo "$out" >&2; exit 1; fi
  echo "$(to_ms "$(awk '/^ +50%/ {print $2}' <<<"$out")") $(to_ms "$(awk '/^ +99%/ {print $2}' <<<"$out")")" \
    "$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")" "$(awk '/requests in/ {print $1}' <<<"$out")"
}

# One row of the table: both loads, the peak RSS of the two, and the share of the
# reference rate. $1 backend, $2 label, $3 reference rate, $4 reference name, rest: wrk
# arguments. For submissions (BENCH_POST set) it checks that every acknowledged request
# filed exactly one report (wrk may leave up to one request per connection unanswered).
row() {
  local name=$1 label=$2 ref=$3 refname=$4
  shift 4
  local before="" a b p50 p99 rps n p50c p99c rpsc nc
  [ -n "${BENCH_POST:-}" ] && before=$(count_reports)
  peak_reset
  read -r p50 p99 rps n <<<"$(BENCH_RUN="${name}1" wrk_row 1 "$@")"
  read -r p50c p99c rpsc nc <<<"$(BENCH_RUN="${name}c" wrk_row "$CONNECTIONS" "$@")"
  local mb
  mb=$(peak_mb)
  if [ -n "$before" ]; then
    sleep 0.5
    local filed=$(($(count_reports) - before)) sent=$((n + nc))
    if [ "$filed" -lt "$sent" ] || [ "$filed" -gt $((sent + CONNECTIONS + 1)) ]; then
      echo "$name $label: $sent submissions answered, $filed reports filed" >&2
      exit 1
    fi
    # Sustained: the reports are passed to the case system and counted in the results
    # while they arrive, not long after.
    local left t0=$SECONDS
    left=$(backlog)
    while [ "$(backlog)" != 0 ] && [ $((SECONDS - t0)) -lt 120 ]; do sleep 0.2; done
    [ "$(backlog)" = 0 ] || { echo "$name $label: forwarding and counting not done 120 s after the load" >&2; exit 1; }
    echo "$name: $label: $sent submissions answered, $filed reports filed; at the end of the load $left" \
      "forwarding jobs and result updates (on SQLite also search entries) were waiting, all done within $((SECONDS - t0 + 1)) s" >>"$work/notes.md"
  fi
  local share="-"
  [ -n "$ref" ] && share=$(awk -v a="$rpsc" -v b="$ref" 'BEGIN { printf "%.0f %%", 100 * a / b }')
  echo "| $name | $label | $p50 | $p99 | $rps | $rpsc | $p50c | $p99c | $mb | $share $refname |" >>"$work/rows.md"
  echo "$name $label: $rps / $rpsc req/s" >&2
}

run_backend() {
  local name=$1 url=$2
  export DATABASE_URL=$url
  local t0=$SECONDS proposal
  GONGZHI_SEED_DEMO=true "$BIN" seed-demo >/dev/null
  proposal=$("$BIN" seed-load --reports "$N" --questions "$QUESTIONS" --comments "$COMMENTS" | awk '/^proposal / {print $2}')
  [ -n "$proposal" ] || { echo "seed-load printed no proposal id" >&2; exit 1; }
  echo "$name: seeded $N reports, $QUESTIONS questions and a proposal with $COMMENTS comments in $((SECONDS - t0)) s" >>"$work/notes.md"

  # The raw commit rate, with nothing else running.
  local commits
  commits=$("$BIN" commit-rate --seconds 5 | awk '{printf "%.0f", $6}')
  echo "| $name | raw commits (one-row insert, own transaction) | $commits |" >>"$work/refs.md"

  start_server
  # Each page is the real thing (which also warms it up).
  local items threads
  items=$(curl -sf "$base/reports" | tee "$work/site/bench-static.html" | grep -o 'class="report-item"' | wc -l)
  [ "$items" = 50 ] || { echo "$name: the list shows $items reports, not 50" >&2; exit 1; }
  local id=$((N / 2))
  curl -sf "$base/reports/$id" | grep -q 'id="timeline-title"' || { echo "$name: report $id did not render" >&2; exit 1; }
  threads=$(curl -sf "$base/proposals/$proposal" | grep -o 'class="thread"' | wc -l)
  [ "$threads" = 20 ] || { echo "$name: the proposal page shows $threads threads, not 20" >&2; exit 1; }
  local listed
  listed=$(curl -sf "$base/open311/v2/requests.json?page_size=100" | grep -o '"service_request_id"' | wc -l)
  [ "$listed" = 100 ] || { echo "$name: requests.json answered $listed requests, not 100" >&2; exit 1; }
  # The published results count every seeded report (the counts are brought up to date
  # in the background after a bulk load).
  local received=0
  for _ in $(seq 1 300); do
    received=$(curl -sf "$base/results?period=all" | grep -o 'id="fig-received"[^$]*' | grep -o 'figure-value">[0-9]*' | head -1 | grep -o '[0-9]*$' || true)
    [ "${received:-0}" -ge "$N" ] && break
    sleep 0.2
  done
  [ "${received:-0}" -ge "$N" ] || { echo "$name: the results page counts ${received:-no} reports, not $N" >&2; exit 1; }
  local key
  key=$(issue_key)

  # The reference: the list page's bytes as a static file, through the same server.
  local size static
  size=$(wc -c <"$work/site/bench-static.html")
  read -r _ _ static _ <<<"$(wrk_row "$CONNECTIONS" "$base/bench-static.html")"
  echo "| $name | static file of $size bytes (the list page's size), $CONNECTIONS connections | $static |" >>"$work/refs.md"

  row "$name" "public report list /reports" "$static" "of static" "$base/reports"
  row "$name" "a report page /reports/$id" "$static" "of static" "$base/reports/$id"
  row "$name" "proposal page, $COMMENTS comments" "$static" "of static" "$base/proposals/$proposal"
  row "$name" "Open311 GET requests.json?page_size=100" "$static" "of static" \
    "$base/open311/v2/requests.json?page_size=100"
  row "$name" "results page /results" "$static" "of static" "$base/results"
  BENCH_POST=open311 BENCH_API_KEY=$key row "$name" "Open311 POST requests.json" "$commits" "of raw commits" \
    -s bench/post.lua "$base"
  BENCH_POST=web BENCH_ORIGIN=$base row "$name" "web report submission" "$commits" "of raw commits" \
    -s bench/post.lua "$base"
  stop_server
}

# An Open311 API key, issued by the demo admin through the admin's own server functions.
issue_key() {
  local jar="$work/cookies" key
  rm -f "$jar"
  curl -sf -c "$jar" -b "$jar" -H "accept: application/json" --data-urlencode "email=admin@demo.gongzhi.org" \
    --data-urlencode "password=admin-demo-2026" --data-urlencode "next=/" "$base/api/log_in" >/dev/null
  key=$(curl -sf -c "$jar" -b "$jar" -H "accept: application/json" --data-urlencode "name=make bench" \
    "$base/api/admin_issue_api_key" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
  [ -n "$key" ] || { echo "no API key" >&2; exit 1; }
  echo "$key"
}

on_both_backends run_backend

# The files a first visit downloads: the stylesheets, scripts, modules and wasm the page
# names, and Leaflet where the page has a map (our script loads it then).
assets_of() {
  local html
  html=$(curl -sf "$base$1")
  grep -oE '(href|src)="/[^"]+\.(css|js|wasm)"' <<<"$html" | sed -E 's/^(href|src)="//; s/"$//'
  if grep -q 'data-map' <<<"$html"; then
    grep -oE '"/vendor/leaflet/leaflet\.(js|css)"' public/js/gongzhi.js | tr -d '"'
  fi
}
size_row() {
  local page=$1 path=$2 f="$work/site$2"
  [ -f "$f" ] || { echo "$page loads $path, which the site lacks" >&2; exit 1; }
  echo "$page ${path##*.} $path $(wc -c <"$f") $(gzip -9c "$f" | wc -c) $(brotli -c -q 11 "$f" | wc -c)"
}
bytes_of() {
  local page=$1 path
  for path in $(assets_of "$page" | sort -u); do size_row "$page" "$path"; done
}
# A server for the byte count (SQLite; the pages name the same files on either backend).
export DATABASE_URL="sqlite://$work/bytes.db"
start_server GONGZHI_SEED_DEMO=true
bytes=$(
  for page in /reports/new /; do
    bytes_of "$page" >"$work/sizes"
    awk '{ printf "| %s | %s | %s | %d | %d | %d |\n", $1, $2, $3, $4, $5, $6; r += $4; g += $5; b += $6 }
      END { printf "| %s | **all** | | **%d** | **%d** | **%d** |\n", page, r, g, b }' page="$page" "$work/sizes"
  done
)
stop_server

machine="$(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) memory, $(uname -sr)"
{
  echo "# Gongzhi under load: benchmark"
  echo
  echo "Made by \`make bench\` on $(date -u +%Y-%m-%d) in $(( (SECONDS - started) / 60 )) minutes, on $machine."
  echo "SQLite $(sqlite3 --version | cut -d' ' -f1) (the server's own is bundled by sqlx), $(psql --version | head -1)."
  echo "Release build; wrk on the same machine over loopback, ${DURATION} s per measurement."
  echo "Data: the demo city plus $N reports over the past year, $QUESTIONS questions (three in five answered) and a"
  echo "proposal with $COMMENTS comments. Each row is measured with 1 connection (what one request costs) and"
  echo "$CONNECTIONS connections (what the machine serves); peak RSS is the server's high-water mark during the row."
  echo
  echo "## Reference points (same run)"
  echo
  echo "| backend | reference | per second |"
  echo "|---|---|---|"
  cat "$work/refs.md"
  echo
  echo "## Rows"
  echo
  echo "| backend | request | 1 conn p50 ms | p99 ms | req/s | $CONNECTIONS conn req/s | p50 ms | p99 ms | peak RSS MB | share of reference ($CONNECTIONS conn) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  sed 's/^/- /' "$work/notes.md"
  echo
  echo "## Bytes of a first visit"
  echo
  echo "What the page names (stylesheets, scripts, the wasm it preloads) and Leaflet where it has a map;"
  echo "gzip -9 and brotli -q 11 of each file. The report form is plain HTML (no wasm); the home page hydrates."
  echo
  echo "| page | kind | file | raw | gzip | brotli |"
  echo "|---|---|---|---|---|---|"
  echo "$bytes"
} >bench/results.md
cat bench/results.md
