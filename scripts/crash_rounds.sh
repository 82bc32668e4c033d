#!/usr/bin/env bash
# The long crash-durability run of issue 21: tests/integration/test_crash_durability.py with 200
# SIGKILL rounds instead of CI's 20 (a few minutes).
#
#   scripts/crash_rounds.sh [ROUNDS] [SEED]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
export AUGUR_CRASH_ROUNDS=${1:-200}
[ -n "${2:-}" ] && export AUGUR_CRASH_SEED=$2
export AUGUR_BIN=${AUGUR_BIN:-$ROOT/build/augur}
exec /usr/bin/python3 -m pytest -q -s "$ROOT/tests/integration/test_crash_durability.py"
