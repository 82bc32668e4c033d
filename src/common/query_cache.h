// query_cache.h: the result cache's policy, one for both protocols (the PostgreSQL protocol's
// simple queries and the HTTP API's /api/query).
//
// A result may be served from the cache when the same role sends the same canonical request
// under the same search_path, the entry has not expired, and no table the statement read has been
// written since it ran. Whether a statement may be cached at all is the statement's own answer
// (Session::ReadsOf, from the statement as it was split or prepared). This class holds the rest:
// the key, the tables' version stamp taken *before* the statement runs (a write that commits
// meanwhile leaves the entry stale, never the reverse), the check on the way out and the size
// limit on the way in.
//
// Thread safety: as ResultCache's; an instance is a cheap view, made where it is used.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/engine.h"
#include "common/result_cache.h"

namespace augur {

class QueryCache {
 public:
  // `cache` may be null (no cache).
  QueryCache(std::shared_ptr<ResultCache> cache, Database& database)
      : cache_(std::move(cache)), database_(database) {}

  bool enabled() const { return cache_ && cache_->enabled(); }
  // The largest body worth collecting for Store.
  size_t max_entry_bytes() const { return enabled() ? cache_->max_entry_bytes() : 0; }

  // The key of a request. Results are never shared between roles (a superuser's result, say of
  // read_csv on a server file, must not reach a role that could not compute it) nor between
  // search paths (the same text names other tables). `request` is the canonical request: the
  // statement's text (CanonicalSql) and anything else that shapes the answer (format, limit,
  // parameter values).
  static std::string Key(std::string_view protocol, std::string_view role,
                         std::string_view search_path, std::string_view request);

  // The cached answer under `key`, if it is still current.
  std::optional<ResultCache::Entry> Lookup(const std::string& key) const;

  // A statement about to run whose answer may be stored: what it reads, stamped now.
  struct Admission {
    std::string key;
    std::vector<std::string> tables;
    std::string stamp;
  };
  // nullopt when the statement is not cacheable (or the cache is off).
  std::optional<Admission> Admit(std::string key, Session::Reads reads) const;
  // Stores the answer of an admitted statement that succeeded; too large a body is dropped.
  void Store(Admission admission, std::string body, std::string content_type) const;

 private:
  std::shared_ptr<ResultCache> cache_;
  Database& database_;
};

}  // namespace augur
