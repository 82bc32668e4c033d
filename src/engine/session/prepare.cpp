// prepare.cpp: preparing a statement (the extended protocol's Parse, the HTTP API): the text
// is rewritten, parsed and described once, and DuckDB prepares it so that each execution only
// binds values. Parameter types follow PostgreSQL: a type the client declared wins, else the type
// DuckDB inferred, else text.
#include <fmt/format.h>

#include "duckdb/main/client_context.hpp"
#include "engine/fast_path/execution_counts.h"
#include "engine/fast_path/fast_path_setting.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_column_names.h"
#include "engine/pg/pg_params.h"
#include "engine/pg/pg_parsed_rewrites.h"
#include "engine/pg/pg_rewrite.h"
#include "engine/pg/pg_string_literals.h"
#include "engine/pg/pg_types.h"
#include "engine/session/client_copy.h"
#include "engine/session/session_impl.h"
#include "engine/session/statement_limits.h"

namespace augur::engine {

std::optional<fast_path::RecentPrepares<PreparedImpl>::Key> SessionImpl::RecentPrepareKey(
    std::string_view sql, const std::vector<uint32_t>& declared_types) {
  // A failed block answers 25P02 to Parse; DDL of the open transaction is not in the epoch.
  if (state_ == TransactionState::kFailed || wrote_unknown_) return std::nullopt;
  if (!fast_path::Enabled(*connection_.context)) return std::nullopt;
  return fast_path::RecentPrepares<PreparedImpl>::Key{
      std::string(sql), declared_types, search_path(), role_->name(), writer_lock_.Stamp({})};
}

std::shared_ptr<PreparedStatement> SessionImpl::ReusePrepared(
    std::string_view sql, const std::vector<uint32_t>& declared_types) {
  auto key = RecentPrepareKey(sql, declared_types);
  auto known = key ? recent_prepares_.Find(*key) : nullptr;
  if (known) fast_path::CountPrepareReuse();
  return known;
}

Result<std::shared_ptr<PreparedStatement>> SessionImpl::Prepare(
    std::string_view sql, const std::vector<uint32_t>& declared_types) {
  auto reuse_key = RecentPrepareKey(sql, declared_types);
  if (reuse_key) {
    if (auto known = recent_prepares_.Find(*reuse_key)) {
      fast_path::CountPrepareReuse();
      return std::shared_ptr<PreparedStatement>(known);
    }
  }
  auto prepared = std::make_shared<PreparedImpl>();
  std::vector<RowLockClause> row_locks;
  auto rewritten = RewriteText(sql, row_locks);
  if (!rewritten) return std::move(rewritten).error();
  prepared->query = std::move(*rewritten);
  try {
    auto parsed = connection_.ExtractStatements(prepared->query);
    if (parsed.size() > 1) {
      OnStatementError();
      return Error(sqlstate::kSyntaxError,
                   "cannot insert multiple commands into a prepared statement");
    }
    if (parsed.empty()) return std::shared_ptr<PreparedStatement>(std::move(prepared));
    if (auto ready = ApplyParsedRewrites(*parsed[0]); !ready) {
      OnStatementError();
      return std::move(ready).error();
    }
    prepared->description = Describe(
        *connection_.context, *parsed[0],
        row_locks.empty() ? std::nullopt : std::optional<RowLockClause>(row_locks.front()));
    TransactionVerb verb = prepared->description.verb;
    if (state_ == TransactionState::kFailed && verb != TransactionVerb::kCommit &&
        verb != TransactionVerb::kRollback && !IsRollbackToSavepoint(*parsed[0])) {
      return Error(
          sqlstate::kInFailedTransaction,
          "current transaction is aborted, commands ignored until end of transaction block");
    }
    if (auto& error = prepared->description.client_copy_error) {
      OnStatementError();
      return *error;
    }
    prepared->parsed = std::move(parsed[0]);
    if (auto& copy = prepared->description.client_copy) {
      // Never runs prepared (the pipeline refuses it): DuckDB would open the server's stdin.
      prepared->client_copy = copy->request;
      return std::shared_ptr<PreparedStatement>(std::move(prepared));
    }
    if (DescribeCursorCommand(*prepared, declared_types)) {
      return std::shared_ptr<PreparedStatement>(std::move(prepared));
    }
    // SET and SHOW may name settings only augur knows; they run unprepared, like BEGIN/COMMIT.
    const std::string& show = prepared->description.show_target;
    if (!show.empty()) {
      prepared->returns_rows_ = true;
      prepared->columns_.push_back(ColumnInfo{show, 25, -1, -1, "VARCHAR"});
    }
    if (verb == TransactionVerb::kNone && show.empty() &&
        prepared->parsed->type != duckdb::StatementType::SET_STATEMENT) {
      (void)ParkCursors();  // an error shows when the statement runs
      SyncSearchPath();
      column_origins_->Arm();
      prepared->prepared = connection_.Prepare(prepared->parsed->Copy());
      std::vector<ColumnOrigin> origins = column_origins_->Take();
      if (prepared->prepared->HasError()) {
        Error error = TranslateError(prepared->prepared->GetErrorObject(), prepared->query);
        OnStatementError();
        return error;
      }
      auto& p = *prepared->prepared;
      auto expected = p.GetExpectedParameterTypes();
      size_t count = p.named_param_map.size();
      for (size_t i = 0; i < count; ++i) {
        uint32_t declared = i < declared_types.size() ? declared_types[i] : 0;
        auto it = expected.find(std::to_string(i + 1));
        duckdb::LogicalType inferred =
            it == expected.end() ? duckdb::LogicalType::UNKNOWN : it->second;
        bool inferred_known = inferred.id() != duckdb::LogicalTypeId::UNKNOWN &&
                              inferred.id() != duckdb::LogicalTypeId::INVALID &&
                              inferred.id() != duckdb::LogicalTypeId::SQLNULL &&
                              inferred.id() != duckdb::LogicalTypeId::ANY;
        duckdb::LogicalType read_as = declared != 0 ? LogicalTypeForPgOid(declared) : inferred;
        if (read_as.id() == duckdb::LogicalTypeId::UNKNOWN && inferred_known) read_as = inferred;
        prepared->parameter_types_.push_back(read_as);
        prepared->parameter_oids.push_back(declared != 0    ? declared
                                           : inferred_known ? PgTypeFor(inferred).oid
                                                            : 25);
      }
      prepared->returns_rows_ =
          p.GetStatementProperties().return_type == duckdb::StatementReturnType::QUERY_RESULT;
      if (prepared->returns_rows_) {
        auto& types = p.GetTypes();
        auto& names = p.GetNames();
        for (size_t i = 0; i < types.size(); ++i) {
          PgTypeInfo pg = types[i].id() == duckdb::LogicalTypeId::UNKNOWN ? PgTypeInfo{25, -1, -1}
                                                                          : PgTypeFor(types[i]);
          ColumnInfo column{names[i], pg.oid, pg.typlen, pg.typmod, types[i].ToString()};
          if (origins.size() == types.size()) {
            column.table_oid = origins[i].table_oid;
            column.column_number = origins[i].column_number;
            // PostgreSQL computes numeric expressions (sum(total), total * 2) at full precision
            // and describes them without a typmod; DuckDB gives them a DECIMAL(w,s) of its own.
            if (column.table_oid == 0 && column.type_oid == 1700)
              column.type_modifier = -1;  // numeric
          }
          prepared->columns_.push_back(std::move(column));
        }
      }
    }
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, prepared->query);
    OnStatementError();
    return error;
  }
  // Only key lookups are remembered: they are what the fast path answers, and the planner's
  // cost dominates only theirs.
  if (reuse_key && prepared->prepared && prepared->description.key_lookup &&
      !prepared->description.row_lock) {
    recent_prepares_.Remember(std::move(*reuse_key), prepared);
  }
  return std::shared_ptr<PreparedStatement>(std::move(prepared));
}

Result<duckdb::vector<duckdb::Value>> SessionImpl::BindValues(
    const PreparedImpl& prepared, const std::vector<ParameterValue>& parameters) {
  duckdb::vector<duckdb::Value> values;
  values.reserve(parameters.size());
  for (size_t i = 0; i < parameters.size(); ++i) {
    const auto& type = prepared.parameter_types_[i];
    bool unknown = type.id() == duckdb::LogicalTypeId::UNKNOWN;
    if (!parameters[i]) {
      values.push_back(duckdb::Value(unknown ? duckdb::LogicalType::SQLNULL : type));
      continue;
    }
    if (unknown && prepared.untyped_numbers) {
      if (auto number = NumberFromText(*parameters[i])) {
        values.push_back(std::move(*number));
        continue;
      }
    }
    auto value = ValueFromPgText(*connection_.context, *parameters[i], type);
    if (!value) return std::move(value).error();
    values.push_back(std::move(*value));
  }
  return values;
}

}  // namespace augur::engine
