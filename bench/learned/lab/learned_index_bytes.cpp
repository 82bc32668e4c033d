// learned_index_bytes.cpp: LearnedIndex to bytes and back through its public surface (the
// options, the packed segments, FromSegments).
#include "learned/lab/learned_index_bytes.h"

#include <cstdint>
#include <vector>

#include "learned/lab/model_bytes.h"
#include "learned/segment.h"

namespace augur::learned::lab {
namespace {

// 2: first_position is a double; 3: the radix table is derived on loading, not stored; 4: packed
// 16-byte segments.
constexpr uint8_t kFormatVersion = 4;

}  // namespace

std::string SerializeLearnedIndex(const LearnedIndex& index) {
  using model_bytes::Put;
  const LearnedIndexOptions& options = index.options();
  std::string out = model_bytes::Begin(kFormatVersion);
  Put(out, options.epsilon);
  Put(out, static_cast<int32_t>(options.radix_bits));
  Put(out, static_cast<uint8_t>(options.optimal_segmentation));
  Put(out, static_cast<uint64_t>(index.size()));
  // The smallest key: the first segment's first key (0 for an empty index).
  Put(out, index.segment_count() > 0 ? index.segment(0).first_key : uint64_t{0});
  Put(out, static_cast<uint64_t>(index.segment_count()));
  for (size_t i = 0; i < index.segment_count(); ++i) {
    const PackedSegment& s = index.segment(i);
    Put(out, s.first_key);
    Put(out, s.first_position);
    Put(out, s.slope);
  }
  model_bytes::Seal(out);
  return out;
}

Result<LearnedIndex> DeserializeLearnedIndex(std::string_view bytes) {
  using model_bytes::Get;
  auto corrupt = [](std::string_view why) { return model_bytes::Corrupt("learned index", why); };
  auto opened = model_bytes::Open(bytes, kFormatVersion, "learned index");
  if (!opened) return opened.error();
  std::string_view body = *opened;
  LearnedIndexOptions options;
  int32_t radix_bits = 0;
  uint8_t optimal = 0;
  uint64_t key_count = 0, min_key = 0, segment_count = 0;
  if (!Get(body, options.epsilon) || !Get(body, radix_bits) || !Get(body, optimal) ||
      !Get(body, key_count) || !Get(body, min_key) || !Get(body, segment_count)) {
    return corrupt("truncated header");
  }
  if (radix_bits < 0 || radix_bits > 24 || optimal > 1 || options.epsilon > (1u << 24)) {
    return corrupt("bad options");
  }
  if (segment_count != body.size() / sizeof(PackedSegment) ||
      body.size() % sizeof(PackedSegment) != 0) {
    return corrupt("bad segment table");
  }
  options.radix_bits = radix_bits;
  options.optimal_segmentation = optimal == 1;
  // FromSegments packs its segments again: an integer position and a float slope come back out
  // of their doubles unchanged, so the loaded model is the stored one bit for bit.
  std::vector<Segment> segments(segment_count);
  for (Segment& s : segments) {
    PackedSegment packed{};
    Get(body, packed.first_key);
    Get(body, packed.first_position);
    Get(body, packed.slope);
    s = {packed.first_key, static_cast<double>(packed.slope),
         static_cast<double>(packed.first_position)};
  }
  if ((key_count == 0) != (segment_count == 0) ||
      (segment_count > 0 && segments.front().first_key != min_key)) {
    return corrupt("inconsistent sizes");
  }
  for (size_t i = 1; i < segments.size(); ++i) {
    if (segments[i].first_key <= segments[i - 1].first_key) {
      return corrupt("segments out of order");
    }
  }
  return LearnedIndex::FromSegments(segments, key_count, options);
}

}  // namespace augur::learned::lab
