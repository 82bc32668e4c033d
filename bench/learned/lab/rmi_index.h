// rmi_index.h: a two-stage recursive model index (Kraska et al., "The Case for Learned Index
// Structures", SIGMOD 2018) over a sorted array of 64-bit keys.
//
// A linear root, fitted to the keys' CDF by least squares, sends a key to one of L leaves; each
// leaf is a linear model fitted by least squares to the keys the root sends it, with its own
// error bound (the largest distance between its predictions and the true positions of its keys).
// A lookup is: one multiply-add and clamp (root), one leaf read, a prediction, and a bounded
// binary search over the leaf's window; the window is repaired by widening when an absent key
// falls outside it (see last_mile.h), so answers are exact whatever the data. Unlike the
// error-bounded LearnedIndex, the error is not chosen but measured: smooth CDFs (uniform, normal)
// give small windows for few bytes, skewed ones (lognormal, clustered) overload some leaves.
//
// Memory: 24 bytes per leaf (20 serialized). Thread safety: const methods may be called from many
// threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "augur/result.h"

namespace augur::learned::lab {

struct RmiOptions {
  // Leaf count; 0 picks one leaf per 256 keys (at least 1, at most 2^22).
  size_t leaves = 0;
};

class RmiIndex {
 public:
  RmiIndex() = default;

  // Builds over `keys`, sorted ascending (duplicates allowed). O(n), four passes.
  static RmiIndex Build(std::span<const uint64_t> keys, RmiOptions options = {});

  // The first position i with keys[i] >= key, or keys.size(). `keys`: the array it was built on.
  size_t LowerBound(std::span<const uint64_t> keys, uint64_t key) const;

  size_t size() const { return key_count_; }
  size_t leaf_count() const { return leaves_.size(); }
  size_t SizeBytes() const { return sizeof(*this) + leaves_.size() * sizeof(Leaf); }
  uint32_t max_error() const { return max_error_; }
  double mean_error() const { return mean_error_; }
  std::string Describe() const;

  // A compact byte form (model_bytes.h): a version byte, the root and the leaves (20 bytes
  // each), and a 64-bit checksum.
  std::string Serialize() const;
  // Rejects bytes that are truncated, of another version, corrupted (checksum mismatch), or
  // describe no index Build could make (SQLSTATE XX001).
  static Result<RmiIndex> Deserialize(std::string_view bytes);

 private:
  struct Leaf {
    double slope;  // position = intercept + slope * (key - min_key)
    double intercept;
    uint32_t error;  // |prediction - first position of the key| for the leaf's keys
  };

  size_t LeafFor(uint64_t key) const;

  size_t key_count_ = 0;
  uint64_t min_key_ = 0;
  double root_slope_ = 0;  // leaf = root_intercept_ + root_slope_ * (key - min_key)
  double root_intercept_ = 0;
  std::vector<Leaf> leaves_;
  uint32_t max_error_ = 0;
  double mean_error_ = 0;
};

}  // namespace augur::learned::lab
