// alex_runner.cpp: compiled with -std=c++17 (see alex_runner.h).
#include "alex_runner.h"

#include "alex.h"

struct AlexHandle {
  alex::Alex<uint64_t, uint64_t> index;
};

AlexHandle* AlexCreate() { return new AlexHandle(); }
void AlexDestroy(AlexHandle* h) { delete h; }
void AlexBulkLoad(AlexHandle* h, const std::pair<uint64_t, uint64_t>* pairs, size_t n) {
  h->index.bulk_load(pairs, static_cast<int>(n));
}
void AlexInsert(AlexHandle* h, uint64_t key, uint64_t payload) { h->index.insert(key, payload); }
uint64_t AlexGet(const AlexHandle* h, uint64_t key) {
  const uint64_t* p = h->index.get_payload(key);
  return p ? *p : UINT64_MAX;
}
size_t AlexModelBytes(const AlexHandle* h) { return static_cast<size_t>(h->index.model_size()); }
size_t AlexDataBytes(const AlexHandle* h) { return static_cast<size_t>(h->index.data_size()); }
size_t AlexSize(const AlexHandle* h) { return h->index.size(); }
