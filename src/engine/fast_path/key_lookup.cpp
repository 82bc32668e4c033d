// key_lookup.cpp: see key_lookup.h.
#include "engine/fast_path/key_lookup.h"

#include <algorithm>
#include <set>
#include <vector>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/duck_table_entry.hpp"
#include "duckdb/common/types/column/column_data_collection.hpp"
#include "duckdb/execution/index/art/art.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/materialized_query_result.hpp"
#include "duckdb/planner/expression/bound_columnref_expression.hpp"
#include "duckdb/planner/expression/bound_comparison_expression.hpp"
#include "duckdb/planner/expression/bound_constant_expression.hpp"
#include "duckdb/storage/data_table.hpp"
#include "duckdb/storage/table/data_table_info.hpp"
#include "duckdb/storage/table/scan_state.hpp"
#include "duckdb/storage/table/table_index_list.hpp"
#include "duckdb/transaction/duck_transaction.hpp"
#include "duckdb/transaction/local_storage.hpp"
#include "engine/learned_index/key_ranges.h"
#include "engine/learned_index/learned_bound_index.h"

namespace augur::engine::fast_path {

using learned_index::LearnedBoundIndex;

struct KeyLookup::Resolved {
  // What the resolution is valid for: this entry, at this version of its catalog.
  duckdb::CatalogEntry* entry = nullptr;
  duckdb::idx_t catalog_version = 0;
  // The columns fetched (each once), and where each result column and the key are among them.
  duckdb::vector<duckdb::StorageIndex> fetch_columns;
  duckdb::vector<duckdb::LogicalType> fetch_types;
  std::vector<duckdb::idx_t> output_positions;
  duckdb::idx_t key_position = 0;
  duckdb::LogicalType key_type;
  duckdb::vector<std::string> names;
  duckdb::vector<duckdb::LogicalType> types;
  // The index probed, found again by name at each execution (a dropped index is destroyed when
  // its DROP commits; its pointer must not outlive the index list's lock).
  std::string index_name;
  bool art = false;
  std::string description;  // "t(id) via ART"
  // The result's client properties. augur encodes values itself and never reads them, and
  // GetClientProperties costs several settings lookups: taken once per resolution.
  duckdb::ClientProperties client_properties;
};

namespace {

// Row ids beyond this many for one key: the planner runs the statement (DuckDB's index scan
// gives up much earlier and scans the table).
constexpr duckdb::idx_t kMaxCandidates = 100'000;

bool IsSupportedKeyType(const duckdb::LogicalType& type) {
  switch (type.id()) {
    case duckdb::LogicalTypeId::SMALLINT:
    case duckdb::LogicalTypeId::INTEGER:
    case duckdb::LogicalTypeId::BIGINT:
      return true;
    case duckdb::LogicalTypeId::VARCHAR:
      // A collation changes what `=` means; the index holds the raw bytes.
      return duckdb::StringType::GetCollation(type).empty();
    default:
      return false;
  }
}

bool IsInteger(const duckdb::LogicalType& type) {
  switch (type.id()) {
    case duckdb::LogicalTypeId::TINYINT:
    case duckdb::LogicalTypeId::SMALLINT:
    case duckdb::LogicalTypeId::INTEGER:
    case duckdb::LogicalTypeId::BIGINT:
      return true;
    default:
      return false;
  }
}

// The key as a value of the column's type, when comparing it with the column means comparing
// equal values of that type: the same type, or an integer that fits the integer column. A NULL
// stays NULL (it matches nothing). nullopt: the planner decides what the comparison means.
std::optional<duckdb::Value> KeyFor(const duckdb::Value& key, const duckdb::LogicalType& column) {
  if (key.IsNull()) return duckdb::Value(column);
  if (key.type() == column) return key;
  if (IsInteger(key.type()) && IsInteger(column)) {
    duckdb::Value cast;
    std::string error;
    if (key.DefaultTryCastAs(column, cast, &error, /*strict=*/true)) return cast;
  }
  return std::nullopt;
}

// The one column an index covers, when it is a plain column (not an expression).
std::optional<duckdb::column_t> PlainColumnOf(duckdb::BoundIndex& index) {
  const auto& columns = index.GetColumnIds();
  if (columns.size() != 1 || index.unbound_expressions.size() != 1 ||
      index.unbound_expressions[0]->GetExpressionClass() !=
          duckdb::ExpressionClass::BOUND_COLUMN_REF) {
    return std::nullopt;
  }
  return columns[0];
}

// Row ids the ART holds for `key` (a superset of the visible rows: deleted rows stay until no
// transaction can see them). False when it holds more than kMaxCandidates.
bool ProbeArt(duckdb::ART& art, const duckdb::Value& key, std::set<duckdb::row_t>& row_ids) {
  // TryInitializeScan matches `filter` against the index expression, as the table scan does.
  auto index_expr = art.unbound_expressions[0]->Copy();
  index_expr->Cast<duckdb::BoundColumnRefExpression>().binding = duckdb::ColumnBinding(0, 0);
  duckdb::BoundComparisonExpression filter(
      duckdb::ExpressionType::COMPARE_EQUAL,
      duckdb::make_uniq<duckdb::BoundColumnRefExpression>(key.type(), duckdb::ColumnBinding(0, 0)),
      duckdb::make_uniq<duckdb::BoundConstantExpression>(key));
  auto state = art.TryInitializeScan(*index_expr, filter);
  return state && art.Scan(*state, kMaxCandidates, row_ids);
}

// Appends the rows of `chunk` whose key equals `key` to `out`, as the result's columns.
void AppendMatches(duckdb::DataChunk& chunk, const KeyLookup::Resolved& r, const duckdb::Value& key,
                   duckdb::ColumnDataCollection& out) {
  duckdb::SelectionVector sel(chunk.size());
  duckdb::idx_t matches = 0;
  for (duckdb::idx_t i = 0; i < chunk.size(); ++i) {
    auto value = chunk.GetValue(r.key_position, i);
    if (!value.IsNull() && value == key) sel.set_index(matches++, i);
  }
  if (matches == 0) return;
  duckdb::DataChunk rows;
  rows.InitializeEmpty(r.types);
  for (size_t c = 0; c < r.output_positions.size(); ++c) {
    rows.data[c].Slice(chunk.data[r.output_positions[c]], sel, matches);
  }
  rows.SetCardinality(matches);
  out.Append(rows);
}

}  // namespace

KeyLookup::KeyLookup(KeyLookupShape shape) : shape_(std::move(shape)) {}
KeyLookup::~KeyLookup() = default;

const KeyLookup::Resolved* KeyLookup::Resolve(duckdb::ClientContext& context) {
  duckdb::optional_ptr<duckdb::CatalogEntry> entry;
  try {
    entry = duckdb::Catalog::GetEntry(
        context, shape_.catalog, shape_.schema,
        duckdb::EntryLookupInfo(duckdb::CatalogType::TABLE_ENTRY, shape_.table),
        duckdb::OnEntryNotFound::RETURN_NULL);
  } catch (const duckdb::CatalogException&) {
    return nullptr;  // e.g. no such schema: the planner reports it
  }
  if (!entry || entry->type != duckdb::CatalogType::TABLE_ENTRY ||
      !entry->ParentCatalog().IsDuckCatalog()) {
    return nullptr;
  }
  auto version = entry->ParentCatalog().GetCatalogVersion(context);
  if (!version.IsValid()) return nullptr;
  if (resolved_ && resolved_->entry == entry.get() &&
      resolved_->catalog_version == version.GetIndex()) {
    return resolved_.get();
  }
  resolved_.reset();
  duckdb::Value collation;
  if (context.TryGetCurrentSetting("default_collation", collation) && !collation.IsNull() &&
      !collation.ToString().empty()) {
    return nullptr;  // `=` on strings compares collated: the index holds raw bytes
  }

  auto& table = entry->Cast<duckdb::DuckTableEntry>();
  const auto& columns = table.GetColumns();
  auto r = std::make_unique<Resolved>();
  r->entry = entry.get();
  r->catalog_version = version.GetIndex();
  // Fetched column position of `column`, adding it on first use; nullopt for a generated one.
  auto fetch = [&](const duckdb::ColumnDefinition& column) -> std::optional<duckdb::idx_t> {
    if (column.Generated()) return std::nullopt;
    duckdb::StorageIndex storage(column.StorageOid());
    for (duckdb::idx_t i = 0; i < r->fetch_columns.size(); ++i) {
      if (r->fetch_columns[i].GetPrimaryIndex() == storage.GetPrimaryIndex()) return i;
    }
    r->fetch_columns.push_back(storage);
    r->fetch_types.push_back(column.Type());
    return r->fetch_columns.size() - 1;
  };
  auto add_output = [&](const duckdb::ColumnDefinition& column, const std::string& name) {
    auto position = fetch(column);
    if (!position) return false;
    r->output_positions.push_back(*position);
    r->names.push_back(name);
    r->types.push_back(column.Type());
    return true;
  };
  if (shape_.star) {
    for (const auto& column : columns.Logical()) {
      if (!add_output(column, column.Name())) return nullptr;
    }
  } else {
    for (const auto& output : shape_.outputs) {
      if (!columns.ColumnExists(output.column)) return nullptr;
      if (!add_output(columns.GetColumn(output.column), output.name)) return nullptr;
    }
  }
  if (!columns.ColumnExists(shape_.key_column)) return nullptr;
  const auto& key_column = columns.GetColumn(shape_.key_column);
  if (!IsSupportedKeyType(key_column.Type())) return nullptr;
  auto key_position = fetch(key_column);
  if (!key_position) return nullptr;
  r->key_position = *key_position;
  r->key_type = key_column.Type();

  // A one-column ART (PRIMARY KEY, UNIQUE or CREATE INDEX) wins over a LEARNED index.
  auto& info = table.GetStorage().GetDataTableInfo();
  info->BindIndexes(context);
  const duckdb::column_t physical = key_column.StorageOid();
  info->GetIndexes().Scan([&](duckdb::Index& index) {
    if (!index.IsBound()) return false;
    auto& bound = index.Cast<duckdb::BoundIndex>();
    if (PlainColumnOf(bound) != physical || bound.logical_types.size() != 1 ||
        bound.logical_types[0] != r->key_type) {
      return false;
    }
    if (bound.GetIndexType() == duckdb::ART::TYPE_NAME) {
      r->index_name = bound.GetIndexName();
      r->art = true;
      return true;
    }
    if (bound.GetIndexType() == LearnedBoundIndex::kTypeName && r->index_name.empty()) {
      r->index_name = bound.GetIndexName();
    }
    return false;
  });
  if (r->index_name.empty()) return nullptr;
  r->description = table.name + "(" + key_column.Name() + ") via " + (r->art ? "ART" : "LEARNED");
  r->client_properties = context.GetClientProperties();
  resolved_ = std::move(r);
  return resolved_.get();
}

std::optional<std::unique_ptr<duckdb::QueryResult>> KeyLookup::Run(
    duckdb::ClientContext& context, const duckdb::Value& key_value,
    const duckdb::vector<std::string>* expected_names,
    const duckdb::vector<duckdb::LogicalType>* expected_types) {
  duckdb::unique_ptr<duckdb::ColumnDataCollection> rows;
  const Resolved* r = nullptr;
  context.RunFunctionInTransaction([&] {
    r = Resolve(context);
    if (!r) return;
    if ((expected_names && *expected_names != r->names) ||
        (expected_types && *expected_types != r->types)) {
      r = nullptr;
      return;
    }
    auto key = KeyFor(key_value, r->key_type);
    if (!key) {
      r = nullptr;
      return;
    }
    rows =
        duckdb::make_uniq<duckdb::ColumnDataCollection>(duckdb::Allocator::Get(context), r->types);
    if (key->IsNull()) return;  // `= NULL` is never true

    auto& table = r->entry->Cast<duckdb::DuckTableEntry>();
    auto& storage = table.GetStorage();
    auto& transaction = duckdb::DuckTransaction::Get(context, table.catalog);
    // As DuckDB's index scan: no checkpoint while the rows are read.
    auto checkpoint_lock = transaction.SharedLockTable(*storage.GetDataTableInfo());

    // 1. Candidates from the index, under the index list's lock (see Resolved::index_name).
    std::vector<duckdb::row_t> row_ids;
    bool probed = false;
    auto& info = storage.GetDataTableInfo();
    info->BindIndexes(context);
    info->GetIndexes().Scan([&](duckdb::Index& index) {
      if (!index.IsBound() || index.GetIndexName() != r->index_name) return false;
      if (r->art) {
        if (index.GetIndexType() != duckdb::ART::TYPE_NAME) return true;
        std::set<duckdb::row_t> found;
        if (!ProbeArt(index.Cast<duckdb::ART>(), *key, found)) return true;
        row_ids.assign(found.begin(), found.end());
      } else {
        if (index.GetIndexType() != LearnedBoundIndex::kTypeName) return true;
        auto& learned = index.Cast<LearnedBoundIndex>();
        auto code = learned.codec().EncodeValue(*key);
        if (!code) return true;
        auto plan =
            learned.Plan(learned_index::KeyRanges::Union({learned_index::KeyRange{*code, *code}}));
        // The clustered layout answers with row-id windows that may hold other keys and reach
        // past the rows the table has; AppendMatches re-checks the key of every fetched row.
        const uint64_t total_rows = storage.GetTotalRows();
        uint64_t candidates = plan.row_ids.size();
        for (const auto& window : plan.windows) {
          if (window.first >= total_rows) continue;
          candidates += std::min<uint64_t>(window.last, total_rows - 1) - window.first + 1;
        }
        if (candidates > kMaxCandidates) return true;
        auto add = [&](uint64_t id) {
          auto row_id = static_cast<duckdb::row_t>(id);
          if (id < total_rows && storage.CanFetch(transaction, row_id)) row_ids.push_back(row_id);
        };
        for (const auto& window : plan.windows) {
          for (uint64_t id = window.first; id <= window.last && id < total_rows; ++id) add(id);
        }
        for (uint64_t id : plan.row_ids) add(id);
        std::sort(row_ids.begin(), row_ids.end());
        row_ids.erase(std::unique(row_ids.begin(), row_ids.end()), row_ids.end());
      }
      probed = true;
      return true;
    });
    if (!probed) {
      rows.reset();
      r = nullptr;
      return;
    }

    // 2. Committed rows, as this transaction sees them (its snapshot, updates and deletes).
    duckdb::DataChunk chunk;
    chunk.Initialize(context, r->fetch_types);
    duckdb::ColumnFetchState fetch_state;
    for (size_t offset = 0; offset < row_ids.size(); offset += STANDARD_VECTOR_SIZE) {
      auto count = std::min<size_t>(STANDARD_VECTOR_SIZE, row_ids.size() - offset);
      duckdb::Vector ids(duckdb::LogicalType::ROW_TYPE,
                         reinterpret_cast<duckdb::data_ptr_t>(&row_ids[offset]));
      chunk.Reset();
      storage.Fetch(transaction, chunk, r->fetch_columns, ids, count, fetch_state);
      AppendMatches(chunk, *r, *key, *rows);
    }

    // 3. Rows this transaction inserted and has not committed.
    auto& local_storage = duckdb::LocalStorage::Get(context, table.catalog);
    if (local_storage.Find(storage)) {
      duckdb::TableScanState scan;
      scan.Initialize(r->fetch_columns, context);
      local_storage.InitializeScan(storage, scan.local_state, nullptr);
      while (true) {
        chunk.Reset();
        local_storage.Scan(scan.local_state, r->fetch_columns, chunk);
        if (chunk.size() == 0) break;
        AppendMatches(chunk, *r, *key, *rows);
      }
    }
  });
  if (!r || !rows) return std::nullopt;
  duckdb::StatementProperties properties;
  properties.return_type = duckdb::StatementReturnType::QUERY_RESULT;
  return std::unique_ptr<duckdb::QueryResult>(std::make_unique<duckdb::MaterializedQueryResult>(
      duckdb::StatementType::SELECT_STATEMENT, std::move(properties), r->names, std::move(rows),
      r->client_properties));
}

std::optional<std::string> KeyLookup::Describe(duckdb::ClientContext& context) {
  std::optional<std::string> description;
  context.RunFunctionInTransaction([&] {
    if (auto r = Resolve(context)) description = r->description;
  });
  return description;
}

}  // namespace augur::engine::fast_path
