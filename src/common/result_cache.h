// result_cache.h: a cache of query results (HTTP API and, when enabled, the PostgreSQL protocol),
// bounded in bytes, with a TTL.
//
// Sharded LRU: a key hashes to one of a few shards, each with its own lock, list and byte budget,
// so concurrent requests rarely wait on each other. An entry remembers the tables its query read
// and their version stamp (Database::TableVersionStamp) when it ran; Get asks the caller whether
// that stamp is still current, so any committed write to one of those tables, through either
// protocol, makes the entry unreachable (it is dropped on sight). Written here because no Debian
// package offers a byte-bounded TTL cache.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace augur {

class ResultCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  struct Entry {
    std::string body;
    std::string content_type;
    std::vector<std::string> tables;  // what the query read
    std::string stamp;                // their versions when it ran
  };

  // `capacity_bytes` 0 disables the cache.
  ResultCache(size_t capacity_bytes, std::chrono::milliseconds ttl, Clock clock = SteadyNow);

  bool enabled() const { return shard_capacity_ > 0; }
  // The largest entry worth keeping: a quarter of a shard.
  size_t max_entry_bytes() const { return shard_capacity_ / 4; }

  // The entry under `key` when it exists, has not expired and `is_current(entry)` says its
  // stamp still holds; expired and stale entries are removed.
  std::optional<Entry> Get(const std::string& key,
                           const std::function<bool(const Entry&)>& is_current);
  // Stores `entry` (replacing one under the same key), evicting the least recently used entries
  // of its shard until it fits. Entries over max_entry_bytes() are not stored.
  void Put(const std::string& key, Entry entry);

  size_t bytes() const;
  size_t entries() const;

  static std::chrono::steady_clock::time_point SteadyNow() {
    return std::chrono::steady_clock::now();
  }

 private:
  struct Node {
    std::string key;
    Entry entry;
    size_t bytes;
    std::chrono::steady_clock::time_point expires;
  };
  struct Shard {
    mutable std::mutex mu;
    std::list<Node> lru;  // front: most recently used
    std::unordered_map<std::string, std::list<Node>::iterator> index;
    size_t bytes = 0;
  };
  static constexpr size_t kShards = 8;

  Shard& ShardFor(const std::string& key) {
    return shards_[std::hash<std::string>()(key) % kShards];
  }
  static void Erase(Shard& shard, std::list<Node>::iterator it);

  size_t shard_capacity_;
  std::chrono::milliseconds ttl_;
  Clock clock_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace augur
