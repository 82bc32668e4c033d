// chosen_index.cpp
#include "learned/lab/chosen_index.h"

#include <fmt/format.h>

#include <chrono>
#include <random>
#include <vector>

#include "learned/lab/learned_index_bytes.h"
#include "learned/lab/model_bytes.h"

namespace augur::learned::lab {

namespace {

constexpr uint8_t kFormatVersion = 1;
enum class Variant : uint8_t { kPla = 0, kRmi = 1 };

// Mean ns of dependent lookups: each probe's choice depends on the previous answer, so the
// memory accesses cannot overlap (latency, as inside an index nested-loop join).
template <class Index>
double TrialNs(const Index& index, std::span<const uint64_t> keys,
               const std::vector<uint64_t>& probes) {
  size_t sink = 0;
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < probes.size(); ++i) {
    sink += index.LowerBound(keys, probes[(i + (sink & 1)) % probes.size()]);
  }
  double ns =
      std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  volatile size_t keep = sink;  // the loop must not be optimized away
  (void)keep;
  return ns / static_cast<double>(probes.size());
}

}  // namespace

ChosenIndex ChosenIndex::Build(std::span<const uint64_t> keys, ChooserOptions options) {
  ChosenIndex chosen;
  const size_t n = keys.size();
  if (n < 1024) {  // too small to time: the guaranteed-window model
    chosen.index_ = LearnedIndex::Build(keys, {.epsilon = 16});
    chosen.why_ = fmt::format("chose pla eps=16: {} keys, too few to compare", n);
    return chosen;
  }
  std::mt19937_64 rng(options.seed);
  std::vector<uint64_t> probes(options.trial_lookups);
  for (auto& p : probes) p = keys[rng() % n];

  std::string candidates, best_name;
  double best_ns = 0, best_bytes = 0;
  bool have = false, best_fits = false;
  const double budget = options.max_bytes_per_key * static_cast<double>(n);
  // The fastest candidate that fits the budget; when none fits, the smallest.
  auto consider = [&](auto index, std::string name) {
    double bytes = static_cast<double>(index.SizeBytes());
    double ns = TrialNs(index, keys, probes);
    bool fits = bytes <= budget;
    candidates += fmt::format("{}{} {:.3f} B/key {:.0f} ns{}", candidates.empty() ? "" : ", ", name,
                              bytes / static_cast<double>(n), ns, fits ? "" : " (too big)");
    bool better = !have || (fits && (!best_fits || ns < best_ns)) ||
                  (!fits && !best_fits && bytes < best_bytes);
    if (!better) return;
    have = true;
    best_fits = fits;
    best_ns = ns;
    best_bytes = bytes;
    best_name = std::move(name);
    chosen.index_ = std::move(index);
  };
  for (uint64_t eps : {16, 64}) {
    consider(LearnedIndex::Build(keys, {.epsilon = eps, .optimal_segmentation = true}),
             fmt::format("pla eps={}", eps));
  }
  for (size_t keys_per_leaf : {512, 2048}) {  // 0.047 and 0.012 bytes per key
    consider(RmiIndex::Build(keys, {.leaves = n / keys_per_leaf}),
             fmt::format("rmi leaves={}", n / keys_per_leaf));
  }
  chosen.why_ = fmt::format(
      "chose {}: {:.0f} ns per dependent lookup on {} probes{}; "
      "candidates: {}",
      best_name, best_ns, probes.size(), best_fits ? "" : ", none within the memory budget",
      candidates);
  return chosen;
}

std::string ChosenIndex::Serialize() const {
  using model_bytes::Put;
  std::string out = model_bytes::Begin(kFormatVersion);
  Put(out, is_rmi() ? Variant::kRmi : Variant::kPla);
  Put(out, static_cast<uint64_t>(why_.size()));
  out += why_;
  out += is_rmi() ? std::get<RmiIndex>(index_).Serialize()
                  : SerializeLearnedIndex(std::get<LearnedIndex>(index_));
  model_bytes::Seal(out);
  return out;
}

Result<ChosenIndex> ChosenIndex::Deserialize(std::string_view bytes) {
  auto opened = model_bytes::Open(bytes, kFormatVersion, "chosen index");
  if (!opened) return opened.error();
  std::string_view body = *opened;
  Variant variant{};
  uint64_t why_size = 0;
  if (!model_bytes::Get(body, variant) || !model_bytes::Get(body, why_size) ||
      why_size > body.size()) {
    return model_bytes::Corrupt("chosen index", "truncated header");
  }
  ChosenIndex chosen;
  chosen.why_ = std::string(body.substr(0, why_size));
  body.remove_prefix(why_size);
  // The rest is the variant's own bytes, with their own version and checksum.
  auto adopt = [&chosen](auto loaded) -> Result<ChosenIndex> {
    if (!loaded) return loaded.error();
    chosen.index_ = std::move(*loaded);
    return std::move(chosen);
  };
  switch (variant) {
    case Variant::kPla:
      return adopt(DeserializeLearnedIndex(body));
    case Variant::kRmi:
      return adopt(RmiIndex::Deserialize(body));
  }
  return model_bytes::Corrupt("chosen index", "unknown variant");
}

}  // namespace augur::learned::lab
