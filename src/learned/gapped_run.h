// gapped_run.h: an immutable sorted run of (key, payload) entries, each stored at the slot its
// model predicts for it, in an array with some free slots (a "gapped array", as in ALEX).
//
// Why: in a dense sorted array a piecewise-linear model predicts a position within +-epsilon, so
// a lookup searches a window of 2 * epsilon + 1 keys. At epsilon 16 that window spans 4-5 cache
// lines, and the search costs about what reading all of them costs (10M keys: 188-232 ns per
// dependent lookup, against 137-165 ns for reading one key line and one payload line). Here the
// run has `gap` slots per entry, and each entry sits at its predicted slot or, when an earlier
// entry took that one, at the first free slot after it: a lookup reads the predicted slot's line
// and usually finds the key there or a slot or two on. Unlike ALEX's, the run never changes:
// UpdatableIndex collects inserts elsewhere and lays the run out anew when it merges them in.
//
// Layout:
//   - slots hold (key, payload) pairs, bit-packed in blocks of 64 (packed_slots.h: 4-5 bytes a
//     slot for dense keys and 24-bit row ids instead of 16), a key next to its payload;
//   - a free slot (a gap) holds a copy of the next entry, so the slots' keys never decrease and a
//     search needs no occupancy test; a bitmap marks the occupied slots, for iteration;
//   - one slot past the last entry holds the key UINT64_MAX, and ends every search;
//   - each segment of the model owns a contiguous range of slots, after the previous segment's,
//     so that predictions increase with the key across segments too (in a dense array the
//     segments' predictions overlap by up to epsilon, and a search that starts at the prediction
//     could start after the entry it looks for). Its line is not the model's: it runs from the
//     segment's first slot to where the run should end after the segment's last key (`gap`
//     slots per entry placed so far), which keeps the run at `gap` slots per entry.
// Entries are placed by the very function that lookups evaluate, so a present key is always at or
// after its prediction. At gap 1.2 and epsilon 16 (10M keys), entries sit on average 0.9-2.4
// slots past their prediction (at most 23-32) on sequential, uniform, lognormal and clustered
// keys, and 8.6 (at most 39) on bursty timestamps, whose bursts queue up within a segment and
// leave 1.33 slots per entry. Lookups read on from the prediction one slot at a time: right for
// those distances; a model with a large epsilon (a size budget can raise it to 4096) makes them
// scan further.
//
// Thread safety: const methods may be called from many threads at once.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "learned/huge_page_allocator.h"
#include "learned/learned_index.h"
#include "learned/packed_slots.h"
#include "learned/segmentation.h"

namespace augur::learned {

class GappedRun {
 public:
  static constexpr size_t kNotFound = SIZE_MAX;

  // An empty run: only the end marker.
  GappedRun() : occupied_(1, 0) {
    slots_.Append(UINT64_MAX, 0);
    slots_.Seal();
  }

  // Lays out `keys` and `payloads` (sorted by (key, payload) together), with `gap` >= 1 slots per
  // entry. `model` must have been built on `keys`.
  static GappedRun Build(std::span<const uint64_t> keys, std::span<const uint64_t> payloads,
                         LearnedIndex model, double gap);

  // Lays out entries as they come, segmenting their keys with the shrinking cone
  // (ConeSegmenter) at options.epsilon: a merge's output goes straight into its slots, where
  // Build needs it stored densely first (for 10M entries, 160 MB of fresh memory written and
  // read again). options' size budget and optimal segmentation do not apply: use Build for those.
  class Builder;

  size_t size() const { return size_; }
  // Slots before the end marker: the entries and the gaps among them.
  size_t end() const { return end_; }
  const LearnedIndex& model() const { return model_; }

  // The first slot whose key is >= `key`, or end(). Its entry, or the entry it copies when it is
  // a gap (NextEntry), is the first entry with a key >= `key`. Reads on from the predicted slot,
  // a slot at a time (see the top of this file).
  size_t LowerBound(uint64_t key) const {
    size_t slot = PredictedSlot(key);
    while (slots_.key(slot) < key) ++slot;  // the end marker stops every search
    return slot;
  }
  // A slot holding an entry with `key`, or kNotFound: all a point lookup needs.
  size_t Find(uint64_t key) const {
    const size_t slot = LowerBound(key);
    return slots_.key(slot) == key && slot < end_ ? slot : kNotFound;
  }

  uint64_t key(size_t slot) const { return slots_.key(slot); }
  uint64_t payload(size_t slot) const { return slots_.payload(slot); }
  bool occupied(size_t slot) const { return (occupied_[slot / 64] >> (slot % 64)) & 1; }
  // The first slot >= `slot` holding an entry (not a gap), or end(). Inline for merges, which
  // call it once per entry: the next entry is almost always in the same bitmap word.
  size_t NextEntry(size_t slot) const {
    if (slot < end_) {
      const uint64_t later = occupied_[slot / 64] >> (slot % 64);
      if (later != 0) return slot + static_cast<size_t>(std::countr_zero(later));
    }
    return NextEntryInLaterWords(slot);
  }
  // The last slot < `slot` holding an entry, or kNotFound.
  size_t PrevEntry(size_t slot) const;
  // Entries in slots [first, last).
  size_t CountEntries(size_t first, size_t last) const;

  size_t ModelBytes() const { return model_.SizeBytes(); }
  // The packed slots and the bitmap.
  size_t DataBytes() const;

 private:
  struct Slot {
    uint64_t key;
    uint64_t payload;
  };
  class Placer;

  // Where `key` would be placed by a segment whose line is `line` (its first slot in
  // first_position), unbounded: the function placement and lookups share, so that a present key
  // is never before its prediction. The model's segments hold these lines (SetSegmentLine), so
  // a lookup reads the line on the cache line its routing just read.
  static double SlotOf(const PackedSegment& line, uint64_t key) {
    const double offset = key > line.first_key ? static_cast<double>(key - line.first_key) : 0.0;
    return static_cast<double>(line.first_position) + static_cast<double>(line.slope) * offset;
  }
  // A key past its segment's last entry is predicted no further than the next segment's first
  // slot, whose entry is larger.
  size_t PredictedSlot(uint64_t key) const {
    if (size_ == 0) return 0;  // the model has no segments
    const size_t segment = model_.SegmentOf(key);
    const double slot = SlotOf(model_.segment(segment), key);
    const double limit = segment + 1 < model_.segment_count()
                             ? static_cast<double>(model_.segment(segment + 1).first_position)
                             : static_cast<double>(end_);
    return static_cast<size_t>(slot < limit ? slot : limit);
  }

  size_t NextEntryInLaterWords(size_t slot) const;

  LearnedIndex model_;  // predicts slots: see SlotOf

  PackedSlots slots_;  // bit-packed (packed_slots.h): 4-5 bytes a slot for row ids and dense keys
  std::vector<uint64_t> occupied_;  // bit s % 64 of word s / 64: slot s holds an entry
  size_t size_ = 0;
  size_t end_ = 0;
};

// Places the entries of one segment after another: the single implementation of the layout,
// which Build and Builder feed.
class GappedRun::Placer {
 public:
  Placer(double gap, size_t expected_entries);
  // Places the next segment's entries (its keys, from `first_key` on) after those placed so far.
  void Place(uint64_t first_key, std::span<const Slot> entries);
  GappedRun Finish(LearnedIndex model);

 private:
  double gap_;
  GappedRun run_;
  std::vector<PackedSegment> lines_;  // each placed segment's line, for the model at Finish
  size_t written_ = 0;                // slots [0, written_) are filled
  size_t next_first_ = 0;             // the next segment's first slot
};

class GappedRun::Builder {
 public:
  // `expected_entries` sizes the slots (they grow if more come).
  Builder(LearnedIndexOptions options, double gap, size_t expected_entries);
  // The next entry, in (key, payload) order.
  void Add(uint64_t key, uint64_t payload) {
    if (segmenter_.Add(key)) PlacePending(segmenter_.Closed());
    pending_.push_back(Slot{key, payload});
  }
  GappedRun Finish();

 private:
  void PlacePending(const Segment& segment);

  LearnedIndexOptions options_;
  ConeSegmenter segmenter_;
  Placer placer_;
  std::vector<Slot> pending_;  // the open segment's entries
  std::vector<Segment> segments_;
};

}  // namespace augur::learned
