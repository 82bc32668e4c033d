// gapped_run.cpp
#include "learned/gapped_run.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace augur::learned {

GappedRun::Placer::Placer(double gap, size_t expected_entries) : gap_(std::max(gap, 1.0)) {
  // A segment's entries may overflow its share of slots by a few: 1/64 more covers that on the
  // benchmark keys, and the arrays grow otherwise.
  Reserve(static_cast<size_t>(static_cast<double>(expected_entries) * gap_) +
          expected_entries / 64 + 64);
  run_.lines_.clear();
  run_.slots_.clear();
  run_.occupied_.clear();
}

void GappedRun::Placer::Reserve(size_t slots) {
  if (slots <= run_.slots_.capacity()) return;
  run_.slots_.reserve(std::max(slots, run_.slots_.capacity() + run_.slots_.capacity() / 4));
}

void GappedRun::Placer::Place(const Segment& segment, std::span<const Slot> entries) {
  // The slope as the model stores it (PackedSegment's float), so that Build and Builder lay out
  // alike. Slopes are never negative for sorted keys; the bound keeps every slot non-negative.
  const double slope = static_cast<float>(segment.slope);
  run_.lines_.push_back({next_first_, std::max(0.0, slope * gap_)});
  const size_t line = run_.lines_.size() - 1;
  auto predicted = [&](uint64_t key) {
    return static_cast<size_t>(run_.SlotIn(line, key, segment.first_key));
  };
  // Predictions grow with the key, so no entry lands past the last one's prediction (or the
  // slots already written) plus the number of entries: room enough, without a pass to size it.
  if (entries.empty()) return;
  const size_t bound = std::max(written_, predicted(entries.back().key)) + entries.size() + 1;
  if (bound > run_.slots_.size()) {
    Reserve(bound);
    run_.slots_.resize(bound);  // uninitialised: slots are written in order, and Finish trims
    run_.occupied_.resize(bound / 64 + 1, 0);
  }
  Slot* slots = run_.slots_.data();
  uint64_t* occupied = run_.occupied_.data();
  size_t written = written_;
  for (const Slot& entry : entries) {
    const size_t slot = std::max(written, predicted(entry.key));
    for (; written < slot; ++written) slots[written] = entry;  // gaps copy the next entry
    slots[slot] = entry;
    occupied[slot / 64] |= uint64_t{1} << (slot % 64);
    written = slot + 1;
  }
  written_ = written;
  const double share = std::ceil(static_cast<double>(entries.size()) * gap_);
  next_first_ = std::max(static_cast<double>(written_), run_.lines_[line].first_slot + share);
  run_.size_ += entries.size();
}

GappedRun GappedRun::Placer::Finish(LearnedIndex model) {
  // The last segment ends at its last entry: end() is the slot after it.
  run_.end_ = written_;
  run_.lines_.push_back({static_cast<double>(written_), 0.0});
  run_.slots_.resize(written_ + 1);
  run_.slots_[written_] = Slot{UINT64_MAX, 0};
  run_.occupied_.resize(written_ / 64 + 1, 0);
  run_.model_ = std::move(model);
  return std::move(run_);
}

GappedRun GappedRun::Build(std::span<const uint64_t> keys, std::span<const uint64_t> payloads,
                           LearnedIndex model, double gap) {
  Placer placer(gap, keys.size());
  const size_t segments = keys.empty() ? 0 : model.segment_count();
  std::vector<Slot> entries;
  for (size_t s = 0, begin = 0; s < segments; ++s) {
    // The keys of segment s are those from its first key up to the next segment's first key
    // (excluded): what SegmentOf routes to it.
    const size_t end = s + 1 == segments
                           ? keys.size()
                           : static_cast<size_t>(std::lower_bound(keys.begin() + begin, keys.end(),
                                                                  model.segment(s + 1).first_key) -
                                                 keys.begin());
    entries.clear();
    for (size_t i = begin; i < end; ++i) entries.push_back(Slot{keys[i], payloads[i]});
    const PackedSegment& packed = model.segment(s);
    placer.Place(Segment{packed.first_key, packed.slope, 0}, entries);
    begin = end;
  }
  return placer.Finish(std::move(model));
}

GappedRun::Builder::Builder(LearnedIndexOptions options, double gap, size_t expected_entries)
    : options_(options), segmenter_(options.epsilon), placer_(gap, expected_entries) {}

void GappedRun::Builder::PlacePending(const Segment& segment) {
  placer_.Place(segment, pending_);
  segments_.push_back(segment);
  pending_.clear();
}

GappedRun GappedRun::Builder::Finish() {
  if (!pending_.empty()) PlacePending(segmenter_.Current());
  return placer_.Finish(LearnedIndex::FromSegments(segments_, segmenter_.count(), options_));
}

size_t GappedRun::NextEntryInLaterWords(size_t slot) const {
  if (slot >= end_) return end_;
  size_t word = slot / 64;
  uint64_t bits = occupied_[word] & (~uint64_t{0} << (slot % 64));
  while (bits == 0) {
    if (++word == occupied_.size()) return end_;
    bits = occupied_[word];
  }
  return word * 64 + static_cast<size_t>(std::countr_zero(bits));
}

size_t GappedRun::PrevEntry(size_t slot) const {
  slot = std::min(slot, end_);
  if (slot == 0) return kNotFound;
  const size_t last = slot - 1;
  size_t word = last / 64;
  uint64_t bits = occupied_[word] & (~uint64_t{0} >> (63 - last % 64));
  while (bits == 0) {
    if (word == 0) return kNotFound;
    bits = occupied_[--word];
  }
  return word * 64 + 63 - static_cast<size_t>(std::countl_zero(bits));
}

size_t GappedRun::CountEntries(size_t first, size_t last) const {
  last = std::min(last, end_);
  if (first >= last) return 0;
  // Bits [first, last) of the bitmap: whole words between two partial ones.
  const size_t first_word = first / 64, last_word = (last - 1) / 64;
  const uint64_t head = ~uint64_t{0} << (first % 64);
  const uint64_t tail = ~uint64_t{0} >> (63 - (last - 1) % 64);
  if (first_word == last_word) return std::popcount(occupied_[first_word] & head & tail);
  size_t count = std::popcount(occupied_[first_word] & head);
  for (size_t w = first_word + 1; w < last_word; ++w) count += std::popcount(occupied_[w]);
  return count + std::popcount(occupied_[last_word] & tail);
}

size_t GappedRun::ModelBytes() const {
  return model_.SizeBytes() + lines_.size() * sizeof(SlotLine);
}

size_t GappedRun::DataBytes() const {
  return slots_.capacity() * sizeof(Slot) + occupied_.size() * sizeof(uint64_t);
}

}  // namespace augur::learned
