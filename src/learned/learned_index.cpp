// learned_index.cpp
#include "learned/learned_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "learned/last_mile.h"
#include "learned/segmentation.h"

namespace augur::learned {
namespace {

constexpr uint8_t kFormatVersion = 2;  // 2: first_position is a double

uint64_t Fnv1a(std::string_view bytes) {
  uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return hash;
}

template <typename T>
void Put(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

template <typename T>
bool Get(std::string_view& in, T& value) {
  if (in.size() < sizeof(T)) return false;
  std::memcpy(&value, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return true;
}

}  // namespace

LearnedIndex LearnedIndex::Build(std::span<const uint64_t> keys, LearnedIndexOptions options) {
  LearnedIndex index;
  index.options_ = options;
  index.key_count_ = keys.size();
  index.segments_ = options.optimal_segmentation ? SegmentKeys(keys, options.epsilon)
                                                 : SegmentKeysCone(keys, options.epsilon);
  if (keys.empty()) return index;
  index.min_key_ = keys.front();
  const uint64_t range = keys.back() - keys.front();
  int bits = options.radix_bits;
  if (bits <= 0) {
    bits = std::bit_width(index.segments_.size() * 2);
    bits = std::clamp(bits, 1, 20);
  }
  const int range_bits = std::bit_width(range);
  index.shift_ = range_bits > bits ? range_bits - bits : 0;
  const size_t slots = (range >> index.shift_) + 2;  // +1: the end sentinel
  index.radix_.assign(slots, 0);
  // radix_[p] = first segment whose slot is >= p.
  size_t segment = 0;
  for (size_t p = 0; p < slots; ++p) {
    while (segment < index.segments_.size() &&
           ((index.segments_[segment].first_key - index.min_key_) >> index.shift_) < p) {
      ++segment;
    }
    index.radix_[p] = static_cast<uint32_t>(segment);
  }
  return index;
}

size_t LearnedIndex::SegmentFor(uint64_t key) const {
  // The covering segment is the last one with first_key <= key. Its slot is at most key's slot,
  // and segments of key's slot start at radix_[slot]; so it is in [radix_[slot] - 1,
  // radix_[slot+1]).
  const size_t slot = static_cast<size_t>((key - min_key_) >> shift_);
  size_t lo = radix_[slot];
  size_t hi = radix_[slot + 1];
  lo = lo > 0 ? lo - 1 : 0;
  // Last segment in [lo, hi) with first_key <= key; segments_[lo].first_key <= key holds.
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (segments_[mid].first_key <= key) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return lo;
}

size_t LearnedIndex::LowerBound(std::span<const uint64_t> keys, uint64_t key) const {
  const size_t n = keys.size();
  if (n == 0 || key <= min_key_) return 0;
  if (key > keys[n - 1]) return n;
  const Segment& segment = segments_[SegmentFor(key)];
  const double predicted = segment.Predict(key);
  // Window [predicted - eps - 1, predicted + eps + 2): the extra slot absorbs rounding and the
  // one-past step from a covered key to an absent key just above it.
  const double eps = static_cast<double>(options_.epsilon);
  // A key in the gap after a segment's last key is extrapolated and may land anywhere in
  // [0, n]; clamping keeps the window inside the array, and the check below repairs the rest.
  const double last = static_cast<double>(n);
  const double lo_f = std::clamp(std::floor(predicted - eps - 1), 0.0, last);
  const double hi_f = std::clamp(std::ceil(predicted + eps + 2), lo_f, last);
  size_t lo = static_cast<size_t>(lo_f);
  size_t hi = static_cast<size_t>(hi_f);
  // (Repairs are rare: an absent key behind a long run of duplicates, or rounding at a
  // segment's end.)
  return LowerBoundAround(keys.data(), n, lo, hi, key, options_.epsilon + 1);
}

std::pair<size_t, size_t> LearnedIndex::EqualRange(std::span<const uint64_t> keys, uint64_t lo,
                                                   uint64_t hi) const {
  if (lo > hi) return {0, 0};
  size_t first = LowerBound(keys, lo);
  size_t last = hi == UINT64_MAX ? keys.size() : LowerBound(keys, hi + 1);
  return {first, std::max(first, last)};
}

size_t LearnedIndex::SizeBytes() const {
  return sizeof(*this) + segments_.size() * sizeof(Segment) + radix_.size() * sizeof(uint32_t);
}

std::string LearnedIndex::Describe() const {
  return fmt::format(
      "piecewise-linear, {} segments over {} keys (epsilon {}, {} segmentation), "
      "radix table of {} slots on the top bits of the key range, {} bytes ({:.3f} bytes/key)",
      segments_.size(), key_count_, options_.epsilon,
      options_.optimal_segmentation ? "optimal" : "shrinking-cone", radix_.size(), SizeBytes(),
      key_count_ ? static_cast<double>(SizeBytes()) / static_cast<double>(key_count_) : 0.0);
}

std::string LearnedIndex::Serialize() const {
  std::string out;
  Put(out, kFormatVersion);
  Put(out, options_.epsilon);
  Put(out, static_cast<int32_t>(options_.radix_bits));
  Put(out, static_cast<uint64_t>(key_count_));
  Put(out, min_key_);
  Put(out, static_cast<int32_t>(shift_));
  Put(out, static_cast<uint64_t>(radix_.size()));
  if (!radix_.empty()) {
    out.append(reinterpret_cast<const char*>(radix_.data()), radix_.size() * sizeof(uint32_t));
  }
  Put(out, static_cast<uint64_t>(segments_.size()));
  for (const Segment& s : segments_) {
    Put(out, s.first_key);
    Put(out, s.slope);
    Put(out, s.first_position);
  }
  Put(out, Fnv1a(out));
  return out;
}

Result<LearnedIndex> LearnedIndex::Deserialize(std::string_view bytes) {
  auto corrupt = [](std::string_view why) {
    return Error("XX001", fmt::format("learned index data is corrupt: {}", why));  // data_corrupted
  };
  if (bytes.size() < 1 + sizeof(uint64_t)) return corrupt("too short");
  std::string_view body = bytes.substr(0, bytes.size() - sizeof(uint64_t));
  uint64_t checksum = 0;
  std::memcpy(&checksum, bytes.data() + body.size(), sizeof(checksum));
  if (checksum != Fnv1a(body)) return corrupt("checksum mismatch");
  uint8_t version = 0;
  Get(body, version);
  if (version != kFormatVersion) return corrupt(fmt::format("unknown format version {}", version));
  LearnedIndex index;
  int32_t radix_bits = 0, shift = 0;
  uint64_t key_count = 0, radix_size = 0, segment_count = 0;
  if (!Get(body, index.options_.epsilon) || !Get(body, radix_bits) || !Get(body, key_count) ||
      !Get(body, index.min_key_) || !Get(body, shift) || !Get(body, radix_size)) {
    return corrupt("truncated header");
  }
  if (shift < 0 || shift > 63 || radix_size > body.size() / sizeof(uint32_t)) {
    return corrupt("bad radix table");
  }
  index.options_.radix_bits = radix_bits;
  index.key_count_ = key_count;
  index.shift_ = shift;
  index.radix_.resize(radix_size);
  if (radix_size > 0) {  // an empty vector's data() may be null, which memcpy must not see
    std::memcpy(index.radix_.data(), body.data(), radix_size * sizeof(uint32_t));
  }
  body.remove_prefix(radix_size * sizeof(uint32_t));
  if (!Get(body, segment_count) || segment_count != body.size() / (3 * sizeof(uint64_t)) ||
      body.size() % (3 * sizeof(uint64_t)) != 0) {
    return corrupt("bad segment table");
  }
  index.segments_.resize(segment_count);
  for (Segment& s : index.segments_) {
    Get(body, s.first_key);
    Get(body, s.slope);
    Get(body, s.first_position);
  }
  for (uint32_t slot : index.radix_) {
    if (slot > segment_count) return corrupt("radix slot out of range");
  }
  if ((key_count == 0) != (segment_count == 0) || (key_count > 0 && radix_size < 2)) {
    return corrupt("inconsistent sizes");
  }
  return index;
}

}  // namespace augur::learned
