// segmentation.h: error-bounded piecewise-linear segmentation of a sorted key array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "learned/segment.h"

namespace augur::learned {

// Splits sorted `keys` (duplicates allowed) into the fewest segments such that, for every
// distinct key, the covering segment predicts the position of the key's first occurrence within
// `epsilon`.
//
// Algorithm: O'Rourke's online line fitting (1981), as the PGM-index uses it (Ferragina and
// Vinciguerra, VLDB 2020): the convex hulls of the points shifted up and down by epsilon bound
// the set of feasible lines; a segment ends when the next point leaves it. O(n) amortized, exact
// integer geometry (128-bit cross products), and optimal: no segmentation with the same bound
// has fewer segments.
std::vector<Segment> SegmentKeys(std::span<const uint64_t> keys, uint64_t epsilon);

// The shrinking cone (FITing-tree, Galakatos et al. 2019): lines through each segment's first
// point only. Simpler and a little faster to build, but up to about twice the segments; kept as
// the baseline the tests and benchmarks compare with.
std::vector<Segment> SegmentKeysCone(std::span<const uint64_t> keys, uint64_t epsilon);

}  // namespace augur::learned
