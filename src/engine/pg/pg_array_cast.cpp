// pg_array_cast.cpp: see pg_array_cast.h. PostgreSQL's text becomes a JSON array of strings
// (pg_array_text.h) that DuckDB's JSON -> list cast turns into the target list type, so element
// conversion and its errors are DuckDB's casts from text, as for '[...]' text.
#include "engine/pg/pg_array_cast.h"

#include "duckdb/common/exception/conversion_exception.hpp"
#include "duckdb/common/operator/cast_operators.hpp"
#include "duckdb/common/types/vector.hpp"
#include "duckdb/function/cast/cast_function_set.hpp"
#include "duckdb/function/cast_rules.hpp"
#include "duckdb/function/function.hpp"
#include "engine/pg/pg_array_text.h"

namespace augur::engine {
namespace {

using duckdb::idx_t;
using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

struct ArrayCastData : duckdb::BoundCastData {
  ArrayCastData(duckdb::BoundCastInfo duck, duckdb::BoundCastInfo json)
      : duck_cast(std::move(duck)), json_cast(std::move(json)) {}
  duckdb::BoundCastInfo duck_cast;  // DuckDB's VARCHAR -> list, for '[1, 2]'
  duckdb::BoundCastInfo json_cast;  // JSON -> list, for PostgreSQL's text turned into JSON
  duckdb::unique_ptr<duckdb::BoundCastData> Copy() const override {
    return duckdb::make_uniq<ArrayCastData>(duck_cast.Copy(), json_cast.Copy());
  }
};

struct ArrayCastState : duckdb::FunctionLocalState {
  duckdb::unique_ptr<duckdb::FunctionLocalState> duck_state, json_state;
};

duckdb::unique_ptr<duckdb::FunctionLocalState> InitState(
    duckdb::CastLocalStateParameters& parameters) {
  auto& data = parameters.cast_data->Cast<ArrayCastData>();
  auto state = duckdb::make_uniq<ArrayCastState>();
  if (data.duck_cast.init_local_state) {
    duckdb::CastLocalStateParameters child(parameters, data.duck_cast.cast_data);
    state->duck_state = data.duck_cast.init_local_state(child);
  }
  if (data.json_cast.init_local_state) {
    duckdb::CastLocalStateParameters child(parameters, data.json_cast.cast_data);
    state->json_state = data.json_cast.init_local_state(child);
  }
  return state;
}

// PostgreSQL's array text starts with '{' or with a dimension decoration ("[1:2]={...}");
// DuckDB's with '[' and no decoration.
bool IsPgArrayText(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  size_t at = text.find_first_not_of(kSpace);
  if (at == std::string_view::npos) return false;
  if (text[at] == '{') return true;
  if (text[at] != '[') return false;
  size_t eq = text.find('=', at);
  if (eq == std::string_view::npos) return false;
  size_t next = text.find_first_not_of(kSpace, eq + 1);
  return next != std::string_view::npos && text[next] == '{' &&
         text.find_first_not_of("0123456789:+-[] \t\n\r\v\f", at) == eq;
}

bool RunCast(const duckdb::BoundCastInfo& cast, duckdb::FunctionLocalState* state, Vector& source,
             Vector& result, idx_t count, duckdb::CastParameters& parameters) {
  duckdb::CastParameters child(parameters, cast.cast_data, state);
  return cast.function(source, result, count, child);
}

// How many dimensions PostgreSQL's array text has: the '{' before its first element.
size_t TextDimensions(std::string_view text) {
  size_t dimensions = 0;
  for (char c : text.substr(text.find('{') == std::string_view::npos ? 0 : text.find('{'))) {
    if (c == '{') {
      ++dimensions;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      break;
    }
  }
  return dimensions;
}

size_t TypeDimensions(const LogicalType& type) {
  size_t dimensions = 0;
  const LogicalType* at = &type;
  while (at->id() == duckdb::LogicalTypeId::LIST) {
    ++dimensions;
    at = &duckdb::ListType::GetChildType(*at);
  }
  return dimensions;
}

// The JSON text for every row of `source` (all of them PostgreSQL's form, or NULL).
bool PgTextToList(const ArrayCastData& data, ArrayCastState& state, Vector& source, Vector& result,
                  idx_t count, duckdb::CastParameters& parameters) {
  Vector json(LogicalType::JSON(), count);
  bool all_converted = true;
  duckdb::UnaryExecutor::ExecuteWithNulls<string_t, string_t>(
      source, json, count, [&](string_t input, duckdb::ValidityMask& mask, idx_t row) {
        std::string_view text(input.GetData(), input.GetSize());
        // PostgreSQL's int[] takes any number of dimensions; a DuckDB list type has one count.
        if (TextDimensions(text) > TypeDimensions(result.GetType())) {
          duckdb::HandleCastError::AssignError(
              "augur's array types have a fixed number of dimensions: \"" + std::string(text) +
                  "\" has more than " + result.GetType().ToString() +
                  " (cast to a type with one [] per dimension, e.g. int[][])",
              parameters);
          all_converted = false;
          mask.SetInvalid(row);
          return string_t();
        }
        auto converted = PgArrayTextToJson(text);
        if (!converted) {
          // Throws for a plain cast; TRY_CAST collects the message and gives NULL.
          duckdb::HandleCastError::AssignError(
              "malformed array literal: \"" + std::string(text) + "\"", parameters);
          all_converted = false;
          mask.SetInvalid(row);
          return string_t();
        }
        return duckdb::StringVector::AddString(json, *converted);
      });
  bool cast = RunCast(data.json_cast, state.json_state.get(), json, result, count, parameters);
  return all_converted && cast;
}

bool TextToList(Vector& source, Vector& result, idx_t count, duckdb::CastParameters& parameters) {
  auto& data = parameters.cast_data->Cast<ArrayCastData>();
  auto& state = parameters.local_state->Cast<ArrayCastState>();
  duckdb::UnifiedVectorFormat format;
  source.ToUnifiedFormat(count, format);
  auto texts = duckdb::UnifiedVectorFormat::GetData<string_t>(format);
  bool any_pg = false, any_duck = false;
  for (idx_t row = 0; row < count; ++row) {
    idx_t at = format.sel->get_index(row);
    if (!format.validity.RowIsValid(at)) continue;
    (IsPgArrayText(std::string_view(texts[at].GetData(), texts[at].GetSize())) ? any_pg
                                                                               : any_duck) = true;
  }
  if (!any_pg) {
    return RunCast(data.duck_cast, state.duck_state.get(), source, result, count, parameters);
  }
  if (!any_duck) return PgTextToList(data, state, source, result, count, parameters);
  // Both forms in one vector (rare): row by row.
  bool all_converted = true;
  for (idx_t row = 0; row < count; ++row) {
    Vector one(LogicalType::VARCHAR, 1);
    one.SetValue(0, source.GetValue(row));
    Vector out(result.GetType(), 1);
    bool ok;
    if (one.GetValue(0).IsNull()) {
      ok = RunCast(data.duck_cast, state.duck_state.get(), one, out, 1, parameters);
    } else if (IsPgArrayText(duckdb::StringValue::Get(one.GetValue(0)))) {
      ok = PgTextToList(data, state, one, out, 1, parameters);
    } else {
      ok = RunCast(data.duck_cast, state.duck_state.get(), one, out, 1, parameters);
    }
    all_converted &= ok;
    result.SetValue(row, out.GetValue(0));
  }
  return all_converted;
}

duckdb::BoundCastInfo BindTextToList(duckdb::BindCastInput& input, const LogicalType& source,
                                     const LogicalType& target) {
  auto duck = duckdb::DefaultCasts::GetDefaultCastFunction(input, source, target);
  auto json = input.GetCastFunction(LogicalType::JSON(), target);
  return duckdb::BoundCastInfo(
      TextToList, duckdb::make_uniq<ArrayCastData>(std::move(duck), std::move(json)), InitState);
}

}  // namespace

void RegisterPgArrayCasts(duckdb::CastFunctionSet& casts) {
  // The same implicit-cast costs as DuckDB's own casts: only the reading changes.
  auto any_list = LogicalType::LIST(LogicalType::ANY);
  for (auto id : {duckdb::LogicalTypeId::VARCHAR, duckdb::LogicalTypeId::STRING_LITERAL}) {
    LogicalType text(id);
    casts.RegisterCastFunction(text, any_list, BindTextToList,
                               duckdb::CastRules::ImplicitCast(text, any_list));
  }
}

}  // namespace augur::engine
