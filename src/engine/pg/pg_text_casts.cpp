// pg_text_casts.cpp: see pg_text_casts.h.
#include "engine/pg/pg_text_casts.h"

#include <string>

#include "duckdb/common/types/vector.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/cast/cast_function_set.hpp"
#include "duckdb/function/cast_rules.hpp"
#include "duckdb/main/client_context.hpp"
#include "engine/pg/pg_types.h"

namespace augur::engine {
namespace {

using duckdb::idx_t;
using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

template <typename T>
bool FloatToText(Vector& source, Vector& result, idx_t count, duckdb::CastParameters&) {
  std::string text;
  duckdb::UnaryExecutor::Execute<T, string_t>(source, result, count, [&](T value) {
    text.clear();
    AppendPgFloat(value, text);
    return duckdb::StringVector::AddString(result, text);
  });
  return true;
}

// An array's elements need the session (a timestamptz prints in its TimeZone), which the cast
// reaches through its local state.
struct ContextState : duckdb::FunctionLocalState {
  explicit ContextState(duckdb::ClientContext* context_p) : context(context_p) {}
  duckdb::ClientContext* context;
};

duckdb::unique_ptr<duckdb::FunctionLocalState> InitContextState(
    duckdb::CastLocalStateParameters& parameters) {
  return duckdb::make_uniq<ContextState>(parameters.context.get());
}

bool ListToText(Vector& source, Vector& result, idx_t count, duckdb::CastParameters& parameters) {
  auto* context =
      parameters.local_state ? parameters.local_state->Cast<ContextState>().context : nullptr;
  if (context == nullptr) return false;  // no session: cannot happen for a bound query
  duckdb::UnifiedVectorFormat format;
  source.ToUnifiedFormat(count, format);
  result.SetVectorType(duckdb::VectorType::FLAT_VECTOR);
  auto out = duckdb::FlatVector::GetData<string_t>(result);
  auto& validity = duckdb::FlatVector::Validity(result);
  std::string text;
  for (idx_t row = 0; row < count; ++row) {
    if (!format.validity.RowIsValid(format.sel->get_index(row))) {
      validity.SetInvalid(row);
      continue;
    }
    text.clear();
    AppendPgText(*context, source.GetValue(row), text);
    out[row] = duckdb::StringVector::AddString(result, text);
  }
  if (count == 1 && source.GetVectorType() == duckdb::VectorType::CONSTANT_VECTOR) {
    result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
  }
  return true;
}

}  // namespace

void RegisterPgTextCasts(duckdb::CastFunctionSet& casts) {
  // The same implicit-cast costs as DuckDB's own casts: only the text changes.
  auto text = LogicalType::VARCHAR;
  casts.RegisterCastFunction(LogicalType::FLOAT, text, duckdb::BoundCastInfo(FloatToText<float>),
                             duckdb::CastRules::ImplicitCast(LogicalType::FLOAT, text));
  casts.RegisterCastFunction(LogicalType::DOUBLE, text, duckdb::BoundCastInfo(FloatToText<double>),
                             duckdb::CastRules::ImplicitCast(LogicalType::DOUBLE, text));
  auto any_list = LogicalType::LIST(LogicalType::ANY);
  casts.RegisterCastFunction(any_list, text,
                             duckdb::BoundCastInfo(ListToText, nullptr, InitContextState),
                             duckdb::CastRules::ImplicitCast(any_list, text));
}

}  // namespace augur::engine
