// system_catalog.cpp
#include "engine/pg/system_catalog.h"

#include <cctype>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/scalar_function_catalog_entry.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/parser/parsed_data/create_function_info.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "duckdb/parser/parsed_data/create_table_function_info.hpp"
#include "duckdb/parser/parsed_data/create_view_info.hpp"
#include "duckdb/parser/parsed_data/drop_info.hpp"
#include "duckdb/parser/parser.hpp"
#include "duckdb/parser/statement/create_statement.hpp"
#include "engine/pg/error_translate.h"

namespace augur::engine {
namespace {

void DropIfPresent(duckdb::ClientContext& context, duckdb::CatalogType type,
                   const std::string& schema, const std::string& name) {
  duckdb::DropInfo drop;
  drop.type = type;
  drop.catalog = SYSTEM_CATALOG;
  drop.schema = schema;
  drop.name = name;
  drop.if_not_found = duckdb::OnEntryNotFound::RETURN_NULL;
  drop.allow_drop_internal = true;
  duckdb::Catalog::GetSystemCatalog(context).DropEntry(context, drop);
}

void MarkSystem(duckdb::CreateInfo& info, const std::string& schema) {
  info.catalog = SYSTEM_CATALOG;
  info.schema = schema;
  info.internal = true;
  info.on_conflict = duckdb::OnCreateConflict::REPLACE_ON_CONFLICT;
}

}  // namespace

std::string ViewSelectText(const std::string& create_sql) {
  auto space = [&](size_t i) { return std::isspace(static_cast<unsigned char>(create_sql[i])); };
  for (size_t at = create_sql.find("AS"); at != std::string::npos;
       at = create_sql.find("AS", at + 2)) {
    if (at > 0 && at + 2 < create_sql.size() && space(at - 1) && space(at + 2)) {
      return create_sql.substr(at + 3);
    }
  }
  return create_sql;
}

void ReplaceSystemFunction(duckdb::ClientContext& context, duckdb::CreateFunctionInfo& info,
                           const std::string& schema) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  // Functions and macros share one namespace; look up whichever kind holds the name.
  auto existing = catalog.GetEntry(context, duckdb::CatalogType::SCALAR_FUNCTION_ENTRY, schema,
                                   info.name, duckdb::OnEntryNotFound::RETURN_NULL);
  if (existing) DropIfPresent(context, existing->type, schema, info.name);
  MarkSystem(info, schema);
  catalog.CreateFunction(context, info);
}

void ReplaceSystemScalarFunction(duckdb::ClientContext& context, duckdb::ScalarFunctionSet set) {
  duckdb::CreateScalarFunctionInfo info(std::move(set));
  ReplaceSystemFunction(context, info, DEFAULT_SCHEMA);
}

void AddSystemScalarOverloads(duckdb::ClientContext& context, const std::string& name,
                              std::vector<duckdb::ScalarFunction> added) {
  auto& catalog = duckdb::Catalog::GetSystemCatalog(context);
  duckdb::ScalarFunctionSet set(name);
  auto existing = catalog.GetEntry<duckdb::ScalarFunctionCatalogEntry>(
      context, DEFAULT_SCHEMA, name, duckdb::OnEntryNotFound::RETURN_NULL);
  if (existing) {
    for (auto& fn : existing->functions.functions) {
      bool replaced = false;
      for (auto& mine : added) replaced |= mine.arguments == fn.arguments;
      if (!replaced) set.AddFunction(fn);
    }
  }
  for (auto& fn : added) {
    fn.name = name;
    set.AddFunction(std::move(fn));
  }
  ReplaceSystemScalarFunction(context, std::move(set));
}

void ReplaceSystemView(duckdb::ClientContext& context,
                       duckdb::unique_ptr<duckdb::CreateViewInfo> info,
                       const std::string& select_sql, const std::string& schema) {
  DropIfPresent(context, duckdb::CatalogType::VIEW_ENTRY, schema, info->view_name);
  info->sql = select_sql;  // FromSelect parses and binds the SELECT alone
  MarkSystem(*info, schema);
  auto bound = duckdb::CreateViewInfo::FromSelect(context, std::move(info));
  MarkSystem(*bound, schema);
  duckdb::Catalog::GetSystemCatalog(context).CreateView(context, *bound);
}

void RegisterSystemTableFunction(duckdb::ClientContext& context, duckdb::TableFunction function) {
  duckdb::CreateTableFunctionInfo info(std::move(function));
  MarkSystem(info, DEFAULT_SCHEMA);
  duckdb::Catalog::GetSystemCatalog(context).CreateTableFunction(context, info);
}

Status InstallInTransaction(duckdb::ClientContext& context, std::string_view what,
                            const std::function<void(duckdb::ClientContext&)>& install) {
  try {
    context.RunFunctionInTransaction([&] { install(context); });
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, "");
    error.message = "installing " + std::string(what) + " failed: " + error.message;
    return error;
  }
  return {};
}

Status InstallCatalogSql(duckdb::ClientContext& context, std::string_view what,
                         const std::string& create_sql, const std::string& source_sql,
                         const std::string& schema) {
  try {
    duckdb::Parser parser;
    parser.ParseQuery(create_sql);
    auto& create = parser.statements[0]->Cast<duckdb::CreateStatement>();
    auto info = std::move(create.info);
    context.RunFunctionInTransaction([&] {
      if (info->type == duckdb::CatalogType::VIEW_ENTRY) {
        ReplaceSystemView(
            context,
            duckdb::unique_ptr_cast<duckdb::CreateInfo, duckdb::CreateViewInfo>(std::move(info)),
            ViewSelectText(create_sql), schema);
      } else {
        ReplaceSystemFunction(context, info->Cast<duckdb::CreateFunctionInfo>(), schema);
      }
    });
  } catch (const std::exception& ex) {
    Error error = TranslateException(ex, source_sql);
    error.message = "installing " + std::string(what) + " failed: " + error.message;
    return error;
  }
  return {};
}

}  // namespace augur::engine
