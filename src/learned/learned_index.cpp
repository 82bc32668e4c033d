// learned_index.cpp
#include "learned/learned_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "learned/last_mile.h"
#include "learned/segmentation.h"

namespace augur::learned {
namespace {

// Upper levels predict within this many segments: 2*4+4 candidates, three cache lines. (2, 4, 8
// and 16 measured the same within noise on 100M lognormal and clustered keys, 2026-11-26.)
constexpr uint64_t kUpperEpsilon = 4;
// A level is added while the radix table would leave more candidates than this per lookup on
// average (uniform keys: ~1.5; lognormal keys without levels: ~6000).
constexpr double kMaxRadixCandidates = 8.0;
constexpr size_t kMinUpperSegments = 64;  // below this a binary search is as fast
// How far a size budget may shrink the radix table below one to two slots per segment before
// it raises epsilon instead: 100M keys in sequence with gaps, epsilon 64 (0.081 bytes per key
// with the full table) answered in 352 ns, 362 with half the table (0.075 bytes per key) and
// 381 with a quarter, where epsilon 96 (0.047, the next step that fits) took 400.
constexpr int kMaxRadixShrinkBits = 2;

int RadixBits(size_t segments, int requested) {
  if (requested > 0) return std::min(requested, 24);
  // One to two slots per segment: a lookup's slot holds about 1.5 candidates, and the table
  // costs at most 8 of a segment's 24 bytes. (Two to four slots measured no faster.)
  return std::clamp(static_cast<int>(std::bit_width(segments)), 1, 20);
}

// The average number of segments a lookup's radix slot holds, weighting each slot by the keys'
// share of it (segments stand for equal shares of the keys).
double ExpectedCandidates(const std::vector<PackedSegment>& level, uint64_t min_key, RadixMap map) {
  double sum_of_squares = 0;
  size_t run = 0;
  for (size_t i = 0; i < level.size(); ++i) {
    ++run;
    const bool slot_ends = i + 1 == level.size() || map.Slot(level[i].first_key - min_key) !=
                                                        map.Slot(level[i + 1].first_key - min_key);
    if (slot_ends) {
      sum_of_squares += static_cast<double>(run) * static_cast<double>(run);
      run = 0;
    }
  }
  return level.empty() ? 0 : sum_of_squares / static_cast<double>(level.size());
}

std::vector<PackedSegment> Pack(const std::vector<Segment>& segments) {
  std::vector<PackedSegment> packed(segments.size());
  for (size_t i = 0; i < segments.size(); ++i) packed[i] = PackedSegment::From(segments[i]);
  return packed;
}

// How far packing can move a prediction: half a position for the rounded start, and a float
// slope's relative error (2^-24, taken as 2^-23 to be safe) over the positions a segment spans.
uint64_t QuantizationSlack(const std::vector<PackedSegment>& level, size_t n) {
  uint64_t widest = 0;
  for (size_t i = 0; i < level.size(); ++i) {
    const uint64_t end = i + 1 < level.size() ? level[i + 1].first_position : n;
    const uint64_t start = level[i].first_position;
    widest = std::max(widest, end > start ? end - start : 0);
  }
  return 1 + (widest >> 23);
}

std::vector<uint64_t> FirstKeys(const std::vector<PackedSegment>& level) {
  std::vector<uint64_t> keys(level.size());
  for (size_t i = 0; i < level.size(); ++i) keys[i] = level[i].first_key;
  return keys;
}

// The position predicted by `segment` for `key`, as a window [lo, hi) in an array of n keys.
std::pair<size_t, size_t> Window(const PackedSegment& segment, uint64_t key, size_t n,
                                 uint64_t eps) {
  // A key in the gap after a segment's last key is extrapolated and may land anywhere; clamping
  // (in double, before the conversion) keeps the window inside the array, and the caller's
  // repair (LowerBoundAround, LastSegmentAtOrBelow) fixes the rest. The window [p - eps - 1, p +
  // eps + 2) absorbs the truncation, rounding and the one-past step from a covered key to an absent
  // key above it.
  const double predicted = std::clamp(segment.Predict(key), 0.0, static_cast<double>(n));
  const size_t p = static_cast<size_t>(predicted);
  return {p > eps + 1 ? p - eps - 1 : 0, std::min(p + eps + 2, n)};
}

// The segments of `keys` under `options` (optimal or shrinking cone).
std::vector<Segment> Segmentation(std::span<const uint64_t> keys, uint64_t epsilon,
                                  const LearnedIndexOptions& options) {
  return options.optimal_segmentation ? SegmentKeys(keys, epsilon) : SegmentKeysCone(keys, epsilon);
}

// The smallest epsilon (doubling from `options.epsilon`, then one step of 3/4 back) whose index
// is estimated to fit the budget, from segmenting a prefix of the keys: segment counts grow
// about linearly with the keys for the distributions that need a budget at all (sequences with
// gaps, bursty timestamps), so the prefix's count times the scale predicts the whole. Each trial
// costs a sixteenth of a build, where a wrong full build costs a whole one (at 100M keys on
// sequential gaps: 0.7 s instead of 1.9 s). The caller still checks the real size. `coarse` is
// the power-of-two step when the 3/4 one was taken (0 otherwise), for the caller to fall back
// to: on bursty timestamps (10M) epsilon 48 fits 1% where 32 does not, and answered in 237 ns
// against 250 for 64 (make bench-index, 2026-11-26).
struct BudgetEpsilon {
  uint64_t epsilon;
  uint64_t coarse;
};
BudgetEpsilon EpsilonForBudget(std::span<const uint64_t> keys, const LearnedIndexOptions& options) {
  constexpr size_t kPrefixDivisor = 16;
  // A packed segment and its share of a radix table shrunk to fit (ShrinkRadixToBudget): a
  // quarter to half a slot per segment.
  constexpr double kBytesPerSegment = 16 + 2;
  const std::span<const uint64_t> prefix = keys.first(keys.size() / kPrefixDivisor);
  const double budget = options.max_bytes_per_key * static_cast<double>(keys.size());
  auto fits = [&](uint64_t epsilon) {
    const size_t segments = Segmentation(prefix, epsilon, options).size();
    return static_cast<double>(segments) * kPrefixDivisor * kBytesPerSegment <= budget;
  };
  uint64_t epsilon = options.epsilon;
  while (epsilon < 4096 && !fits(epsilon)) epsilon *= 2;
  epsilon = std::min<uint64_t>(epsilon, 4096);
  const uint64_t finer = epsilon / 4 * 3;
  if (epsilon > options.epsilon && finer > epsilon / 2 && fits(finer)) return {finer, epsilon};
  return {epsilon, 0};
}

}  // namespace

LearnedIndex LearnedIndex::Build(std::span<const uint64_t> keys, LearnedIndexOptions options) {
  if (options.max_bytes_per_key <= 0 || keys.empty()) return BuildWithEpsilon(keys, options);
  const double budget = options.max_bytes_per_key * static_cast<double>(keys.size());
  uint64_t coarse = 0;
  if (keys.size() >= (1u << 20)) {
    const BudgetEpsilon estimate = EpsilonForBudget(keys, options);
    options.epsilon = estimate.epsilon;
    coarse = estimate.coarse;
  }
  auto over = [&](const LearnedIndex& built) {
    return static_cast<double>(built.SizeBytes()) > budget;
  };
  auto build = [&] {
    LearnedIndex built = BuildWithEpsilon(keys, options);
    if (over(built)) built.ShrinkRadixToBudget(budget);
    return built;
  };
  LearnedIndex index = build();
  if (coarse != 0 && over(index)) {
    options.epsilon = coarse;  // the 3/4 step was estimated to fit and did not
    index = build();
  }
  while (over(index) && options.epsilon < 4096) {
    // Segment counts fall about as 1/epsilon^1.5 on the benchmark keys; jumping by that
    // estimate (in powers of two) saves builds when the first try is far over the budget.
    const double excess = static_cast<double>(index.SizeBytes()) / budget;
    const double factor = std::max(2.0, std::exp2(std::ceil(std::log2(std::pow(excess, 1 / 1.5)))));
    options.epsilon = std::min<uint64_t>(
        4096, static_cast<uint64_t>(static_cast<double>(options.epsilon) * factor));
    index = build();
  }
  return index;
}

void LearnedIndex::ShrinkRadixToBudget(double budget) {
  if (options_.radix_bits != 0 || segments_.empty()) return;  // the caller chose the size
  const int natural =
      RadixBits(upper_.empty() ? segments_.size() : upper_.back().segments.size(), 0);
  for (int bits = natural - 1; bits >= std::max(1, natural - kMaxRadixShrinkBits); --bits) {
    options_.radix_bits = bits;
    BuildRouting();
    if (static_cast<double>(SizeBytes()) <= budget) return;
  }
  options_.radix_bits = 0;  // no help: the next epsilon's table is sized afresh
  BuildRouting();
}

LearnedIndex LearnedIndex::BuildWithEpsilon(std::span<const uint64_t> keys,
                                            LearnedIndexOptions options) {
  return FromSegments(Segmentation(keys, options.epsilon, options), keys.size(), options);
}

LearnedIndex LearnedIndex::FromSegments(const std::vector<Segment>& segments, size_t key_count,
                                        LearnedIndexOptions options) {
  LearnedIndex index;
  index.options_ = options;
  index.key_count_ = key_count;
  index.segments_ = Pack(segments);
  if (segments.empty()) return index;
  index.min_key_ = segments.front().first_key;
  index.BuildRouting();
  return index;
}

void LearnedIndex::BuildRouting() {
  upper_.clear();
  radix_.clear();
  if (segments_.empty()) return;
  // Levels are cheap to build (the cone over a few thousand first keys); the radix table is
  // sized for whichever level ends on top.
  const uint64_t range = segments_.back().first_key - min_key_;
  const int range_bits = std::bit_width(range);
  // The table for a level: 2^RadixBits slots, spread linearly over the key range or
  // logarithmically (as many mantissa bits as fit that size), whichever leaves fewer candidates
  // per lookup; with that count, which decides whether another level is needed.
  struct Routing {
    RadixMap map;
    double candidates;
  };
  auto routing_for = [&](const std::vector<PackedSegment>& level) {
    const int bits = RadixBits(level.size(), options_.radix_bits);
    const RadixMap linear{false, range_bits > bits ? range_bits - bits : 0};
    RadixMap log{true, 0};
    while (log.bits < bits && RadixMap{true, log.bits + 1}.Slot(range) < (size_t{1} << bits)) {
      ++log.bits;
    }
    const Routing by_log{log, ExpectedCandidates(level, min_key_, log)};
    const Routing by_linear{linear, ExpectedCandidates(level, min_key_, linear)};
    return by_log.candidates < by_linear.candidates ? by_log : by_linear;
  };
  slack_ = QuantizationSlack(segments_, key_count_);
  auto top = [&]() -> const std::vector<PackedSegment>& {
    return upper_.empty() ? segments_ : upper_.back().segments;
  };
  Routing routing = routing_for(top());
  while (top().size() > kMinUpperSegments && routing.candidates > kMaxRadixCandidates) {
    UpperLevel level;
    const std::vector<uint64_t> below_first_keys = FirstKeys(top());
    level.segments = Pack(SegmentKeysCone(below_first_keys, kUpperEpsilon));
    level.slack = QuantizationSlack(level.segments, below_first_keys.size());
    if (level.segments.size() >= top().size()) break;  // no progress: keys too irregular
    upper_.push_back(std::move(level));
    routing = routing_for(top());
  }
  const std::vector<PackedSegment>& routed = top();
  radix_map_ = routing.map;
  const size_t slots = radix_map_.Slot(range) + 2;  // +1: the end sentinel
  radix_.assign(slots, 0);
  // radix_[p] = first top-level segment whose slot is >= p.
  size_t segment = 0;
  for (size_t p = 0; p < slots; ++p) {
    while (segment < routed.size() && radix_map_.Slot(routed[segment].first_key - min_key_) < p) {
      ++segment;
    }
    radix_[p] = static_cast<uint32_t>(segment);
  }
}

namespace {

// The last segment in level[lo, hi) whose first_key <= key, given level[lo].first_key <= key and
// that the answer lies in the range. Longer ranges take a branch per step, as in last_mile.h:
// on a dependent lookup it lets the CPU fetch ahead.
size_t LastSegmentIn(const std::vector<PackedSegment>& level, size_t lo, size_t hi, uint64_t key) {
  // Short ranges (a radix slot's 1-2 candidates, an upper level's window of ~11) are counted
  // without branches: these lines are in cache, so mispredicted branches were the cost. Lognormal
  // keys (two upper levels), 10M: segment search 89-91 -> 75 ns dependent, 88-92 -> 59-62 ns
  // independent.
  if (hi - lo <= 16) {
    size_t below = 0;
    for (size_t i = lo + 1; i < hi; ++i) below += level[i].first_key <= key;
    return lo + below;
  }
  size_t count = hi - lo;
  while (count > 1) {
    const size_t half = count / 2;
    if (level[lo + half].first_key <= key) {
      lo += half;
      count -= half;
    } else {
      count = half;
    }
  }
  return lo;
}

// The last segment of `level` whose first_key <= key, given that level[0].first_key <= key:
// searched in [lo, hi) first, and the window widened when the answer lies outside it. The search
// runs over the segments themselves (not a copy of their keys), so the line that decides is also
// the line the next step reads the model from.
size_t LastSegmentAtOrBelow(const std::vector<PackedSegment>& level, size_t lo, size_t hi,
                            uint64_t key) {
  const size_t n = level.size();
  lo = std::min(lo, n - 1);
  hi = std::clamp(hi, lo + 1, n);
  for (size_t step = 8; lo > 0 && level[lo].first_key > key; step *= 2)
    lo = lo > step ? lo - step : 0;
  for (size_t step = 8; hi < n && level[hi].first_key <= key; step *= 2)
    hi = std::min(hi + step, n);
  return LastSegmentIn(level, lo, hi, key);
}

}  // namespace

size_t LearnedIndex::RadixSearch(const std::vector<PackedSegment>& level, uint64_t key) const {
  // The covering segment is the last one with first_key <= key. Its slot is at most key's slot,
  // and segments of key's slot start at radix_[slot]; so it is in [radix_[slot] - 1,
  // radix_[slot+1]).
  // Keys past the last segment's first key share its slot (the table ends there).
  const size_t slot = std::min(radix_map_.Slot(key - min_key_), radix_.size() - 2);
  const size_t lo = radix_[slot];
  return LastSegmentIn(level, lo > 0 ? lo - 1 : 0, radix_[slot + 1], key);
}

size_t LearnedIndex::SegmentFor(uint64_t key) const {
  if (upper_.empty()) return RadixSearch(segments_, key);
  size_t index = RadixSearch(upper_.back().segments, key);
  for (size_t level = upper_.size(); level-- > 0;) {
    const UpperLevel& upper = upper_[level];
    const std::vector<PackedSegment>& below = level == 0 ? segments_ : upper_[level - 1].segments;
    // The upper segment predicts where `key` would sit among the first keys below; the last
    // first key <= key is at most one before that, hence the window one wider.
    auto [lo, hi] =
        Window(upper.segments[index], key, below.size(), kUpperEpsilon + upper.slack + 1);
    index = LastSegmentAtOrBelow(below, lo, hi, key);
  }
  return index;
}

size_t LearnedIndex::LowerBound(std::span<const uint64_t> keys, uint64_t key) const {
  const size_t n = keys.size();
  if (n == 0 || key <= min_key_) return 0;
  if (key > keys[n - 1]) return n;
  auto [lo, hi] = PredictedWindow(key);
  return LowerBoundAround(keys.data(), n, lo, hi, key, options_.epsilon + slack_ + 1);
}

std::pair<size_t, size_t> LearnedIndex::PredictedWindow(uint64_t key) const {
  if (key_count_ == 0 || key <= min_key_) return {0, std::min<size_t>(key_count_, 1)};
  return Window(segments_[SegmentFor(key)], key, key_count_, options_.epsilon + slack_);
}

std::pair<size_t, size_t> LearnedIndex::EqualRange(std::span<const uint64_t> keys, uint64_t lo,
                                                   uint64_t hi) const {
  if (lo > hi) return {0, 0};
  size_t first = LowerBound(keys, lo);
  size_t last = hi == UINT64_MAX ? keys.size() : LowerBound(keys, hi + 1);
  return {first, std::max(first, last)};
}

size_t LearnedIndex::SizeBytes() const {
  size_t bytes =
      sizeof(*this) + segments_.size() * sizeof(PackedSegment) + radix_.size() * sizeof(uint32_t);
  for (const UpperLevel& level : upper_) {
    bytes += sizeof(level) + level.segments.size() * sizeof(PackedSegment);
  }
  return bytes;
}

std::string LearnedIndex::Describe() const {
  return fmt::format(
      "piecewise-linear, {} segments over {} keys (epsilon {}, {} segmentation), {} upper "
      "levels, radix table of {} slots on the top bits of the key range{}, {} bytes ({:.3f} "
      "bytes/key{})",
      segments_.size(), key_count_, options_.epsilon,
      options_.optimal_segmentation ? "optimal" : "shrinking-cone", upper_.size(), radix_.size(),
      radix_map_.logarithmic ? " (logarithmic: keys span orders of magnitude)" : "", SizeBytes(),
      key_count_ ? static_cast<double>(SizeBytes()) / static_cast<double>(key_count_) : 0.0,
      options_.max_bytes_per_key > 0
          ? fmt::format("; epsilon chosen to fit {} bytes/key", options_.max_bytes_per_key)
          : "");
}

}  // namespace augur::learned
