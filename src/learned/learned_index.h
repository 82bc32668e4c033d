// learned_index.h: a read-only learned index over a sorted array of 64-bit keys.
//
// The index maps a key to the position of its lower bound in the array it was built on, without
// storing the keys: a radix table on the key's top bits finds the candidate segments, a binary
// search among them picks the one covering the key, its linear model predicts the position
// within +-epsilon, and a binary search over the 2*epsilon+2 keys around the prediction finishes.
// When the keys are skewed (lognormal keys put most segments into a few radix slots), the
// segments' first keys get a piecewise-linear model of their own, recursively, as in the
// PGM-index: the radix table then routes into the top level, and each level predicts a segment
// of the level below within +-kUpperEpsilon.
// The last step is verified against the neighbouring keys and widened when a prediction misses
// (a key absent from the array behind many duplicates can land outside the window), so every
// answer is exact whatever the data.
//
// Memory: 16 bytes per segment plus 4 bytes per radix slot. Lookup: one radix-table read, a
// short search among segments, and about log2(2*epsilon) key comparisons around the prediction.
//
// Thread safety: const methods may be called from many threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "learned/radix_map.h"
#include "learned/segment.h"

namespace augur::learned {

struct LearnedIndexOptions {
  // Maximum distance between a predicted and a true position. Smaller: more segments, shorter
  // last-mile search. 32 keeps the last mile within one or two cache lines of 8-byte keys.
  uint64_t epsilon = 32;
  // log2 of the radix table size; 0 chooses one to two slots per segment, capped at 2^20.
  int radix_bits = 0;
  // The optimal segmentation (fewest segments: 1.1-1.4x fewer on the benchmark keys) instead of
  // the shrinking cone, at about 8x the build time (0.47 s vs 0.06 s for 10M keys). Off for the
  // engine's CREATE INDEX, where build time is on the user's clock; ChosenIndex turns it on.
  bool optimal_segmentation = false;
  // When positive, the most index bytes per key the caller accepts: the builder doubles epsilon
  // (from `epsilon`, up to 4096) until the index fits, so that keys with many jumps (bursty
  // timestamps, sequences with gaps) still get a small index. 0.08 is 1% of 8-byte keys.
  double max_bytes_per_key = 0;
};

class LearnedIndex {
 public:
  LearnedIndex() = default;

  // Builds the index over `keys`, which must be sorted ascending (duplicates allowed). O(n).
  static LearnedIndex Build(std::span<const uint64_t> keys, LearnedIndexOptions options = {});

  // The index over `key_count` sorted keys that `segments` (from SegmentKeys or SegmentKeysCone
  // over them, with options.epsilon) already split: for callers that segment keys as they produce
  // them (ConeSegmenter). The size budget does not apply.
  static LearnedIndex FromSegments(const std::vector<Segment>& segments, size_t key_count,
                                   LearnedIndexOptions options);

  // The first position i with keys[i] >= key, or keys.size() when there is none. `keys` must be
  // the array the index was built on.
  size_t LowerBound(std::span<const uint64_t> keys, uint64_t key) const;

  // The window [first, last) of positions the lower bound of `key` is predicted in. A present
  // key's first occurrence always lies there; an absent key's lower bound may not (keys in the
  // gap after a segment are extrapolated). So a membership test is a search of this window
  // alone (LowerBoundIn in last_mile.h), and callers that keep data beside the keys (payloads)
  // can request it while they search.
  std::pair<size_t, size_t> PredictedWindow(uint64_t key) const;

  // [first, last) positions of keys in [lo, hi] (inclusive bounds); empty when lo > hi.
  std::pair<size_t, size_t> EqualRange(std::span<const uint64_t> keys, uint64_t lo,
                                       uint64_t hi) const;

  // The segment covering `key`: the last whose first key is <= key (0 for smaller keys). With
  // segment(), for layouts that place keys by the model's segments (gapped_run.h). The index must
  // not be empty.
  size_t SegmentOf(uint64_t key) const { return key <= min_key_ ? 0 : SegmentFor(key); }
  const PackedSegment& segment(size_t i) const { return segments_[i]; }
  // Replaces segment i's line (its first key stays): for a GappedRun, which stores keys at the
  // slots its model predicts, so that its model predicts slots rather than positions. The
  // routing is unchanged; LowerBound, PredictedWindow and EqualRange no longer apply.
  void SetSegmentLine(size_t i, uint32_t first_position, float slope) {
    segments_[i].first_position = first_position;
    segments_[i].slope = slope;
  }

  size_t size() const { return key_count_; }
  uint64_t epsilon() const { return options_.epsilon; }
  size_t segment_count() const { return segments_.size(); }
  // Piecewise-linear levels above the segments (0 when the radix table routes well enough).
  size_t upper_level_count() const { return upper_.size(); }
  size_t SizeBytes() const;
  // The options it was built with, as a size budget left them (epsilon raised, radix table
  // shrunk): with the segments, all a copy of the model needs (FromSegments).
  const LearnedIndexOptions& options() const { return options_; }
  // One line saying what was built and why, e.g. for EXPLAIN and augur_indexes().
  std::string Describe() const;

 private:
  // A level of segments over the first keys of the level below it (segments_ for the first).
  struct UpperLevel {
    std::vector<PackedSegment> segments;  // predicts an index into the level below
    uint64_t slack = 0;                   // QuantizationSlack of `segments`
  };
  static LearnedIndex BuildWithEpsilon(std::span<const uint64_t> keys, LearnedIndexOptions options);
  // Derives the upper levels and the radix table from segments_.
  void BuildRouting();
  size_t SegmentFor(uint64_t key) const;
  size_t RadixSearch(const std::vector<PackedSegment>& level, uint64_t key) const;
  // Over a size budget: halves the radix table (up to kMaxRadixShrinkBits times) until the
  // index fits, rebuilding only the routing; leaves the full table when that is not enough.
  void ShrinkRadixToBudget(double budget);

  LearnedIndexOptions options_;
  size_t key_count_ = 0;
  uint64_t min_key_ = 0;
  RadixMap radix_map_;           // radix slot of key k: radix_map_.Slot(k - min_key_)
  std::vector<uint32_t> radix_;  // radix_[p]: first top-level segment with first_key's slot >= p
  std::vector<PackedSegment> segments_;  // ordered by first_key; predict positions in the keys
  uint64_t slack_ = 0;                   // QuantizationSlack of segments_, added to epsilon
  std::vector<UpperLevel> upper_;        // upper_.back() is the top level
};

}  // namespace augur::learned
