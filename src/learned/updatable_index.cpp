// updatable_index.cpp
#include "learned/updatable_index.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <shared_mutex>

#include "learned/epoch_reclaimer.h"
#include "learned/last_mile.h"

namespace augur::learned {
namespace {

using Entry = UpdatableIndex::Entry;

// `recent` is folded into the base once it holds this fraction of the base's entries.
constexpr size_t kBaseToRecentRatio = 4;

}  // namespace

namespace {

bool EntryBefore(uint64_t key, uint64_t payload, const Entry& entry) {
  return key < entry.first || (key == entry.first && payload < entry.second);
}

// A dense run's entries, read in order by the merge below.
class DenseSource {
 public:
  template <typename Run>
  explicit DenseSource(const Run& run)
      : keys_(run.keys.data()), payloads_(run.payloads.data()), size_(run.size()) {}

  size_t size() const { return size_; }
  bool Done() const { return i_ >= size_; }
  uint64_t Key() const { return keys_[i_]; }
  uint64_t Payload() const { return payloads_[i_]; }
  // Moves to the next entry when `step`: the merge decides without a branch.
  void Advance(bool step) { i_ += step; }
  // Writes the entries before `limit` (all when not kBounded) to out, from where the merge is.
  template <bool kBounded, typename Output>
  void CopyTail(const Entry& limit, Output& out) {
    const size_t end = kBounded ? SeekFrom(limit) : size_;
    out.WriteSpan(keys_ + i_, payloads_ + i_, end - i_);
    i_ = end;
  }

 private:
  // The first position p >= i_ with (keys_[p], payloads_[p]) >= entry: a galloping search,
  // since the merge asks for positions in increasing order.
  size_t SeekFrom(const Entry& entry) const {
    size_t from = i_, hi = i_;
    for (size_t step = 1; hi < size_ && keys_[hi] < entry.first; step *= 2) {
      from = hi + 1;
      hi = std::min(hi + step, size_);
    }
    size_t p = LowerBoundIn(keys_, from, std::min(hi, size_), entry.first);
    while (p < size_ && keys_[p] == entry.first && payloads_[p] < entry.second) ++p;
    return p;
  }

  const uint64_t* keys_;
  const uint64_t* payloads_;
  size_t size_;
  size_t i_ = 0;
};

// A gapped run's entries (the base or `recent`), read in order, skipping the gaps, by the merge
// below.
class GappedSource {
 public:
  explicit GappedSource(const GappedRun& run) : run_(run), slot_(run.NextEntry(0)) {}

  size_t size() const { return run_.size(); }
  bool Done() const { return slot_ >= run_.end(); }
  uint64_t Key() const { return run_.key(slot_); }
  uint64_t Payload() const { return run_.payload(slot_); }
  void Advance(bool step) {
    const size_t next = run_.NextEntry(slot_ + 1);  // cheaper than a mispredicted branch
    slot_ = step ? next : slot_;
  }
  template <bool kBounded, typename Output>
  void CopyTail(const Entry& limit, Output& out) {
    for (; !Done() && (!kBounded || EntryBefore(Key(), Payload(), limit));
         slot_ = run_.NextEntry(slot_ + 1)) {
      out.Write(Key(), Payload());
    }
  }

 private:
  const GappedRun& run_;
  size_t slot_;
};

// Merges two sorted runs with a few entries added (a buffer) and a few cancelled (tombstones).
// The two runs are merged by a branch-free loop: in a merge into the base, `recent` holds a
// quarter as many entries as the base and they interleave every few entries, where copying
// the larger run in spans between the other's entries (galloping to each) cost more than it
// saved. Measured on 5M + 1.25M uniform keys into a fresh array: 76-90 ms in spans, 47-55 ms
// with this loop (35 ms of which is the loop, the rest page faults). The added and cancelled
// entries are events that stop the loop: between two of them it compares only the runs' heads
// and the next event's entry (a branch that is almost never taken).
template <typename SourceA, typename SourceB, typename Output>
class RunMerger {
 public:
  RunMerger(SourceA a, SourceB b, Output& out) : a_(a), b_(b), out_(out) {}

  // Writes the runs' entries smaller than `limit`.
  void CopyBelow(const Entry& limit) { Copy<true>(limit); }
  void CopyRest() { Copy<false>(Entry{}); }
  // Skips one entry equal to `entry` at the head of either run (a tombstone's copy), if any.
  void Cancel(const Entry& entry) {
    if (AtHead(a_, entry)) {
      a_.Advance(true);
    } else if (AtHead(b_, entry)) {
      b_.Advance(true);
    }
  }
  void Write(uint64_t key, uint64_t payload) { out_.Write(key, payload); }

 private:
  template <typename Source>
  static bool AtHead(const Source& run, const Entry& entry) {
    return !run.Done() && run.Key() == entry.first && run.Payload() == entry.second;
  }

  template <bool kBounded>
  void Copy(const Entry& limit) {
    while (!a_.Done() && !b_.Done()) {
      const uint64_t ka = a_.Key(), pa = a_.Payload();
      const uint64_t kb = b_.Key(), pb = b_.Payload();
      const bool take_b = (kb < ka) | ((kb == ka) & (pb < pa));
      const uint64_t key = take_b ? kb : ka, payload = take_b ? pb : pa;
      if (kBounded && !EntryBefore(key, payload, limit)) return;
      Write(key, payload);
      b_.Advance(take_b);
      a_.Advance(!take_b);
    }
    a_.template CopyTail<kBounded>(limit, out_);
    b_.template CopyTail<kBounded>(limit, out_);
  }

  SourceA a_;
  SourceB b_;
  Output& out_;
};

// Where a merge writes a dense run: presized arrays.
class DenseOutput {
 public:
  DenseOutput(uint64_t* keys, uint64_t* payloads) : keys_(keys), payloads_(payloads) {}
  void Write(uint64_t key, uint64_t payload) {
    keys_[written_] = key;
    payloads_[written_] = payload;
    ++written_;
  }
  void WriteSpan(const uint64_t* keys, const uint64_t* payloads, size_t n) {
    std::copy(keys, keys + n, keys_ + written_);
    std::copy(payloads, payloads + n, payloads_ + written_);
    written_ += n;
  }
  size_t written() const { return written_; }

 private:
  uint64_t* keys_;
  uint64_t* payloads_;
  size_t written_ = 0;
};

// Where a merge writes a gapped run laid out as the entries come.
class BuilderOutput {
 public:
  explicit BuilderOutput(GappedRun::Builder& builder) : builder_(builder) {}
  void Write(uint64_t key, uint64_t payload) { builder_.Add(key, payload); }
  void WriteSpan(const uint64_t* keys, const uint64_t* payloads, size_t n) {
    for (size_t i = 0; i < n; ++i) builder_.Add(keys[i], payloads[i]);
  }

 private:
  GappedRun::Builder& builder_;
};

// The entries of `set` (sorted) as a run's arrays, without a model.
template <typename Run, typename Set>
Run FlatRun(const Set& set) {
  Run run;
  run.keys.reserve(set.size());
  run.payloads.reserve(set.size());
  for (const auto& [key, payload] : set) {
    run.keys.push_back(key);
    run.payloads.push_back(payload);
  }
  return run;
}

// Writes to `out`, in (key, payload) order, the entries of sources `a` and `b` minus one copy
// per tombstone in [tomb, tomb_end), merged with the entries of [extra, extra_end) (which no
// tombstone cancels).
template <typename SourceA, typename SourceB, typename Output, typename ExtraIt, typename TombIt>
void MergeInto(SourceA a, SourceB b, ExtraIt extra, ExtraIt extra_end, TombIt tomb, TombIt tomb_end,
               Output& out) {
  RunMerger merger(a, b, out);
  while (extra != extra_end || tomb != tomb_end) {
    // A tombstone goes before an equal added entry: it cancels a copy in the runs, not that one.
    if (tomb != tomb_end && (extra == extra_end || *tomb <= *extra)) {
      merger.CopyBelow(*tomb);
      merger.Cancel(*tomb++);
    } else {
      merger.CopyBelow(*extra);
      merger.Write(extra->first, extra->second);
      ++extra;
    }
  }
  merger.CopyRest();
}

}  // namespace

std::shared_ptr<const UpdatableIndex::Run> UpdatableIndex::BuildRun(
    std::vector<Entry> sorted_entries, LearnedIndexOptions options) {
  auto run = std::make_shared<Run>(FlatRun<Run>(sorted_entries));
  run->model = LearnedIndex::Build(run->keys, options);
  return run;
}

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

std::shared_ptr<const GappedRun> UpdatableIndex::LayOut(const Run& run) const {
  return std::make_shared<const GappedRun>(
      GappedRun::Build(run.keys, run.payloads, run.model, updatable_.base_gap));
}

std::shared_ptr<const GappedRun> UpdatableIndex::LayOutSorted(
    std::vector<Entry> sorted_entries) const {
  if (!LaysOutAsEntriesCome()) return LayOut(*BuildRun(std::move(sorted_entries), options_));
  GappedRun::Builder builder(options_, updatable_.base_gap, sorted_entries.size());
  for (const auto& [key, payload] : sorted_entries) builder.Add(key, payload);
  return std::make_shared<const GappedRun>(builder.Finish());
}

void UpdatableIndex::Retire(std::shared_ptr<const void> run) {
  if (run != nullptr) EpochReclaimer::Instance().Retire(std::move(run));
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

UpdatableIndex::~UpdatableIndex() {
  WaitForBackgroundWork();
  base_.reset();
  recent_.reset();
  young_.reset();
  EpochReclaimer::Instance().Collect();  // runs this index retired, unless a reader still runs
}

void UpdatableIndex::WaitForBackgroundWork() {
  {
    std::lock_guard lock(thread_mu_);
    if (fold_thread_.joinable()) fold_thread_.join();
  }
  // After the fold: it may have started this merge.
  std::lock_guard lock(merge_thread_mu_);
  if (merge_thread_.joinable()) merge_thread_.join();
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

void UpdatableIndex::StartFold(size_t buffered) {
  // While a fold runs the buffer stays over its limit and every insert gets here: a plain load
  // first spares those inserts a locked exchange.
  if (fold_running_.load(std::memory_order_relaxed) || fold_running_.exchange(true)) {
    // The running fold takes this buffer next time. Past the cap, wait for it: it holds
    // fold_mu_ until its work is done (a merge's first step holds it too, as briefly).
    if (buffered >= kMaxBufferLimits * updatable_.buffer_limit) {
      std::lock_guard wait_for_fold(fold_mu_);
    }
    return;
  }
  if (!updatable_.background) {
    Fold();
    return;
  }
  std::lock_guard lock(thread_mu_);
  // The previous thread cleared fold_running_ as its last act, so this join is short.
  if (fold_thread_.joinable()) fold_thread_.join();
  fold_thread_ = std::thread([this] { Fold(); });
}

size_t UpdatableIndex::YoungLimit(size_t base_size) const {
  const double limit = std::sqrt(static_cast<double>(updatable_.buffer_limit) *
                                 static_cast<double>(base_size) / kBaseToRecentRatio);
  return std::max(updatable_.buffer_limit, static_cast<size_t>(limit));
}

template <typename SourceA, typename SourceB>
UpdatableIndex::Run UpdatableIndex::MergeRuns(SourceA a, SourceB b, const EntrySet& added,
                                              const TombstoneSet& cancelled) const {
  Run run;
  const size_t total = a.size() + b.size() + added.size();
  run.keys.resize(total);  // uninitialised: see HugePageAllocator::construct
  run.payloads.resize(total);
  DenseOutput out(run.keys.data(), run.payloads.data());
  MergeInto(a, b, added.begin(), added.end(), cancelled.begin(), cancelled.end(), out);
  run.keys.resize(out.written());  // fewer when tombstones cancelled copies
  run.payloads.resize(out.written());
  run.model = LearnedIndex::Build(run.keys, options_);
  return run;
}

template <typename SourceA, typename SourceB>
std::shared_ptr<const GappedRun> UpdatableIndex::MergeGapped(SourceA a, SourceB b,
                                                             const EntrySet& added,
                                                             const TombstoneSet& cancelled) const {
  if (!LaysOutAsEntriesCome()) return LayOut(MergeRuns(a, b, added, cancelled));
  GappedRun::Builder builder(options_, updatable_.base_gap, a.size() + b.size() + added.size());
  BuilderOutput out(builder);
  MergeInto(a, b, added.begin(), added.end(), cancelled.begin(), cancelled.end(), out);
  return std::make_shared<const GappedRun>(builder.Finish());
}

void UpdatableIndex::Fold() {
  {
    std::lock_guard fold(fold_mu_);
    FoldHoldingFoldLock(/*into_recent=*/false);
  }
  fold_running_.store(false);
  if (updatable_.background && NeedsMerge()) StartMerge();
}

void UpdatableIndex::FoldHoldingFoldLock(bool into_recent) {
  std::shared_ptr<const GappedRun> recent;
  std::shared_ptr<const Run> young;
  bool promote = into_recent;
  {
    // Freeze: readers see the same entries in `folding_` instead of `buffer_`.
    std::unique_lock lock(mu_);
    folding_.swap(buffer_);
    recent = recent_;
    young = young_;
    promote =
        into_recent || (!merging_ && young->size() + folding_.size() >= YoungLimit(base_->size()));
  }
  // With fold_mu_ held nobody else changes folding_, young_ or recent_: only a fold changes
  // them, and a merge only through its first step, a fold too. (A merge's later steps read
  // recent_; merging_ then keeps folds from promoting.)
  const EntrySet none;
  const TombstoneSet no_tombstones;
  // Into `young`, the folded entries are laid out as a run first, so that the branch-free merge
  // takes both (as events they cost a galloping search each: the folds of 5M inserts into 5M
  // took 0.58-1.10 s this way against 0.68-1.27 s: 0-25% less in each of 10 pairs of runs).
  std::shared_ptr<const GappedRun> next_recent;
  std::shared_ptr<const Run> next_young;
  if (promote) {
    next_recent = MergeGapped(GappedSource(*recent), DenseSource(*young), folding_, no_tombstones);
  } else {
    const Run folded_run = FlatRun<Run>(folding_);
    next_young = std::make_shared<const Run>(
        MergeRuns(DenseSource(*young), DenseSource(folded_run), none, no_tombstones));
  }
  // All freed after the lock is released: a 64K-entry buffer's blocks, or a run, take a while.
  EntrySet folded;
  std::shared_ptr<const GappedRun> replaced_recent;
  std::shared_ptr<const Run> replaced_young;
  {
    std::unique_lock lock(mu_);
    // Tombstones cancel copies of the union of base, recent, young and folding, which this
    // leaves as it was: no tombstone needs to change.
    if (promote) {
      replaced_recent = Publish(recent_, recent_view_, std::move(next_recent));
      replaced_young = Publish(young_, young_view_, empty_run_);
    } else {
      replaced_young = Publish(young_, young_view_, std::move(next_young));
    }
    folding_.swap(folded);
  }
  Retire(std::move(replaced_recent));
  Retire(std::move(replaced_young));
}

void UpdatableIndex::StartMerge() {
  if (merge_running_.load(std::memory_order_relaxed) || merge_running_.exchange(true)) return;
  std::lock_guard lock(merge_thread_mu_);
  // The previous thread cleared merge_running_ as its last act, so this join is short.
  if (merge_thread_.joinable()) merge_thread_.join();
  merge_thread_ = std::thread([this] {
    Merge();
    merge_running_.store(false);
  });
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

bool UpdatableIndex::NeedsMerge() const {
  std::shared_lock lock(mu_);
  return DeltaSizeLocked() >= std::max(updatable_.buffer_limit, base_->size() / kBaseToRecentRatio);
}

void UpdatableIndex::Merge() {
  std::lock_guard merge(merge_mu_);
  MergeHoldingMergeLock();
}

void UpdatableIndex::MergeHoldingMergeLock() {
  // 1. Fold the buffer and young into recent, and take the base, recent and the tombstones
  // (which all cancel copies in base or recent now). From here on folds go on beside the merge,
  // into young only.
  std::shared_ptr<const GappedRun> old_base, old_recent;
  TombstoneSet deleted;
  {
    std::lock_guard fold(fold_mu_);
    FoldHoldingFoldLock(/*into_recent=*/true);
    std::unique_lock lock(mu_);
    merging_ = true;
    old_base = base_;
    old_recent = recent_;
    deleted = deleted_;
  }
  // 2. Build the merged base without any lock.
  const EntrySet none;
  auto new_base = MergeGapped(GappedSource(*old_base), GappedSource(*old_recent), none, deleted);
  // 3. Swap under the exclusive lock. Tombstones added meanwhile stay: the entries they cancel
  // are now in the new base, or in young or folding.
  std::unique_lock lock(mu_);
  for (const Entry& e : deleted) deleted_.erase(deleted_.find(e));  // only Merge removes these
  auto replaced_base = Publish(base_, base_view_, std::move(new_base));
  auto replaced_recent = Publish(recent_, recent_view_, empty_gapped_);
  merging_ = false;
  // Only now may the count drop: a lock-free reader that sees it fall to zero must also see the
  // new base, or it would find entries whose tombstones this merge consumed in the old one.
  tombstone_count_.store(deleted_.size(), std::memory_order_release);
  lock.unlock();
  Retire(std::move(replaced_base));
  Retire(std::move(replaced_recent));
}

}  // namespace augur::learned
