#!/bin/sh
# build.sh SOURCES [OUT]: builds ext_bench, which times PGM-index, RadixSpline and ALEX against
# augur's learned core on bench_index's keys, probes and timing (docs/LEARNED_INDEX.md, "Against
# PGM-index, RadixSpline and ALEX"). Their code never enters this repository: fetch it yourself
# into SOURCES, at the commits the document records:
#   git clone https://github.com/gvinciguerra/PGM-index    SOURCES/pgm   (c6fcf3d)
#   git clone https://github.com/learnedsystems/RadixSpline SOURCES/rs   (ab96aa5)
#   git clone https://github.com/microsoft/ALEX            SOURCES/alex (4370da6)
# OUT defaults to ./ext_bench. Then:
#   ext_bench [KEYS] [LOOKUPS]            the static table (10M keys, 1M lookups by default)
#   ext_bench [KEYS] [LOOKUPS] updates    the issue's insert workload, augur against ALEX
#   DISTS=uniform,lognormal ext_bench ... only those distributions (ALEX on clustered keys
#                                          needs ~18 GB and a minute at 10M)
# Not part of `make bench` or CI: nothing may be downloaded there.
set -eu
SOURCES=$1
OUT=${2:-$PWD/ext_bench}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
CXX=${CXX:-g++}
FLAGS="-O2 -march=native"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# ALEX uses std::allocator::rebind, removed in C++20: its own C++17 translation unit.
$CXX -std=c++17 $FLAGS -I"$SOURCES/alex/src/core" -c "$HERE/alex_runner.cpp" -o "$WORK/alex.o"
$CXX -std=c++20 $FLAGS -I"$ROOT/src" -I"$ROOT/include" -I"$ROOT/bench" -I"$HERE" \
  -I"$SOURCES/pgm/include" -I"$SOURCES/rs/include" \
  "$HERE/ext_bench.cpp" "$ROOT"/src/learned/*.cpp "$ROOT"/bench/learned/lab/*.cpp "$WORK/alex.o" -o "$OUT" -lfmt -pthread
echo "built $OUT"
