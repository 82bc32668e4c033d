// role_store.cpp
#include "engine/auth/role_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
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
    if (auto* tokens = doc.as_object().if_contains("tokens")) {
      for (auto& item : tokens->as_array()) {
        auto& o = item.as_object();
        ApiToken token{json::value_to<std::string>(o.at("id")),
                       json::value_to<std::string>(o.at("role")),
                       json::value_to<std::string>(o.at("secret_hash"))};
        store->tokens_.emplace(token.id, std::move(token));
      }
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
  auto old_tokens = tokens_;
  std::erase_if(tokens_, [&](const auto& entry) { return entry.second.role == old.name; });
  if (auto saved = SaveLocked(); !saved) {
    roles_.emplace(old.name, std::move(old));
    tokens_ = std::move(old_tokens);
    return saved;
  }
  return {};
}

namespace {

std::string Hex(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes));
  return Hex(raw);
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return Hex(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

constexpr std::string_view kTokenPrefix = "augur_";

}  // namespace

Result<std::string> RoleStore::CreateToken(const std::string& role) {
  std::unique_lock lock(mu_);
  if (!roles_.contains(role)) {
    return Error("42704", fmt::format("role \"{}\" does not exist", role));
  }
  ApiToken token{RandomHex(6), role, ""};
  std::string secret = RandomHex(32);
  token.secret_hash = Sha256Hex(secret);
  std::string id = token.id;
  tokens_.emplace(id, std::move(token));
  if (auto saved = SaveLocked(); !saved) {
    tokens_.erase(id);
    return std::move(saved).error();
  }
  return fmt::format("{}{}_{}", kTokenPrefix, id, secret);
}

Result<bool> RoleStore::DropToken(std::string_view id) {
  std::unique_lock lock(mu_);
  auto it = tokens_.find(id);
  if (it == tokens_.end()) return false;
  ApiToken old = it->second;
  tokens_.erase(it);
  if (auto saved = SaveLocked(); !saved) {
    tokens_.emplace(old.id, std::move(old));
    return std::move(saved).error();
  }
  return true;
}

std::vector<ApiToken> RoleStore::Tokens() const {
  std::shared_lock lock(mu_);
  std::vector<ApiToken> out;
  for (auto& [id, token] : tokens_) out.push_back(ApiToken{token.id, token.role, ""});
  return out;
}

std::optional<std::string> RoleStore::RoleForToken(std::string_view token) const {
  if (!token.starts_with(kTokenPrefix)) return std::nullopt;
  token.remove_prefix(kTokenPrefix.size());
  size_t separator = token.find('_');
  if (separator == std::string_view::npos) return std::nullopt;
  std::string presented = Sha256Hex(token.substr(separator + 1));
  std::shared_lock lock(mu_);
  auto it = tokens_.find(token.substr(0, separator));
  if (it == tokens_.end() || presented.size() != it->second.secret_hash.size() ||
      CRYPTO_memcmp(presented.data(), it->second.secret_hash.data(), presented.size()) != 0) {
    return std::nullopt;
  }
  return it->second.role;
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
  json::array tokens;
  for (auto& [id, token] : tokens_) {
    tokens.push_back(
        json::object{{"id", token.id}, {"role", token.role}, {"secret_hash", token.secret_hash}});
  }
  std::string text =
      json::serialize(json::object{{"roles", std::move(roles)}, {"tokens", std::move(tokens)}});
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
