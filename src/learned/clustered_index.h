// clustered_index.h: the learned index's clustered layout, for keys stored in row-id order.
//
// When a table's rows are already in key order (auto-increment ids, insert timestamps, tables
// loaded with ORDER BY), the row id of a key can be computed instead of stored. This layout keeps
//   - the chain: the rows whose keys rise with their row ids, as two MonotoneModels over its
//     distinct keys (key -> first row id, key -> last row id; equal keys may span many rows) plus
//     the newest distinct key exactly (it may still grow);
//   - the exceptions: every other (key, row id) entry, in an UpdatableIndex (the entries layout):
//     rows that broke the order when the index was built, rows appended out of order, the new
//     copies of updated rows (DuckDB updates an indexed column as delete + insert).
// A lookup answers with row-id windows that hold every chain row in the key range (and possibly
// up to about 2 * epsilon other rows at each end, and rows inside the window that are exceptions,
// NULL or deleted), plus the exceptions' row ids in the range. The caller reads the windows and
// re-checks the predicate, which the engine's plans do anyway (learned_index_scan.h).
//
// Deletes of chain rows change nothing: the row stays inside the windows and the reader's snapshot
// hides it. A row id reused after DuckDB reverts a failed append is never below the chain's last
// row id at the time, so it lands in the exceptions.
//
// Thread safety: every method may be called from any thread; lookups share a lock, writers take it
// exclusively (the exceptions' UpdatableIndex has its own).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <vector>

#include "learned/learned_index.h"
#include "learned/monotone_model.h"
#include "learned/updatable_index.h"

namespace augur::learned {

class ClusteredIndex {
 public:
  using Entry = UpdatableIndex::Entry;  // (key, row id)
  struct Window {                       // row ids first..last, both included
    uint64_t first = 0, last = 0;
    bool operator==(const Window&) const = default;
  };

  // The clustered layout of `sorted` ((key, row id) ascending), or nullptr when more than
  // `max_exception_share` of the entries would be exceptions.
  static std::unique_ptr<ClusteredIndex> TryBuild(std::span<const Entry> sorted,
                                                  LearnedIndexOptions options,
                                                  double max_exception_share);
  // The chain a greedy walk in key order keeps: an entry joins it when its row id is at least the
  // chain's last and not above most of the next kLookahead entries' (so a few rows far ahead do
  // not push every later row out). The others are exceptions. Returned as a flag per entry.
  static std::vector<bool> ChainMembers(std::span<const Entry> sorted);
  static constexpr size_t kLookahead = 16;

  explicit ClusteredIndex(LearnedIndexOptions options);

  // A committed row: it extends the chain when its row id and key are both at least the chain's
  // last, else it becomes an exception.
  void Insert(uint64_t key, uint64_t row_id);
  void InsertBatch(std::span<const Entry> entries);
  // A row no transaction can see any more: removed from the exceptions, else left in the chain.
  void Erase(uint64_t key, uint64_t row_id);

  // Windows (appended, ascending and disjoint) covering every chain row with lo <= key <= hi,
  // and the exceptions' row ids in that range (appended, ascending).
  void Lookup(uint64_t lo, uint64_t hi, std::vector<Window>& windows,
              std::vector<uint64_t>& exception_row_ids) const;
  // An estimate of the rows with lo <= key <= hi (for planners): the models' guesses without
  // their error bounds, plus the exceptions in the range.
  size_t Count(uint64_t lo, uint64_t hi) const;

  // The exceptions, for background merges of their delta.
  const std::shared_ptr<UpdatableIndex>& exceptions() const { return exceptions_; }

  struct Stats {
    size_t chain_rows = 0;  // rows the chain was given, less those erased since
    size_t exceptions = 0;
    size_t segments = 0;     // of both models
    size_t model_bytes = 0;  // both models' segments
    size_t total_bytes = 0;  // model_bytes, the chain's state and the exceptions' bytes
  };
  Stats GetStats() const;

 private:
  // Chain rows with lo <= key <= hi as a window; nullopt when there are none. Lock held.
  std::optional<Window> ChainWindowLocked(uint64_t lo, uint64_t hi) const;
  // Measures the models' real errors on the chain TryBuild gave them (MonotoneModel::Measure):
  // windows then hold the real error plus a row or two instead of ~2 * epsilon at each end.
  void MeasureModels(std::span<const Entry> sorted, const std::vector<bool>& member);
  // Whether (key, row_id) extends the chain; if so, adds it. Lock held exclusively.
  bool ExtendChainLocked(uint64_t key, uint64_t row_id);

  mutable std::shared_mutex mu_;
  MonotoneModel first_row_;  // distinct key -> first chain row id with that key
  MonotoneModel last_row_;   // distinct key -> last chain row id with that key
  // The chain's newest distinct key and its row ids, not yet in the models.
  bool has_chain_ = false;
  uint64_t tail_key_ = 0, tail_first_ = 0, tail_last_ = 0;
  size_t chain_rows_ = 0;
  std::shared_ptr<UpdatableIndex> exceptions_;
};

}  // namespace augur::learned
