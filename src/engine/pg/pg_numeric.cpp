// pg_numeric.cpp: see pg_numeric.h. The check runs before DuckDB's own cast, which then converts
// exactly (the value fits the scale); values it cannot hold at all (more than 28 integer digits)
// already fail in DuckDB's cast.
#include "engine/pg/pg_numeric.h"

#include <fmt/format.h>

#include <cstdio>
#include <optional>

#include "duckdb/common/types/vector.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/cast/cast_function_set.hpp"
#include "duckdb/function/cast/default_casts.hpp"
#include "duckdb/function/cast_rules.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_numeric_text.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;

struct StrictData : duckdb::BoundCastData {
  explicit StrictData(duckdb::BoundCastInfo inner_p) : inner(std::move(inner_p)) {}
  duckdb::BoundCastInfo inner;
  // For float4/float8 sources: the text -> numeric cast their PostgreSQL text goes through.
  std::optional<duckdb::BoundCastInfo> from_text;
  duckdb::unique_ptr<duckdb::BoundCastData> Copy() const override {
    auto copy = duckdb::make_uniq<StrictData>(inner.Copy());
    if (from_text) copy->from_text = from_text->Copy();
    return copy;
  }
};

// float8 -> numeric as PostgreSQL converts it: through its text with 15 significant digits
// (float4: 6), DBL_DIG and FLT_DIG. DuckDB's own cast multiplies in binary floating point, which
// made 1e15::numeric 1000000000000000.0905969664.
std::string FloatText(const duckdb::Value& value) {
  char buffer[64];
  if (value.type().id() == LogicalTypeId::FLOAT) {
    std::snprintf(buffer, sizeof buffer, "%.6g", static_cast<double>(value.GetValue<float>()));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.15g", value.GetValue<double>());
  }
  return buffer;
}

[[noreturn]] void TooManyDigits(const std::string& text, std::string_view kind, int most) {
  ThrowError(Error("22003", fmt::format("value {} needs more than {} {} digits, the most augur "
                                        "keeps for numeric without a precision",
                                        text, most, kind))
                 .WithHint("Declare the column or cast as numeric(p,s) with the digits it needs."));
}

bool StrictCast(duckdb::Vector& source, duckdb::Vector& result, duckdb::idx_t count,
                duckdb::CastParameters& parameters) {
  auto& data = parameters.cast_data->Cast<StrictData>();
  duckdb::UnifiedVectorFormat format;
  source.ToUnifiedFormat(count, format);
  bool text = source.GetType().InternalType() == duckdb::PhysicalType::VARCHAR;
  std::optional<duckdb::Vector> float_text;
  if (data.from_text) float_text.emplace(LogicalType::VARCHAR, count);
  for (duckdb::idx_t i = 0; i < count; ++i) {
    auto at = format.sel->get_index(i);
    if (!format.validity.RowIsValid(at)) {
      if (float_text) duckdb::FlatVector::SetNull(*float_text, i, true);
      continue;
    }
    std::string value;
    if (text) {
      auto s = duckdb::UnifiedVectorFormat::GetData<duckdb::string_t>(format)[at];
      value = s.GetString();
    } else if (float_text) {
      value = FloatText(source.GetValue(i));
      duckdb::FlatVector::GetData<duckdb::string_t>(*float_text)[i] =
          duckdb::StringVector::AddString(*float_text, value);
    } else {
      value = source.GetValue(i).ToString();
    }
    auto shape = ShapeOf(value);
    if (!shape.ok) continue;  // DuckDB's cast reports it
    if (shape.scale > kUnconstrainedScale) TooManyDigits(value, "fractional", kUnconstrainedScale);
    if (shape.integer_digits > kUnconstrainedWidth - kUnconstrainedScale) {
      TooManyDigits(value, "integer", kUnconstrainedWidth - kUnconstrainedScale);
    }
  }
  if (float_text) {
    duckdb::CastParameters inner(parameters, data.from_text->cast_data.get(),
                                 parameters.local_state);
    return data.from_text->function(*float_text, result, count, inner);
  }
  duckdb::CastParameters inner(parameters, data.inner.cast_data.get(), parameters.local_state);
  return data.inner.function(source, result, count, inner);
}

duckdb::BoundCastInfo BindStrict(duckdb::BindCastInput& input, const LogicalType& source,
                                 const LogicalType& target) {
  auto inner = duckdb::DefaultCasts::GetDefaultCastFunction(input, source, target);
  if (source.id() == LogicalTypeId::DECIMAL &&
      duckdb::DecimalType::GetScale(source) <= kUnconstrainedScale &&
      duckdb::DecimalType::GetWidth(source) - duckdb::DecimalType::GetScale(source) <=
          kUnconstrainedWidth - kUnconstrainedScale) {
    return inner;  // always exact
  }
  auto data = duckdb::make_uniq<StrictData>(std::move(inner));
  if (source.id() == LogicalTypeId::DOUBLE || source.id() == LogicalTypeId::FLOAT) {
    data->from_text =
        duckdb::DefaultCasts::GetDefaultCastFunction(input, LogicalType::VARCHAR, target);
  }
  return duckdb::BoundCastInfo(StrictCast, std::move(data));
}

// numeric -> text: without the trailing zeros of the fixed scale, as the wire output prints it.
bool TrimmedText(duckdb::Vector& source, duckdb::Vector& result, duckdb::idx_t count,
                 duckdb::CastParameters& parameters) {
  auto& data = parameters.cast_data->Cast<StrictData>();
  duckdb::CastParameters inner(parameters, data.inner.cast_data.get(), parameters.local_state);
  if (!data.inner.function(source, result, count, inner)) return false;
  duckdb::UnaryExecutor::Execute<duckdb::string_t, duckdb::string_t>(
      result, result, count, [&](duckdb::string_t text) {
        return duckdb::StringVector::AddString(result, TrimNumericZeros(text.GetString()));
      });
  return true;
}

duckdb::BoundCastInfo BindText(duckdb::BindCastInput& input, const LogicalType& source,
                               const LogicalType& target) {
  auto inner = duckdb::DefaultCasts::GetDefaultCastFunction(input, source, target);
  if (duckdb::DecimalType::GetWidth(source) != kUnconstrainedWidth ||
      duckdb::DecimalType::GetScale(source) < kUnconstrainedScale) {
    return inner;
  }
  return duckdb::BoundCastInfo(TrimmedText, duckdb::make_uniq<StrictData>(std::move(inner)));
}

}  // namespace

void RegisterUnconstrainedNumericCasts(duckdb::CastFunctionSet& casts) {
  LogicalType target = LogicalType::DECIMAL(kUnconstrainedWidth, kUnconstrainedScale);
  // The same implicit-cast costs as DuckDB's casts (a DECIMAL source stands for every DECIMAL).
  for (auto id : {LogicalTypeId::VARCHAR, LogicalTypeId::STRING_LITERAL, LogicalTypeId::HUGEINT,
                  LogicalTypeId::UHUGEINT, LogicalTypeId::DOUBLE, LogicalTypeId::FLOAT,
                  LogicalTypeId::DECIMAL}) {
    LogicalType source(id);
    LogicalType representative =
        id == LogicalTypeId::DECIMAL ? LogicalType::DECIMAL(18, 3) : source;
    casts.RegisterCastFunction(source, target, BindStrict,
                               duckdb::CastRules::ImplicitCast(representative, target));
  }
  casts.RegisterCastFunction(
      LogicalType(LogicalTypeId::DECIMAL), LogicalType::VARCHAR, BindText,
      duckdb::CastRules::ImplicitCast(LogicalType::DECIMAL(18, 3), LogicalType::VARCHAR));
}

}  // namespace augur::engine
