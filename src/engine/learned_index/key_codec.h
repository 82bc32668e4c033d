// key_codec.h: DuckDB values to the learned index's 64-bit keys.
//
// The learned index orders uint64_t codes (learned/key_encoding.h). A KeyCodec turns DuckDB
// vectors and values of one column type into codes. For fixed-width types the code is exact;
// for VARCHAR it is the eight bytes after a prefix that the index's keys share (chosen when the
// index is built), so a code may stand for many strings and every lookup on a string column
// returns a superset that the plan filters again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "duckdb/common/types.hpp"
#include "duckdb/common/types/value.hpp"
#include "duckdb/common/types/vector.hpp"
#include "learned/updatable_index.h"

namespace augur::engine::learned_index {

// Integer types, DATE, TIME, TIMESTAMP (any precision, with or without time zone), FLOAT,
// DOUBLE and VARCHAR.
bool IsSupportedKeyType(const duckdb::LogicalType& type);

class KeyCodec {
 public:
  explicit KeyCodec(duckdb::LogicalType type, std::string string_prefix = {})
      : type_(std::move(type)), prefix_(std::move(string_prefix)) {}

  const duckdb::LogicalType& type() const { return type_; }
  const std::string& string_prefix() const { return prefix_; }

  // Codes for the first `count` rows of `keys`; nullopt for NULL (and NaN, which has no order
  // the index could use).
  void Encode(duckdb::Vector& keys, uint64_t count,
              std::vector<std::optional<uint64_t>>& out) const;

  // The code of `value` after casting it to the key type; nullopt when it is NULL or does not
  // cast.
  std::optional<uint64_t> EncodeValue(const duckdb::Value& value) const;

 private:
  duckdb::LogicalType type_;
  std::string prefix_;  // VARCHAR only
};

// Collects (key, row id) pairs for building an index, then picks the codec: for strings it must
// see every key first to find their common prefix.
class KeyBuilder {
 public:
  using Entry = learned::UpdatableIndex::Entry;

  explicit KeyBuilder(duckdb::LogicalType type) : type_(std::move(type)) {}

  // Adds the first `count` rows; NULL keys are skipped (the index does not hold them).
  void Add(duckdb::Vector& keys, duckdb::Vector& row_ids, uint64_t count);
  // Sorts what this builder holds, so that Finish only merges. CREATE INDEX calls it on each
  // thread's builder in parallel before they are combined. (Strings are coded, hence sorted, in
  // Finish: their code depends on the prefix all keys share.)
  void Sort();
  // Moves `other`'s pairs into this builder.
  void Absorb(KeyBuilder& other);
  size_t size() const { return entries_.size() + strings_.size(); }

  // The codec and every (code, row id) pair, sorted.
  std::pair<KeyCodec, std::vector<Entry>> Finish();

 private:
  duckdb::LogicalType type_;
  std::vector<Entry> entries_;                             // fixed-width types: final codes
  std::vector<std::pair<std::string, uint64_t>> strings_;  // VARCHAR: the keys themselves
  std::vector<std::optional<uint64_t>> codes_;             // scratch
  // entries_ is a concatenation of sorted runs starting at these offsets (when all_runs_sorted_).
  std::vector<size_t> run_starts_{0};
  bool all_runs_sorted_ = false;
};

}  // namespace augur::engine::learned_index
