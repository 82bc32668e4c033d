// epoch_reclaimer.cpp
#include "learned/epoch_reclaimer.h"

#include <algorithm>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace augur::learned {
namespace {

#if defined(__linux__)
long Membarrier(int command) { return syscall(SYS_membarrier, command, 0, 0); }
#endif

}  // namespace

thread_local EpochReclaimer::SlotReturn EpochReclaimer::slot_return_;

EpochReclaimer::SlotReturn::~SlotReturn() {
  if (slot == nullptr) return;
  slot->epoch.store(0, std::memory_order_release);
  slot->owned.store(false, std::memory_order_release);
  slot_ = nullptr;
}

EpochReclaimer& EpochReclaimer::Instance() {
  // Never destroyed: threads may still read (and release their slots) during static teardown.
  static EpochReclaimer* instance = new EpochReclaimer();
  return *instance;
}

EpochReclaimer::EpochReclaimer() {
#if defined(__linux__)
  const long supported = Membarrier(MEMBARRIER_CMD_QUERY);
  asymmetric_ = supported > 0 && (supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
                Membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0;
#endif
}

EpochReclaimer::Slot* EpochReclaimer::AcquireSlot() {
  Slot* slot = nullptr;
  for (Slot* s = slots_.load(std::memory_order_acquire); s != nullptr; s = s->next) {
    bool expected = false;
    if (!s->owned.load(std::memory_order_relaxed) &&
        s->owned.compare_exchange_strong(expected, true)) {
      slot = s;
      break;
    }
  }
  if (slot == nullptr) {
    slot = new Slot();
    slot->owned.store(true, std::memory_order_relaxed);
    slot->next = slots_.load(std::memory_order_relaxed);
    while (!slots_.compare_exchange_weak(slot->next, slot, std::memory_order_release)) {
    }
  }
  slot_return_.slot = slot;
  slot_ = slot;
  return slot;
}

void EpochReclaimer::Retire(std::shared_ptr<const void> object) {
  std::vector<std::shared_ptr<const void>> released;  // dropped after the lock is released
  {
    std::lock_guard lock(mu_);
    retired_.push_back({epoch_.fetch_add(1, std::memory_order_acq_rel), std::move(object)});
    CollectLocked(released);
  }
}

void EpochReclaimer::Collect() {
  std::vector<std::shared_ptr<const void>> released;
  {
    std::lock_guard lock(mu_);
    CollectLocked(released);
  }
}

void EpochReclaimer::CollectLocked(std::vector<std::shared_ptr<const void>>& released) {
  if (retired_.empty()) return;
#if defined(__linux__)
  // Every running thread of the process passes a full barrier: a reader's slot store is now
  // visible, or its later loads will see the unlinked pointers' replacements.
  if (asymmetric_) Membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
#endif
  std::atomic_thread_fence(std::memory_order_seq_cst);
  uint64_t oldest_reader = UINT64_MAX;
  for (Slot* s = slots_.load(std::memory_order_acquire); s != nullptr; s = s->next) {
    const uint64_t epoch = s->epoch.load(std::memory_order_acquire);
    if (epoch != 0) oldest_reader = std::min(oldest_reader, epoch);
  }
  // An object retired at epoch r may be held by readers that entered at an epoch <= r.
  auto keep = std::partition(retired_.begin(), retired_.end(),
                             [&](const Retired& r) { return r.epoch >= oldest_reader; });
  for (auto it = keep; it != retired_.end(); ++it) released.push_back(std::move(it->object));
  retired_.erase(keep, retired_.end());
}

size_t EpochReclaimer::pending() const {
  std::lock_guard lock(mu_);
  return retired_.size();
}

}  // namespace augur::learned
