#!/usr/bin/env bash
# Forwarding latency (issue 4's target: forwarding adds under 1 s from submit to arrival in
# B when B is up). Two release servers on loopback, as in the chained set-up: B is the back
# office (builtin), A faces residents and passes reports to B over Open311. Reports are
# filed on A's web form, $BENCH_CONCURRENCY at a time; for each, A records when it was filed
# and when B acknowledged it (sent_at). Writes bench/results-forwarding.md. Run through
# `make bench-forwarding`.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}
N=${BENCH_REPORTS:-300}
CONC=${BENCH_CONCURRENCY:-4}
B_PORT=${BENCH_PORT:-3211}
A_PORT=$((B_PORT + 1))
b="http://127.0.0.1:$B_PORT"
a="http://127.0.0.1:$A_PORT"
work=$(mktemp -d /tmp/gongzhi-fwd.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD
export RUST_LOG=warn GONGZHI_SEED_DEMO=true
export GONGZHI_REPORT_LIMIT_PER_IP=1000000 GONGZHI_LOGIN_LIMIT_PER_IP=1000

ready() { for _ in $(seq 1 300); do curl -fs "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "$1 did not start" >&2; exit 1; }

LEPTOS_SITE_ADDR="127.0.0.1:$B_PORT" GONGZHI_PUBLIC_URL="$b" DATABASE_URL="sqlite://$work/b.db" \
  GONGZHI_BLOB_STORE="$work/b-blobs" "$BIN" serve >"$work/b.log" 2>&1 &
pids+=($!)
ready "$b"
jar="$work/cookies"
curl -fs -c "$jar" -b "$jar" -H "accept: application/json" --data-urlencode "email=admin@demo.gongzhi.org" \
  --data-urlencode "password=admin-demo-2026" --data-urlencode "next=/" "$b/api/log_in" >/dev/null
key=$(curl -fs -c "$jar" -b "$jar" -H "accept: application/json" --data-urlencode "name=A (forwarding bench)" \
  "$b/api/admin_issue_api_key" | sed -n 's/.*"key":"\([^"]*\)".*/\1/p')
[ -n "$key" ] || { echo "no API key from B" >&2; exit 1; }
LEPTOS_SITE_ADDR="127.0.0.1:$A_PORT" GONGZHI_PUBLIC_URL="$a" DATABASE_URL="sqlite://$work/a.db" \
  GONGZHI_BLOB_STORE="$work/a-blobs" GONGZHI_CASE_CONNECTOR=open311 GONGZHI_OPEN311_URL="$b/open311/v2" \
  GONGZHI_OPEN311_API_KEY="$key" GONGZHI_OPEN311_REF_PREFIX=bench-a "$BIN" serve >"$work/a.log" 2>&1 &
pids+=($!)
ready "$a"
# The demo city's own reports go first; then ours.
for _ in $(seq 1 300); do
  [ "$(sqlite3 "$work/a.db" "SELECT count(*) FROM reports WHERE forward_state = 'waiting'")" = 0 ] && break
  sleep 0.1
done

file_one() {
  curl -fs -o /dev/null -w '%{http_code}\n' -H "origin: $2" \
    -F "submit_token=bench-forwarding-$(printf %06d "$1")-000000000000000000000000" -F category=graffiti \
    -F lat=22.8172 -F lon=108.3661 -F "description=bench-fwd $1 桥墩上的涂鸦" "$2/reports/new"
}
export -f file_one
start=$(date +%s.%N)
codes=$(seq 1 "$N" | xargs -P "$CONC" -I{} bash -c 'file_one {} '"$a")
bad=$(grep -vc '^303$' <<<"$codes" || true)
[ "$bad" = 0 ] || { echo "$bad submissions were not accepted" >&2; exit 1; }
for _ in $(seq 1 600); do
  [ "$(sqlite3 "$work/a.db" "SELECT count(*) FROM reports WHERE description LIKE 'bench-fwd %' AND forward_state = 'waiting'")" = 0 ] && break
  sleep 0.1
done
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
in_b=$(sqlite3 "$work/b.db" "SELECT count(*) FROM reports WHERE description LIKE 'bench-fwd %'")
distinct=$(sqlite3 "$work/b.db" "SELECT count(DISTINCT description) FROM reports WHERE description LIKE 'bench-fwd %'")
[ "$in_b" = "$N" ] && [ "$distinct" = "$N" ] || { echo "B holds $in_b reports ($distinct distinct), not $N" >&2; exit 1; }
sqlite3 "$work/a.db" "SELECT (julianday(sent_at) - julianday(created_at)) * 86400000.0 FROM reports
  WHERE description LIKE 'bench-fwd %' ORDER BY 1" >"$work/ms"
pct() { awk -v p="$1" '{ v[NR] = $1 } END { i = int((NR - 1) * p / 100) + 1; printf "%.0f", v[i] }' "$work/ms"; }
{
  echo "# Forwarding: benchmark"
  echo
  echo "Made by \`make bench-forwarding\` on $(date -u +%Y-%m-%d) ($(nproc) cores): two release servers on"
  echo "loopback, SQLite both; $N reports filed on A's web form, $CONC at a time; each arrived in B once."
  echo "Latency is A's own record: from the report being filed to B acknowledging it (\`sent_at - created_at\`)."
  echo "Target (issue 4): under 1 s."
  echo
  echo "| reports | p50 ms | p90 ms | p99 ms | max ms | all sent after (s) |"
  echo "|---|---|---|---|---|---|"
  echo "| $N | $(pct 50) | $(pct 90) | $(pct 99) | $(pct 100) | $(printf %.1f "$elapsed") |"
} >bench/results-forwarding.md
cat bench/results-forwarding.md
