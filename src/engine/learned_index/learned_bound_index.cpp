// learned_bound_index.cpp
#include "engine/learned_index/learned_bound_index.h"

#include <fmt/format.h>

#include <thread>

#include "duckdb/common/exception/binder_exception.hpp"
#include "duckdb/storage/index_storage_info.hpp"
#include "engine/learned_index/key_codec.h"
#include "engine/learned_index/learned_index_create.h"

namespace augur::engine::learned_index {
namespace {

duckdb::unique_ptr<duckdb::BoundIndex> CreateInstance(duckdb::CreateIndexInput& input) {
  return duckdb::make_uniq<LearnedBoundIndex>(
      input.name, input.constraint_type, input.column_ids, input.table_io_manager,
      input.unbound_expressions, input.db, LearnedBoundIndex::ParseOptions(input.options));
}

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A numeric WITH option cast to `type` and checked against [lo, hi] (NaN fails too); anything
// else is a binder error that names the option and what it accepts (e.g. "an integer from 1 to
// 4096").
template <typename T>
T NumericOption(const std::string& name, const duckdb::Value& value,
                const duckdb::LogicalType& type, T lo, T hi, const char* accepted) {
  T number = 0;
  duckdb::Value cast;
  std::string error;
  if (value.DefaultTryCastAs(type, cast, &error, true)) number = cast.GetValue<T>();
  if (!(number >= lo && number <= hi)) {
    throw duckdb::BinderException("LEARNED index option \"%s\" must be %s, got %s", name, accepted,
                                  value.ToString());
  }
  return number;
}

}  // namespace

LearnedBoundIndex::LearnedBoundIndex(
    const std::string& name, duckdb::IndexConstraintType constraint_type,
    const duckdb::vector<duckdb::column_t>& column_ids, duckdb::TableIOManager& table_io_manager,
    const duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& unbound_expressions,
    duckdb::AttachedDatabase& db, learned::LearnedIndexOptions options)
    : BoundIndex(name, kTypeName, constraint_type, column_ids, table_io_manager,
                 unbound_expressions, db),
      codec_(logical_types.at(0)),
      core_(std::make_shared<learned::UpdatableIndex>(std::vector<learned::UpdatableIndex::Entry>{},
                                                      options)),
      retraining_(std::make_shared<std::atomic<bool>>(false)),
      retrains_(std::make_shared<std::atomic<int64_t>>(0)),
      last_retrain_micros_(std::make_shared<std::atomic<int64_t>>(0)) {
  if (logical_types.size() != 1 || !IsSupportedKeyType(logical_types[0])) {
    throw duckdb::BinderException(
        "a LEARNED index takes one column of an integer, date, time, timestamp, float, double or "
        "varchar type");
  }
}

duckdb::IndexType LearnedBoundIndex::MakeIndexType() {
  duckdb::IndexType type;
  type.name = kTypeName;
  type.create_instance = CreateInstance;
  type.create_plan = PhysicalCreateLearnedIndex::CreatePlan;
  return type;
}

learned::LearnedIndexOptions LearnedBoundIndex::ParseOptions(
    const duckdb::case_insensitive_map_t<duckdb::Value>& options) {
  learned::LearnedIndexOptions parsed;
  for (const auto& [key, value] : options) {
    if (duckdb::StringUtil::CIEquals(key, "epsilon")) {
      parsed.epsilon = static_cast<uint64_t>(NumericOption<int64_t>(
          "epsilon", value, duckdb::LogicalType::BIGINT, 1, 4096, "an integer from 1 to 4096"));
    } else if (duckdb::StringUtil::CIEquals(key, "max_bytes_per_key")) {
      parsed.max_bytes_per_key =
          NumericOption<double>("max_bytes_per_key", value, duckdb::LogicalType::DOUBLE, 0.001, 64,
                                "a number from 0.001 to 64");
    } else {
      throw duckdb::BinderException(
          "unknown LEARNED index option \"%s\" (known: epsilon, max_bytes_per_key)", key);
    }
  }
  return parsed;
}

void LearnedBoundIndex::Rebuild(KeyBuilder& keys) {
  auto [codec, entries] = keys.Finish();
  codec_ = std::move(codec);
  auto options = core_.load()->options();
  std::shared_ptr<learned::ClusteredIndex> clustered =
      learned::ClusteredIndex::TryBuild(entries, options, kMaxExceptionShare);
  if (clustered) {
    core_.store(clustered->exceptions());
  } else {
    core_.store(std::make_shared<learned::UpdatableIndex>(std::move(entries), options));
  }
  clustered_.store(std::move(clustered));
  last_retrain_micros_->store(NowMicros());
}

LearnedBoundIndex::RowIdPlan LearnedBoundIndex::Plan(const KeyRanges& ranges) const {
  RowIdPlan plan;
  if (auto clustered = clustered_.load()) {
    for (const KeyRange& range : ranges.ranges()) {
      clustered->Lookup(range.lo, range.hi, plan.windows, plan.row_ids);
    }
  } else {
    auto core = core_.load();
    for (const KeyRange& range : ranges.ranges()) {
      for (const auto& entry : core->Range(range.lo, range.hi)) {
        plan.row_ids.push_back(entry.second);
      }
    }
  }
  // Disjoint key ranges name disjoint rows; their row ids interleave.
  std::sort(plan.row_ids.begin(), plan.row_ids.end());
  return plan;
}

std::vector<learned::UpdatableIndex::Entry> LearnedBoundIndex::Edge(size_t n,
                                                                    bool descending) const {
  return core_.load()->Edge(n, descending);
}

size_t LearnedBoundIndex::Count(const KeyRanges& ranges) const {
  size_t count = 0;
  if (auto clustered = clustered_.load()) {
    for (const KeyRange& range : ranges.ranges()) count += clustered->Count(range.lo, range.hi);
    return count;
  }
  auto core = core_.load();
  for (const KeyRange& range : ranges.ranges()) count += core->Count(range.lo, range.hi);
  return count;
}

LearnedBoundIndex::Stats LearnedBoundIndex::GetStats() const {
  Stats stats;
  stats.core = core_.load()->GetStats();
  if (auto clustered = clustered_.load()) {
    auto layout = clustered->GetStats();
    stats.clustered = true;
    stats.exceptions = layout.exceptions;
    stats.core.keys = layout.chain_rows + layout.exceptions;
    stats.core.segments = layout.segments;
    stats.core.epsilon = core_.load()->options().epsilon;
    stats.core.model_bytes = layout.model_bytes;
    stats.core.total_bytes = layout.total_bytes;
  }
  stats.retrains = retrains_->load();
  if (int64_t micros = last_retrain_micros_->load(); micros != 0) {
    stats.last_retrain = std::chrono::system_clock::time_point(std::chrono::microseconds(micros));
  }
  return stats;
}

std::vector<learned::UpdatableIndex::Entry> LearnedBoundIndex::Entries(duckdb::DataChunk& chunk,
                                                                       duckdb::Vector& row_ids) {
  duckdb::DataChunk keys;
  keys.Initialize(duckdb::Allocator::DefaultAllocator(), logical_types);
  ExecuteExpressions(chunk, keys);
  std::vector<std::optional<uint64_t>> codes;
  codec_.Encode(keys.data[0], chunk.size(), codes);

  duckdb::UnifiedVectorFormat ids;
  row_ids.ToUnifiedFormat(chunk.size(), ids);
  auto id_data = duckdb::UnifiedVectorFormat::GetData<duckdb::row_t>(ids);
  std::vector<learned::UpdatableIndex::Entry> entries;
  entries.reserve(chunk.size());
  for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
    if (!codes[i]) continue;  // NULL keys are not indexed
    entries.emplace_back(*codes[i], static_cast<uint64_t>(id_data[ids.sel->get_index(i)]));
  }
  return entries;
}

duckdb::ErrorData LearnedBoundIndex::Append(duckdb::IndexLock&, duckdb::DataChunk& chunk,
                                            duckdb::Vector& row_ids) {
  auto entries = Entries(chunk, row_ids);
  if (auto clustered = clustered_.load()) {
    clustered->InsertBatch(entries);
  } else {
    core_.load()->InsertBatch(entries);
  }
  MaybeRetrain();
  return duckdb::ErrorData();
}

duckdb::ErrorData LearnedBoundIndex::Insert(duckdb::IndexLock& lock, duckdb::DataChunk& chunk,
                                            duckdb::Vector& row_ids) {
  return Append(lock, chunk, row_ids);
}

void LearnedBoundIndex::Delete(duckdb::IndexLock&, duckdb::DataChunk& entries,
                               duckdb::Vector& row_ids) {
  if (auto clustered = clustered_.load()) {
    for (const auto& [key, row_id] : Entries(entries, row_ids)) clustered->Erase(key, row_id);
  } else {
    auto core = core_.load();
    for (const auto& [key, row_id] : Entries(entries, row_ids)) core->Erase(key, row_id);
  }
  MaybeRetrain();
}

void LearnedBoundIndex::MaybeRetrain() {
  auto core = core_.load();
  size_t delta = core->delta_size();
  size_t threshold =
      std::max(kRetrainMinimum, static_cast<size_t>(kRetrainFraction * core->size()));
  if (delta < threshold || retraining_->exchange(true)) return;
  // The thread holds its own references: DROP INDEX or shutdown may destroy this object first.
  std::thread([core, flag = retraining_, retrains = retrains_, last = last_retrain_micros_] {
    core->Merge();
    retrains->fetch_add(1);
    last->store(NowMicros());
    flag->store(false);
  }).detach();
}

void LearnedBoundIndex::CommitDrop(duckdb::IndexLock&) {
  clustered_.store(nullptr);
  core_.store(std::make_shared<learned::UpdatableIndex>());
}

bool LearnedBoundIndex::MergeIndexes(duckdb::IndexLock&, duckdb::BoundIndex& other) {
  auto* learned = dynamic_cast<LearnedBoundIndex*>(&other);
  // Codes are only comparable under the same codec (string prefixes may differ).
  // A clustered index cannot list its chain's keys.
  if (learned == nullptr || learned->codec_.string_prefix() != codec_.string_prefix() ||
      learned->clustered()) {
    return false;
  }
  auto entries = learned->core_.load()->Range(0, UINT64_MAX);
  if (auto clustered = clustered_.load()) {
    clustered->InsertBatch(entries);
  } else {
    core_.load()->InsertBatch(entries);
  }
  MaybeRetrain();
  return true;
}

void LearnedBoundIndex::Vacuum(duckdb::IndexLock&) {}

duckdb::idx_t LearnedBoundIndex::GetInMemorySize(duckdb::IndexLock&) {
  return GetStats().core.total_bytes;
}

std::string LearnedBoundIndex::VerifyAndToString(duckdb::IndexLock&, const bool only_verify) {
  if (only_verify) return "";
  auto stats = GetStats();
  return fmt::format("LEARNED index {} ({} layout): {} keys, {} segments, delta {}, {} exceptions",
                     name, stats.clustered ? "clustered" : "entries", stats.core.keys,
                     stats.core.segments, stats.core.delta, stats.exceptions);
}

void LearnedBoundIndex::VerifyAllocations(duckdb::IndexLock&) {}

duckdb::IndexStorageInfo LearnedBoundIndex::SerializeToDisk(
    duckdb::QueryContext, const duckdb::case_insensitive_map_t<duckdb::Value>&) {
  duckdb::IndexStorageInfo info(name);
  info.root = 0;
  return info;
}

duckdb::IndexStorageInfo LearnedBoundIndex::SerializeToWAL(
    const duckdb::case_insensitive_map_t<duckdb::Value>&) {
  duckdb::IndexStorageInfo info(name);
  info.root = 0;
  return info;
}

std::string LearnedBoundIndex::GetConstraintViolationMessage(duckdb::VerifyExistenceType,
                                                             duckdb::idx_t, duckdb::DataChunk&) {
  return "a LEARNED index enforces no constraint";
}

}  // namespace augur::engine::learned_index
