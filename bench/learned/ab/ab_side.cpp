// ab_side.cpp: one side of ab.sh's comparison. Compiled twice, against two revisions of
// src/learned, with -Daugur=augur_<side> (so both copies of the learned core link into one binary)
// and -DAB_SIDE=<side>, which names the two functions below.
#include <chrono>
#include <cstdint>
#include <vector>

#include "learned/updatable_index.h"

#define AB_CAT2(a, b) a##b
#define AB_CAT(a, b) AB_CAT2(a, b)
#define AB_NAME(name) AB_CAT(name, AB_CAT(_, AB_SIDE))

using augur::learned::UpdatableIndex;

// Bulk-loads the first half of `keys` (payload: the key's position), inserts the second half
// one at a time with background folds, and waits for them. Returns the index; `inserts_per_second`
// gets the rate of the inserting loop (folds and merges run beside it).
void* AB_NAME(Build)(const std::vector<uint64_t>& keys, double* inserts_per_second) {
  const size_t half = keys.size() / 2;
  std::vector<UpdatableIndex::Entry> bulk;
  for (size_t i = 0; i < half; ++i) bulk.emplace_back(keys[i], i);
  auto* index = new UpdatableIndex(std::move(bulk), {.epsilon = 16}, {.background = true});
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = half; i < keys.size(); ++i) index->Insert(keys[i], i);
  const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
  *inserts_per_second = static_cast<double>(keys.size() - half) / seconds.count();
  index->WaitForBackgroundWork();
  return index;
}

size_t AB_NAME(Find)(const void* index, uint64_t key) {
  return static_cast<const UpdatableIndex*>(index)->FindAny(key).value_or(SIZE_MAX);
}

double AB_NAME(BytesPerKey)(const void* index) {
  const auto stats = static_cast<const UpdatableIndex*>(index)->GetStats();
  return static_cast<double>(stats.total_bytes) / static_cast<double>(stats.keys);
}
