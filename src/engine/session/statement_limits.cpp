// statement_limits.cpp
#include "engine/session/statement_limits.h"

#include <fmt/format.h>

#include "duckdb/parser/common_table_expression_info.hpp"
#include "duckdb/parser/query_node.hpp"
#include "duckdb/parser/query_node/set_operation_node.hpp"
#include "duckdb/parser/statement/explain_statement.hpp"
#include "duckdb/parser/statement/insert_statement.hpp"
#include "duckdb/parser/statement/select_statement.hpp"

namespace augur::engine {

namespace {

// Counts the CTEs of `node`, its set-operation sides and the CTEs' own bodies; stops early once
// past the limit (the count only has to say "too many").
size_t CountCtes(const duckdb::QueryNode* node, size_t depth = 0) {
  if (node == nullptr || depth > kMaxCommonTableExpressions) return 0;
  size_t count = node->cte_map.map.size();
  for (auto& entry : node->cte_map.map) {
    if (count > kMaxCommonTableExpressions) break;
    if (entry.second && entry.second->query) {
      count += CountCtes(entry.second->query->node.get(), depth + 1);
    }
  }
  if (node->type == duckdb::QueryNodeType::SET_OPERATION_NODE) {
    auto& set = node->Cast<duckdb::SetOperationNode>();
    count += CountCtes(set.left.get(), depth + 1) + CountCtes(set.right.get(), depth + 1);
  }
  return count;
}

const duckdb::QueryNode* NodeOf(const duckdb::SQLStatement& statement) {
  switch (statement.type) {
    case duckdb::StatementType::SELECT_STATEMENT:
      return statement.Cast<duckdb::SelectStatement>().node.get();
    case duckdb::StatementType::INSERT_STATEMENT: {
      auto& select = statement.Cast<duckdb::InsertStatement>().select_statement;
      return select ? select->node.get() : nullptr;
    }
    case duckdb::StatementType::EXPLAIN_STATEMENT:
      return NodeOf(*statement.Cast<duckdb::ExplainStatement>().stmt);
    default:
      return nullptr;
  }
}

}  // namespace

Status CheckStatementLimits(const duckdb::SQLStatement& statement) {
  size_t ctes = CountCtes(NodeOf(statement));
  if (ctes > kMaxCommonTableExpressions) {
    return Error("54001", fmt::format("statement too complex: more than {} common table "
                                      "expressions in one statement are not supported",
                                      kMaxCommonTableExpressions))
        .WithHint("Split the query, or materialize intermediate results in temporary tables.");
  }
  return {};
}

}  // namespace augur::engine
