// segmentation.h: error-bounded piecewise-linear segmentation of a sorted key array.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "learned/segment.h"

namespace augur::learned {

// Splits sorted `keys` (duplicates allowed) into segments such that, for every distinct key,
// the covering segment predicts the position of the key's first occurrence within `epsilon`.
//
// Algorithm: the shrinking cone (FITing-tree, Galakatos et al. 2019). Each segment starts at a
// key; every following distinct key narrows the range of slopes that keep all points within
// epsilon; the segment ends when the range becomes empty. One pass, O(n) time, O(1) extra
// space. It guarantees the error bound but may use more segments than the optimal convex-hull
// algorithm of the PGM-index (at most about twice as many in the worst case).
std::vector<Segment> SegmentKeys(std::span<const uint64_t> keys, uint64_t epsilon);

}  // namespace augur::learned
