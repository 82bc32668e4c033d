// group_commit.cpp
#include "engine/durability/group_commit.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace augur::engine {

namespace {

// PostgreSQL's answer to a failed fsync (data_sync_retry = off): the dirty pages may be gone and
// a second fsync would succeed without them, so nothing may be acknowledged any more.
[[noreturn]] void DieOnSyncFailure(const std::string& what, const std::string& path, int error) {
  spdlog::critical(
      "could not {} write-ahead log \"{}\": {}; stopping the server, since an "
      "unsynced commit cannot be made durable by retrying",
      what, path, std::strerror(error));
  spdlog::default_logger()->flush();
  std::abort();
}

}  // namespace

std::shared_ptr<SyncFile> SyncFile::Open(const std::string& path, bool hold_unsynced) {
  // fdatasync needs no write access on Linux; the held bytes do.
  int flags = (hold_unsynced ? O_WRONLY | O_APPEND : O_RDONLY) | O_CLOEXEC;
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    throw std::runtime_error("could not open \"" + path +
                             "\" for syncing: " + std::strerror(errno));
  }
  return std::shared_ptr<SyncFile>(new SyncFile(path, fd, hold_unsynced));
}

SyncFile::~SyncFile() {
  // A closed WAL keeps what was written to it, as the page cache would.
  if (hold_unsynced_) {
    std::lock_guard lock(mu_);
    WriteOutHeldLocked();
  }
  ::close(fd_);
}

void SyncFile::WriteOutHeld() {
  std::lock_guard lock(mu_);
  WriteOutHeldLocked();
}

void SyncFile::WriteOutHeldLocked() {
  size_t done = 0;
  while (done < held_.size()) {
    ssize_t n = ::write(fd_, held_.data() + done, held_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) DieOnSyncFailure("write", path_, n < 0 ? errno : EIO);
    done += static_cast<size_t>(n);
  }
  held_.clear();
}

void SyncFile::Sync() {
  if (hold_unsynced_) WriteOutHeld();
  if (::fdatasync(fd_) != 0) DieOnSyncFailure("fsync", path_, errno);
}

GroupCommit::GroupCommit() : thread_([this] { Run(); }) {}

GroupCommit::~GroupCommit() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_one();
  thread_.join();
}

uint64_t GroupCommit::Owe(const std::shared_ptr<SyncFile>& file) {
  uint64_t position;
  {
    std::lock_guard lock(mu_);
    if (std::find(owed_.begin(), owed_.end(), file) == owed_.end()) owed_.push_back(file);
    position = requested_.fetch_add(1, std::memory_order_acq_rel) + 1;
  }
  work_cv_.notify_one();
  return position;
}

void GroupCommit::WaitFor(uint64_t position) {
  if (durable_.load(std::memory_order_acquire) >= position) return;
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return durable_.load(std::memory_order_acquire) >= position; });
}

void GroupCommit::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [&] { return stop_ || !owed_.empty(); });
    if (owed_.empty()) return;  // stopping, nothing owed
    // Everything requested by now was written before it was requested: one sync per file covers
    // all of it. Requests that arrive during the sync wait for the next round.
    std::vector<std::shared_ptr<SyncFile>> files;
    files.swap(owed_);
    uint64_t target = requested_.load(std::memory_order_acquire);
    lock.unlock();
    for (auto& file : files) file->Sync();
    files.clear();  // a WAL DuckDB has closed is released here, outside the lock
    lock.lock();
    durable_.store(target, std::memory_order_release);
    rounds_.fetch_add(1);
    done_cv_.notify_all();
  }
}

}  // namespace augur::engine
