// fast_path_setting.cpp: see fast_path_setting.h.
#include "engine/fast_path/fast_path_setting.h"

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/config.hpp"

namespace augur::engine::fast_path {

void RegisterSetting(duckdb::DatabaseInstance& db, bool enabled_by_default) {
  duckdb::DBConfig::GetConfig(db).AddExtensionOption(
      kSettingName, "answer key lookups without DuckDB's planner", duckdb::LogicalType::BOOLEAN,
      duckdb::Value::BOOLEAN(enabled_by_default));
}

bool Enabled(duckdb::ClientContext& context) {
  duckdb::Value value;
  if (context.TryGetCurrentSetting(kSettingName, value).GetScope() ==
      duckdb::SettingScope::INVALID) {
    return false;
  }
  return !value.IsNull() && value.GetValue<bool>();
}

}  // namespace augur::engine::fast_path
