// auth_functions.cpp
#include "engine/auth/auth_functions.h"

#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/function/table_function.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "engine/auth/session_role.h"
#include "engine/pg/bound_rows_function.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {

namespace {

using duckdb::DataChunk;
using duckdb::ExpressionState;
using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

SessionRole& CallingRole(duckdb::ClientContext& context) {
  auto* role = SessionRole::Of(context);
  if (!role) throw duckdb::InvalidInputException("no augur session on this connection");
  return *role;
}

// The calling session's role, which must be a superuser.
SessionRole& Superuser(duckdb::ClientContext& context, const char* what) {
  auto& role = CallingRole(context);
  auto current = role.Current();
  if (!current || !current->superuser) {
    throw duckdb::PermissionException("permission denied to %s: role \"%s\" is not a superuser",
                                      what, role.name());
  }
  return role;
}

void CurrentUser(DataChunk&, ExpressionState& state, Vector& result) {
  result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
  result.SetValue(0, duckdb::Value(CallingRole(state.GetContext()).name()));
}

void CreateToken(DataChunk& args, ExpressionState& state, Vector& result) {
  auto& role = Superuser(state.GetContext(), "create API tokens");
  duckdb::UnaryExecutor::Execute<string_t, string_t>(
      args.data[0], result, args.size(), [&](string_t name) {
        auto token = role.store().CreateToken(name.GetString());
        if (!token) ThrowError(token.error());
        return duckdb::StringVector::AddString(result, *token);
      });
}

void DropToken(DataChunk& args, ExpressionState& state, Vector& result) {
  auto& role = Superuser(state.GetContext(), "drop API tokens");
  duckdb::UnaryExecutor::Execute<string_t, bool>(
      args.data[0], result, args.size(), [&](string_t id) {
        auto dropped = role.store().DropToken(id.GetString());
        if (!dropped) ThrowError(dropped.error());
        return *dropped;
      });
}

using TokensBind = BoundRows<ApiToken>;

duckdb::unique_ptr<duckdb::FunctionData> BindTokens(duckdb::ClientContext& context,
                                                    duckdb::TableFunctionBindInput&,
                                                    duckdb::vector<LogicalType>& types,
                                                    duckdb::vector<std::string>& names) {
  auto data = duckdb::make_uniq<TokensBind>();
  data->rows = Superuser(context, "list API tokens").store().Tokens();
  types = {LogicalType::VARCHAR, LogicalType::VARCHAR};
  names = {"id", "role"};
  return data;
}

void ScanTokens(duckdb::ClientContext&, duckdb::TableFunctionInput& input, DataChunk& output) {
  ScanBoundRows<TokensBind>(input, output, [&](const ApiToken& token, duckdb::idx_t at) {
    output.SetValue(0, at, duckdb::Value(token.id));
    output.SetValue(1, at, duckdb::Value(token.role));
  });
}

void Register(duckdb::ClientContext& context, duckdb::ScalarFunction function) {
  // Side effects or per-session results: never folded into a constant.
  function.stability = duckdb::FunctionStability::VOLATILE;
  ReplaceSystemScalarFunction(context, duckdb::ScalarFunctionSet(std::move(function)));
}

}  // namespace

Status InstallAuthFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "auth functions", [](duckdb::ClientContext& context) {
        Register(context,
                 duckdb::ScalarFunction("current_user", {}, LogicalType::VARCHAR, CurrentUser));
        Register(context,
                 duckdb::ScalarFunction("session_user", {}, LogicalType::VARCHAR, CurrentUser));
        Register(context, duckdb::ScalarFunction("augur_create_api_token", {LogicalType::VARCHAR},
                                                 LogicalType::VARCHAR, CreateToken));
        Register(context, duckdb::ScalarFunction("augur_drop_api_token", {LogicalType::VARCHAR},
                                                 LogicalType::BOOLEAN, DropToken));
        RegisterSystemTableFunction(
            context, duckdb::TableFunction("augur_api_tokens", {}, ScanTokens, BindTokens,
                                           InitBoundRowsScan));
      });
}

}  // namespace augur::engine
