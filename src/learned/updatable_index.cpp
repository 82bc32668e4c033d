// updatable_index.cpp: UpdatableIndex's operations: construction, inserts and deletes into the
// buffer and tombstones, and the lookups (Range, Find, FindAny, Edge, Count) that read base,
// `recent`, `young`, the folding and the live buffer minus the tombstones; sizes and statistics.
// Folds and merges: when in updatable_index_merge_policy.cpp, how in updatable_index_merge.cpp.
#include "learned/updatable_index.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <shared_mutex>

#include "learned/epoch_reclaimer.h"
#include "learned/last_mile.h"

namespace augur::learned {
namespace {

using Entry = UpdatableIndex::Entry;

}  // namespace

UpdatableIndex::UpdatableIndex(std::vector<Entry> entries, LearnedIndexOptions options,
                               Options updatable)
    : options_(options), updatable_(updatable) {
  updatable_.buffer_limit = std::max<size_t>(updatable_.buffer_limit, 1);
  if (!std::is_sorted(entries.begin(), entries.end())) std::sort(entries.begin(), entries.end());
  empty_run_ = BuildRun({}, options_);
  Retire(Publish(base_, base_view_, LayOutSorted(std::move(entries))));
  empty_gapped_ = std::make_shared<const GappedRun>();
  Retire(Publish(recent_, recent_view_, empty_gapped_));
  Retire(Publish(young_, young_view_, empty_run_));
}

UpdatableIndex::~UpdatableIndex() {
  WaitForBackgroundWork();
  base_.reset();
  recent_.reset();
  young_.reset();
  EpochReclaimer::Instance().Collect();  // runs this index retired, unless a reader still runs
}

void UpdatableIndex::Insert(uint64_t key, uint64_t payload) {
  const Entry entry{key, payload};
  InsertBatch(std::span<const Entry>(&entry, 1));
}

void UpdatableIndex::InsertBatch(std::span<const Entry> entries) {
  // A buffer's worth at a time, each followed by a fold when the buffer is full: however long
  // the batch, the buffer stays near its limit.
  for (size_t at = 0; at < entries.size(); at += updatable_.buffer_limit) {
    size_t buffered = 0;
    {
      std::unique_lock lock(mu_);
      for (const Entry& entry :
           entries.subspan(at, std::min(updatable_.buffer_limit, entries.size() - at))) {
        buffer_.insert(entry);
      }
      buffered = buffer_.size();
    }
    if (buffered >= updatable_.buffer_limit) StartFold(buffered);
  }
}

bool UpdatableIndex::Erase(uint64_t key, uint64_t payload) {
  std::unique_lock lock(mu_);
  Entry entry{key, payload};
  auto it = buffer_.find(entry);
  if (it != buffer_.end()) {
    buffer_.erase(it);
    return true;
  }
  if (ImmutableCopies(entry) <= deleted_.count(entry)) return false;
  AddTombstone(entry);
  return true;
}

void UpdatableIndex::AddTombstone(const Entry& entry) {
  // Counted before the entry can be missed: FindAnyUnlocked compares the count around its probe.
  tombstones_added_.fetch_add(1, std::memory_order_acq_rel);
  deleted_.insert(entry);
  tombstone_count_.store(deleted_.size(), std::memory_order_release);
}

namespace {

// [first, last) of the entries with lo <= key <= hi in a run.
template <typename Run>
std::pair<size_t, size_t> RunRange(const Run& run, uint64_t lo, uint64_t hi) {
  return run.model.EqualRange(run.keys, lo, hi);
}

template <typename Run>
void AppendRun(const Run& run, uint64_t lo, uint64_t hi, std::vector<Entry>& out) {
  auto [first, last] = RunRange(run, lo, hi);
  for (size_t i = first; i < last; ++i) out.emplace_back(run.keys[i], run.payloads[i]);
}

// The slots [first, last) of a gapped run whose entries have lo <= key <= hi (gaps included).
std::pair<size_t, size_t> GappedRange(const GappedRun& run, uint64_t lo, uint64_t hi) {
  const size_t first = run.LowerBound(lo);
  const size_t last = hi == UINT64_MAX ? run.end() : run.LowerBound(hi + 1);
  return {first, std::max(first, last)};
}

void AppendGapped(const GappedRun& run, uint64_t lo, uint64_t hi, std::vector<Entry>& out) {
  auto [first, last] = GappedRange(run, lo, hi);
  for (size_t s = run.NextEntry(first); s < last; s = run.NextEntry(s + 1)) {
    out.emplace_back(run.key(s), run.payload(s));
  }
}

template <typename Set>
auto SetRange(const Set& set, uint64_t lo, uint64_t hi) {
  auto begin = set.lower_bound(Entry{lo, 0});
  auto end = hi == UINT64_MAX ? set.end() : set.lower_bound(Entry{hi + 1, 0});
  return std::pair{begin, end};
}

std::vector<Entry> MergeSorted(const std::vector<Entry>& a, const std::vector<Entry>& b) {
  std::vector<Entry> out;
  out.reserve(a.size() + b.size());
  std::merge(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

}  // namespace

size_t UpdatableIndex::ImmutableCopies(const Entry& entry) const {
  size_t copies = folding_.count(entry);
  for (const GappedRun* run : GappedRunsLocked()) {
    for (size_t s = run->NextEntry(run->LowerBound(entry.first));
         s < run->end() && run->key(s) == entry.first; s = run->NextEntry(s + 1)) {
      copies += run->payload(s) == entry.second;
    }
  }
  for (size_t i = young_->model.LowerBound(young_->keys, entry.first);
       i < young_->size() && young_->keys[i] == entry.first; ++i) {
    copies += young_->payloads[i] == entry.second;
  }
  return copies;
}

std::vector<Entry> UpdatableIndex::Range(uint64_t lo, uint64_t hi) const {
  if (lo > hi) return {};
  std::shared_lock lock(mu_);
  // The immutable parts merged, minus one copy per tombstone, then merged with the buffer.
  std::vector<Entry> base, recent, young;
  AppendGapped(*base_, lo, hi, base);
  AppendGapped(*recent_, lo, hi, recent);
  AppendRun(*young_, lo, hi, young);
  std::vector<Entry> immutable = MergeSorted(base, recent);
  if (!young.empty()) immutable = MergeSorted(immutable, young);
  if (!folding_.empty()) {
    auto [begin, end] = SetRange(folding_, lo, hi);
    immutable = MergeSorted(immutable, std::vector<Entry>(begin, end));
  }
  if (!deleted_.empty()) {
    auto [begin, end] = SetRange(deleted_, lo, hi);
    std::vector<Entry> live;
    live.reserve(immutable.size());
    std::set_difference(immutable.begin(), immutable.end(), begin, end, std::back_inserter(live));
    immutable.swap(live);
  }
  auto [begin, end] = SetRange(buffer_, lo, hi);
  if (begin == end) return immutable;
  return MergeSorted(immutable, std::vector<Entry>(begin, end));
}

std::vector<uint64_t> UpdatableIndex::Find(uint64_t key) const {
  std::vector<uint64_t> payloads;
  for (auto& [k, payload] : Range(key, key)) payloads.push_back(payload);
  return payloads;
}

namespace {

constexpr size_t kMissing = SIZE_MAX;

// The position of `key` in `run`, or kMissing. Only the predicted window is searched: a present
// key is always in it, and a key that lives in another part must not cost a widened search. The
// payloads are a second array: their lines around the prediction are requested first, so that
// their miss overlaps the keys' instead of following it (10M uniform keys, all in the base:
// 335 -> 282 ns per dependent lookup). Inlined, and a position rather than an optional payload:
// the optional through a loop over the runs cost ~25 ns per lookup (10M uniform keys).
template <typename Run>
[[gnu::always_inline]] inline size_t PositionInRun(const Run& run, uint64_t key) {
  auto [first, last] = run.model.PredictedWindow(key);
  const char* line = reinterpret_cast<const char*>(run.payloads.data() + first);
  const char* end = reinterpret_cast<const char*>(run.payloads.data() + last);
  for (; line < end; line += 64) __builtin_prefetch(line);
  const size_t i = LowerBoundIn(run.keys.data(), first, last, key);
  return i < last && run.keys[i] == key ? i : kMissing;
}

}  // namespace

std::optional<uint64_t> UpdatableIndex::FindAnyUnlocked(uint64_t key) const {
  const uint64_t added = tombstones_added_.load(std::memory_order_acquire);
  if (tombstone_count_.load(std::memory_order_acquire) != 0) return std::nullopt;
  auto guard = EpochReclaimer::Instance().Enter();
  // Base first: after a merge most entries are there. A run replaced meanwhile is still valid
  // to read (the guard keeps it), and what it holds was in the index when it was loaded.
  uint64_t payload;
  const GappedRun* run = base_view_.load(std::memory_order_acquire);
  size_t slot = run->Find(key);
  if (slot == GappedRun::kNotFound) {
    run = recent_view_.load(std::memory_order_acquire);
    slot = run->Find(key);
  }
  if (slot != GappedRun::kNotFound) {
    payload = run->payload(slot);
  } else {
    const Run* young = young_view_.load(std::memory_order_acquire);
    const size_t i = PositionInRun(*young, key);
    if (i == kMissing) return std::nullopt;
    payload = young->payloads[i];
  }
  // No tombstone existed before the probe; if none was added during it, the entry was live when
  // its run was loaded.
  std::atomic_thread_fence(std::memory_order_acquire);
  if (tombstones_added_.load(std::memory_order_relaxed) != added) return std::nullopt;
  return payload;
}

std::optional<uint64_t> UpdatableIndex::FindAny(uint64_t key) const {
  if (auto payload = FindAnyUnlocked(key)) return payload;
  std::shared_lock lock(mu_);
  if (!deleted_.empty() || !folding_.empty()) {  // the general path: tombstones to apply
    lock.unlock();
    auto payloads = Find(key);
    if (payloads.empty()) return std::nullopt;
    return payloads.front();
  }
  // Oldest part first: after a merge most entries are in the base, so most lookups of present
  // keys end after one probe.
  for (const GappedRun* run : GappedRunsLocked()) {
    if (const size_t slot = run->Find(key); slot != GappedRun::kNotFound) return run->payload(slot);
  }
  if (const size_t i = PositionInRun(*young_, key); i != kMissing) return young_->payloads[i];
  auto it = buffer_.lower_bound(Entry{key, 0});
  if (it != buffer_.end() && it->first == key) return it->second;
  return std::nullopt;
}

namespace {

// A sorted source of entries walked in one direction.
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual bool Done() const = 0;
  virtual Entry Get() const = 0;
  virtual void Next() = 0;
};

template <typename Run>
class RunCursor final : public Cursor {
 public:
  RunCursor(const Run& run, bool reverse) : run_(run), reverse_(reverse) {}
  bool Done() const override { return j_ >= run_.size(); }
  Entry Get() const override {
    const size_t i = reverse_ ? run_.size() - 1 - j_ : j_;
    return {run_.keys[i], run_.payloads[i]};
  }
  void Next() override { ++j_; }

 private:
  const Run& run_;
  bool reverse_;
  size_t j_ = 0;
};

// A gapped run's entries, skipping its gaps.
class GappedCursor final : public Cursor {
 public:
  GappedCursor(const GappedRun& run, bool reverse)
      : run_(run),
        reverse_(reverse),
        slot_(reverse ? run.PrevEntry(run.end()) : run.NextEntry(0)) {}
  bool Done() const override { return slot_ >= run_.end(); }  // kNotFound is past the end too
  Entry Get() const override { return {run_.key(slot_), run_.payload(slot_)}; }
  void Next() override { slot_ = reverse_ ? run_.PrevEntry(slot_) : run_.NextEntry(slot_ + 1); }

 private:
  const GappedRun& run_;
  bool reverse_;
  size_t slot_;
};

template <typename It>
class SetCursor final : public Cursor {
 public:
  SetCursor(It begin, It end) : it_(begin), end_(end) {}
  bool Done() const override { return it_ == end_; }
  Entry Get() const override { return *it_; }
  void Next() override { ++it_; }

 private:
  It it_, end_;
};

// The next entry among `cursors` in the order `before` defines, or null when all are done.
template <typename Before>
Cursor* Smallest(const std::vector<Cursor*>& cursors, Before before) {
  Cursor* best = nullptr;
  for (Cursor* c : cursors) {
    if (!c->Done() && (!best || before(c->Get(), best->Get()))) best = c;
  }
  return best;
}

// The first n entries of (immutable parts minus tombstones) merged with the buffer, walking in
// the direction `before` orders (std::less: ascending, std::greater: descending), plus ties of
// the n-th key.
template <typename Before>
std::vector<Entry> TakeEdge(const std::vector<Cursor*>& immutable, Cursor& tombs, Cursor& buffer,
                            Before before, size_t n) {
  std::vector<Entry> out;
  while (true) {
    Cursor* from_immutable = nullptr;  // the next immutable entry no tombstone cancels
    while ((from_immutable = Smallest(immutable, before)) != nullptr) {
      const Entry e = from_immutable->Get();
      while (!tombs.Done() && before(tombs.Get(), e)) tombs.Next();
      if (tombs.Done() || tombs.Get() != e) break;
      tombs.Next();  // this copy was deleted
      from_immutable->Next();
    }
    Cursor* next = from_immutable;
    if (!buffer.Done() && (!next || before(buffer.Get(), next->Get()))) next = &buffer;
    if (next == nullptr) break;
    const Entry e = next->Get();
    if (out.size() >= n && e.first != out.back().first) break;
    out.push_back(e);
    next->Next();
  }
  return out;
}

template <typename Run, typename Set, typename Tombstones, typename Before>
std::vector<Entry> EdgeOf(const GappedRun& base, const GappedRun& recent, const Run& young,
                          const Set& folding, const Tombstones& deleted, const Set& buffer,
                          bool reverse, Before before, size_t n) {
  GappedCursor base_cursor(base, reverse), recent_cursor(recent, reverse);
  RunCursor<Run> young_cursor(young, reverse);
  if (reverse) {
    SetCursor folding_cursor(folding.rbegin(), folding.rend());
    SetCursor tombs(deleted.rbegin(), deleted.rend());
    SetCursor buffer_cursor(buffer.rbegin(), buffer.rend());
    return TakeEdge({&base_cursor, &recent_cursor, &young_cursor, &folding_cursor}, tombs,
                    buffer_cursor, before, n);
  }
  SetCursor folding_cursor(folding.begin(), folding.end());
  SetCursor tombs(deleted.begin(), deleted.end());
  SetCursor buffer_cursor(buffer.begin(), buffer.end());
  return TakeEdge({&base_cursor, &recent_cursor, &young_cursor, &folding_cursor}, tombs,
                  buffer_cursor, before, n);
}

}  // namespace

std::vector<Entry> UpdatableIndex::Edge(size_t n, bool largest) const {
  if (n == 0) return {};
  std::shared_lock lock(mu_);
  if (largest) {
    return EdgeOf(*base_, *recent_, *young_, folding_, deleted_, buffer_, true,
                  std::greater<Entry>(), n);
  }
  return EdgeOf(*base_, *recent_, *young_, folding_, deleted_, buffer_, false, std::less<Entry>(),
                n);
}

size_t UpdatableIndex::Count(uint64_t lo, uint64_t hi) const {
  if (lo > hi) return 0;
  std::shared_lock lock(mu_);
  auto run_count = [&](const Run& run) {
    auto [first, last] = RunRange(run, lo, hi);
    return last - first;
  };
  auto set_count = [&](const EntrySet& set) {
    auto [begin, end] = SetRange(set, lo, hi);
    return set.Distance(begin, end);
  };
  auto tombstone_count = [&](const TombstoneSet& set) {
    auto [begin, end] = SetRange(set, lo, hi);
    return static_cast<size_t>(std::distance(begin, end));
  };
  auto gapped_count = [&](const GappedRun& run) {
    auto [first, last] = GappedRange(run, lo, hi);
    return run.CountEntries(first, last);
  };
  return gapped_count(*base_) + gapped_count(*recent_) + run_count(*young_) + set_count(folding_) +
         set_count(buffer_) - tombstone_count(deleted_);
}

UpdatableIndex::Stats UpdatableIndex::GetStats() const {
  // A B-tree leaf holds up to ~15 entries of 16 bytes plus a small header; nodes are on
  // average about three quarters full after random inserts.
  constexpr size_t kTreeEntryBytes = 22;
  std::shared_lock lock(mu_);
  Stats stats;
  stats.keys = SizeLocked();
  stats.delta = DeltaSizeLocked();
  stats.segments = base_->model().segment_count();
  stats.epsilon = base_->model().epsilon();  // the built one: a size budget may have raised it
  stats.model_bytes = base_->ModelBytes() + recent_->ModelBytes() + young_->model.SizeBytes();
  stats.total_bytes = stats.model_bytes + base_->DataBytes() + recent_->DataBytes() +
                      (young_->keys.capacity() + young_->payloads.capacity()) * sizeof(uint64_t);
  stats.total_bytes +=
      folding_.MemoryBytes() + buffer_.MemoryBytes() + deleted_.size() * kTreeEntryBytes;
  return stats;
}

size_t UpdatableIndex::SizeLocked() const {
  return base_->size() + recent_->size() + young_->size() + folding_.size() + buffer_.size() -
         deleted_.size();
}

size_t UpdatableIndex::size() const {
  std::shared_lock lock(mu_);
  return SizeLocked();
}

size_t UpdatableIndex::DeltaSizeLocked() const {
  return recent_->size() + young_->size() + folding_.size() + buffer_.size() + deleted_.size();
}

size_t UpdatableIndex::delta_size() const {
  std::shared_lock lock(mu_);
  return DeltaSizeLocked();
}

}  // namespace augur::learned
