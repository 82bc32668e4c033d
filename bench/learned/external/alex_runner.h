// alex_runner.h: a facade over ALEX (microsoft/ALEX, fetched outside the repository), which
// alex_runner.cpp compiles as C++17: ALEX uses std::allocator::rebind, removed in C++20. This
// header includes nothing of ALEX's, so the C++20 harness can call it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>

struct AlexHandle;  // opaque: alex::Alex<uint64_t, uint64_t>

AlexHandle* AlexCreate();
void AlexDestroy(AlexHandle* h);
// `pairs` sorted by key, unique keys.
void AlexBulkLoad(AlexHandle* h, const std::pair<uint64_t, uint64_t>* pairs, size_t n);
void AlexInsert(AlexHandle* h, uint64_t key, uint64_t payload);
// The payload stored under `key`, or UINT64_MAX when absent.
uint64_t AlexGet(const AlexHandle* h, uint64_t key);
size_t AlexModelBytes(const AlexHandle* h);
size_t AlexDataBytes(const AlexHandle* h);
size_t AlexSize(const AlexHandle* h);
