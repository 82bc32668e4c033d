// workloads.h: the keys and probes the learned-index benchmarks share (bench_index.cpp,
// ab/ab_main.cpp, external/ext_bench.cpp), generated in one place so that their figures are on
// the same data and can be set side by side.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "learned/lab/key_distributions.h"

namespace augur::bench {

struct Workload {
  std::vector<uint64_t> keys;
  std::vector<uint64_t> probes;  // keys to look up, drawn from `keys`
  // Where each probe was drawn: probes[j] == keys[probe_positions[j]].
  std::vector<size_t> probe_positions;
};

// `lookups` probes drawn from w.keys by `rng`.
inline void DrawProbes(Workload& w, size_t lookups, std::mt19937_64& rng) {
  w.probes.resize(lookups);
  w.probe_positions.resize(lookups);
  for (size_t j = 0; j < lookups; ++j) {
    w.probe_positions[j] = rng() % w.keys.size();
    w.probes[j] = w.keys[w.probe_positions[j]];
  }
}

// Lookups in a static index: `dist`'s n keys, sorted (GenerateKeys seed 1), and `lookups`
// probes drawn from them (mt19937_64 seed 2).
inline Workload StaticWorkload(std::string_view dist, size_t n, size_t lookups) {
  Workload w;
  w.keys = learned::lab::GenerateKeys(dist, n, 1);
  std::mt19937_64 rng(2);
  DrawProbes(w, lookups, rng);
  return w;
}

// The insert workload: `dist`'s distinct keys (seed 3) in random order (mt19937_64
// seed 4). Benchmarks bulk-load the first half and insert the rest, key i with payload i, so a
// probe's payload is its position. Probes are drawn from both halves by the same generator.
inline Workload UpdateWorkload(std::string_view dist, size_t n, size_t lookups) {
  Workload w;
  w.keys = learned::lab::GenerateKeys(dist, n, 3);
  w.keys.erase(std::unique(w.keys.begin(), w.keys.end()), w.keys.end());
  std::mt19937_64 rng(4);
  std::shuffle(w.keys.begin(), w.keys.end(), rng);
  DrawProbes(w, lookups, rng);
  return w;
}

}  // namespace augur::bench
