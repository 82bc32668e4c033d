// query_cache.cpp: see query_cache.h.
#include "common/query_cache.h"

namespace augur {

std::string QueryCache::Key(std::string_view protocol, std::string_view role,
                            std::string_view search_path, std::string_view request) {
  // \x1f (unit separator) cannot appear in a role name or a search_path PostgreSQL would accept
  // unquoted, and the request comes last, so the parts cannot run into each other.
  std::string key;
  key.reserve(protocol.size() + role.size() + search_path.size() + request.size() + 3);
  key.append(protocol).append(1, '\x1f').append(role).append(1, '\x1f');
  key.append(search_path).append(1, '\x1f').append(request);
  return key;
}

std::optional<ResultCache::Entry> QueryCache::Lookup(const std::string& key) const {
  if (!enabled()) return std::nullopt;
  return cache_->Get(key, [this](const ResultCache::Entry& entry) {
    return database_.TableVersionStamp(entry.tables) == entry.stamp;
  });
}

std::optional<QueryCache::Admission> QueryCache::Admit(std::string key,
                                                       Session::Reads reads) const {
  if (!enabled() || !reads.cacheable) return std::nullopt;
  std::string stamp = database_.TableVersionStamp(reads.tables);  // before it runs
  return Admission{std::move(key), std::move(reads.tables), std::move(stamp)};
}

void QueryCache::Store(Admission admission, std::string body, std::string content_type) const {
  if (!enabled() || body.size() > cache_->max_entry_bytes()) return;
  cache_->Put(admission.key,
              ResultCache::Entry{std::move(body), std::move(content_type),
                                 std::move(admission.tables), std::move(admission.stamp)});
}

}  // namespace augur
