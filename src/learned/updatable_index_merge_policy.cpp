// updatable_index_merge_policy.cpp: when UpdatableIndex folds and merges, and on which thread.
// A full buffer starts a fold (on the inserting thread, or on a background one, which lets the
// buffer grow meanwhile up to kMaxBufferLimits limits); `young` is folded into `recent` once it
// reaches YoungLimit(); a merge into the base pays once the delta reaches a quarter of the base
// (NeedsMerge), and in the background mode a fold that leaves it so starts one. How a fold or a
// merge is done is in updatable_index_merge.cpp.
#include <algorithm>
#include <cmath>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include "learned/updatable_index.h"

namespace augur::learned {
namespace {

// `recent` is folded into the base once it holds this fraction of the base's entries.
constexpr size_t kBaseToRecentRatio = 4;

}  // namespace

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

bool UpdatableIndex::NeedsMerge() const {
  std::shared_lock lock(mu_);
  return DeltaSizeLocked() >= std::max(updatable_.buffer_limit, base_->size() / kBaseToRecentRatio);
}

void UpdatableIndex::Fold() {
  {
    std::lock_guard fold(fold_mu_);
    FoldHoldingFoldLock(/*into_recent=*/false);
  }
  fold_running_.store(false);
  if (updatable_.background && NeedsMerge()) StartMerge();
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

void UpdatableIndex::WaitForBackgroundWork() {
  {
    std::lock_guard lock(thread_mu_);
    if (fold_thread_.joinable()) fold_thread_.join();
  }
  // After the fold: it may have started this merge.
  std::lock_guard lock(merge_thread_mu_);
  if (merge_thread_.joinable()) merge_thread_.join();
}

}  // namespace augur::learned
