#!/usr/bin/env bash
# Starts the release binary for the end-to-end tests on a fresh database with demo data.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(mktemp -d /tmp/gongzhi-e2e.XXXXXX)
trap 'rm -rf "$data"' EXIT
cd "$here/.."
export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD
export LEPTOS_SITE_ADDR="127.0.0.1:${E2E_PORT:-3100}"
export GONGZHI_PUBLIC_URL="http://127.0.0.1:${E2E_PORT:-3100}"
export DATABASE_URL="sqlite://$data/e2e.db"
export GONGZHI_SEED_DEMO=true
# Many sign-ups and sign-ins come from one address in a test run.
export GONGZHI_SIGNUP_LIMIT_PER_IP=10000 GONGZHI_LOGIN_LIMIT_PER_IP=10000
export GONGZHI_REPORT_LIMIT_PER_IP=10000 GONGZHI_REPORT_LIMIT_PER_ACCOUNT=10000
export GONGZHI_BLOB_STORE="$data/blobs"
exec "${GONGZHI_BIN:?GONGZHI_BIN must name the release binary}" serve
