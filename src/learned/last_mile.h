// last_mile.h: the search every learned model ends with: a bounded binary search around the
// predicted position, repaired when the true position lies outside the window.
#pragma once

#include <cstddef>
#include <cstdint>

namespace augur::learned {

// Branch-light lower bound over keys[lo, hi): the loop has no data-dependent branch, so the
// compiler emits conditional moves and the CPU does not mispredict on random probes.
inline size_t LowerBoundIn(const uint64_t* keys, size_t lo, size_t hi, uint64_t key) {
  const uint64_t* base = keys + lo;
  size_t n = hi - lo;
  while (n > 1) {
    size_t half = n / 2;
    base = base[half - 1] < key ? base + half : base;
    n -= half;
  }
  return static_cast<size_t>(base - keys) + (n == 1 && *base < key ? 1 : 0);
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
