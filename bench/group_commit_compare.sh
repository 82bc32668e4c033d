#!/usr/bin/env bash
# Group commit, before and after, beside PostgreSQL 15, in one run (issue 21): pgbench TPC-B with
# prepared statements and single-row autocommit INSERTs, at 1, 4, 16 and 64 clients. Prints a
# markdown table of TPS.
#
#   bench/group_commit_compare.sh BEFORE_AUGUR AFTER_AUGUR [SECONDS_PER_RUN] [SCALE]
#
# BEFORE_AUGUR and AFTER_AUGUR are two augur binaries (e.g. main's and this branch's). PostgreSQL
# 15 (Debian's package) is started in a temporary directory with default settings, fsync on, as
# bench/pgbench_compare.sh does. Runs alternate between the three servers at each client count,
# so a change in the machine's load shows in all three. Run it as root (PostgreSQL is started as
# the postgres user) or as a user that may run initdb.
# A benchmark, not a test: numbers depend on the machine and its load.
set -euo pipefail
BEFORE=$1
AFTER=$2
SECONDS_PER_RUN=${3:-10}
SCALE=${4:-10}
PGBIN=/usr/lib/postgresql/15/bin
WORK="$(mktemp -d /tmp/groupcommit-bench.XXXXXX)"
BEFORE_PORT=57311
AFTER_PORT=57312
PG_PORT=57313
chmod 755 "$WORK"

run_pg() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

cleanup() {
  for pid in ${BEFORE_PID:-} ${AFTER_PID:-}; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  run_pg "$PGBIN/pg_ctl -D $WORK/pg -m fast stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_augur() {  # binary port name
  "$1" serve --data "$WORK/$3" --pg-port "$2" --http-port 0 --max-connections 200 \
    2>"$WORK/$3.log" &
  for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p "$2" && return; sleep 0.1; done
  echo "augur ($3) did not start" >&2
  exit 1
}
start_augur "$BEFORE" "$BEFORE_PORT" before
BEFORE_PID=$!
start_augur "$AFTER" "$AFTER_PORT" after
AFTER_PID=$!

mkdir -p "$WORK/pg"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK/pg"; fi
run_pg "$PGBIN/initdb -D $WORK/pg -A trust -U augur" >/dev/null
run_pg "$PGBIN/pg_ctl -D $WORK/pg -o '-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200' -l $WORK/pg/server.log -w start" >/dev/null
run_pg "$PGBIN/createdb -h 127.0.0.1 -p $PG_PORT -U augur augur"

conn() {
  case $1 in
    before) echo "-h 127.0.0.1 -p $BEFORE_PORT -U augur augur" ;;
    after) echo "-h 127.0.0.1 -p $AFTER_PORT -U augur augur" ;;
    pg) echo "-h 127.0.0.1 -p $PG_PORT -U augur augur" ;;
  esac
}

INSERT_SCRIPT="$WORK/insert.sql"
cat >"$INSERT_SCRIPT" <<'EOF'
\set v random(1, 1000000000)
INSERT INTO gc_insert VALUES (:client_id, :v);
EOF

for server in before after pg; do
  # shellcheck disable=SC2046
  pgbench -q -i -s "$SCALE" $(conn $server) >/dev/null 2>&1
  # shellcheck disable=SC2046
  psql -X -q $(conn $server) -c "CREATE TABLE gc_insert (client int, v int)" >/dev/null
done

tps() {  # server clients extra-args...
  local server=$1 clients=$2
  shift 2
  local threads=$((clients < 2 ? clients : 2))
  # shellcheck disable=SC2046
  pgbench -n -c "$clients" -j "$threads" -T "$SECONDS_PER_RUN" -M prepared "$@" $(conn "$server") \
    >"$WORK/run.out" 2>&1 || true
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/run.out")
  FAILED="$FAILED $server/$clients:${failed:-?}"
  sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/run.out"
}
FAILED=""

echo "scale $SCALE, ${SECONDS_PER_RUN}s per run, -M prepared, $(nproc) cores, $(date -u +%F)"
echo
echo "| workload | clients | augur before tps | augur after tps | PostgreSQL 15 tps | after / before | after / PostgreSQL |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for workload in tpc-b insert; do
  for clients in 1 4 16 64; do
    extra=()
    [ "$workload" = insert ] && extra=(-f "$INSERT_SCRIPT")
    tps before "$clients" "${extra[@]}" >"$WORK/b"
    tps after "$clients" "${extra[@]}" >"$WORK/a"
    tps pg "$clients" "${extra[@]}" >"$WORK/p"
    b=$(cat "$WORK/b") a=$(cat "$WORK/a") p=$(cat "$WORK/p")
    printf '| %s | %s | %.0f | %.0f | %.0f | %s | %s |\n' "$workload" "$clients" "$b" "$a" "$p" \
      "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')" \
      "$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%.2f", a / p }')"
  done
done
echo
echo "failed transactions per server/clients:$FAILED"
