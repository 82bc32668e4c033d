// gapped_run.cpp
#include "learned/gapped_run.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace augur::learned {

GappedRun::Placer::Placer(double gap, size_t expected_entries) : gap_(std::max(gap, 1.0)) {
  // Room for the slots at about 40 bits each (24-bit row ids and small key offsets); the packed
  // array grows if more are needed and gives back what it did not use when sealed.
  run_.slots_ = PackedSlots();
  run_.slots_.Reserve(static_cast<size_t>(static_cast<double>(expected_entries) * gap_) + 64, 40);
  run_.occupied_.clear();
}

void GappedRun::Placer::Place(uint64_t first_key, std::span<const Slot> entries) {
  if (next_first_ > UINT32_MAX) throw std::length_error("GappedRun: over 2^32 slots");
  if (entries.empty()) {  // Build and Builder never pass one; the line keeps lines_ aligned
    lines_.push_back(PackedSegment{first_key, static_cast<uint32_t>(next_first_), 0.0f});
    return;
  }
  // The segment's line runs from its first slot to where the run should end after it: `gap`
  // slots per entry placed so far, but at least a slot per entry. Not the model's line, which is
  // only within epsilon of the positions at both ends: with it, and each segment taking its own
  // share of slots, runs took 1.21-1.23 slots per entry for a gap of 1.2 (10M sequential,
  // uniform or clustered keys); aimed at the run's target, a segment also takes back slots an
  // earlier one overflowed into, and runs take 1.20. (Bursty timestamps take 1.33 either way:
  // their bursts queue up within a segment.)
  const size_t target_end =
      static_cast<size_t>(std::ceil(static_cast<double>(run_.size_ + entries.size()) * gap_));
  const size_t span =
      std::max(entries.size(), target_end > next_first_ ? target_end - next_first_ : 0);
  // The line aims the last key's first copy at its slot, with room after it for the rest.
  const uint64_t last_key = entries.back().key;
  size_t last_first = entries.size() - 1;
  while (last_first > 0 && entries[last_first - 1].key == last_key) --last_first;
  double slope = 0;
  if (last_key > first_key) {
    slope = static_cast<double>(span - entries.size() + last_first) /
            static_cast<double>(last_key - first_key);
  }
  const PackedSegment line{first_key, static_cast<uint32_t>(next_first_),
                           static_cast<float>(slope)};
  lines_.push_back(line);
  auto predicted = [&](uint64_t key) { return static_cast<size_t>(SlotOf(line, key)); };
  // Predictions grow with the key, so no entry lands past the last one's prediction (or the
  // slots already written) plus the number of entries: room enough, without a pass to size it.
  const size_t bound = std::max(written_, predicted(entries.back().key)) + entries.size() + 1;
  if (bound / 64 + 1 > run_.occupied_.size()) run_.occupied_.resize(bound / 64 + 1, 0);
  PackedSlots& slots = run_.slots_;  // slots are written in order, each once
  uint64_t* occupied = run_.occupied_.data();
  size_t written = written_;
  for (const Slot& entry : entries) {
    const size_t slot = std::max(written, predicted(entry.key));
    for (; written < slot; ++written) slots.Append(entry.key, entry.payload);  // gaps copy it
    slots.Append(entry.key, entry.payload);
    occupied[slot / 64] |= uint64_t{1} << (slot % 64);
    written = slot + 1;
  }
  written_ = written;
  run_.size_ += entries.size();
  // The next segment starts `gap` slots per entry placed so far into the run, or after the last
  // entry when overflows went past that.
  const auto target = static_cast<size_t>(std::ceil(static_cast<double>(run_.size_) * gap_));
  next_first_ = std::max(written_, target);
}

GappedRun GappedRun::Placer::Finish(LearnedIndex model) {
  // The last segment ends at its last entry: end() is the slot after it.
  run_.end_ = written_;
  for (size_t i = 0; i < lines_.size(); ++i) {
    model.SetSegmentLine(i, lines_[i].first_position, lines_[i].slope);
  }
  run_.slots_.Append(UINT64_MAX, 0);
  run_.slots_.Seal();
  run_.occupied_.resize(written_ / 64 + 1, 0);
  run_.occupied_.shrink_to_fit();
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
    placer.Place(model.segment(s).first_key, entries);
    begin = end;
  }
  return placer.Finish(std::move(model));
}

GappedRun::Builder::Builder(LearnedIndexOptions options, double gap, size_t expected_entries)
    : options_(options), segmenter_(options.epsilon), placer_(gap, expected_entries) {}

void GappedRun::Builder::PlacePending(const Segment& segment) {
  placer_.Place(segment.first_key, pending_);
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

size_t GappedRun::DataBytes() const {
  return slots_.MemoryBytes() + occupied_.capacity() * sizeof(uint64_t);
}

}  // namespace augur::learned
