// data_dir_lock.h: one server per data directory.
//
// DuckDB locks its database file too, but its message names the file and a pid-less conflict;
// augur takes its own advisory lock first so the user reads which directory is busy and who holds
// it. The lock is an flock(2) on <dir>/LOCK: the kernel drops it when the process dies, so a
// kill -9 never leaves a stale lock behind.
#pragma once

#include <string>

#include "augur/result.h"

namespace augur::engine {

class DataDirLock {
 public:
  // Creates `dir` if needed and locks it. Fails when another process holds the lock.
  static Result<DataDirLock> Acquire(const std::string& dir);

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace augur::engine
