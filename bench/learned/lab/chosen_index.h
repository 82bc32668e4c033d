// chosen_index.h: picks the learned index variant for the data at hand.
//
// Which model is fastest depends on the key distribution: the error-bounded piecewise-linear
// LearnedIndex guarantees its window on any CDF, the two-stage RMI needs fewer memory accesses
// where the CDF is smooth but overloads leaves where it is skewed. Rather than guess with a cost
// model, ChosenIndex builds a few candidates (each O(n)) and times each on the same sample of
// dependent lookups, keeping the fastest whose size fits the memory budget. Describe() names the
// winner and every candidate's figures, so the choice can be checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "augur/result.h"
#include "learned/lab/rmi_index.h"
#include "learned/learned_index.h"

namespace augur::learned::lab {

struct ChooserOptions {
  // Largest index size allowed, in bytes per key (0.08 = 1% of the 8-byte key array).
  double max_bytes_per_key = 0.08;
  // Dependent lookups timed per candidate.
  size_t trial_lookups = 20'000;
  uint64_t seed = 1;
};

class ChosenIndex {
 public:
  ChosenIndex() = default;
  static ChosenIndex Build(std::span<const uint64_t> keys, ChooserOptions options = {});

  size_t LowerBound(std::span<const uint64_t> keys, uint64_t key) const {
    return std::visit([&](const auto& index) { return index.LowerBound(keys, key); }, index_);
  }
  size_t SizeBytes() const {
    return std::visit([](const auto& index) { return index.SizeBytes(); }, index_);
  }
  bool is_rmi() const { return std::holds_alternative<RmiIndex>(index_); }
  // "chose rmi (...): 181 ns; candidates: pla eps=16 0.05 B/key 240 ns, ..."
  const std::string& Describe() const { return why_; }

  // A version byte, which variant was chosen, Describe()'s text, the variant's own serialized
  // form, and a 64-bit checksum (model_bytes.h).
  std::string Serialize() const;
  // Rejects bytes that are truncated, of another version, or corrupted, here or in the variant's
  // bytes (SQLSTATE XX001).
  static Result<ChosenIndex> Deserialize(std::string_view bytes);

 private:
  std::variant<LearnedIndex, RmiIndex> index_;
  std::string why_;
};

}  // namespace augur::learned::lab
