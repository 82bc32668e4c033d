#!/bin/bash
# check_layers.sh: fails when a layer includes what it must not (make test runs it).
#
# The build already refuses most of it (DuckDB is linked PRIVATE to the engine, and a layer's
# headers reach only the libraries that link it: see augur_layer_headers in CMakeLists.txt). This
# check says it in words, and also covers files the build does not compile in every
# configuration (the fuzz targets, benchmarks):
#   - only src/engine includes DuckDB's headers;
#   - src/common, src/learned, src/pgwire, src/http and src/main include no engine header:
#     they reach the engine only through include/augur/engine.h.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
report() {
  echo "check_layers: $1" >&2
  status=1
}
while IFS= read -r hit; do
  report "DuckDB header outside src/engine: $hit"
done < <(git grep -nE '^\s*#\s*include\s*[<"]duckdb' -- 'src/*' 'include/*' | grep -v '^src/engine/' || true)
while IFS= read -r hit; do
  report "engine header outside the engine (use augur/engine.h): $hit"
done < <(git grep -nE '^\s*#\s*include\s*"engine/' -- src/common src/learned src/pgwire src/http \
  src/main include || true)
if [ "$status" -eq 0 ]; then echo "check_layers: ok"; fi
exit "$status"
