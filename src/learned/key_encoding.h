// key_encoding.h: order-preserving maps from key types to uint64_t.
//
// The learned index models positions as a function of one unsigned 64-bit number. Every key
// type is mapped to it so that a < b implies Encode(a) <= Encode(b) (strictly for fixed-width
// types, which makes the map a bijection there):
//   - int64_t and timestamps (microseconds): flip the sign bit;
//   - double: the IEEE-754 trick (flip all bits of negatives, the sign bit of positives), for
//     non-NaN values; -0.0 and +0.0 map to neighbouring codes;
//   - byte strings: the first eight bytes, big-endian, zero-padded. Different strings can share a
//     code ("abcdefgh1" and "abcdefgh2"), so string lookups finish with a comparison search
//     among keys with equal codes. Keys that share a long prefix ("customer-00042") would all
//     share one code, so EncodeKeyAfterPrefix skips a prefix common to the indexed keys.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace augur::learned {

inline uint64_t EncodeKey(uint64_t key) { return key; }

inline uint64_t EncodeKey(int64_t key) { return static_cast<uint64_t>(key) ^ (uint64_t{1} << 63); }

inline uint64_t EncodeKey(double key) {
  uint64_t bits = std::bit_cast<uint64_t>(key);
  return (bits & (uint64_t{1} << 63)) ? ~bits : bits | (uint64_t{1} << 63);
}

inline uint64_t EncodeKey(std::string_view key) {
  unsigned char prefix[8] = {};
  std::memcpy(prefix, key.data(), key.size() < 8 ? key.size() : 8);
  uint64_t code = 0;
  for (unsigned char byte : prefix) code = (code << 8) | byte;
  return code;
}

// Order-preserving (non-strictly) for every string when `prefix` is fixed: strings that start
// with `prefix` map to the eight bytes after it; the others sort wholly before or after that
// block of strings, and map to 0 or to the largest code.
inline uint64_t EncodeKeyAfterPrefix(std::string_view key, std::string_view prefix) {
  if (key.starts_with(prefix)) return EncodeKey(key.substr(prefix.size()));
  return key < prefix ? 0 : UINT64_MAX;
}

}  // namespace augur::learned
