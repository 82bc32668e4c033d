#!/usr/bin/env bash
# The long fuzz run (make fuzz-long): every target for FUZZ_SECONDS (default 1800, half an hour)
# from the committed corpus, one after the other (one core), then a table of what each did:
# executions, speed, the corpus it grew to, and crashes. The figures in docs/SECURITY.md
# ("Fuzzing") come from this script. The grown corpora are kept in <build>/fuzz-corpus/ for
# inspection; they are not committed (the repository keeps the seeds and the crash reproducers).
#
# usage: scripts/fuzz_long.sh [BUILD_DIR] [TARGET...]
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${1:-$ROOT/build-fuzz}"
shift || true
SECONDS_PER_TARGET="${FUZZ_SECONDS:-1800}"
STATS="$(mktemp)"
trap 'rm -f "$STATS"' EXIT

status=0
FUZZ_STATS="$STATS" FUZZ_CORPUS_OUT="$BUILD/fuzz-corpus" \
  "$ROOT/scripts/fuzz.sh" "$BUILD" "$SECONDS_PER_TARGET" "$@" || status=$?

echo
printf '%-8s %8s %12s %9s %13s %13s %8s\n' target seconds runs execs/s corpus_files corpus_bytes crashes
while read -r target seconds runs speed files bytes crashes; do
  printf '%-8s %8s %12s %9s %13s %13s %8s\n' "$target" "$seconds" "$runs" "$speed" "$files" \
    "$bytes" "$crashes"
done <"$STATS"
exit "$status"
