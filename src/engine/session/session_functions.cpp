// session_functions.cpp: scalar functions with a pointer to the SessionRegistry in their
// function_info, so that a call finds the calling session (through its ClientContext) or the
// session it names (through its pid).
#include "engine/session/session_functions.h"

#include <algorithm>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/common/vector_operations/ternary_executor.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/table_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/planner/expression/bound_function_expression.hpp"
#include "engine/locks/lock_functions.h"
#include "engine/pg/bound_rows_function.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"
#include "engine/session/session_impl.h"
#include "engine/session/sql_cursors.h"

namespace augur::engine {
namespace {

using duckdb::DataChunk;
using duckdb::ExpressionState;
using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

struct RegistryInfo : duckdb::ScalarFunctionInfo {
  explicit RegistryInfo(SessionRegistry& r) : registry(r) {}
  SessionRegistry& registry;
};

SessionRegistry& RegistryOf(ExpressionState& state) {
  auto& expr = state.expr.Cast<duckdb::BoundFunctionExpression>();
  return expr.function.function_info->Cast<RegistryInfo>().registry;
}

SessionImpl& CallingSession(ExpressionState& state) {
  SessionImpl* session = RegistryOf(state).ByContext(&state.GetContext());
  if (!session) throw duckdb::InvalidInputException("no augur session on this connection");
  return *session;
}

void BackendPid(DataChunk& args, ExpressionState& state, Vector& result) {
  result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
  result.SetValue(0, duckdb::Value::INTEGER(CallingSession(state).id()));
  (void)args;
}

void CancelBackend(DataChunk& args, ExpressionState& state, Vector& result) {
  SessionRegistry& registry = RegistryOf(state);
  const SessionRole* caller = SessionRole::Of(state.GetContext());
  duckdb::UnaryExecutor::Execute<int32_t, bool>(args.data[0], result, args.size(),
                                                [&](int32_t pid) {
                                                  auto cancelled = registry.Cancel(pid, caller);
                                                  if (!cancelled) ThrowError(cancelled.error());
                                                  return *cancelled;
                                                });
}

void SetConfig(DataChunk& args, ExpressionState& state, Vector& result) {
  SessionImpl& session = CallingSession(state);
  duckdb::TernaryExecutor::Execute<string_t, string_t, bool, string_t>(
      args.data[0], args.data[1], args.data[2], result, args.size(),
      [&](string_t name, string_t value, bool is_local) {
        auto set = session.SetSetting(name.GetString(), value.GetString(), is_local);
        if (!set) throw duckdb::InvalidInputException(set.error().message);
        return value;
      });
}

void CurrentSetting(DataChunk& args, ExpressionState& state, Vector& result) {
  SessionImpl& session = CallingSession(state);
  duckdb::UnaryExecutor::Execute<string_t, string_t>(
      args.data[0], result, args.size(), [&](string_t name) {
        auto value = session.GetSetting(name.GetString());
        if (!value) ThrowError(value.error());
        return duckdb::StringVector::AddString(result, *value);
      });
}

void Register(duckdb::ClientContext& context, duckdb::ScalarFunction function) {
  // Replaces DuckDB's current_setting.
  ReplaceSystemScalarFunction(context, duckdb::ScalarFunctionSet(std::move(function)));
}

// augur_stat_activity(): one row per live session. Bound with the registry through the table
// function's info; produces everything in one chunk (sessions are few).
struct ActivityInfo : duckdb::TableFunctionInfo {
  explicit ActivityInfo(SessionRegistry& r) : registry(r) {}
  SessionRegistry& registry;
};

using ActivityBind = BoundRows<SessionActivity>;

duckdb::unique_ptr<duckdb::FunctionData> BindActivity(duckdb::ClientContext&,
                                                      duckdb::TableFunctionBindInput& input,
                                                      duckdb::vector<LogicalType>& types,
                                                      duckdb::vector<std::string>& names) {
  auto bind = duckdb::make_uniq<ActivityBind>();
  bind->rows = input.info->Cast<ActivityInfo>().registry.Activity();
  names = {"pid",
           "usename",
           "application_name",
           "client_addr",
           "client_port",
           "backend_start",
           "query_start",
           "state",
           "query",
           "wait_event_type",
           "wait_event",
           "progress",
           "rows_processed",
           "rows_total"};
  types = {LogicalType::INTEGER,      LogicalType::VARCHAR, LogicalType::VARCHAR,
           LogicalType::VARCHAR,      LogicalType::INTEGER, LogicalType::TIMESTAMP_TZ,
           LogicalType::TIMESTAMP_TZ, LogicalType::VARCHAR, LogicalType::VARCHAR,
           LogicalType::VARCHAR,      LogicalType::VARCHAR, LogicalType::DOUBLE,
           LogicalType::BIGINT,       LogicalType::BIGINT};
  return bind;
}

duckdb::Value Timestamp(std::chrono::system_clock::time_point t) {
  if (t.time_since_epoch().count() == 0) return duckdb::Value(LogicalType::TIMESTAMP_TZ);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch());
  return duckdb::Value::TIMESTAMPTZ(duckdb::timestamp_tz_t(micros.count()));
}

void ScanActivity(duckdb::ClientContext&, duckdb::TableFunctionInput& input, DataChunk& output) {
  ScanBoundRows<ActivityBind>(input, output, [&](const SessionActivity& row, duckdb::idx_t count) {
    output.SetValue(0, count, duckdb::Value::INTEGER(row.pid));
    output.SetValue(1, count, duckdb::Value(row.user));
    output.SetValue(2, count, duckdb::Value(row.application));
    output.SetValue(3, count, duckdb::Value(row.client_address));
    output.SetValue(4, count, duckdb::Value::INTEGER(row.client_port));
    output.SetValue(5, count, Timestamp(row.backend_start));
    output.SetValue(6, count, Timestamp(row.query_start));
    output.SetValue(7, count, duckdb::Value(row.state));
    output.SetValue(8, count, duckdb::Value(row.query));
    output.SetValue(9, count,
                    row.wait_event_type.empty() ? duckdb::Value(LogicalType::VARCHAR)
                                                : duckdb::Value(row.wait_event_type));
    output.SetValue(10, count,
                    row.wait_event.empty() ? duckdb::Value(LogicalType::VARCHAR)
                                           : duckdb::Value(row.wait_event));
    output.SetValue(
        11, count,
        row.progress ? duckdb::Value::DOUBLE(*row.progress) : duckdb::Value(LogicalType::DOUBLE));
    output.SetValue(12, count,
                    row.rows_processed ? duckdb::Value::BIGINT(*row.rows_processed)
                                       : duckdb::Value(LogicalType::BIGINT));
    output.SetValue(13, count,
                    row.rows_total ? duckdb::Value::BIGINT(*row.rows_total)
                                   : duckdb::Value(LogicalType::BIGINT));
  });
}

}  // namespace

Status InstallSessionFunctions(duckdb::Connection& connection, SessionRegistry& registry) {
  auto info = duckdb::make_shared_ptr<RegistryInfo>(registry);
  auto with_info = [&](duckdb::ScalarFunction f) {
    f.function_info = info;
    // Results depend on the session, never on the arguments alone: no constant folding.
    f.stability = duckdb::FunctionStability::VOLATILE;
    return f;
  };
  return InstallInTransaction(
      *connection.context, "session functions", [&](duckdb::ClientContext& context) {
        Register(context, with_info(duckdb::ScalarFunction("pg_backend_pid", {},
                                                           LogicalType::INTEGER, BackendPid)));
        Register(context,
                 with_info(duckdb::ScalarFunction("pg_cancel_backend", {LogicalType::INTEGER},
                                                  LogicalType::BOOLEAN, CancelBackend)));
        Register(context, with_info(duckdb::ScalarFunction(
                              "set_config",
                              {LogicalType::VARCHAR, LogicalType::VARCHAR, LogicalType::BOOLEAN},
                              LogicalType::VARCHAR, SetConfig)));
        duckdb::TableFunction activity("augur_stat_activity", {}, ScanActivity, BindActivity,
                                       InitBoundRowsScan);
        activity.function_info = duckdb::make_shared_ptr<ActivityInfo>(registry);
        RegisterSystemTableFunction(context, std::move(activity));
        RegisterCursorFunctions(context, registry);
        Register(context,
                 with_info(duckdb::ScalarFunction("current_setting", {LogicalType::VARCHAR},
                                                  LogicalType::VARCHAR, CurrentSetting)));
        RegisterLockFunctions(context, registry);
      });
}

void SessionRegistry::Add(SessionImpl* session, duckdb::ClientContext* context, int32_t id) {
  std::lock_guard lock(mu_);
  by_context_[context] = session;
  by_id_[id] = session;
}

void SessionRegistry::Remove(duckdb::ClientContext* context, int32_t id) {
  std::lock_guard lock(mu_);
  by_context_.erase(context);
  by_id_.erase(id);
}

SessionImpl* SessionRegistry::ByContext(duckdb::ClientContext* context) {
  std::lock_guard lock(mu_);
  auto it = by_context_.find(context);
  return it == by_context_.end() ? nullptr : it->second;
}

std::vector<SessionActivity> SessionRegistry::Activity() {
  std::lock_guard lock(mu_);
  std::vector<SessionActivity> rows;
  for (auto& [id, session] : by_id_) rows.push_back(session->activity());
  std::sort(rows.begin(), rows.end(),
            [](const SessionActivity& a, const SessionActivity& b) { return a.pid < b.pid; });
  return rows;
}

Result<bool> SessionRegistry::Cancel(int32_t id, const SessionRole* caller) {
  std::lock_guard lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return false;
  if (caller != nullptr && !caller->Has(Privilege::kSuperuser)) {
    const SessionRole& target = it->second->role();
    if (target.Has(Privilege::kSuperuser)) {
      return Error(sqlstate::kInsufficientPrivilege,
                   "must be a superuser to cancel superuser query");
    }
    if (target.name() != caller->name()) {
      return Error(sqlstate::kInsufficientPrivilege,
                   "must be a member of the role whose query is being canceled or member of "
                   "pg_signal_backend");
    }
  }
  it->second->Cancel();
  return true;
}

}  // namespace augur::engine
