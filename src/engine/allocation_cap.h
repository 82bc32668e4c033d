// allocation_cap.h: a bound on any single allocation DuckDB makes.
//
// DuckDB's memory_limit governs its buffer manager, not the strings and arenas a query builds:
// `SELECT repeat('x', 2e9)` took 5 GiB under a 2 GB limit. Refusing one allocation larger than
// half the limit turns such a statement into an error (53200, out of memory) while the server and
// every other session go on. DuckDB's allocators are objects with replaceable function pointers
// (its default allocator, used by string heaps, and the per-database one in DBConfig), so the cap
// wraps those; the allocations themselves still go to DuckDB's own jemalloc.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "augur/engine.h"

namespace duckdb {
class Allocator;
}

namespace augur::engine {

// Sets the largest single allocation, process-wide (0: no cap), and installs the capped
// allocator as DuckDB's default allocator the first time. Call before opening DuckDB.
void CapAllocations(uint64_t max_bytes);

// A capped allocator for DBConfig::allocator.
std::unique_ptr<duckdb::Allocator> MakeCappedAllocator();

// The memory_limit to give DuckDB: the configured one, else a quarter of the available memory.
std::string MemoryLimitOrDefault(const DatabaseOptions& options);

}  // namespace augur::engine
