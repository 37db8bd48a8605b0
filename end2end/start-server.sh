#!/usr/bin/env bash
# Starts the release binary twice for the end-to-end tests, each on a fresh database with
# the demo city:
#   B on E2E_PORT (3100): the back office, Gongzhi's own case system (`builtin`);
#     most tests use it as the whole platform.
#   A on E2E_PORT+1 (3101): resident-facing, passing reports to B over Open311 and
#     polling B every second (the chained set-up of the case-workflow test).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d /tmp/gongzhi-e2e.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT INT TERM
cd "$here/.."
bin="${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}"
b_port="${E2E_PORT:-3100}"
a_port=$((b_port + 1))
b="http://127.0.0.1:$b_port"
a="http://127.0.0.1:$a_port"
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD
export GONGZHI_SEED_DEMO=true
# Many sign-ups and sign-ins come from one address in a test run.
export GONGZHI_SIGNUP_LIMIT_PER_IP=10000 GONGZHI_LOGIN_LIMIT_PER_IP=10000
export GONGZHI_REPORT_LIMIT_PER_IP=10000 GONGZHI_REPORT_LIMIT_PER_ACCOUNT=10000

LEPTOS_SITE_ADDR="127.0.0.1:$b_port" GONGZHI_PUBLIC_URL="$b" DATABASE_URL="sqlite://$data/b.db" \
  GONGZHI_BLOB_STORE="$data/b-blobs" "$bin" serve &
pids+=($!)
for _ in $(seq 1 600); do
  curl -fs "$b/readyz" >/dev/null 2>&1 && break
  sleep 0.1
done

# A's key for B's Open311 API, issued by B's demo admin as an admin would.
jar="$data/cookies"
curl -fs -c "$jar" -b "$jar" -H "accept: application/json" \
  --data-urlencode "email=admin@demo.gongzhi.org" --data-urlencode "password=admin-demo-2026" \
  --data-urlencode "next=/" "$b/api/log_in" >/dev/null
key=$(curl -fs -c "$jar" -b "$jar" -H "accept: application/json" \
  --data-urlencode "name=A: resident-facing Gongzhi (e2e)" "$b/api/admin_issue_api_key" |
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).key))')

LEPTOS_SITE_ADDR="127.0.0.1:$a_port" GONGZHI_PUBLIC_URL="$a" DATABASE_URL="sqlite://$data/a.db" \
  GONGZHI_BLOB_STORE="$data/a-blobs" GONGZHI_CASE_CONNECTOR=open311 \
  GONGZHI_OPEN311_URL="$b/open311/v2" GONGZHI_OPEN311_API_KEY="$key" \
  GONGZHI_OPEN311_POLL_SECONDS=1 GONGZHI_OPEN311_REF_PREFIX=e2e-a "$bin" serve &
pids+=($!)
# Either server ending ends the run.
wait -n
