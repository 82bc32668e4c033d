// huge_page_allocator.h: a std allocator that backs large arrays with 2 MB pages when it can.
//
// A lookup in a sorted run of millions of entries is a few dependent reads at random places,
// each of which, with 4 KB pages, also misses the TLB and walks the page table. Backed by
// transparent huge pages, 160 MB of keys and payloads need 80 TLB entries instead of 40,000,
// and a freshly built run takes one page fault per 2 MB instead of one per 4 KB (on this VM a
// fresh 80 MB copy took 60-77 ms with 4 KB pages, 25-30 ms with 2 MB ones, 14-17 ms reused).
//
// Allocations of at least kHugePageBytes are rounded up to whole 2 MB pages, aligned to 2 MB
// and marked MADV_HUGEPAGE (which works when the kernel's THP mode is `always` or `madvise`;
// with `never`, or when the kernel has no free huge page, it is a hint that costs nothing).
// Smaller ones go to operator new. No library offers this in Debian 12's packages (Abseil's
// allocators and std::pmr have no page-size control), hence this file.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace augur::learned {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <typename T>
struct HugePageAllocator {
  using value_type = T;

  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: implicit, as allocators are

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugePageBytes) return static_cast<T*>(::operator new(bytes));
    const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* p = std::aligned_alloc(kHugePageBytes, rounded);
    if (p == nullptr) throw std::bad_alloc();
#if defined(__linux__)
    madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure leaves ordinary pages
#endif
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) < kHugePageBytes) {
      ::operator delete(p);
    } else {
      std::free(p);
    }
  }

  // Default construction leaves trivial elements uninitialised, so that resize() before a
  // merge that writes every element does not first write zeros over the whole array.
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const {
    return true;
  }
};

}  // namespace augur::learned
