// updatable_index.h: a learned index that takes inserts and deletes.
//
// Entries are (key, payload) pairs, e.g. (encoded column value, row id); a key may repeat. The
// entries live in five parts, newest last, like a small log-structured merge tree:
//   - base: a GappedRun (gapped_run.h): the entries at the slots a LearnedIndex predicts for
//     them, with a few free slots among them, so that a lookup reads one or two cache lines;
//     immutable once built and shared through a shared_ptr, so that Merge() can replace it while
//     readers finish on the old one;
//   - recent: a GappedRun too, holding inserts folded out of the buffer; it can reach a quarter
//     of the base (see NeedsMerge()), and then a fifth of the lookups end there;
//   - young: an immutable dense sorted run (keys and payloads, with a LearnedIndex), the newest
//     folded inserts; it is rebuilt at every fold of the buffer, and stays small (see Fold());
//   - folding: a full buffer being folded into `young` (read-only while that runs, which is on
//     the inserting thread, or on a background one with Options::background);
//   - buffer: the newest inserts, in an EntryMultiset (sorted blocks of 64 entries under a
//     directory, entry_multiset.h) small enough to stay in the L2 cache (kDefaultBufferLimit
//     entries), so an insert costs a few cache hits rather than a miss per tree level of one
//     large delta. (An Abseil B-tree held it before: inserts into the index ran 1.3-1.55x
//     faster side by side with the blocks, 5M into 5M with background folds.)
// Deletes remove an entry from the buffer, or add a tombstone that cancels one copy in base,
// recent, young or folding. When the buffer fills, the inserting thread freezes it (O(1),
// under the lock), merges it with `young` into a new run and model without the lock, and swaps
// that in; once `young` has grown to YoungLimit(), the fold merges buffer and `young` into
// `recent` instead and empties `young`. Merge() first folds the buffer and `young` into
// `recent`, then builds base and `recent` into a new base without any lock and swaps it in;
// folds go on meanwhile, into `young` only (a merge at 10M entries takes 0.1-0.3 s, during which
// a buffer that could not fold grew to 500K entries, and inserts into it slowed down).
// NeedsMerge() says when the delta has grown enough for a merge to pay. Measured in
// bench_index's insert workload.
//
// Thread safety: every method may be called from any thread; lookups run concurrently with each
// other, writers take the lock exclusively for the duration of the change. FindAny reads the
// base, `recent` and `young` runs without the lock while no tombstones exist (replaced runs are
// freed through EpochReclaimer), so point lookups overlap each other's cache misses.
//
// The code is in three files: updatable_index.cpp (the operations above),
// updatable_index_merge_policy.cpp (when folds and merges run, and on which thread) and
// updatable_index_merge.cpp (how: merging runs, laying them out, swapping them in, retiring the
// replaced ones).
#pragma once

#include <absl/container/btree_set.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "learned/entry_multiset.h"
#include "learned/gapped_run.h"
#include "learned/huge_page_allocator.h"
#include "learned/learned_index.h"
#include "learned/writer_first_mutex.h"

namespace augur::learned {

struct UpdatableIndexOptions {
  // Inserts collected in the buffer before they are folded into the `recent` run: 64K entries
  // (~1.5 MB) stay in a 2-4 MB L2 cache.
  static constexpr size_t kDefaultBufferLimit = 64 * 1024;
  size_t buffer_limit = kDefaultBufferLimit;  // tests pass small ones to exercise folding
  // Fold full buffers, and merge into the base when NeedsMerge(), on background threads (one
  // for folds, one for a merge) instead of the inserting one: inserts then cost only the buffer
  // insert, on a machine with a core to spare. Off: the inserting thread folds, and the caller
  // merges.
  bool background = false;
  // Slots per entry in the base and `recent` (GappedRun): the more, the fewer entries pushed past
  // their predicted slot. Measured on 10M uniform and lognormal keys in the base, dependent
  // lookups side by side in one process (2026-11-27), with total bytes per key:
  //   gap 1.0: 183-193 ns (16.5 B; entries queue behind each other)
  //   gap 1.1: 169-170 ns (17.8 B)    gap 1.15: 162-168 ns (18.6 B)
  //   gap 1.2: 159-163 ns (19.4 B)    gap 1.3:  156-166 ns (21.0 B)
  // (a dense base, before: 193-200 ns at 16.0 B). 1.2 is the most the 20-bytes-per-key goal
  // allows.
  double base_gap = 1.2;
};

class UpdatableIndex {
 public:
  using Entry = std::pair<uint64_t, uint64_t>;  // (key, payload)

  using Options = UpdatableIndexOptions;
  static constexpr size_t kDefaultBufferLimit = UpdatableIndexOptions::kDefaultBufferLimit;

  // `entries` need not be sorted.
  explicit UpdatableIndex(std::vector<Entry> entries = {}, LearnedIndexOptions options = {},
                          Options updatable = {});
  ~UpdatableIndex();
  UpdatableIndex(const UpdatableIndex&) = delete;
  UpdatableIndex& operator=(const UpdatableIndex&) = delete;

  void Insert(uint64_t key, uint64_t payload);
  // Inserts every entry under one lock acquisition (a chunk of appended rows).
  void InsertBatch(std::span<const Entry> entries);
  // Removes one entry equal to (key, payload); false when there is none.
  bool Erase(uint64_t key, uint64_t payload);

  // Payloads of all entries with lo <= key <= hi, ordered by (key, payload).
  std::vector<Entry> Range(uint64_t lo, uint64_t hi) const;
  std::vector<uint64_t> Find(uint64_t key) const;
  // One payload stored under `key`, if any (for a key that repeats, not necessarily the
  // smallest): a point lookup that allocates nothing and stops at the first part holding the key.
  std::optional<uint64_t> FindAny(uint64_t key) const;
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
  // Whether the delta has grown to a quarter of the base (and past the buffer limit): from there
  // a lookup's probe of `recent` costs about as much as one of the base.
  bool NeedsMerge() const;
  // Waits until no background fold or merge runs (benchmarks, tests).
  void WaitForBackgroundWork();

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
  // An immutable dense sorted run with its model (young_, and what folds and merges build).
  // Its arrays are backed by 2 MB pages: see huge_page_allocator.h.
  struct Run {
    using Array = std::vector<uint64_t, HugePageAllocator<uint64_t>>;
    Array keys;
    Array payloads;  // sorted by (key, payload) together with keys
    LearnedIndex model;
    size_t size() const { return keys.size(); }
  };
  // The buffer and a frozen buffer: bounded by the buffer limit (see InsertBatch), where the
  // blocks' flat directory is fast.
  using EntrySet = EntryMultiset;
  // Tombstones: unbounded between merges (a bulk delete during a long merge), so a B-tree
  // (Debian's libabsl-dev), whose inserts stay O(log n) at any size; deletes are not the path
  // the blocks were made for.
  using TombstoneSet = absl::btree_multiset<Entry>;

  static std::shared_ptr<const Run> BuildRun(std::vector<Entry> sorted_entries,
                                             LearnedIndexOptions options);
  // `run` laid out in gaps, with its model (for base_ or recent_).
  std::shared_ptr<const GappedRun> LayOut(const Run& run) const;
  // Whether gapped runs can be laid out as their entries come (GappedRun::Builder): a size
  // budget and the optimal segmentation need every key stored densely first.
  bool LaysOutAsEntriesCome() const {
    return !options_.optimal_segmentation && options_.max_bytes_per_key <= 0;
  }
  // Sorted entries laid out in gaps (the base a constructor is given).
  std::shared_ptr<const GappedRun> LayOutSorted(std::vector<Entry> sorted_entries) const;
  // The entries of sources a and b (see DenseSource and GappedSource in the .cpp) merged with
  // `added`, minus one copy per entry of `cancelled`, as a dense run with its model.
  template <typename SourceA, typename SourceB>
  Run MergeRuns(SourceA a, SourceB b, const EntrySet& added, const TombstoneSet& cancelled) const;
  // The same entries laid out in gaps (for base_ or recent_), as the merge produces them when
  // the options allow (GappedRun::Builder), else through a dense run.
  template <typename SourceA, typename SourceB>
  std::shared_ptr<const GappedRun> MergeGapped(SourceA a, SourceB b, const EntrySet& added,
                                               const TombstoneSet& cancelled) const;
  // The size `young` may reach before a fold merges it into `recent`. Each fold copies `young`
  // (young/2 entries on average, per buffer of inserts), and each fold into `recent` copies
  // `recent` (base/(2 * kBaseToRecentRatio) on average, per `young` limit of inserts): the sum
  // of copies per insert is least at sqrt(buffer_limit * base / kBaseToRecentRatio), about 5
  // copies for a 5M-entry base where a single `recent` run took about 10. Measured, 5M uniform
  // or lognormal inserts into 5M with background folds: the folds' time fell from 0.67-0.68 s
  // to 0.39-0.41 s.
  size_t YoungLimit(size_t base_size) const;
  // base_ and recent_, older first. Lock held.
  std::array<const GappedRun*, 2> GappedRunsLocked() const { return {base_.get(), recent_.get()}; }
  // Copies of (key, payload) in base, recent, young and folding, not counting tombstones. Lock
  // held.
  size_t ImmutableCopies(const Entry& entry) const;
  // Called by a writer whose insert filled the buffer to `buffered` entries (mu_ released):
  // starts a fold unless one is running, here or in the background. A background fold that
  // runs lets the buffer grow meanwhile, up to kMaxBufferLimits limits; a writer past that
  // waits for the fold to end.
  void StartFold(size_t buffered);
  // How many buffer limits a buffer may reach while a background fold runs. The blocks'
  // directory costs an insert more the larger it gets (entry_multiset.h): at 8 limits (512K
  // entries by default, ~12K blocks) a block split shifts about 140 KB of it. A fold at 10M entries
  // takes a few to 50 ms, during which 5M inserts/s add up to 250K entries; the B-tree buffer
  // before reached 2.6 limits in that workload.
  static constexpr size_t kMaxBufferLimits = 8;
  // FoldHoldingFoldLock() under fold_mu_; then, in the background mode, StartMerge() if
  // NeedsMerge().
  void Fold();
  // Moves the buffer into `folding_` and merges it into `young_`, or with `young_` into
  // `recent_` when `into_recent` or when `young_` is full and no merge is reading `recent_`.
  void FoldHoldingFoldLock(bool into_recent);
  // Starts a merge on its own thread unless one runs: folds go on beside it.
  void StartMerge();
  void MergeHoldingMergeLock();
  // FindAny in base, recent and young without mu_ (see epoch_reclaimer.h); nullopt when the key is
  // not there or tombstones exist, and then FindAny takes the lock.
  std::optional<uint64_t> FindAnyUnlocked(uint64_t key) const;
  // Replaces base_, recent_ or young_ (mu_ held exclusively) and the pointer lock-free readers
  // load, and returns the old run, for Retire() once mu_ is released (freeing a run under the lock
  // would hold up inserts).
  template <typename R>
  static std::shared_ptr<const R> Publish(std::shared_ptr<const R>& slot,
                                          std::atomic<const R*>& view,
                                          std::shared_ptr<const R> run) {
    view.store(run.get(), std::memory_order_release);
    return std::exchange(slot, std::move(run));
  }
  // Frees `run` once no lock-free reader can hold it.
  static void Retire(std::shared_ptr<const void> run);
  void AddTombstone(const Entry& entry);  // mu_ held exclusively
  size_t SizeLocked() const;              // size(), with mu_ held
  size_t DeltaSizeLocked() const;

  LearnedIndexOptions options_;
  Options updatable_;
  std::atomic<bool> fold_running_{false};
  std::atomic<bool> merge_running_{false};
  std::mutex thread_mu_;        // guards fold_thread_
  std::thread fold_thread_;     // the background mode's last fold
  std::mutex merge_thread_mu_;  // guards merge_thread_
  std::thread merge_thread_;    // the background mode's last merge
  // Lock order: merge_mu_, fold_mu_, mu_.
  std::mutex merge_mu_;          // one merge at a time
  std::mutex fold_mu_;           // one fold at a time, or a merge's first step
  mutable WriterFirstMutex mu_;  // writers must not starve behind a stream of lookups
  // Set (under mu_) while a merge builds a base from recent_: folds then leave recent_ as it is.
  bool merging_ = false;
  std::shared_ptr<const Run> empty_run_;           // what young_ holds when it is empty
  std::shared_ptr<const GappedRun> empty_gapped_;  // what recent_ holds when it is empty
  std::shared_ptr<const GappedRun> base_;
  std::shared_ptr<const GappedRun> recent_;
  std::shared_ptr<const Run> young_;
  EntrySet folding_;      // modified only under mu_ exclusively, while fold_mu_ is held
  EntrySet buffer_;       // the newest inserts
  TombstoneSet deleted_;  // each cancels one copy in base_, recent_, young_ or folding_
  // For FindAnyUnlocked: base_, recent_ and young_ as raw pointers, deleted_.size(), and the number
  // of tombstones ever added (a lookup that saw none added while it ran needs no tombstone check).
  std::atomic<const GappedRun*> base_view_{nullptr};
  std::atomic<const GappedRun*> recent_view_{nullptr};
  std::atomic<const Run*> young_view_{nullptr};
  std::atomic<size_t> tombstone_count_{0};
  std::atomic<uint64_t> tombstones_added_{0};
};

}  // namespace augur::learned
