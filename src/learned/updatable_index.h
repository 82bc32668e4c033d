// updatable_index.h: a learned index that takes inserts and deletes.
//
// Entries are (key, payload) pairs, e.g. (encoded column value, row id); a key may repeat. The
// index has two parts:
//   - a base: sorted keys and payloads with a LearnedIndex over the keys, immutable once built,
//     shared through a shared_ptr so that a merge can replace it while readers finish on the old
//     one;
//   - a delta: entries inserted since the base was built (a sorted multiset) and base entries
//     deleted since (tombstones). The multisets are Abseil B-trees (Debian's libabsl-dev): many
//     entries per node instead of one heap node each, so inserts touch fewer cache lines and the
//     delta costs ~17 bytes per entry instead of std::multiset's ~48.
// Lookups merge both. Merge() folds the delta into a new base: it copies what it needs under the
// lock, builds the new base without the lock (the expensive part, O(n)), then swaps it in under
// the lock, re-applying whatever changed meanwhile. Readers and writers wait only for the copy
// and the swap.
//
// Thread safety: every method may be called from any thread; lookups run concurrently with each
// other, writers take the lock exclusively for the duration of the change.
#pragma once

#include <absl/container/btree_set.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <span>
#include <utility>
#include <vector>

#include "learned/learned_index.h"

namespace augur::learned {

class UpdatableIndex {
 public:
  using Entry = std::pair<uint64_t, uint64_t>;  // (key, payload)

  // `entries` need not be sorted.
  explicit UpdatableIndex(std::vector<Entry> entries = {}, LearnedIndexOptions options = {});

  void Insert(uint64_t key, uint64_t payload);
  // Inserts every entry under one lock acquisition (a chunk of appended rows).
  void InsertBatch(std::span<const Entry> entries);
  // Removes one entry equal to (key, payload); false when there is none.
  bool Erase(uint64_t key, uint64_t payload);

  // Payloads of all entries with lo <= key <= hi, ordered by (key, payload).
  std::vector<Entry> Range(uint64_t lo, uint64_t hi) const;
  std::vector<uint64_t> Find(uint64_t key) const;
  // The `n` smallest entries in (key, payload) order (the largest, in reverse order, when
  // `largest`), plus every further entry whose key equals the n-th's: with them the result holds
  // the first n by key whatever order ties are broken in.
  std::vector<Entry> Edge(size_t n, bool largest) const;
  // Number of entries with lo <= key <= hi, without materialising them (planner estimates).
  size_t Count(uint64_t lo, uint64_t hi) const;
  size_t size() const;
  const LearnedIndexOptions& options() const { return options_; }
  // Entries inserted or deleted since the last merge.
  size_t delta_size() const;

  // Folds the delta into a new base and retrains the model.
  void Merge();

  struct Stats {
    size_t keys = 0;
    size_t delta = 0;  // inserted entries plus tombstones
    size_t segments = 0;
    uint64_t epsilon = 0;
    size_t model_bytes = 0;  // radix table and segments only
    size_t total_bytes = 0;  // model, base keys and payloads, and the delta
  };
  Stats GetStats() const;

 private:
  struct Base {
    std::vector<uint64_t> keys;
    std::vector<uint64_t> payloads;  // sorted by (key, payload) together with keys
    LearnedIndex model;
  };
  static std::shared_ptr<const Base> BuildBase(std::vector<Entry> sorted_entries,
                                               LearnedIndexOptions options);
  // Whether the base holds (key, payload) and it is not tombstoned. Lock held by the caller.
  bool BaseContains(const Base& base, const Entry& entry) const;

  LearnedIndexOptions options_;
  mutable std::shared_mutex mu_;
  std::shared_ptr<const Base> base_;
  using EntrySet = absl::btree_multiset<Entry>;
  EntrySet inserted_;  // entries not in the base
  EntrySet deleted_;   // base entries removed (one tombstone per removed copy)
};

}  // namespace augur::learned
