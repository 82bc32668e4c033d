// updatable_index.cpp
#include "learned/updatable_index.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>

namespace augur::learned {

std::shared_ptr<const UpdatableIndex::Base> UpdatableIndex::BuildBase(
    std::vector<Entry> sorted_entries, LearnedIndexOptions options) {
  auto base = std::make_shared<Base>();
  base->keys.reserve(sorted_entries.size());
  base->payloads.reserve(sorted_entries.size());
  for (auto& [key, payload] : sorted_entries) {
    base->keys.push_back(key);
    base->payloads.push_back(payload);
  }
  base->model = LearnedIndex::Build(base->keys, options);
  return base;
}

UpdatableIndex::UpdatableIndex(std::vector<Entry> entries, LearnedIndexOptions options)
    : options_(options) {
  if (!std::is_sorted(entries.begin(), entries.end())) std::sort(entries.begin(), entries.end());
  base_ = BuildBase(std::move(entries), options_);
}

bool UpdatableIndex::BaseContains(const Base& base, const Entry& entry) const {
  // Copies of the entry in the base, minus copies already tombstoned.
  size_t first = base.model.LowerBound(base.keys, entry.first);
  size_t copies = 0;
  for (size_t i = first; i < base.keys.size() && base.keys[i] == entry.first; ++i) {
    copies += base.payloads[i] == entry.second;
  }
  return copies > deleted_.count(entry);
}

void UpdatableIndex::Insert(uint64_t key, uint64_t payload) {
  std::unique_lock lock(mu_);
  inserted_.emplace(key, payload);
}

void UpdatableIndex::InsertBatch(std::span<const Entry> entries) {
  std::unique_lock lock(mu_);
  for (const Entry& entry : entries) inserted_.insert(entry);
}

bool UpdatableIndex::Erase(uint64_t key, uint64_t payload) {
  std::unique_lock lock(mu_);
  Entry entry{key, payload};
  auto it = inserted_.find(entry);
  if (it != inserted_.end()) {
    inserted_.erase(it);
    return true;
  }
  if (!BaseContains(*base_, entry)) return false;
  deleted_.insert(entry);
  return true;
}

std::vector<UpdatableIndex::Entry> UpdatableIndex::Range(uint64_t lo, uint64_t hi) const {
  std::vector<Entry> out;
  if (lo > hi) return out;
  std::shared_lock lock(mu_);
  const Base& base = *base_;
  auto [first, last] = base.model.EqualRange(base.keys, lo, hi);
  // Merge the base run with the delta's run, skipping tombstoned base copies.
  auto ins = inserted_.lower_bound(Entry{lo, 0});
  auto ins_end = hi == UINT64_MAX ? inserted_.end() : inserted_.lower_bound(Entry{hi + 1, 0});
  auto tomb = deleted_.lower_bound(Entry{lo, 0});
  for (size_t i = first; i < last; ++i) {
    Entry e{base.keys[i], base.payloads[i]};
    while (ins != ins_end && *ins < e) out.push_back(*ins++);
    while (tomb != deleted_.end() && *tomb < e) ++tomb;
    if (tomb != deleted_.end() && *tomb == e) {
      ++tomb;  // this copy was deleted
      continue;
    }
    out.push_back(e);
  }
  while (ins != ins_end) out.push_back(*ins++);
  return out;
}

std::vector<uint64_t> UpdatableIndex::Find(uint64_t key) const {
  std::vector<uint64_t> payloads;
  for (auto& [k, payload] : Range(key, key)) payloads.push_back(payload);
  return payloads;
}

namespace {

// The first n entries of (base minus tombstones) merged with the inserted entries, walking in
// the direction `before` orders (std::less: ascending, std::greater: descending), plus ties.
template <typename Base, typename SetIt, typename Before>
std::vector<UpdatableIndex::Entry> TakeEdge(const Base& base, bool reverse, SetIt ins,
                                            SetIt ins_end, SetIt tomb, SetIt tomb_end,
                                            Before before, size_t n) {
  using Entry = UpdatableIndex::Entry;
  std::vector<Entry> out;
  const size_t count = base.keys.size();
  auto base_at = [&](size_t j) {
    size_t i = reverse ? count - 1 - j : j;
    return Entry{base.keys[i], base.payloads[i]};
  };
  size_t j = 0;
  while (true) {
    std::optional<Entry> from_base;  // the next base entry that is not tombstoned
    while (j < count) {
      Entry e = base_at(j);
      while (tomb != tomb_end && before(*tomb, e)) ++tomb;
      if (tomb != tomb_end && *tomb == e) {
        ++tomb;  // this copy was deleted
        ++j;
        continue;
      }
      from_base = e;
      break;
    }
    bool take_inserted = ins != ins_end && (!from_base || before(*ins, *from_base));
    if (!take_inserted && !from_base) break;
    const Entry next = take_inserted ? *ins : *from_base;
    if (out.size() >= n && next.first != out.back().first) break;
    out.push_back(next);
    if (take_inserted) {
      ++ins;
    } else {
      ++j;
    }
  }
  return out;
}

}  // namespace

std::vector<UpdatableIndex::Entry> UpdatableIndex::Edge(size_t n, bool largest) const {
  if (n == 0) return {};
  std::shared_lock lock(mu_);
  if (largest) {
    return TakeEdge(*base_, true, inserted_.rbegin(), inserted_.rend(), deleted_.rbegin(),
                    deleted_.rend(), std::greater<Entry>(), n);
  }
  return TakeEdge(*base_, false, inserted_.begin(), inserted_.end(), deleted_.begin(),
                  deleted_.end(), std::less<Entry>(), n);
}

size_t UpdatableIndex::Count(uint64_t lo, uint64_t hi) const {
  if (lo > hi) return 0;
  std::shared_lock lock(mu_);
  auto [first, last] = base_->model.EqualRange(base_->keys, lo, hi);
  auto in_range = [&](const EntrySet& set) {
    auto begin = set.lower_bound(Entry{lo, 0});
    auto end = hi == UINT64_MAX ? set.end() : set.lower_bound(Entry{hi + 1, 0});
    return static_cast<size_t>(std::distance(begin, end));
  };
  return (last - first) + in_range(inserted_) - in_range(deleted_);
}

UpdatableIndex::Stats UpdatableIndex::GetStats() const {
  // A multiset node holds the entry plus three pointers and a colour word.
  constexpr size_t kTreeNodeBytes = sizeof(Entry) + 4 * sizeof(void*);
  std::shared_lock lock(mu_);
  Stats stats;
  stats.keys = base_->keys.size() + inserted_.size() - deleted_.size();
  stats.delta = inserted_.size() + deleted_.size();
  stats.segments = base_->model.segment_count();
  stats.epsilon = options_.epsilon;
  stats.model_bytes = base_->model.SizeBytes();
  stats.total_bytes = stats.model_bytes + base_->keys.capacity() * sizeof(uint64_t) +
                      base_->payloads.capacity() * sizeof(uint64_t) + stats.delta * kTreeNodeBytes;
  return stats;
}

size_t UpdatableIndex::size() const {
  std::shared_lock lock(mu_);
  return base_->keys.size() + inserted_.size() - deleted_.size();
}

size_t UpdatableIndex::delta_size() const {
  std::shared_lock lock(mu_);
  return inserted_.size() + deleted_.size();
}

void UpdatableIndex::Merge() {
  // 1. Snapshot under a shared lock: the base pointer and copies of the delta.
  std::shared_ptr<const Base> old_base;
  EntrySet inserted, deleted;
  {
    std::shared_lock lock(mu_);
    old_base = base_;
    inserted = inserted_;
    deleted = deleted_;
  }
  // 2. Build the merged base without any lock.
  std::vector<Entry> merged;
  merged.reserve(old_base->keys.size() + inserted.size());
  auto ins = inserted.begin();
  auto tomb = deleted.begin();
  for (size_t i = 0; i < old_base->keys.size(); ++i) {
    Entry e{old_base->keys[i], old_base->payloads[i]};
    while (ins != inserted.end() && *ins < e) merged.push_back(*ins++);
    while (tomb != deleted.end() && *tomb < e) ++tomb;
    if (tomb != deleted.end() && *tomb == e) {
      ++tomb;
      continue;
    }
    merged.push_back(e);
  }
  merged.insert(merged.end(), ins, inserted.end());
  auto new_base = BuildBase(std::move(merged), options_);
  // 3. Swap under the exclusive lock, keeping changes that arrived during step 2.
  std::unique_lock lock(mu_);
  if (base_ != old_base) return;  // another merge won; its base already has our snapshot
  for (const Entry& e : inserted) {
    auto it = inserted_.find(e);
    if (it != inserted_.end()) {
      inserted_.erase(it);  // now in the new base
    } else {
      deleted_.insert(e);  // erased during the build, but the new base has it: tombstone it
    }
  }
  for (const Entry& e : deleted) deleted_.erase(deleted_.find(e));  // only Merge removes these
  base_ = std::move(new_base);
}

}  // namespace augur::learned
