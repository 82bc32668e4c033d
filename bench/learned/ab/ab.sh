#!/bin/sh
# ab.sh OLD_REV [NEW_REV] [KEYS] [PAIRS]: the updatable learned index of two revisions side by
# side in one process (ab_main.cpp): inserts with background folds in turns, lookups round-robin,
# and their ratios. NEW_REV defaults to the working tree. Each revision's src/learned is compiled
# under its own namespace (-Daugur=augur_old / augur_new), so both link into one binary; a
# revision must have UpdatableIndex with Options::background (2026-11-25 on).
# Example: bench/learned/ab/ab.sh d4ec2b8          (the dense base against the gapped one)
set -eu
OLD=$1; NEW=${2:-}; KEYS=${3:-10000000}; PAIRS=${4:-2}
ROOT=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
CXX="${CXX:-g++} -std=c++20 -O2 -march=native -pthread"
side() {  # side NAME REV: compiles that revision's learned core and ab_side.cpp into $WORK/NAME
  mkdir -p "$WORK/$1"
  if [ -n "$2" ]; then
    git -C "$ROOT" archive "$2" src/learned include | tar -x -C "$WORK/$1"
    SRC=$WORK/$1
  else
    SRC=$ROOT
  fi
  for f in "$SRC"/src/learned/*.cpp "$ROOT/bench/learned/ab/ab_side.cpp"; do
    $CXX -Daugur=augur_$1 -DAB_SIDE=$1 -I"$SRC/src" -I"$SRC/include" -c "$f" \
      -o "$WORK/$1/$(basename "$f" .cpp).o"
  done
}
side old "$OLD"
side new "$NEW"
$CXX -I"$ROOT/src" -I"$ROOT/bench" "$ROOT/bench/learned/ab/ab_main.cpp" \
  "$WORK"/old/*.o "$WORK"/new/*.o -o "$WORK/ab" -lfmt -labsl_raw_logging_internal
"$WORK/ab" "$KEYS" "$PAIRS"
