// export_spool.cpp
#include "http/export_spool.h"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <stop_token>
#include <thread>

namespace augur::http {
namespace {

constexpr std::string_view kPrefix = "http-export-";
constexpr auto kWatchInterval = std::chrono::milliseconds(10);

}  // namespace

ExportSpool::ExportSpool(std::filesystem::path dir, uint64_t quota_bytes)
    : dir_(std::move(dir)), quota_bytes_(quota_bytes) {}

Status ExportSpool::Open() {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    return Error(sqlstate::kIoError, fmt::format("could not create the export spool \"{}\": {}",
                                                 dir_.string(), ec.message()));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().filename().string().starts_with(kPrefix)) {
      std::error_code ignored;
      std::filesystem::remove(entry.path(), ignored);
    }
  }
  return {};
}

std::unique_ptr<ExportSpool::File> ExportSpool::NewFile() {
  static std::atomic<uint64_t> sequence{0};
  std::string path =
      (dir_ / fmt::format("{}{}-{}.parquet", kPrefix, ::getpid(), sequence++)).string();
  std::lock_guard lock(mu_);
  files_.insert(path);
  return std::unique_ptr<File>(new File(*this, std::move(path)));
}

ExportSpool::File::~File() {
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
  std::lock_guard lock(spool_.mu_);
  spool_.files_.erase(path_);
}

uint64_t ExportSpool::Usage() const {
  std::lock_guard lock(mu_);
  uint64_t total = 0;
  for (const auto& path : files_) {
    std::error_code ec;
    auto size = std::filesystem::file_size(path, ec);
    if (!ec) total += size;
  }
  return total;
}

Status ExportSpool::Write(const File& file, const std::function<Status()>& write,
                          const std::function<void()>& cancel) {
  if (quota_bytes_ == 0) return write();
  std::mutex mu;
  std::condition_variable_any wake;
  std::atomic<bool> tripped{false};
  std::jthread watcher([&](std::stop_token stop) {
    std::unique_lock lock(mu);
    while (!stop.stop_requested()) {
      wake.wait_for(lock, stop, kWatchInterval, [] { return false; });
      if (!stop.stop_requested() && Usage() > quota_bytes_) {
        tripped = true;
        cancel();
        return;
      }
    }
  });
  Status written = write();
  watcher.request_stop();
  watcher.join();
  uint64_t usage = Usage();
  if (usage <= quota_bytes_ && !tripped) return written;
  std::error_code ec;
  uint64_t own = std::filesystem::file_size(file.path(), ec);
  std::string others =
      usage > own ? fmt::format("; other exports hold {} bytes of it", usage - own) : "";
  return Error(sqlstate::kProgramLimitExceeded,
               fmt::format("the Parquet export needs more than the {} bytes of the export spool "
                           "(http.export_spool_bytes){}",
                           quota_bytes_, others))
      .WithHint("add a LIMIT or a WHERE clause, or use format csv, which streams");
}

}  // namespace augur::http
