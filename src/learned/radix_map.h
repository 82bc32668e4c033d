// radix_map.h: which radix-table slot a key's offset from the smallest key falls in.
//
// Linear: the offset's top bits (offset >> bits), as in RadixSpline: right when keys fill their
// range about evenly. Logarithmic: the position of the offset's highest set bit and the `bits`
// bits below it, like a floating-point number's exponent and mantissa (or an HDR histogram's
// buckets): every power-of-two range of offsets gets 2^bits slots, so keys that span orders of
// magnitude (lognormal keys put thousands of segments into one linear slot) still spread out.
// Both are monotone in the offset, which is all the table needs.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

namespace augur::learned {

struct RadixMap {
  bool logarithmic = false;
  int bits = 0;  // linear: the shift; logarithmic: mantissa bits kept (at most 24)

  size_t Slot(uint64_t offset) const {
    if (!logarithmic) return static_cast<size_t>(offset >> bits);
    if (offset < (uint64_t{2} << bits)) return static_cast<size_t>(offset);  // exact below
    const int exponent = std::bit_width(offset) - 1;                         // > bits
    const uint64_t mantissa = (offset >> (exponent - bits)) - (uint64_t{1} << bits);
    return (static_cast<size_t>(exponent - bits + 1) << bits) + static_cast<size_t>(mantissa);
  }
};

}  // namespace augur::learned
