// group_commit_file_system.cpp
#include "engine/durability/group_commit_file_system.h"

#include <cstdlib>
#include <cstring>

namespace augur::engine {

GroupCommitFileSystem::GroupCommitFileSystem(std::shared_ptr<GroupCommit> group,
                                             std::string database_path, bool hold_unsynced)
    : group_(std::move(group)),
      database_path_(std::move(database_path)),
      wal_path_(database_path_ + ".wal"),  // DuckDB's StorageManager::GetWALPath for a plain path
      hold_unsynced_(hold_unsynced) {}

bool GroupCommitFileSystem::HoldUnsyncedFromEnvironment() {
  const char* value = std::getenv("AUGUR_CRASH_TEST_HOLD_UNSYNCED_WAL");
  return value != nullptr && std::strcmp(value, "1") == 0;
}

duckdb::unique_ptr<duckdb::FileHandle> GroupCommitFileSystem::OpenFile(
    const std::string& path, duckdb::FileOpenFlags flags,
    duckdb::optional_ptr<duckdb::FileOpener> opener) {
  auto handle = LocalFileSystem::OpenFile(path, flags, opener);
  if (handle && path == wal_path_ && flags.OpenForWriting()) {
    auto file = SyncFile::Open(path, hold_unsynced_);
    std::lock_guard lock(mu_);
    wal_files_.clear();  // a former WAL handle is closed by now (WriteAheadLog::Delete)
    wal_files_[handle.get()] = std::move(file);
  }
  return handle;
}

std::shared_ptr<SyncFile> GroupCommitFileSystem::SyncFileOf(duckdb::FileHandle& handle) {
  if (handle.path != wal_path_) return nullptr;
  std::lock_guard lock(mu_);
  auto it = wal_files_.find(&handle);
  return it == wal_files_.end() ? nullptr : it->second;
}

void GroupCommitFileSystem::FileSync(duckdb::FileHandle& handle) {
  if (auto file = SyncFileOf(handle)) {
    group_->Owe(file);  // the session waits for it before it answers (group_commit.h)
    return;
  }
  if (handle.path == database_path_) group_->WaitUntilDurable();  // WAL before database file
  LocalFileSystem::FileSync(handle);
}

int64_t GroupCommitFileSystem::Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes) {
  auto file = hold_unsynced_ ? SyncFileOf(handle) : nullptr;
  if (!file) return LocalFileSystem::Write(handle, buffer, nr_bytes);
  file->WithHeld([&](std::vector<char>& held) {
    const char* bytes = static_cast<const char*>(buffer);
    held.insert(held.end(), bytes, bytes + nr_bytes);
  });
  return nr_bytes;
}

void GroupCommitFileSystem::Write(duckdb::FileHandle& handle, void* buffer, int64_t nr_bytes,
                                  duckdb::idx_t location) {
  if (auto file = hold_unsynced_ ? SyncFileOf(handle) : nullptr) file->WriteOutHeld();
  LocalFileSystem::Write(handle, buffer, nr_bytes, location);
}

int64_t GroupCommitFileSystem::GetFileSize(duckdb::FileHandle& handle) {
  auto file = hold_unsynced_ ? SyncFileOf(handle) : nullptr;
  if (!file) return LocalFileSystem::GetFileSize(handle);
  return file->WithHeld([&](std::vector<char>& held) {
    return LocalFileSystem::GetFileSize(handle) + static_cast<int64_t>(held.size());
  });
}

void GroupCommitFileSystem::Truncate(duckdb::FileHandle& handle, int64_t new_size) {
  auto file = hold_unsynced_ ? SyncFileOf(handle) : nullptr;
  if (!file) return LocalFileSystem::Truncate(handle, new_size);
  file->WithHeld([&](std::vector<char>& held) {
    int64_t on_disk = LocalFileSystem::GetFileSize(handle);
    if (new_size >= on_disk) {
      held.resize(std::min(held.size(), static_cast<size_t>(new_size - on_disk)));
    } else {
      LocalFileSystem::Truncate(handle, new_size);
      held.clear();
    }
  });
}

}  // namespace augur::engine
