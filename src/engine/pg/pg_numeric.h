// pg_numeric.h: casts into augur's unconstrained numeric (pg_numeric_text.h) refuse, with 22003,
// values that need more fractional digits than it keeps; DuckDB's own casts round them.
#pragma once

namespace duckdb {
class CastFunctionSet;
}

namespace augur::engine {

// Registers the strict casts into DECIMAL(kUnconstrainedWidth, kUnconstrainedScale).
void RegisterUnconstrainedNumericCasts(duckdb::CastFunctionSet& casts);

}  // namespace augur::engine
