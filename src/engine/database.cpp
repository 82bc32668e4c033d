// database.cpp: opens DuckDB on a data directory and hands out sessions.
#include "duckdb/main/database.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <optional>

#include "augur/engine.h"
#include "common/scram.h"
#include "duckdb/main/config.hpp"
#include "duckdb/main/connection.hpp"
#include "engine/allocation_cap.h"
#include "engine/auth/auth_functions.h"
#include "engine/auth/file_guard.h"
#include "engine/auth/function_guard.h"
#include "engine/auth/role_statements.h"
#include "engine/auth/role_store.h"
#include "engine/data_dir_lock.h"
#include "engine/durability/group_commit.h"
#include "engine/durability/group_commit_file_system.h"
#include "engine/fast_path/fast_path_setting.h"
#include "engine/learned_index/learned_index_module.h"
#include "engine/pg/column_origins.h"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_arithmetic.h"
#include "engine/pg/pg_bytea_functions.h"
#include "engine/pg/pg_catalog_dump.h"
#include "engine/pg/pg_catalog_tools.h"
#include "engine/pg/pg_checked_functions.h"
#include "engine/pg/pg_compat.h"
#include "engine/pg/pg_constraint_names.h"
#include "engine/pg/pg_datetime_functions.h"
#include "engine/pg/pg_enum_compare.h"
#include "engine/pg/pg_function_macros.h"
#include "engine/pg/pg_function_overrides.h"
#include "engine/pg/pg_interval_functions.h"
#include "engine/pg/pg_jsonb.h"
#include "engine/pg/pg_missing_functions.h"
#include "engine/pg/pg_numeric_functions.h"
#include "engine/pg/pg_sequence_relation.h"
#include "engine/pg/pg_sequences.h"
#include "engine/pg/pg_values.h"
#include "engine/session/session_functions.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

namespace {

// The database file inside the data directory; DuckDB keeps its WAL beside it (augur.db.wal).
constexpr const char* kDatabaseFile = "augur.db";

class DatabaseImpl final : public Database {
 public:
  DatabaseImpl(std::optional<DataDirLock> lock, std::unique_ptr<RoleStore> roles,
               std::shared_ptr<GroupCommit> group_commit, std::unique_ptr<duckdb::DuckDB> db,
               std::unique_ptr<SessionRegistry> registry)
      : lock_(std::move(lock)),
        roles_(std::move(roles)),
        registry_(std::move(registry)),
        group_commit_(std::move(group_commit)),
        db_(std::move(db)) {
    registry_->advisory_locks().AttachWriterLock(&writer_lock_);  // for deadlock detection
  }

  Result<std::unique_ptr<Session>> Connect() override {
    return ConnectAs(std::string(kBootstrapRole));
  }

  Result<std::unique_ptr<Session>> ConnectAs(const std::string& role) override {
    try {
      // Session ids double as PostgreSQL backend pids, so they start well above 0.
      int32_t id = next_session_id_.fetch_add(1);
      return std::unique_ptr<Session>(std::make_unique<SessionImpl>(
          *db_, writer_lock_, *group_commit_, *registry_, *roles_, role, id));
    } catch (const std::exception& ex) {
      return TranslateException(ex, "");
    }
  }

  std::optional<RoleInfo> FindRole(const std::string& name) override {
    auto role = roles_->Find(name);
    if (!role) return std::nullopt;
    return RoleInfo{role->name, role->superuser, role->login, role->verifier};
  }

  std::optional<std::string> RoleForToken(std::string_view token) override {
    return roles_->RoleForToken(token);
  }

  bool CheckPassword(const std::string& name, std::string_view password) override {
    auto role = roles_->Find(name);
    if (!role || !role->login) return false;
    auto verifier = scram::ParseVerifier(role->verifier);
    return verifier && scram::CheckPassword(*verifier, password);
  }

  Status Checkpoint() override {
    try {
      duckdb::Connection connection(*db_);
      auto result = connection.Query("CHECKPOINT");
      if (result->HasError()) return TranslateError(result->GetErrorObject(), "CHECKPOINT");
      return {};
    } catch (const std::exception& ex) {
      return TranslateException(ex, "CHECKPOINT");
    }
  }

  std::string engine_version() const override { return duckdb::DuckDB::LibraryVersion(); }

  std::string TableVersionStamp(const std::vector<std::string>& tables) override {
    return writer_lock_.Stamp(tables);
  }

 private:
  std::optional<DataDirLock> lock_;   // released after db_ closes (members die in reverse order)
  std::unique_ptr<RoleStore> roles_;  // sessions' SessionRole states point at it: outlives db_
  std::unique_ptr<SessionRegistry> registry_;  // DuckDB's functions point at it: outlives db_
  std::shared_ptr<GroupCommit> group_commit_;  // DuckDB's file system shares it
  std::unique_ptr<duckdb::DuckDB> db_;
  WriterLock writer_lock_;
  std::atomic<int32_t> next_session_id_{1000};
};

}  // namespace
}  // namespace augur::engine

namespace augur {

Result<std::unique_ptr<Database>> Database::Open(const DatabaseOptions& options) {
  std::optional<engine::DataDirLock> lock;
  std::string path;  // empty: in-memory
  if (!options.data_dir.empty()) {
    auto acquired = engine::DataDirLock::Acquire(options.data_dir);
    if (!acquired) return std::move(acquired).error();
    lock.emplace(std::move(*acquired));
    path = (std::filesystem::path(options.data_dir) / engine::kDatabaseFile).string();
  }
  try {
    auto roles = engine::RoleStore::Open(
        path.empty() ? ""
                     : (std::filesystem::path(options.data_dir) / "augur_roles.json").string());
    if (!roles) return std::move(roles).error();
    duckdb::DBConfig config;
    // Per-role file access and the role statements (docs/SECURITY.md).
    config.file_system = engine::MakeGuardedFileSystem();
    // Group commit: the WAL's fsync leaves DuckDB's commit path (durability/group_commit.h).
    auto group_commit = std::make_shared<engine::GroupCommit>();
    if (!path.empty()) {
      bool hold = engine::GroupCommitFileSystem::HoldUnsyncedFromEnvironment();
      if (hold) spdlog::warn("crash test mode: WAL writes are held in memory until their fsync");
      config.file_system->RegisterSubSystem(
          duckdb::make_uniq<engine::GroupCommitFileSystem>(group_commit, path, hold));
    }
    engine::RegisterRoleStatements(config);
    // SELECT ... FROM a_sequence (pg_dump reads sequences so).
    engine::RegisterSequenceRelations(config);
    config.SetOptionByName("memory_limit", duckdb::Value(engine::MemoryLimitOrDefault(options)));
    // Half the limit for any one allocation (allocation_cap.h).
    engine::CapAllocations(config.options.maximum_memory / 2);
    config.allocator =
        duckdb::unique_ptr<duckdb::Allocator>(engine::MakeCappedAllocator().release());
    if (options.threads > 0) {
      config.SetOptionByName("threads", duckdb::Value::BIGINT(options.threads));
    }
    // Extensions that are not built in would be downloaded from the internet; a server must not.
    config.SetOptionByName("autoinstall_known_extensions", duckdb::Value::BOOLEAN(false));
    // PostgreSQL sorts NULL as larger than any value: last in ASC, first in DESC (ORDER BY,
    // window ORDER BY, ordered aggregates). DuckDB's default puts them last either way.
    // session_settings.cpp refuses SET/RESET of this option, so it cannot change under a client.
    config.SetOptionByName("default_null_order", duckdb::Value("nulls_last_on_asc_first_on_desc"));
    auto db = std::make_unique<duckdb::DuckDB>(path.empty() ? nullptr : path.c_str(), &config);
    engine::RegisterLearnedIndex(*db->instance, options.learned_primary_keys);
    engine::RegisterColumnOrigins(*db->instance);
    engine::RegisterPgEnumComparisons(*db->instance);
    engine::fast_path::RegisterSetting(*db->instance, options.fast_path);
    auto registry = std::make_unique<engine::SessionRegistry>();
    {
      duckdb::Connection connection(*db);
      // First: pg_compat's pg_stat_activity view reads augur_stat_activity().
      if (auto installed = engine::InstallSessionFunctions(connection, *registry); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallAuthFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgCompat(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgCatalogTools(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgArithmetic(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgByteaFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgFunctionOverrides(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgMissingFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgDatetimeFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgIntervalFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgCheckedFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgFunctionMacros(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgNumericFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgJsonb(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgSequences(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallPgValues(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto installed = engine::InstallLearnedIndexFunctions(connection); !installed) {
        return std::move(installed).error();
      }
      // After pg_compat, whose views some of these extend.
      if (auto installed = engine::InstallPgDumpCatalog(connection); !installed) {
        return std::move(installed).error();
      }
      if (auto named = engine::NameConstraintsAsPostgres(*connection.context); !named) {
        return std::move(named).error();
      }
      // Last, once every function augur adds is in the catalog (docs/SECURITY.md).
      if (auto guarded = engine::GuardTableFunctions(*connection.context); !guarded) {
        return std::move(guarded).error();
      }
      // PostgreSQL's default schema, first on every session's search_path (search_path.h).
      // Tables made by earlier versions stay in "main", which DuckDB searches after the path.
      auto created = connection.Query("CREATE SCHEMA IF NOT EXISTS public");
      if (created->HasError()) return engine::TranslateError(created->GetErrorObject(), "");
      auto rebuilt = engine::RebuildLearnedIndexes(connection);
      if (!rebuilt) return std::move(rebuilt).error();
      if (rebuilt->indexes > 0) {
        spdlog::info("learned indexes rebuilt indexes={} keys={} seconds={:.3f}", rebuilt->indexes,
                     rebuilt->keys, rebuilt->seconds);
      }
    }
    return std::unique_ptr<Database>(std::make_unique<engine::DatabaseImpl>(
        std::move(lock), std::move(*roles), std::move(group_commit), std::move(db),
        std::move(registry)));
  } catch (const std::exception& ex) {
    Error error = engine::TranslateException(ex, "");
    error.message = fmt::format("could not open database \"{}\": {}",
                                path.empty() ? ":memory:" : path, error.message);
    return error;
  }
}

}  // namespace augur
