// key_ranges.h: sets of key-code intervals, the shape of every lookup the planner sends.
//
// A predicate on the indexed column becomes the intersection of conjuncts, each a union of
// closed intervals of codes: `x = 5` is {[5,5]}, `x IN (1,3)` is {[1,1],[3,3]}, `x > 7` is
// {[7,max]} (closed: the plan re-checks the predicate, so a superset is always correct and the
// string codes need it anyway). KeyRanges keeps intervals sorted, disjoint and non-adjacent.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace augur::engine::learned_index {

struct KeyRange {
  uint64_t lo = 0;
  uint64_t hi = std::numeric_limits<uint64_t>::max();
  bool operator==(const KeyRange&) const = default;
};

class KeyRanges {
 public:
  // Every code.
  static KeyRanges All() { return KeyRanges({KeyRange{}}); }
  static KeyRanges None() { return KeyRanges({}); }
  // The union of `ranges`, in any order, overlapping or not; empty intervals (lo > hi) dropped.
  static KeyRanges Union(std::vector<KeyRange> ranges) {
    std::erase_if(ranges, [](const KeyRange& r) { return r.lo > r.hi; });
    std::sort(ranges.begin(), ranges.end(),
              [](const KeyRange& a, const KeyRange& b) { return a.lo < b.lo; });
    std::vector<KeyRange> merged;
    for (const KeyRange& r : ranges) {
      if (!merged.empty() && (merged.back().hi == std::numeric_limits<uint64_t>::max() ||
                              r.lo <= merged.back().hi + 1)) {
        merged.back().hi = std::max(merged.back().hi, r.hi);
      } else {
        merged.push_back(r);
      }
    }
    return KeyRanges(std::move(merged));
  }

  KeyRanges Intersect(const KeyRanges& other) const {
    std::vector<KeyRange> out;
    size_t i = 0, j = 0;
    while (i < ranges_.size() && j < other.ranges_.size()) {
      uint64_t lo = std::max(ranges_[i].lo, other.ranges_[j].lo);
      uint64_t hi = std::min(ranges_[i].hi, other.ranges_[j].hi);
      if (lo <= hi) out.push_back({lo, hi});
      (ranges_[i].hi < other.ranges_[j].hi) ? ++i : ++j;
    }
    return KeyRanges(std::move(out));
  }

  const std::vector<KeyRange>& ranges() const { return ranges_; }
  bool empty() const { return ranges_.empty(); }
  bool IsAll() const { return ranges_.size() == 1 && ranges_[0] == KeyRange{}; }

 private:
  explicit KeyRanges(std::vector<KeyRange> ranges) : ranges_(std::move(ranges)) {}
  std::vector<KeyRange> ranges_;
};

}  // namespace augur::engine::learned_index
