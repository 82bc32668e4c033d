#!/usr/bin/env bash
# pgbench against augur and against PostgreSQL 15 (Debian's package, in a temporary directory),
# alternately, on the same machine and data scale; prints a markdown table of TPS and the ratio:
# select-only and TPC-B in each protocol mode with CLIENTS clients, then one client's prepared
# point lookup and prepared SELECT 1 (their latency, as transactions per second).
#
#   bench/pgbench_compare.sh [SECONDS_PER_RUN] [SCALE] [CLIENTS]
#
# AUGUR_ARGS adds options to `augur serve` (e.g. AUGUR_ARGS="--engine-threads 1"); AUGUR_PORT and
# PG_PORT move the servers, for runs side by side.
#
# A benchmark, not a test: numbers depend on the machine and its load. Run it as root (PostgreSQL
# is started as the postgres user) or as a user that may run initdb.
set -euo pipefail
SECONDS_PER_RUN=${1:-10}
SCALE=${2:-10}
CLIENTS=${3:-4}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
AUGUR="$ROOT/build/augur"
PGBIN=/usr/lib/postgresql/15/bin
WORK="$(mktemp -d /tmp/augur-pgbench.XXXXXX)"
AUGUR_PORT=${AUGUR_PORT:-55601}  # both overridable, for runs side by side
PG_PORT=${PG_PORT:-55602}
chmod 755 "$WORK"

cleanup() {
  [ -n "${AUGUR_PID:-}" ] && kill "$AUGUR_PID" 2>/dev/null && wait "$AUGUR_PID" 2>/dev/null || true
  run_pg "$PGBIN/pg_ctl -D $WORK/pg -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

run_pg() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

mkdir -p "$WORK/pg"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK/pg"; fi
run_pg "$PGBIN/initdb -D $WORK/pg -A trust -U augur" >/dev/null
run_pg "$PGBIN/pg_ctl -D $WORK/pg -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1' -l $WORK/pg/server.log -w start" >/dev/null
run_pg "$PGBIN/createdb -h 127.0.0.1 -p $PG_PORT -U augur augur"
# shellcheck disable=SC2086  # AUGUR_ARGS is a list of options
"$AUGUR" serve --data "$WORK/augur" --pg-port "$AUGUR_PORT" --http-port 0 ${AUGUR_ARGS:-} \
  2>"$WORK/augur.log" &
AUGUR_PID=$!
for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p "$AUGUR_PORT" && break; sleep 0.1; done

export PGUSER=augur PGHOST=127.0.0.1
pgbench -q -i -s "$SCALE" -p "$AUGUR_PORT" augur >/dev/null 2>&1
pgbench -q -i -s "$SCALE" -p "$PG_PORT" augur >/dev/null 2>&1

tps() {  # port mode extra-args...
  local port=$1 mode=$2
  shift 2
  pgbench -n -c "${RUN_CLIENTS:-$CLIENTS}" -j "${RUN_JOBS:-2}" -T "$SECONDS_PER_RUN" -M "$mode" \
    "$@" -p "$port" augur 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p'
}

# One client, prepared: the latency of a point lookup and of the smallest statement.
echo '\set aid random(1, 100000 * :scale)
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;' >"$WORK/point.sql"
echo 'SELECT 1;' >"$WORK/select1.sql"

echo "pgbench, scale $SCALE, $CLIENTS clients, ${SECONDS_PER_RUN}s per run, $(nproc) cores, $(date -u +%F)"
echo
echo "| workload | mode | augur tps | PostgreSQL 15 tps | augur / PostgreSQL |"
echo "|---|---|---:|---:|---:|"
for workload in select-only tpc-b; do
  extra=()
  [ "$workload" = select-only ] && extra=(-S)
  for mode in simple extended prepared; do
    a=$(tps "$AUGUR_PORT" "$mode" "${extra[@]}")
    p=$(tps "$PG_PORT" "$mode" "${extra[@]}")
    ratio=$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%.2f", a / p }')
    printf '| %s | %s | %.0f | %.0f | %s |\n' "$workload" "$mode" "$a" "$p" "$ratio"
  done
done
for script in point select1; do
  a=$(RUN_CLIENTS=1 RUN_JOBS=1 tps "$AUGUR_PORT" prepared -s "$SCALE" -f "$WORK/$script.sql")
  p=$(RUN_CLIENTS=1 RUN_JOBS=1 tps "$PG_PORT" prepared -s "$SCALE" -f "$WORK/$script.sql")
  ratio=$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%.2f", a / p }')
  name=$([ "$script" = point ] && echo "point lookup, 1 client" || echo "SELECT 1, 1 client")
  printf '| %s | prepared | %.0f | %.0f | %s |\n' "$name" "$a" "$p" "$ratio"
done
