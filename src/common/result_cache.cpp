// result_cache.cpp
#include "common/result_cache.h"

#include "common/metrics.h"

namespace augur {
namespace {

size_t SizeOf(const std::string& key, const ResultCache::Entry& entry) {
  size_t bytes = key.size() + entry.body.size() + entry.content_type.size() + entry.stamp.size();
  for (const auto& table : entry.tables) bytes += table.size();
  return bytes + 128;  // list node, map slot, bookkeeping
}

}  // namespace

ResultCache::ResultCache(size_t capacity_bytes, std::chrono::milliseconds ttl, Clock clock)
    : shard_capacity_(capacity_bytes / kShards),
      ttl_(ttl),
      clock_(std::move(clock)),
      shards_(std::make_unique<Shard[]>(kShards)) {}

void ResultCache::Erase(Shard& shard, std::list<Node>::iterator it) {
  shard.bytes -= it->bytes;
  shard.index.erase(it->key);
  shard.lru.erase(it);
}

std::optional<ResultCache::Entry> ResultCache::Get(
    const std::string& key, const std::function<bool(const Entry&)>& is_current) {
  if (!enabled()) return std::nullopt;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  auto found = shard.index.find(key);
  if (found == shard.index.end()) {
    metrics::CacheEvents().Add({{"event", "miss"}}).Increment();
    return std::nullopt;
  }
  auto it = found->second;
  if (clock_() >= it->expires || !is_current(it->entry)) {
    Erase(shard, it);
    metrics::CacheEvents().Add({{"event", "stale"}}).Increment();
    return std::nullopt;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it);
  metrics::CacheEvents().Add({{"event", "hit"}}).Increment();
  return it->entry;
}

void ResultCache::Put(const std::string& key, Entry entry) {
  if (!enabled()) return;
  size_t bytes = SizeOf(key, entry);
  if (bytes > max_entry_bytes()) return;
  Shard& shard = ShardFor(key);
  std::lock_guard lock(shard.mu);
  if (auto found = shard.index.find(key); found != shard.index.end()) Erase(shard, found->second);
  while (!shard.lru.empty() && shard.bytes + bytes > shard_capacity_) {
    Erase(shard, std::prev(shard.lru.end()));
    metrics::CacheEvents().Add({{"event", "eviction"}}).Increment();
  }
  shard.lru.push_front(Node{key, std::move(entry), bytes, clock_() + ttl_});
  shard.index[key] = shard.lru.begin();
  shard.bytes += bytes;
}

size_t ResultCache::bytes() const {
  size_t total = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    total += shards_[i].bytes;
  }
  return total;
}

size_t ResultCache::entries() const {
  size_t total = 0;
  for (size_t i = 0; i < kShards; ++i) {
    std::lock_guard lock(shards_[i].mu);
    total += shards_[i].lru.size();
  }
  return total;
}

}  // namespace augur
