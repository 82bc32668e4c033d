// rmi_index.cpp
#include "learned/lab/rmi_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "learned/lab/model_bytes.h"
#include "learned/last_mile.h"

namespace augur::learned::lab {

namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr size_t kMaxLeaves = size_t{1} << 22;

// Least-squares line through (x, y) points given as sums; a flat line through the mean when all
// x are equal.
struct LineFit {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  void Add(double x, double y) {
    n += 1;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  // (slope, intercept)
  std::pair<double, double> Solve() const {
    if (n == 0) return {0, 0};
    double denominator = n * sxx - sx * sx;
    if (n < 2 || std::abs(denominator) < 1e-12 * std::max(1.0, n * sxx)) return {0, sy / n};
    double slope = (n * sxy - sx * sy) / denominator;
    return {slope, (sy - slope * sx) / n};
  }
};

}  // namespace

size_t RmiIndex::LeafFor(uint64_t key) const {
  double x = static_cast<double>(key - min_key_);
  double leaf = root_intercept_ + root_slope_ * x;
  double last = static_cast<double>(leaves_.size() - 1);
  return static_cast<size_t>(std::clamp(leaf, 0.0, last));
}

RmiIndex RmiIndex::Build(std::span<const uint64_t> keys, RmiOptions options) {
  RmiIndex index;
  const size_t n = keys.size();
  index.key_count_ = n;
  if (n == 0) return index;
  index.min_key_ = keys[0];
  size_t leaves = options.leaves != 0 ? options.leaves : n / 256;
  leaves = std::clamp<size_t>(leaves, 1, kMaxLeaves);

  // Root: positions scaled to leaves, fitted over a sample of every key's first occurrence
  // (up to ~64K points: the root is one line, a sample fits it as well as all keys).
  const size_t stride = std::max<size_t>(1, n / 65536);
  LineFit root;
  for (size_t i = 0; i < n; i += stride) {
    root.Add(static_cast<double>(keys[i] - index.min_key_),
             static_cast<double>(i) * static_cast<double>(leaves) / static_cast<double>(n));
  }
  std::tie(index.root_slope_, index.root_intercept_) = root.Solve();
  index.root_slope_ = std::max(index.root_slope_, 0.0);  // monotone: leaves hold key ranges
  index.leaves_.assign(leaves, Leaf{0, 0, 0});

  // Leaves: a least-squares line per leaf over (key, first position of the key). The root is
  // monotone, so each leaf's keys are one run of the array.
  std::vector<LineFit> fits(leaves);
  std::vector<size_t> first_of_leaf(leaves + 1, n);
  size_t first_occurrence = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || keys[i] != keys[i - 1]) first_occurrence = i;
    size_t leaf = index.LeafFor(keys[i]);
    if (first_of_leaf[leaf] == n) first_of_leaf[leaf] = i;
    fits[leaf].Add(static_cast<double>(keys[i] - index.min_key_),
                   static_cast<double>(first_occurrence));
  }
  // An empty leaf predicts the start of the next non-empty one (where its keys would go).
  for (size_t leaf = leaves; leaf-- > 0;) {
    if (first_of_leaf[leaf] == n) first_of_leaf[leaf] = first_of_leaf[leaf + 1];
  }
  for (size_t leaf = 0; leaf < leaves; ++leaf) {
    if (fits[leaf].n == 0) {
      index.leaves_[leaf] = Leaf{0, static_cast<double>(first_of_leaf[leaf]), 0};
    } else {
      auto [slope, intercept] = fits[leaf].Solve();
      index.leaves_[leaf] = Leaf{slope, intercept, 0};
    }
  }

  // Error bounds: the farthest any key's prediction lands from its first position.
  double error_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i == 0 || keys[i] != keys[i - 1]) first_occurrence = i;
    Leaf& leaf = index.leaves_[index.LeafFor(keys[i])];
    double predicted = leaf.intercept + leaf.slope * static_cast<double>(keys[i] - index.min_key_);
    double error = std::ceil(std::abs(predicted - static_cast<double>(first_occurrence)));
    uint32_t bounded = static_cast<uint32_t>(std::min(error, 4e9));
    leaf.error = std::max(leaf.error, bounded);
    error_sum += error;
  }
  for (const Leaf& leaf : index.leaves_) index.max_error_ = std::max(index.max_error_, leaf.error);
  index.mean_error_ = error_sum / static_cast<double>(n);
  return index;
}

size_t RmiIndex::LowerBound(std::span<const uint64_t> keys, uint64_t key) const {
  const size_t n = keys.size();
  if (n == 0 || key <= min_key_) return 0;
  if (key > keys[n - 1]) return n;
  const Leaf& leaf = leaves_[LeafFor(key)];
  const double predicted = leaf.intercept + leaf.slope * static_cast<double>(key - min_key_);
  const double error = static_cast<double>(leaf.error);
  const double last = static_cast<double>(n);
  const double lo_f = std::clamp(std::floor(predicted - error - 1), 0.0, last);
  const double hi_f = std::clamp(std::ceil(predicted + error + 2), lo_f, last);
  return LowerBoundAround(keys.data(), n, static_cast<size_t>(lo_f), static_cast<size_t>(hi_f), key,
                          leaf.error + 1);
}

std::string RmiIndex::Describe() const {
  return fmt::format(
      "rmi: linear root, {} linear leaves, max error {}, mean error {:.1f}, {} bytes",
      leaves_.size(), max_error_, mean_error_, SizeBytes());
}

std::string RmiIndex::Serialize() const {
  using model_bytes::Put;
  std::string out = model_bytes::Begin(kFormatVersion);
  Put(out, static_cast<uint64_t>(key_count_));
  Put(out, min_key_);
  Put(out, root_slope_);
  Put(out, root_intercept_);
  Put(out, mean_error_);
  Put(out, static_cast<uint64_t>(leaves_.size()));
  for (const Leaf& leaf : leaves_) {
    Put(out, leaf.slope);
    Put(out, leaf.intercept);
    Put(out, leaf.error);
  }
  model_bytes::Seal(out);
  return out;
}

Result<RmiIndex> RmiIndex::Deserialize(std::string_view bytes) {
  using model_bytes::Get;
  auto corrupt = [](std::string_view why) { return model_bytes::Corrupt("rmi index", why); };
  auto opened = model_bytes::Open(bytes, kFormatVersion, "rmi index");
  if (!opened) return opened.error();
  std::string_view body = *opened;
  RmiIndex index;
  uint64_t key_count = 0, leaf_count = 0;
  if (!Get(body, key_count) || !Get(body, index.min_key_) || !Get(body, index.root_slope_) ||
      !Get(body, index.root_intercept_) || !Get(body, index.mean_error_) ||
      !Get(body, leaf_count)) {
    return corrupt("truncated header");
  }
  constexpr size_t kLeafBytes = sizeof(Leaf::slope) + sizeof(Leaf::intercept) + sizeof(Leaf::error);
  if (leaf_count > kMaxLeaves || body.size() != leaf_count * kLeafBytes) {
    return corrupt("bad leaf table");
  }
  // Build makes no leaves for no keys, and at least one otherwise.
  if ((key_count == 0) != (leaf_count == 0)) return corrupt("inconsistent sizes");
  // Lookups clamp and round these: NaN or infinity would make that undefined.
  if (!std::isfinite(index.root_slope_) || index.root_slope_ < 0 ||
      !std::isfinite(index.root_intercept_) || !std::isfinite(index.mean_error_)) {
    return corrupt("bad root");
  }
  index.key_count_ = key_count;
  index.leaves_.resize(leaf_count);
  for (Leaf& leaf : index.leaves_) {
    Get(body, leaf.slope);
    Get(body, leaf.intercept);
    Get(body, leaf.error);
    if (!std::isfinite(leaf.slope) || !std::isfinite(leaf.intercept)) return corrupt("bad leaf");
    index.max_error_ = std::max(index.max_error_, leaf.error);
  }
  return index;
}

}  // namespace augur::learned::lab
