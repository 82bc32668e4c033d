// group_commit_test.cpp: the group-commit thread and the WAL file system around it: debts are
// paid by shared fsyncs, every waiter sees its position durable, a database-file sync waits for
// the WAL, and the crash test's hold mode keeps unsynced WAL bytes out of the file until a sync.
#include "engine/durability/group_commit.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "duckdb/common/file_open_flags.hpp"
#include "engine/durability/group_commit_file_system.h"

namespace augur::engine {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  TempDir() {
    char name[] = "/tmp/groupcommit-test-XXXXXX";
    path = ::mkdtemp(name);
  }
  ~TempDir() { fs::remove_all(path); }
  std::string path;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

constexpr auto kWalFlags = duckdb::FileFlags::FILE_FLAGS_WRITE |
                           duckdb::FileFlags::FILE_FLAGS_FILE_CREATE |
                           duckdb::FileFlags::FILE_FLAGS_APPEND;

TEST(GroupCommit, NothingOwedIsDurable) {
  GroupCommit group;
  group.WaitUntilDurable();
  EXPECT_EQ(group.requested(), 0u);
  EXPECT_EQ(group.durable(), 0u);
}

TEST(GroupCommit, EveryWaiterSeesItsPositionDurable) {
  TempDir dir;
  std::string path = dir.path + "/x.wal";
  std::ofstream(path) << "x";
  GroupCommit group;
  auto file = SyncFile::Open(path, /*hold_unsynced=*/false);
  constexpr int kThreads = 8, kEach = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        uint64_t position = group.Owe(file);
        group.WaitFor(position);
        EXPECT_GE(group.durable(), position);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(group.requested(), uint64_t{kThreads * kEach});
  EXPECT_EQ(group.durable(), group.requested());
  EXPECT_GE(group.rounds(), 1u);
  EXPECT_LE(group.rounds(), group.requested());  // never more fsyncs than commits
}

TEST(GroupCommitFileSystem, WalSyncIsDeferredAndHeldBytesWaitForIt) {
  TempDir dir;
  std::string db = dir.path + "/augur.db";
  auto group = std::make_shared<GroupCommit>();
  GroupCommitFileSystem files(group, db, /*hold_unsynced=*/true);
  EXPECT_TRUE(files.CanHandleFile(db));
  EXPECT_TRUE(files.CanHandleFile(db + ".wal"));
  EXPECT_FALSE(files.CanHandleFile(db + ".wal.tmp"));
  EXPECT_FALSE(files.CanHandleFile(dir.path + "/other.db"));

  auto wal = files.OpenFile(db + ".wal", kWalFlags);
  std::string entry = "entry-one";
  files.Write(*wal, entry.data(), static_cast<int64_t>(entry.size()));
  EXPECT_EQ(ReadFile(db + ".wal"), "");  // held: a kill now loses it, as a power failure would
  EXPECT_EQ(files.GetFileSize(*wal), static_cast<int64_t>(entry.size()));

  // A truncation inside what is held (DuckDB reverting a failed commit) drops the tail.
  files.Truncate(*wal, 5);
  EXPECT_EQ(files.GetFileSize(*wal), 5);

  wal->Sync();  // DuckDB's commit: returns without waiting for the disk
  EXPECT_EQ(group->requested(), 1u);
  group->WaitUntilDurable();
  EXPECT_EQ(ReadFile(db + ".wal"), "entry");
  EXPECT_EQ(group->durable(), 1u);

  // A truncation below what is on disk reaches the file.
  std::string more = "-two";
  files.Write(*wal, more.data(), static_cast<int64_t>(more.size()));
  files.Truncate(*wal, 2);
  EXPECT_EQ(files.GetFileSize(*wal), 2);
  EXPECT_EQ(ReadFile(db + ".wal"), "en");
}

TEST(GroupCommitFileSystem, DatabaseSyncWaitsForTheWal) {
  TempDir dir;
  std::string db = dir.path + "/augur.db";
  auto group = std::make_shared<GroupCommit>();
  GroupCommitFileSystem files(group, db, /*hold_unsynced=*/true);
  auto wal = files.OpenFile(db + ".wal", kWalFlags);
  std::string entry = "checkpoint-marker";
  files.Write(*wal, entry.data(), static_cast<int64_t>(entry.size()));
  wal->Sync();
  auto database = files.OpenFile(
      db, duckdb::FileFlags::FILE_FLAGS_WRITE | duckdb::FileFlags::FILE_FLAGS_FILE_CREATE);
  database->Sync();  // a checkpoint's header write: the WAL must be durable first
  EXPECT_EQ(group->durable(), group->requested());
  EXPECT_EQ(ReadFile(db + ".wal"), entry);
}

TEST(GroupCommitFileSystem, ClosedWalKeepsWhatWasWritten) {
  TempDir dir;
  std::string db = dir.path + "/augur.db";
  auto group = std::make_shared<GroupCommit>();
  {
    GroupCommitFileSystem files(group, db, /*hold_unsynced=*/true);
    auto wal = files.OpenFile(db + ".wal", kWalFlags);
    std::string entry = "owed";
    files.Write(*wal, entry.data(), static_cast<int64_t>(entry.size()));
    wal->Sync();
    wal.reset();  // DuckDB deletes the WAL handle at a checkpoint, maybe before the fsync ran
  }
  group->WaitUntilDurable();
  EXPECT_EQ(ReadFile(db + ".wal"), "owed");
}

}  // namespace
}  // namespace augur::engine
