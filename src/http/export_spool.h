// export_spool.h: where /api/query's Parquet exports are written before they are sent. The
// directory is DATA/tmp (beside the database, not the shared /tmp), and the files of all exports
// in progress or being sent may hold at most a quota of bytes (http.export_spool_bytes): an export
// that would pass it is cancelled and fails with 54000. Every file is removed when its export
// ends, whatever happens; files a killed server left are removed at the next start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "augur/result.h"

namespace augur::http {

class ExportSpool {
 public:
  // `quota_bytes` 0: no quota.
  ExportSpool(std::filesystem::path dir, uint64_t quota_bytes);
  ExportSpool(const ExportSpool&) = delete;
  ExportSpool& operator=(const ExportSpool&) = delete;

  // Creates the directory and removes the spool files a killed server left in it.
  Status Open();

  // One export's file: counted against the quota while it lives, removed when it goes.
  class File {
   public:
    ~File();
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    const std::string& path() const { return path_; }

   private:
    friend class ExportSpool;
    File(ExportSpool& spool, std::string path) : spool_(spool), path_(std::move(path)) {}
    ExportSpool& spool_;
    std::string path_;
  };
  std::unique_ptr<File> NewFile();

  // Runs `write`, which fills `file` (blocking), while a watcher thread measures the spool every
  // few milliseconds and calls `cancel` (which must be safe from another thread) once it holds
  // more than the quota. Then fails with 54000 if the spool is over the quota, whether or not
  // the watcher saw it in time; else returns what `write` returned.
  Status Write(const File& file, const std::function<Status()>& write,
               const std::function<void()>& cancel);

  // Bytes the spool's files hold now.
  uint64_t Usage() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  const std::filesystem::path dir_;
  const uint64_t quota_bytes_;
  mutable std::mutex mu_;  // guards files_
  std::set<std::string> files_;
};

}  // namespace augur::http
