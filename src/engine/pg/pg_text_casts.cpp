// pg_text_casts.cpp: see pg_text_casts.h.
#include "engine/pg/pg_text_casts.h"

#include <string>

#include "duckdb/common/exception/conversion_exception.hpp"
#include "duckdb/common/operator/cast_operators.hpp"
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

// Text to smallint/integer/bigint: PostgreSQL 15's int2in/int4in/int8in take blanks, a sign and
// digits only; DuckDB's cast also reads '1.5' (as 2), '1e3' and '0x10', a silently different
// value. Text that passes goes on to DuckDB's cast, which checks the range.
struct IntegerTextData : duckdb::BoundCastData {
  IntegerTextData(duckdb::BoundCastInfo duck_p, std::string type_name_p)
      : duck(std::move(duck_p)), type_name(std::move(type_name_p)) {}
  duckdb::BoundCastInfo duck;
  std::string type_name;
  duckdb::unique_ptr<duckdb::BoundCastData> Copy() const override {
    return duckdb::make_uniq<IntegerTextData>(duck.Copy(), type_name);
  }
};

bool IsPgIntegerText(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return false;
  size_t end = text.find_last_not_of(kSpace) + 1;
  std::string_view body = text.substr(begin, end - begin);
  if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
  return !body.empty() && body.find_first_not_of("0123456789") == std::string_view::npos;
}

bool TextToInteger(Vector& source, Vector& result, idx_t count,
                   duckdb::CastParameters& parameters) {
  auto& data = parameters.cast_data->Cast<IntegerTextData>();
  duckdb::UnifiedVectorFormat format;
  source.ToUnifiedFormat(count, format);
  auto texts = duckdb::UnifiedVectorFormat::GetData<string_t>(format);
  for (idx_t row = 0; row < count; ++row) {
    idx_t at = format.sel->get_index(row);
    if (!format.validity.RowIsValid(at)) continue;
    std::string_view text(texts[at].GetData(), texts[at].GetSize());
    if (!IsPgIntegerText(text)) {
      // Throws for a plain cast; TRY_CAST and the CSV reader collect the message.
      duckdb::HandleCastError::AssignError(
          "invalid input syntax for type " + data.type_name + ": \"" + std::string(text) + "\"",
          parameters);
      // Under TRY_CAST: NULL for the bad rows, DuckDB's cast for the rest.
      Vector copy(LogicalType::VARCHAR, count);
      auto copied = duckdb::FlatVector::GetData<string_t>(copy);
      for (idx_t r = 0; r < count; ++r) {
        idx_t a = format.sel->get_index(r);
        std::string_view t(texts[a].GetData(), texts[a].GetSize());
        if (!format.validity.RowIsValid(a) || !IsPgIntegerText(t)) {
          duckdb::FlatVector::SetNull(copy, r, true);
        } else {
          copied[r] = duckdb::StringVector::AddString(copy, t.data(), t.size());
        }
      }
      duckdb::CastParameters inner(parameters, data.duck.cast_data.get(), parameters.local_state);
      data.duck.function(copy, result, count, inner);
      return false;
    }
  }
  duckdb::CastParameters inner(parameters, data.duck.cast_data.get(), parameters.local_state);
  return data.duck.function(source, result, count, inner);
}

duckdb::BoundCastInfo BindTextToInteger(duckdb::BindCastInput& input, const LogicalType& source,
                                        const LogicalType& target) {
  auto duck = duckdb::DefaultCasts::GetDefaultCastFunction(input, source, target);
  std::string name = target.id() == duckdb::LogicalTypeId::SMALLINT  ? "smallint"
                     : target.id() == duckdb::LogicalTypeId::INTEGER ? "integer"
                                                                     : "bigint";
  return duckdb::BoundCastInfo(TextToInteger,
                               duckdb::make_uniq<IntegerTextData>(std::move(duck), name));
}

}  // namespace

void RegisterPgTextCasts(duckdb::CastFunctionSet& casts) {
  for (auto id : {duckdb::LogicalTypeId::VARCHAR, duckdb::LogicalTypeId::STRING_LITERAL}) {
    LogicalType text(id);
    for (const auto& integer : {LogicalType::SMALLINT, LogicalType::INTEGER, LogicalType::BIGINT}) {
      casts.RegisterCastFunction(text, integer, BindTextToInteger,
                                 duckdb::CastRules::ImplicitCast(text, integer));
    }
  }
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
