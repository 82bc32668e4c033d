#!/usr/bin/env bash
# wrk against POST /api/query: a point query by primary key, answered from the result cache
# (same body every time) and uncached (Cache-Control: no-cache), side by side in one run; prints
# a markdown table. A benchmark, not a test: figures depend on the machine and its load.
#
#   [PG_PORT=55611] [HTTP_PORT=55612] bench/http_bench.sh [SECONDS_PER_RUN] [CONNECTIONS] [ROWS]
set -euo pipefail
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-16}
ROWS=${3:-1000000}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AUGUR="$ROOT/build/augur"
WORK="$(mktemp -d /tmp/augur-wrk.XXXXXX)"
PG_PORT=${PG_PORT:-55611}
HTTP_PORT=${HTTP_PORT:-55612}

cleanup() {
  [ -n "${AUGUR_PID:-}" ] && kill "$AUGUR_PID" 2>/dev/null && wait "$AUGUR_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

"$AUGUR" serve --data "$WORK/data" --pg-port "$PG_PORT" --http-port "$HTTP_PORT" \
  --log-level warn 2>"$WORK/augur.log" &
AUGUR_PID=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$HTTP_PORT/ready" >/dev/null && break; sleep 0.1; done
psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U augur augur -c \
  "CREATE TABLE kv AS SELECT r AS id, md5(r::VARCHAR) AS v FROM range($ROWS) t(r);
   ALTER TABLE kv ADD PRIMARY KEY (id);"

BODY='{"sql": "SELECT id, v FROM kv WHERE id = 424242"}'
for mode in cached uncached; do
  header=""
  [ "$mode" = uncached ] && header='wrk.headers["Cache-Control"] = "no-cache"'
  cat >"$WORK/$mode.lua" <<LUA
wrk.method = "POST"
wrk.body = '$BODY'
wrk.headers["Content-Type"] = "application/json"
$header
LUA
done

run() {  # mode -> "requests/s p50 p99"
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/$1.lua" \
    "http://127.0.0.1:$HTTP_PORT/api/query" >"$WORK/$1.out"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$1.out")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$1.out")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$1.out")
  errors=$(awk '/Non-2xx/ {print $5}' "$WORK/$1.out")
  echo "$rps $p50 $p99 ${errors:-0}"
}

# Warm both paths, then measure them alternately so that load on the machine hits both alike.
wrk -t1 -c1 -d1s -s "$WORK/cached.lua" "http://127.0.0.1:$HTTP_PORT/api/query" >/dev/null
read -r c_rps c_p50 c_p99 c_err < <(run cached)
read -r u_rps u_p50 u_p99 u_err < <(run uncached)
echo
echo "wrk: POST /api/query, point query by primary key on $ROWS rows, $CONNECTIONS connections, ${SECONDS_PER_RUN}s each, $(nproc) cores"
echo
echo "| mode | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
echo "| cached (X-Cache: hit) | $c_rps | $c_p50 | $c_p99 | $c_err |"
echo "| uncached (Cache-Control: no-cache) | $u_rps | $u_p50 | $u_p99 | $u_err |"
awk -v c="$c_rps" -v u="$u_rps" 'BEGIN {printf "\ncached / uncached: %.1fx\n", c / u}'
