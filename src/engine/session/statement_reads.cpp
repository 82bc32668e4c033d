// statement_reads.cpp: what a statement reads, for the result cache (common/query_cache.h).
//
// Worked out from the statement as it was split or prepared, so nothing is parsed again, and from
// DuckDB's bound plan rather than the text: a function is recognised by its stability as DuckDB
// (or augur, registering its own functions) declares it, whatever alias or quoting the query
// uses, and a table is recognised only when DuckDB scans it. Anything else (table functions,
// catalog views, which are views over table functions) makes the statement uncacheable: those
// answers change without a write to a table that the version stamps would see.
#include <algorithm>

#include "duckdb/catalog/catalog_entry/table_catalog_entry.hpp"
#include "duckdb/common/string_util.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/planner/logical_operator_visitor.hpp"
#include "duckdb/planner/operator/logical_get.hpp"
#include "duckdb/planner/planner.hpp"
#include "engine/session/session_impl.h"

namespace augur::engine {
namespace {

// Walks a bound plan: false as soon as an expression is not CONSISTENT (now(), random(),
// nextval(), pg_advisory_lock(), ...) or a scan reads something other than a table.
bool CollectReads(duckdb::LogicalOperator& op, std::vector<std::string>& tables) {
  bool consistent = true;
  duckdb::LogicalOperatorVisitor::EnumerateExpressions(
      op, [&](duckdb::unique_ptr<duckdb::Expression>* expression) {
        if (!(*expression)->IsConsistent()) consistent = false;
      });
  if (!consistent) return false;
  if (op.type == duckdb::LogicalOperatorType::LOGICAL_GET) {
    auto table = op.Cast<duckdb::LogicalGet>().GetTable();
    if (!table) return false;
    tables.push_back(duckdb::StringUtil::Lower(table->name));
  }
  for (auto& child : op.children) {
    if (!CollectReads(*child, tables)) return false;
  }
  return true;
}

}  // namespace

Session::Reads SessionImpl::ReadsOf(const StatementDescription& description,
                                    const duckdb::SQLStatement& parsed) {
  Reads reads;
  // One plain SELECT: FOR UPDATE must run (and lock) every time.
  if (parsed.type != duckdb::StatementType::SELECT_STATEMENT || description.row_lock) {
    return reads;
  }
  if (!ParkCursors()) return reads;  // binding runs on the connection
  std::vector<std::string> tables;
  bool cacheable = false;
  try {
    SyncSearchPath();
    connection_.context->RunFunctionInTransaction([&] {
      duckdb::Planner planner(*connection_.context);
      planner.CreatePlan(parsed.Copy());
      cacheable = planner.plan && CollectReads(*planner.plan, tables);
    });
  } catch (const std::exception&) {
    return reads;  // it will fail again when it runs, and say why then
  }
  if (!cacheable) return reads;
  std::sort(tables.begin(), tables.end());
  tables.erase(std::unique(tables.begin(), tables.end()), tables.end());
  reads.cacheable = true;
  reads.tables = std::move(tables);
  return reads;
}

Session::Reads SessionImpl::ReadsOf(const Statement& statement) {
  auto& impl = static_cast<const StatementImpl&>(statement);
  return ReadsOf(impl.description, impl.parsed());
}

Session::Reads SessionImpl::ReadsOf(const PreparedStatement& statement) {
  auto& impl = static_cast<const PreparedImpl&>(statement);
  if (impl.empty()) return {};
  return ReadsOf(impl.description, *impl.parsed);
}

}  // namespace augur::engine
