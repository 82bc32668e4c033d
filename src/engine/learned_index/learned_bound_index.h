// learned_bound_index.h: the LEARNED index type as DuckDB sees it.
//
// A BoundIndex over one column whose entries are (key code, row id) pairs held in an
// augur::learned::UpdatableIndex. DuckDB calls Append when rows are committed, Delete when
// deleted rows are cleaned up (no transaction can see them any more), and CommitDrop on DROP
// INDEX. The index is therefore a superset of the rows any open transaction can see: scans
// fetch candidate row ids through DataTable::Fetch, which applies the reader's snapshot, and the
// plan re-checks the predicate above the scan. Rows a transaction has not committed yet live in
// its local storage and are scanned separately (learned_index_scan.cpp).
//
// Layouts (docs/LEARNED_INDEX.md): when the key column's values follow the row ids (all but at
// most kMaxExceptionShare of them) the index takes the clustered layout, a model from key to row
// id plus exceptions (learned/clustered_index.h); otherwise the entries layout, every (key, row id)
// pair in an UpdatableIndex. The choice is made at each Rebuild (CREATE INDEX, and at open).
//
// Persistence: the index is rebuilt when the database opens (RebuildLearnedIndexes) instead of
// being written into DuckDB's storage. Building is one scan of the key column plus an O(n log n)
// sort and an O(n) model fit; storing it would write 16 bytes per row into every checkpoint and
// tie us to DuckDB's index storage format. SerializeToDisk/ToWAL write only the name.
//
// Thread safety: DuckDB serialises Append/Delete/CommitDrop through the IndexLock; lookups
// (Lookup, Count, GetStats) may run concurrently with them and with each other.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "duckdb/execution/index/bound_index.hpp"
#include "duckdb/execution/index/index_type.hpp"
#include "engine/learned_index/key_codec.h"
#include "engine/learned_index/key_ranges.h"
#include "learned/clustered_index.h"
#include "learned/updatable_index.h"

namespace augur::engine::learned_index {

class LearnedBoundIndex final : public duckdb::BoundIndex {
 public:
  static constexpr const char* kTypeName = "LEARNED";
  // A background retrain starts when the delta holds this share of the keys (or 64K entries,
  // whichever is larger): lookups merge the delta run by run, so a large one costs every query.
  static constexpr double kRetrainFraction = 0.05;
  static constexpr size_t kRetrainMinimum = 64 * 1024;
  // The largest share of out-of-order keys the clustered layout is chosen with.
  static constexpr double kMaxExceptionShare = 0.01;

  LearnedBoundIndex(
      const std::string& name, duckdb::IndexConstraintType constraint_type,
      const duckdb::vector<duckdb::column_t>& column_ids, duckdb::TableIOManager& table_io_manager,
      const duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& unbound_expressions,
      duckdb::AttachedDatabase& db, learned::LearnedIndexOptions options);

  // The IndexType registered with DuckDB.
  static duckdb::IndexType MakeIndexType();
  // Reads `WITH (epsilon = N)`; throws a BinderException naming the bad option.
  static learned::LearnedIndexOptions ParseOptions(
      const duckdb::case_insensitive_map_t<duckdb::Value>& options);

  const duckdb::LogicalType& key_type() const { return logical_types[0]; }
  const KeyCodec& codec() const { return codec_; }

  // Replaces every entry and the codec with what `keys` collected (CREATE INDEX, and the
  // rebuild at open). Call before the index is shared: lookups read the codec unlocked.
  void Rebuild(KeyBuilder& keys);

  // What a scan must read for `ranges`: row-id windows to read whole (the clustered layout's
  // chain) and single row ids (entries, or exceptions). Together they name every indexed row whose
  // key code lies in `ranges`; windows may hold other rows too, so the reader re-checks the
  // predicate. A row id may also lie inside a window.
  struct RowIdPlan {
    std::vector<learned::ClusteredIndex::Window> windows;  // ascending, may overlap
    std::vector<uint64_t> row_ids;                         // ascending, each once
  };
  RowIdPlan Plan(const KeyRanges& ranges) const;
  // Whether the index has the clustered layout (which cannot list its keys: no Edge()).
  bool clustered() const { return clustered_.load() != nullptr; }
  // Row ids of the first `n` entries in key order (the last, when `descending`) plus ties of the
  // n-th key; see UpdatableIndex::Edge.
  std::vector<learned::UpdatableIndex::Entry> Edge(size_t n, bool descending) const;
  // How many rows Plan(ranges) names (window sizes plus row ids): exact on the entries layout, an
  // upper bound on the clustered one.
  size_t Count(const KeyRanges& ranges) const;

  struct Stats {
    learned::UpdatableIndex::Stats core;  // on the clustered layout: chain and exceptions together
    bool clustered = false;
    size_t exceptions = 0;
    int64_t retrains = 0;
    std::optional<std::chrono::system_clock::time_point> last_retrain;
  };
  Stats GetStats() const;

  // BoundIndex
  duckdb::ErrorData Append(duckdb::IndexLock& lock, duckdb::DataChunk& chunk,
                           duckdb::Vector& row_ids) override;
  duckdb::ErrorData Insert(duckdb::IndexLock& lock, duckdb::DataChunk& chunk,
                           duckdb::Vector& row_ids) override;
  void Delete(duckdb::IndexLock& lock, duckdb::DataChunk& entries,
              duckdb::Vector& row_ids) override;
  void CommitDrop(duckdb::IndexLock& lock) override;
  bool MergeIndexes(duckdb::IndexLock& lock, duckdb::BoundIndex& other) override;
  void Vacuum(duckdb::IndexLock& lock) override;
  duckdb::idx_t GetInMemorySize(duckdb::IndexLock& lock) override;
  std::string VerifyAndToString(duckdb::IndexLock& lock, const bool only_verify) override;
  void VerifyAllocations(duckdb::IndexLock& lock) override;
  duckdb::IndexStorageInfo SerializeToDisk(
      duckdb::QueryContext context,
      const duckdb::case_insensitive_map_t<duckdb::Value>& options) override;
  duckdb::IndexStorageInfo SerializeToWAL(
      const duckdb::case_insensitive_map_t<duckdb::Value>& options) override;
  std::string GetConstraintViolationMessage(duckdb::VerifyExistenceType verify_type,
                                            duckdb::idx_t failed_index,
                                            duckdb::DataChunk& input) override;

 private:
  // Key codes of the index expression over `chunk`, paired with `row_ids`; NULL keys skipped.
  std::vector<learned::UpdatableIndex::Entry> Entries(duckdb::DataChunk& chunk,
                                                      duckdb::Vector& row_ids);
  void MaybeRetrain();

  // Shared with background retrains, which may outlive a dropped index.
  KeyCodec codec_;
  // The entries, or on the clustered layout its exceptions (so that retrains merge their delta).
  std::atomic<std::shared_ptr<learned::UpdatableIndex>> core_;
  std::atomic<std::shared_ptr<learned::ClusteredIndex>> clustered_;  // null: the entries layout
  std::shared_ptr<std::atomic<bool>> retraining_;
  std::shared_ptr<std::atomic<int64_t>> retrains_;
  std::shared_ptr<std::atomic<int64_t>> last_retrain_micros_;  // 0: never
};

}  // namespace augur::engine::learned_index
