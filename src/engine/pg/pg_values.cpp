// pg_values.cpp: see pg_values.h.
//
// bytea: DuckDB's VARCHAR -> BLOB cast reads its own escape format, in which PostgreSQL's
// '\xdeadbeef' is the byte 0xde followed by the text "adbeef"; its BLOB -> VARCHAR cast prints
// printable bytes as themselves. Both are replaced in the database's cast set (the map that
// DuckDB consults before its default casts), so literals, '...'::bytea, COPY FROM (whose CSV
// reader casts through the same set) and comparisons all read PostgreSQL's hex and escape forms
// and text conversions print hex, as PostgreSQL's default bytea_output does.
//
// format(): PostgreSQL's %-style format (pg_format.h) replaces DuckDB's {}-style one; each
// argument is formatted with PostgreSQL's text output (pg_types.h), so format('%s', true) is 't'.
//
// date_trunc(): DuckDB returns a DATE when truncating a TIMESTAMP or DATE to a day or coarser;
// PostgreSQL returns timestamp for timestamp and timestamptz (local midnight) for date. The
// TIMESTAMP overload loses DuckDB's rebinding; the DATE overload truncates as DuckDB does and
// casts the result to timestamptz in the session's TimeZone (exact: a date has no time of day).
//
// pg_varchar_fits(), pg_varchar_cut(), pg_bpchar_cut(): varchar(n) and char(n) lengths
// (pg_value_rewrite.h).
//
// pg_similar_to_regex(): SIMILAR TO with a pattern that is not a literal (pg_value_rewrite.h).
#include "engine/pg/pg_values.h"

#include <fmt/format.h>

#include "common/sql_quoting.h"
#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/operator/cast_operators.hpp"
#include "duckdb/common/vector_operations/binary_executor.hpp"
#include "duckdb/common/vector_operations/ternary_executor.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/common/vector_operations/vector_operations.hpp"
#include "duckdb/function/cast/cast_function_set.hpp"
#include "duckdb/function/cast_rules.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_array_cast.h"
#include "engine/pg/pg_bytea_text.h"
#include "engine/pg/pg_extract.h"
#include "engine/pg/pg_format.h"
#include "engine/pg/pg_json_build.h"
#include "engine/pg/pg_numeric.h"
#include "engine/pg/pg_text_casts.h"
#include "engine/pg/pg_time_precision.h"
#include "engine/pg/pg_types.h"
#include "engine/pg/pg_value_rewrite.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

bool TextToBytea(Vector& source, Vector& result, duckdb::idx_t count,
                 duckdb::CastParameters& parameters) {
  bool all_converted = true;
  duckdb::UnaryExecutor::ExecuteWithNulls<string_t, string_t>(
      source, result, count, [&](string_t input, duckdb::ValidityMask& mask, duckdb::idx_t idx) {
        auto bytes = ParseByteaText(std::string_view(input.GetData(), input.GetSize()));
        if (!bytes) {
          // Throws for a plain cast; TRY_CAST and the CSV reader collect the message.
          duckdb::HandleCastError::AssignError(bytes.error().message, parameters);
          all_converted = false;
          mask.SetInvalid(idx);
          return string_t();
        }
        return duckdb::StringVector::AddStringOrBlob(result, bytes->data(), bytes->size());
      });
  return all_converted;
}

bool ByteaToText(Vector& source, Vector& result, duckdb::idx_t count, duckdb::CastParameters&) {
  duckdb::UnaryExecutor::Execute<string_t, string_t>(source, result, count, [&](string_t input) {
    return duckdb::StringVector::AddString(
        result, ByteaHexText(std::string_view(input.GetData(), input.GetSize())));
  });
  return true;
}

void RegisterByteaCasts(duckdb::CastFunctionSet& casts) {
  // The same implicit-cast costs as DuckDB's own casts: only the conversion changes.
  for (auto id : {duckdb::LogicalTypeId::VARCHAR, duckdb::LogicalTypeId::STRING_LITERAL}) {
    LogicalType text(id);
    casts.RegisterCastFunction(text, LogicalType::BLOB, duckdb::BoundCastInfo(TextToBytea),
                               duckdb::CastRules::ImplicitCast(text, LogicalType::BLOB));
  }
  casts.RegisterCastFunction(
      LogicalType::BLOB, LogicalType::VARCHAR, duckdb::BoundCastInfo(ByteaToText),
      duckdb::CastRules::ImplicitCast(LogicalType::BLOB, LogicalType::VARCHAR));
}

void Format(duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
  auto& context = state.GetContext();
  auto count = args.size();
  result.SetVectorType(duckdb::VectorType::FLAT_VECTOR);
  auto out = duckdb::FlatVector::GetData<string_t>(result);
  auto& validity = duckdb::FlatVector::Validity(result);
  std::vector<FormatArg> values(args.ColumnCount() - 1);
  for (duckdb::idx_t row = 0; row < count; ++row) {
    duckdb::Value format = args.data[0].GetValue(row);
    if (format.IsNull()) {
      validity.SetInvalid(row);
      continue;
    }
    for (size_t a = 1; a < args.ColumnCount(); ++a) {
      duckdb::Value value = args.data[a].GetValue(row);
      if (value.IsNull()) {
        values[a - 1].reset();
      } else {
        std::string text;
        AppendPgText(context, value, text);
        values[a - 1] = std::move(text);
      }
    }
    auto formatted = PgFormat(duckdb::StringValue::Get(format), values, QuoteIdentifierIfNeeded);
    if (!formatted) ThrowError(formatted.error());
    out[row] = duckdb::StringVector::AddString(result, *formatted);
  }
  if (count == 1 && args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
}

void SimilarToRegexFunction(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<string_t, string_t>(
      args.data[0], result, args.size(), [&](string_t pattern) {
        auto regex = SimilarToRegex(std::string_view(pattern.GetData(), pattern.GetSize()));
        if (!regex) ThrowError(regex.error());
        return duckdb::StringVector::AddString(result, *regex);
      });
}

// DuckDB's date_trunc(VARCHAR, DATE) without its bind: truncates to a TIMESTAMP at midnight.
duckdb::scalar_function_t duckdb_date_trunc_date = nullptr;

void DateTruncDate(duckdb::DataChunk& args, duckdb::ExpressionState& state, Vector& result) {
  Vector midnight(LogicalType::TIMESTAMP, args.size());
  duckdb_date_trunc_date(args, state, midnight);
  duckdb::VectorOperations::Cast(state.GetContext(), midnight, result, args.size());
}

void ReplaceDateTrunc(duckdb::ClientContext& context) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry =
      catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, "date_trunc");
  duckdb::ScalarFunctionSet replaced("date_trunc");
  for (auto& fn : entry.functions.functions) {
    duckdb::ScalarFunction copy = fn;
    if (fn.arguments.size() == 2 && fn.arguments[1].id() == duckdb::LogicalTypeId::TIMESTAMP) {
      copy.bind = nullptr;  // keeps TIMESTAMP
      copy.statistics = nullptr;
    } else if (fn.arguments.size() == 2 && fn.arguments[1].id() == duckdb::LogicalTypeId::DATE) {
      if (!duckdb_date_trunc_date) duckdb_date_trunc_date = fn.function;
      copy.function = DateTruncDate;
      copy.bind = nullptr;
      copy.statistics = nullptr;
      copy.return_type = LogicalType::TIMESTAMP_TZ;
      copy.stability = duckdb::FunctionStability::CONSISTENT_WITHIN_QUERY;  // the TimeZone
    }
    replaced.AddFunction(std::move(copy));
  }
  ReplaceSystemScalarFunction(context, std::move(replaced));
}

// pg_varchar_fits(value, n, type): true, or PostgreSQL's 22001 when value has more than n
// characters (a CHECK on varchar(n) and char(n) columns, pg_value_rewrite.h). Trailing blanks
// beyond n are allowed, as PostgreSQL allows them (it also cuts them off; augur keeps them).
void VarcharFits(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::TernaryExecutor::Execute<string_t, int32_t, string_t, bool>(
      args.data[0], args.data[1], args.data[2], result, args.size(),
      [](string_t value, int32_t n, string_t type) {
        std::string_view text(value.GetData(), value.GetSize());
        size_t chars = 0, cut = text.size();
        for (size_t k = 0; k < text.size(); ++k) {
          if ((static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) continue;
          if (chars == static_cast<size_t>(n)) cut = k;
          ++chars;
        }
        if (chars <= static_cast<size_t>(n)) return true;
        if (text.find_first_not_of(' ', cut) == std::string_view::npos) return true;
        ThrowError(
            Error("22001", fmt::format("value too long for type {}({})", type.GetString(), n)));
      });
}

// pg_varchar_cut(value, n): the first n characters (x::varchar(n)).
// pg_bpchar_cut(value, n): the same without trailing blanks (x::char(n)). PostgreSQL pads a
// char(n) to n characters but ignores the padding when it compares, concatenates or measures
// (bpchareq, bpchar to text, bpcharlen); augur keeps no padding, so every one of those answers
// as PostgreSQL's, and only the printed width differs (docs/COMPATIBILITY.md).
template <bool kTrimBlanks>
void VarcharCut(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::BinaryExecutor::Execute<string_t, int32_t, string_t>(
      args.data[0], args.data[1], result, args.size(), [&](string_t value, int32_t n) {
        std::string_view text(value.GetData(), value.GetSize());
        size_t chars = 0;
        for (size_t k = 0; k < text.size(); ++k) {
          if ((static_cast<unsigned char>(text[k]) & 0xC0) == 0x80) continue;
          if (chars++ == static_cast<size_t>(n)) {
            text = text.substr(0, k);
            break;
          }
        }
        if (kTrimBlanks) {
          while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
        }
        if (text.size() == value.GetSize()) return value;
        return duckdb::StringVector::AddString(result, text.data(), text.size());
      });
}

void RegisterFunctions(duckdb::ClientContext& context) {
  ReplaceDateTrunc(context);
  RegisterTimePrecisionFunctions(context);
  RegisterPgExtractFunctions(context);
  RegisterPgJsonBuild(context);
  for (const char* name : {"pg_varchar_cut", "pg_bpchar_cut"}) {
    duckdb::ScalarFunctionSet cut(name);
    cut.AddFunction(duckdb::ScalarFunction(
        name, {LogicalType::VARCHAR, LogicalType::INTEGER}, LogicalType::VARCHAR,
        std::string_view(name) == "pg_bpchar_cut" ? VarcharCut<true> : VarcharCut<false>));
    ReplaceSystemScalarFunction(context, std::move(cut));
  }
  duckdb::ScalarFunctionSet fits("pg_varchar_fits");
  fits.AddFunction(duckdb::ScalarFunction(
      "pg_varchar_fits", {LogicalType::VARCHAR, LogicalType::INTEGER, LogicalType::VARCHAR},
      LogicalType::BOOLEAN, VarcharFits));
  ReplaceSystemScalarFunction(context, std::move(fits));

  duckdb::ScalarFunctionSet format("format");
  format.AddFunction(duckdb::ScalarFunction(
      "format", {LogicalType::VARCHAR}, LogicalType::VARCHAR, Format, nullptr, nullptr, nullptr,
      nullptr, LogicalType::ANY, duckdb::FunctionStability::CONSISTENT_WITHIN_QUERY,
      duckdb::FunctionNullHandling::SPECIAL_HANDLING));
  ReplaceSystemScalarFunction(context, std::move(format));

  duckdb::ScalarFunctionSet similar("pg_similar_to_regex");
  similar.AddFunction(duckdb::ScalarFunction("pg_similar_to_regex", {LogicalType::VARCHAR},
                                             LogicalType::VARCHAR, SimilarToRegexFunction));
  ReplaceSystemScalarFunction(context, std::move(similar));
}

}  // namespace

Status InstallPgValues(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "PostgreSQL value semantics", [](duckdb::ClientContext& context) {
        auto& casts = duckdb::DBConfig::GetConfig(context).GetCastFunctions();
        RegisterByteaCasts(casts);
        RegisterPgArrayCasts(casts);
        RegisterPgTextCasts(casts);
        RegisterUnconstrainedNumericCasts(casts);
        RegisterFunctions(context);
      });
}

}  // namespace augur::engine
