// role_store.cpp
#include "engine/auth/role_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

namespace augur::engine {

namespace json = boost::json;

namespace {

Error FileError(std::string_view what, const std::string& path) {
  return Error(sqlstate::kIoError,
               fmt::format("could not {} role file \"{}\": {}", what, path, std::strerror(errno)));
}

}  // namespace

Result<std::unique_ptr<RoleStore>> RoleStore::Open(std::string path) {
  std::unique_ptr<RoleStore> store(new RoleStore(std::move(path)));
  if (!store->path_.empty() && std::filesystem::exists(store->path_)) {
    std::ifstream in(store->path_);
    std::stringstream text;
    text << in.rdbuf();
    boost::system::error_code ec;
    json::value doc = json::parse(text.str(), ec);
    if (ec || !doc.is_object() || !doc.as_object().contains("roles")) {
      return Error("XX001", fmt::format("role file \"{}\" is not valid: {}", store->path_,
                                        ec ? ec.message() : "no \"roles\" array"));
    }
    for (auto& item : doc.at("roles").as_array()) {
      auto& o = item.as_object();
      Role role;
      role.name = json::value_to<std::string>(o.at("name"));
      role.superuser = o.at("superuser").as_bool();
      role.login = o.at("login").as_bool();
      role.can_write = o.at("can_write").as_bool();
      role.verifier = json::value_to<std::string>(o.at("verifier"));
      store->roles_.emplace(role.name, std::move(role));
    }
  }
  if (!store->roles_.contains(kBootstrapRole)) {
    Role bootstrap{std::string(kBootstrapRole), true, true, true, ""};
    store->roles_.emplace(bootstrap.name, bootstrap);
  }
  return store;
}

std::optional<Role> RoleStore::Find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = roles_.find(name);
  if (it == roles_.end()) return std::nullopt;
  return it->second;
}

std::vector<Role> RoleStore::All() const {
  std::shared_lock lock(mu_);
  std::vector<Role> out;
  for (auto& [name, role] : roles_) out.push_back(role);
  return out;
}

Status RoleStore::Create(Role role) {
  std::unique_lock lock(mu_);
  if (roles_.contains(role.name)) {
    return Error("42710", fmt::format("role \"{}\" already exists", role.name));
  }
  std::string name = role.name;
  roles_.emplace(name, std::move(role));
  if (auto saved = SaveLocked(); !saved) {
    roles_.erase(name);
    return saved;
  }
  return {};
}

Status RoleStore::Update(const Role& role) {
  std::unique_lock lock(mu_);
  auto it = roles_.find(role.name);
  if (it == roles_.end()) {
    return Error("42704", fmt::format("role \"{}\" does not exist", role.name));
  }
  Role old = std::exchange(it->second, role);
  if (auto saved = SaveLocked(); !saved) {
    it->second = std::move(old);
    return saved;
  }
  return {};
}

Status RoleStore::Drop(std::string_view name, bool if_exists) {
  if (name == kBootstrapRole) {
    return Error("42501",
                 fmt::format("cannot drop role \"{}\": it is the bootstrap superuser", name));
  }
  std::unique_lock lock(mu_);
  auto it = roles_.find(name);
  if (it == roles_.end()) {
    if (if_exists) return {};
    return Error("42704", fmt::format("role \"{}\" does not exist", name));
  }
  Role old = it->second;
  roles_.erase(it);
  if (auto saved = SaveLocked(); !saved) {
    roles_.emplace(old.name, std::move(old));
    return saved;
  }
  return {};
}

Status RoleStore::SaveLocked() const {
  if (path_.empty()) return {};
  json::array roles;
  for (auto& [name, role] : roles_) {
    roles.push_back(json::object{{"name", role.name},
                                 {"superuser", role.superuser},
                                 {"login", role.login},
                                 {"can_write", role.can_write},
                                 {"verifier", role.verifier}});
  }
  std::string text = json::serialize(json::object{{"roles", std::move(roles)}});
  std::string temp = path_ + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return FileError("create", temp);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return FileError("write", temp);
  if (::rename(temp.c_str(), path_.c_str()) != 0) return FileError("replace", path_);
  return {};
}

}  // namespace augur::engine
