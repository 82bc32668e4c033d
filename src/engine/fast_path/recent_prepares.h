// recent_prepares.h: the key lookups a session prepared lately, for a Parse of the same text.
//
// Drivers that do not name their statements (pgbench -M extended, pgjdbc's first executions,
// most ORMs) send Parse with the same text before every execution, and each Parse costs
// DuckDB's binder and planner (~100-200 µs) for a lookup the fast path then answers in a few.
// A session keeps its last few prepared key lookups and hands the same statement out again
// while nothing that could change its meaning changed: the same text, declared parameter types,
// search_path and role, and no DDL committed since (the writer turn's epoch, which every DDL's
// end of turn bumps) nor made by the session's open transaction (the caller checks that).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace augur::engine::fast_path {

template <typename Statement>
class RecentPrepares {
 public:
  struct Key {
    std::string sql;
    std::vector<uint32_t> declared_types;
    std::string search_path;
    std::string role;
    std::string catalog_epoch;
    bool operator==(const Key&) const = default;
  };

  // The statement remembered under `key`, or null.
  std::shared_ptr<Statement> Find(const Key& key) {
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].key == key) {
        std::rotate(entries_.begin(), entries_.begin() + i, entries_.begin() + i + 1);
        return entries_.front().statement;
      }
    }
    return nullptr;
  }

  // Remembers `statement` under `key`, forgetting the least recently used beyond kCapacity.
  void Remember(Key key, std::shared_ptr<Statement> statement) {
    entries_.insert(entries_.begin(), Entry{std::move(key), std::move(statement)});
    if (entries_.size() > kCapacity) entries_.pop_back();
  }

  void Clear() { entries_.clear(); }

 private:
  static constexpr size_t kCapacity = 16;
  struct Entry {
    Key key;
    std::shared_ptr<Statement> statement;
  };
  std::vector<Entry> entries_;  // most recently used first
};

}  // namespace augur::engine::fast_path
