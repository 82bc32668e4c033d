// allocation_cap.cpp
#include "engine/allocation_cap.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "duckdb/common/allocator.hpp"
#include "duckdb/common/exception.hpp"
#include "duckdb/common/file_system.hpp"

namespace augur::engine {

namespace {

// Process-wide: DuckDB's default allocator is itself one object per process.
std::atomic<uint64_t> cap_bytes{0};

void Check(duckdb::idx_t size) {
  uint64_t cap = cap_bytes.load(std::memory_order_relaxed);
  if (cap != 0 && size > cap) {
    throw duckdb::OutOfMemoryException(
        "could not allocate %llu bytes at once: a single allocation may take at most %llu bytes, "
        "half of storage.memory_limit",
        static_cast<unsigned long long>(size), static_cast<unsigned long long>(cap));
  }
}

duckdb::data_ptr_t CappedAllocate(duckdb::PrivateAllocatorData* data, duckdb::idx_t size) {
  Check(size);
  return duckdb::Allocator::DefaultAllocate(data, size);
}

duckdb::data_ptr_t CappedReallocate(duckdb::PrivateAllocatorData* data, duckdb::data_ptr_t pointer,
                                    duckdb::idx_t old_size, duckdb::idx_t size) {
  Check(size);
  return duckdb::Allocator::DefaultReallocate(data, pointer, old_size, size);
}

}  // namespace

std::unique_ptr<duckdb::Allocator> MakeCappedAllocator() {
  return std::make_unique<duckdb::Allocator>(CappedAllocate, duckdb::Allocator::DefaultFree,
                                             CappedReallocate, nullptr);
}

std::string MemoryLimitOrDefault(const DatabaseOptions& options) {
  if (!options.memory_limit.empty()) return options.memory_limit;
  // A quarter of the memory this process may use (cgroup limits included), not DuckDB's 80%: a
  // server shares its host, and one query must not push it into the OOM killer.
  auto available = duckdb::FileSystem::GetAvailableMemory();
  uint64_t bytes = available.IsValid() ? available.GetIndex() / 4 : (uint64_t{1} << 30);
  return fmt::format("{}b", std::max<uint64_t>(bytes, uint64_t{256} << 20));
}

void CapAllocations(uint64_t max_bytes) {
  cap_bytes.store(max_bytes);
  static std::once_flag installed;
  std::call_once(installed, [] {
    auto& reference = duckdb::Allocator::DefaultAllocatorReference();
    // The replaced allocator stays alive: objects created before may hold references to it
    // (it frees with the same function, so either one frees what the other allocated).
    static duckdb::shared_ptr<duckdb::Allocator> previous = reference;
    reference = duckdb::shared_ptr<duckdb::Allocator>(MakeCappedAllocator().release());
  });
}

}  // namespace augur::engine
