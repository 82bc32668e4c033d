// file_guard.cpp
#include "engine/auth/file_guard.h"

#include "duckdb/common/exception.hpp"
#include "duckdb/common/file_opener.hpp"
#include "duckdb/common/virtual_file_system.hpp"
#include "engine/auth/session_role.h"

namespace augur::engine {

namespace {

class GuardedFileSystem final : public duckdb::VirtualFileSystem {
 public:
  bool DirectoryExists(const std::string& directory,
                       duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(directory, opener);
    return VirtualFileSystem::DirectoryExists(directory, opener);
  }
  void CreateDirectory(const std::string& directory,
                       duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(directory, opener);
    VirtualFileSystem::CreateDirectory(directory, opener);
  }
  void RemoveDirectory(const std::string& directory,
                       duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(directory, opener);
    VirtualFileSystem::RemoveDirectory(directory, opener);
  }
  void MoveFile(const std::string& source, const std::string& target,
                duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(source, opener);
    VirtualFileSystem::MoveFile(source, target, opener);
  }
  bool FileExists(const std::string& filename,
                  duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(filename, opener);
    return VirtualFileSystem::FileExists(filename, opener);
  }
  bool IsPipe(const std::string& filename,
              duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(filename, opener);
    return VirtualFileSystem::IsPipe(filename, opener);
  }
  void RemoveFile(const std::string& filename,
                  duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(filename, opener);
    VirtualFileSystem::RemoveFile(filename, opener);
  }
  bool TryRemoveFile(const std::string& filename,
                     duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(filename, opener);
    return VirtualFileSystem::TryRemoveFile(filename, opener);
  }
  duckdb::vector<duckdb::OpenFileInfo> Glob(const std::string& path,
                                            duckdb::FileOpener* opener) override {
    Check(path, opener);
    return VirtualFileSystem::Glob(path, opener);
  }

 protected:
  duckdb::unique_ptr<duckdb::FileHandle> OpenFileExtended(
      const duckdb::OpenFileInfo& file, duckdb::FileOpenFlags flags,
      duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(file.path, opener);
    return VirtualFileSystem::OpenFileExtended(file, flags, opener);
  }
  bool ListFilesExtended(const std::string& directory,
                         const std::function<void(duckdb::OpenFileInfo& info)>& callback,
                         duckdb::optional_ptr<duckdb::FileOpener> opener) override {
    Check(directory, opener);
    return VirtualFileSystem::ListFilesExtended(directory, callback, opener);
  }

 private:
  static void Check(const std::string& path, duckdb::optional_ptr<duckdb::FileOpener> opener) {
    auto context = duckdb::FileOpener::TryGetClientContext(opener);
    if (!context) return;  // the engine's own storage
    auto* role = SessionRole::Of(*context);
    if (!role || role->internal_file_access) return;
    if (!role->internal_file_path.empty() && path == role->internal_file_path) return;
    auto current = role->Current();
    if (current && current->superuser) return;
    throw duckdb::PermissionException(
        "permission denied to access server file \"%s\": only superusers may read or write "
        "server files (role \"%s\")",
        path, role->name());
  }
};

}  // namespace

duckdb::unique_ptr<duckdb::FileSystem> MakeGuardedFileSystem() {
  return duckdb::make_uniq<GuardedFileSystem>();
}

}  // namespace augur::engine
