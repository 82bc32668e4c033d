// privilege_catalog.cpp: the classification tables (see the header for why they are allowlists).
//
// When a DuckDB upgrade adds a name, privilege_catalog_test names it; decide here who may use it,
// with the reason when it is not obvious.
#include "engine/auth/privilege_catalog.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace augur::engine {

namespace {

std::string Lower(std::string_view name) {
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

template <size_t N>
bool Contains(const std::array<std::string_view, N>& names, std::string_view name) {
  std::string lower = Lower(name);
  return std::find(names.begin(), names.end(), lower) != names.end();
}

// --- settings ---

// Settings any role may SET for its own session: they change how this session's answers are
// written or which schema names resolve in, nothing the server or other sessions see.
constexpr auto kSessionSettings = std::to_array<std::string_view>({
    "calendar",
    "timezone",
    "search_path",
    "schema",
    "default_null_order",
    "null_order",
    "default_order",
    "explain_output",
    "lambda_syntax",
    // Whether key lookups skip DuckDB's planner (fast_path/): the answers are the same.
    "augur_fast_path",
});

// Settings whose values are server paths, credentials or where files get written: superusers
// only, for reading as well as for setting.
constexpr auto kHiddenSettings = std::to_array<std::string_view>({
    "allowed_directories",
    "allowed_paths",
    "autoinstall_extension_repository",
    "custom_extension_repository",
    "extension_directory",
    "file_search_path",
    "home_directory",
    "http_logging_output",
    "http_proxy",
    "http_proxy_password",
    "http_proxy_username",
    "log_query_path",
    "password",
    "profile_output",
    "profiling_output",
    "secret_directory",
    "temp_directory",
    "user",
    "username",
});

// Every other setting DuckDB 1.4.4 has, and augur's own: engine-wide (memory, threads, storage,
// optimizer, extensions, logging, profiling, checks that protect the server such as
// max_expression_depth) or able to change what the client protocol relies on (errors_as_json).
// Readable by every role, settable by superusers only.
constexpr auto kEngineSettings = std::to_array<std::string_view>({
    "access_mode",
    "allocator_background_threads",
    "allocator_bulk_deallocation_flush_threshold",
    "allocator_flush_threshold",
    "allow_community_extensions",
    "allow_extensions_metadata_mismatch",
    "allow_persistent_secrets",
    "allow_unredacted_secrets",
    "allow_unsigned_extensions",
    "arrow_large_buffer_size",
    "arrow_lossless_conversion",
    "arrow_output_list_view",
    "arrow_output_version",
    "asof_loop_join_threshold",
    "augur_learned_primary_keys",
    "autoinstall_known_extensions",
    "autoload_known_extensions",
    "binary_as_string",
    "catalog_error_max_schemas",
    "checkpoint_threshold",
    "custom_profiling_settings",
    "custom_user_agent",
    "debug_asof_iejoin",
    "debug_checkpoint_abort",
    "debug_force_external",
    "debug_force_no_cross_product",
    "debug_skip_checkpoint_on_commit",
    "debug_verify_blocks",
    "debug_verify_vector",
    "debug_window_mode",
    "default_block_size",
    "default_collation",
    "default_secret_storage",
    "disable_database_invalidation",
    "disable_parquet_prefetching",
    "disable_timestamptz_casts",
    "disabled_compression_methods",
    "disabled_filesystems",
    "disabled_log_types",
    "disabled_optimizers",
    "duckdb_api",
    "dynamic_or_filter_threshold",
    "enable_external_access",
    "enable_external_file_cache",
    "enable_fsst_vectors",
    "enable_geoparquet_conversion",
    "enable_http_logging",
    "enable_http_metadata_cache",
    "enable_logging",
    "enable_macro_dependencies",
    "enable_object_cache",
    "enable_profiling",
    "enable_progress_bar",
    "enable_progress_bar_print",
    "enable_view_dependencies",
    "enabled_log_types",
    "errors_as_json",
    "experimental_metadata_reuse",
    "external_threads",
    "force_bitpacking_mode",
    "force_compression",
    "ieee_floating_point_ops",
    "immediate_transaction_mode",
    "index_scan_max_count",
    "index_scan_percentage",
    "integer_division",
    "late_materialization_max_rows",
    "lock_configuration",
    "logging_level",
    "logging_mode",
    "logging_storage",
    "max_expression_depth",
    "max_memory",
    "max_temp_directory_size",
    "max_vacuum_tasks",
    "memory_limit",
    "merge_join_threshold",
    "nested_loop_join_threshold",
    "old_implicit_casting",
    "order_by_non_integer_literal",
    "ordered_aggregate_threshold",
    "parquet_metadata_cache",
    "partitioned_write_flush_threshold",
    "partitioned_write_max_open_files",
    "perfect_ht_threshold",
    "pin_threads",
    "pivot_filter_threshold",
    "pivot_limit",
    "prefer_range_joins",
    "prefetch_all_parquet_files",
    "preserve_identifier_case",
    "preserve_insertion_order",
    "produce_arrow_string_view",
    "profiling_coverage",
    "profiling_mode",
    "progress_bar_time",
    "scalar_subquery_error_on_multiple_rows",
    "scheduler_process_partial",
    "storage_compatibility_version",
    "streaming_buffer_size",
    "temp_file_encryption",
    "threads",
    "variant_legacy_encoding",
    "wal_autocheckpoint",
    "worker_threads",
    "zstd_min_string_length",
});

// --- table functions ---

// Table functions any role may call: generators, the catalog functions behind pg_catalog and
// information_schema (every PostgreSQL role can read the catalogs too), the session's own state,
// and augur's views of sessions and indexes.
constexpr auto kAnyRoleTableFunctions = std::to_array<std::string_view>({
    "augur_cursors",  // the session's own cursors (pg_cursors)
    "augur_indexes",
    "augur_locks",           // behind pg_locks, which every PostgreSQL role may read
    "augur_sequence_state",  // SELECT ... FROM a_sequence (pg_dump), as readable as the tables
    "augur_stat_activity",
    "check_peg_parser",
    "duckdb_approx_database_count",
    "duckdb_columns",
    "duckdb_constraints",
    "duckdb_databases",  // the path column is NULL for non-superusers (function_guard.cpp)
    "duckdb_dependencies",
    "duckdb_functions",
    "duckdb_indexes",
    "duckdb_keywords",
    "duckdb_optimizers",
    "duckdb_prepared_statements",  // the session's own
    "duckdb_schemas",
    "duckdb_sequences",
    "duckdb_settings",  // hidden settings' values are NULL for non-superusers
    "duckdb_table_sample",
    "duckdb_tables",
    "duckdb_types",
    "duckdb_variables",  // the session's own
    "duckdb_views",
    "generate_series",
    "icu_calendar_names",
    "json_each",
    "json_tree",
    "pg_listening_channels",  // the session's own
    "pg_timezone_names",
    "pragma_collations",
    "pragma_database_size",
    "pragma_metadata_info",
    "pragma_platform",
    "pragma_show",
    "pragma_storage_info",
    "pragma_table_info",
    "pragma_user_agent",
    "pragma_version",
    "range",
    "repeat",
    "repeat_row",
    "sql_auto_complete",
    "summary",
    "test_all_types",
    "test_vector_types",
    "unnest",
});

// Superusers only: they read or list server files (file readers, glob, Parquet metadata), run
// SQL text or serialized plans past augur's statement checks (query, query_table,
// json_execute_serialized_sql), take raw memory pointers (arrow_scan), switch engine-wide logging
// or read other sessions' statements from it, checkpoint, or show secrets, extensions, memory and
// temporary files of the whole server.
constexpr auto kSuperuserTableFunctions = std::to_array<std::string_view>({
    "arrow_scan",
    "arrow_scan_dumb",
    "augur_api_tokens",  // also checks for itself
    "checkpoint",
    "disable_logging",
    "duckdb_connection_count",
    "duckdb_extensions",
    "duckdb_external_file_cache",
    "duckdb_log_contexts",
    "duckdb_logs",
    "duckdb_memory",
    "duckdb_secret_types",
    "duckdb_secrets",
    "duckdb_temporary_files",
    "enable_logging",
    "force_checkpoint",
    "glob",
    "json_execute_serialized_sql",
    "parquet_bloom_probe",
    "parquet_file_metadata",
    "parquet_kv_metadata",
    "parquet_metadata",
    "parquet_scan",
    "parquet_schema",
    "query",
    "query_table",
    "read_blob",
    "read_csv",
    "read_csv_auto",
    "read_json",
    "read_json_auto",
    "read_json_objects",
    "read_json_objects_auto",
    "read_ndjson",
    "read_ndjson_auto",
    "read_ndjson_objects",
    "read_parquet",
    "read_text",
    "seq_scan",
    "sniff_csv",
    "truncate_duckdb_logs",
    "which_secret",
});

// --- pragmas ---

// PRAGMAs any role may run: they show the catalog, the version and the platform.
constexpr auto kAnyRolePragmas = std::to_array<std::string_view>({
    "collations",
    "functions",
    "metadata_info",
    "platform",
    "show",
    "show_tables",
    "show_tables_expanded",
    "storage_info",
    "table_info",
    "user_agent",
    "version",
});

// Superusers only: profiling and verification switches (profiling writes files), the
// optimizer, checkpoints, object caches, database copies and imports (files), encryption keys,
// and listings with server paths (database_list, show_databases, database_size).
constexpr auto kSuperuserPragmas = std::to_array<std::string_view>({
    "add_parquet_key",
    "all_profiling_output",
    "copy_database",
    "database_list",
    "database_size",
    "disable_checkpoint_on_shutdown",
    "disable_object_cache",
    "disable_optimizer",
    "disable_print_progress_bar",
    "disable_profile",
    "disable_profiling",
    "disable_progress_bar",
    "disable_verification",
    "disable_verify_external",
    "disable_verify_fetch_row",
    "disable_verify_parallelism",
    "disable_verify_serializer",
    "enable_checkpoint_on_shutdown",
    "enable_object_cache",
    "enable_optimizer",
    "enable_print_progress_bar",
    "enable_profile",
    "enable_profiling",
    "enable_progress_bar",
    "enable_verification",
    "extension_versions",
    "force_checkpoint",
    "import_database",
    "json_execute_serialized_sql",
    "show_databases",
    "verify_external",
    "verify_fetch_row",
    "verify_parallelism",
    "verify_serializer",
});

// --- scalar functions that are not CONSISTENT ---

// Volatile or per-query functions. None of them touches anything outside the statement except
// nextval, which DuckDB counts as a write of the sequence's database (so a read-only role's
// read-only transaction refuses it), and write_log, which writes only while a superuser has
// switched logging on. augur's own (pg_cancel_backend, set_config, the token functions) check the
// caller's role themselves.
constexpr auto kVolatileScalars = std::to_array<std::string_view>({
    // VOLATILE
    "current_connection_id",
    "current_query",
    "current_query_id",
    "current_transaction_id",
    "currval",
    "error",
    "gen_random_uuid",
    "nextval",
    "random",
    "setseed",
    "setval",  // augur's (pg_sequences.cpp): a write of the sequence's database, as nextval
    "stats",
    "uuid",
    "uuidv4",
    "uuidv7",
    "write_log",
    // CONSISTENT_WITHIN_QUERY: the clock, the session's schema and role, read only
    "current_database",
    "current_date",
    "current_schema",
    "current_schemas",
    "current_user",
    "get_current_time",
    "get_current_timestamp",
    "in_search_path",
    "now",
    "session_user",
    "today",
    "transaction_timestamp",
    "txid_current",
    // CONSISTENT_WITHIN_QUERY: read the session's TimeZone (pg_values.cpp,
    // pg_datetime_functions.cpp, pg_json_build.cpp)
    "date_trunc",
    "format",
    "json_build_array",
    "json_build_object",
    "to_json",
    "to_char",
    "to_timestamp",
    // VOLATILE, augur's (lock_functions.cpp): advisory locks and notifications, which any
    // PostgreSQL role may take and send; they touch no table
    "pg_advisory_lock",
    "pg_advisory_lock_shared",
    "pg_advisory_unlock",
    "pg_advisory_unlock_all",
    "pg_advisory_unlock_shared",
    "pg_advisory_xact_lock",
    "pg_advisory_xact_lock_shared",
    "pg_notify",
    "pg_try_advisory_lock",
    "pg_try_advisory_lock_shared",
    "pg_try_advisory_xact_lock",
    "pg_try_advisory_xact_lock_shared",
    // VOLATILE, augur's (pg_missing_functions.cpp): sleeps, bounded by statement_timeout and
    // cancel like any statement; any PostgreSQL role may call it
    "pg_sleep",
});

}  // namespace

SettingPolicy SettingPolicyFor(std::string_view name) {
  if (Contains(kSessionSettings, name)) return {Privilege::kAnyRole, true};
  if (Contains(kEngineSettings, name)) return {Privilege::kSuperuser, true};
  return {Privilege::kSuperuser, false};  // hidden, or not classified
}

Privilege TableFunctionPrivilege(std::string_view name) {
  if (Contains(kAnyRoleTableFunctions, name)) return Privilege::kAnyRole;
  return Privilege::kSuperuser;
}

Privilege PragmaPrivilege(std::string_view name) {
  if (Contains(kAnyRolePragmas, name)) return Privilege::kAnyRole;
  return Privilege::kSuperuser;
}

bool IsClassifiedSetting(std::string_view name) {
  return Contains(kSessionSettings, name) || Contains(kHiddenSettings, name) ||
         Contains(kEngineSettings, name);
}

bool IsClassifiedTableFunction(std::string_view name) {
  return Contains(kAnyRoleTableFunctions, name) || Contains(kSuperuserTableFunctions, name);
}

bool IsClassifiedPragma(std::string_view name) {
  return Contains(kAnyRolePragmas, name) || Contains(kSuperuserPragmas, name);
}

bool IsClassifiedVolatileScalar(std::string_view name) { return Contains(kVolatileScalars, name); }

}  // namespace augur::engine
