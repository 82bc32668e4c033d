// pg_jsonb.cpp: PostgreSQL's jsonb in DuckDB. Django's JSONField and SQLAlchemy's JSONB declare
// jsonb columns, compare with @> and ?, and read values back by type OID 3802 (Django parses the
// text itself; psycopg2 would hand it a dict for json's 114).
//
// jsonb is a VARCHAR with the alias "jsonb" holding PostgreSQL's printed form (pg_jsonb_value.h):
// casts from text and json parse and normalize (22P02 on bad input), the cast to json is free,
// so DuckDB's json functions take jsonb too. The operators are overloads in the system catalog;
// ?, ?|, ?& and #>, #>> (which DuckDB's parser refuses) arrive renamed (pg_jsonb_rewrite.cpp).
#include "engine/pg/pg_jsonb.h"

#include <functional>
#include <string>
#include <vector>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/common/exception/conversion_exception.hpp"
#include "duckdb/common/operator/cast_operators.hpp"
#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/function/cast/cast_function_set.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "duckdb/parser/parsed_data/create_type_info.hpp"
#include "duckdb/transaction/meta_transaction.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_jsonb_value.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {

duckdb::LogicalType JsonbType() {
  duckdb::LogicalType type(duckdb::LogicalTypeId::VARCHAR);
  type.SetAlias(std::string(kJsonbTypeName));
  return type;
}

namespace {

using duckdb::LogicalType;
using duckdb::Value;
using Values = std::vector<Value>;

jsonb::Value ParseOrThrow(const std::string& text) {
  auto parsed = jsonb::Parse(text);
  if (!parsed) throw duckdb::ConversionException("invalid input syntax for type json");
  return std::move(*parsed);
}

jsonb::Value Arg(const Value& v) { return ParseOrThrow(v.GetValue<std::string>()); }

Value Jsonb(const jsonb::Value& v) {
  Value out(jsonb::Print(v));
  out.Reinterpret(JsonbType());
  return out;
}

Value JsonbOrNull(const jsonb::Value* v) { return v ? Jsonb(*v) : Value(JsonbType()); }

Value TextOrNull(std::optional<std::string> text) {
  return text ? Value(*text) : Value(LogicalType::VARCHAR);
}

// A path as PostgreSQL's text[] literal ('{a,1}') or as a list.
std::vector<std::string> Strings(const Value& list) {
  std::vector<std::string> out;
  if (list.type().id() == duckdb::LogicalTypeId::VARCHAR) {
    std::string text = list.ToString();
    if (text.size() < 2 || text.front() != '{' || text.back() != '}') {
      throw duckdb::ConversionException("malformed array literal: \"" + text + "\"");
    }
    std::string item;
    bool quoted = false, any = false;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      char c = text[i];
      if (c == '"') {
        quoted = !quoted;
        any = true;
      } else if (c == '\\' && i + 2 < text.size()) {
        item.push_back(text[++i]);
      } else if (c == ',' && !quoted) {
        out.push_back(item);
        item.clear();
        any = false;
      } else if (quoted || c != ' ') {
        item.push_back(c);
        any = true;
      }
    }
    if (any || !out.empty()) out.push_back(item);
    return out;
  }
  for (auto& item : duckdb::ListValue::GetChildren(list))
    out.push_back(item.IsNull() ? std::string() : item.ToString());
  return out;
}

// A scalar function computed row by row on Values: a NULL argument gives NULL.
duckdb::ScalarFunction RowFunction(const std::string& name, duckdb::vector<LogicalType> args,
                                   LogicalType result_type,
                                   std::function<Value(const Values&)> fn) {
  auto body = [fn, result_type](duckdb::DataChunk& input, duckdb::ExpressionState&,
                                duckdb::Vector& result) {
    Values row(input.ColumnCount());
    for (duckdb::idx_t i = 0; i < input.size(); ++i) {
      bool null = false;
      for (duckdb::idx_t c = 0; c < input.ColumnCount(); ++c) {
        row[c] = input.data[c].GetValue(i);
        null |= row[c].IsNull();
      }
      result.SetValue(i, null ? Value(result_type) : fn(row));
    }
    if (input.AllConstant()) result.SetVectorType(duckdb::VectorType::CONSTANT_VECTOR);
  };
  return duckdb::ScalarFunction(name, std::move(args), result_type, body);
}

bool Cast(duckdb::Vector& source, duckdb::Vector& result, duckdb::idx_t count,
          duckdb::CastParameters& parameters) {
  bool ok = true;
  duckdb::UnaryExecutor::ExecuteWithNulls<duckdb::string_t, duckdb::string_t>(
      source, result, count,
      [&](duckdb::string_t input, duckdb::ValidityMask& mask, duckdb::idx_t row) {
        auto parsed = jsonb::Parse(input.GetString());
        if (!parsed) {
          std::string message = "invalid input syntax for type json";
          duckdb::HandleCastError::AssignError(message, parameters);
          ok = false;
          mask.SetInvalid(row);
          return duckdb::string_t();
        }
        return duckdb::StringVector::AddString(result, jsonb::Print(*parsed));
      });
  return ok;
}

// DuckDB's || is one (ANY, ANY) function that binds by its arguments' types, so a jsonb
// overload would lose to it against a string literal: its bind hands jsonb operands to jsonb's
// concatenation and everything else to DuckDB's own bind.
duckdb::bind_scalar_function_t original_concat_bind = nullptr;

duckdb::unique_ptr<duckdb::FunctionData> BindConcat(
    duckdb::ClientContext& context, duckdb::ScalarFunction& bound,
    duckdb::vector<duckdb::unique_ptr<duckdb::Expression>>& arguments) {
  bool jsonb = false;
  for (auto& argument : arguments) jsonb |= argument->return_type == JsonbType();
  if (jsonb && arguments.size() == 2) {
    bound = RowFunction("||", {JsonbType(), JsonbType()}, JsonbType(),
                        [](const Values& a) { return Jsonb(jsonb::Concat(Arg(a[0]), Arg(a[1]))); });
    return nullptr;
  }
  return original_concat_bind ? original_concat_bind(context, bound, arguments) : nullptr;
}

void WrapConcat(duckdb::ClientContext& context) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  auto& entry = catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(context, DEFAULT_SCHEMA, "||");
  duckdb::ScalarFunctionSet set("||");
  for (auto& fn : entry.functions.functions) {
    duckdb::ScalarFunction copy = fn;
    if (fn.bind != BindConcat) {
      if (original_concat_bind == nullptr) original_concat_bind = fn.bind;
      copy.bind = BindConcat;
    }
    set.AddFunction(std::move(copy));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

// jsonb_strip_nulls: object members whose value is null, at every depth (array elements stay).
jsonb::Value StripNulls(jsonb::Value v) {
  std::vector<std::pair<std::string, jsonb::Value>> kept;
  for (auto& [key, member] : v.members) {
    if (member.kind != jsonb::Value::kNull) kept.emplace_back(key, StripNulls(std::move(member)));
  }
  v.members = std::move(kept);
  for (auto& item : v.items) item = StripNulls(std::move(item));
  return v;
}

// jsonb_pretty: PostgreSQL's JsonbToCStringIndent, four spaces a level; an empty container
// still opens and closes on lines of its own.
void Pretty(const jsonb::Value& v, int level, std::string& out) {
  const std::string indent(static_cast<size_t>(level) * 4, ' ');
  const std::string inner(static_cast<size_t>(level + 1) * 4, ' ');
  if (v.kind == jsonb::Value::kArray) {
    out += "[";
    for (size_t i = 0; i < v.items.size(); ++i) {
      out += i > 0 ? ",\n" : "\n";
      out += inner;
      Pretty(v.items[i], level + 1, out);
    }
    out += "\n" + indent + "]";
  } else if (v.kind == jsonb::Value::kObject) {
    out += "{";
    for (size_t i = 0; i < v.members.size(); ++i) {
      out += i > 0 ? ",\n" : "\n";
      jsonb::Value key;
      key.kind = jsonb::Value::kString;
      key.text = v.members[i].first;
      out += inner + jsonb::Print(key) + ": ";
      Pretty(v.members[i].second, level + 1, out);
    }
    out += "\n" + indent + "}";
  } else {
    out += jsonb::Print(v);
  }
}

void InstallFunctions(duckdb::ClientContext& context) {
  const LogicalType J = JsonbType();
  const LogicalType T = LogicalType::VARCHAR;
  const LogicalType B = LogicalType::BOOLEAN;
  const LogicalType I = LogicalType::BIGINT;
  const LogicalType TL = LogicalType::LIST(LogicalType::VARCHAR);
  auto contains = [](const Values& a) {
    return Value::BOOLEAN(jsonb::Contains(Arg(a[0]), Arg(a[1])));
  };
  auto contained = [](const Values& a) {
    return Value::BOOLEAN(jsonb::Contains(Arg(a[1]), Arg(a[0])));
  };
  AddSystemScalarOverloads(context, "@>", {RowFunction("@>", {J, J}, B, contains)});
  AddSystemScalarOverloads(context, "<@", {RowFunction("<@", {J, J}, B, contained)});
  // ?, ?| and ?& (renamed by pg_jsonb_rewrite.cpp).
  AddSystemScalarOverloads(context, std::string(kJsonbExistsOperator),
                           {RowFunction("", {J, T}, B, [](const Values& a) {
                             return Value::BOOLEAN(jsonb::Exists(Arg(a[0]), a[1].ToString()));
                           })});
  AddSystemScalarOverloads(context, std::string(kJsonbExistsAnyOperator),
                           {RowFunction("", {J, TL}, B, [](const Values& a) {
                             auto v = Arg(a[0]);
                             for (auto& key : Strings(a[1]))
                               if (jsonb::Exists(v, key)) return Value::BOOLEAN(true);
                             return Value::BOOLEAN(false);
                           })});
  AddSystemScalarOverloads(context, std::string(kJsonbExistsAllOperator),
                           {RowFunction("", {J, TL}, B, [](const Values& a) {
                             auto v = Arg(a[0]);
                             for (auto& key : Strings(a[1]))
                               if (!jsonb::Exists(v, key)) return Value::BOOLEAN(false);
                             return Value::BOOLEAN(true);
                           })});
  // -> (DuckDB binds it as json_extract) and ->>, with PostgreSQL's key and index semantics.
  auto field = [](const Values& a) {
    auto v = Arg(a[0]);
    return JsonbOrNull(jsonb::Field(v, a[1].ToString()));
  };
  auto element = [](const Values& a) {
    auto v = Arg(a[0]);
    return JsonbOrNull(jsonb::Element(v, a[1].GetValue<int64_t>()));
  };
  AddSystemScalarOverloads(
      context, "json_extract",
      {RowFunction("", {J, T}, J, field), RowFunction("", {J, I}, J, element)});
  AddSystemScalarOverloads(
      context, "->>",
      {RowFunction("", {J, T}, T,
                   [](const Values& a) {
                     auto v = Arg(a[0]);
                     return TextOrNull(jsonb::AsText(jsonb::Field(v, a[1].ToString())));
                   }),
       RowFunction("", {J, I}, T, [](const Values& a) {
         auto v = Arg(a[0]);
         return TextOrNull(jsonb::AsText(jsonb::Element(v, a[1].GetValue<int64_t>())));
       })});
  auto path = [](const Values& a) {
    auto v = Arg(a[0]);
    return JsonbOrNull(jsonb::Path(v, Strings(a[1])));
  };
  auto path_text = [](const Values& a) {
    auto v = Arg(a[0]);
    return TextOrNull(jsonb::AsText(jsonb::Path(v, Strings(a[1]))));
  };
  AddSystemScalarOverloads(context, std::string(kJsonbPathOperator),
                           {RowFunction("", {J, TL}, J, path), RowFunction("", {J, T}, J, path)});
  AddSystemScalarOverloads(
      context, std::string(kJsonbPathTextOperator),
      {RowFunction("", {J, TL}, T, path_text), RowFunction("", {J, T}, T, path_text)});
  WrapConcat(context);
  AddSystemScalarOverloads(
      context, "-",
      {RowFunction(
           "", {J, T}, J,
           [](const Values& a) { return Jsonb(jsonb::DeleteKey(Arg(a[0]), a[1].ToString())); }),
       RowFunction("", {J, LogicalType::INTEGER}, J, [](const Values& a) {
         return Jsonb(jsonb::DeleteIndex(Arg(a[0]), a[1].GetValue<int32_t>()));
       })});
  auto set = [](const Values& a) {
    bool create = a.size() < 4 || a[3].GetValue<bool>();
    return Jsonb(jsonb::Set(Arg(a[0]), Strings(a[1]), Arg(a[2]), create));
  };
  AddSystemScalarOverloads(
      context, "jsonb_set",
      {RowFunction("", {J, TL, J}, J, set), RowFunction("", {J, TL, J, B}, J, set),
       RowFunction("", {J, T, J}, J, set), RowFunction("", {J, T, J, B}, J, set)});
  auto delete_path = [](const Values& a) {
    auto done = jsonb::DeletePath(Arg(a[0]), Strings(a[1]));
    if (!done) ThrowError(std::move(done).error());
    return Jsonb(*done);
  };
  AddSystemScalarOverloads(
      context, std::string(kJsonbDeletePathOperator),
      {RowFunction("", {J, TL}, J, delete_path), RowFunction("", {J, T}, J, delete_path)});
  auto insert = [](const Values& a) {
    auto done =
        jsonb::Insert(Arg(a[0]), Strings(a[1]), Arg(a[2]), a.size() > 3 && a[3].GetValue<bool>());
    if (!done) ThrowError(std::move(done).error());
    return Jsonb(*done);
  };
  AddSystemScalarOverloads(
      context, "jsonb_insert",
      {RowFunction("", {J, TL, J}, J, insert), RowFunction("", {J, TL, J, B}, J, insert),
       RowFunction("", {J, T, J}, J, insert), RowFunction("", {J, T, J, B}, J, insert)});
  // The constructors around DuckDB's json ones (pg_jsonb_rewrite.cpp).
  for (const char* name :
       {"jsonb_build_object", "jsonb_build_array", "jsonb_agg", "jsonb_object_agg", "to_jsonb"}) {
    AddSystemScalarOverloads(context, name,
                             {RowFunction("", {LogicalType::JSON()}, J,
                                          [](const Values& a) { return Jsonb(Arg(a[0])); })});
  }
  AddSystemScalarOverloads(context, "jsonb_array_length",
                           {RowFunction("", {J}, LogicalType::INTEGER, [](const Values& a) {
                             auto v = Arg(a[0]);
                             if (v.kind == jsonb::Value::kObject) {
                               ThrowError(Error("22023", "cannot get array length of a non-array"));
                             }
                             if (v.kind != jsonb::Value::kArray) {
                               ThrowError(Error("22023", "cannot get array length of a scalar"));
                             }
                             return Value::INTEGER(static_cast<int32_t>(v.items.size()));
                           })});
  AddSystemScalarOverloads(
      context, "jsonb_strip_nulls",
      {RowFunction("", {J}, J, [](const Values& a) { return Jsonb(StripNulls(Arg(a[0]))); })});
  AddSystemScalarOverloads(context, "jsonb_pretty", {RowFunction("", {J}, T, [](const Values& a) {
                             std::string out;
                             Pretty(Arg(a[0]), 0, out);
                             return Value(out);
                           })});
  AddSystemScalarOverloads(context, "jsonb_typeof", {RowFunction("", {J}, T, [](const Values& a) {
                             static const char* kNames[] = {"null",   "boolean", "boolean",
                                                            "number", "string",  "array",
                                                            "object"};
                             return Value(kNames[Arg(a[0]).kind]);
                           })});
}

}  // namespace

Status InstallPgJsonb(duckdb::Connection& connection) {
  return InstallInTransaction(*connection.context, "jsonb", [](duckdb::ClientContext& context) {
    // Casts live in the database's configuration, outside any transaction's reach.
    auto& casts = duckdb::DBConfig::GetConfig(*context.db).GetCastFunctions();
    const LogicalType J = JsonbType();
    casts.RegisterCastFunction(LogicalType::VARCHAR, J, duckdb::BoundCastInfo(Cast), 1);
    casts.RegisterCastFunction(LogicalType::JSON(), J, duckdb::BoundCastInfo(Cast), 1);
    casts.RegisterCastFunction(J, LogicalType::JSON(),
                               duckdb::BoundCastInfo(duckdb::DefaultCasts::ReinterpretCast), 1);
    casts.RegisterCastFunction(J, LogicalType::VARCHAR,
                               duckdb::BoundCastInfo(duckdb::DefaultCasts::ReinterpretCast), 100);
    auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
    duckdb::CreateTypeInfo type(std::string(kJsonbTypeName), J);
    type.temporary = true;
    type.internal = true;
    type.on_conflict = duckdb::OnCreateConflict::IGNORE_ON_CONFLICT;
    catalog.CreateType(context, type);
    InstallFunctions(context);
  });
}

}  // namespace augur::engine
