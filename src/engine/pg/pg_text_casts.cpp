// pg_text_casts.cpp: see pg_text_casts.h.
#include "engine/pg/pg_text_casts.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstring>
#include <optional>
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

// ISO 8601 intervals with designators ('P1Y2M3DT4H5M6.5S', 'P2W'), which PostgreSQL reads and
// DuckDB does not: the value in DuckDB's own words ("14 months 3 days 14706500000
// microseconds"), or nullopt for any other text. Fractions cascade as in PostgreSQL's
// DecodeISO8601Interval: a fraction of a year to whole months, of a month (30 days) or week to
// days and then time, of a day to time.
std::optional<std::string> IsoIntervalText(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return std::nullopt;
  text = text.substr(begin, text.find_last_not_of(kSpace) + 1 - begin);
  if (text.size() < 3 || text[0] != 'P') return std::nullopt;
  constexpr double kMicrosPerDay = 86400e6;
  int64_t months = 0, days = 0;
  double micros = 0;
  auto fraction_of_days = [&](double fraction, double scale) {
    double d = fraction * scale;
    auto whole = static_cast<int64_t>(d);
    days += whole;
    micros += std::nearbyint((d - static_cast<double>(whole)) * kMicrosPerDay);
  };
  bool time = false;
  size_t i = 1;
  while (i < text.size()) {
    if (text[i] == 'T' && !time) {
      time = true;
      ++i;
      continue;
    }
    size_t start = i;
    if (text[i] == '+' || text[i] == '-') ++i;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
    }
    if (digits == 0 || digits > 15 || i >= text.size()) return std::nullopt;
    double value = std::stod(std::string(text.substr(start, i - start)));
    double whole = std::trunc(value);
    double fraction = value - whole;
    auto n = static_cast<int64_t>(whole);
    switch (time ? std::tolower(static_cast<unsigned char>(text[i])) : text[i]) {
      case 'Y':
        months += n * 12 + static_cast<int64_t>(std::nearbyint(fraction * 12));
        break;
      case 'M':
        months += n;
        fraction_of_days(fraction, 30);
        break;
      case 'W':
        days += n * 7;
        fraction_of_days(fraction, 7);
        break;
      case 'D':
        days += n;
        micros += std::nearbyint(fraction * kMicrosPerDay);
        break;
      case 'h':
        micros += value * 3600e6;
        break;
      case 'm':
        micros += value * 60e6;
        break;
      case 's':
        micros += std::nearbyint(value * 1e6);
        break;
      default:
        return std::nullopt;
    }
    ++i;
  }
  return fmt::format("{} months {} days {} microseconds", months, days,
                     static_cast<int64_t>(std::nearbyint(micros)));
}

// Text to interval: ISO 8601 text as IsoIntervalText says it, everything else to DuckDB's cast.
struct IntervalTextData : duckdb::BoundCastData {
  explicit IntervalTextData(duckdb::BoundCastInfo duck_p) : duck(std::move(duck_p)) {}
  duckdb::BoundCastInfo duck;
  duckdb::unique_ptr<duckdb::BoundCastData> Copy() const override {
    return duckdb::make_uniq<IntervalTextData>(duck.Copy());
  }
};

bool TextToInterval(Vector& source, Vector& result, idx_t count,
                    duckdb::CastParameters& parameters) {
  auto& data = parameters.cast_data->Cast<IntervalTextData>();
  duckdb::CastParameters inner(parameters, data.duck.cast_data.get(), parameters.local_state);
  duckdb::UnifiedVectorFormat format;
  source.ToUnifiedFormat(count, format);
  auto texts = duckdb::UnifiedVectorFormat::GetData<string_t>(format);
  bool any_iso = false;
  for (idx_t row = 0; row < count && !any_iso; ++row) {
    idx_t at = format.sel->get_index(row);
    if (!format.validity.RowIsValid(at)) continue;
    auto text = texts[at];
    any_iso = text.GetSize() > 0 && std::memchr(text.GetData(), 'P', text.GetSize()) != nullptr &&
              IsoIntervalText({text.GetData(), text.GetSize()}).has_value();
  }
  if (!any_iso) return data.duck.function(source, result, count, inner);
  Vector copy(LogicalType::VARCHAR, count);
  auto copied = duckdb::FlatVector::GetData<string_t>(copy);
  for (idx_t row = 0; row < count; ++row) {
    idx_t at = format.sel->get_index(row);
    if (!format.validity.RowIsValid(at)) {
      duckdb::FlatVector::SetNull(copy, row, true);
      continue;
    }
    std::string_view text(texts[at].GetData(), texts[at].GetSize());
    auto iso = IsoIntervalText(text);
    copied[row] = iso ? duckdb::StringVector::AddString(copy, *iso)
                      : duckdb::StringVector::AddString(copy, text.data(), text.size());
  }
  return data.duck.function(copy, result, count, inner);
}

duckdb::BoundCastInfo BindTextToInterval(duckdb::BindCastInput& input, const LogicalType& source,
                                         const LogicalType& target) {
  auto duck = duckdb::DefaultCasts::GetDefaultCastFunction(input, source, target);
  return duckdb::BoundCastInfo(TextToInterval,
                               duckdb::make_uniq<IntervalTextData>(std::move(duck)));
}

}  // namespace

void RegisterPgTextCasts(duckdb::CastFunctionSet& casts) {
  for (auto id : {duckdb::LogicalTypeId::VARCHAR, duckdb::LogicalTypeId::STRING_LITERAL}) {
    LogicalType text(id);
    casts.RegisterCastFunction(text, LogicalType::INTERVAL, BindTextToInterval,
                               duckdb::CastRules::ImplicitCast(text, LogicalType::INTERVAL));
  }
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
