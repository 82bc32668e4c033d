// function_guard.cpp
//
// DuckDB's callbacks are plain function pointers with no room for a closure, so a wrapper cannot
// carry the callback it wraps. Each wrapper is instead one instance of a template over a slot
// number, and the slot's entry in a process-wide table holds the original: the same original
// (read_csv and read_csv_auto share one bind, every Database in a process has the same ones)
// always gets the same slot. The tables only grow, under a mutex, and are read lock-free through
// atomics.
#include "engine/auth/function_guard.h"

#include <fmt/format.h>

#include <array>
#include <atomic>
#include <mutex>
#include <utility>

#include "duckdb/catalog/catalog.hpp"
#include "duckdb/catalog/catalog_entry/schema_catalog_entry.hpp"
#include "duckdb/catalog/catalog_entry/table_function_catalog_entry.hpp"
#include "duckdb/common/exception.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/auth/privilege_catalog.h"
#include "engine/auth/session_role.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {

namespace {

using duckdb::ClientContext;
using duckdb::TableFunctionBindInput;

// More than the distinct callbacks of DuckDB 1.4.4's superuser-only table functions (about 40).
constexpr size_t kSlots = 128;

void Require(ClientContext& context, const std::string& function) {
  auto* role = SessionRole::Of(context);
  if (role == nullptr || role->internal_file_access) return;  // augur's own work
  if (role->Has(TableFunctionPrivilege(function))) return;
  throw duckdb::PermissionException(
      "permission denied for function %s: only superusers may call it (role \"%s\")", function,
      role->name());
}

// The slots of one callback type: originals[i] is what Wrapper<i> calls.
template <typename Fn>
struct Slots {
  std::mutex mu;
  std::array<std::atomic<Fn>, kSlots> originals{};
  size_t used = 0;
};

template <typename Fn>
Slots<Fn>& SlotsOf() {
  static Slots<Fn> slots;
  return slots;
}

template <size_t I>
duckdb::unique_ptr<duckdb::FunctionData> GuardedBind(ClientContext& context,
                                                     TableFunctionBindInput& input,
                                                     duckdb::vector<duckdb::LogicalType>& types,
                                                     duckdb::vector<std::string>& names) {
  Require(context, input.table_function.name);
  return SlotsOf<duckdb::table_function_bind_t>().originals[I].load()(context, input, types, names);
}

template <size_t I>
duckdb::unique_ptr<duckdb::TableRef> GuardedBindReplace(ClientContext& context,
                                                        TableFunctionBindInput& input) {
  Require(context, input.table_function.name);
  return SlotsOf<duckdb::table_function_bind_replace_t>().originals[I].load()(context, input);
}

template <size_t I>
duckdb::unique_ptr<duckdb::LogicalOperator> GuardedBindOperator(
    ClientContext& context, TableFunctionBindInput& input, duckdb::idx_t bind_index,
    duckdb::vector<std::string>& names) {
  Require(context, input.table_function.name);
  return SlotsOf<duckdb::table_function_bind_operator_t>().originals[I].load()(context, input,
                                                                               bind_index, names);
}

// Returns the wrapper that calls `original` after the privilege check.
template <typename Fn, typename MakeTable>
Fn Wrap(Fn original, MakeTable make_table) {
  static const auto wrappers = make_table(std::make_index_sequence<kSlots>());
  for (Fn wrapper : wrappers) {
    if (wrapper == original) return original;  // wrapped already
  }
  auto& slots = SlotsOf<Fn>();
  std::lock_guard lock(slots.mu);
  for (size_t i = 0; i < slots.used; ++i) {
    if (slots.originals[i].load() == original) return wrappers[i];
  }
  if (slots.used == kSlots) {
    throw duckdb::InternalException("augur: more table-function callbacks to guard than slots");
  }
  slots.originals[slots.used].store(original);
  return wrappers[slots.used++];
}

duckdb::table_function_bind_t WrapBind(duckdb::table_function_bind_t original) {
  return Wrap(
      original, []<size_t... I>(std::index_sequence<I...>) {
        return std::array<duckdb::table_function_bind_t, sizeof...(I)>{&GuardedBind<I>...};
      });
}

duckdb::table_function_bind_replace_t WrapBindReplace(
    duckdb::table_function_bind_replace_t original) {
  return Wrap(
      original, []<size_t... I>(std::index_sequence<I...>) {
        return std::array<duckdb::table_function_bind_replace_t, sizeof...(I)>{
            &GuardedBindReplace<I>...};
      });
}

duckdb::table_function_bind_operator_t WrapBindOperator(
    duckdb::table_function_bind_operator_t original) {
  return Wrap(
      original, []<size_t... I>(std::index_sequence<I...>) {
        return std::array<duckdb::table_function_bind_operator_t, sizeof...(I)>{
            &GuardedBindOperator<I>...};
      });
}

// --- blanking server paths ---

// Which output values a masked scan blanks for non-superusers.
struct Mask {
  std::atomic<duckdb::table_function_t> original{nullptr};
  std::atomic<int> key_column{-1};  // -1: every row; else the setting name deciding per row
  std::atomic<int> blanked_column{-1};
};

// duckdb_settings() and duckdb_databases().
std::array<Mask, 2>& Masks() {
  static std::array<Mask, 2> masks;
  return masks;
}

bool SeesServerPaths(ClientContext& context) {
  auto* role = SessionRole::Of(context);
  return role == nullptr || role->Has(Privilege::kSuperuser);
}

template <size_t I>
void MaskedScan(ClientContext& context, duckdb::TableFunctionInput& input,
                duckdb::DataChunk& output) {
  Mask& mask = Masks()[I];
  mask.original.load()(context, input, output);
  if (SeesServerPaths(context)) return;
  int key = mask.key_column.load();
  int blanked = mask.blanked_column.load();
  for (duckdb::idx_t row = 0; row < output.size(); ++row) {
    if (key >= 0) {
      auto name = output.GetValue(static_cast<duckdb::idx_t>(key), row);
      if (name.IsNull() || SettingPolicyFor(name.ToString()).visible) continue;
    }
    output.SetValue(static_cast<duckdb::idx_t>(blanked), row, duckdb::Value());
  }
}

// The index of `column` in the result of `SELECT * FROM function()`.
Result<int> ColumnOf(duckdb::Connection& connection, const std::string& function,
                     const std::string& column) {
  auto result = connection.Query(fmt::format("SELECT * FROM {}() LIMIT 0", function));
  if (result->HasError()) return TranslateError(result->GetErrorObject(), function);
  for (size_t i = 0; i < result->names.size(); ++i) {
    if (result->names[i] == column) return static_cast<int>(i);
  }
  return Error(
      sqlstate::kInternalError,
      fmt::format("{}() has no column \"{}\" to hide from non-superusers", function, column));
}

Status PrepareMask(duckdb::Connection& connection, size_t slot, const std::string& function,
                   const std::string& key_column, const std::string& blanked_column) {
  auto blanked = ColumnOf(connection, function, blanked_column);
  if (!blanked) return std::move(blanked).error();
  Masks()[slot].blanked_column.store(*blanked);
  if (!key_column.empty()) {
    auto key = ColumnOf(connection, function, key_column);
    if (!key) return std::move(key).error();
    Masks()[slot].key_column.store(*key);
  }
  return {};
}

void InstallMask(size_t slot, duckdb::TableFunction& function, duckdb::table_function_t wrapper) {
  if (function.function == wrapper) return;
  Masks()[slot].original.store(function.function);
  function.function = wrapper;
}

}  // namespace

Status GuardTableFunctions(duckdb::ClientContext& context) {
  duckdb::Connection connection(*context.db);
  if (auto ok = PrepareMask(connection, 0, "duckdb_settings", "name", "value"); !ok) return ok;
  if (auto ok = PrepareMask(connection, 1, "duckdb_databases", "", "path"); !ok) return ok;
  return InstallInTransaction(context, "table function guards", [](duckdb::ClientContext& context) {
    auto& schema = duckdb::Catalog::GetSystemCatalog(context).GetSchema(context, DEFAULT_SCHEMA);
    schema.Scan(context, duckdb::CatalogType::TABLE_FUNCTION_ENTRY,
                [&](duckdb::CatalogEntry& entry) {
                  // Functions of every kind share one catalog set.
                  if (entry.type != duckdb::CatalogType::TABLE_FUNCTION_ENTRY) return;
                  auto& set = entry.Cast<duckdb::TableFunctionCatalogEntry>().functions;
                  for (auto& function : set.functions) {
                    if (function.name == "duckdb_settings") {
                      InstallMask(0, function, &MaskedScan<0>);
                    } else if (function.name == "duckdb_databases") {
                      InstallMask(1, function, &MaskedScan<1>);
                    }
                    if (TableFunctionPrivilege(function.name) == Privilege::kAnyRole) continue;
                    // Without a bind callback DuckDB refuses to call a table function directly
                    // ("it has no bind function"): only its own planner uses it (seq_scan).
                    if (!function.bind && !function.bind_replace && !function.bind_operator)
                      continue;
                    if (function.bind) function.bind = WrapBind(function.bind);
                    if (function.bind_replace) {
                      function.bind_replace = WrapBindReplace(function.bind_replace);
                    }
                    if (function.bind_operator) {
                      function.bind_operator = WrapBindOperator(function.bind_operator);
                    }
                  }
                });
  });
}

}  // namespace augur::engine
