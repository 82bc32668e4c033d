// pg_json_build.cpp: see pg_json_build.h.
#include "engine/pg/pg_json_build.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "duckdb/common/types/value.hpp"
#include "duckdb/common/types/vector.hpp"
#include "duckdb/function/function_set.hpp"
#include "duckdb/function/scalar_function.hpp"
#include "duckdb/main/client_context.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_types.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::LogicalTypeId;
using duckdb::Value;

// PostgreSQL's escape_json.
void AppendJsonString(std::string_view text, std::string& out) {
  out.push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

bool IsJsonText(const LogicalType& type) {
  return type.IsJSONType() || (type.HasAlias() && type.GetAlias() == "jsonb");
}

// datum_to_json: `value` as JSON text, appended to `out`.
void AppendJson(duckdb::ClientContext& context, const Value& value, std::string& out) {
  if (value.IsNull()) {
    out += "null";
    return;
  }
  const LogicalType& type = value.type();
  if (IsJsonText(type)) {
    out += duckdb::StringValue::Get(value);
    return;
  }
  std::string text;
  switch (type.id()) {
    case LogicalTypeId::BOOLEAN:
      out += duckdb::BooleanValue::Get(value) ? "true" : "false";
      return;
    case LogicalTypeId::TINYINT:
    case LogicalTypeId::SMALLINT:
    case LogicalTypeId::INTEGER:
    case LogicalTypeId::BIGINT:
    case LogicalTypeId::HUGEINT:
    case LogicalTypeId::UTINYINT:
    case LogicalTypeId::USMALLINT:
    case LogicalTypeId::UINTEGER:
    case LogicalTypeId::UBIGINT:
    case LogicalTypeId::DECIMAL:
    case LogicalTypeId::FLOAT:
    case LogicalTypeId::DOUBLE:
      AppendPgText(context, value, text);
      // NaN and the infinities are no JSON numbers: PostgreSQL quotes them.
      if (text == "NaN" || text == "Infinity" || text == "-Infinity") {
        AppendJsonString(text, out);
      } else {
        out += text;
      }
      return;
    case LogicalTypeId::DATE:
    case LogicalTypeId::TIME:
      AppendPgText(context, value, text);
      AppendJsonString(text, out);
      return;
    case LogicalTypeId::TIMESTAMP:
    case LogicalTypeId::TIMESTAMP_TZ: {
      AppendPgText(context, value, text);
      if (size_t space = text.find(' '); space != std::string::npos && space == 10) {
        text[space] = 'T';  // ISO 8601, as PostgreSQL's JSON writes timestamps
      }
      if (type.id() == LogicalTypeId::TIMESTAMP_TZ) {
        size_t sign = text.find_last_of("+-");
        if (sign != std::string::npos && sign > 10 && text.size() - sign == 3) text += ":00";
      }
      AppendJsonString(text, out);
      return;
    }
    case LogicalTypeId::LIST: {
      out.push_back('[');
      const auto& children = duckdb::ListValue::GetChildren(value);
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJson(context, children[i], out);
      }
      out.push_back(']');
      return;
    }
    case LogicalTypeId::STRUCT: {
      out.push_back('{');
      const auto& children = duckdb::StructValue::GetChildren(value);
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out.push_back(',');
        AppendJsonString(duckdb::StructType::GetChildName(type, i), out);
        out.push_back(':');
        AppendJson(context, children[i], out);
      }
      out.push_back('}');
      return;
    }
    default:
      AppendPgText(context, value, text);
      AppendJsonString(text, out);
      return;
  }
}

// Sets each row of `result` to text_of_row(row), the row's JSON text or nullopt for SQL NULL;
// the result is constant when every argument is.
template <typename TextOfRow>
void WriteRows(duckdb::DataChunk& args, duckdb::Vector& result, TextOfRow text_of_row) {
  for (duckdb::idx_t row = 0; row < args.size(); ++row) {
    std::optional<std::string> text = text_of_row(row);
    result.SetValue(row, text ? Value(*text) : Value(result.GetType()));
  }
  if (args.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
}

// "[e1, e2]": json_build_array's text, and json_agg's, which writes ", \n " before rows and
// arrays (`structured`) as PostgreSQL's json_agg_transfn does.
std::string JsonArrayText(duckdb::ClientContext& context, const duckdb::vector<Value>& items,
                          bool structured) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += structured && !items[i].IsNull() ? ", \n " : ", ";
    AppendJson(context, items[i], out);
  }
  return out + "]";
}

void BuildObject(duckdb::DataChunk& args, duckdb::ExpressionState& state, duckdb::Vector& result) {
  auto& context = state.GetContext();
  if (args.ColumnCount() % 2 != 0) {
    ThrowError(Error("22023", "argument list must have even number of elements")
                   .WithHint("The arguments of json_build_object() must consist of alternating "
                             "keys and values."));
  }
  WriteRows(args, result, [&](duckdb::idx_t row) -> std::optional<std::string> {
    std::string out = "{", key;
    for (duckdb::idx_t col = 0; col < args.ColumnCount(); col += 2) {
      Value k = args.data[col].GetValue(row);
      if (k.IsNull()) {
        ThrowError(Error("22023", fmt::format("argument {} cannot be null", col + 1))
                       .WithHint("Object keys should be text."));
      }
      if (col > 0) out += ", ";
      key.clear();
      AppendJson(context, k, key);
      if (!key.empty() && key.front() == '"') {
        out += key;
      } else {
        AppendJsonString(key, out);
      }
      out += " : ";
      AppendJson(context, args.data[col + 1].GetValue(row), out);
    }
    return out + "}";
  });
}

void BuildArray(duckdb::DataChunk& args, duckdb::ExpressionState& state, duckdb::Vector& result) {
  auto& context = state.GetContext();
  WriteRows(args, result, [&](duckdb::idx_t row) -> std::optional<std::string> {
    duckdb::vector<Value> items;
    for (duckdb::idx_t col = 0; col < args.ColumnCount(); ++col) {
      items.push_back(args.data[col].GetValue(row));
    }
    return JsonArrayText(context, items, /*structured=*/false);
  });
}

void ToJson(duckdb::DataChunk& args, duckdb::ExpressionState& state, duckdb::Vector& result) {
  auto& context = state.GetContext();
  WriteRows(args, result, [&](duckdb::idx_t row) -> std::optional<std::string> {
    Value v = args.data[0].GetValue(row);
    if (v.IsNull()) return std::nullopt;
    std::string out;
    AppendJson(context, v, out);
    return out;
  });
}

// json_agg's text from list(x) (pg_jsonb_rewrite.cpp).
void JsonAggText(duckdb::DataChunk& args, duckdb::ExpressionState& state, duckdb::Vector& result) {
  auto& context = state.GetContext();
  const auto& element = duckdb::ListType::GetChildType(args.data[0].GetType());
  const bool structured =
      element.id() == LogicalTypeId::STRUCT || element.id() == LogicalTypeId::LIST;
  WriteRows(args, result, [&](duckdb::idx_t row) -> std::optional<std::string> {
    Value list = args.data[0].GetValue(row);
    if (list.IsNull()) return std::nullopt;
    return JsonArrayText(context, duckdb::ListValue::GetChildren(list), structured);
  });
}

void Identity(duckdb::DataChunk& args, duckdb::ExpressionState&, duckdb::Vector& result) {
  result.Reference(args.data[0]);
}

duckdb::ScalarFunctionSet Variadic(const char* name, duckdb::scalar_function_t fn) {
  duckdb::ScalarFunction f(name, {}, LogicalType::JSON(), fn);
  f.varargs = LogicalType::ANY;
  f.null_handling = duckdb::FunctionNullHandling::SPECIAL_HANDLING;
  f.stability = duckdb::FunctionStability::CONSISTENT_WITHIN_QUERY;  // the TimeZone
  duckdb::ScalarFunctionSet set(name);
  set.AddFunction(std::move(f));
  return set;
}

}  // namespace

void RegisterPgJsonBuild(duckdb::ClientContext& context) {
  ReplaceSystemScalarFunction(context, Variadic("json_build_object", BuildObject));
  ReplaceSystemScalarFunction(context, Variadic("json_build_array", BuildArray));
  // to_json (and to_jsonb, json_agg, jsonb_agg built on it): the same rules for one value.
  duckdb::ScalarFunction to_json("to_json", {LogicalType::ANY}, LogicalType::JSON(), ToJson);
  to_json.stability = duckdb::FunctionStability::CONSISTENT_WITHIN_QUERY;
  duckdb::ScalarFunctionSet to_json_set("to_json");
  to_json_set.AddFunction(std::move(to_json));
  ReplaceSystemScalarFunction(context, std::move(to_json_set));
  duckdb::ScalarFunctionSet agg_text("pg_json_agg_text");
  agg_text.AddFunction(duckdb::ScalarFunction({LogicalType::LIST(LogicalType::ANY)},
                                              LogicalType::JSON(), JsonAggText));
  ReplaceSystemScalarFunction(context, std::move(agg_text));
  // json_agg(pg_json_agg_text(list(x))): the outer call only names the column json_agg.
  duckdb::ScalarFunctionSet agg("json_agg");
  agg.AddFunction(duckdb::ScalarFunction({LogicalType::JSON()}, LogicalType::JSON(), Identity));
  ReplaceSystemScalarFunction(context, std::move(agg));
}

}  // namespace augur::engine
