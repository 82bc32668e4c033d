// last_mile.h: the search every learned model ends with: a bounded binary search around the
// predicted position, repaired when the true position lies outside the window.
#pragma once

#include <cstddef>
#include <cstdint>

namespace augur::learned {

// Lower bound over keys[lo, hi) with an ordinary branch per step, on purpose. Measured on 10M
// keys (probe of 2026-11-26, dependent lookups): 139-280 ns with the branch against 219-409 ns
// with a conditional-move loop. When the window is not in L1, the predicted branch lets the CPU
// issue the next step's load before the current one returns (half the time on the right line),
// while a conditional move makes every load wait for the previous one.
inline size_t LowerBoundIn(const uint64_t* keys, size_t lo, size_t hi, uint64_t key) {
  size_t n = hi - lo;
  while (n > 0) {
    const size_t half = n / 2;
    if (keys[lo + half] < key) {
      lo += half + 1;
      n -= half + 1;
    } else {
      n = half;
    }
  }
  return lo;
}

// The lower bound of `key` in keys[0, n), searched in the window [lo, hi) first. The search
// returns p with keys[lo, p) < key <= keys[p, hi); that is the answer unless p sits on a window
// edge the true position lies beyond, and then the window widens exponentially on that side
// (from `step`). So the answer is exact whatever the model predicted.
inline size_t LowerBoundAround(const uint64_t* keys, size_t n, size_t lo, size_t hi, uint64_t key,
                               size_t step) {
  size_t pos = LowerBoundIn(keys, lo, hi, key);
  const bool left_miss = pos == lo && lo > 0 && keys[lo - 1] >= key;
  const bool right_miss = pos == hi && hi < n && keys[hi] < key;
  if (!left_miss && !right_miss) return pos;
  for (size_t s = step; lo > 0 && keys[lo - 1] >= key; s *= 2) lo = lo > s ? lo - s : 0;
  for (size_t s = step; hi < n && keys[hi] < key; s *= 2) hi = hi + s < n ? hi + s : n;
  return LowerBoundIn(keys, lo, hi, key);
}

}  // namespace augur::learned
