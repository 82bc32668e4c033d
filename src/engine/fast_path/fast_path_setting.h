// fast_path_setting.h: the session setting that turns the fast path (key_lookup.h) on or off.
//
// `augur_fast_path` is a DuckDB extension option, so `SET augur_fast_path = off` works per
// session like any engine setting; its default is the server's `index.fast_path`. With it off,
// every statement runs through DuckDB's planner: the differential test compares the two.
#pragma once

namespace duckdb {
class ClientContext;
class DatabaseInstance;
}  // namespace duckdb

namespace augur::engine::fast_path {

inline constexpr const char* kSettingName = "augur_fast_path";

void RegisterSetting(duckdb::DatabaseInstance& db, bool enabled_by_default);
bool Enabled(duckdb::ClientContext& context);

}  // namespace augur::engine::fast_path
