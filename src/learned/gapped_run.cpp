// gapped_run.cpp
#include "learned/gapped_run.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace augur::learned {

GappedRun GappedRun::Build(std::span<const uint64_t> keys, std::span<const uint64_t> payloads,
                           LearnedIndex model, double gap) {
  GappedRun run;
  run.model_ = std::move(model);
  run.size_ = keys.size();
  gap = std::max(gap, 1.0);
  const size_t segments = run.size_ == 0 ? 0 : run.model_.segment_count();
  // The keys of segment s are those from its first key up to the next segment's first key
  // (excluded): what SegmentOf routes to it.
  auto segment_end = [&](size_t s, size_t from) {
    if (s + 1 == segments) return keys.size();
    const uint64_t next_first = run.model_.segment(s + 1).first_key;
    return static_cast<size_t>(std::lower_bound(keys.begin() + from, keys.end(), next_first) -
                               keys.begin());
  };
  // Pass 1: each segment's first slot. A segment gets `gap` slots per entry, or more when its
  // last entries were pushed past that by earlier ones.
  run.lines_.resize(segments + 1);
  std::vector<size_t> ends(segments);  // segment s's entries: [ends[s - 1], ends[s])
  size_t begin = 0;
  double next_slot = 0;
  for (size_t s = 0; s < segments; ++s) {
    const size_t end = segment_end(s, begin);
    ends[s] = end;
    // Slopes are never negative for sorted keys; the bound keeps every slot non-negative anyway.
    const double slope = std::max(0.0, static_cast<double>(run.model_.segment(s).slope) * gap);
    run.lines_[s] = {next_slot, slope};
    size_t free = static_cast<size_t>(next_slot);
    for (size_t i = begin; i < end; ++i) {
      free = std::max(free, static_cast<size_t>(run.SlotIn(s, keys[i]))) + 1;
    }
    // The last segment ends at its last entry: end() is the slot after it.
    const double share = s + 1 == segments ? 0 : std::ceil(static_cast<double>(end - begin) * gap);
    next_slot = std::max(static_cast<double>(free), run.lines_[s].first_slot + share);
    begin = end;
  }
  run.end_ = static_cast<size_t>(next_slot);
  run.lines_[segments] = {next_slot, 0.0};

  // Pass 2: the same placement, writing entries and filling each gap with the entry after it.
  run.slots_.resize(run.end_ + 1);  // uninitialised: every slot is written below
  run.occupied_.assign(run.end_ / 64 + 1, 0);
  size_t written = 0;  // slots [0, written) are filled
  begin = 0;
  for (size_t s = 0; s < segments; ++s) {
    for (size_t i = begin; i < ends[s]; ++i) {
      const size_t slot = std::max(written, static_cast<size_t>(run.SlotIn(s, keys[i])));
      std::fill(run.slots_.begin() + written, run.slots_.begin() + slot + 1,
                Slot{keys[i], payloads[i]});
      run.occupied_[slot / 64] |= uint64_t{1} << (slot % 64);
      written = slot + 1;
    }
    begin = ends[s];
    // The segment's trailing free slots copy the next segment's first entry.
    const size_t next = static_cast<size_t>(run.lines_[s + 1].first_slot);
    if (begin < keys.size()) {
      std::fill(run.slots_.begin() + written, run.slots_.begin() + next,
                Slot{keys[begin], payloads[begin]});
      written = next;
    }
  }
  std::fill(run.slots_.begin() + written, run.slots_.end(), Slot{UINT64_MAX, 0});
  return run;
}

size_t GappedRun::NextEntry(size_t slot) const {
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
