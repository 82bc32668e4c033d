// group_commit_file_system.h: the file system DuckDB uses for augur's database file and its WAL,
// so that a commit's WAL fsync becomes a debt for the group-commit thread (group_commit.h).
//
// It is registered as a sub-system of the VirtualFileSystem in DBConfig::file_system (DuckDB
// casts that one to VirtualFileSystem) and claims exactly two paths: the database file and its
// ".wal". It is DuckDB's own LocalFileSystem for both, except:
//   - FileSync on the WAL records the debt and returns (DuckDB calls it at every commit, inside
//     WriteAheadLog::Flush, under wal_lock and transaction_lock);
//   - FileSync on the database file first waits until every WAL debt is paid. A checkpoint
//     writes a CHECKPOINT entry to the WAL and syncs it before it writes the new database header;
//     recovery relies on that entry being durable whenever the header is, or it would replay the
//     WAL a second time. Deferred WAL syncs therefore never pass a database sync, and a checkpoint
//     (which then deletes the WAL) cannot lose one.
// Every other sync (temporary files, exports, other attached databases) stays inline.
//
// For the crash test only (AUGUR_CRASH_TEST_HOLD_UNSYNCED_WAL=1): WAL writes are held in memory
// until their sync, so that SIGKILL loses exactly what a power failure would lose (unsynced
// bytes) instead of nothing (the kernel keeps a killed process's writes).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "duckdb/common/local_file_system.hpp"
#include "engine/durability/group_commit.h"

namespace augur::engine {

class GroupCommitFileSystem final : public duckdb::LocalFileSystem {
 public:
  GroupCommitFileSystem(std::shared_ptr<GroupCommit> group, std::string database_path,
                        bool hold_unsynced);

  // The environment switch for the crash test's hold mode.
  static bool HoldUnsyncedFromEnvironment();

  bool CanHandleFile(const std::string& path) override {
    return path == database_path_ || path == wal_path_;
  }
  std::string GetName() const override { return "augur_group_commit"; }

  duckdb::unique_ptr<duckdb::FileHandle> OpenFile(
      const std::string& path, duckdb::FileOpenFlags flags,
      duckdb::optional_ptr<duckdb::FileOpener> opener = nullptr) override;
  void FileSync(duckdb::FileHandle& handle) override;

  // Hold mode: WAL writes, its size and truncation account for the held bytes.
  int64_t Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes) override;
  void Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes,
             duckdb::idx_t location) override;
  int64_t GetFileSize(duckdb::FileHandle& handle) override;
  void Truncate(duckdb::FileHandle& handle, int64_t new_size) override;

 private:
  // The sync state of an open WAL handle, or nullptr.
  std::shared_ptr<SyncFile> SyncFileOf(duckdb::FileHandle& handle);

  std::shared_ptr<GroupCommit> group_;
  const std::string database_path_;
  const std::string wal_path_;
  const bool hold_unsynced_;
  std::mutex mu_;  // guards wal_files_
  // WAL handles DuckDB opened for writing. Only the latest is kept: DuckDB writes one WAL at a
  // time, and a replaced one stays alive in the group's debts until its sync is done.
  std::unordered_map<const duckdb::FileHandle*, std::shared_ptr<SyncFile>> wal_files_;
};

}  // namespace augur::engine
