// epoch_reclaimer.h: keeps objects alive while lock-free readers may still be reading them.
//
// UpdatableIndex's point lookups read its immutable runs without taking its lock: on x86 every
// locked instruction (a shared_mutex's lock and unlock are two) waits for all earlier loads, so
// a lookup could not overlap the next one's cache misses, and independent lookups ran at the
// speed of dependent ones (measured: 250-390 ns against 160-310 without the lock, 10M keys).
// The price is that a replaced run may be freed only once no reader can still hold it, which
// is what this class decides, by epochs:
//   - a reader publishes the global epoch in its thread's slot before it reads a run pointer,
//     and clears the slot when done (Guard);
//   - a writer unlinks an object, then Retire()s it with the current epoch and advances it;
//   - an object is freed when every reader slot is idle or shows a later epoch.
// The reader's store must be visible before its loads, which normally takes a full fence (as
// costly as the lock). Instead the reclaimer issues membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)
// before it scans the slots: the kernel makes every running thread of the process execute a
// barrier, so readers need only a compiler barrier. Retirements are rare (one per fold of 64K
// inserts), so the syscall's microsecond is paid there. Where membarrier is unavailable (old
// kernels, some seccomp profiles) readers fall back to a full fence; still correct.
//
// Written here rather than taken from a library: Debian 12 packages liburcu (userspace RCU),
// whose memb flavour does the same, but it is a C library with its own thread registration
// rules for every caller thread (DuckDB's included); this is ~100 lines for the one use.
//
// Process-wide, like the logger and the metrics registry: reader slots belong to threads, and
// any thread may read any index.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace augur::learned {

class EpochReclaimer {
  struct alignas(64) Slot {
    std::atomic<uint64_t> epoch{0};  // 0: idle
    std::atomic<bool> owned{false};
    Slot* next = nullptr;
  };

 public:
  static EpochReclaimer& Instance();

  // While a Guard lives on a thread, nothing retired after its creation is freed. Nestable.
  // Inline, with trivially initialised thread-locals: this is on every lookup's path.
  class Guard {
   public:
    ~Guard() {
      if (--depth_ == 0) slot_->epoch.store(0, std::memory_order_release);
    }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;

   private:
    friend class EpochReclaimer;
    Guard() = default;
  };
  [[nodiscard]] Guard Enter() {
    if (depth_++ == 0) {
      Slot* slot = slot_ != nullptr ? slot_ : AcquireSlot();
      slot->epoch.store(epoch_.load(std::memory_order_acquire), std::memory_order_relaxed);
      // The slot's store must be visible before this thread's next loads of shared pointers.
      if (asymmetric_) {
        std::atomic_signal_fence(std::memory_order_seq_cst);  // Collect's membarrier does the rest
      } else {
        std::atomic_thread_fence(std::memory_order_seq_cst);
      }
    }
    return Guard();
  }

  // `object` can no longer be reached by readers that start now; it is released once every
  // reader that started before has finished (at this or a later Retire or Collect).
  void Retire(std::shared_ptr<const void> object);
  // Releases whatever no reader can hold any more.
  void Collect();

  // Objects retired and not yet released (tests).
  size_t pending() const;

 private:
  struct Retired {
    uint64_t epoch;
    std::shared_ptr<const void> object;
  };

  EpochReclaimer();
  // Takes a free slot (or adds one) for this thread, and arranges its return at thread exit.
  Slot* AcquireSlot();
  void CollectLocked(std::vector<std::shared_ptr<const void>>& released);

  // Returns the thread's slot to the pool at thread exit (and forgets it, should a later
  // thread-local destructor read again).
  struct SlotReturn {
    Slot* slot = nullptr;
    ~SlotReturn();
  };

  static inline thread_local constinit Slot* slot_ = nullptr;
  static inline thread_local constinit int depth_ = 0;
  // Kept apart from slot_, which lookups read: a thread-local with a destructor is reached
  // through a wrapper call.
  static thread_local SlotReturn slot_return_;

  bool asymmetric_ = false;            // membarrier registered: readers skip the fence
  std::atomic<uint64_t> epoch_{1};     // the current epoch; retirements advance it
  std::atomic<Slot*> slots_{nullptr};  // never freed: one per thread that ever read
  mutable std::mutex mu_;              // guards retired_
  std::vector<Retired> retired_;
};

}  // namespace augur::learned
