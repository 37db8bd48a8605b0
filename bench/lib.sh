# Shared by the benchmark scripts (sourced after they set BIN, PORT, DURATION and PG):
# a scratch folder removed on exit, the release server started and stopped on $PORT, wrk's
# figures in milliseconds, and one run per backend (SQLite, then PostgreSQL when reachable).

work=$(mktemp -d /tmp/gongzhi-bench.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

export LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_OUTPUT_NAME=gongzhi LEPTOS_ENV=PROD
export LEPTOS_SITE_ADDR="127.0.0.1:$PORT" GONGZHI_BLOB_STORE="$work/blobs" RUST_LOG=warn
export GONGZHI_PUBLIC_URL="http://127.0.0.1:$PORT"
base="http://127.0.0.1:$PORT"

command -v wrk >/dev/null || { echo "wrk is missing: the make bench targets install it" >&2; exit 1; }

# wrk prints 812.00us, 1.23ms or 1.02s.
to_ms() {
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.2f", v/1000; else if (v ~ /ms$/) printf "%.2f", v+0; else printf "%.2f", (v+0)*1000 }'
}

# "p50 p99 rps" of one URL (milliseconds, milliseconds, requests/s) with wrk's threads
# $2 and connections $3 (default one of each: the time to render one page). Any error
# response fails the run.
wrk_stats() {
  local out
  out=$(wrk -t"${2:-1}" -c"${3:-1}" -d"${DURATION}s" --latency "$1")
  if grep -q "Non-2xx" <<<"$out"; then echo "error responses from $1" >&2; exit 1; fi
  echo "$(to_ms "$(awk '/^ +50%/ {print $2}' <<<"$out")") $(to_ms "$(awk '/^ +99%/ {print $2}' <<<"$out")") $(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
}

# Starts the release server on $DATABASE_URL (extra VAR=value arguments go to its
# environment) and waits until it is ready.
start_server() {
  env GONGZHI_SEED_DEMO=false "$@" "$BIN" serve >>"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 "${START_TRIES:-100}"); do curl -sf "$base/readyz" >/dev/null && return 0; sleep 0.2; done
  echo "the server did not start (see its log below)" >&2; tail -20 "$work/server.log" >&2; exit 1
}

# Stops the server: SIGTERM, and SIGKILL if it has not stopped within 20 s (a server stuck
# at shutdown must not hang the bench; the notes say so).
stop_server() {
  kill "$server" 2>/dev/null || true
  local waited=0
  while kill -0 "$server" 2>/dev/null && [ "$waited" -lt 200 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if kill -0 "$server" 2>/dev/null; then
    echo "The server (pid $server) had not stopped 20 s after SIGTERM: killed with SIGKILL" >>"$work/notes.md"
    kill -9 "$server" 2>/dev/null || true
  fi
  wait "$server" 2>/dev/null || true
  server=""
}

# Runs `$1 NAME DATABASE_URL` on a fresh SQLite file, then on a fresh PostgreSQL database
# when PostgreSQL is reachable (else says so in the notes).
on_both_backends() {
  "$1" sqlite "sqlite://$work/bench.db"
  if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    local db="gz_bench_$$"
    psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null
    "$1" postgres "$PG/$db"
    psql "$PG/postgres" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
  else
    echo "PostgreSQL not reachable at $PG: SQLite only" >>"$work/notes.md"
  fi
}
