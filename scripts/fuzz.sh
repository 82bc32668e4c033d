#!/usr/bin/env bash
# Runs augur's libFuzzer targets (tests/fuzz) for a bounded time each: `make fuzz` and, shorter,
# `make test` in CI. Each target starts from its committed corpus, copied into a temporary folder
# so that the inputs it finds do not land in the repository. Fails when any target crashes; the
# crashing input is kept in <build>/fuzz-artifacts/ and its report printed.
#
# usage: scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]   (targets default to all of them)
# FUZZ_STATS=FILE appends one line per target: target seconds runs execs/s corpus_files
# corpus_bytes crashes. FUZZ_CORPUS_OUT=DIR keeps each target's final corpus in DIR/<target>.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="$(cd "${1:?build directory}" && pwd)"
SECONDS_PER_TARGET="${2:?seconds per target}"
shift 2
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(pgwire sql http)

ARTIFACTS="$BUILD/fuzz-artifacts"
mkdir -p "$ARTIFACTS"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# ASan and UBSan reports end the run (UBSan is built without recovery); leaks count too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

failed=()
for target in "${TARGETS[@]}"; do
  binary="$BUILD/fuzz/$target"
  [ -x "$binary" ] || { echo "fuzz: $binary is missing (make fuzz-build)" >&2; exit 2; }
  corpus="$WORK/$target"
  mkdir -p "$corpus"
  cp -r "$ROOT/tests/fuzz/corpus/$target/." "$corpus/"
  dict=()
  [ -f "$ROOT/tests/fuzz/dict/$target.dict" ] && dict=(-dict="$ROOT/tests/fuzz/dict/$target.dict")
  log="$ARTIFACTS/$target.log"
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s from $(ls "$corpus" | wc -l) inputs"
  set +e
  "$binary" "$corpus" "${dict[@]}" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$ARTIFACTS/$target-" >"$log" 2>&1
  status=$?
  set -e
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  files="$(ls "$corpus" | wc -l)"
  bytes="$(du -sb "$corpus" | cut -f1)"
  crashes=0
  if [ "$status" -ne 0 ]; then
    crashes=1
    failed+=("$target")
    echo "fuzz: $target FAILED (exit $status); report:" >&2
    # From the first report line (sanitizer, uncaught exception, libFuzzer's own) on.
    awk '/^==[0-9]+==|runtime error|terminate called|ERROR: libFuzzer/ {on = 1} on' "$log" |
      head -60 >&2
    ls "$ARTIFACTS"/"$target"-* 2>/dev/null | grep -v '\.log$' | sed 's/^/fuzz: input kept in /' >&2 || true
  else
    echo "fuzz: $target ok: ${runs:-?} runs, ${speed:-?} execs/s, corpus $files files"
  fi
  if [ -n "${FUZZ_STATS:-}" ]; then
    echo "$target $SECONDS_PER_TARGET ${runs:-0} ${speed:-0} $files $bytes $crashes" >>"$FUZZ_STATS"
  fi
  if [ -n "${FUZZ_CORPUS_OUT:-}" ]; then
    mkdir -p "$FUZZ_CORPUS_OUT"
    rm -rf "${FUZZ_CORPUS_OUT:?}/$target"
    cp -r "$corpus" "$FUZZ_CORPUS_OUT/$target"
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: crashed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#TARGETS[@]} passed, 0 failed"
