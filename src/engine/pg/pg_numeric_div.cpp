// pg_numeric_div.cpp: see pg_numeric_div.h. The quotient is produced digit by digit (long
// division of the dividend's digits followed by zeros), so no intermediate exceeds ten times the
// divisor, which must therefore stay below 2^128 / 10.
#include "engine/pg/pg_numeric_div.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace augur::engine {
namespace {

using u128 = unsigned __int128;

constexpr u128 kU128Max = ~static_cast<u128>(0);

u128 Magnitude(__int128 v) { return v < 0 ? static_cast<u128>(0) - static_cast<u128>(v) : v; }

std::string DigitsOf(u128 v) {
  if (v == 0) return "0";
  std::string out;
  while (v > 0) {
    out.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

u128 PowerOfTen(int n) {
  u128 p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

int FloorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// PostgreSQL keeps numerics in base-10000 digits; select_div_scale looks at the weight (power of
// 10000) of the first digit and that digit's value. Zero has weight 0 and first digit 0.
struct BaseTenThousandHead {
  int weight = 0;
  int first_digit = 0;
};

BaseTenThousandHead HeadOf(u128 magnitude, int scale) {
  if (magnitude == 0) return {};
  std::string digits = DigitsOf(magnitude);
  int exponent = static_cast<int>(digits.size()) - scale - 1;  // of the leading decimal digit
  int weight = FloorDiv(exponent, 4);
  size_t group = static_cast<size_t>(exponent - 4 * weight + 1);  // decimal digits in it
  digits.resize(std::max(digits.size(), group), '0');
  return {weight, std::stoi(digits.substr(0, group))};
}

}  // namespace

int TrimmedScale(__int128 unscaled, int scale) {
  u128 m = Magnitude(unscaled);
  if (m == 0) return 0;
  while (scale > 0 && m % 10 == 0) {
    m /= 10;
    --scale;
  }
  return scale;
}

Result<__int128> PgNumericDivide(const ScaledDecimal& a, const ScaledDecimal& b) {
  u128 dividend = Magnitude(a.unscaled), divisor = Magnitude(b.unscaled);
  if (divisor == 0) return Error("22012", "division by zero");
  if (divisor > (kU128Max - 9) / 10) {
    return Error("0A000",
                 "augur does not support numeric division by a divisor of more than "
                 "37 significant digits");
  }
  // select_div_scale (PostgreSQL 15, numeric.c).
  auto head1 = HeadOf(dividend, a.scale), head2 = HeadOf(divisor, b.scale);
  int qweight = head1.weight - head2.weight;
  if (head1.first_digit <= head2.first_digit) --qweight;
  int rscale = 16 - qweight * 4;
  rscale = std::max({rscale, a.display_scale, b.display_scale, 0});
  rscale = std::min(rscale, 1000);

  // quotient * 10^(rscale + 1) = dividend * 10^(b.scale - a.scale + rscale + 1) / divisor; the
  // extra digit decides the rounding (half away from zero: a 5 followed by anything rounds up).
  int zeros = b.scale - a.scale + rscale + 1;
  std::string numerator = DigitsOf(dividend);
  if (zeros >= 0) {
    numerator.append(static_cast<size_t>(zeros), '0');
  } else {
    // The dividend has more fractional digits than needed: those cut off are trailing zeros,
    // since rscale >= a.display_scale and the digits past the display scale are zeros.
    size_t keep = numerator.size() > static_cast<size_t>(-zeros)
                      ? numerator.size() - static_cast<size_t>(-zeros)
                      : 0;
    numerator = keep == 0 ? std::string("0") : numerator.substr(0, keep);
  }
  u128 quotient = 0, remainder = 0;
  for (char c : numerator) {
    remainder = remainder * 10 + static_cast<u128>(c - '0');
    u128 digit = remainder / divisor;
    remainder %= divisor;
    if (quotient > (kU128Max - digit) / 10) {
      return Error("22003", "numeric quotient out of the range augur keeps")
          .WithDetail(fmt::format("augur keeps {} integer and {} fractional digits of a numeric "
                                  "quotient.",
                                  38 - kQuotientScale, kQuotientScale));
    }
    quotient = quotient * 10 + digit;
  }
  quotient = quotient / 10 + (quotient % 10 >= 5 ? 1 : 0);  // now at rscale digits
  if (rscale > kQuotientScale) {
    u128 cut = PowerOfTen(rscale - kQuotientScale);
    if (quotient % cut != 0) {
      return Error("0A000", fmt::format("augur does not support numeric quotients with more than "
                                        "{} fractional digits (PostgreSQL gives this one {})",
                                        kQuotientScale, rscale))
          .WithHint("Multiply the dividend by a power of ten first, or cast to float8.");
    }
    quotient /= cut;
  } else {
    u128 grow = PowerOfTen(kQuotientScale - rscale);
    if (quotient > PowerOfTen(38) / grow)
      quotient = PowerOfTen(38);  // flagged just below
    else
      quotient *= grow;
  }
  if (quotient >= PowerOfTen(38)) {
    return Error("22003", "numeric quotient out of the range augur keeps")
        .WithDetail(fmt::format("augur keeps {} integer and {} fractional digits of a numeric "
                                "quotient.",
                                38 - kQuotientScale, kQuotientScale));
  }
  bool negative = (a.unscaled < 0) != (b.unscaled < 0);
  __int128 signed_quotient = static_cast<__int128>(quotient);
  return negative ? -signed_quotient : signed_quotient;
}

}  // namespace augur::engine
