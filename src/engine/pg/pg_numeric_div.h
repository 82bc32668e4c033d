// pg_numeric_div.h: PostgreSQL's numeric division (numeric_div, and avg() which divides its sum
// by its count) on augur's fixed-scale decimals.
//
// PostgreSQL chooses the quotient's scale from the operands (select_div_scale: at least 16
// significant digits, at least either operand's scale) and rounds half away from zero. DuckDB
// divides decimals as doubles, 1::numeric / 3 giving 0.3333333333333333 where PostgreSQL gives
// 0.33333333333333333333. Here the quotient is computed exactly to PostgreSQL's scale and
// returned at kQuotientScale fractional digits; a quotient that needs more digits than that (a
// very small one) or more than 38 - kQuotientScale integer digits fails rather than being rounded
// differently. Pure: no DuckDB, so the text layers and the unit tests use it directly.
#pragma once

#include <cstdint>

#include "augur/result.h"

namespace augur::engine {

// The scale of the result type (DECIMAL(38, kQuotientScale)); printed without trailing zeros
// like every DECIMAL(38, s >= 10) (pg_numeric_text.h).
inline constexpr int kQuotientScale = 20;

// A decimal value: unscaled / 10^scale. `display_scale` is PostgreSQL's dscale for it (the digits
// it shows after the point), which takes part in choosing the quotient's scale.
struct ScaledDecimal {
  __int128 unscaled = 0;
  int scale = 0;
  int display_scale = 0;
};

// The number of fractional digits `unscaled / 10^scale` has without trailing zeros.
int TrimmedScale(__int128 unscaled, int scale);

// a / b as PostgreSQL computes it, as an unscaled value at kQuotientScale. Errors: 22012 division
// by zero, 22003 when the quotient has more integer digits than the result type holds, 0A000 when
// PostgreSQL's quotient has non-zero digits beyond kQuotientScale.
Result<__int128> PgNumericDivide(const ScaledDecimal& a, const ScaledDecimal& b);

}  // namespace augur::engine
